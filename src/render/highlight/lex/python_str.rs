//! Python string literals, as syntect's Python grammar scopes them: single
//! and double quotes, `b` and `f` prefixes, escapes, `%` placeholders,
//! f-string interpolations (lexed as Python), docstrings. Raw strings,
//! triple quotes outside docstrings, `{}` in plain strings and format specs
//! give up.

use super::Scan;

const PREFIX: &str = "source.python storage.type.string.python";
const DOC_QUOTE: &str =
    "source.python comment.block.documentation.python punctuation.definition.comment.begin.python";
const DOC: &str = "source.python comment.block.documentation.python";
const INTERPOLATION: &str = "source.python meta.string.interpolated.python meta.interpolation.python punctuation.section.interpolation.begin.python";
const SQL: &str =
    "source.python meta.string.python string.quoted.double.python source.sql keyword.other.DML.sql";

/// The scopes of one kind of string (single or double quotes).
struct Kind {
    quote: &'static str,
    text: &'static str,
    escape: &'static str,
    unicode: &'static str,
    placeholder: &'static str,
}

const DOUBLE: Kind = Kind {
    quote: "source.python meta.string.python string.quoted.double.python punctuation.definition.string.begin.python",
    text: "source.python meta.string.python string.quoted.double.python",
    escape: "source.python meta.string.python string.quoted.double.python constant.character.escape.python",
    unicode: "source.python meta.string.python string.quoted.double.python constant.character.escape.unicode.32-bit-hex.python",
    placeholder: "source.python meta.string.python string.quoted.double.python constant.other.placeholder.python",
};

const SINGLE: Kind = Kind {
    quote: "source.python meta.string.python string.quoted.single.python punctuation.definition.string.begin.python",
    text: "source.python meta.string.python string.quoted.single.python",
    escape: "source.python meta.string.python string.quoted.single.python constant.character.escape.python",
    unicode: "source.python meta.string.python string.quoted.single.python constant.character.escape.unicode.32-bit-hex.python",
    placeholder: "source.python meta.string.python string.quoted.single.python constant.other.placeholder.python",
};

/// Whether a string literal (with an optional `b` or `f` prefix) starts at
/// the cursor.
pub(super) fn starts(s: &Scan) -> bool {
    let r = s.rest();
    r.starts_with(['"', '\'']) || (r.starts_with(['b', 'f']) && r[1..].starts_with(['"', '\'']))
}

/// A `"""docstring"""` at the cursor.
pub(super) fn docstring(s: &mut Scan) -> Option<()> {
    s.emit(3, DOC_QUOTE);
    let end = s.rest().find("\"\"\"")?;
    if end > 0 {
        s.emit(end, DOC);
    }
    s.emit(3, DOC_QUOTE);
    Some(())
}

/// A string literal at the cursor (see [`starts`]).
pub(super) fn string(s: &mut Scan) -> Option<()> {
    if s.after_word() {
        return None; // an unknown prefix like r"" or rb""
    }
    let prefix = s.peek().filter(|c| *c == 'b' || *c == 'f');
    if prefix.is_some() {
        s.emit(1, PREFIX);
    }
    let q = s.peek()?;
    let kind = if q == '"' { &DOUBLE } else { &SINGLE };
    if s.rest().starts_with(&format!("{q}{q}{q}")) {
        return None;
    }
    if prefix == Some('f') {
        return fstring(s, q);
    }
    s.emit(1, kind.quote);
    let end = s.rest().find([q, '\n'])?;
    let content = &s.rest()[..end];
    if q == '"' && content == "DELETE" && prefix.is_none() {
        // The grammar takes strings that start with an SQL verb for SQL.
        s.emit(end, SQL);
        s.emit(1, kind.quote);
        return Some(());
    }
    let first = content.trim_start();
    if [
        "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "REPLACE", "ALTER", "WITH",
    ]
    .iter()
    .any(|k| first.starts_with(k))
    {
        return None;
    }
    loop {
        s.eat_while(
            |c| c != q && !matches!(c, '\\' | '%' | '{' | '}' | '\n'),
            kind.text,
        );
        match s.peek()? {
            '\\' => escape(s, kind)?,
            '%' => match placeholder(s.rest()) {
                Some(n) => s.emit(n, kind.placeholder),
                None => s.emit(1, kind.text),
            },
            c if c == q => {
                s.emit(1, kind.quote);
                return Some(());
            }
            _ => return None,
        }
    }
}

/// A backslash escape.
fn escape(s: &mut Scan, kind: &Kind) -> Option<()> {
    match s.rest()[1..].chars().next()? {
        '\\' | '"' | '\'' | 'n' | 'r' | 't' | 'b' | 'f' => s.emit(2, kind.escape),
        'u' if s
            .rest()
            .get(2..6)
            .is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit())) =>
        {
            s.emit(6, kind.unicode)
        }
        _ => return None,
    }
    Some(())
}

/// An f-string: text, `{{`/`}}` escapes and `{expression}` interpolations.
fn fstring(s: &mut Scan, q: char) -> Option<()> {
    let (quote, text, esc) = if q == '"' {
        (
            "source.python meta.string.interpolated.python string.quoted.double.python punctuation.definition.string.begin.python",
            "source.python meta.string.interpolated.python string.quoted.double.python",
            "source.python meta.string.interpolated.python string.quoted.double.python constant.character.escape.python",
        )
    } else {
        (
            "source.python meta.string.interpolated.python string.quoted.single.python punctuation.definition.string.begin.python",
            "source.python meta.string.interpolated.python string.quoted.single.python",
            "source.python meta.string.interpolated.python string.quoted.single.python constant.character.escape.python",
        )
    };
    s.emit(1, quote);
    loop {
        s.eat_while(
            |c| c != q && !matches!(c, '\\' | '{' | '}' | '\n' | '%'),
            text,
        );
        let rest = s.rest();
        match s.peek()? {
            c if c == q => {
                s.emit(1, quote);
                return Some(());
            }
            '{' if rest.starts_with("{{") => s.emit(2, esc),
            '}' if rest.starts_with("}}") => s.emit(2, esc),
            '{' => {
                // The expression runs to the matching brace; quotes of the
                // other kind may appear in it, this string's quote may not.
                let end = rest.find('}')?;
                let inner = &rest[1..end];
                if inner.contains([q, '{', ':', '!', '\n']) || inner.trim().is_empty() {
                    return None;
                }
                s.emit(1, INTERPOLATION);
                let tokens = super::python::lex_expression(inner)?;
                s.emit_tokens(&tokens, inner.len());
                s.emit(1, INTERPOLATION);
            }
            _ => return None,
        }
    }
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
