//! POSIX shell and bash as people write them in API docs, and as stepdoc's
//! cURL and HTTPie snippets are written: commands and their options,
//! assignments (`export TOKEN=$(curl …)`), keywords, quotes, `$NAME`,
//! `${…}`, `$(…)`, `$((…))` and backquotes (their commands lexed as shell),
//! escapes, comments, pipes and lists, redirections, heredocs and `\` line
//! continuations.
//!
//! The lexer is total: any text gets tokens that cover it exactly, so a
//! shell fence never needs a grammar engine. Text the shell itself would
//! reject (an unclosed quote) is tokenised as far as it goes.

use super::{Kind, Scan, Token};

/// Words that are shell syntax where a command starts.
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
    "in", "function", "select", "time", "!", "{", "}", "[[", "]]",
];

/// Keywords after which another command starts.
const LEAD_INS: &[&str] = &[
    "if", "then", "else", "elif", "while", "until", "do", "time", "!", "{",
];

/// Builtins whose arguments are assignments (`export NAME=value`).
const DECLARATIONS: &[&str] = &["export", "local", "declare", "readonly", "typeset"];

/// Operators, longest first.
const OPERATORS: &[&str] = &[
    "<<<", "&&", "||", ";;", "|&", ">>", ">&", "<&", "&>", ">|", "|", "&", ";", "(", ")", ">", "<",
];

pub(super) fn lex(code: &str) -> Vec<Token> {
    let mut lexer = Lexer {
        s: Scan::new(code),
        command: true,
        word: Word::None,
        declaring: false,
        redirect: false,
        heredocs: Vec::new(),
    };
    lexer.commands(None);
    lexer.s.finish()
}

/// What the word being read is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Word {
    /// Between words.
    None,
    /// The command's name.
    Command,
    /// An assignment's value: another command may follow.
    Assignment,
    /// Any other argument.
    Argument,
}

/// A heredoc whose body starts on the next line.
struct Heredoc {
    delimiter: String,
    /// `<<-`: leading tabs are removed.
    tabs: bool,
    /// The delimiter was quoted: the body is not expanded.
    literal: bool,
}

struct Lexer<'a> {
    s: Scan<'a>,
    /// The next word starts a command.
    command: bool,
    word: Word,
    /// The command is `export` or the like.
    declaring: bool,
    /// The next word is a redirection's target.
    redirect: bool,
    heredocs: Vec<Heredoc>,
}

