//! Fast lexers for the code stepdoc highlights most: JSON payloads and
//! shell commands (hand-written, and the cURL and HTTPie snippets stepdoc
//! writes).
//!
//! syntect spends most of a cold build compiling and running the regular
//! expressions of large grammars (and oniguruma compiles one expression at
//! a time, process-wide). Each lexer here recognises a limited shape of its
//! language and tags every token with the scope stack syntect's grammar
//! gives it, so the highlighted HTML is byte for byte what syntect would
//! produce (`tests/highlight.rs` checks it on every generated snippet, the
//! walkthrough's samples, tricky values and random programs). Anything a lexer does not recognise makes it give up
//! (`None`) and the code goes to syntect: a lexer may be incomplete, never
//! different.

mod json;
mod shell;
mod shell_helpers;

pub(super) use super::Token;

/// Tokens for `code` in `lang` (a canonical name: aliases resolved by the
/// caller), or None when no lexer here is sure of it.
pub(super) fn tokens(code: &str, lang: &str) -> Option<Vec<Token>> {
    match lang {
        "json" => json::lex(code),
        "bash" => shell::lex(code),
        _ => None,
    }
}

/// A cursor over the code that collects tokens.
pub(super) struct Scan<'a> {
    src: &'a str,
    pos: usize,
    toks: Vec<Token>,
}

impl<'a> Scan<'a> {
    pub fn new(src: &'a str) -> Self {
        Scan {
            src,
            pos: 0,
            toks: Vec::with_capacity(src.len() / 4),
        }
    }

    /// The code not yet tokenised.
    pub fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    pub fn done(&self) -> bool {
        self.pos >= self.src.len()
    }

    pub fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    pub fn at(&self, prefix: &str) -> bool {
        self.rest().starts_with(prefix)
    }

    /// The next `len` bytes are one token with `scope`.
    pub fn emit(&mut self, len: usize, scope: &'static str) {
        debug_assert!(len > 0);
        self.pos += len;
        match self.toks.last_mut() {
            // Same scope, one token: keeps whitespace inside styled text
            // together the way syntect does.
            Some((end, s)) if *s == scope && !scope.is_empty() && *end == self.pos - len => {
                *end = self.pos
            }
            _ => self.toks.push((self.pos, scope)),
        }
    }

    /// The length of the longest prefix whose chars satisfy `f`.
    pub fn span(&self, f: impl Fn(char) -> bool) -> usize {
        self.rest().find(|c| !f(c)).unwrap_or(self.rest().len())
    }

    /// Emits the longest prefix whose chars satisfy `f`; its length.
    pub fn eat_while(&mut self, f: impl Fn(char) -> bool, scope: &'static str) -> usize {
        let n = self.span(f);
        if n > 0 {
            self.emit(n, scope);
        }
        n
    }

    /// The identifier (ASCII letters, digits, `_`) at the cursor, if any.
    pub fn word(&self) -> &'a str {
        let n = self
            .rest()
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(self.rest().len());
        &self.rest()[..n]
    }

    pub fn finish(self) -> Vec<Token> {
        self.toks
    }
}
