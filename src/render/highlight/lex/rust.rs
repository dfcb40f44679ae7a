//! Rust as stepdoc generates it (`snippets/rust.rs`), scoped as syntect's
//! Rust grammar scopes it: the `Cargo.toml` comment, the `fn main`
//! signature, then one statement chain of paths, method calls, macros,
//! plain and raw strings (format strings with their placeholders), `?`,
//! `Some`/`Ok`, `let` and `=`. Anything else gives up, and hand-written
//! Rust never comes here.

use super::{Scan, Token};

const COMMENT_START: &str =
    "source.rust comment.line.double-slash.rust punctuation.definition.comment.rust";
const COMMENT: &str = "source.rust comment.line.double-slash.rust";
const FN: &str = "source.rust meta.function.rust storage.type.function.rust";
const FN_NAME: &str = "source.rust meta.function.rust entity.name.function.rust";
const STORAGE: &str = "source.rust storage.type.rust";
const SUPPORT_TYPE: &str = "source.rust support.type.rust";
const CONSTANT: &str = "source.rust constant.other.rust";
const FUNCTION: &str = "source.rust support.function.rust";
const MACRO: &str = "source.rust support.macro.rust";
const OPERATOR: &str = "source.rust keyword.operator.rust";
const ASSIGN: &str = "source.rust keyword.operator.assignment.rust";
const QUOTE: &str =
    "source.rust string.quoted.double.rust punctuation.definition.string.begin.rust";
const TEXT: &str = "source.rust string.quoted.double.rust";
const ESCAPE: &str = "source.rust string.quoted.double.rust constant.character.escape.rust";
const PLACEHOLDER: &str = "source.rust string.quoted.double.rust constant.other.placeholder.rust";
const RAW_PREFIX: &str = "source.rust string.quoted.double.raw.rust storage.type.string.rust";
const RAW_QUOTE: &str =
    "source.rust string.quoted.double.raw.rust punctuation.definition.string.begin.rust";
const RAW_TEXT: &str = "source.rust string.quoted.double.raw.rust";
const RAW_ESCAPE: &str = "source.rust string.quoted.double.raw.rust constant.character.escape.rust";
const RAW_PLACEHOLDER: &str =
    "source.rust string.quoted.double.raw.rust constant.other.placeholder.rust";

/// The signature every generated snippet has, and its tokens.
const MAIN: &[(&str, &str)] = &[
    ("fn", FN),
    (" ", ""),
    ("main", FN_NAME),
    ("() -> ", ""),
    ("Result", SUPPORT_TYPE),
    ("<(), ", ""),
    ("Box", SUPPORT_TYPE),
    ("<dyn std::error::Error>> {", ""),
];

/// Macros whose first argument is a format string.
const FORMAT_MACROS: &[&str] = &["format!(", "println!("];

pub(super) fn lex(code: &str) -> Option<Vec<Token>> {
    let mut s = Scan::new(code);
    if s.at("//") {
        let n = s.rest().find('\n')? + 1;
        s.emit(2, COMMENT_START);
        s.emit(n - 2, COMMENT);
    }
    for (text, scope) in MAIN {
        if !s.at(text) {
            return None;
        }
        s.emit(text.len(), scope);
    }
    let mut depth = 1;
    while let Some(c) = s.peek() {
        match c {
            ' ' | '\n' | ',' | ';' | '.' | '&' => s.emit(1, ""),
            ':' if s.at("::") => s.emit(2, ""),
            '(' | '[' | '{' => {
                depth += 1;
                s.emit(1, "");
            }
            ')' | ']' | '}' => {
                depth -= 1;
                s.emit(1, "");
                if depth == 0 {
                    // `main` ends the snippet.
                    let tail = s.rest().len();
                    if s.rest().trim().is_empty() {
                        if tail > 0 {
                            s.emit(tail, "");
                        }
                        return Some(s.finish());
                    }
                    return None;
                }
            }
            '?' => s.emit(1, OPERATOR),
            '=' if !s.at("==") => s.emit(1, ASSIGN),
            '"' => string(&mut s)?,
            'r' if s.at("r#") || s.at("r\"") => raw_string(&mut s)?,
            c if c.is_alphanumeric() || c == '_' => word(&mut s)?,
            _ => return None,
        }
    }
    None
}

