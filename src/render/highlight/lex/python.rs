//! Python, as syntect's Python grammar scopes it, for the snippets stepdoc
//! writes and plain hand-written code like them: imports, assignments,
//! `def` with annotations and defaults, decorators, calls with keyword
//! arguments, `if`/`elif`/`else`, `for`, `while`, `return`, comprehensions,
//! literals, comments and docstrings (strings: [`super::python_str`]).
//! Classes, `with`, `try`, lambdas, `*args`, line continuations and other
//! constructs give up.

use super::python_str;
use super::{Scan, Token};

const ASSIGN: &str = "source.python keyword.operator.assignment.python";
const ARITHMETIC: &str = "source.python keyword.operator.arithmetic.python";
const COMPARISON: &str = "source.python keyword.operator.comparison.python";
const LOGICAL: &str = "source.python keyword.operator.logical.python";
const CALL: &str = "source.python meta.function-call.python meta.qualified-name.python variable.function.python meta.generic-name.python";
const BUILTIN: &str = "source.python meta.function-call.python meta.qualified-name.python variable.function.python support.function.builtin.python";
const TYPE_CALL: &str = "source.python meta.function-call.python meta.qualified-name.python variable.function.python support.type.python";
const TYPE: &str = "source.python meta.qualified-name.python support.type.python";
const KEYWORD_ARG: &str =
    "source.python meta.function-call.arguments.python variable.parameter.python";
const PARAMETER: &str = "source.python meta.function.parameters.python variable.parameter.python";
const DEF: &str = "source.python meta.function.python storage.type.function.python keyword.declaration.function.python";
const FUNCTION_NAME: &str =
    "source.python meta.function.python entity.name.function.python meta.generic-name.python";
const RETURN_ARROW: &str = "source.python meta.function.annotation.return.python punctuation.separator.annotation.return.python";
const DECORATOR: &str =
    "source.python meta.annotation.python punctuation.definition.annotation.python";
const DECORATOR_NAME: &str = "source.python meta.annotation.function.python meta.qualified-name.python variable.annotation.function.python meta.generic-name.python";
const CONSTANT: &str = "source.python constant.language.python";
const SELF: &str = "source.python meta.qualified-name.python variable.language.python";
const MAGIC: &str = "source.python meta.qualified-name.python support.variable.magic.python";
const COMMENT_START: &str =
    "source.python comment.line.number-sign.python punctuation.definition.comment.python";
const COMMENT: &str = "source.python comment.line.number-sign.python";
const INT: &str = "source.python constant.numeric.integer.decimal.python";
const FLOAT: &str = "source.python constant.numeric.float.decimal.python";
const POINT: &str =
    "source.python constant.numeric.float.decimal.python punctuation.separator.decimal.python";

/// Statement keywords and their scopes.
const KEYWORDS: &[(&str, &str)] = &[
    ("import", "source.python meta.statement.import.python keyword.control.import.python"),
    ("from", "source.python meta.statement.import.python keyword.control.import.from.python"),
    ("return", "source.python keyword.control.flow.return.python"),
    ("pass", "source.python keyword.control.flow.pass.python"),
    ("break", "source.python keyword.control.flow.break.python"),
    ("continue", "source.python keyword.control.flow.continue.python"),
    ("if", "source.python meta.statement.conditional.if.python keyword.control.conditional.if.python"),
    ("elif", "source.python meta.statement.conditional.elseif.python keyword.control.conditional.elseif.python"),
    ("else", "source.python meta.statement.conditional.else.python keyword.control.conditional.else.python"),
    ("while", "source.python meta.statement.loop.while.python keyword.control.loop.while.python"),
    ("for", "source.python meta.statement.loop.for.python keyword.control.loop.for.python"),
];
const FOR_IN: &str =
    "source.python meta.statement.loop.for.python keyword.control.loop.for.in.python";
const GENERATOR_FOR: &str =
    "source.python meta.expression.generator.python keyword.control.loop.for.generator.python";

/// Names that start constructs this lexer does not know.
const UNKNOWN: &[&str] = &[
    "as",
    "assert",
    "async",
    "await",
    "class",
    "del",
    "except",
    "finally",
    "global",
    "lambda",
    "nonlocal",
    "raise",
    "try",
    "with",
    "yield",
    "print_function",
    "match",
    "case",
    "type",
];

