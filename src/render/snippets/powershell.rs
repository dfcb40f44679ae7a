//! `curl.exe` in PowerShell 7.3+ (where arguments reach native programs
//! unchanged). Literal text is single-quoted (every quote character doubled,
//! the typographic ones too, since PowerShell treats them as quotes);
//! secrets and captured values are `$env:NAME`; lines continue with a
//! backtick.

use crate::content::call::{Call, Part, Text};

/// Characters PowerShell reads as a single quote: `'` and U+2018 to U+201B.
const SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];
/// Characters PowerShell reads as a double quote: `"` and U+201C to U+201E.
const DOUBLE_QUOTES: [char; 4] = ['"', '\u{201C}', '\u{201D}', '\u{201E}'];

/// A single-quoted PowerShell string (each single-quote character doubled).
fn single(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if SINGLE_QUOTES.contains(&c) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// One argument: single quotes for literal text; double quotes around
/// `$env:NAME` when the text allows; else a concatenation in parentheses.
fn word(t: &Text) -> String {
    if t.iter().all(|p| matches!(p, Part::Lit(_))) {
        let s: String = t
            .iter()
            .map(|p| if let Part::Lit(l) = p { l.as_str() } else { "" })
            .collect();
        return single(&s);
    }
    let simple = t.iter().all(|p| match p {
        Part::Lit(l) => {
            !l.contains(['`', '$', '\n'])
                && !l.contains(SINGLE_QUOTES)
                && !l.contains(DOUBLE_QUOTES)
        }
        Part::Env(_) => true,
    });
    if simple {
        let mut out = String::from("\"");
        for (i, p) in t.iter().enumerate() {
            match p {
                Part::Lit(l) => out.push_str(l),
                Part::Env(e) => {
                    let extends = matches!(t.get(i + 1), Some(Part::Lit(l)) if l.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':'));
                    out.push_str(&if extends {
                        format!("${{env:{e}}}")
                    } else {
                        format!("$env:{e}")
                    });
                }
            }
        }
        out.push('"');
        return out;
    }
    let parts: Vec<String> = t
        .iter()
        .map(|p| match p {
            Part::Lit(l) => single(l),
            Part::Env(e) => format!("$env:{e}"),
        })
        .collect();
    format!("({})", parts.join(" + "))
}

/// The PowerShell snippet.
pub fn generate(call: &Call) -> String {
    super::curl_command(call, "curl.exe", &word, " `\n  ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_quote_character_is_doubled() {
        assert_eq!(single("it's"), "'it''s'");
        assert_eq!(
            single("\u{2018}a\u{2019}"),
            "'\u{2018}\u{2018}a\u{2019}\u{2019}'"
        );
        let t = vec![Part::Lit("x\u{201C}".into()), Part::Env("A".into())];
        assert_eq!(word(&t), "('x\u{201C}' + $env:A)");
    }
}
