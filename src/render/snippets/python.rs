//! Python with `requests`. Secrets come from `os.environ`; the body is sent
//! as the same bytes the cURL version sends (form fields encoded by
//! `requests`, JSON serialised with `indent=2` and non-ASCII kept).
//!
//! Each piece is written with the scopes syntect's Python grammar gives it.

use super::{concat, escaped_string, json_literal, number, pairs, quoted};
use super::{Code, Literals, StringScopes, Vars};
use crate::content::call::{Body, Call, Json, Part, Text};

const IMPORT: &str = "source.python meta.statement.import.python keyword.control.import.python";
const ASSIGN: &str = "source.python keyword.operator.assignment.python";
const ARITHMETIC: &str = "source.python keyword.operator.arithmetic.python";
const CALL: &str = "source.python meta.function-call.python meta.qualified-name.python variable.function.python meta.generic-name.python";
const BUILTIN: &str = "source.python meta.function-call.python meta.qualified-name.python variable.function.python support.function.builtin.python";
const KEYWORD_ARG: &str =
    "source.python meta.function-call.arguments.python variable.parameter.python";
const CONSTANT: &str = "source.python constant.language.python";
const INT: &str = "source.python constant.numeric.integer.decimal.python";
const FLOAT: &str = "source.python constant.numeric.float.decimal.python";
const POINT: &str =
    "source.python constant.numeric.float.decimal.python punctuation.separator.decimal.python";
const STRING: StringScopes = StringScopes {
    quote: "source.python meta.string.python string.quoted.double.python punctuation.definition.string.begin.python",
    text: "source.python meta.string.python string.quoted.double.python",
    escape: "source.python meta.string.python string.quoted.double.python constant.character.escape.python",
    unicode: "source.python meta.string.python string.quoted.double.python constant.character.escape.unicode.32-bit-hex.python",
};
const PLACEHOLDER: &str = "source.python meta.string.python string.quoted.double.python constant.other.placeholder.python";
const SQL: &str =
    "source.python meta.string.python string.quoted.double.python source.sql keyword.other.DML.sql";
/// Strings the grammar reads as SQL when they start with one of these.
const SQL_STARTS: &[&str] = &[
    "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "REPLACE", "ALTER", "WITH",
];

/// A string literal.
fn string(s: &str, out: &mut Code) {
    let literal = quoted(s);
    let inner = &literal[1..literal.len() - 1];
    if inner == "DELETE" {
        // The grammar takes a string that is an SQL verb for SQL.
        out.push("\"", STRING.quote);
        out.push(inner, SQL);
        out.push("\"", STRING.quote);
    } else if SQL_STARTS.iter().any(|k| inner.trim_start().starts_with(k)) {
        out.unsure(&literal);
    } else {
        escaped_string(&literal, &STRING, &text, out);
    }
}

/// Text in a string: `%` placeholders are scoped; braces (format fields to
/// the grammar) are not modelled.
fn text(mut t: &str, out: &mut Code) {
    if t.contains(['{', '}']) {
        return out.unsure(t);
    }
    while let Some(at) = t.find('%') {
        out.push(&t[..at], STRING.text);
        let len = placeholder(&t[at..]);
        out.push(
            &t[at..at + len.unwrap_or(1)],
            len.map_or(STRING.text, |_| PLACEHOLDER),
        );
        t = &t[at + len.unwrap_or(1)..];
    }
    out.push(t, STRING.text);
}

/// `os.environ["NAME"]`.
fn env(name: &str, out: &mut Code) {
    out.plain("os.environ[");
    string(name, out);
    out.plain("]");
}

/// `quote(os.environ["NAME"], safe="")`: one percent-encoded URL component.
fn url_env(name: &str, out: &mut Code) {
    out.push("quote", CALL);
    out.plain("(");
    env(name, out);
    out.plain(", ");
    out.push("safe", KEYWORD_ARG);
    out.push("=", ASSIGN);
    string("", out);
    out.plain(")");
}

fn expr(t: &Text, out: &mut Code) {
    let vars = Vars {
        env: &env,
        url: &url_env,
        json: &env,
    };
    concat(t, out, &string, &vars, ARITHMETIC);
}

