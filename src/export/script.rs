//! Pre-request scripts that encode values. Postman and the `.http` clients
//! paste a variable into a URL or body as it is, so a value that goes into
//! a query, a form or a JSON string is encoded first by a line of
//! JavaScript that stores the encoded copy in a request variable
//! (`client_id_url`), and the request names that copy instead. A quote,
//! `&` or `{{` in a secret then cannot change the request.

use crate::content::call::{flatten, percent_encode, Part, Text};

/// How a value is pasted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    /// Percent-encoded, for a query or form value.
    Url,
    /// As the content of a JSON string (`{` escaped too, so a client that
    /// reads `{{` in a pasted value as a template sees none).
    Json,
}

/// A value as a JSON string's content.
const JSON_CONTENT: &str = "((s) => JSON.stringify(s).slice(1, -1).replace(/\\{/g, \"\\\\u007b\"))";

/// The script lines of one request, in the dialect of one client.
pub(super) struct Script {
    /// JavaScript that reads variable `n`: `pm.variables.get` or a helper.
    get: &'static str,
    /// JavaScript that sets a request variable.
    set: &'static str,
    pub lines: Vec<String>,
}

impl Script {
    pub fn new(get: &'static str, set: &'static str) -> Script {
        Script {
            get,
            set,
            lines: Vec::new(),
        }
    }

    /// `t` as the client should paste it: literal text encoded here, a
    /// value with variables as `{{name}}` of an encoded copy.
    pub fn text(&mut self, t: &Text, how: Encoding) -> String {
        let (lit, encode, suffix): (fn(&str) -> String, &str, &str) = match how {
            Encoding::Url => (percent_encode, "encodeURIComponent", "url"),
            Encoding::Json => (json_content, JSON_CONTENT, "json"),
        };
        if t.iter().all(|p| matches!(p, Part::Lit(_))) {
            return lit(&flatten(t, &|_| String::new()));
        }
        let joined: Vec<String> = t
            .iter()
            .map(|p| match p {
                Part::Lit(l) => js(l),
                Part::Env(e) => format!("{}({})", self.get, js(e)),
            })
            .collect();
        let name = match t.as_slice() {
            [Part::Env(e)] => format!("{e}_{suffix}"),
            _ => format!("stepdoc_value_{}_{suffix}", self.lines.len() + 1),
        };
        let line = format!(
            "{}({}, {encode}(String({})));",
            self.set,
            js(&name),
            joined.join(" + ")
        );
        if !self.lines.contains(&line) {
            self.lines.push(line);
        }
        format!("{{{{{name}}}}}")
    }
}

/// Literal JSON string content (already escaped by the JSON writer).
fn json_content(s: &str) -> String {
    s.to_owned()
}

/// A JavaScript string literal.
pub(super) fn js(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}
