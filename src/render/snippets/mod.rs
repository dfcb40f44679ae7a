//! Request snippets in the languages readers use, all generated from one
//! [`Call`]: each sends the same method, URL, headers and body, and reads
//! secrets and captured values from environment variables in that
//! language's idiom.

pub mod curl;
mod httpie;
mod javascript;
mod powershell;
mod python;
mod rust;

use crate::content::call::Call;

pub use crate::content::config::Lang;

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
        match self {
            Lang::Curl => curl::curl(call),
            Lang::Powershell => powershell::generate(call),
            Lang::Httpie => httpie::generate(call),
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
    /// A string expression for a value with variables.
    pub expr: &'a dyn Fn(&crate::content::call::Text) -> String,
}

/// Writes `j` as a literal (dict/object, list/array), items one per line with trailing commas.
pub(crate) fn json_literal(
    j: &crate::content::call::Json,
    lit: &Literals,
    depth: usize,
    out: &mut String,
) {
    use crate::content::call::Json;
    let pad = lit.indent.repeat(depth + 1);
    match j {
        Json::Null => out.push_str(lit.null),
        Json::Bool(true) => out.push_str(lit.yes),
        Json::Bool(false) => out.push_str(lit.no),
        Json::Number(n) => out.push_str(n),
        Json::Str(t) => out.push_str(&(lit.expr)(t)),
        Json::Array(items) if items.is_empty() => out.push_str("[]"),
        Json::Object(items) if items.is_empty() => out.push_str("{}"),
        Json::Array(items) => {
            out.push_str("[\n");
            for v in items {
                out.push_str(&pad);
                json_literal(v, lit, depth + 1, out);
                out.push_str(",\n");
            }
            out.push_str(&format!("{}]", lit.indent.repeat(depth)));
        }
        Json::Object(items) => {
            out.push_str("{\n");
            for (k, v) in items {
                out.push_str(&format!("{pad}{}: ", quoted(k)));
                json_literal(v, lit, depth + 1, out);
                out.push_str(",\n");
            }
            out.push_str(&format!("{}}}", lit.indent.repeat(depth)));
        }
    }
}

/// `t` as a string expression: literals and variables joined with ` + `.
pub(crate) fn concat(t: &crate::content::call::Text, env: &dyn Fn(&str) -> String) -> String {
    use crate::content::call::Part;
    if t.is_empty() {
        return "\"\"".into();
    }
    t.iter()
        .map(|p| match p {
            Part::Lit(l) => quoted(l),
            Part::Env(e) => env(e),
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Name/value pairs (headers, form fields) as a JSON object of strings,
/// for [`json_literal`].
pub(crate) fn pairs(items: &[(String, crate::content::call::Text)]) -> crate::content::call::Json {
    use crate::content::call::Json;
    Json::Object(
        items
            .iter()
            .map(|(k, v)| (k.clone(), Json::Str(v.clone())))
            .collect(),
    )
}

/// The lines of a curl command (`curl` or `curl.exe`) with each argument
/// quoted by `word`, joined with `continuation`.
pub(crate) fn curl_command(
    call: &Call,
    program: &str,
    word: &dyn Fn(&crate::content::call::Text) -> String,
    continuation: &str,
) -> String {
    use crate::content::call::{form_encode, prefixed, Body, Part};
    let has_body = !matches!(call.body, Body::None);
    let implied = (call.method == "GET" && !has_body) || (call.method == "POST" && has_body);
    let method = if implied {
        String::new()
    } else {
        format!(" -X {}", call.method)
    };
    // curl expands `{a,b}` and `[1-3]` in URLs into several requests.
    let globs = call
        .url
        .iter()
        .any(|p| matches!(p, Part::Lit(l) if l.contains(['[', ']', '{', '}'])));
    let globoff = if globs { " --globoff" } else { "" };
    let mut lines = vec![format!("{program}{globoff}{method} {}", word(&call.url))];
    if let Some((user, password)) = &call.basic {
        lines.push(format!(
            "--user {}",
            word(&crate::content::call::basic_pair(user, password))
        ));
    }
    for (name, value) in &call.headers {
        lines.push(format!(
            "-H {}",
            word(&prefixed(&format!("{name}: "), value))
        ));
    }
    match &call.body {
        Body::None => {}
        Body::Form(fields) => {
            // curl encodes the value after `=` and expects the name encoded already.
            for (k, v) in fields {
                lines.push(format!(
                    "--data-urlencode {}",
                    word(&prefixed(&format!("{}=", form_encode(k)), v))
                ));
            }
        }
        Body::Json(j) => lines.push(format!("--data-raw {}", word(&j.pretty()))),
    }
    format!("{}\n", lines.join(continuation))
}

/// A string literal in a C-like language (`"..."`, JSON escapes), which is
/// valid Python, JavaScript and Rust.
pub(crate) fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}
