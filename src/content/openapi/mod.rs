//! The provider's OpenAPI descriptions (`api.openapi`, and
//! `api.bases.NAME.openapi`, paths under `content/`) as a check of the
//! walkthrough: every HTTP request on a described base must be one of its
//! operations (method and path template), send the operation's required
//! query parameters and no undeclared ones, a JSON body that fits the
//! request schema, and every shown response (snapshot or sample) must have
//! a documented status and a body that validates against the response
//! schema (JSON Schema 2020-12; a 3.0 description's `nullable` read as a
//! `null` type). Problems are reported at the request's line, or at the
//! line and column inside the sample or snapshot, with the JSON path, the
//! rule and the schema location.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::config::DEFAULT_BASE;
use super::locate::at_request;
use super::request::SampleSource;
use super::{Origin, Site, SiteConfig, Step, CONTENT_DIR, SAMPLES_DIR};
use crate::error::{did_you_mean, Diagnostic, Diagnostics};
use crate::source;

#[cfg(feature = "record")]
mod live;
#[cfg(feature = "record")]
pub(crate) use live::Live;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A loaded description.
struct Description {
    rel: PathBuf,
    doc: Value,
    /// The path of the first server URL (`/v1`), which request paths start with.
    prefix: String,
    /// (method, path template) of every operation.
    operations: Vec<(String, String)>,
}

/// An operation of the description, with where it is in it.
struct Operation<'a> {
    /// `/paths/~1accounts/get`
    at: String,
    def: &'a Value,
}

/// A problem of a response, before it gets a place.
enum Finding {
    /// The status is not documented; the documented ones.
    Undocumented(String),
    /// The body breaks the schema at `pointer`.
    Body {
        pointer: String,
        message: String,
        rule: String,
    },
}

/// `/accounts/1/balance` as `$.accounts.1.balance`.
fn json_path(pointer: &str) -> String {
    format!("${}", pointer.replace('/', "."))
}

/// Checks `steps` against the description of each base that has one
/// (`api.openapi`, `api.bases.NAME.openapi`).
pub(super) fn check(root: &Path, config: &SiteConfig, steps: &[Step], diags: &mut Diagnostics) {
    let Some(api) = config.api.as_ref() else {
        return;
    };
    for base in api.names() {
        let Some(file) = api.description(base) else {
            continue;
        };
        if let Some(desc) = load(root, file, diags) {
            check_base(root, base, &desc, steps, diags);
        }
    }
}

/// Checks the requests on `base` against its description.
fn check_base(
    root: &Path,
    base: &str,
    desc: &Description,
    steps: &[Step],
    diags: &mut Diagnostics,
) {
    for step in steps {
        for (r, req) in step.requests.iter().enumerate() {
            let on_base = req.base.as_deref().unwrap_or(DEFAULT_BASE) == base;
            let Some(path) = req
                .path
                .as_deref()
                .filter(|_| on_base && req.interactive.is_none() && req.url.is_none())
            else {
                continue;
            };
            let method = req.method.to_ascii_lowercase();
            let Some(template) = desc.operation(&method, path) else {
                let asked = format!("{} {path}", req.method);
                let all: Vec<String> = desc
                    .operations
                    .iter()
                    .map(|(m, p)| format!("{} {p}", m.to_ascii_uppercase()))
                    .collect();
                let mut d = at_request(
                    step,
                    r,
                    format!("{asked} is not an operation of {}", desc.rel.display()),
                    "path",
                );
                if let Some(close) = did_you_mean(&asked, all.iter().map(String::as_str)) {
                    d = d.hint(format!("the closest operation is {close}"));
                }
                diags.push(d);
                continue;
            };
            let op = desc.at(&template, &method);
            desc.check_query(step, r, template.as_str(), op.def, diags);
            desc.check_json_body(step, r, &op, diags);
            if let Some(resp) = &step.responses[r] {
                desc.check_response(root, step, r, resp, &op, diags);
            }
        }
    }
}

