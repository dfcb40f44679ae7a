//! Code as a snippet writer writes it: the text, and what kind of token
//! each piece is ([`Kind`]). A writer knows what every piece of its own
//! output is, so the page highlights generated code without a lexer or a
//! grammar; the shell snippets go through the shell lexer, which is total.

use crate::render::highlight::{shell_tokens, Kind, Token};

/// Generated code with its tokens.
#[derive(Debug, Clone, Default)]
pub struct Code {
    text: String,
    tokens: Vec<Token>,
}

impl Code {
    /// Empty code, to be written piece by piece.
    pub fn new() -> Self {
        Code::default()
    }

    /// Shell code, tokenised by the shell lexer.
    pub fn shell(text: String) -> Self {
        let tokens = shell_tokens(&text);
        Code { text, tokens }
    }

    /// Appends `text` as a token of `kind`.
    pub fn push(&mut self, text: &str, kind: Kind) {
        if text.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(text);
        match self.tokens.last_mut() {
            Some((end, k)) if *k == kind && *end == start => *end = self.text.len(),
            _ => self.tokens.push((self.text.len(), kind)),
        }
    }

    /// Appends fixed pieces, each with its kind.
    pub fn extend(&mut self, pieces: &[(&str, Kind)]) {
        for (text, kind) in pieces {
            self.push(text, *kind);
        }
    }

    /// Appends text the themes leave plain (punctuation, plain names).
    pub fn plain(&mut self, text: &str) {
        self.push(text, Kind::Plain);
    }

    /// The code.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The code, without its tokens.
    pub fn into_text(self) -> String {
        self.text
    }

    /// The tokens: where each ends (a byte offset) and its kind. They
    /// cover the text exactly.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// The pieces of the code and their kinds, plain pieces trimmed and
    /// whitespace left out: what a test pins down.
    pub fn runs(&self) -> Vec<(&str, Kind)> {
        let mut pos = 0;
        let mut out = Vec::new();
        for &(end, kind) in &self.tokens {
            let text = &self.text[pos..end];
            match kind {
                Kind::Plain if text.trim().is_empty() => {}
                Kind::Plain => out.push((text.trim(), kind)),
                _ => out.push((text, kind)),
            }
            pos = end;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_of_one_kind_are_one_token() {
        let mut c = Code::new();
        c.push("a", Kind::String);
        c.push(" b", Kind::String);
        c.plain(" ");
        c.plain("(");
        assert_eq!(c.text(), "a b (");
        assert_eq!(c.tokens(), &[(3, Kind::String), (5, Kind::Plain)][..]);
        assert_eq!(c.runs(), vec![("a b", Kind::String), ("(", Kind::Plain)]);
    }
}
