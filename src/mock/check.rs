//! What the mock checks before it answers, as the real API would: the
//! credentials (a token this mock issued earlier in the run, or any
//! non-empty secret), the captured ids in the path and query (issued
//! here, else 404), and the query, form and JSON fields the request
//! definition sends (present, else 400). No business rules beyond the chain.

use base64::Engine;
use serde_json::Value;

use super::issue::{Issued, Plan};
use super::routes::{bind, pieces, request, Piece};
use crate::content::chain::Pos;
use crate::content::config::AuthScheme;
use crate::content::request::QueryValue;
use crate::content::Site;

/// An incoming request, as the checks read it.
#[derive(Debug, Default)]
pub(crate) struct Ask {
    /// The method, upper case.
    pub method: String,
    /// The path as sent (percent-encoded).
    pub path: String,
    /// Query pairs, decoded.
    pub query: Vec<(String, String)>,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body, parsed by its content type.
    pub body: Incoming,
}

/// A request body as parsed.
#[derive(Debug, Default)]
pub(crate) enum Incoming {
    /// No body.
    #[default]
    None,
    /// `application/x-www-form-urlencoded` pairs, decoded.
    Form(Vec<(String, String)>),
    /// A JSON value.
    Json(Value),
    /// A body of another type, or one that does not parse.
    Other,
}

impl Ask {
    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why the mock does not answer as the API would on success.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// 400, 401 or 404.
    pub status: u16,
    /// What is wrong and what to do.
    pub message: String,
}

fn refuse(status: u16, message: String) -> Refusal {
    Refusal { status, message }
}

/// The checks of one request against the request definition at `pos`.
pub(crate) struct Checks<'a> {
    pub site: &'a Site,
    pub plan: &'a Plan,
    pub issued: &'a Issued,
    pub pos: Pos,
}