impl Lexer<'_> {
    /// Commands up to `end` (the `)` of a `$(…)` or a backquote), which is
    /// left for the caller; to the end of the text when `end` is None.
    fn commands(&mut self, end: Option<char>) {
        let mut depth = 0i32;
        while let Some(c) = self.s.peek() {
            if Some(c) == end && (c == '`' || depth == 0) {
                return;
            }
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            self.next(c);
        }
    }

    /// One piece at the cursor, which starts with `c`.
    fn next(&mut self, c: char) {
        match c {
            '\n' => {
                self.end_word();
                self.s.emit(1, Kind::Plain);
                self.command = true;
                self.declaring = false;
                self.bodies();
            }
            ' ' | '\t' | '\r' => {
                self.end_word();
                self.s
                    .eat_while(|c| matches!(c, ' ' | '\t' | '\r'), Kind::Plain);
            }
            '#' if self.word == Word::None => {
                self.s.eat_while(|c| c != '\n', Kind::Comment);
            }
            '\\' if self.s.at("\\\n") => {
                self.end_word();
                self.s.emit(1, Kind::Operator);
                self.s.emit(1, Kind::Plain);
            }
            _ if self.at_operator() => {
                self.end_word();
                self.operator();
            }
            _ => self.word_piece(c),
        }
    }

    /// The word being read ends.
    fn end_word(&mut self) {
        match std::mem::replace(&mut self.word, Word::None) {
            Word::Command => self.command = false,
            Word::Argument => self.redirect = false,
            Word::None | Word::Assignment => {}
        }
    }

    fn at_operator(&self) -> bool {
        OPERATORS.iter().any(|op| self.s.at(op))
    }

    /// The operator at the cursor.
    fn operator(&mut self) {
        if self.s.at("<<") && !self.s.at("<<<") {
            return self.heredoc();
        }
        let Some(op) = OPERATORS.iter().find(|op| self.s.at(op)) else {
            return;
        };
        self.s.emit(op.len(), Kind::Operator);
        if op.starts_with(['<', '>']) || op.ends_with(['<', '>']) {
            self.redirect = true;
        } else {
            // After `)` too: `f() { …; }` defines a function.
            self.command = true;
            self.declaring = false;
        }
    }

    /// `<<EOF`, `<<-'EOF'`: the operator and the delimiter, whose body
    /// follows the line.
    fn heredoc(&mut self) {
        let tabs = self.s.at("<<-");
        self.s.emit(if tabs { 3 } else { 2 }, Kind::Operator);
        self.s.eat_while(|c| c == ' ' || c == '\t', Kind::Plain);
        let len = self
            .s
            .span(|c| !c.is_whitespace() && !matches!(c, ';' | '&' | '|' | '<' | '>' | '(' | ')'));
        let word = &self.s.rest()[..len];
        let delimiter: String = word
            .chars()
            .filter(|c| !matches!(c, '\'' | '"' | '\\'))
            .collect();
        let literal = delimiter.len() < len;
        self.s.emit(len, Kind::String);
        if !delimiter.is_empty() {
            self.heredocs.push(Heredoc {
                delimiter,
                tabs,
                literal,
            });
        }
    }

    /// The bodies of the heredocs opened on the line just ended.
    fn bodies(&mut self) {
        for doc in std::mem::take(&mut self.heredocs) {
            while !self.s.done() {
                let rest = self.s.rest();
                let len = rest.find('\n').map_or(rest.len(), |i| i + 1);
                let text = rest[..len].trim_end_matches(['\n', '\r']);
                let line = if doc.tabs {
                    text.trim_start_matches('\t')
                } else {
                    text
                };
                if line == doc.delimiter {
                    self.s.emit(text.len(), Kind::Keyword);
                    self.s.emit(len - text.len(), Kind::Plain);
                    break;
                }
                if doc.literal {
                    self.s.emit(len, Kind::String);
                } else {
                    self.expanded(len);
                }
            }
        }
    }

    /// The next `len` bytes of a heredoc's body, with its expansions.
    fn expanded(&mut self, len: usize) {
        let end = self.s.pos() + len;
        while self.s.pos() < end {
            let text = &self.s.rest()[..end - self.s.pos()];
            match text.find(['$', '`']) {
                Some(0) if text.starts_with('$') => self.dollar(true),
                Some(0) => self.backquoted(),
                Some(n) => self.s.emit(n, Kind::String),
                None => self.s.emit(text.len(), Kind::String),
            }
        }
    }

    /// A piece of a word: quoted text, an expansion, an escape or bare text.
    fn word_piece(&mut self, c: char) {
        let starts = self.word == Word::None;
        if starts {
            self.word = self.role();
            if matches!(self.word, Word::None | Word::Assignment) {
                // A keyword, or an assignment's name and `=`, was read.
                return;
            }
        }
        match c {
            '\'' => self.single_quoted(),
            '"' => self.double_quoted(),
            '$' => self.dollar(false),
            '`' => self.backquoted(),
            '\\' => {
                let len = 1 + self.s.rest()[1..].chars().next().map_or(0, char::len_utf8);
                self.s.emit(len, Kind::Escape);
            }
            _ => {
                // A special character inside a word is text.
                let len = self.s.span(|c| !c.is_whitespace() && !special(c)).max(1);
                let text = &self.s.rest()[..len];
                match self.word {
                    Word::Command if starts => self.s.emit(len, Kind::Function),
                    Word::Argument if starts && text.starts_with('-') && !self.redirect => {
                        let name = text.find('=').unwrap_or(len);
                        self.s.emit(name, Kind::Parameter);
                        self.s.emit(len - name, Kind::Plain);
                    }
                    _ => self.s.emit(len, Kind::Plain),
                }
            }
        }
    }

    /// What the word starting at the cursor is; keywords and assignment
    /// names are emitted here.
    fn role(&mut self) -> Word {
        if self.redirect || !(self.command || self.declaring) {
            return Word::Argument;
        }
        let rest = self.s.rest();
        let name = self.s.word();
        if !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && rest[name.len()..].starts_with(['=', '+'])
            && rest[name.len()..].trim_start_matches('+').starts_with('=')
        {
            self.s.emit(name.len(), Kind::Variable);
            let eq = rest[name.len()..].find('=').map_or(1, |i| i + 1);
            self.s.emit(eq, Kind::Operator);
            return Word::Assignment;
        }
        if !self.command {
            return Word::Argument;
        }
        let len = self.s.span(|c| !c.is_whitespace() && !special(c));
        let text = &rest[..len];
        if KEYWORDS.contains(&text) {
            self.s.emit(len, Kind::Keyword);
            self.command = LEAD_INS.contains(&text);
            return Word::None;
        }
        self.declaring = DECLARATIONS.contains(&text);
        Word::Command
    }

    /// `'…'`.
    fn single_quoted(&mut self) {
        let rest = &self.s.rest()[1..];
        let len = rest.find('\'').map_or(rest.len(), |i| i + 1);
        self.s.emit(1 + len, Kind::String);
    }

    /// `"…"`, with its expansions and escapes.
    fn double_quoted(&mut self) {
        self.s.emit(1, Kind::String);
        loop {
            self.s
                .eat_while(|c| !matches!(c, '"' | '$' | '\\' | '`'), Kind::String);
            match self.s.peek() {
                None => return,
                Some('"') => {
                    self.s.emit(1, Kind::String);
                    return;
                }
                Some('$') => self.dollar(true),
                Some('`') => self.backquoted(),
                Some(_) => {
                    // `\` escapes only these inside double quotes.
                    let next = self.s.rest()[1..].chars().next();
                    match next {
                        Some(n @ ('$' | '`' | '"' | '\\' | '\n')) => {
                            self.s.emit(1 + n.len_utf8(), Kind::Escape)
                        }
                        _ => self.s.emit(1, Kind::String),
                    }
                }
            }
        }
    }

    /// An expansion at a `$`: `$NAME`, `$1`, `${…}`, `$(…)`, `$((…))`,
    /// `$'…'`; a lone `$` is text (in a string when `quoted`).
    fn dollar(&mut self, quoted: bool) {
        let rest = self.s.rest();
        let after = &rest[1..];
        if after.starts_with("((") {
            self.s.emit(3, Kind::Operator);
            let len = closing(self.s.rest(), '(', ')', 1);
            self.s.emit(len, Kind::Plain);
            self.s
                .emit(self.s.span(|c| c == ')').min(2), Kind::Operator);
        } else if after.starts_with('(') {
            self.s.emit(2, Kind::Operator);
            self.nested(')');
        } else if let Some(inner) = after.strip_prefix('{') {
            let len = 2 + closing(inner, '{', '}', 1);
            self.s.emit((len + 1).min(rest.len()), Kind::Variable);
        } else if after.starts_with('\'') && !quoted {
            self.ansi_c();
        } else {
            let name = self.s.rest()[1..].chars().next();
            let len = match name {
                Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                    1 + after
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(after.len())
                }
                Some(c) if c.is_ascii_digit() || "@*#?$!-".contains(c) => 2,
                _ => 0,
            };
            if len == 0 {
                self.s
                    .emit(1, if quoted { Kind::String } else { Kind::Plain });
            } else {
                self.s.emit(len, Kind::Variable);
            }
        }
    }

    /// `$'…'`: a string with backslash escapes.
    fn ansi_c(&mut self) {
        self.s.emit(2, Kind::String);
        loop {
            self.s.eat_while(|c| c != '\'' && c != '\\', Kind::String);
            match self.s.peek() {
                None => return,
                Some('\'') => return self.s.emit(1, Kind::String),
                Some(_) => {
                    let len = 1 + self.s.rest()[1..].chars().next().map_or(0, char::len_utf8);
                    self.s.emit(len, Kind::Escape);
                }
            }
        }
    }

    /// `` `…` ``: commands between backquotes.
    fn backquoted(&mut self) {
        self.s.emit(1, Kind::Operator);
        self.nested('`');
    }

    /// The commands of a substitution, and its closing `end`.
    fn nested(&mut self, end: char) {
        let outer = (self.command, self.word, self.declaring, self.redirect);
        (self.command, self.word, self.declaring, self.redirect) = (true, Word::None, false, false);
        self.commands(Some(end));
        self.end_word();
        if self.s.peek() == Some(end) {
            self.s.emit(1, Kind::Operator);
        }
        (self.command, self.word, self.declaring, self.redirect) = outer;
    }
}

