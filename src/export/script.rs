//! Pre-request scripts that place values. Postman and the `.http` clients
//! paste a variable into a request as it is, and read `{{` in the pasted
//! value as another template (httpYac evaluates it as JavaScript). So every
//! variable that reaches a request goes through one line of JavaScript
//! that stores a safe copy in a request variable (`client_id_url`), and the
//! request names that copy: percent-encoded in a URL (a path segment or a
//! query value) or a form, escaped in a JSON string, and refused in a
//! header when it holds `{{`, `}}` or a line break (a header has no escape
//! for them). A quote, `&`, `/` or `{{` in a value then cannot change the
//! request. The copies' names come from the plan's [`Namespace`], so they
//! never shadow a variable of the walkthrough.

use super::Namespace;
use crate::call::{flatten, percent_encode, Body, Part, Text};
use crate::content::ValueType;

/// Where a value is pasted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    /// Percent-encoded: a path segment, a query or form value.
    Url,
    /// As the content of a JSON string (`{` escaped too, so a client that
    /// reads `{{` in a pasted value as a template sees none).
    Json,
    /// A header value: pasted as it is, or refused (the request fails
    /// before it is sent) when it could be read as a template or a header.
    Header,
    /// A whole JSON value of a type: its JSON text when the value is one
    /// of that type, else refused.
    Typed(ValueType),
}

/// A value as a JSON string's content.
const JSON_CONTENT: &str = "((s) => JSON.stringify(s).slice(1, -1).replace(/\\{/g, \"\\\\u007b\"))";

/// A header value, or an error that stops the request.
const HEADER_VALUE: &str = "((s) => { if (/\\{\\{|\\}\\}|[\\r\\n]/.test(s)) { throw new Error(\"a value for a header holds {{, }} or a line break; stepdoc's export will not send it\"); } return s; })";

/// A value as the JSON text of a `ty`, or an error that stops the request.
fn typed_value(ty: ValueType) -> String {
    let test = match ty {
        ValueType::Integer => "Number.isInteger(x)",
        ValueType::Number => "typeof x === \"number\"",
        ValueType::Boolean => "typeof x === \"boolean\"",
    };
    format!(
        "((s) => {{ let x; try {{ x = JSON.parse(s); }} catch (e) {{}} if (!({test})) {{ throw new Error({}); }} return JSON.stringify(x); }})",
        js(&format!("a value sent as a JSON {} is not one; stepdoc's export will not send it", ty.name()))
    )
}

/// The script lines of one request, in the dialect of one client.
pub(super) struct Script {
    /// JavaScript that reads variable `n`: `pm.variables.get` or a helper.
    get: &'static str,
    /// JavaScript that sets a request variable.
    set: &'static str,
    /// The names in use: the walkthrough's and this script's copies.
    names: Namespace,
    lines: Vec<(String, String)>,
}

impl Script {
    pub fn new(get: &'static str, set: &'static str, names: &Namespace) -> Script {
        Script {
            get,
            set,
            names: names.clone(),
            lines: Vec::new(),
        }
    }

    /// A request body as the client should send it, each value through
    /// [`Script::text`]: form fields percent-encoded, a JSON body's values
    /// escaped in their strings or placed as their type.
    pub fn body(&mut self, body: &Body) -> Option<String> {
        match body {
            Body::None => None,
            Body::Form(fields) => Some(
                fields
                    .iter()
                    .map(|(k, v)| format!("{}={}", percent_encode(k), self.text(v, Encoding::Url)))
                    .collect::<Vec<_>>()
                    .join("&"),
            ),
            Body::Json(j) => {
                let mut text = String::new();
                for part in j.pretty() {
                    let how = match &part {
                        Part::Lit(l) => {
                            text.push_str(l);
                            continue;
                        }
                        Part::Typed(_, ty) => Encoding::Typed(*ty),
                        _ => Encoding::Json,
                    };
                    text.push_str(&self.text(&vec![part], how));
                }
                Some(text)
            }
        }
    }

    /// `t` as the client should paste it: literal text encoded here, a
    /// value with variables as `{{name}}` of an encoded copy.
    pub fn text(&mut self, t: &Text, how: Encoding) -> String {
        let typed;
        let (lit, encode, suffix): (fn(&str) -> String, &str, &str) = match how {
            Encoding::Url => (percent_encode, "encodeURIComponent", "url"),
            Encoding::Json => (json_content, JSON_CONTENT, "json"),
            Encoding::Header => (str::to_owned, HEADER_VALUE, "header"),
            Encoding::Typed(ty) => {
                typed = typed_value(ty);
                (json_content, typed.as_str(), ty.name())
            }
        };
        if t.iter().all(|p| matches!(p, Part::Lit(_))) {
            return lit(&flatten(t, &|_| String::new()));
        }
        let joined: Vec<String> = t
            .iter()
            .map(|p| match p {
                Part::Lit(l) => js(l),
                Part::Env(e) | Part::Url(e) | Part::Json(e) | Part::Typed(e, _) => {
                    format!("{}({})", self.get, js(e))
                }
            })
            .collect();
        let expr = format!("{encode}(String({}))", joined.join(" + "));
        let want = match t.as_slice() {
            [Part::Env(e) | Part::Url(e) | Part::Json(e) | Part::Typed(e, _)] => {
                format!("{e}_{suffix}")
            }
            _ => format!("stepdoc_value_{suffix}"),
        };
        let name = match self.lines.iter().find(|(_, e)| *e == expr) {
            Some((name, _)) => name.clone(),
            None => {
                let name = self.names.fresh(&want);
                self.lines.push((name.clone(), expr));
                name
            }
        };
        format!("{{{{{name}}}}}")
    }

    /// The script's lines.
    pub fn lines(&self) -> Vec<String> {
        self.lines
            .iter()
            .map(|(name, expr)| format!("{}({}, {expr});", self.set, js(name)))
            .collect()
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

/// The line of a capture script that refuses a captured value a client
/// would read as a template, before it is stored.
pub(super) fn checked_capture(value: &str, name: &str) -> String {
    format!(
        "((v) => {{ if (/\\{{\\{{|\\}}\\}}/.test(v)) {{ throw new Error({}); }} return v; }})(String({value}))",
        js(&format!("the response's value for `{name}` holds {{{{ or }}}}, which this client would read as a template; stepdoc's export will not store it"))
    )
}