fn json(j: &Json, depth: usize, out: &mut Code) {
    let lit = Literals {
        indent: "    ",
        null: ("None", CONSTANT),
        yes: ("True", CONSTANT),
        no: ("False", CONSTANT),
        number: &|n, out| number(n, [ARITHMETIC, INT, FLOAT, POINT], out),
        key: &string,
        expr: &expr,
    };
    json_literal(j, &lit, depth, out);
}

/// `name=` inside a call.
fn keyword(name: &str, out: &mut Code) {
    out.plain("    ");
    out.push(name, KEYWORD_ARG);
    out.push("=", ASSIGN);
}

/// An `import` line.
fn import(name: &str, out: &mut Code) {
    out.push("import", IMPORT);
    out.plain(&format!(" {name}\n"));
}

/// The Python snippet.
pub fn generate(call: &Call) -> Code {
    let mut s = Code::new();
    let json_body = match &call.body {
        Body::Json(j) => Some(j),
        _ => None,
    };
    if json_body.is_some() {
        import("json", &mut s);
    }
    import("os", &mut s);
    if call.url.iter().any(|p| matches!(p, Part::Url(_))) {
        s.extend(&[
            (
                "from",
                "source.python meta.statement.import.python keyword.control.import.from.python",
            ),
            (" urllib.parse ", ""),
            ("import", IMPORT),
            (" quote\n", ""),
        ]);
    }
    s.plain("\n");
    import("requests", &mut s);
    s.plain("\n");
    if let Some(j) = json_body {
        s.extend(&[("body ", ""), ("=", ASSIGN), (" ", "")]);
        json(j, 0, &mut s);
        s.plain("\n\n");
    }
    s.extend(&[
        ("response ", ""),
        ("=", ASSIGN),
        (" requests.", ""),
        ("request", CALL),
        ("(\n    ", ""),
    ]);
    string(&call.method, &mut s);
    s.plain(",\n    ");
    expr(&call.url, &mut s);
    s.plain(",\n");
    if !call.headers.is_empty() {
        keyword("headers", &mut s);
        json(&pairs(&call.headers), 1, &mut s);
        s.plain(",\n");
    }
    if let Some((user, password)) = &call.basic {
        keyword("auth", &mut s);
        s.plain("(");
        expr(user, &mut s);
        s.plain(", ");
        expr(password, &mut s);
        s.plain("),\n");
    }
    match &call.body {
        Body::None => {}
        Body::Form(fields) => {
            keyword("data", &mut s);
            json(&pairs(fields), 1, &mut s);
            s.plain(",\n");
        }
        Body::Json(_) => {
            keyword("data", &mut s);
            s.extend(&[
                ("json.", ""),
                ("dumps", CALL),
                ("(body, ", ""),
                ("indent", KEYWORD_ARG),
                ("=", ASSIGN),
                ("2", INT),
                (", ", ""),
                ("ensure_ascii", KEYWORD_ARG),
                ("=", ASSIGN),
                ("False", CONSTANT),
                (").", ""),
                ("encode", CALL),
                ("(),\n", ""),
            ]);
        }
    }
    keyword("timeout", &mut s);
    s.push("30", INT);
    s.plain(",\n)\n");
    for field in ["status_code", "text"] {
        s.push("print", BUILTIN);
        s.plain(&format!("(response.{field})\n"));
    }
    s
}

/// The length of a `%` placeholder at the start of `rest`, as the grammar's
/// two patterns match it (printf style, then strftime style).
fn placeholder(rest: &str) -> Option<usize> {
    let b = rest.as_bytes();
    let mut i = 1;
    if b.get(i) == Some(&b'(') {
        return None;
    }
    for flag in [b'#', b'0', b'-', b' '] {
        if b.get(i) == Some(&flag) {
            i += 1;
        }
    }
    if matches!(b.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    let width = |i: &mut usize| {
        if b.get(*i) == Some(&b'*') {
            *i += 1;
        } else {
            while b.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
        }
    };
    width(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        width(&mut i);
    }
    if matches!(b.get(i), Some(b'h' | b'l' | b'L')) {
        i += 1;
    }
    if b.get(i).is_some_and(|c| b"acdeEfFgGiorsuxX%".contains(c)) {
        return Some(i + 1);
    }
    match b.get(1) {
        Some(c) if b"aAwdbBGmyYHIpMSfzZjuUVWcxX%".contains(c) => Some(2),
        Some(b'-') if b.get(2).is_some_and(|c| b"dmHIMSj".contains(c)) => Some(3),
        _ => None,
    }
}
