//! The walkthrough's chain of requests as files a reader runs with the
//! tools they already use: a Hurl file, a Postman collection (v2.1) and an
//! `.http` file (JetBrains HTTP Client, httpYac). One [`Plan`] is built from
//! the same request definitions and chain order as `record` uses; each
//! format only writes it down, and so do the Arazzo workflow and its
//! OpenAPI descriptions. Exports hold requests and expected statuses, never
//! recorded responses, secrets or recorded identifiers; the one response
//! data they carry is the author's `sample:` as the example of a response
//! in a generated OpenAPI description (and a provider's description as the
//! provider wrote it).

mod arazzo;
mod http_file;
mod hurl;
mod jsonpath;
mod openapi;
mod postman;
mod script;

use std::collections::BTreeSet;

use crate::call::{self, Call, Part, Resolve, Text};
use crate::content::chain::{self, Capturers, Pos, Types};
use crate::content::data::one_line;
use crate::content::{Request, Site, Step, ValueType};
use crate::error::{did_you_mean, Error, Problem, Result};

/// A file `stepdoc export` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A Hurl file (`hurl --test`).
    Hurl,
    /// The variables file that goes with the Hurl file (`--variables-file`).
    HurlVariables,
    /// A Postman Collection v2.1 (Postman, newman, Bruno, Insomnia).
    Postman,
    /// An `.http` file (JetBrains HTTP Client, httpYac).
    Http,
    /// The `http-client.env.json` that goes with the `.http` file.
    HttpEnv,
    /// An Arazzo 1.0.1 workflow (Redocly Respect, Spectral), over the
    /// OpenAPI description below.
    Arazzo,
    /// The walkthrough's operations as an OpenAPI 3.1 description.
    Openapi,
}

impl Format {
    /// Every format, in the order the downloads list them.
    pub const ALL: [Format; 7] = [
        Format::Hurl,
        Format::HurlVariables,
        Format::Postman,
        Format::Http,
        Format::HttpEnv,
        Format::Arazzo,
        Format::Openapi,
    ];

    /// The file's name under `downloads/` in the built site.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Hurl => "walkthrough.hurl",
            Format::HurlVariables => "walkthrough.env",
            Format::Postman => "walkthrough.postman_collection.json",
            Format::Http => "walkthrough.http",
            Format::HttpEnv => "http-client.env.json",
            Format::Arazzo => "walkthrough.arazzo.yaml",
            Format::Openapi => "walkthrough.openapi.yaml",
        }
    }
}

/// Where the exports live in the built site.
pub const DOWNLOADS_DIR: &str = "downloads";

/// The environment name in `http-client.env.json`.
pub const HTTP_ENV: &str = "walkthrough";

/// Where a variable of the exports gets its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// A named API base, with its URL from site.yaml as the default.
    Base(String),
    /// A secret: the reader passes it (named like the secret in site.yaml;
    /// the pages call it by its environment variable, given here).
    Secret(String),
    /// A site variable, with its value as the default.
    Site(String),
    /// A value a person obtains by hand in the interactive request `id`
    /// (the browser redirect's query, or the prompt's answer).
    Manual { request: String, path: String },
}

/// A variable the exported chain reads but does not capture itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Var {
    pub name: String,
    pub source: Source,
}

impl Var {
    /// The value written into the exports, if the variable has one.
    pub fn default(&self) -> Option<&str> {
        match &self.source {
            Source::Base(v) | Source::Site(v) => Some(v),
            Source::Secret(_) | Source::Manual { .. } => None,
        }
    }
}

/// A value captured from a response for later requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Captured {
    pub name: String,
    /// The JSONPath, as written.
    pub path: String,
    pub secret: bool,
}

impl Captured {
    /// The JSONPath as JavaScript property access (`["accounts"][0]["id"]`),
    /// when it is a plain path of names and indexes.
    pub fn js_access(&self) -> Option<String> {
        jsonpath::js_access(&self.path)
    }
}

/// One request of the chain.
pub(crate) struct Item<'a> {
    /// Where the request is in the walkthrough.
    pub pos: Pos,
    pub step: &'a Step,
    pub req: &'a Request,
    /// The call, every value a variable named as in the walkthrough.
    pub call: Call,
    pub captures: Vec<Captured>,
}

