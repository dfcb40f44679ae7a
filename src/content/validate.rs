//! Cross-file checks of a walkthrough: step numbering, request ids,
//! names, variables, captures and links to drafts; then each request's
//! shown response and each payload are resolved (see [`super::resolve`]).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::chain::{Capturers, Pos};
use super::data_checks;
use super::locate::{at_request, at_request_in, at_variable};
use super::request::{self, METHODS};
use super::resolve::{resolve_payloads, resolve_response};
use super::snapshot::{Origin, Response};
use super::{SiteConfig, Step};
use crate::error::{did_you_mean, line_col, Diagnostic, Diagnostics};

/// Runs every check, pushing problems into `diags`, and fills in responses and payloads.
pub(super) fn check_site(
    root: &Path,
    config: &SiteConfig,
    steps: &mut [Step],
    complete: bool,
    diags: &mut Diagnostics,
) {
    check_numbers(steps, diags);
    let capturers = Capturers::new(steps);
    let mut ids: HashMap<String, String> = HashMap::new();
    for s in 0..steps.len() {
        let step = &steps[s];
        data_checks::check_step_text(step, diags);
        for (i, req) in step.requests.iter().enumerate() {
            check_request(config, step, i, &mut ids, diags);
            // Without every step, a name may be undefined only because its
            // step is broken: names are judged only when all steps parsed.
            if complete {
                check_dependencies(config, steps, &capturers, (s, i), diags);
            }
            for name in req.capture.keys() {
                check_capture_name(config, step, i, name, diags);
            }
        }
        let step = &mut steps[s];
        let responses: Vec<Option<Response>> = step
            .requests
            .iter()
            .map(|req| resolve_response(root, step, req, diags))
            .collect();
        step.responses = responses;
        resolve_payloads(root, step, diags);
    }
}

/// Links from published steps to drafts, which `build` leaves out.
pub(super) fn links_to_drafts(steps: &[Step], drafts: &[String]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if drafts.is_empty() {
        return out;
    }
    for step in steps {
        let body = step.body();
        for (event, range) in pulldown_cmark::Parser::new(body).into_offset_iter() {
            let pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) = event
            else {
                continue;
            };
            let name = dest_url
                .split('#')
                .next()
                .unwrap_or("")
                .trim_start_matches("./");
            if drafts.iter().any(|d| d == name) {
                let (line, _) = line_col(body, range.start);
                let line = line + step.body_line - 1;
                let column = step
                    .text
                    .lines()
                    .nth(line - 1)
                    .and_then(|l| l.find(&body[range.start..range.end]))
                    .map_or(1, |c| c + 1);
                out.push(
                    Diagnostic::new(&step.source, format!("link to `{name}`, a draft: `build` leaves it out, so the link leads nowhere"))
                        .at(&step.text, line, column)
                        .hint("publish the step (remove `draft: true`) or remove the link"),
                );
            }
        }
    }
    out
}

/// Requests that will show no response (neither a snapshot nor a sample),
/// and captures whose JSONPath selects nothing in the response shown.
pub(super) fn warnings(steps: &[Step]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for step in steps {
        for (index, (req, resp)) in step.requests.iter().zip(&step.responses).enumerate() {
            if let Some(resp) = resp.as_ref().filter(|_| req.interactive.is_none()) {
                for (name, cap) in &req.capture {
                    if let Err(why) = super::capture::capture(&resp.body, cap.path()) {
                        let shown = match resp.origin {
                            Origin::Sample => "sample",
                            Origin::Snapshot { .. } => "snapshot",
                        };
                        out.push(
                            at_request_in(step, index, Some("capture"), format!("capture `{name}`: {why} (the {shown} of `{}`)", req.id), name)
                                .hint("check the path against the response, e.g. `$.user_id` or `$.accounts[0].id`"),
                        );
                    }
                }
            }
            let prompt = req.interactive == Some(super::Interactive::Prompt);
            if resp.is_none() && !prompt {
                out.push(
                    at_request(step, index, format!("request `{}` has no snapshot and no sample: its card shows no response", req.id), "id")
                        .hint("add `sample:` (a file under content/samples/ or inline YAML), or record it with `stepdoc record`"),
                );
            }
        }
    }
    out
}