fn word(s: &mut Scan) -> Option<()> {
    let rest = s.rest();
    let w = &rest[..rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len())];
    let after = &rest[w.len()..];
    let (len, scope) = match w {
        "let" => (3, STORAGE),
        "Some" | "Ok" if after.starts_with('(') => (w.len(), SUPPORT_TYPE),
        _ if after.starts_with("!(") => (w.len() + 1, MACRO),
        _ if s.after(".") && after.starts_with('(') => (w.len(), FUNCTION),
        _ if w.len() >= 2 && w.chars().all(|c| c.is_uppercase() || c == '_') => (w.len(), CONSTANT),
        _ if w.chars().next().is_some_and(|c| c.is_ascii_digit()) => return None,
        _ => (w.len(), ""),
    };
    s.emit(len, scope);
    Some(())
}

/// Whether a string at the cursor is a format macro's format string.
fn in_format_position(s: &Scan) -> bool {
    FORMAT_MACROS.iter().any(|m| s.after(m))
}

/// In a format string: `{{` / `}}` escapes and `{}` placeholders (their
/// length), or None for text; any other brace gives up (`Err`).
fn format_piece(rest: &str) -> Result<Option<(usize, bool)>, ()> {
    if rest.starts_with("{{") || rest.starts_with("}}") {
        Ok(Some((2, true)))
    } else if rest.starts_with("{}") {
        Ok(Some((2, false)))
    } else if rest.starts_with(['{', '}']) {
        Err(())
    } else {
        Ok(None)
    }
}

/// `"..."` with Rust's escapes; in a format string, its placeholders.
fn string(s: &mut Scan) -> Option<()> {
    let format = in_format_position(s);
    s.emit(1, QUOTE);
    loop {
        s.eat_while(
            |c| !(matches!(c, '"' | '\\') || format && matches!(c, '{' | '}')),
            TEXT,
        );
        match s.peek()? {
            '"' => {
                s.emit(1, QUOTE);
                return Some(());
            }
            '\\' => {
                let len = match s.rest()[1..].chars().next()? {
                    '"' | '\\' | 'n' | 'r' | 't' | '0' | '\'' => 2,
                    'u' => s.rest().find('}')? + 1,
                    _ => return None,
                };
                s.emit(len, ESCAPE);
            }
            _ => match format_piece(s.rest()).ok()?? {
                (n, true) => s.emit(n, ESCAPE),
                (n, false) => s.emit(n, PLACEHOLDER),
            },
        }
    }
}

/// `r#"..."#`: the `r`, the opening hashes and quote, the text, the
/// closing quote and hashes.
fn raw_string(s: &mut Scan) -> Option<()> {
    let format = in_format_position(s);
    s.emit(1, RAW_PREFIX);
    let hashes = s.span(|c| c == '#');
    if !s.rest()[hashes..].starts_with('"') || (format && hashes == 0) {
        return None;
    }
    if format {
        // In a format string the grammar takes the quote for text.
        s.emit(hashes, RAW_QUOTE);
        s.emit(1, RAW_TEXT);
    } else {
        s.emit(hashes + 1, RAW_QUOTE);
    }
    let close = format!("\"{}", "#".repeat(hashes));
    loop {
        let end = s.rest().find(&close)?;
        let text_len = if format {
            s.rest()[..end].find(['{', '}']).unwrap_or(end)
        } else {
            end
        };
        if text_len > 0 {
            s.emit(text_len, RAW_TEXT);
        }
        if text_len == end {
            s.emit(close.len(), RAW_QUOTE);
            return Some(());
        }
        match format_piece(s.rest()).ok()?? {
            (n, true) => s.emit(n, RAW_ESCAPE),
            (n, false) => s.emit(n, RAW_PLACEHOLDER),
        }
    }
}
