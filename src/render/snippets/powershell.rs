//! `curl.exe` in PowerShell 7.3+ (where arguments reach native programs
//! unchanged). Literal text is single-quoted (every quote character doubled,
//! the typographic ones too, since PowerShell treats them as quotes);
//! secrets and captured values are `$env:NAME`; lines continue with a
//! backtick.
//!
//! Each piece is written with the scopes syntect's PowerShell grammar gives it.

use super::{Code, Shell};
use crate::content::call::{Call, Part, Text};

/// Characters PowerShell reads as a single quote: `'` and U+2018 to U+201B.
const SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];
/// Characters PowerShell reads as a double quote: `"` and U+201C to U+201E.
const DOUBLE_QUOTES: [char; 4] = ['"', '\u{201C}', '\u{201D}', '\u{201E}'];

const OPERATOR: &str = "source.powershell keyword.operator.assignment.powershell";
const GROUP: &str = "source.powershell meta.group.simple.subexpression.powershell punctuation.section.group.begin.powershell";
const SINGLE_QUOTE: &str = "source.powershell string.quoted.single.powershell punctuation.definition.string.begin.powershell";
const SINGLE: &str = "source.powershell string.quoted.single.powershell";
const SINGLE_ESCAPE: &str =
    "source.powershell string.quoted.single.powershell constant.character.escape.powershell";
const DOUBLE_QUOTE: &str = "source.powershell string.quoted.double.powershell punctuation.definition.string.begin.powershell";
const DOUBLE: &str = "source.powershell string.quoted.double.powershell";
const DOLLAR: &str = "source.powershell variable.other.readwrite.powershell punctuation.definition.variable.powershell";
const BRACE: &str =
    "source.powershell variable.other.readwrite.powershell punctuation.section.braces.begin";
const DRIVE: &str =
    "source.powershell variable.other.readwrite.powershell support.variable.drive.powershell";
const VARIABLE: &str = "source.powershell variable.other.readwrite.powershell";

/// A single-quoted PowerShell string (each single-quote character doubled).
fn single(s: &str, out: &mut Code) {
    out.push("'", SINGLE_QUOTE);
    let mut rest = s;
    while let Some(at) = rest.find(SINGLE_QUOTES) {
        out.push(&rest[..at], SINGLE);
        let c = rest[at..].chars().next().unwrap_or('\'');
        out.push(&format!("{c}{c}"), SINGLE_ESCAPE);
        rest = &rest[at + c.len_utf8()..];
    }
    out.push(rest, SINGLE);
    out.push("'", SINGLE_QUOTE);
}

/// `$env:NAME`, or `${env:NAME}` when `braced`.
fn variable(name: &str, braced: bool, out: &mut Code) {
    out.push("$", DOLLAR);
    if braced {
        out.push("{", BRACE);
    }
    out.push("env:", DRIVE);
    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        out.push(name, VARIABLE);
    } else {
        out.unsure(name);
    }
    if braced {
        out.push("}", BRACE);
    }
}

/// `$(` and `)` around an expression inside a double-quoted string.
const SUBSTATEMENT: [(&str, &str); 3] = [
    ("$", "source.powershell string.quoted.double.powershell meta.embedded.substatement.powershell keyword.other.substatement.powershell punctuation.definition.substatement.powershell punctuation.section.embedded.substatement.begin.powershell"),
    ("(", "source.powershell string.quoted.double.powershell meta.embedded.substatement.powershell punctuation.section.group.begin.powershell punctuation.section.embedded.substatement.begin.powershell"),
    (")", "source.powershell string.quoted.double.powershell meta.embedded.substatement.powershell punctuation.section.group.end.powershell punctuation.section.embedded.substatement.end.powershell"),
];