/// Builtin functions (`support.function.builtin`) and types (`support.type`).
const BUILTINS: &[&str] = &[
    "abs",
    "all",
    "any",
    "ascii",
    "bin",
    "callable",
    "chr",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "filter",
    "format",
    "getattr",
    "hasattr",
    "hash",
    "hex",
    "id",
    "input",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "map",
    "max",
    "min",
    "next",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "range",
    "repr",
    "reversed",
    "round",
    "setattr",
    "sorted",
    "sum",
    "vars",
    "zip",
];
const TYPES: &[&str] = &[
    "bool",
    "bytearray",
    "bytes",
    "complex",
    "dict",
    "float",
    "frozenset",
    "int",
    "list",
    "object",
    "set",
    "str",
    "tuple",
];

/// The `__name__`s the grammar knows as magic variables.
const MAGIC_NAMES: &[&str] = &[
    "class",
    "dict",
    "doc",
    "module",
    "name",
    "all",
    "file",
    "package",
    "annotations",
    "closure",
    "code",
    "defaults",
    "func",
    "globals",
    "kwdefaults",
    "self",
    "qualname",
    "bases",
    "prepare",
    "slots",
    "metaclass",
    "mro",
    "members",
    "methods",
];

const CONSTANT_NAME: &str =
    "source.python meta.qualified-name.python variable.other.constant.python";

/// An all-caps name with two capitals in a row (`HERE`, `MAX_N`), which the
/// grammar takes for a constant.
fn is_constant(word: &str) -> bool {
    let caps = |c: char| c.is_uppercase() || c == '_' || c.is_ascii_digit();
    word.chars().all(caps)
        && word
            .chars()
            .zip(word.chars().skip(1))
            .any(|(a, b)| a.is_uppercase() && b.is_uppercase())
}

/// What an open bracket is.
#[derive(Clone, Copy, PartialEq)]
enum Bracket {
    Call,
    Params,
    Other,
}

/// Where a `def` signature is.
#[derive(Clone, Copy, PartialEq)]
enum Def {
    None,
    /// After `def`: the name comes next.
    Name,
    /// In the parameters: a name is a parameter when `expect_param`.
    Params,
    /// After the parameters, up to the `:`.
    Return,
}

struct Python<'a> {
    s: Scan<'a>,
    /// Open brackets: what each is, and the character that closes it.
    open: Vec<(Bracket, char)>,
    def: Def,
    /// In a parameter list: the next name is a parameter.
    expect_param: bool,
    /// The bracket depth an annotation started at, while in one.
    annotation: Option<usize>,
    /// After `for`, before its `in`.
    after_for: bool,
    /// In a decorator line.
    decorator: bool,
    /// The statement on this line starts with a keyword (`if`, `return`...).
    keyword_statement: bool,
}

pub(super) fn lex(code: &str) -> Option<Vec<Token>> {
    let mut p = Python::new(code);
    p.run(true)?;
    Some(p.s.finish())
}

