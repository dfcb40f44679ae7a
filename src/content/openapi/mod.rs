//! The provider's OpenAPI descriptions (`api.openapi`, and
//! `api.bases.NAME.openapi`, paths under `content/`) as a check of the
//! walkthrough: every HTTP request on a described base must be one of its
//! operations (method and path template), send its required parameters
//! with values that fit their schemas and no undeclared query parameter, a
//! JSON or form body that fits the request schema, and every shown response
//! (snapshot or sample) must have a documented status and a body that
//! validates against the response schema (JSON Schema 2020-12; a 3.0
//! description's `nullable` read as a `null` type). Problems are reported
//! at the request's line, or at the line and column inside the sample or
//! snapshot, with the JSON path, the rule and the schema location. What the
//! check finds (which operation each request is) is kept for the exports.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use super::config::DEFAULT_BASE;
use super::locate::at_request;
use super::request::SampleSource;
use super::{Origin, Site, SiteConfig, Step, CONTENT_DIR, SAMPLES_DIR};
use crate::error::{did_you_mean, Diagnostic, Diagnostics};
use crate::source;

mod description;
#[cfg(feature = "record")]
mod live;
mod params;

pub(crate) use description::Description;
use description::{Place, Schemas};
#[cfg(feature = "record")]
pub(crate) use live::Live;

/// What the check learnt: each described base's description, and which of
/// its operations each request is (the exports point at them).
#[derive(Debug, Clone, Default)]
pub struct Described {
    /// (base, its description), `api` first.
    pub(crate) bases: Vec<(String, Arc<Description>)>,
    /// Request id → the operation it is.
    pub(crate) operations: HashMap<String, Operation>,
}

/// The operation of a provider's description a request is.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    /// The base whose description holds it.
    pub(crate) base: String,
    /// Its `operationId`, if it has one.
    pub(crate) id: Option<String>,
    /// JSON Pointer to it in the description (`/paths/~1user/get`).
    pub(crate) pointer: String,
    /// (parameter name in the description, the request's path segment):
    /// `("userId", "{{ id }}")`.
    pub(crate) path_parameters: Vec<(String, String)>,
}

impl Described {
    /// The part of the path of base `base`'s description's server URL that
    /// the base URL lacks (server `https://h/v2`, base `https://h`, requests
    /// `/v2/x`: `/v2`), which a replacement for the server URL must carry.
    #[cfg(feature = "mock")]
    pub(crate) fn server_path_beyond(&self, config: &SiteConfig, base: &str) -> String {
        let server_path = self.of(base).map_or("", |d| d.server_path());
        let base_path = base_path(config, base);
        server_path
            .strip_prefix(base_path.as_str())
            .unwrap_or(server_path)
            .to_owned()
    }

    /// The description of `base`, if it has one.
    pub(crate) fn of(&self, base: &str) -> Option<&Description> {
        self.bases
            .iter()
            .find(|(b, _)| b == base)
            .map(|(_, d)| &**d)
    }
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
/// (`api.openapi`, `api.bases.NAME.openapi`), and says which operation
/// each request on such a base is.
pub(super) fn check(
    root: &Path,
    config: &SiteConfig,
    steps: &[Step],
    diags: &mut Diagnostics,
) -> Described {
    let mut described = Described::default();
    let Some(api) = config.api.as_ref() else {
        return described;
    };
    for base in api.names() {
        let Some(file) = api.description(base) else {
            continue;
        };
        let Some(desc) = Description::load(root, file, diags) else {
            continue;
        };
        match desc.schemas() {
            Ok(schemas) => {
                let checks = Checks {
                    root,
                    base,
                    base_path: base_path(config, base),
                    desc: &desc,
                    schemas: &schemas,
                };
                for step in steps {
                    checks.step(step, &mut described, diags);
                }
            }
            Err(e) => diags.push(Diagnostic::new(
                desc.rel(),
                format!("the schemas do not load: {e}"),
            )),
        }
        described.bases.push((base.to_owned(), Arc::new(desc)));
    }
    described
}

/// The path of base `base`'s URL (`https://api.example.com/v2` → `/v2`).
fn base_path(config: &SiteConfig, base: &str) -> String {
    let url = config.api.as_ref().and_then(|a| a.base(base)).unwrap_or("");
    url::Url::parse(url)
        .map(|u| u.path().trim_end_matches('/').to_owned())
        .unwrap_or_default()
}

/// The checks of one base against its description.
struct Checks<'a> {
    root: &'a Path,
    base: &'a str,
    /// The path of the base's URL (`/v2`), which request paths go under.
    base_path: String,
    desc: &'a Description,
    schemas: &'a Schemas<'a>,
}

