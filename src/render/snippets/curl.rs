//! cURL for a POSIX shell: a [`Call`] written as a command that is correct
//! when pasted. Literal text is single-quoted; secrets and
//! captured values are double-quoted shell variables (`"$APP_TOKEN"`), so the
//! reader's own values are expanded; lines continue with `\`.

use crate::call::{Body, Call, Part, Text};
use crate::content::ValueType;

/// The cURL command for `call`.
pub fn curl(call: &Call) -> String {
    let shell = super::Shell {
        program: "curl",
        option: &|o, out| out.plain(o),
        word: &|t, out| out.plain(&shell_word(t)),
        method: &|m, out| out.plain(m),
        continuation: &|out| out.plain(" \\\n  "),
    };
    let mut out = super::Code::new();
    out.plain(&helpers(call));
    super::curl_command(call, &shell, &mut out);
    out.into_text()
}

/// One shell word. Without variables: single quotes. With variables: the
/// whole word in double quotes when its text allows, else single-quoted
/// literals next to double-quoted variables.
pub fn shell_word(t: &Text) -> String {
    let has_env = t.iter().any(|p| p.var().is_some());
    if !has_env {
        let lit: String = t
            .iter()
            .map(|p| if let Part::Lit(l) = p { l.as_str() } else { "" })
            .collect();
        return single_quote(&lit);
    }
    let double_safe = t.iter().all(|p| match p {
        Part::Lit(l) => !l.contains(['$', '`', '\\', '"', '!', '\n']),
        Part::Env(_) | Part::Url(_) | Part::Json(_) | Part::Typed(..) => true,
    });
    let mut out = String::new();
    if double_safe {
        out.push('"');
        for (i, p) in t.iter().enumerate() {
            match p {
                Part::Lit(l) => out.push_str(l),
                Part::Env(e) => out.push_str(&variable(e, t.get(i + 1))),
                Part::Url(e) => out.push_str(&url_encoded(e)),
                Part::Json(e) => out.push_str(&json_escaped(e)),
                Part::Typed(e, ty) => out.push_str(&json_typed(e, *ty)),
            }
        }
        out.push('"');
    } else {
        for (i, p) in t.iter().enumerate() {
            match p {
                Part::Lit(l) => out.push_str(&single_quote(l)),
                Part::Env(e) => out.push_str(&format!("\"{}\"", variable(e, t.get(i + 1)))),
                Part::Url(e) => out.push_str(&format!("\"{}\"", url_encoded(e))),
                Part::Json(e) => out.push_str(&format!("\"{}\"", json_escaped(e))),
                Part::Typed(e, ty) => out.push_str(&format!("\"{}\"", json_typed(e, *ty))),
            }
        }
    }
    out
}

/// The shell function that percent-encodes its argument, every byte, with
/// POSIX tools (`od`, `tr`, `sed`): one URL component whatever it holds.
const URLENCODE: &str =
    "urlencode() { printf %s \"$1\" | od -An -v -tx1 | tr -d ' \\n' | sed 's/../%&/g'; }";

/// The POSIX awk program that writes its input as JSON string content,
/// byte for byte as `serde_json` does: `\\`, `"` and every control
/// character escaped, lines joined with `\n` (mawk, gawk, BusyBox and the
/// BSD awk of macOS alike).
const JSON_AWK: &str = r#"BEGIN { ORS = ""; for (i = 1; i < 32; i++) e[sprintf("%c", i)] = sprintf("\\u%04x", i); e["\b"] = "\\b"; e["\f"] = "\\f"; e["\t"] = "\\t"; e["\r"] = "\\r"; e["\\"] = "\\\\"; e["\""] = "\\\"" } { if (NR > 1) print "\\n"; n = length($0); for (j = 1; j <= n; j++) { c = substr($0, j, 1); if (c in e) c = e[c]; print c } }"#;