/// A capture's name is an identifier, and neither a variable, a secret, nor
/// shown as the same environment variable as a secret.
fn check_capture_name(
    config: &SiteConfig,
    step: &Step,
    index: usize,
    name: &str,
    diags: &mut Diagnostics,
) {
    let at = |msg: String| at_request_in(step, index, Some("capture"), msg, name);
    if !request::is_identifier(name) {
        diags.push(
            at(format!("capture name `{name}` is not a valid name")).hint(
                "use letters, digits and `_`, not starting with a digit: snippets read it as $NAME",
            ),
        );
    }
    let kind = if config.variables.contains_key(name) {
        Some("a site variable")
    } else if config.secrets.contains_key(name) {
        Some("a secret")
    } else {
        None
    };
    if let Some(kind) = kind {
        diags.push(
            at(format!(
                "capture `{name}` has the name of {kind} in content/site.yaml"
            ))
            .hint("rename the capture: `{{ name }}` must mean one thing"),
        );
    }
    let env = name.to_ascii_uppercase();
    if let Some((secret, _)) = config.secrets.iter().find(|(_, e)| **e == env) {
        diags.push(
            at(format!("capture `{name}` is shown as ${env}, the environment variable of secret `{secret}`"))
                .hint("rename the capture or the secret's environment variable"),
        );
    }
}

fn check_numbers(steps: &[Step], diags: &mut Diagnostics) {
    let mut by_number: BTreeMap<u32, &Step> = BTreeMap::new();
    let mut by_slug: HashMap<&str, &Step> = HashMap::new();
    for step in steps {
        if let Some(other) = by_number.insert(step.number, step) {
            diags.push(
                Diagnostic::new(
                    &step.source,
                    format!("step number {:02} is used twice", step.number),
                )
                .at(&step.text, 1, 1)
                .hint(format!(
                    "{} has the same number; renumber one of them",
                    other.source.display()
                )),
            );
        }
        if let Some(other) = by_slug.insert(&step.slug, step) {
            diags.push(
                Diagnostic::new(
                    &step.source,
                    format!("step slug `{}` is used twice", step.slug),
                )
                .at(&step.text, 1, 1)
                .hint(format!(
                    "{} has the same slug; each step needs its own page name",
                    other.source.display()
                )),
            );
        }
    }
}

/// One request of a step, as its checks see it.
struct RequestAt<'a> {
    config: &'a SiteConfig,
    step: &'a Step,
    index: usize,
}

impl RequestAt<'_> {
    fn req(&self) -> &request::Request {
        &self.step.requests[self.index]
    }

    /// Whether the request is `interactive: prompt`.
    fn is_prompt(&self) -> bool {
        self.req().interactive == Some(super::Interactive::Prompt)
    }

    /// A diagnostic at `needle` inside this request's definition.
    fn at(&self, msg: String, needle: &str) -> Diagnostic {
        at_request(self.step, self.index, msg, needle)
    }
}

/// One check of a request: each reports what it finds into `diags`.
type RequestCheck = fn(&RequestAt, &mut Diagnostics);

/// Every check of a request, in the order their problems are reported.
const REQUEST_CHECKS: [RequestCheck; 9] = [
    check_id,
    check_method,
    check_prompt,
    check_address,
    check_status_and_body,
    check_headers,
    check_spaces,
    |r, diags| data_checks::check_request(r.step, r.index, diags),
    check_auth,
];

fn check_request(
    config: &SiteConfig,
    step: &Step,
    index: usize,
    ids: &mut HashMap<String, String>,
    diags: &mut Diagnostics,
) {
    let r = RequestAt {
        config,
        step,
        index,
    };
    let id = &r.req().id;
    if let Some(other) = ids.insert(id.clone(), step.source.display().to_string()) {
        diags.push(r.at(
            format!("request id `{id}` is used twice (also in {other})"),
            "id",
        ));
    }
    for check in REQUEST_CHECKS {
        check(&r, diags);
    }
}

/// The id holds letters, digits, `-` and `_` only.
fn check_id(r: &RequestAt, diags: &mut Diagnostics) {
    let id = &r.req().id;
    let valid = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        diags.push(r.at(
            format!("request id `{id}` may only hold letters, digits, `-` and `_`"),
            "id",
        ));
    }
}

/// The method is an HTTP method.
fn check_method(r: &RequestAt, diags: &mut Diagnostics) {
    let req = r.req();
    if !METHODS.contains(&req.method.as_str()) {
        diags.push(
            r.at(
                format!("request `{}`: unknown method `{}`", req.id, req.method),
                &format!("method: {}", req.method),
            )
            .hint(format!("use one of {}", METHODS.join(", "))),
        );
    }
}

