//! Request snippets in the languages readers use, all generated from one
//! [`Call`]: each sends the same method, URL, headers and body, and reads
//! secrets and captured values from environment variables in that
//! language's idiom.

mod code;
pub mod curl;
mod httpie;
mod javascript;
mod powershell;
mod python;
mod rust;

use crate::call::{
    basic_pair, form_encode, percent_encode, prefixed, Body, Call, Json, Part, Text,
};
use crate::content::ValueType;

pub use self::code::Code;
pub use crate::content::config::Lang;
pub use crate::render::highlight::Kind;

impl Lang {
    /// The tab label.
    pub fn label(self) -> &'static str {
        match self {
            Lang::Curl => "cURL",
            Lang::Powershell => "PowerShell",
            Lang::Httpie => "HTTPie",
            Lang::Python => "Python",
            Lang::Javascript => "JavaScript",
            Lang::Rust => "Rust",
        }
    }

    /// The highlighting language.
    pub fn syntax(self) -> &'static str {
        match self {
            Lang::Curl | Lang::Httpie => "bash",
            Lang::Powershell => "powershell",
            Lang::Python => "python",
            Lang::Javascript => "javascript",
            Lang::Rust => "rust",
        }
    }

    /// The snippet for `call`.
    pub fn generate(self, call: &Call) -> String {
        self.code(call).into_text()
    }

    /// The snippet for `call`, with its tokens (the shell snippets'
    /// from the shell lexer).
    pub fn code(self, call: &Call) -> Code {
        match self {
            Lang::Curl => Code::shell(curl::curl(call)),
            Lang::Httpie => Code::shell(httpie::generate(call)),
            Lang::Powershell => powershell::generate(call),
            Lang::Python => python::generate(call),
            Lang::Javascript => javascript::generate(call),
            Lang::Rust => rust::generate(call),
        }
    }
}

/// How a language writes a JSON value as a literal of its own.
pub(crate) struct Literals<'a> {
    /// One level of indentation.
    pub indent: &'a str,
    /// `null`, `true`, `false` in the language.
    pub null: &'a str,
    pub yes: &'a str,
    pub no: &'a str,
    /// Writes an object key.
    pub key: &'a dyn Fn(&str, &mut Code),
    /// Writes a string expression for a value with variables.
    pub expr: &'a dyn Fn(&Text, &mut Code),
    /// Writes a variable's value as a number or boolean, checked.
    pub typed: &'a dyn Fn(&str, ValueType, &mut Code),
}

/// Writes `j` as a literal (dict/object, list/array), items one per line
/// with trailing commas.
pub(crate) fn json_literal(j: &Json, lit: &Literals, depth: usize, out: &mut Code) {
    let pad = lit.indent.repeat(depth + 1);
    match j {
        Json::Null => out.push(lit.null, Kind::Constant),
        Json::Bool(true) => out.push(lit.yes, Kind::Constant),
        Json::Bool(false) => out.push(lit.no, Kind::Constant),
        // JSON's text of a number is a literal in every language here.
        Json::Number(n) => out.push(n, Kind::Number),
        Json::Str(t) => (lit.expr)(t, out),
        Json::Var(name, ty) => (lit.typed)(name, *ty, out),
        Json::Array(items) if items.is_empty() => out.plain("[]"),
        Json::Object(items) if items.is_empty() => out.plain("{}"),
        Json::Array(items) => {
            out.plain("[\n");
            for v in items {
                out.plain(&pad);
                json_literal(v, lit, depth + 1, out);
                out.plain(",\n");
            }
            out.plain(&lit.indent.repeat(depth));
            out.plain("]");
        }
        Json::Object(items) => {
            out.plain("{\n");
            for (k, v) in items {
                out.plain(&pad);
                (lit.key)(k, out);
                out.plain(": ");
                json_literal(v, lit, depth + 1, out);
                out.plain(",\n");
            }
            out.plain(&lit.indent.repeat(depth));
            out.plain("}");
        }
    }
}

/// How a language writes a variable: as it is (`env`), percent-encoded for
/// a URL (`url`, for [`Part::Url`]), escaped inside a JSON string
/// (`json`, for [`Part::Json`]) and as the JSON text of a checked number
/// or boolean (`typed`, for [`Part::Typed`]).
pub(crate) struct Vars<'a> {
    pub env: &'a dyn Fn(&str, &mut Code),
    pub url: &'a dyn Fn(&str, &mut Code),
    pub json: &'a dyn Fn(&str, &mut Code),
    pub typed: &'a dyn Fn(&str, ValueType, &mut Code),
}

/// Writes `t` as a string expression: literals and variables joined with
/// ` + `; `""` when `t` is empty.
pub(crate) fn concat(t: &Text, out: &mut Code, string: &dyn Fn(&str, &mut Code), vars: &Vars) {
    if t.is_empty() {
        string("", out);
    }
    for (i, p) in t.iter().enumerate() {
        if i > 0 {
            out.plain(" ");
            out.push("+", Kind::Operator);
            out.plain(" ");
        }
        match p {
            Part::Lit(l) => string(l, out),
            Part::Env(e) => (vars.env)(e, out),
            Part::Url(e) => (vars.url)(e, out),
            Part::Json(e) => (vars.json)(e, out),
            Part::Typed(e, ty) => (vars.typed)(e, *ty, out),
        }
    }
}

