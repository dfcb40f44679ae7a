//! Fast lexers for the code stepdoc highlights most: JSON payloads and
//! shell commands (hand-written, and the cURL and HTTPie snippets stepdoc
//! writes).
//!
//! syntect spends most of a cold build compiling and running the regular
//! expressions of large grammars (and oniguruma compiles one expression at
//! a time, process-wide). Each lexer here says what kind of token each
//! piece is ([`Kind`]); the themes colour the kinds. The shell lexer is
//! total (any text gets tokens); the JSON lexer takes valid JSON only, and
//! anything else goes to syntect.

mod json;
mod shell;

pub(super) use super::{Kind, Token};

/// Tokens for `code` in `lang` (a canonical name: aliases resolved by the
/// caller), or None when no lexer here is sure of it.
pub(super) fn tokens(code: &str, lang: &str) -> Option<Vec<Token>> {
    match lang {
        "json" => json::lex(code),
        "bash" => Some(shell::lex(code)),
        _ => None,
    }
}

/// Tokens for shell code (the lexer is total).
pub(super) fn shell(code: &str) -> Vec<Token> {
    shell::lex(code)
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

    /// The cursor's byte offset.
    pub fn pos(&self) -> usize {
        self.pos
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

    /// The next `len` bytes are one token of `kind`.
    pub fn emit(&mut self, len: usize, kind: Kind) {
        if len == 0 {
            return;
        }
        self.pos += len;
        match self.toks.last_mut() {
            // Same kind, one token: keeps whitespace inside styled text
            // together.
            Some((end, k)) if *k == kind && *end == self.pos - len => *end = self.pos,
            _ => self.toks.push((self.pos, kind)),
        }
    }

    /// The length of the longest prefix whose chars satisfy `f`.
    pub fn span(&self, f: impl Fn(char) -> bool) -> usize {
        self.rest().find(|c| !f(c)).unwrap_or(self.rest().len())
    }

    /// Emits the longest prefix whose chars satisfy `f`; its length.
    pub fn eat_while(&mut self, f: impl Fn(char) -> bool, kind: Kind) -> usize {
        let n = self.span(f);
        self.emit(n, kind);
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