/// Tokens for an expression inside an f-string's braces.
pub(super) fn lex_expression(code: &str) -> Option<Vec<Token>> {
    let mut p = Python::new(code);
    p.run(false)?;
    Some(p.s.finish())
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The innermost of the `open` brackets.
fn inner(open: &[(Bracket, char)]) -> Option<Bracket> {
    open.last().map(|b| b.0)
}

impl<'a> Python<'a> {
    fn new(code: &'a str) -> Self {
        Python {
            s: Scan::new(code),
            open: Vec::new(),
            def: Def::None,
            expect_param: false,
            annotation: None,
            after_for: false,
            decorator: false,
            keyword_statement: false,
        }
    }

    /// The name at the cursor (Unicode letters, digits, `_`).
    fn name(&self) -> &'a str {
        let rest = self.s.rest();
        &rest[..rest.find(|c| !is_name_char(c)).unwrap_or(rest.len())]
    }

    fn run(&mut self, statements: bool) -> Option<()> {
        // Only spaces since the start of the line.
        let mut fresh = true;
        while let Some(c) = self.s.peek() {
            let was_fresh = fresh;
            let line_start = statements && self.open.is_empty() && was_fresh;
            fresh = false;
            match c {
                '\n' => {
                    self.s.emit(1, "");
                    self.end_of_line()?;
                    fresh = true;
                }
                ' ' => {
                    self.s.emit(1, "");
                    fresh = was_fresh;
                }
                '#' if statements => {
                    // The comment's scope takes the line break with it.
                    self.s.emit(1, COMMENT_START);
                    let rest = self.s.rest();
                    let n = rest.find('\n').map_or(rest.len(), |i| i + 1);
                    self.s.emit(n, COMMENT);
                    if self.s.after("\n") {
                        self.end_of_line()?;
                        fresh = true;
                    }
                }
                '@' if line_start => {
                    self.s.emit(1, DECORATOR);
                    self.decorator = true;
                }
                '"' if line_start && self.s.at("\"\"\"") => python_str::docstring(&mut self.s)?,
                _ if python_str::starts(&self.s) => python_str::string(&mut self.s)?,
                '0'..='9' => super::number(&mut self.s, INT, FLOAT, POINT)?,
                c if is_name_char(c) => self.word(line_start)?,
                _ => self.punctuation(c)?,
            }
        }
        (self.open.is_empty() && self.def == Def::None).then_some(())
    }

    /// A line break: outside brackets, the end of a statement.
    fn end_of_line(&mut self) -> Option<()> {
        if self.open.is_empty() {
            if self.def != Def::None {
                return None;
            }
            self.decorator = false;
            self.after_for = false;
            self.keyword_statement = false;
        }
        Some(())
    }

    fn word(&mut self, line_start: bool) -> Option<()> {
        let word = self.name();
        let after = &self.s.rest()[word.len()..];
        let call = after.starts_with('(');
        let dotted = self.s.after(".");
        let in_annotation = self.annotation.is_some();
        if UNKNOWN.contains(&word) && !dotted {
            return None;
        }
        let scope = match word {
            _ if self.def == Def::Name => {
                self.def = Def::Params;
                FUNCTION_NAME
            }
            "def" if line_start => {
                self.def = Def::Name;
                DEF
            }
            "def" => return None,
            "import" if self.s.line().trim_start().starts_with("from ") => {
                "source.python meta.statement.import.python keyword.control.import.python"
            }
            _ if self.def == Def::Params
                && self.expect_param
                && inner(&self.open) == Some(Bracket::Params) =>
            {
                self.expect_param = false;
                PARAMETER
            }
            _ if dotted => {
                if self.decorator && !after.starts_with('.') {
                    DECORATOR_NAME
                } else if call {
                    CALL
                } else {
                    ""
                }
            }
            "True" | "False" | "None" => CONSTANT,
            "and" | "or" | "not" | "is" => LOGICAL,
            "in" if self.after_for => {
                self.after_for = false;
                FOR_IN
            }
            "in" => LOGICAL,
            "for" if !self.open.is_empty() => {
                // A comprehension's `for` follows an expression on its line.
                let before = self.s.line().trim_end();
                let last = before.rsplit([' ', '(', '[', '{']).next().unwrap_or("");
                if !before.ends_with(|c: char| is_name_char(c) || ")]}\"'".contains(c))
                    || matches!(last, "not" | "in" | "and" | "or" | "is" | "if" | "else")
                {
                    return None;
                }
                self.after_for = true;
                GENERATOR_FOR
            }
            "if" if !self.open.is_empty() => "source.python keyword.control.conditional.if.python",
            "self" | "cls" | "_" => SELF,
            _ if word.len() > 4 && word.starts_with("__") && word.ends_with("__") => {
                if !MAGIC_NAMES.contains(&&word[2..word.len() - 2]) {
                    return None;
                }
                MAGIC
            }
            _ if is_constant(word) && !call => CONSTANT_NAME,
            _ if KEYWORDS.iter().any(|(k, _)| *k == word) => {
                if !line_start {
                    return None;
                }
                if word == "for" {
                    self.after_for = true;
                }
                self.keyword_statement = true;
                KEYWORDS.iter().find(|(k, _)| *k == word).map(|(_, s)| *s)?
            }
            _ if self.decorator && !after.starts_with('.') => DECORATOR_NAME,
            _ if in_annotation && TYPES.contains(&word) => TYPE,
            _ if in_annotation => "",
            _ if call && BUILTINS.contains(&word) => BUILTIN,
            _ if call && TYPES.contains(&word) => TYPE_CALL,
            _ if call => CALL,
            _ if inner(&self.open) == Some(Bracket::Call)
                && after.trim_start_matches(' ').starts_with('=')
                && !after.trim_start_matches(' ').starts_with("==") =>
            {
                // A keyword argument starts an argument.
                if !self.s.before().trim_end().ends_with(['(', ',']) {
                    return None;
                }
                KEYWORD_ARG
            }
            _ if BUILTINS.contains(&word) || TYPES.contains(&word) => return None,
            _ => "",
        };
        self.s.emit(word.len(), scope);
        Some(())
    }

    fn punctuation(&mut self, c: char) -> Option<()> {
        let s = &mut self.s;
        let two = s.rest().get(..2).unwrap_or("");
        match c {
            '(' => {
                let bracket = if self.def == Def::Params && self.open.is_empty() {
                    self.expect_param = true;
                    Bracket::Params
                } else if s.after_word() || s.after(")") || s.after("]") {
                    Bracket::Call
                } else {
                    Bracket::Other
                };
                self.open.push((bracket, ')'));
                s.emit(1, "");
            }
            '[' | '{' => {
                self.open
                    .push((Bracket::Other, if c == '[' { ']' } else { '}' }));
                s.emit(1, "");
            }
            ')' | ']' | '}' => {
                let (closed, closer) = self.open.pop()?;
                if closer != c {
                    return None;
                }
                if self.annotation.is_some_and(|d| self.open.len() < d) {
                    self.annotation = None;
                }
                if closed == Bracket::Params {
                    self.def = Def::Return;
                }
                s.emit(1, "");
            }
            // Separators need something before them.
            ',' | ':' if s.before().trim_end().ends_with(['(', '[', '{', ',', ':']) => return None,
            ',' => {
                if inner(&self.open) == Some(Bracket::Params) {
                    self.expect_param = true;
                    self.annotation = None;
                }
                s.emit(1, "");
            }
            ':' => {
                if self.def == Def::Params && inner(&self.open) == Some(Bracket::Params) {
                    self.annotation = Some(self.open.len());
                } else if self.def == Def::Return && self.open.is_empty() {
                    self.def = Def::None;
                    self.annotation = None;
                }
                s.emit(1, "");
            }
            '-' if two == "->" && self.def == Def::Return => {
                self.annotation = Some(0);
                s.emit(2, RETURN_ARROW);
            }
            // `.5` is a number to the grammar; not modelled.
            '.' if s.rest()[1..].starts_with(|c: char| c.is_ascii_digit()) => return None,
            '.' => s.emit(1, ""),
            '=' | '!' | '<' | '>' if ["==", "!=", "<=", ">="].contains(&two) => {
                s.emit(2, COMPARISON)
            }
            '<' | '>' => s.emit(1, COMPARISON),
            '=' => {
                // An assignment, a keyword argument or a default value; not
                // inside other brackets or after a statement keyword.
                match inner(&self.open) {
                    Some(Bracket::Params) => self.annotation = None,
                    Some(Bracket::Call) => {}
                    Some(Bracket::Other) => return None,
                    None if self.keyword_statement => return None,
                    None => {}
                }
                s.emit(1, ASSIGN)
            }
            '|' if self.annotation.is_some() => s.emit(1, ARITHMETIC),
            '+' | '-' | '/' | '%' if !matches!(two.chars().nth(1), Some('=')) => {
                let n = if two == "//" { 2 } else { 1 };
                s.emit(n, ARITHMETIC)
            }
            // Only a binary `*` (not `*args` unpacking).
            '*' if s.after(" ") && s.rest().starts_with("* ") => s.emit(1, ARITHMETIC),
            _ => return None,
        }
        Some(())
    }
}