/// Reads and parses the description; its problems go to `diags`.
fn load(root: &Path, name: &str, diags: &mut Diagnostics) -> Option<Description> {
    let rel = Path::new(CONTENT_DIR).join(name);
    let text = match source::read_text(root, &rel, source::DATA_LIMIT) {
        Ok(t) => t,
        Err(source::ReadError::Missing) => {
            diags.push(
                Diagnostic::new(
                    &rel,
                    "the OpenAPI description `api.openapi` names does not exist",
                )
                .hint("give a path under content/, e.g. `api: { openapi: openapi.yaml }`"),
            );
            return None;
        }
        Err(source::ReadError::Refused(d)) => {
            diags.push(d);
            return None;
        }
    };
    let mut doc: Value = match serde_saphyr::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            diags.push(Diagnostic::new(&rel, format!("not YAML or JSON: {e}")));
            return None;
        }
    };
    let version = doc["openapi"].as_str().unwrap_or_default().to_owned();
    if !(version.starts_with("3.0.") || version.starts_with("3.1.")) {
        let what = if version.is_empty() {
            "no `openapi` version: not an OpenAPI description".to_owned()
        } else {
            format!("OpenAPI {version} is not supported")
        };
        diags.push(
            Diagnostic::new(&rel, what)
                .at(&text, 1, 1)
                .hint("stepdoc reads OpenAPI 3.0 and 3.1 descriptions"),
        );
        return None;
    }
    if version.starts_with("3.0.") {
        nullable_as_null_type(&mut doc);
    }
    let prefix = doc["servers"][0]["url"]
        .as_str()
        .and_then(|u| url::Url::parse(u).ok())
        .map(|u| u.path().trim_end_matches('/').to_owned())
        .unwrap_or_default();
    let operations = doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(p, item)| {
            METHODS
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(move |m| (m.to_string(), p.clone()))
        })
        .collect();
    Some(Description {
        rel,
        doc,
        prefix,
        operations,
    })
}

/// OpenAPI 3.0's `nullable: true` as JSON Schema's `type: [T, "null"]`.
fn nullable_as_null_type(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(t)) = map.get("type").cloned() {
                    map.insert("type".into(), serde_json::json!([t, "null"]));
                }
            }
            map.values_mut().for_each(nullable_as_null_type);
        }
        Value::Array(items) => items.iter_mut().for_each(nullable_as_null_type),
        _ => {}
    }
}

impl Description {
    /// The path template of the operation `method path` is, if any: each
    /// `{{ name }}` segment matches a `{param}` one, literals match as they are.
    fn operation(&self, method: &str, path: &str) -> Option<String> {
        let asked: Vec<&str> = path.split('/').collect();
        self.operations.iter().find_map(|(m, template)| {
            let full = format!("{}{template}", self.prefix);
            let parts: Vec<&str> = full.split('/').collect();
            let fits = m == method
                && parts.len() == asked.len()
                && parts
                    .iter()
                    .zip(&asked)
                    .all(|(t, a)| t == a || (t.starts_with('{') && t.ends_with('}')));
            fits.then(|| template.clone())
        })
    }

