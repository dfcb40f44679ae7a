//! Python as stepdoc generates it (`snippets/python.rs`), scoped as
//! syntect's Python grammar scopes it: `import` lines, assignments, calls
//! with keyword arguments, dict and list literals, double-quoted strings
//! with escapes and `%` placeholders, numbers, `True`/`False`/`None`, `+`.
//! Anything else gives up, and hand-written Python never comes here.

use super::{Scan, Token};

const IMPORT: &str = "source.python meta.statement.import.python keyword.control.import.python";
const ASSIGN: &str = "source.python keyword.operator.assignment.python";
const PLUS: &str = "source.python keyword.operator.arithmetic.python";
const CALL: &str = "source.python meta.function-call.python meta.qualified-name.python variable.function.python meta.generic-name.python";
const BUILTIN: &str = "source.python meta.function-call.python meta.qualified-name.python variable.function.python support.function.builtin.python";
const KEYWORD_ARG: &str =
    "source.python meta.function-call.arguments.python variable.parameter.python";
const CONSTANT: &str = "source.python constant.language.python";
const INT: &str = "source.python constant.numeric.integer.decimal.python";
const FLOAT: &str = "source.python constant.numeric.float.decimal.python";
const POINT: &str =
    "source.python constant.numeric.float.decimal.python punctuation.separator.decimal.python";
const QUOTE: &str = "source.python meta.string.python string.quoted.double.python punctuation.definition.string.begin.python";
const TEXT: &str = "source.python meta.string.python string.quoted.double.python";
const ESCAPE: &str =
    "source.python meta.string.python string.quoted.double.python constant.character.escape.python";
const UNICODE: &str = "source.python meta.string.python string.quoted.double.python constant.character.escape.unicode.32-bit-hex.python";
const PLACEHOLDER: &str = "source.python meta.string.python string.quoted.double.python constant.other.placeholder.python";
const SQL: &str =
    "source.python meta.string.python string.quoted.double.python source.sql keyword.other.DML.sql";

/// Names that are not plain names to the grammar; the generated code uses
/// none of them but `import`, the constants and `print`.
const KEYWORDS: &[&str] = &[
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "finally", "for", "from", "global", "if", "in", "is", "lambda", "match",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

pub(super) fn lex(code: &str) -> Option<Vec<Token>> {
    let mut s = Scan::new(code);
    // Brackets open: whether each is a call's parentheses.
    let mut open: Vec<(bool, char)> = Vec::new();
    while let Some(c) = s.peek() {
        match c {
            ' ' | '\n' => s.emit(1, ""),
            '"' => string(&mut s)?,
            '0'..='9' => super::number(&mut s, INT, FLOAT, POINT)?,
            c if c.is_alphanumeric() || c == '_' => word(&mut s, &open)?,
            '(' | '[' | '{' => {
                let call = c == '(' && (s.after_word() || s.after(")"));
                let closer = match c {
                    '(' => ')',
                    '[' => ']',
                    _ => '}',
                };
                open.push((call, closer));
                s.emit(1, "");
            }
            ')' | ']' | '}' => {
                if open.pop()?.1 != c {
                    return None;
                }
                s.emit(1, "");
            }
            ',' | ':' | '.' => s.emit(1, ""),
            '=' if !s.at("==") => s.emit(1, ASSIGN),
            '+' if !s.at("+=") => s.emit(1, PLUS),
            _ => return None,
        }
    }
    open.is_empty().then(|| s.finish())
}

fn word(s: &mut Scan, open: &[(bool, char)]) -> Option<()> {
    let rest = s.rest();
    let w = &rest[..rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len())];
    let after = &s.rest()[w.len()..];
    let in_call = open.last().is_some_and(|b| b.0);
    let scope = match w {
        "import" if s.line().trim().is_empty() && open.is_empty() => IMPORT,
        "True" | "False" | "None" => CONSTANT,
        _ if KEYWORDS.contains(&w) || w.starts_with("__") => return None,
        "print" if after.starts_with('(') && !s.after(".") => BUILTIN,
        _ if after.starts_with('(') => {
            if !s.after(".") && w.chars().next().is_some_and(char::is_uppercase) {
                return None;
            }
            CALL
        }
        // A keyword argument (`timeout=30`) starts an argument.
        _ if in_call && after.starts_with('=') && !after.starts_with("==") => {
            if !s.before().trim_end().ends_with(['(', ',']) {
                return None;
            }
            KEYWORD_ARG
        }
        // All-caps names are constants to the grammar; not generated.
        _ if w.len() > 1 && w.chars().all(|c| c.is_uppercase() || c == '_') => return None,
        _ => "",
    };
    s.emit(w.len(), scope);
    Some(())
}

/// A double-quoted string: text, escapes, `%` placeholders. Braces (format
/// fields to the grammar) and a start like SQL give up.
fn string(s: &mut Scan) -> Option<()> {
    s.emit(1, QUOTE);
    let end = s.rest().find(['"', '\n'])?;
    let content = &s.rest()[..end];
    if content == "DELETE" {
        // The grammar takes a string that is an SQL verb for SQL.
        s.emit(end, SQL);
        s.emit(1, QUOTE);
        return Some(());
    }
    let first = content.trim_start();
    let sql = [
        "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "REPLACE", "ALTER", "WITH",
    ];
    if sql.iter().any(|k| first.starts_with(k)) {
        return None;
    }
    loop {
        s.eat_while(|c| !matches!(c, '"' | '\\' | '%' | '{' | '}' | '\n'), TEXT);
        match s.peek()? {
            '"' => {
                s.emit(1, QUOTE);
                return Some(());
            }
            '\\' => match s.rest()[1..].chars().next()? {
                '\\' | '"' | '\'' | 'n' | 'r' | 't' | 'b' | 'f' => s.emit(2, ESCAPE),
                'u' if s
                    .rest()
                    .get(2..6)
                    .is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit())) =>
                {
                    s.emit(6, UNICODE)
                }
                _ => return None,
            },
            '%' => match placeholder(s.rest()) {
                Some(n) => s.emit(n, PLACEHOLDER),
                None => s.emit(1, TEXT),
            },
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