impl Checks<'_> {
    /// Everything, in the order an API checks it: credentials, path, query,
    /// headers, body.
    pub fn run(&self, ask: &Ask, path: &[(String, String)]) -> Result<(), Refusal> {
        self.auth(ask)?;
        for (name, value) in path {
            self.value(name, value, 404)?;
        }
        let req = request(self.site, self.pos);
        for (key, template) in &req.query {
            let sent: Vec<&str> = pairs(&ask.query, key).collect();
            self.fields(&format!("query parameter `{key}`"), template, &sent, 404)?;
        }
        for (key, template) in &req.headers {
            let t = pieces(&template.0);
            if t.iter().any(|p| matches!(p, Piece::Var(_))) {
                let sent = ask.header(&key.to_ascii_lowercase());
                self.one(&format!("header `{key}`"), &t, sent, 400)?;
            }
        }
        if let Some(form) = &req.form {
            let Incoming::Form(sent) = &ask.body else {
                return Err(refuse(
                    400,
                    "expected a form body (application/x-www-form-urlencoded)".into(),
                ));
            };
            for (key, template) in form {
                let one = QueryValue::One(template.clone());
                let values: Vec<&str> = pairs(sent, key).collect();
                self.fields(&format!("form field `{key}`"), &one, &values, 400)?;
            }
        }
        if let Some(json) = &req.json {
            let Incoming::Json(sent) = &ask.body else {
                return Err(refuse(
                    400,
                    "expected a JSON body (application/json)".into(),
                ));
            };
            self.json(json, sent, "$")?;
        }
        Ok(())
    }

    /// A captured value must be one this mock issued; any value must be non-empty.
    fn value(&self, name: &str, value: &str, status: u16) -> Result<(), Refusal> {
        if value.trim().is_empty() {
            return Err(refuse(400, format!("`{name}` is empty")));
        }
        if self.plan.must_be_issued(name, self.pos) && !self.issued.knows(name, value) {
            let from = self
                .plan
                .capturer(name, self.pos)
                .map(|p| request(self.site, p).id.as_str())
                .unwrap_or("?");
            return Err(refuse(
                status,
                format!("the `{name}` sent is not one this mock issued: run `{from}` against this mock first and send the `{name}` it answers"),
            ));
        }
        Ok(())
    }

    /// The values of a field (query parameter, form field) against its template.
    fn fields(
        &self,
        what: &str,
        template: &QueryValue,
        sent: &[&str],
        status: u16,
    ) -> Result<(), Refusal> {
        if sent.is_empty() {
            return Err(refuse(400, format!("missing {what}")));
        }
        for t in template.values() {
            let t = pieces(t);
            if t.iter().any(|p| matches!(p, Piece::Var(_))) {
                let bound = sent.iter().find_map(|s| bind(&t, s));
                let Some(bound) = bound else {
                    return Err(refuse(
                        400,
                        format!("{what} does not have the expected form"),
                    ));
                };
                for (name, value) in bound {
                    self.value(&name, &value, status)?;
                }
            }
        }
        Ok(())
    }

    /// One value (a header) against its template.
    fn one(
        &self,
        what: &str,
        template: &[Piece],
        sent: Option<&str>,
        status: u16,
    ) -> Result<(), Refusal> {
        let sent = sent.ok_or_else(|| refuse(status, format!("missing {what}")))?;
        let bound = bind(template, sent)
            .ok_or_else(|| refuse(status, format!("{what} does not have the expected form")))?;
        for (name, value) in bound {
            self.value(&name, &value, status)?;
        }
        Ok(())
    }

    /// The credentials the request's auth kind names.
    fn auth(&self, ask: &Ask) -> Result<(), Refusal> {
        let req = request(self.site, self.pos);
        let Some(kind) = req.auth_kind().and_then(|k| self.site.config.auth.get(k)) else {
            return Ok(());
        };
        let label = kind.label.as_str().to_owned();
        match kind.scheme() {
            Some(AuthScheme::Bearer(name)) => {
                let t = [Piece::Lit("Bearer ".into()), Piece::Var(name.into())];
                let sent = ask.header("authorization").map(|h| match h.get(..7) {
                    Some(b) if b.eq_ignore_ascii_case("bearer ") => format!("Bearer {}", &h[7..]),
                    _ => h.to_owned(),
                });
                self.one(
                    &format!("`Authorization: Bearer` with the {label}"),
                    &t,
                    sent.as_deref(),
                    401,
                )
            }
            Some(AuthScheme::Header(header, name)) => {
                let t = [Piece::Var(name.into())];
                let sent = ask.header(&header.to_ascii_lowercase());
                self.one(
                    &format!("header `{header}` with the {label}"),
                    &t,
                    sent,
                    401,
                )
            }
            Some(AuthScheme::Basic(user, password)) => {
                let pair = ask
                    .header("authorization")
                    .and_then(|h| h.strip_prefix("Basic "))
                    .and_then(|b| {
                        base64::engine::general_purpose::STANDARD
                            .decode(b.trim())
                            .ok()
                    })
                    .and_then(|b| String::from_utf8(b).ok());
                let Some((u, p)) = pair.as_deref().and_then(|p| p.split_once(':')) else {
                    return Err(refuse(
                        401,
                        format!("missing `Authorization: Basic` with the {label}"),
                    ));
                };
                self.value(user, u, 401)?;
                self.value(password, p, 401)
            }
            None => Ok(()),
        }
    }

    /// A JSON body against the definition's JSON: every field it names is
    /// there, every placeholder holds an acceptable value.
    fn json(&self, template: &Value, sent: &Value, at: &str) -> Result<(), Refusal> {
        match (template, sent) {
            (Value::Object(t), Value::Object(s)) => {
                for (k, tv) in t {
                    let here = format!("{at}.{k}");
                    let sv = s
                        .get(k)
                        .ok_or_else(|| refuse(400, format!("missing field `{here}`")))?;
                    self.json(tv, sv, &here)?;
                }
                Ok(())
            }
            (Value::Object(_), _) => Err(refuse(400, format!("`{at}` should be an object"))),
            (Value::Array(t), Value::Array(s)) => {
                for (i, (tv, sv)) in t.iter().zip(s).enumerate() {
                    self.json(tv, sv, &format!("{at}[{i}]"))?;
                }
                Ok(())
            }
            (Value::Array(_), _) => Err(refuse(400, format!("`{at}` should be an array"))),
            (Value::String(t), _) => {
                let t = pieces(t);
                if let [Piece::Var(name)] = &t[..] {
                    let text = match sent {
                        Value::String(s) => s.clone(),
                        Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    return self.value(name, &text, 400);
                }
                if t.iter().all(|p| matches!(p, Piece::Lit(_))) {
                    return Ok(());
                }
                let s = sent
                    .as_str()
                    .ok_or_else(|| refuse(400, format!("`{at}` should be a string")))?;
                self.one(&format!("`{at}`"), &t, Some(s), 400)
            }
            _ => Ok(()),
        }
    }
}

/// The values of `key` among `pairs`.
fn pairs<'a>(pairs: &'a [(String, String)], key: &'a str) -> impl Iterator<Item = &'a str> {
    pairs
        .iter()
        .filter(move |(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// How many of the fixed (placeholder-free) query, form and top-level JSON
/// values of the definition at `pos` the request sends as they are: what
/// tells apart two requests on one route (`grant_type=client_credentials`
/// or `authorization_code`).
pub(crate) fn agreement(site: &Site, pos: Pos, ask: &Ask) -> usize {
    let req = request(site, pos);
    let fixed = |t: &str| !t.contains("{{");
    let mut n = 0;
    for (k, v) in &req.query {
        n += v
            .values()
            .into_iter()
            .filter(|t| fixed(t) && pairs(&ask.query, k).any(|s| s == *t))
            .count();
    }
    if let (Some(form), Incoming::Form(sent)) = (&req.form, &ask.body) {
        n += form
            .iter()
            .filter(|(k, t)| fixed(&t.0) && pairs(sent, k).any(|s| s == t.0))
            .count();
    }
    if let (Some(Value::Object(t)), Incoming::Json(Value::Object(s))) = (&req.json, &ask.body) {
        n += t
            .iter()
            .filter(|(k, v)| v.as_str().is_none_or(fixed) && s.get(*k) == Some(v))
            .count();
    }
    n
}
