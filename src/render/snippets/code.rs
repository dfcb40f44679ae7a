//! Code as a snippet writer writes it: the text, and for each piece the
//! scope stack syntect's grammar gives it. A writer knows what every piece
//! of its own output is, so the page highlights generated code without a
//! lexer (and without syntect, which costs most of a cold build). Where a
//! writer is not sure of a piece's scopes (a value that the grammar reads
//! in a way it does not model), it says so and the snippet goes to syntect.

use crate::render::highlight::Token;

/// Generated code with its tokens.
#[derive(Debug, Clone, Default)]
pub struct Code {
    text: String,
    tokens: Vec<Token>,
    /// False once a piece was written whose scopes the writer does not
    /// know, or when the writer does not tokenise at all.
    sure: bool,
}

impl Code {
    /// Code whose writer gives the scope of each piece it writes.
    pub fn new() -> Self {
        Code {
            sure: true,
            ..Code::default()
        }
    }

    /// Text with no tokens: it is highlighted like hand-written code.
    pub fn untokenised(text: String) -> Self {
        Code {
            text,
            tokens: Vec::new(),
            sure: false,
        }
    }

    /// Appends `text` with `scope`.
    pub fn push(&mut self, text: &str, scope: &'static str) {
        if text.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(text);
        match self.tokens.last_mut() {
            // Same scope, one token: keeps whitespace inside styled text
            // together the way syntect does.
            Some((end, s)) if *s == scope && !scope.is_empty() && *end == start => {
                *end = self.text.len()
            }
            _ => self.tokens.push((self.text.len(), scope)),
        }
    }

    /// Appends fixed pieces, each with its scope.
    pub fn extend(&mut self, pieces: &[(&str, &'static str)]) {
        for (text, scope) in pieces {
            self.push(text, scope);
        }
    }

    /// Appends text the themes leave plain (punctuation, plain names).
    pub fn plain(&mut self, text: &str) {
        self.push(text, "");
    }

    /// Appends `text` whose scopes the writer does not know: the whole
    /// snippet goes to syntect.
    pub fn unsure(&mut self, text: &str) {
        self.push(text, "");
        self.sure = false;
    }

    /// The code.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The code, without its tokens.
    pub fn into_text(self) -> String {
        self.text
    }

    /// The tokens, when the writer knew every piece's scopes.
    pub fn tokens(&self) -> Option<&[Token]> {
        self.sure.then_some(self.tokens.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_of_one_scope_are_one_token_and_plain_pieces_stay_apart() {
        let mut c = Code::new();
        c.push("a", "s");
        c.push(" b", "s");
        c.plain(" ");
        c.plain("(");
        assert_eq!(c.text(), "a b (");
        assert_eq!(c.tokens(), Some(&[(3, "s"), (4, ""), (5, "")][..]));
        c.unsure("?");
        assert_eq!(c.tokens(), None);
        assert_eq!(Code::untokenised("x".into()).tokens(), None);
    }
}