impl Item<'_> {
    /// An interactive request is not a request in the exports but a note.
    pub fn is_manual(&self) -> bool {
        self.req.interactive.is_some()
    }

    /// For an interactive request, one line saying what the person does.
    pub fn manual_note(&self) -> String {
        match self.req.interactive {
            Some(crate::content::Interactive::Prompt) => format!(
                "Not a request: a question for you: {}",
                one_line(self.req.prompt.as_deref().unwrap_or_default())
            ),
            _ => format!(
                "Not a request: a page you open in a browser and finish there: {}",
                one_line(&templated(&self.call.url))
            ),
        }
    }

    /// One line naming the step and the request.
    pub fn heading(&self) -> String {
        one_line(&format!(
            "Step {} · {} ({}): {}",
            self.step.number, self.step.title, self.step.slug, self.req.title
        ))
    }
}

/// The chain as the exports write it.
pub(crate) struct Plan<'a> {
    /// The walkthrough.
    pub site: &'a Site,
    pub title: String,
    pub items: Vec<Item<'a>>,
    /// Variables the reader may or must pass, in order of first use.
    pub vars: Vec<Var>,
    /// Every variable name the walkthrough and the plan use.
    pub names: Namespace,
}

impl Plan<'_> {
    /// The flags that pass what a run must be given (the variables without
    /// a default): a secret from its environment variable
    /// (`--secret "client_id=$TINK_CLIENT_ID"`), anything else as a value
    /// to fill in (`--variable credentials_id=…`).
    pub fn required_flags(&self, secret_flag: &str, value_flag: &str) -> Vec<String> {
        self.vars
            .iter()
            .filter(|v| v.default().is_none())
            .map(|var| match &var.source {
                Source::Secret(env) => format!("{secret_flag} \"{}=${env}\"", var.name),
                _ => format!("{value_flag} {}=…", var.name),
            })
            .collect()
    }
}

/// `t` with each variable as `{{name}}`, the template syntax all three
/// runners share.
pub(crate) fn templated(t: &Text) -> String {
    call::flatten(t, &template)
}

/// The address of `call` (query included) for a client that runs scripts:
/// a variable that starts it (the API base) as it is, every other variable
/// an encoded copy: one path segment or one query value.
fn scripted_url(call: &Call, script: &mut script::Script) -> String {
    let mut url = String::new();
    for (i, part) in call.target.iter().enumerate() {
        match part {
            Part::Lit(l) => url.push_str(l),
            Part::Env(e) | Part::Url(e) if i == 0 => url.push_str(&template(e)),
            env => url.push_str(&script.text(&vec![env.clone()], script::Encoding::Url)),
        }
    }
    for (i, (k, v)) in call.query.iter().enumerate() {
        let first = i == 0 && !url.contains('?');
        url.push(if first { '?' } else { '&' });
        url.push_str(&call::percent_encode(k));
        url.push('=');
        url.push_str(&script.text(v, script::Encoding::Url));
    }
    url
}

/// Variable `name` as `{{name}}`.
pub(crate) fn template(name: &str) -> String {
    format!("{{{{{name}}}}}")
}

/// Resolution for exports: every value is a variable of its own name, and
/// an API base the variable [`base_variables`] gives it; values have the
/// types [`Types`] gives them at the request at `at`.
struct Names<'a> {
    bases: &'a [(String, String)],
    types: &'a Types,
    at: Pos,
}

impl Resolve for Names<'_> {
    fn resolve(&self, name: &str) -> Part {
        Part::Env(name.to_owned())
    }
    fn base(&self, name: &str, _url: &str) -> Part {
        let var = self.bases.iter().find(|(base, _)| base == name);
        Part::Env(var.map_or_else(|| name.to_owned(), |(_, v)| v.clone()))
    }
    fn value_type(&self, name: &str) -> Option<ValueType> {
        self.types.of(name, self.at)
    }
}

/// The variable names of the exports, unique by construction: every name
/// the walkthrough defines (variables, secrets, captures) and every name an
/// export makes up (a base's variable, an encoded copy) is taken once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Namespace(BTreeSet<String>);

impl Namespace {
    /// `want` if it is free, else `want_2`, `want_3`, …; the name is taken.
    pub fn fresh(&mut self, want: &str) -> String {
        let name = (1..)
            .map(|i| {
                if i == 1 {
                    want.to_owned()
                } else {
                    format!("{want}_{i}")
                }
            })
            .find(|n| !self.0.contains(n))
            .unwrap_or_default();
        self.0.insert(name.clone());
        name
    }
}

/// The walkthrough's own names: variables, secrets and captures.
fn walkthrough_names(site: &Site) -> Namespace {
    let config = &site.config;
    let mut names: BTreeSet<String> = config.variables.keys().cloned().collect();
    names.extend(config.secrets.keys().cloned());
    names.extend(
        site.steps
            .iter()
            .flat_map(|s| &s.requests)
            .flat_map(|r| r.capture.keys().cloned()),
    );
    Namespace(names)
}

