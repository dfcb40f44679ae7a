//! The rules of [`super::data`] applied to a walkthrough: each request's
//! values, keys and capture paths, each step's titles, and site.yaml's
//! variables, API bases and per-language texts. Each problem is a
//! diagnostic at the author's line.

use std::path::Path;

use super::data::{self, one_line};
use super::locate::{at_request, at_request_in};
use super::request;
use super::{SiteConfig, Step};
use crate::error::{Diagnostic, Diagnostics};

/// The rules of [`super::data`] for one request: braces only as
/// placeholders, one-line fields, capture paths that parse as JSONPath.
pub(super) fn check_request(step: &Step, index: usize, diags: &mut Diagnostics) {
    let req = &step.requests[index];
    let at = |msg: String, needle: &str| at_request(step, index, msg, needle);
    for text in req.strings() {
        if let Some(b) = data::stray_braces(text, true) {
            let written = stray_written(text, b);
            diags.push(
                at(format!("request `{}`: `{written}` is not a variable reference and would be sent as it is", req.id), written)
                    .hint(data::BRACES_HINT)
                    .hint("a placeholder is `{{ name }}`, a name of letters, digits and `_` (e.g. `{{ user_id }}`)"),
            );
        }
    }
    let mut names: Vec<(&str, &str)> = vec![("title", req.title.as_str())];
    names.extend(req.description.as_deref().map(|d| ("description", d)));
    names.extend(req.query.keys().map(|k| ("query name", k.as_str())));
    names.extend(
        req.form
            .iter()
            .flat_map(|f| f.keys())
            .map(|k| ("form name", k.as_str())),
    );
    if let Some(json) = &req.json {
        json_keys(json, &mut names);
    }
    for (what, text) in names {
        if let Some(b) = data::stray_braces(text, false) {
            diags.push(
                at(
                    format!(
                        "request `{}`: the {what} `{}` holds `{b}`",
                        req.id,
                        one_line(text)
                    ),
                    text,
                )
                .hint(data::BRACES_HINT),
            );
        }
    }
    if data::has_control(&req.title) {
        diags.push(
            at(
                format!(
                    "request `{}`: the title holds a line break or control character",
                    req.id
                ),
                "title",
            )
            .hint("a title is one line"),
        );
    }
    check_captures(step, index, diags);
}

/// Each capture is a JSONPath from the response root, and its name no
/// JavaScript built-in.
fn check_captures(step: &Step, index: usize, diags: &mut Diagnostics) {
    for (name, cap) in &step.requests[index].capture {
        let at = |msg: String| at_request_in(step, index, Some("capture"), msg, name);
        let path = cap.path();
        let problem = if data::has_control(path) {
            Some("holds a line break or control character".to_owned())
        } else if !path.starts_with('$') {
            Some("does not start at the response root `$`".to_owned())
        } else {
            serde_json_path::JsonPath::parse(path)
                .err()
                .map(|e| format!("does not parse: {e}"))
        };
        if let Some(problem) = problem {
            diags.push(
                at(format!(
                    "capture `{name}`: `{}` is not a JSONPath: it {problem}",
                    one_line(path)
                ))
                .hint(format!(
                    "write it from the response root, e.g. `$.{}`",
                    path.trim_start_matches(['$', '.'])
                        .lines()
                        .next()
                        .unwrap_or_default()
                )),
            );
        }
        if data::is_prototype_name(name) {
            diags.push(
                at(format!("capture name `{name}` is a JavaScript built-in"))
                    .hint(data::PROTOTYPE_HINT),
            );
        }
    }
}

/// A step's title, nav label and summary reach the exports' comments and
/// names: no braces, and the title on one line.
pub(super) fn check_step_text(step: &Step, diags: &mut Diagnostics) {
    for (key, text) in [
        ("title", &step.title),
        ("nav", &step.nav),
        ("summary", &step.summary),
    ] {
        if let Some(b) = data::stray_braces(text, false) {
            diags.push(
                Diagnostic::new(&step.source, format!("the step's {key} holds `{b}`"))
                    .at_key(&step.text, key)
                    .hint(data::BRACES_HINT),
            );
        }
    }
    if data::has_control(&step.title) {
        diags.push(
            Diagnostic::new(
                &step.source,
                "the step's title holds a line break or control character",
            )
            .at_key(&step.text, "title")
            .hint("a title is one line"),
        );
    }
}

/// The stray `{{ … }}` (or lone `}}`) as written in `text`, for the message.
fn stray_written<'a>(text: &'a str, brace: &str) -> &'a str {
    let literal = request::segments(text)
        .into_iter()
        .find_map(|s| match s {
            request::Segment::Literal(l) if l.contains(brace) => Some(l),
            _ => None,
        })
        .unwrap_or(text);
    let start = literal.find(brace).unwrap_or(0);
    let end = if brace == "{{" {
        literal[start..]
            .find("}}")
            .map_or(literal.len(), |e| start + e + 2)
    } else {
        start + 2
    };
    &literal[start..end]
}