/// Writes `literal`, a double-quoted string its language has escaped
/// already (`"a\"b"`): the quotes, its escapes, and the text between them
/// through `text` (which knows the language's format placeholders, if any).
pub(crate) fn escaped_string(literal: &str, text: &dyn Fn(&str, &mut Code), out: &mut Code) {
    out.push("\"", Kind::String);
    let mut rest = &literal[1..literal.len() - 1];
    while !rest.is_empty() {
        let plain = rest.find('\\').unwrap_or(rest.len());
        if plain > 0 {
            text(&rest[..plain], out);
            rest = &rest[plain..];
            continue;
        }
        // `\u{…}` (Rust), `\uXXXX` (JSON), or a backslash and one character.
        let len = match rest.as_bytes().get(1..3) {
            Some(b"u{") => rest.find('}').map_or(rest.len(), |i| i + 1),
            Some([b'u', _]) if rest.len() >= 6 && rest.is_char_boundary(6) => 6,
            _ => 1 + rest[1..].chars().next().map_or(0, char::len_utf8),
        };
        out.push(&rest[..len], Kind::Escape);
        rest = &rest[len..];
    }
    out.push("\"", Kind::String);
}

/// Name/value pairs (headers, form fields) as a JSON object of strings,
/// for [`json_literal`].
pub(crate) fn pairs(items: &[(String, Text)]) -> Json {
    Json::Object(
        items
            .iter()
            .map(|(k, v)| (k.clone(), Json::Str(v.clone())))
            .collect(),
    )
}

/// How a shell writes a curl command.
pub(crate) struct Shell<'a> {
    /// `curl` or `curl.exe`.
    pub program: &'a str,
    /// Writes an option (`-H`, `--data-raw`).
    pub option: &'a dyn Fn(&str, &mut Code),
    /// Writes one argument, quoted.
    pub word: &'a dyn Fn(&Text, &mut Code),
    /// Writes the HTTP method after `-X`.
    pub method: &'a dyn Fn(&str, &mut Code),
    /// Writes the end of a line that the command continues after.
    pub continuation: &'a dyn Fn(&mut Code),
}

/// True when a query value holds a variable: a shell command then passes
/// the query as values its tool encodes (curl's `--url-query`, HTTPie's
/// `name==value`), since the shell has no encoder of its own.
pub(crate) fn query_has_variables(call: &Call) -> bool {
    call.query
        .iter()
        .any(|(_, v)| v.iter().any(|p| p.var().is_some()))
}

/// The address a shell command names: without the query when
/// [`query_has_variables`], else the whole URL.
pub(crate) fn address(call: &Call) -> &Text {
    if query_has_variables(call) {
        &call.target
    } else {
        &call.url
    }
}

/// Writes a curl command, one option and its argument per line.
pub(crate) fn curl_command(call: &Call, shell: &Shell, out: &mut Code) {
    let has_body = !matches!(call.body, Body::None);
    let implied = (call.method == "GET" && !has_body) || (call.method == "POST" && has_body);
    // curl expands `{a,b}` and `[1-3]` in URLs into several requests.
    let globs = call
        .url
        .iter()
        .any(|p| matches!(p, Part::Lit(l) if l.contains(['[', ']', '{', '}'])));
    out.push(shell.program, Kind::Function);
    if globs {
        out.plain(" ");
        (shell.option)("--globoff", out);
    }
    if !implied {
        out.plain(" ");
        (shell.option)("-X", out);
        out.plain(" ");
        (shell.method)(&call.method, out);
    }
    out.plain(" ");
    (shell.word)(address(call), out);
    let line = |option: &str, value: &Text, out: &mut Code| {
        (shell.continuation)(out);
        (shell.option)(option, out);
        out.plain(" ");
        (shell.word)(value, out);
    };
    if query_has_variables(call) {
        // curl percent-encodes what follows `=`; the name is encoded here.
        for (k, v) in &call.query {
            let name = format!("{}=", percent_encode(k));
            line("--url-query", &prefixed(&name, v), out);
        }
    }
    if let Some((user, password)) = &call.basic {
        line("--user", &basic_pair(user, password), out);
    }
    for (name, value) in &call.headers {
        line("-H", &prefixed(&format!("{name}: "), value), out);
    }
    match &call.body {
        Body::None => {}
        Body::Form(fields) => {
            // curl encodes the value after `=` and expects the name encoded already.
            for (k, v) in fields {
                line(
                    "--data-urlencode",
                    &prefixed(&format!("{}=", form_encode(k)), v),
                    out,
                );
            }
        }
        Body::Json(j) => line("--data-raw", &j.pretty(), out),
    }
    out.plain("\n");
}

/// A string literal in a C-like language (`"..."`, JSON escapes), which is
/// valid Python, JavaScript and Rust.
pub(crate) fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}
