//! Rust, as syntect's Rust grammar scopes it, for the snippets stepdoc
//! writes (hand-written Rust goes to syntect); it knows more than they use: `use`, functions with
//! typed parameters, `let`, `if`/`match`/`for`/`while`, closures, method
//! and function calls, paths and turbofish, macros, attributes without
//! arguments, literals and line comments (strings: [`super::rust_str`]).
//! Items such as `impl`, `struct`, `trait` and generics on functions,
//! lifetimes, block comments and other constructs give up.

use super::rust_str;
use super::{Scan, Token};

const COMMENT_START: &str =
    "source.rust comment.line.double-slash.rust punctuation.definition.comment.rust";
const COMMENT: &str = "source.rust comment.line.double-slash.rust";
const FN: &str = "source.rust meta.function.rust storage.type.function.rust";
const FN_NAME: &str = "source.rust meta.function.rust entity.name.function.rust";
const PARAMETER: &str = "source.rust meta.function.parameters.rust variable.parameter.rust";
const CLOSURE_PARAMETER: &str =
    "source.rust meta.function.closure.rust meta.function.parameters.rust variable.parameter.rust";
const STORAGE: &str = "source.rust storage.type.rust";
const MODIFIER: &str = "source.rust storage.modifier.rust";
const CONTROL: &str = "source.rust keyword.control.rust";
const OTHER_KEYWORD: &str = "source.rust keyword.other.rust";
const SUPPORT_TYPE: &str = "source.rust support.type.rust";
const CONSTANT: &str = "source.rust constant.other.rust";
const LANGUAGE: &str = "source.rust constant.language.rust";
const FUNCTION: &str = "source.rust support.function.rust";
const MACRO: &str = "source.rust support.macro.rust";
const ANNOTATION: &str = "source.rust meta.annotation.rust variable.annotation.rust";
const OPERATOR: &str = "source.rust keyword.operator.rust";
const ASSIGN: &str = "source.rust keyword.operator.assignment.rust";
const COMPARISON: &str = "source.rust keyword.operator.comparison.rust";
const LOGICAL: &str = "source.rust keyword.operator.logical.rust";
const RANGE: &str = "source.rust keyword.operator.range.rust";
const ARITHMETIC: &str = "source.rust keyword.operator.arithmetic.rust";
const INT: &str = "source.rust constant.numeric.integer.decimal.rust";
const FLOAT: &str = "source.rust constant.numeric.float.decimal.rust";
const POINT: &str =
    "source.rust constant.numeric.float.decimal.rust punctuation.separator.decimal.rust";

/// The grammar's support types (`support.type.rust`).
const SUPPORT_TYPES: &[&str] = &[
    "Copy",
    "Send",
    "Sized",
    "Sync",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Box",
    "ToOwned",
    "Clone",
    "PartialEq",
    "PartialOrd",
    "Eq",
    "Ord",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "Default",
    "Iterator",
    "Extend",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "SliceConcatExt",
    "String",
    "ToString",
    "Vec",
];

/// Primitive types (`storage.type.rust`).
const PRIMITIVES: &[&str] = &[
    "Self", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
    "f32", "f64", "bool", "char", "str",
];

/// Words that start constructs this lexer does not know.
const UNKNOWN: &[&str] = &[
    "impl",
    "struct",
    "enum",
    "trait",
    "type",
    "mod",
    "where",
    "unsafe",
    "extern",
    "static",
    "const",
    "ref",
    "move",
    "box",
    "as",
    "crate",
    "super",
    "self",
    "union",
    "macro_rules",
    "pub",
    "yield",
    "loop",
    "break",
    "continue",
];

/// Macros whose first argument is a format string.
const FORMAT_MACROS: &[&str] = &["format!(", "print!(", "println!(", "eprint!(", "eprintln!("];

/// Where a type is read (a parameter's, a `let`'s, a return type, a
/// turbofish): `<` and `>` are its brackets there, not comparisons.
#[derive(Default)]
struct TypeCx {
    /// The bracket depth the type started at.
    start: Option<usize>,
    /// Open `<` of generics inside it.
    angles: usize,
    /// The type is a turbofish's (`::<T>`): it ends with its `>`.
    turbofish: bool,
}

impl TypeCx {
    fn end(&mut self) {
        *self = TypeCx::default();
    }
}

/// What an open bracket is.
#[derive(Clone, Copy, PartialEq)]
enum Bracket {
    Params,
    Other,
}