/// `prompt` and `interactive: prompt` come together.
fn check_prompt(r: &RequestAt, diags: &mut Diagnostics) {
    let req = r.req();
    let is_prompt = r.is_prompt();
    if is_prompt && req.prompt.is_none() {
        diags.push(
            r.at(format!("request `{}` is `interactive: prompt` but has no `prompt`", req.id), "id")
                .hint("say what the person should do, e.g. `prompt: Open {{ verification_uri }} and enter {{ user_code }}, then press Enter`"),
        );
    }
    if !is_prompt && req.prompt.is_some() {
        diags.push(
            r.at(
                format!(
                    "request `{}` has a `prompt` but is not `interactive: prompt`",
                    req.id
                ),
                "prompt",
            )
            .hint("add `interactive: prompt`, or remove `prompt`"),
        );
    }
}

/// One of `path` (under a declared base) and `url`.
fn check_address(r: &RequestAt, diags: &mut Diagnostics) {
    let (config, req) = (r.config, r.req());
    match (&req.path, &req.url) {
        (None, None) if r.is_prompt() => {}
        (None, None) => diags.push(r.at(
            format!("request `{}` has neither `path` nor `url`", req.id),
            "id",
        )),
        (Some(_), Some(_)) => diags.push(r.at(
            format!("request `{}` has both `path` and `url`; keep one", req.id),
            "id",
        )),
        (Some(p), None) if !p.starts_with('/') && !p.starts_with("{{") => diags.push(
            r.at(
                format!("request `{}`: `path` must start with `/`", req.id),
                p,
            )
            .hint("write the full address as `url` instead"),
        ),
        (Some(_), None) if api_base(config, req).is_none() => diags.push(unknown_base(r)),
        _ => {}
    }
}

/// A `path` whose base site.yaml does not declare.
fn unknown_base(r: &RequestAt) -> Diagnostic {
    let (config, req) = (r.config, r.req());
    let name = req.base.as_deref().unwrap_or(super::config::DEFAULT_BASE);
    let known = config.api.as_ref().map(|a| a.names()).unwrap_or_default();
    let mut d = if config.api.is_none() {
        r.at(
            format!(
                "request `{}` uses `path` but site.yaml has no `api` section",
                req.id
            ),
            "id",
        )
        .hint("add `api: { base_url: https://... }` to content/site.yaml")
    } else {
        r.at(
            format!("request `{}`: site.yaml has no base named `{name}`", req.id),
            "base",
        )
        .hint(format!(
            "declare it under `api: {{ bases: {{ {name}: https://... }} }}`, or use one of: {}",
            known.join(", ")
        ))
    };
    if let Some(best) = did_you_mean(name, known.iter().copied()) {
        d = d.hint(format!("did you mean `{best}`?"));
    }
    d
}

/// `status` is an HTTP status, and there is at most one body.
fn check_status_and_body(r: &RequestAt, diags: &mut Diagnostics) {
    let req = r.req();
    if !(100..=599).contains(&req.status) {
        diags.push(
            r.at(
                format!(
                    "request `{}`: `status: {}` is not an HTTP status",
                    req.id, req.status
                ),
                "status",
            )
            .hint("an HTTP status is a number from 100 to 599, e.g. `status: 201`"),
        );
    }
    if req.form.is_some() && req.json.is_some() {
        diags.push(r.at(
            format!(
                "request `{}` has both a `form` and a `json` body; keep one",
                req.id
            ),
            "id",
        ));
    }
}

/// Header names are tokens, values one line.
fn check_headers(r: &RequestAt, diags: &mut Diagnostics) {
    let req = r.req();
    for (name, value) in &req.headers {
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if name.is_empty() || !name.chars().all(token) {
            diags.push(
                r.at(
                    format!("request `{}`: `{name}` is not a valid header name", req.id),
                    name,
                )
                .hint("header names hold letters, digits and `-`"),
            );
        }
        if value.0.contains(['\r', '\n', '\0']) {
            diags.push(
                r.at(
                    format!("request `{}`: header `{name}` holds a line break", req.id),
                    name,
                )
                .hint("a header value is one line"),
            );
        }
    }
}

/// The address's literal text holds no space or control character.
fn check_spaces(r: &RequestAt, diags: &mut Diagnostics) {
    let req = r.req();
    let spaced = request::segments(req.target()).into_iter().any(|s| {
        matches!(s, request::Segment::Literal(l) if l.contains(|c: char| c.is_whitespace() || c.is_control()))
    });
    if spaced {
        diags.push(
            r.at(
                format!(
                    "request `{}`: the address holds a space or control character",
                    req.id
                ),
                req.target(),
            )
            .hint("percent-encode it (a space is %20), or move the value to `query:`"),
        );
    }
}