/// The scopes of `[uri]::EscapeDataString($env:NAME)` where it stands:
/// `[`, `uri`, `]`, `::EscapeDataString`, `(`, `$`, `env:`, the name, `)`.
type Escaped = [&'static str; 9];

/// Inside `"…$(…)…"`.
const IN_STRING: Escaped = [
    "source.powershell string.quoted.double.powershell meta.embedded.substatement.powershell interpolated.complex.source.powershell punctuation.section.bracket.begin.powershell",
    "source.powershell string.quoted.double.powershell meta.embedded.substatement.powershell interpolated.complex.source.powershell storage.type.powershell",
    "source.powershell string.quoted.double.powershell meta.embedded.substatement.powershell interpolated.complex.source.powershell punctuation.section.bracket.end.powershell",
    "source.powershell string.quoted.double.powershell meta.embedded.substatement.powershell interpolated.complex.source.powershell",
    "source.powershell string.quoted.double.powershell meta.embedded.substatement.powershell interpolated.complex.source.powershell meta.group.simple.subexpression.powershell punctuation.section.group.begin.powershell",
    "source.powershell string.quoted.double.powershell meta.embedded.substatement.powershell interpolated.complex.source.powershell meta.group.simple.subexpression.powershell variable.other.readwrite.powershell punctuation.definition.variable.powershell",
    "source.powershell string.quoted.double.powershell meta.embedded.substatement.powershell interpolated.complex.source.powershell meta.group.simple.subexpression.powershell variable.other.readwrite.powershell support.variable.drive.powershell",
    "source.powershell string.quoted.double.powershell meta.embedded.substatement.powershell interpolated.complex.source.powershell meta.group.simple.subexpression.powershell variable.other.readwrite.powershell",
    "source.powershell string.quoted.double.powershell meta.embedded.substatement.powershell interpolated.complex.source.powershell meta.group.simple.subexpression.powershell punctuation.section.group.end.powershell",
];

/// Inside a `( … + … )` concatenation.
const IN_GROUP: Escaped = [
    "source.powershell meta.group.simple.subexpression.powershell punctuation.section.bracket.begin.powershell",
    "source.powershell meta.group.simple.subexpression.powershell storage.type.powershell",
    "source.powershell meta.group.simple.subexpression.powershell punctuation.section.bracket.end.powershell",
    "source.powershell meta.group.simple.subexpression.powershell",
    "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell punctuation.section.group.begin.powershell",
    "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell variable.other.readwrite.powershell punctuation.definition.variable.powershell",
    "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell variable.other.readwrite.powershell support.variable.drive.powershell",
    "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell variable.other.readwrite.powershell",
    "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell punctuation.section.group.end.powershell",
];

/// `[uri]::EscapeDataString($env:NAME)`: one percent-encoded URL component.
fn escaped(name: &str, scopes: &Escaped, out: &mut Code) {
    let texts = [
        "[",
        "uri",
        "]",
        "::EscapeDataString",
        "(",
        "$",
        "env:",
        name,
        ")",
    ];
    for (text, scope) in texts.iter().zip(scopes) {
        out.push(text, scope);
    }
}

/// `((ConvertTo-Json $env:` and what follows the name, in a concatenation.
const JSON_BEFORE: &[(&str, &str)] = &[
    ("(", "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell punctuation.section.group.begin.powershell"),
    ("(", "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell punctuation.section.group.begin.powershell"),
    ("ConvertTo-Json", "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell support.function.powershell"),
    (" ", "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell"),
    ("$", "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell variable.other.readwrite.powershell punctuation.definition.variable.powershell"),
    ("env:", "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell variable.other.readwrite.powershell support.variable.drive.powershell"),
];
const JSON_AFTER: &[(&str, &str)] = &[
    (")", "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell punctuation.section.group.end.powershell"),
    (" ", "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell"),
    ("-replace", "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell keyword.operator.comparison.powershell"),
    (" ", "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell"),
    ("'", "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell string.quoted.single.powershell punctuation.definition.string.begin.powershell"),
    ("^\"|\"$", "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell string.quoted.single.powershell"),
    ("'", "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell string.quoted.single.powershell punctuation.definition.string.end.powershell"),
    (",", "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell keyword.operator.other.powershell"),
    (" ", "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell"),
    ("'", "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell string.quoted.single.powershell punctuation.definition.string.begin.powershell"),
    ("'", "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell string.quoted.single.powershell punctuation.definition.string.end.powershell"),
    (")", "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell punctuation.section.group.end.powershell"),
];
const JSON_NAME: &str = "source.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell meta.group.simple.subexpression.powershell variable.other.readwrite.powershell";

/// `$env:NAME` as JSON string content: PowerShell's own JSON writer,
/// without the quotes it adds.
fn json_escaped(name: &str, out: &mut Code) {
    out.extend(JSON_BEFORE);
    out.push(name, JSON_NAME);
    out.extend(JSON_AFTER);
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
        Part::Json(_) => false,
    });
    if simple {
        out.push("\"", DOUBLE_QUOTE);
        for (i, p) in t.iter().enumerate() {
            match p {
                Part::Lit(l) => out.push(l, DOUBLE),
                Part::Env(e) => {
                    let extends = matches!(t.get(i + 1), Some(Part::Lit(l)) if l.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':'));
                    variable(e, extends, out);
                }
                Part::Url(e) => {
                    out.extend(&SUBSTATEMENT[..2]);
                    escaped(e, &IN_STRING, out);
                    out.extend(&SUBSTATEMENT[2..]);
                }
                Part::Json(_) => {}
            }
        }
        out.push("\"", DOUBLE_QUOTE);
        return;
    }
    out.push("(", GROUP);
    let vars = super::Vars {
        env: &|e, out| variable(e, false, out),
        url: &|e, out| escaped(e, &IN_GROUP, out),
        json: &json_escaped,
    };
    super::concat(t, out, &single, &vars, OPERATOR);
    out.push(")", GROUP);
}

/// An option: each dash an operator, the words between them plain.
fn option(name: &str, out: &mut Code) {
    for (i, piece) in name.split('-').enumerate() {
        if i > 0 {
            out.push("-", OPERATOR);
        }
        out.plain(piece);
    }
}

/// The PowerShell snippet.
pub fn generate(call: &Call) -> Code {
    let shell = Shell {
        program: ("curl.exe", "source.powershell support.function.powershell"),
        option: &option,
        word: &word,
        method: &|m, out| {
            if m.chars().all(|c| c.is_ascii_uppercase()) {
                out.plain(m)
            } else {
                out.unsure(m)
            }
        },
        continuation: &|out| {
            out.plain(" ");
            out.push("`", "source.powershell keyword.operator.other.powershell");
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
