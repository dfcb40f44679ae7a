//! PowerShell, as syntect's PowerShell grammar scopes it, for the
//! `curl.exe` commands stepdoc writes: options, HTTP methods, single-quoted
//! strings (`''` escapes), double-quoted strings with `$env:NAME`,
//! `( 'a' + $env:NAME + 'b' )` concatenations and backtick continuations.
//! Anything else gives up.

use super::{Scan, Token};

const COMMAND: &str = "source.powershell support.function.powershell";
const OPERATOR: &str = "source.powershell keyword.operator.assignment.powershell";
const CONTINUATION: &str = "source.powershell keyword.operator.other.powershell";
const GROUP: &str = "source.powershell meta.group.simple.subexpression.powershell punctuation.section.group.begin.powershell";
const SINGLE_QUOTE: &str = "source.powershell string.quoted.single.powershell punctuation.definition.string.begin.powershell";
const SINGLE: &str = "source.powershell string.quoted.single.powershell";
const SINGLE_ESCAPE: &str =
    "source.powershell string.quoted.single.powershell constant.character.escape.powershell";
const DOUBLE_QUOTE: &str = "source.powershell string.quoted.double.powershell punctuation.definition.string.begin.powershell";
const DOUBLE: &str = "source.powershell string.quoted.double.powershell";
const DOLLAR: &str = "source.powershell variable.other.readwrite.powershell punctuation.definition.variable.powershell";
const BRACE: &str =
    "source.powershell variable.other.readwrite.powershell punctuation.section.braces.begin";
const DRIVE: &str =
    "source.powershell variable.other.readwrite.powershell support.variable.drive.powershell";
const VARIABLE: &str = "source.powershell variable.other.readwrite.powershell";

/// The words of curl's options as stepdoc writes them (`-X`, `-H`,
/// `--data-raw`, `--data-urlencode`).
const OPTION_WORDS: &[&str] = &["X", "H", "data", "raw", "urlencode"];

pub(super) fn lex(code: &str) -> Option<Vec<Token>> {
    let mut s = Scan::new(code);
    if !s.at("curl.exe ") {
        return None;
    }
    s.emit(8, COMMAND);
    let mut group = false;
    while let Some(c) = s.peek() {
        match c {
            ' ' | '\n' => {
                s.eat_while(|c| c == ' ' || c == '\n', "");
            }
            '`' if s.at("`\n") => s.emit(1, CONTINUATION),
            '-' => {
                s.emit(1, OPERATOR);
                if !s.at("-") && !OPTION_WORDS.contains(&s.word()) {
                    return None;
                }
                let n = s.word().len();
                if n > 0 {
                    s.emit(n, "");
                }
            }
            '(' if !group => {
                group = true;
                s.emit(1, GROUP);
            }
            ')' if group => {
                group = false;
                s.emit(1, GROUP);
            }
            '+' if group => s.emit(1, OPERATOR),
            '$' if group => variable(&mut s)?,
            '\'' => {
                s.emit(1, SINGLE_QUOTE);
                loop {
                    s.eat_while(|c| c != '\'', SINGLE);
                    if s.at("''") {
                        s.emit(2, SINGLE_ESCAPE);
                    } else {
                        s.peek()?;
                        s.emit(1, SINGLE_QUOTE);
                        break;
                    }
                }
            }
            '"' => double_quoted(&mut s)?,
            _ => {
                // An HTTP method.
                let n = s.span(|c| c.is_ascii_uppercase());
                if n == 0 || !s.rest()[n..].starts_with(' ') {
                    return None;
                }
                s.emit(n, "");
            }
        }
    }
    (!group).then(|| s.finish())
}

/// `"text $env:NAME ${env:NAME}"`; anything but plain text and those gives up.
fn double_quoted(s: &mut Scan) -> Option<()> {
    s.emit(1, DOUBLE_QUOTE);
    loop {
        s.eat_while(|c| !matches!(c, '"' | '$' | '`'), DOUBLE);
        match s.peek()? {
            '"' if s.at("\"\"") => return None, // an escaped quote
            '"' => {
                s.emit(1, DOUBLE_QUOTE);
                return Some(());
            }
            '$' => variable(s)?,
            _ => return None,
        }
    }
}

/// `$env:NAME` or `${env:NAME}`.
fn variable(s: &mut Scan) -> Option<()> {
    s.emit(1, DOLLAR);
    let braced = s.at("{");
    if braced {
        s.emit(1, BRACE);
    }
    if !s.at("env:") {
        return None;
    }
    s.emit(4, DRIVE);
    let n = s.word().len();
    if n == 0 {
        return None;
    }
    s.emit(n, VARIABLE);
    if braced {
        if !s.at("}") {
            return None;
        }
        s.emit(1, BRACE);
    }
    Some(())
}
