//! `curl.exe` in PowerShell 7.3+ (where arguments reach native programs
//! unchanged). Literal text is single-quoted (`'` doubled); secrets and
//! captured values are `$env:NAME`; lines continue with a backtick.

use crate::content::call::{Call, Part, Text};

/// A single-quoted PowerShell string (`'` doubled).
fn single(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
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
        Part::Lit(l) => !l.contains(['`', '"', '$', '\n', '\'']),
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