impl Checks<'_> {
    /// Checks the requests of `step` that are on the base.
    fn step(&self, step: &Step, described: &mut Described, diags: &mut Diagnostics) {
        let desc = self.desc;
        for (r, req) in step.requests.iter().enumerate() {
            let on_base = req.base.as_deref().unwrap_or(DEFAULT_BASE) == self.base;
            let Some(path) = req
                .path
                .as_deref()
                .filter(|_| on_base && req.interactive.is_none() && req.url.is_none())
            else {
                continue;
            };
            let method = req.method.to_ascii_lowercase();
            let Some(matched) = desc.operation(&method, &self.base_path, path) else {
                let asked = format!("{} {path}", req.method);
                let all = desc.operation_names();
                let mut d = at_request(
                    step,
                    r,
                    format!("{asked} is not an operation of {}", desc.rel().display()),
                    "path",
                );
                if let Some(close) = did_you_mean(&asked, all.iter().map(String::as_str)) {
                    d = d.hint(format!("the closest operation is {close}"));
                }
                diags.push(d);
                continue;
            };
            let (template, path_parameters) = (matched.template, matched.path_parameters);
            let op = desc.at(template, &method);
            let ask = params::Ask {
                step,
                r,
                template,
                path_parameters: &path_parameters,
            };
            self.parameters(&ask, &op, diags);
            self.body(&ask, &op, diags);
            if let Some(resp) = &step.responses[r] {
                self.response(step, r, resp, &op, diags);
            }
            described.operations.insert(
                req.id.clone(),
                Operation {
                    base: self.base.to_owned(),
                    id: op.value["operationId"].as_str().map(str::to_owned),
                    pointer: op.pointer.clone(),
                    path_parameters,
                },
            );
        }
    }

    /// The shown response's status is documented, and its body validates;
    /// each problem at its place in the sample or snapshot.
    fn response(
        &self,
        step: &Step,
        r: usize,
        resp: &super::Response,
        op: &Place,
        diags: &mut Diagnostics,
    ) {
        let req = &step.requests[r];
        let findings =
            response_findings(self.desc, self.schemas, op, resp.status, &resp.body, diags);
        // Read only when a problem needs its place.
        let mut shown: Option<Shown> = None;
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
                    let msg = format!("{}: {message} ({of})", json_path(&pointer));
                    let at = shown.get_or_insert_with(|| Shown::of(self.root, step, r, resp));
                    let (line, col) =
                        super::pointer_pos::locate(&at.text, &format!("{}{pointer}", at.base));
                    let d =
                        Diagnostic::new(&at.file, msg).at(&at.whole, line + at.first_line - 1, col);
                    diags.push(d.hint(format!("schema rule at {rule}")));
                }
            }
        }
    }
}

/// What is wrong with a response of `op` with `status` and `body`.
fn response_findings(
    desc: &Description,
    schemas: &Schemas,
    op: &Place,
    status: u16,
    body: &Value,
    diags: &mut Diagnostics,
) -> Vec<Finding> {
    let status = status.to_string();
    let range = format!("{}XX", &status[..1]);
    let responses = desc.child(op, "responses");
    let Some(code) = [status.as_str(), range.as_str(), "default"]
        .into_iter()
        .find(|c| responses.value.get(*c).is_some())
    else {
        let keys = responses
            .value
            .as_object()
            .map(|m| m.keys().cloned().collect::<Vec<_>>().join(", "));
        return vec![Finding::Undocumented(keys.unwrap_or_default())];
    };
    if matches!(body, Value::String(s) if s.is_empty()) {
        return Vec::new();
    }
    let documented = desc.follow(desc.child(&responses, code));
    let Some(validator) = desc.validator(schemas, &documented, "json", diags) else {
        return Vec::new();
    };
    params::errors(&validator, body)
        .into_iter()
        .take(5)
        .map(|e| Finding::Body {
            pointer: e.instance_path,
            message: e.message,
            rule: desc.shown(&e.rule),
        })
        .collect()
}

/// Where a shown response is written: the file, the text a JSON Pointer
/// is located in (the sample or snapshot file, or the step's YAML for an
/// inline sample), the file line that text starts on, and the pointer of
/// the body inside it.
struct Shown {
    file: PathBuf,
    /// The whole file, for the excerpt under the message.
    whole: String,
    text: String,
    first_line: usize,
    base: String,
}

impl Shown {
    fn of(root: &Path, step: &Step, r: usize, resp: &super::Response) -> Shown {
        let req = &step.requests[r];
        let (rel, base) = match (&resp.origin, &req.sample) {
            (Origin::Snapshot { .. }, _) => (
                Site::snapshot_path(Path::new(""), &step.slug, &req.id),
                "/response/body",
            ),
            (Origin::Sample, Some(SampleSource::File(name))) => {
                (Path::new(CONTENT_DIR).join(SAMPLES_DIR).join(name), "")
            }
            _ => {
                // An inline sample, in the step's front matter.
                let markdown = step.source.extension().is_some_and(|e| e == "md");
                let (yaml, first_line) =
                    match super::step::split_front_matter(&step.source, &step.text) {
                        Ok((yaml, _, _)) if markdown => (yaml, 2),
                        _ => (step.text.as_str(), 1),
                    };
                return Shown {
                    file: step.source.clone(),
                    whole: step.text.clone(),
                    text: yaml.to_owned(),
                    first_line,
                    base: format!("/requests/{r}/sample"),
                };
            }
        };
        let text = source::read_text(root, &rel, source::DATA_LIMIT).unwrap_or_default();
        Shown {
            file: rel,
            whole: text.clone(),
            text,
            first_line: 1,
            base: base.to_owned(),
        }
    }
}