/// Every object key in `v`, as a name to check.
fn json_keys<'a>(v: &'a serde_json::Value, out: &mut Vec<(&'static str, &'a str)>) {
    match v {
        serde_json::Value::Array(a) => a.iter().for_each(|v| json_keys(v, out)),
        serde_json::Value::Object(o) => {
            for (k, v) in o {
                out.push(("JSON key", k));
                json_keys(v, out);
            }
        }
        _ => {}
    }
}

impl SiteConfig {
    /// The rules of [`super::data`] for site.yaml: values and addresses the
    /// exports write are data, names are no JavaScript built-ins.
    pub(super) fn data_problems(&self, at: &dyn Fn(String, &str) -> Diagnostic) -> Vec<Diagnostic> {
        use super::data::{has_control, is_prototype_name, stray_braces, BRACES_HINT};
        let mut out = Vec::new();
        let mut names: Vec<&str> = self.variables.keys().map(String::as_str).collect();
        names.extend(self.secrets.keys().map(String::as_str));
        for (name, value) in &self.variables {
            let v = value.text.as_str();
            if let Some(b) = stray_braces(v, false) {
                out.push(at(format!("variable `{name}` holds `{b}`"), name).hint(BRACES_HINT));
            }
            if has_control(v) || v.trim() != v {
                out.push(
                    at(format!("variable `{name}`: `{}` holds a line break, a control character or space at its ends", v.escape_debug()), name)
                        .hint("the exports' variable files hold one trimmed line per value: write the value without them"),
                );
            }
        }
        if let Some(api) = &self.api {
            names.extend(api.bases.keys().map(String::as_str));
            for name in api.names() {
                let url = api.base(name).unwrap_or_default();
                if let Some(why) = super::data::api_base_problem(url) {
                    out.push(
                        at(
                            format!("API base `{name}` (`{}`): {why}", url.escape_debug()),
                            url,
                        )
                        .hint("e.g. `api: { base_url: https://api.example.com }`"),
                    );
                }
            }
        }
        for name in names.into_iter().filter(|n| is_prototype_name(n)) {
            out.push(
                at(format!("`{name}` is a JavaScript built-in"), name)
                    .hint(super::data::PROTOTYPE_HINT),
            );
        }
        if let Some(b) = stray_braces(&self.title, false) {
            out.push(at(format!("the title holds `{b}`"), "title").hint(BRACES_HINT));
        }
        out
    }

    /// A warning when the top-level `base_url` (where the site is published)
    /// names the host of an API base: it was probably meant as `api.base_url`.
    pub fn site_address_warning(&self, file: &Path, text: &str) -> Option<Diagnostic> {
        let host = |u: &str| url::Url::parse(u).ok()?.host_str().map(str::to_owned);
        let site = host(&self.base_url)?;
        let api = self.api.as_ref()?;
        let base = api
            .names()
            .into_iter()
            .find(|n| api.base(n).and_then(host).as_deref() == Some(site.as_str()))?;
        Some(
            Diagnostic::new(file, format!("`base_url` ({}) is on the host of the API base `{base}`", self.base_url))
                .at_key(text, "base_url")
                .hint("the top-level `base_url` is where the site is published (e.g. `https://user.github.io/repo/`); the API's address goes under `api: { base_url: … }`"),
        )
    }

    /// Per-language texts whose languages are not the site's, or that lack
    /// the default language.
    pub(super) fn localized_problems(
        &self,
        at: &dyn Fn(String, &str) -> Diagnostic,
    ) -> Vec<Diagnostic> {
        let languages = self.languages();
        let default = languages.first().cloned().unwrap_or_default();
        let texts = self
            .auth
            .iter()
            .map(|(k, a)| (format!("the label of auth kind `{k}`"), &a.label))
            .chain(
                self.links
                    .iter()
                    .map(|l| (format!("the title of link `{}`", l.url), &l.title)),
            );
        let mut out = Vec::new();
        for (what, text) in texts {
            let langs: Vec<&str> = text.languages().collect();
            if langs.is_empty() {
                continue;
            }
            if let Some(bad) = langs.iter().find(|l| !languages.iter().any(|k| k == *l)) {
                out.push(
                    at(
                        format!("{what} has a text for `{bad}`, which `languages` does not list"),
                        bad,
                    )
                    .hint(format!("the site's languages: {}", languages.join(", "))),
                );
            }
            if !langs.contains(&default.as_str()) {
                out.push(
                    at(
                        format!("{what} has no text in the default language `{default}`"),
                        text.as_str(),
                    )
                    .hint(format!(
                        "add `{default}: …`: pages without a text of their own show it"
                    )),
                );
            }
        }
        out
    }
}
