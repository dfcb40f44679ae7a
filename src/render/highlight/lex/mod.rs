//! Fast lexers for the code stepdoc highlights most: JSON payloads and
//! shell commands (hand-written or not), and the request snippets it
//! generates itself (cURL, HTTPie, PowerShell, Python, JavaScript, Rust).
//!
//! syntect spends most of a cold build compiling and running the regular
//! expressions of large grammars (and oniguruma compiles one expression at
//! a time, process-wide). Each lexer here recognises a limited shape of its
//! language and tags every token with the scope stack syntect's grammar
//! gives it, so the highlighted HTML is byte for byte what syntect would
//! produce (`tests/highlight.rs` checks it on every generated snippet, the
//! walkthrough's samples and code, tricky values, and this repository's own
//! Rust and Python). Anything a lexer does not recognise makes it give up
//! (`None`) and the code goes to syntect: a lexer may be incomplete, never
//! different.

mod json;
mod powershell;
mod python;
mod rust;
mod script;
mod shell;

/// A token: where it ends (byte offset) and its scope stack, as syntect
/// would give it, space-separated ("" for text the themes leave plain).
pub(super) type Token = (usize, &'static str);

/// Tokens for hand-written `code` in `lang`: JSON and shell only (payloads
/// and cURL examples are most of what authors write, and these two lexers
/// know their languages' common shapes); anything else goes to syntect.
pub(super) fn tokens_of_any_code(code: &str, lang: &str) -> Option<Vec<Token>> {
    match lang {
        "json" => json::lex(code),
        "bash" => shell::lex(code),
        _ => None,
    }
}

/// Tokens for `code` in `lang` (a canonical name: aliases resolved by the
/// caller) that stepdoc generated, or None when no lexer here is sure of it.
pub(super) fn tokens(code: &str, lang: &str) -> Option<Vec<Token>> {
    match lang {
        "json" => json::lex(code),
        "bash" => shell::lex(code),
        "python" => python::lex(code),
        "javascript" => script::lex(code),
        "powershell" => powershell::lex(code),
        "rust" => rust::lex(code),
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

    /// Whether the text before the cursor ends with `suffix`.
    pub fn after(&self, suffix: &str) -> bool {
        self.src[..self.pos].ends_with(suffix)
    }

    /// Whether the char before the cursor belongs to an identifier.
    pub fn after_word(&self) -> bool {
        self.src[..self.pos]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    }

    /// The code before the cursor.
    pub fn before(&self) -> &'a str {
        &self.src[..self.pos]
    }

    /// The current line up to the cursor.
    pub fn line(&self) -> &'a str {
        let before = &self.src[..self.pos];
        &before[before.rfind('\n').map_or(0, |i| i + 1)..]
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

/// A decimal number: an integer in one token, a float split around its
/// point (`1`, `.`, `5`), as the C-like grammars scope them. Exponents and
/// suffixes give up.
pub(super) fn number(
    s: &mut Scan,
    int: &'static str,
    float: &'static str,
    point: &'static str,
) -> Option<()> {
    let digits = s.span(|c| c.is_ascii_digit());
    let rest = &s.rest()[digits..];
    // A point belongs to the number only with a digit after it (`2..` is a
    // range, `1.` gives up below).
    let len = if rest.starts_with('.') && rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
        digits
            + 1
            + rest[1..]
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len() - 1)
    } else {
        digits
    };
    if s.rest()[len..].starts_with('.') && !s.rest()[len..].starts_with("..") {
        return None;
    }
    if s.rest()[len..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    match s.rest()[..len].find('.') {
        None => s.emit(len, int),
        Some(at) => {
            if at > 0 {
                s.emit(at, float);
            }
            s.emit(1, point);
            if len > at + 1 {
                s.emit(len - at - 1, float);
            }
        }
    }
    Some(())
}
