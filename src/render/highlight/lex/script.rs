//! JavaScript, as syntect's JavaScript grammar scopes it, for the `fetch`
//! snippets stepdoc writes: `const` bindings, object and array literals,
//! double-quoted strings, numbers, `process.env.NAME`, and the handful of
//! calls the snippets make. Any other name or construct gives up.

use super::{Scan, Token};

const STORAGE: &str = "source.js storage.type.js";
const BINDING: &str = "source.js meta.binding.name.js variable.other.readwrite.js";
const VARIABLE: &str = "source.js variable.other.readwrite.js";
const ASSIGN: &str = "source.js keyword.operator.assignment.js";
const ARITHMETIC: &str = "source.js keyword.operator.arithmetic.js";
const AWAIT: &str = "source.js keyword.control.flow.await.js";
const NEW: &str = "source.js keyword.operator.word.new.js";
const TYPE: &str = "source.js meta.function-call.constructor.js variable.type.js";
const FUNCTION: &str = "source.js meta.function-call.js variable.function.js";
const NODE: &str = "source.js support.constant.node.js";
const JSON: &str = "source.js meta.function-call.method.js support.constant.builtin.js";
const BUILTIN: &str = "source.js meta.function-call.method.js support.function.builtin.js";
const SUPPORT: &str = "source.js meta.function-call.method.js support.function.js";
const CONSOLE: &str = "source.js meta.function-call.method.js support.type.object.console.js";
const LOG: &str = "source.js meta.function-call.method.js support.function.console.js";
const QUOTE: &str =
    "source.js meta.string.js string.quoted.double.js punctuation.definition.string.begin.js";
const TEXT: &str = "source.js meta.string.js string.quoted.double.js";
const ESCAPE: &str =
    "source.js meta.string.js string.quoted.double.js constant.character.escape.js";
const INT: &str = "source.js constant.numeric.integer.decimal.js";
const FLOAT: &str = "source.js constant.numeric.float.decimal.js";
const POINT: &str = "source.js constant.numeric.float.decimal.js punctuation.separator.decimal.js";
const TRUE: &str = "source.js constant.language.boolean.true.js";
const FALSE: &str = "source.js constant.language.boolean.false.js";
const NULL: &str = "source.js constant.language.null.js";

pub(super) fn lex(code: &str) -> Option<Vec<Token>> {
    let mut s = Scan::new(code);
    // The closing character of each open bracket.
    let mut closers: Vec<char> = Vec::new();
    while let Some(c) = s.peek() {
        // Statements are `const x = ...;` and `console.log(...);`.
        if closers.is_empty()
            && !matches!(c, ' ' | '\n')
            && s.line().trim().is_empty()
            && !matches!(s.word(), "const" | "console")
        {
            return None;
        }
        match c {
            // Commas and colons only inside brackets (top-level ones are
            // operators to the grammar).
            ',' | ':' if closers.is_empty() => return None,
            ';' if !closers.is_empty() => return None,
            ' ' | '\n' | ',' | ':' | ';' | '.' => s.emit(1, ""),
            '{' | '[' | '(' => {
                closers.push(match c {
                    '(' => ')',
                    '[' => ']',
                    _ => '}',
                });
                s.emit(1, "");
            }
            '}' | ']' | ')' => {
                if closers.pop()? != c {
                    return None;
                }
                s.emit(1, "");
            }
            // An assignment has its value on the same line.
            '=' if !s.at("==") && !s.at("=>") => {
                if s.rest()[1..]
                    .trim_start_matches(' ')
                    .starts_with(['\n', ';'])
                    || s.rest().len() == 1
                {
                    return None;
                }
                s.emit(1, ASSIGN)
            }
            '+' | '-' => s.emit(1, ARITHMETIC),
            '"' => string(&mut s)?,
            '0'..='9' if s.after(".") => return None,
            '0'..='9' => super::number(&mut s, INT, FLOAT, POINT)?,
            'a'..='z' | 'A'..='Z' | '_' => {
                let word = s.word();
                if word == "const" && !s.line().trim().is_empty() {
                    return None;
                }
                let scope = name(&s, word)?;
                s.emit(word.len(), scope);
            }
            _ => return None,
        }
    }
    closers.is_empty().then(|| s.finish())
}

/// The scope of the name `word` at the cursor, or None for names the
/// snippets do not use.
fn name(s: &Scan, word: &str) -> Option<&'static str> {
    let next = s.rest()[word.len()..].chars().next();
    let call = next == Some('(');
    if after_word(s, "process.env.") {
        return (!call).then_some("");
    }
    if s.after(".") {
        return match word {
            "env" if after_word(s, "process.") => Some(NODE),
            "stringify" if after_word(s, "JSON.") && call => Some(BUILTIN),
            "log" if after_word(s, "console.") && call => Some(LOG),
            "toString" if call => Some(SUPPORT),
            "text" if call => Some(FUNCTION),
            "status" if !call => Some(""),
            _ => None,
        };
    }
    if next == Some(':') {
        // An object key.
        return Some("");
    }
    Some(match word {
        "const" => STORAGE,
        "await" => AWAIT,
        "new" => NEW,
        "true" => TRUE,
        "false" => FALSE,
        "null" => NULL,
        "process" if s.rest()[word.len()..].starts_with(".env.") => NODE,
        "JSON" => JSON,
        "console" => CONSOLE,
        "fetch" if call => FUNCTION,
        "URLSearchParams" if after_word(s, "new ") && call => TYPE,
        "body" | "response" if s.after("const ") => BINDING,
        "body" | "response" => VARIABLE,
        _ => return None,
    })
}

/// Whether `text` ends right before the cursor and starts a word.
fn after_word(s: &Scan, text: &str) -> bool {
    let before = s.before();
    before.ends_with(text)
        && !before[..before.len() - text.len()]
            .ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$')
}

/// A double-quoted string; every backslash sequence is an escape.
fn string(s: &mut Scan) -> Option<()> {
    s.emit(1, QUOTE);
    loop {
        s.eat_while(|c| c != '"' && c != '\\' && c != '\n', TEXT);
        match s.peek()? {
            '"' => {
                s.emit(1, QUOTE);
                return Some(());
            }
            '\\' => {
                let len = match s.rest()[1..].chars().next()? {
                    'u' if s
                        .rest()
                        .get(2..6)
                        .is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit())) =>
                    {
                        6
                    }
                    '"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't' => 2,
                    _ => return None,
                };
                s.emit(len, ESCAPE);
            }
            _ => return None,
        }
    }
}