/// The length up to (not including) the `close` that matches an `open`
/// already read (`depth` of them), or the whole text.
fn closing(text: &str, open: char, close: char, mut depth: usize) -> usize {
    for (i, c) in text.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return i;
            }
        }
    }
    text.len()
}

/// Characters that end a bare run of a word.
fn special(c: char) -> bool {
    matches!(
        c,
        '\'' | '"' | '\\' | '$' | '`' | '|' | '&' | ';' | '<' | '>' | '(' | ')'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::snippets::Code;

    /// `code` lexed; its `runs()` are what a test pins.
    fn shell(code: &str) -> Code {
        Code::shell(code.to_owned())
    }

    #[test]
    fn commands_options_and_quotes() {
        use Kind::*;
        assert_eq!(
            shell("curl -X POST 'https://x/a' \\\n  -H \"Authorization: Bearer $TOKEN\"\n").runs(),
            vec![
                ("curl", Function),
                ("-X", Parameter),
                ("POST", Plain),
                ("'https://x/a'", String),
                ("\\", Operator),
                ("-H", Parameter),
                ("\"Authorization: Bearer ", String),
                ("$TOKEN", Variable),
                ("\"", String),
            ]
        );
    }

    #[test]
    fn comments_assignments_and_substitutions() {
        use Kind::*;
        assert_eq!(
            shell("# Get a token\nexport TOKEN=$(curl -s \"$URL\" | jq -r .token) # done\n").runs(),
            vec![
                ("# Get a token", Comment),
                ("export", Function),
                ("TOKEN", Variable),
                ("=$(", Operator),
                ("curl", Function),
                ("-s", Parameter),
                ("\"", String),
                ("$URL", Variable),
                ("\"", String),
                ("|", Operator),
                ("jq", Function),
                ("-r", Parameter),
                (".token", Plain),
                (")", Operator),
                ("# done", Comment),
            ]
        );
        assert_eq!(shell("a#b").runs(), vec![("a#b", Function)]);
    }

    #[test]
    fn keywords_lists_and_heredocs() {
        use Kind::*;
        assert_eq!(
            shell("if [ -n \"$A\" ]; then cat <<'EOF' > out\n$not expanded\nEOF\nfi\n").runs(),
            vec![
                ("if", Keyword),
                ("[", Function),
                ("-n", Parameter),
                ("\"", String),
                ("$A", Variable),
                ("\"", String),
                ("]", Plain),
                (";", Operator),
                ("then", Keyword),
                ("cat", Function),
                ("<<", Operator),
                ("'EOF'", String),
                (">", Operator),
                ("out", Plain),
                ("$not expanded\n", String),
                ("EOF", Keyword),
                ("fi", Keyword),
            ]
        );
    }

    #[test]
    fn any_text_is_covered() {
        for code in [
            "\"unclosed $(x",
            "${a:-${b}}",
            "$((1 + (2)))",
            ")`",
            "echo `date` $'a\\'b' \\$x 2>&1",
            "æ ø $",
            "cat <<-X\n\tbody\n\tX\n",
            "\\",
        ] {
            let mut pos = 0;
            for (end, _) in lex(code) {
                assert!(end > pos && code.is_char_boundary(end), "{code:?}");
                pos = end;
            }
            assert_eq!(pos, code.len(), "{code:?}");
        }
    }
}
