//! Rust, as syntect's Rust grammar scopes it, for the `reqwest` snippets
//! stepdoc writes: the `main` signature, `let`, paths, method calls,
//! `format!`/`println!` with their `{}` placeholders and `{{ }}` escapes,
//! plain and raw string literals, `?` and `&`. Any other name or construct
//! gives up.

use super::{Scan, Token};

const COMMENT_START: &str =
    "source.rust comment.line.double-slash.rust punctuation.definition.comment.rust";
const COMMENT: &str = "source.rust comment.line.double-slash.rust";
const FN: &str = "source.rust meta.function.rust storage.type.function.rust";
const FN_NAME: &str = "source.rust meta.function.rust entity.name.function.rust";
const STORAGE: &str = "source.rust storage.type.rust";
const TYPE: &str = "source.rust support.type.rust";
const ASSIGN: &str = "source.rust keyword.operator.assignment.rust";
const OPERATOR: &str = "source.rust keyword.operator.rust";
const BITWISE: &str = "source.rust keyword.operator.bitwise.rust";
const METHOD: &str = "source.rust support.function.rust";
const MACRO: &str = "source.rust support.macro.rust";
const CONSTANT: &str = "source.rust constant.other.rust";
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

/// Method names the snippets call (`.request(...)`, `.send()?`, ...).
const METHODS: &[&str] = &[
    "request",
    "header",
    "form",
    "body",
    "send",
    "status",
    "text",
    "to_string",
];

/// Paths and names that stay plain.
const PLAIN: &[&str] = &[
    "std", "error", "Error", "dyn", "response", "reqwest", "blocking", "Client", "new", "Method",
    "env", "var",
];

pub(super) fn lex(code: &str) -> Option<Vec<Token>> {
    let mut s = Scan::new(code);
    let mut depth = 0usize;
    while let Some(c) = s.peek() {
        match c {
            ' ' | '\n' | ',' | ';' | '.' | ':' | '<' | '>' => s.emit(1, ""),
            '/' if s.at("//") => {
                s.emit(2, COMMENT_START);
                let n = s.rest().find('\n').map_or(s.rest().len(), |i| i + 1);
                s.emit(n, COMMENT);
            }
            '-' if s.at("->") => s.emit(2, ""),
            '{' | '[' | '(' => {
                depth += 1;
                s.emit(1, "");
            }
            '}' | ']' | ')' => {
                depth = depth.checked_sub(1)?;
                s.emit(1, "");
            }
            '=' => s.emit(1, ASSIGN),
            '?' => s.emit(1, OPERATOR),
            '&' => s.emit(1, BITWISE),
            '"' => {
                let format = s.after("format!(") || s.after("println!(");
                string(&mut s, format)?;
            }
            'r' if s.rest()[1..].starts_with(['#', '"']) => {
                let format = s.after("format!(") || s.after("println!(");
                raw_string(&mut s, format)?;
            }
            'a'..='z' | 'A'..='Z' | '_' => {
                let word = s.word();
                let rest = &s.rest()[word.len()..];
                if rest.starts_with("!(") && matches!(word, "format" | "println") {
                    s.emit(word.len() + 1, MACRO);
                    continue;
                }
                let scope = match word {
                    "fn" => FN,
                    "main" if s.after("fn ") => FN_NAME,
                    "let" => STORAGE,
                    "Result" | "Box" | "Ok" => TYPE,
                    _ if s.after(".") && rest.starts_with('(') && METHODS.contains(&word) => METHOD,
                    _ if s.after("Method::") && word.chars().all(|c| c.is_ascii_uppercase()) => {
                        CONSTANT
                    }
                    _ if PLAIN.contains(&word) => "",
                    _ => return None,
                };
                s.emit(word.len(), scope);
            }
            _ => return None,
        }
    }
    (depth == 0).then(|| s.finish())
}

/// In a format string: `{{` / `}}` escapes and `{}` placeholders (their
/// length), or None for text; a lone brace gives up (`Err`).
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
fn string(s: &mut Scan, format: bool) -> Option<()> {
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
fn raw_string(s: &mut Scan, format: bool) -> Option<()> {
    s.emit(1, RAW_PREFIX);
    let hashes = s.span(|c| c == '#');
    if hashes == 0 || !s.rest()[hashes..].starts_with('"') {
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