/// Each API base and the variable that holds it in the exports: named like
/// the base, or `NAME_base` (`NAME_base_2`, …) when the walkthrough has a
/// name like that already. The names are taken in `names`.
fn base_variables(site: &Site, names: &mut Namespace) -> Vec<(String, String)> {
    let bases = site
        .config
        .api
        .as_ref()
        .map(|a| a.names())
        .unwrap_or_default();
    let taken = names.clone();
    bases
        .into_iter()
        .map(|base| {
            let var = if taken.0.contains(base) {
                names.fresh(&format!("{base}_base"))
            } else {
                names.fresh(base)
            };
            (base.to_owned(), var)
        })
        .collect()
}

/// Each API base and the variable that holds it in every export, for
/// whoever tells a reader how to point a runner elsewhere (`stepdoc mock`).
#[cfg(feature = "mock")]
pub(crate) fn base_variable_names(site: &Site) -> Vec<(String, String)> {
    base_variables(site, &mut walkthrough_names(site))
}

/// The plan for the whole walkthrough, or for what step `slug` needs.
pub(crate) fn plan<'a>(site: &'a Site, slug: Option<&str>) -> Result<Plan<'a>> {
    let positions: Vec<Pos> = match slug {
        None => chain::all(site),
        Some(slug) => {
            let Some(s) = site.steps.iter().position(|s| s.slug == slug) else {
                let slugs: Vec<&str> = site.steps.iter().map(|s| s.slug.as_str()).collect();
                let hint = did_you_mean(slug, slugs.iter().copied()).map_or_else(
                    || format!("the steps: {}", slugs.join(", ")),
                    |b| format!("did you mean `{b}`?"),
                );
                return Err(Error::Usage(
                    Problem::new(format!("--step {slug}: no such step")).hint(hint),
                ));
            };
            let selected: Vec<Pos> = (0..site.steps[s].requests.len()).map(|r| (s, r)).collect();
            chain::needed(site, &selected).unwrap_or_default()
        }
    };
    let mut names = walkthrough_names(site);
    let bases = base_variables(site, &mut names);
    let types = Types::new(site);
    let items: Vec<Item> = positions
        .iter()
        .map(|&(s, r)| {
            let (step, req) = (&site.steps[s], &site.steps[s].requests[r]);
            Item {
                pos: (s, r),
                step,
                req,
                call: call::build(
                    req,
                    &site.config,
                    &Names {
                        bases: &bases,
                        types: &types,
                        at: (s, r),
                    },
                ),
                captures: req
                    .capture
                    .iter()
                    .map(|(name, c)| Captured {
                        name: name.clone(),
                        path: c.path().to_owned(),
                        secret: c.is_secret(),
                    })
                    .collect(),
            }
        })
        .collect();
    let vars = variables(site, &items, &bases);
    Ok(Plan {
        site,
        title: one_line(&site.config.title),
        items,
        vars,
        names,
    })
}

/// Every variable the items read that no earlier item captures: an API
/// base, a secret, a site variable, or a value the person brings from an
/// interactive step. Who supplies a name is [`Capturers`]' answer.
fn variables(site: &Site, items: &[Item], bases: &[(String, String)]) -> Vec<Var> {
    let config = &site.config;
    let capturers = Capturers::new(&site.steps);
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut vars = Vec::new();
    for item in items {
        for name in env_names(&item.call) {
            let from = capturers
                .of(&name, item.pos)
                .map(|(s, r)| &site.steps[s].requests[r]);
            if from.is_some_and(|r| r.interactive.is_none()) || !seen.insert(name.clone()) {
                continue;
            }
            let base = bases.iter().find(|(_, var)| *var == name);
            let source = if let Some((base, _)) = base {
                let url = config.api.as_ref().and_then(|a| a.base(base));
                Source::Base(url.unwrap_or_default().trim_end_matches('/').to_owned())
            } else if let Some(env) = config.secrets.get(&name) {
                Source::Secret(env.clone())
            } else if let Some(v) = config.variables.get(&name) {
                Source::Site(v.text.clone())
            } else if let Some(req) = from {
                Source::Manual {
                    request: req.id.clone(),
                    path: req
                        .capture
                        .get(&name)
                        .map(|c| c.path().to_owned())
                        .unwrap_or_default(),
                }
            } else {
                continue;
            };
            vars.push(Var { name, source });
        }
    }
    vars
}