/// `auth` names a kind site.yaml declares.
fn check_auth(r: &RequestAt, diags: &mut Diagnostics) {
    let (config, req) = (r.config, r.req());
    let Some(name) = req.auth_kind().filter(|k| !config.auth.contains_key(*k)) else {
        return;
    };
    let declared: Vec<&str> = config.auth.keys().map(String::as_str).collect();
    let mut d = r
        .at(
            format!("request `{}`: `auth: {name}` is not declared in content/site.yaml", req.id),
            "auth",
        )
        .hint(if declared.is_empty() {
            "declare it under `auth:` in content/site.yaml, e.g. `auth: { app: { label: app token, bearer: app_token } }`".to_owned()
        } else {
            format!("declared kinds: {}, or `none`", declared.join(", "))
        });
    if let Some(best) = did_you_mean(name, declared.iter().copied()) {
        d = d.hint(format!("did you mean `{best}`?"));
    }
    diags.push(d);
}

/// What the request at `at` depends on comes before it: each name it uses
/// is a site variable or secret, or captured by an earlier request (the
/// one answer of [`Capturers`]), and each request it `requires` is an
/// earlier one.
fn check_dependencies(
    config: &SiteConfig,
    steps: &[Step],
    capturers: &Capturers,
    at: Pos,
    diags: &mut Diagnostics,
) {
    let (step, req) = (&steps[at.0], &steps[at.0].requests[at.1]);
    check_requires(steps, at, diags);
    let kind = req.auth_kind();
    let auth_names = kind
        .and_then(|k| config.auth.get(k))
        .map(|k| k.names())
        .unwrap_or_default();
    let defined = |var: &str| {
        config.variables.contains_key(var)
            || config.secrets.contains_key(var)
            || capturers.of(var, at).is_some()
    };
    for var in req.names(config) {
        if defined(var) {
            continue;
        }
        let later = capturers.first(var);
        let mut d = if auth_names.contains(&var) {
            at_request(
                step,
                at.1,
                format!(
                "request `{}` needs `{var}` (for `auth: {}`), but no earlier request captures it",
                req.id,
                kind.unwrap_or_default()
            ),
                "auth",
            )
            .hint(format!(
                "capture `{var}` in an earlier request, or change `auth`"
            ))
        } else if let Some((s, r)) = later {
            let by = format!(
                "request `{}` in {}",
                steps[s].requests[r].id,
                steps[s].source.display()
            );
            at_variable(step, at.1, format!("request `{}` uses `{{{{ {var} }}}}`, which is captured only later, by {by}", req.id), var)
                .hint("steps and their requests run in order: capture it in an earlier request, or move this request after that one")
        } else {
            at_variable(step, at.1, format!("request `{}` uses `{{{{ {var} }}}}`, which is not defined", req.id), var)
                .hint("define it under `variables` or `secrets` in content/site.yaml, or capture it in an earlier request")
        };
        let candidates = config
            .variables
            .keys()
            .chain(config.secrets.keys())
            .map(String::as_str)
            .chain(capturers.names_before(at));
        if let Some(best) = did_you_mean(var, candidates).filter(|_| later.is_none()) {
            d = d.hint(format!("did you mean `{best}`?"));
        }
        diags.push(d);
    }
}

/// Every id in the request's `requires` names an earlier request.
fn check_requires(steps: &[Step], at: Pos, diags: &mut Diagnostics) {
    let (step, req) = (&steps[at.0], &steps[at.0].requests[at.1]);
    let earlier = |id: &str| {
        steps[..=at.0].iter().enumerate().any(|(s, st)| {
            st.requests
                .iter()
                .enumerate()
                .any(|(r, other)| other.id == id && (s, r) < at)
        })
    };
    for dep in req.requires.iter().filter(|d| !earlier(d)) {
        diags.push(
            at_request(
                step,
                at.1,
                format!(
                    "request `{}` requires `{dep}`, which is not an earlier request",
                    req.id
                ),
                dep,
            )
            .hint("list ids of requests that come before this one"),
        );
    }
}

/// The base URL a request's `path` is joined to.
pub fn api_base<'a>(config: &'a SiteConfig, req: &super::Request) -> Option<&'a str> {
    let name = req.base.as_deref().unwrap_or(super::config::DEFAULT_BASE);
    config.api.as_ref()?.base(name)
}
