//! `curl.exe` in PowerShell 7.3+ (where arguments reach native programs
//! unchanged). Literal text is single-quoted (every quote character doubled,
//! the typographic ones too, since PowerShell treats them as quotes);
//! secrets and captured values are `$env:NAME`; lines continue with a
//! backtick.
//!
//! Each piece is written with its [`Kind`].

use super::{Code, Kind, Shell};
use crate::call::{Call, Part, Text};
use crate::content::ValueType;

/// Characters PowerShell reads as a single quote: `'` and U+2018 to U+201B.
const SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];
/// Characters PowerShell reads as a double quote: `"` and U+201C to U+201E.
const DOUBLE_QUOTES: [char; 4] = ['"', '\u{201C}', '\u{201D}', '\u{201E}'];

/// A single-quoted PowerShell string (each single-quote character doubled).
fn single(s: &str, out: &mut Code) {
    out.push("'", Kind::String);
    let mut rest = s;
    while let Some(at) = rest.find(SINGLE_QUOTES) {
        out.push(&rest[..at], Kind::String);
        let c = rest[at..].chars().next().unwrap_or('\'');
        out.push(&format!("{c}{c}"), Kind::Escape);
        rest = &rest[at + c.len_utf8()..];
    }
    out.push(rest, Kind::String);
    out.push("'", Kind::String);
}

/// `$env:NAME`, or `${env:NAME}` when `braced`.
fn variable(name: &str, braced: bool, out: &mut Code) {
    if braced {
        out.push(&format!("${{env:{name}}}"), Kind::Variable);
    } else {
        out.push(&format!("$env:{name}"), Kind::Variable);
    }
}

/// `[uri]::EscapeDataString($env:NAME)`: one percent-encoded URL component.
fn escaped(name: &str, out: &mut Code) {
    out.extend(&[
        ("[uri]", Kind::Type),
        ("::", Kind::Plain),
        ("EscapeDataString", Kind::Function),
        ("(", Kind::Plain),
    ]);
    variable(name, false, out);
    out.plain(")");
}

/// `$env:NAME` as JSON string content: PowerShell's own JSON writer,
/// without the quotes it adds.
fn json_escaped(name: &str, out: &mut Code) {
    out.extend(&[
        ("((", Kind::Plain),
        ("ConvertTo-Json", Kind::Function),
        (" ", Kind::Plain),
    ]);
    variable(name, false, out);
    out.extend(&[
        (") ", Kind::Plain),
        ("-replace", Kind::Operator),
        (" ", Kind::Plain),
        ("'^\"|\"$'", Kind::String),
        (", ", Kind::Plain),
        ("''", Kind::String),
        (")", Kind::Plain),
    ]);
}

/// `$env:NAME` as the JSON text of a number or boolean: cast first
/// (`[long]`, `[double]`, `[bool]::Parse`), which stops the command on
/// anything else, then written by PowerShell's JSON writer.
fn typed(name: &str, ty: ValueType, out: &mut Code) {
    out.extend(&[
        ("(", Kind::Plain),
        ("ConvertTo-Json", Kind::Function),
        (" (", Kind::Plain),
    ]);
    match ty {
        ValueType::Integer => out.push("[long]", Kind::Type),
        ValueType::Number => out.push("[double]", Kind::Type),
        ValueType::Boolean => out.extend(&[
            ("[bool]", Kind::Type),
            ("::", Kind::Plain),
            ("Parse", Kind::Function),
            ("(", Kind::Plain),
        ]),
    }
    variable(name, false, out);
    if ty == ValueType::Boolean {
        out.plain(")");
    }
    out.plain("))");
}

/// One argument: single quotes for literal text; double quotes around
/// `$env:NAME` when the text allows; else a concatenation in parentheses.
fn word(t: &Text, out: &mut Code) {
    if t.iter().all(|p| matches!(p, Part::Lit(_))) {
        let s: String = t
            .iter()
            .map(|p| if let Part::Lit(l) = p { l.as_str() } else { "" })
            .collect();
        return single(&s, out);
    }
    let simple = t.iter().all(|p| match p {
        Part::Lit(l) => {
            !l.contains(['`', '$', '\n'])
                && !l.contains(SINGLE_QUOTES)
                && !l.contains(DOUBLE_QUOTES)
        }
        Part::Env(_) | Part::Url(_) => true,
        Part::Json(_) | Part::Typed(..) => false,
    });
    if simple {
        out.push("\"", Kind::String);
        for (i, p) in t.iter().enumerate() {
            match p {
                Part::Lit(l) => out.push(l, Kind::String),
                Part::Env(e) => {
                    let extends = matches!(t.get(i + 1), Some(Part::Lit(l)) if l.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':'));
                    variable(e, extends, out);
                }
                Part::Url(e) => {
                    out.push("$(", Kind::Operator);
                    escaped(e, out);
                    out.push(")", Kind::Operator);
                }
                Part::Json(_) | Part::Typed(..) => {}
            }
        }
        out.push("\"", Kind::String);
        return;
    }
    out.plain("(");
    let vars = super::Vars {
        env: &|e, out| variable(e, false, out),
        url: &escaped,
        json: &json_escaped,
        typed: &typed,
    };
    super::concat(t, out, &single, &vars);
    out.plain(")");
}

/// The PowerShell snippet.
pub fn generate(call: &Call) -> Code {
    let shell = Shell {
        program: "curl.exe",
        option: &|o, out| out.push(o, Kind::Parameter),
        word: &word,
        method: &|m, out| out.plain(m),
        continuation: &|out| {
            out.plain(" ");
            out.push("`", Kind::Operator);
            out.plain("\n  ");
        },
    };
    let mut out = Code::new();
    super::curl_command(call, &shell, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_quote_character_is_doubled() {
        let text = |f: &dyn Fn(&mut Code)| {
            let mut out = Code::new();
            f(&mut out);
            out.into_text()
        };
        assert_eq!(text(&|o| single("it's", o)), "'it''s'");
        assert_eq!(
            text(&|o| single("\u{2018}a\u{2019}", o)),
            "'\u{2018}\u{2018}a\u{2019}\u{2019}'"
        );
        let t = vec![Part::Lit("x\u{201C}".into()), Part::Env("A".into())];
        assert_eq!(text(&|o| word(&t, o)), "('x\u{201C}' + $env:A)");
    }
}