/// The POSIX awk program that writes its one line of input as it is when
/// it is a JSON value of type `t` (`integer`, `number`, `boolean`), and
/// otherwise nothing (the body is then not JSON, and the API refuses it)
/// and a complaint on standard error.
const TYPED_AWK: &str = r#"NR == 1 { v = $0 } END { if (t == "boolean") ok = v ~ /^(true|false)$/; else if (t == "integer") ok = v ~ /^-?(0|[1-9][0-9]*)$/; else ok = v ~ /^-?(0|[1-9][0-9]*)([.][0-9]+)?([eE][-+]?[0-9]+)?$/; if (NR == 1 && ok) printf "%s", v; else print "json_value: " n " is not a JSON " t > "/dev/stderr" }"#;

/// The definitions of the helpers a shell snippet for `call` uses, one per
/// line: `urlencode` for a value in the URL, `json_escape` for a value
/// inside a JSON string (the `\n` it adds keeps a trailing line break of
/// the value's own).
pub(crate) fn helpers(call: &Call) -> String {
    let mut out = String::new();
    if super::address(call)
        .iter()
        .any(|p| matches!(p, Part::Url(_)))
    {
        out.push_str(URLENCODE);
        out.push('\n');
    }
    if let Body::Json(j) = &call.body {
        if j.pretty().iter().any(|p| matches!(p, Part::Json(_))) {
            out.push_str(&format!(
                "json_escape() {{ printf '%s\\n' \"$1\" | awk '{JSON_AWK}'; }}\n"
            ));
        }
        if j.has_typed() {
            out.push_str(&format!(
                "json_value() {{ printf '%s\\n' \"$3\" | awk -v t=\"$1\" -v n=\"$2\" '{TYPED_AWK}'; }}\n"
            ));
        }
    }
    out
}

/// `$(urlencode "$NAME")`.
fn url_encoded(name: &str) -> String {
    format!("$(urlencode \"${name}\")")
}

/// `$(json_escape "$NAME")`.
fn json_escaped(name: &str) -> String {
    format!("$(json_escape \"${name}\")")
}

/// `$(json_value integer NAME "$NAME")`.
fn json_typed(name: &str, ty: ValueType) -> String {
    format!("$(json_value {} {name} \"${name}\")", ty.name())
}

/// `$NAME`, or `${NAME}` when the next character would extend the name.
fn variable(name: &str, next: Option<&Part>) -> String {
    let extends = matches!(next, Some(Part::Lit(l)) if l.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'));
    if extends {
        format!("${{{name}}}")
    } else {
        format!("${name}")
    }
}

/// `'text'`, with `'` written as `'\''`.
pub fn single_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::Body;

    fn lit(s: &str) -> Part {
        Part::Lit(s.into())
    }
    fn env(s: &str) -> Part {
        Part::Env(s.into())
    }

    #[test]
    fn words() {
        assert_eq!(shell_word(&vec![lit("it's")]), r"'it'\''s'");
        assert_eq!(
            shell_word(&vec![lit("Authorization: Bearer "), env("APP_TOKEN")]),
            "\"Authorization: Bearer $APP_TOKEN\""
        );
        assert_eq!(shell_word(&vec![env("A"), lit("b")]), "\"${A}b\"");
        assert_eq!(
            shell_word(&vec![lit("{\"id\": \""), env("ID"), lit("\"}")]),
            "'{\"id\": \"'\"$ID\"'\"}'"
        );
    }

    #[test]
    fn get_without_method_flag_and_post_with_body() {
        let get = Call {
            method: "GET".into(),
            url: vec![lit("https://x/a?b=1")],
            target: vec![lit("https://x/a")],
            query: vec![("b".into(), vec![lit("1")])],
            headers: vec![],
            basic: None,
            body: Body::None,
        };
        assert_eq!(curl(&get), "curl 'https://x/a?b=1'\n");
        let del = Call {
            method: "DELETE".into(),
            ..get.clone()
        };
        assert_eq!(curl(&del), "curl -X DELETE 'https://x/a?b=1'\n");
    }
}
