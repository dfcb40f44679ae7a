//! JSON: strings, escapes, numbers and constants. Only valid JSON (checked
//! by serde_json; one value or a sequence of them, as in JSON Lines) is
//! lexed here; anything else (comments, `...` placeholders, trailing
//! commas) goes to syntect.

use serde::de::IgnoredAny;

use super::{Kind, Scan, Token};

pub(super) fn lex(code: &str) -> Option<Vec<Token>> {
    // One value, or several separated by whitespace (JSON Lines).
    let mut values = serde_json::Deserializer::from_str(code).into_iter::<IgnoredAny>();
    values.next()?.ok()?;
    if !values.all(|v| v.is_ok()) {
        return None;
    }
    let mut s = Scan::new(code);
    while let Some(c) = s.peek() {
        match c {
            '"' => string(&mut s)?,
            '-' | '0'..='9' => number(&mut s),
            't' | 'f' | 'n' => {
                s.eat_while(|c| c.is_ascii_alphabetic(), Kind::Constant);
            }
            _ => s.emit(c.len_utf8(), Kind::Plain),
        }
    }
    Some(s.finish())
}

/// A string: its quotes, text and escapes.
pub(super) fn string(s: &mut Scan) -> Option<()> {
    s.emit(1, Kind::String);
    loop {
        s.eat_while(|c| c != '"' && c != '\\', Kind::String);
        match s.peek()? {
            '"' => {
                s.emit(1, Kind::String);
                return Some(());
            }
            _ => {
                let len = if s.at("\\u") { 6 } else { 2 };
                s.emit(len, Kind::Escape);
            }
        }
    }
}

/// A number.
fn number(s: &mut Scan) {
    let rest = s.rest();
    let len = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
        .unwrap_or(rest.len());
    s.emit(len, Kind::Number);
}
