//! POSIX shell, as syntect's Bash grammar scopes it, for the commands
//! stepdoc writes (cURL and HTTPie) and fences like them: `curl`, `http` or
//! `echo` with options, bare words, single- and double-quoted words,
//! `$NAME` / `${NAME}` in double quotes, `\'` between quotes and `\` line
//! continuations, and the helpers stepdoc's snippets define and call to
//! place a value (see `shell_helpers`). Anything else (pipes, `;`, other
//! `$(...)`, comments, other commands) gives up.

use super::shell_helpers::{self, CALL_NAME, CALL_TAIL, HELPERS};
use super::{Scan, Token};

const COMMAND: &str = "source.shell.bash meta.function-call.shell variable.function.shell";
const ECHO: &str = "source.shell.bash meta.function-call.shell support.function.echo.shell";
const ARGS: &str = "source.shell.bash meta.function-call.arguments.shell";
const DASHES: &str = "source.shell.bash meta.function-call.arguments.shell variable.parameter.option.shell punctuation.definition.parameter.shell";
const OPTION: &str =
    "source.shell.bash meta.function-call.arguments.shell variable.parameter.option.shell";
const CONTINUATION: &str = "source.shell.bash meta.function-call.arguments.shell punctuation.separator.continuation.line.shell";
const ESCAPE: &str =
    "source.shell.bash meta.function-call.arguments.shell constant.character.escape.shell";
const SINGLE_QUOTE: &str = "source.shell.bash meta.function-call.arguments.shell string.quoted.single.shell punctuation.definition.string.begin.shell";
const SINGLE: &str =
    "source.shell.bash meta.function-call.arguments.shell string.quoted.single.shell";
const DOUBLE_QUOTE: &str = "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell punctuation.definition.string.begin.shell";
const DOUBLE: &str =
    "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell";
const DOLLAR: &str = "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.parameter.shell punctuation.definition.variable.shell";
const BRACE: &str = "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.parameter.shell punctuation.section.expansion.parameter.begin.shell";
const VARIABLE: &str = "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.parameter.shell variable.other.readwrite.shell";

pub(super) fn lex(code: &str) -> Option<Vec<Token>> {
    let mut s = Scan::new(code);
    while definition(&mut s).is_some() {}
    while !s.done() {
        command(&mut s)?;
    }
    Some(s.finish())
}

/// One command line, with its continuation lines and the final newline.
fn command(s: &mut Scan) -> Option<()> {
    let word = s.word();
    if !boundary(&s.rest()[word.len()..]) {
        return None;
    }
    let options = match word {
        "curl" | "http" => {
            s.emit(4, COMMAND);
            true
        }
        "echo" => {
            s.emit(4, ECHO);
            false
        }
        _ => return None,
    };
    loop {
        match s.peek() {
            None => return Some(()),
            Some('\n') => {
                s.emit(1, "");
                return Some(());
            }
            Some(' ') => {
                let spaces = s.span(|c| c == ' ');
                let after = &s.rest()[spaces..];
                let dashes = after.len() - after.trim_start_matches('-').len();
                let name = after[dashes..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                    .unwrap_or(after.len() - dashes);
                if dashes > 0 && !options {
                    return None; // echo's arguments are not options
                }
                if (1..=2).contains(&dashes) && name > 0 && boundary(&after[dashes + name..]) {
                    s.emit(spaces + dashes, DASHES);
                    s.emit(name, OPTION);
                } else if dashes > 0 {
                    return None; // `-x=1`, `--opt'v'`, `---`: not modelled
                } else {
                    s.emit(spaces, ARGS);
                }
            }
            Some('\\') if s.at("\\\n") => s.emit(2, CONTINUATION),
            Some('\\') if s.at("\\'") => s.emit(2, ESCAPE),
            Some('\'') => {
                s.emit(1, SINGLE_QUOTE);
                s.eat_while(|c| c != '\'', SINGLE);
                s.peek()?;
                s.emit(1, SINGLE_QUOTE);
            }
            Some('"') => double_quoted(s)?,
            Some(_) => {
                let n = s.span(|c| !c.is_whitespace() && !is_special(c));
                if n == 0 {
                    return None;
                }
                s.emit(n, ARGS);
            }
        }
    }
}

/// Whether an option's name ends here (not `-x=1`, `-x'y'`).
fn boundary(rest: &str) -> bool {
    rest.is_empty() || rest.starts_with([' ', '\n'])
}

/// Characters that make a shell word more than a literal.
fn is_special(c: char) -> bool {
    matches!(
        c,
        '\'' | '"'
            | '\\'
            | '$'
            | '`'
            | '|'
            | '&'
            | ';'
            | '<'
            | '>'
            | '('
            | ')'
            | '{'
            | '}'
            | '['
            | ']'
            | '*'
            | '?'
            | '!'
            | '#'
            | '~'
            | '='
            | '%'
    )
}

/// A call to one of the snippets' helpers (`$(urlencode "$NAME")`, see
/// `shell_helpers`); any other command substitution gives up.
fn helper_call(s: &mut Scan) -> Option<()> {
    let joined =
        |pieces: &[(&str, &'static str)]| pieces.iter().map(|(t, _)| *t).collect::<String>();
    let tail = joined(CALL_TAIL);
    let (helper, name_len) = HELPERS.iter().find_map(|helper| {
        let rest = s
            .rest()
            .strip_prefix(shell_helpers::call_text(helper).as_str())?;
        let name_len = rest.find('"')?;
        let known = crate::content::request::is_identifier(&rest[..name_len])
            && rest[name_len..].starts_with(tail.as_str());
        known.then_some((helper, name_len))
    })?;
    shell_helpers::call_head(helper, &mut |text, scope| s.emit(text.len(), scope));
    s.emit(name_len, CALL_NAME);
    emit_all(s, CALL_TAIL);
    Some(())
}

/// Emits `pieces` as they are.
fn emit_all(s: &mut Scan, pieces: &[(&str, &'static str)]) {
    for (text, scope) in pieces {
        s.emit(text.len(), scope);
    }
}

/// A helper's definition line at the start of `s`, if it is one.
fn definition(s: &mut Scan) -> Option<()> {
    let helper = HELPERS
        .iter()
        .find(|h| s.rest().starts_with(h.text().as_str()))?;
    shell_helpers::define(helper, &mut |text, scope| s.emit(text.len(), scope));
    Some(())
}

/// `"text $NAME ${NAME}"`; backslashes and backquotes give up.
fn double_quoted(s: &mut Scan) -> Option<()> {
    s.emit(1, DOUBLE_QUOTE);
    loop {
        s.eat_while(|c| !matches!(c, '"' | '$' | '\\' | '`'), DOUBLE);
        match s.peek()? {
            '"' => {
                s.emit(1, DOUBLE_QUOTE);
                return Some(());
            }
            '$' if s.at("$(") => helper_call(s)?,
            '$' => {
                s.emit(1, DOLLAR);
                let braced = s.at("{");
                if braced {
                    s.emit(1, BRACE);
                }
                let name = s.word();
                if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                    return None;
                }
                s.emit(name.len(), VARIABLE);
                if braced {
                    if !s.at("}") {
                        return None;
                    }
                    s.emit(1, BRACE);
                }
            }
            _ => return None,
        }
    }
}
