//! Rust string and character literals, as syntect's Rust grammar scopes
//! them: plain, byte and raw strings with their escapes, and in the format
//! string of `format!`, `println!` and friends, `{}`/`{name}` placeholders
//! and `{{ }}` escapes; `'c'` characters. Anything else gives up.

use super::Scan;

const QUOTE: &str =
    "source.rust string.quoted.double.rust punctuation.definition.string.begin.rust";
const TEXT: &str = "source.rust string.quoted.double.rust";
const ESCAPE: &str = "source.rust string.quoted.double.rust constant.character.escape.rust";
const PLACEHOLDER: &str = "source.rust string.quoted.double.rust constant.other.placeholder.rust";
const BYTE_PREFIX: &str = "source.rust string.quoted.double.rust storage.type.string.rust";
const RAW_PREFIX: &str = "source.rust string.quoted.double.raw.rust storage.type.string.rust";
const RAW_QUOTE: &str =
    "source.rust string.quoted.double.raw.rust punctuation.definition.string.begin.rust";
const RAW_TEXT: &str = "source.rust string.quoted.double.raw.rust";
const RAW_ESCAPE: &str = "source.rust string.quoted.double.raw.rust constant.character.escape.rust";
const RAW_PLACEHOLDER: &str =
    "source.rust string.quoted.double.raw.rust constant.other.placeholder.rust";
const CHAR_QUOTE: &str =
    "source.rust string.quoted.single.rust punctuation.definition.string.begin.rust";
const CHAR_TEXT: &str = "source.rust string.quoted.single.rust";
const CHAR_ESCAPE: &str = "source.rust string.quoted.single.rust constant.character.escape.rust";

/// A character literal (`'x'`, `'\n'`); lifetimes give up.
pub(super) fn char_literal(s: &mut Scan) -> Option<()> {
    let rest = s.rest();
    let mut chars = rest[1..].chars();
    let first = chars.next()?;
    if first == '\\' {
        let esc = chars.next()?;
        if !matches!(esc, 'n' | 'r' | 't' | '0' | '\\' | '\'' | '"') || chars.next()? != '\'' {
            return None;
        }
        s.emit(1, CHAR_QUOTE);
        s.emit(2, CHAR_ESCAPE);
        s.emit(1, CHAR_QUOTE);
    } else {
        if chars.next()? != '\'' || first == '\'' {
            return None;
        }
        s.emit(1, CHAR_QUOTE);
        s.emit(first.len_utf8(), CHAR_TEXT);
        s.emit(1, CHAR_QUOTE);
    }
    Some(())
}

/// `b"..."`: the prefix, then a plain string.
pub(super) fn byte_string(s: &mut Scan) -> Option<()> {
    s.emit(1, BYTE_PREFIX);
    string(s, false)
}

/// In a format string: `{{` / `}}` escapes and `{}` placeholders (their
/// length), or None for text; a lone brace gives up (`Err`).
fn format_piece(rest: &str) -> Result<Option<(usize, bool)>, ()> {
    if rest.starts_with("{{") || rest.starts_with("}}") {
        Ok(Some((2, true)))
    } else if rest.starts_with("{}") {
        Ok(Some((2, false)))
    } else if let Some(name) = rest
        .strip_prefix('{')
        .and_then(|r| r.split_once('}'))
        .map(|(name, _)| name)
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        Ok(Some((name.len() + 2, false)))
    } else if rest.starts_with(['{', '}']) {
        Err(())
    } else {
        Ok(None)
    }
}

/// `"..."` with Rust's escapes; in a format string, its placeholders.
pub(super) fn string(s: &mut Scan, format: bool) -> Option<()> {
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
pub(super) fn raw_string(s: &mut Scan, format: bool) -> Option<()> {
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