struct Rust<'a> {
    s: Scan<'a>,
    /// Open brackets: what each is, and the character that closes it.
    open: Vec<(Bracket, char)>,
    /// After `fn`: the name comes next.
    fn_name: bool,
    /// After `fn name`: the parameter list comes next.
    fn_params: bool,
    /// In a parameter list: the next name is a parameter.
    expect_param: bool,
    /// The type being read, if any.
    ty: TypeCx,
    /// Between `let` and its `=`.
    let_pattern: bool,
    /// In a `use` item, up to its `;`.
    use_item: bool,
    /// After a function's parameters, up to its body's `{`.
    fn_body: bool,
}

pub(super) fn lex(code: &str) -> Option<Vec<Token>> {
    let mut r = Rust {
        s: Scan::new(code),
        open: Vec::new(),
        fn_name: false,
        fn_params: false,
        expect_param: false,
        ty: TypeCx::default(),
        let_pattern: false,
        use_item: false,
        fn_body: false,
    };
    while let Some(c) = r.s.peek() {
        r.step(c)?;
    }
    (r.open.is_empty() && r.ty.start.is_none() && !r.fn_name && !r.fn_params).then(|| r.s.finish())
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `[\p{Lu}_][\p{Lu}\p{Nd}_]+`: the grammar's constants.
fn is_constant(word: &str) -> bool {
    word.chars().count() >= 2
        && word.starts_with(|c: char| c.is_uppercase() || c == '_')
        && word
            .chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Whether a string at the cursor is a format macro's format string.
fn in_format_position(s: &Scan) -> bool {
    let before = s.before().trim_end_matches([' ', '\n']);
    FORMAT_MACROS
        .iter()
        .any(|m| before.ends_with(m) && !before[..before.len() - m.len()].ends_with(is_name_char))
}

/// Whether a closure may start at the cursor: what comes before is an
/// opening bracket, a comma, an `=` or the start of a line.
fn closure_may_start(s: &Scan) -> bool {
    let before = s.before().trim_end_matches([' ', '\n']);
    before.is_empty() || before.ends_with(['(', ',', '=', '{'])
}

/// The innermost of the `open` brackets.
fn inner(open: &[(Bracket, char)]) -> Option<Bracket> {
    open.last().map(|b| b.0)
}

impl<'a> Rust<'a> {
    fn name(&self) -> &'a str {
        let rest = self.s.rest();
        &rest[..rest.find(|c| !is_name_char(c)).unwrap_or(rest.len())]
    }

    fn step(&mut self, c: char) -> Option<()> {
        // Outside braces, only items (see `word`), comments and attributes.
        if self.open.is_empty()
            && !self.use_item
            && !self.fn_name
            && !self.fn_params
            && !self.fn_body
            && self.ty.start.is_none()
            && !matches!(c, ' ' | '\n' | '/' | '#')
            && !is_name_char(c)
        {
            return None;
        }
        let s = &mut self.s;
        let rest = s.rest();
        let two = rest.get(..2).unwrap_or("");
        match c {
            '.' if two == ".." => {
                let n = if rest.starts_with("...") { 3 } else { 2 };
                s.emit(n, RANGE)
            }
            ' ' | '\n' | ',' | ';' | '.' => {
                if c == ',' && inner(&self.open) == Some(Bracket::Params) && self.ty.angles == 0 {
                    self.expect_param = true;
                    self.ty.end();
                }
                if c == ';' {
                    self.use_item = false;
                }
                if c == ';' && self.open.is_empty() {
                    self.ty.end();
                }
                s.emit(1, "");
            }
            '/' if two == "//" => {
                let n = rest.find('\n').map_or(rest.len(), |i| i + 1);
                if rest[..n].contains('$') {
                    return None;
                }
                // `//`, or `///` and `//!` for documentation.
                let start = if rest.starts_with("///") || rest.starts_with("//!") {
                    3
                } else {
                    2
                };
                s.emit(start.min(n), COMMENT_START);
                if n > start {
                    s.emit(n - start, COMMENT);
                }
            }
            '#' if two == "#[" => return self.attribute(),
            ':' if two == "::" => {
                s.emit(2, "");
                if s.at("<") {
                    // Turbofish: a type up to the matching `>`.
                    s.emit(1, "");
                    self.ty.angles += 1;
                    if self.ty.start.is_none() {
                        self.ty.start = Some(self.open.len());
                        self.ty.turbofish = true;
                    }
                }
            }
            // A colon in call arguments is not Rust.
            ':' if self.open.last().map(|b| b.1) == Some(')')
                && inner(&self.open) != Some(Bracket::Params) =>
            {
                return None
            }
            ':' => {
                // A parameter's or a binding's type follows; other colons
                // (struct fields) are plain.
                if inner(&self.open) == Some(Bracket::Params) || self.let_pattern {
                    self.ty.start = Some(self.open.len());
                }
                s.emit(1, "");
            }
            '-' if two == "->" => {
                s.emit(2, "");
                self.ty.start = Some(self.open.len());
            }
            '=' if two == "=>" => s.emit(2, OPERATOR),
            // Tuple types (the grammar scopes their elements in ways not
            // modelled here); `()` is fine.
            '(' if self.ty.start.is_some() && !rest.starts_with("()") => return None,
            '(' | '[' | '{' => {
                if c == '{' {
                    self.fn_body = false;
                }
                if c == '{' && self.ty.start == Some(self.open.len()) {
                    self.ty.end();
                }
                let bracket = if c == '(' && self.fn_params {
                    self.fn_params = false;
                    self.expect_param = true;
                    Bracket::Params
                } else {
                    Bracket::Other
                };
                let closer = match c {
                    '(' => ')',
                    '[' => ']',
                    _ => '}',
                };
                self.open.push((bracket, closer));
                s.emit(1, "");
            }
            ')' | ']' | '}' => {
                if self.open.last()?.1 != c {
                    return None;
                }
                if inner(&self.open) == Some(Bracket::Params) {
                    self.fn_body = true;
                }
                if self.ty.start.is_some_and(|d| d >= self.open.len()) {
                    self.ty.end();
                }
                self.open.pop()?;
                s.emit(1, "");
            }
            '<' if self.ty.start.is_some() => {
                self.ty.angles += 1;
                s.emit(1, "");
            }
            '>' if self.ty.start.is_some() && self.ty.angles > 0 => {
                self.ty.angles -= 1;
                if self.ty.angles == 0 && self.ty.turbofish {
                    self.ty.end();
                }
                s.emit(1, "");
            }
            '=' | '!' | '<' | '>' if ["==", "!=", "<=", ">="].contains(&two) => {
                s.emit(2, COMPARISON)
            }
            '<' | '>' if !matches!(two, "<<" | ">>") => s.emit(1, COMPARISON),
            '=' => {
                // An assignment has its value after it.
                let value = rest[1..].trim_start_matches([' ', '\n']);
                if value.is_empty() || value.starts_with(['}', ';', ')', ']', ',']) {
                    return None;
                }
                self.let_pattern = false;
                self.ty.end();
                s.emit(1, ASSIGN)
            }
            '&' if two == "&&" => s.emit(2, LOGICAL),
            '|' if two == "||" && closure_may_start(s) => {
                if !has_body(&rest[2..]) {
                    return None;
                }
                s.emit(2, "")
            }
            '|' if two == "||" => s.emit(2, LOGICAL),
            '|' => return self.closure(),
            '!' => s.emit(1, LOGICAL),
            '&' => s.emit(1, OPERATOR),
            '?' => s.emit(1, OPERATOR),
            '+' | '-' | '*' | '/' | '%' if !two.ends_with('=') => s.emit(1, ARITHMETIC),
            '"' => {
                let format = in_format_position(s);
                rust_str::string(s, format)?
            }
            '\'' => rust_str::char_literal(s)?,
            'b' if rest[1..].starts_with('"') => rust_str::byte_string(s)?,
            'r' if rest[1..].starts_with(['#', '"']) && !s.after_word() => {
                let format = in_format_position(s);
                rust_str::raw_string(s, format)?
            }
            '0'..='9' => super::number(s, INT, FLOAT, POINT)?,
            c if is_name_char(c) => return self.word(),
            _ => return None,
        }
        Some(())
    }

    fn word(&mut self) -> Option<()> {
        let word = self.name();
        let after = &self.s.rest()[word.len()..];
        let pathed = self.s.after("::");
        let dotted = self.s.after(".") && !self.s.after("..");
        if UNKNOWN.contains(&word) && !pathed && !dotted {
            return None;
        }
        // Outside braces only items: `fn`, `async fn`, `use`.
        if self.open.is_empty()
            && !self.use_item
            && !self.fn_body
            && !self.fn_name
            && !self.fn_params
            && self.ty.start.is_none()
            && !matches!(word, "fn" | "use" | "async")
        {
            return None;
        }
        if word == "use" {
            self.use_item = true;
        }
        if after.starts_with('!') && !after.starts_with("!=") && !pathed {
            // Other macros that take a format string: the grammar scopes
            // their placeholders in ways not modelled here.
            if matches!(
                word,
                "write"
                    | "writeln"
                    | "panic"
                    | "assert"
                    | "assert_eq"
                    | "assert_ne"
                    | "debug_assert"
                    | "unreachable"
                    | "todo"
                    | "unimplemented"
                    | "format_args"
            ) {
                return None;
            }
            // A macro: plain, except the format macros the grammar knows.
            let scope = if matches!(word, "format" | "println") {
                MACRO
            } else {
                ""
            };
            self.s.emit(word.len() + 1, scope);
            return Some(());
        }
        let scope = match word {
            _ if self.fn_name => {
                self.fn_name = false;
                if after.starts_with('<') {
                    return None; // generics
                }
                self.fn_params = true;
                FN_NAME
            }
            "fn" if self.open.is_empty() => {
                self.fn_name = true;
                FN
            }
            "fn" => return None,
            _ if self.expect_param && inner(&self.open) == Some(Bracket::Params) => {
                if word == "mut" {
                    MODIFIER
                } else {
                    self.expect_param = false;
                    PARAMETER
                }
            }
            _ if dotted && after.starts_with('(') => FUNCTION,
            _ if dotted && word == "await" => "",
            _ if dotted => "",
            _ if PRIMITIVES.contains(&word) => STORAGE,
            _ if is_constant(word) => CONSTANT,
            // In a type, a support type is one only with or inside `<...>`
            // (also at the end of a path there); elsewhere not after `::`.
            _ if SUPPORT_TYPES.contains(&word)
                && self.ty.start.is_some()
                && (self.ty.angles > 0 || after.starts_with('<')) =>
            {
                SUPPORT_TYPE
            }
            // A type annotation in a `let` pattern: left to syntect.
            _ if SUPPORT_TYPES.contains(&word) && self.let_pattern => return None,
            _ if pathed => "",
            _ if SUPPORT_TYPES.contains(&word) && self.ty.start.is_none() => SUPPORT_TYPE,
            "let" if self.s.line().trim().is_empty() => {
                self.let_pattern = true;
                STORAGE
            }
            "let" => return None,
            "mut" if self.let_pattern || self.s.after("&") => MODIFIER,
            "mut" => return None,
            "use" => OTHER_KEYWORD,
            "if" | "else" | "for" | "match" | "while" | "return" => CONTROL,
            "in" => OPERATOR,
            "true" | "false" => LANGUAGE,
            "_" => OPERATOR,
            "async" | "await" | "dyn" => "",
            _ if after.starts_with('(')
                && word.starts_with(|c: char| c.is_lowercase() || c == '_') =>
            {
                if word.chars().any(|c| c.is_uppercase()) {
                    return None;
                }
                FUNCTION
            }
            _ if word.ends_with("_t") || word.starts_with("c_") => return None,
            _ => "",
        };
        self.s.emit(word.len(), scope);
        Some(())
    }

    /// `#[name]` or `#[a::b]`.
    fn attribute(&mut self) -> Option<()> {
        let end = self.s.rest().find(']')?;
        let inner = &self.s.rest()[2..end];
        if !inner
            .split("::")
            .all(|p| !p.is_empty() && p.chars().all(is_name_char))
        {
            return None;
        }
        self.s.emit(2, "");
        for (i, part) in inner.split("::").enumerate() {
            if i > 0 {
                self.s.emit(2, "");
            }
            self.s.emit(part.len(), ANNOTATION);
        }
        self.s.emit(1, "");
        Some(())
    }

    /// `|a, b|` closure parameters.
    fn closure(&mut self) -> Option<()> {
        if !closure_may_start(&self.s) {
            return None;
        }
        let end = self.s.rest()[1..].find('|')? + 1;
        let inner = &self.s.rest()[1..end];
        self.s.emit(1, "");
        for (i, part) in inner.split(", ").enumerate() {
            if i > 0 {
                self.s.emit(2, "");
            }
            if part.is_empty() || part == "_" || !part.chars().all(is_name_char) {
                return None;
            }
            self.s.emit(part.len(), CLOSURE_PARAMETER);
        }
        self.s.emit(1, "");
        has_body(self.s.rest()).then_some(())
    }
}

/// Whether a closure body follows its parameters.
fn has_body(rest: &str) -> bool {
    let rest = rest.trim_start_matches(' ');
    !rest.is_empty()
        && !rest.starts_with(['}', ')', ']', ',', ';', '\n', '|'])
        && !["let ", "fn ", "use ", "else", "//"]
            .iter()
            .any(|k| rest.starts_with(k))
}