    /// Resolves a local `$ref` (`#/components/parameters/X`).
    fn deref<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        {
            Some(pointer) => self.doc.pointer(pointer).unwrap_or(v),
            None => v,
        }
    }

    /// Required query parameters present; no undeclared ones.
    fn check_query(
        &self,
        step: &Step,
        r: usize,
        template: &str,
        op: &Value,
        diags: &mut Diagnostics,
    ) {
        let req = &step.requests[r];
        let declared: Vec<&Value> = op["parameters"]
            .as_array()
            .into_iter()
            .chain(self.doc["paths"][template]["parameters"].as_array())
            .flatten()
            .map(|p| self.deref(p))
            .filter(|p| p["in"] == "query")
            .collect();
        for p in &declared {
            let name = p["name"].as_str().unwrap_or_default();
            if p["required"] == Value::Bool(true) && !req.query.contains_key(name) {
                let d = at_request(
                    step,
                    r,
                    format!(
                        "{} {}: the required query parameter `{name}` is missing",
                        req.method, template
                    ),
                    "query",
                );
                diags.push(d.hint(format!(
                    "add `{name}:` under `query:` ({})",
                    self.rel.display()
                )));
            }
        }
        for key in req.query.keys() {
            if !declared.iter().any(|p| p["name"] == key.as_str()) {
                let names: Vec<&str> = declared.iter().filter_map(|p| p["name"].as_str()).collect();
                let mut d = at_request(
                    step,
                    r,
                    format!(
                        "query parameter `{key}` is not a parameter of {} {template}",
                        req.method
                    ),
                    key,
                );
                if let Some(close) = did_you_mean(key, names.iter().copied()) {
                    d = d.hint(format!("did you mean `{close}`?"));
                }
                diags.push(d);
            }
        }
    }

    /// The request's JSON body against the operation's request schema, a
    /// `{{ placeholder }}` standing for any value the schema allows.
    fn check_json_body(&self, step: &Step, r: usize, op: &Operation, diags: &mut Diagnostics) {
        let req = &step.requests[r];
        let Some(body) = &req.json else {
            return;
        };
        let raw = &op.def["requestBody"];
        let at = self.pointer_through_ref(raw, format!("{}/requestBody", op.at));
        let Some(validator) = self.validator(&at, self.deref(raw), diags) else {
            return;
        };
        for e in validator.iter_errors(body) {
            let path = e.instance_path().to_string();
            let placeholder = body
                .pointer(&path)
                .and_then(Value::as_str)
                .is_some_and(|s| s.contains("{{"));
            if placeholder {
                continue;
            }
            let field = path
                .rsplit('/')
                .next()
                .filter(|f| !f.is_empty())
                .unwrap_or("json");
            let where_ = if path.is_empty() {
                "$".to_owned()
            } else {
                format!("${}", path.replace('/', "."))
            };
            let d = at_request(
                step,
                r,
                format!(
                    "request body {where_}: {e} ({} {})",
                    req.method,
                    req.target()
                ),
                field,
            );
            diags.push(d.hint(format!(
                "schema rule at {}#{}",
                self.rel.display(),
                e.schema_path()
            )));
        }
    }

    /// The shown response's status is documented, and its body validates;
    /// each problem at its place in the sample or snapshot.
    fn check_response(
        &self,
        root: &Path,
        step: &Step,
        r: usize,
        resp: &super::Response,
        op: &Operation,
        diags: &mut Diagnostics,
    ) {
        let req = &step.requests[r];
        let findings = self.response_findings(op, resp.status, &resp.body, diags);
        let (file, text, base) = shown_file(root, step, r, resp);
        let of = format!("status {} of {} {}", resp.status, req.method, req.target());
        for f in findings {
            match f {
                Finding::Undocumented(documented) => diags.push(
                    at_request(
                        step,
                        r,
                        format!(
                            "status {} is not a documented response of {} {}",
                            resp.status,
                            req.method,
                            req.target()
                        ),
                        "status",
                    )
                    .hint(format!("documented: {documented}")),
                ),
                Finding::Body {
                    pointer,
                    message,
                    rule,
                } => {
                    let (line, col) = match &text {
                        Some(t) => super::jsonpos::locate(t, &format!("{base}{pointer}")),
                        None => (req.line, 1),
                    };
                    diags.push(
                        Diagnostic::new(
                            &file,
                            format!("{}: {message} ({of})", json_path(&pointer)),
                        )
                        .at(text.as_deref().unwrap_or(&step.text), line, col)
                        .hint(format!("schema rule at {}#{rule}", self.rel.display())),
                    );
                }
            }
        }
    }

    /// What is wrong with a response of `op` with `status` and `body`.
    fn response_findings(
        &self,
        op: &Operation,
        status: u16,
        body: &Value,
        diags: &mut Diagnostics,
    ) -> Vec<Finding> {
        let status = status.to_string();
        let range = format!("{}XX", &status[..1]);
        let responses = &op.def["responses"];
        let Some((code, documented)) = [status.as_str(), range.as_str(), "default"]
            .iter()
            .find_map(|c| responses.get(*c).map(|d| (*c, self.deref(d))))
        else {
            let keys = responses
                .as_object()
                .map(|m| m.keys().cloned().collect::<Vec<_>>().join(", "));
            return vec![Finding::Undocumented(keys.unwrap_or_default())];
        };
        if matches!(body, Value::String(s) if s.is_empty()) {
            return Vec::new();
        }
        let at = self.pointer_through_ref(
            &responses[code],
            format!("{}/responses/{}", op.at, escape(code)),
        );
        let Some(validator) = self.validator(&at, documented, diags) else {
            return Vec::new();
        };
        validator
            .iter_errors(body)
            .take(5)
            .map(|e| Finding::Body {
                pointer: e.instance_path().to_string(),
                message: e.to_string(),
                rule: e.schema_path().to_string(),
            })
            .collect()
    }

    /// Where the object at `raw` (a response, a request body) is in the
    /// document: where its `$ref` points, else `at`.
    fn pointer_through_ref(&self, raw: &Value, at: String) -> String {
        match raw
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        {
            Some(pointer) => pointer.to_owned(),
            None => at,
        }
    }

    /// The validator of the JSON content of `holder` (a response or a
    /// request body, at `at` in the document), compiled with the whole
    /// description as its root so local `$ref`s resolve; `None` when it
    /// has no JSON content.
    fn validator(
        &self,
        at: &str,
        holder: &Value,
        diags: &mut Diagnostics,
    ) -> Option<jsonschema::Validator> {
        let (schema_at, _) = holder["content"]
            .as_object()?
            .iter()
            .find(|(t, _)| t.contains("json"))?;
        let pointer = format!("{at}/content/{}/schema", escape(schema_at));
        let mut schema = self.doc.clone();
        if let Value::Object(m) = &mut schema {
            // (A fragment is a URI part: `{accountId}` goes in percent-encoded.)
            let fragment = percent_encoding::utf8_percent_encode(&pointer, FRAGMENT);
            m.insert("$ref".into(), Value::from(format!("#{fragment}")));
            m.insert(
                "$schema".into(),
                Value::from("https://json-schema.org/draft/2020-12/schema"),
            );
        }
        match jsonschema::options().build(&schema) {
            Ok(v) => Some(v),
            Err(e) => {
                diags.push(Diagnostic::new(
                    &self.rel,
                    format!("the schema at #{pointer} does not compile: {e}"),
                ));
                None
            }
        }
    }

    /// The operation `method` of path `template`.
    fn at(&self, template: &str, method: &str) -> Operation<'_> {
        Operation {
            at: format!("/paths/{}/{method}", escape(template)),
            def: &self.doc["paths"][template][method],
        }
    }
}

/// What a URI fragment cannot hold as it is.
const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The file a shown response comes from, its text when it is JSON of its
/// own, and the pointer of the body inside it.
fn shown_file(
    root: &Path,
    step: &Step,
    r: usize,
    resp: &super::Response,
) -> (PathBuf, Option<String>, &'static str) {
    let req = &step.requests[r];
    let (rel, base) = match (&resp.origin, &req.sample) {
        (Origin::Snapshot { .. }, _) => (
            Site::snapshot_path(Path::new(""), &step.slug, &req.id),
            "/response/body",
        ),
        (Origin::Sample, Some(SampleSource::File(name))) => {
            (Path::new(CONTENT_DIR).join(SAMPLES_DIR).join(name), "")
        }
        _ => return (step.source.clone(), None, ""),
    };
    let text = source::read_text(root, &rel, source::DATA_LIMIT).ok();
    (rel, text, base)
}