/// The variable names a call reads, in order.
fn env_names(call: &Call) -> Vec<String> {
    let mut texts: Vec<&call::Text> = vec![&call.target];
    texts.extend(call.query.iter().map(|(_, v)| v));
    texts.extend(call.headers.iter().map(|(_, v)| v));
    if let Some((u, p)) = &call.basic {
        texts.extend([u, p]);
    }
    let mut out: Vec<String> = texts
        .into_iter()
        .flatten()
        .filter_map(|p| p.var().map(str::to_owned))
        .collect();
    match &call.body {
        call::Body::Form(fields) => out.extend(
            fields
                .iter()
                .flat_map(|(_, v)| v)
                .filter_map(|p| p.var().map(str::to_owned)),
        ),
        call::Body::Json(j) => {
            out.extend(j.pretty().iter().filter_map(|p| p.var().map(str::to_owned)))
        }
        call::Body::None => {}
    }
    out
}

/// The text of `format` for the whole walkthrough, or for what step `slug` needs.
pub fn export(site: &Site, format: Format, slug: Option<&str>) -> Result<String> {
    let plan = plan(site, slug)?;
    Ok(write(&plan, format))
}

fn write(plan: &Plan, format: Format) -> String {
    match format {
        Format::Hurl => hurl::file(plan),
        Format::HurlVariables => hurl::variables(plan),
        Format::Postman => postman::collection(plan),
        Format::Http => http_file::file(plan),
        Format::HttpEnv => http_file::env(plan),
        Format::Arazzo => arazzo::files(plan).swap_remove(0).1,
        // The first base's (`api`, when requests use it); a build writes
        // every base's (`downloads`).
        Format::Openapi => arazzo::files(plan)
            .into_iter()
            .nth(1)
            .map(|(_, text)| text)
            .unwrap_or_default(),
    }
}

/// Every export of the whole walkthrough, as (path in the site, text);
/// nothing when the walkthrough has no requests.
pub(crate) fn downloads(site: &Site) -> Result<Vec<(String, String)>> {
    let plan = plan(site, None)?;
    if plan.items.is_empty() {
        return Ok(Vec::new());
    }
    let mut files: Vec<(String, String)> = Format::ALL
        .iter()
        .filter(|&&f| f != Format::Arazzo && f != Format::Openapi)
        .map(|&f| (f.file_name().to_owned(), write(&plan, f)))
        .collect();
    // The workflow, and one OpenAPI description per base the requests use.
    files.extend(arazzo::files(&plan));
    Ok(files
        .into_iter()
        .map(|(name, text)| (format!("{DOWNLOADS_DIR}/{name}"), text))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::{base_variables, walkthrough_names, Namespace};

    #[test]
    fn a_base_whose_name_is_taken_becomes_name_base() {
        // The GitHub example captures `login` and has a base named `login`.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/github-issues");
        let mut site = crate::content::load(&root).unwrap();
        assert_eq!(
            base_variables(&site, &mut walkthrough_names(&site)),
            [
                ("api".into(), "api".into()),
                ("login".into(), "login_base".into())
            ]
        );
        // A variable named `login_base` as well: the base takes the next name.
        site.config.variables.insert(
            "login_base".into(),
            crate::content::Variable {
                text: "x".into(),
                ty: None,
            },
        );
        let mut names = walkthrough_names(&site);
        assert_eq!(base_variables(&site, &mut names)[1].1, "login_base_2");
        assert_eq!(names.fresh("api"), "api_2");
    }

    #[test]
    fn a_site_variable_in_a_path_gets_an_encoded_copy_and_a_note_in_hurl() {
        // The GitHub example's issues path is /repos/{{ owner }}/{{ repo }}/issues.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/github-issues");
        let site = crate::content::load(&root).unwrap();
        let hurl = super::export(&site, super::Format::Hurl, None).unwrap();
        let vars = super::export(&site, super::Format::HurlVariables, None).unwrap();
        assert!(
            hurl.contains("/repos/{{owner_url}}/{{repo_url}}/issues"),
            "{hurl}"
        );
        assert!(hurl.contains("# owner goes into a URL path"), "{hurl}");
        assert!(vars.lines().any(|l| l.starts_with("owner_url=")), "{vars}");
    }

    #[test]
    fn fresh_names_never_repeat() {
        let mut names = Namespace::default();
        assert_eq!(names.fresh("x_url"), "x_url");
        assert_eq!(names.fresh("x_url"), "x_url_2");
        assert_eq!(names.fresh("x_url"), "x_url_3");
    }
}
