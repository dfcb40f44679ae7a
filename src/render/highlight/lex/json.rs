//! JSON, as syntect's JSON grammar scopes it. Only valid JSON (checked by
//! serde_json; one value or a sequence of them, as in JSON Lines) is lexed
//! here; anything else (comments, `...` placeholders,
//! trailing commas) goes to syntect.

use serde::de::IgnoredAny;

use super::{Scan, Token};

const QUOTE: &str = "string.quoted.double.json punctuation.definition.string.begin.json";
const TEXT: &str = "string.quoted.double.json";
const ESCAPE: &str = "string.quoted.double.json constant.character.escape.json";
const INT: &str = "constant.numeric.integer.decimal.json";
const FLOAT: &str = "constant.numeric.float.decimal.json";
const POINT: &str = "constant.numeric.float.decimal.json punctuation.separator.decimal.json";
const CONST: &str = "constant.language.json";

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
                s.eat_while(|c| c.is_ascii_alphabetic(), CONST);
            }
            _ => s.emit(c.len_utf8(), ""),
        }
    }
    Some(s.finish())
}

/// A string: its quotes, text and escapes.
pub(super) fn string(s: &mut Scan) -> Option<()> {
    s.emit(1, QUOTE);
    loop {
        s.eat_while(|c| c != '"' && c != '\\', TEXT);
        match s.peek()? {
            '"' => {
                s.emit(1, QUOTE);
                return Some(());
            }
            _ => {
                let len = if s.at("\\u") { 6 } else { 2 };
                s.emit(len, ESCAPE);
            }
        }
    }
}

/// A number: integers in one token; floats split around the decimal point.
fn number(s: &mut Scan) {
    let rest = s.rest();
    let len = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
        .unwrap_or(rest.len());
    let text = &rest[..len];
    if !text.contains(['.', 'e', 'E']) {
        s.emit(len, INT);
    } else if let Some(point) = text.find('.') {
        if point > 0 {
            s.emit(point, FLOAT);
        }
        s.emit(1, POINT);
        if len > point + 1 {
            s.emit(len - point - 1, FLOAT);
        }
    } else {
        s.emit(len, FLOAT);
    }
}
