//! Python, as syntect's Python grammar scopes it, for the snippets stepdoc
//! writes: imports, assignments, calls with keyword arguments, dict and
//! list literals, double-quoted strings with JSON escapes and `%`
//! placeholders, numbers, `True`/`False`/`None`. Anything else (braces in
//! strings, f-strings, other statements) gives up.

use super::{Scan, Token};

const IMPORT: &str = "source.python meta.statement.import.python keyword.control.import.python";
const ASSIGN: &str = "source.python keyword.operator.assignment.python";
const ARITHMETIC: &str = "source.python keyword.operator.arithmetic.python";
const FUNCTION: &str = "source.python meta.function-call.python meta.qualified-name.python variable.function.python meta.generic-name.python";
const BUILTIN: &str = "source.python meta.function-call.python meta.qualified-name.python variable.function.python support.function.builtin.python";
const PARAMETER: &str =
    "source.python meta.function-call.arguments.python variable.parameter.python";
const QUOTE: &str = "source.python meta.string.python string.quoted.double.python punctuation.definition.string.begin.python";
const TEXT: &str = "source.python meta.string.python string.quoted.double.python";
const ESCAPE: &str =
    "source.python meta.string.python string.quoted.double.python constant.character.escape.python";
const UNICODE: &str = "source.python meta.string.python string.quoted.double.python constant.character.escape.unicode.32-bit-hex.python";
const PLACEHOLDER: &str = "source.python meta.string.python string.quoted.double.python constant.other.placeholder.python";
const SQL: &str =
    "source.python meta.string.python string.quoted.double.python source.sql keyword.other.DML.sql";
const INT: &str = "source.python constant.numeric.integer.decimal.python";
const FLOAT: &str = "source.python constant.numeric.float.decimal.python";
const POINT: &str =
    "source.python constant.numeric.float.decimal.python punctuation.separator.decimal.python";
const CONSTANT: &str = "source.python constant.language.python";

/// Keywords that would start a statement this lexer does not know.
const KEYWORDS: &[&str] = &[
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "finally", "for", "from", "global", "if", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

pub(super) fn lex(code: &str) -> Option<Vec<Token>> {
    let mut s = Scan::new(code);
    // Open brackets: whether each is a call's argument list.
    let mut open: Vec<bool> = Vec::new();
    while let Some(c) = s.peek() {
        match c {
            ' ' | '\n' | ',' | ':' | '.' => s.emit(1, ""),
            '{' | '[' => {
                open.push(false);
                s.emit(1, "");
            }
            '(' => {
                // Only calls: a name must come right before.
                if !s.after_word() {
                    return None;
                }
                open.push(true);
                s.emit(1, "");
            }
            '}' | ']' | ')' => {
                open.pop()?;
                s.emit(1, "");
            }
            '=' => s.emit(1, ASSIGN),
            '+' | '-' => s.emit(1, ARITHMETIC),
            '"' => string(&mut s)?,
            '0'..='9' => super::number(&mut s, INT, FLOAT, POINT)?,
            'a'..='z' | 'A'..='Z' | '_' => {
                let word = s.word();
                let next = s.rest()[word.len()..].chars().next();
                let in_call = open.last() == Some(&true);
                let scope = match word {
                    "import" if s.at_line_start() => IMPORT,
                    "True" | "False" | "None" => CONSTANT,
                    "print" if next == Some('(') => BUILTIN,
                    _ if KEYWORDS.contains(&word) => return None,
                    _ if next == Some('(') && s.after(".") => FUNCTION,
                    _ if next == Some('(') => return None,
                    _ if next == Some('=') && in_call => PARAMETER,
                    _ => "",
                };
                s.emit(word.len(), scope);
            }
            _ => return None,
        }
    }
    open.is_empty().then(|| s.finish())
}

/// A double-quoted string with the escapes serde_json writes.
fn string(s: &mut Scan) -> Option<()> {
    if s.after_word() {
        return None; // a prefix like f"" or b""
    }
    s.emit(1, QUOTE);
    let end = s.rest().find('"')?;
    let content = &s.rest()[..end];
    if content == "DELETE" {
        s.emit(end, SQL);
        s.emit(1, QUOTE);
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
        s.eat_while(|c| !matches!(c, '"' | '\\' | '%' | '{' | '}'), TEXT);
        match s.peek()? {
            '"' => {
                s.emit(1, QUOTE);
                return Some(());
            }
            '\\' => {
                let next = s.rest()[1..].chars().next()?;
                match next {
                    '\\' | '"' | 'n' | 'r' | 't' | 'b' | 'f' => s.emit(2, ESCAPE),
                    'u' => s.emit(6, UNICODE),
                    _ => return None,
                }
            }
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
