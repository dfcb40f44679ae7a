//! `stepdoc record`: runs each step's requests against the live API in
//! order, threading captured values forward, redacts everything at one
//! point, and writes snapshots (or, with `--check`, compares their shape
//! with the stored ones). Only this module touches the network.

mod chain;
pub mod drift;
mod har;
pub mod http;
pub mod link;
pub mod redact;
pub mod store;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::call::{self, Part, Resolve};
use crate::content::snapshot::{SnapshotRequest, SnapshotResponse};
use crate::content::{self, Site, Snapshot, ValueType};
use crate::error::{did_you_mean, Error, Problem, Result};
use redact::Redactor;

/// The person running `record`: told what happens, asked for what only
/// they can give (the address a browser ended on). The CLI implements it on
/// the terminal; the library never prints or reads stdin itself.
pub trait Person {
    /// A progress line (already redacted where it needs to be).
    fn say(&mut self, line: &str);
    /// Shows `prompt` and reads one line of answer.
    fn ask(&mut self, prompt: &str) -> std::io::Result<String>;
}

/// What to record and how.
#[derive(Debug, Clone)]
pub struct RecordOptions {
    /// Walkthrough root.
    pub root: PathBuf,
    /// Only these steps (slugs); empty means all.
    pub steps: Vec<String>,
    /// Only these requests (ids); empty means all.
    pub requests: Vec<String>,
    /// Compare shapes with the stored snapshots instead of writing.
    pub check: bool,
    /// Named bases pointed elsewhere (`--base NAME=URL`), over the
    /// environment's `STEPDOC_BASE_<NAME>`, over site.yaml.
    pub bases: Vec<(String, String)>,
    /// The callback URL, pasted by hand.
    pub callback_url: Option<String>,
    /// Port of the callback listener (also put into the redirect URI).
    pub callback_port: Option<u16>,
    /// How long to wait for the callback.
    pub timeout: Duration,
    /// Do not open a browser.
    pub no_browser: bool,
    /// Print request and response bodies (redacted).
    pub verbose: bool,
    /// Retries and timeouts.
    pub retry: http::RetryPolicy,
    /// Send to `http://` addresses on other machines (credentials in clear).
    pub allow_insecure_http: bool,
    /// `--har FILE`: also write the run as HAR 1.2, redacted as the snapshots.
    pub har: Option<PathBuf>,
}

/// What a recording did.
#[derive(Debug, Clone, Default)]
pub struct RecordReport {
    /// Requests sent (or Link flows completed).
    pub ran: usize,
    /// Snapshots written.
    pub written: usize,
    /// Snapshots already up to date.
    pub unchanged: usize,
    /// With `--check`: snapshots compared.
    pub compared: usize,
}

/// Values for `{{ name }}` during a recording, and the JSON type of those
/// that are numbers or booleans: a site variable's as `site.yaml` writes
/// it, a capture's as the API returned it this time.
#[derive(Default)]
struct Values {
    text: HashMap<String, String>,
    types: HashMap<String, ValueType>,
}

impl Values {
    /// Sets `name` to `text`, of type `ty`.
    fn set(&mut self, name: &str, text: String, ty: Option<ValueType>) {
        self.text.insert(name.to_owned(), text);
        match ty {
            Some(ty) => self.types.insert(name.to_owned(), ty),
            None => self.types.remove(name),
        };
    }
}

impl Resolve for Values {
    fn resolve(&self, name: &str) -> Part {
        Part::Lit(self.text.get(name).cloned().unwrap_or_default())
    }

    fn value_type(&self, name: &str) -> Option<ValueType> {
        self.types.get(name).copied()
    }
}

/// One exchange, kept raw until the end so identifiers learned later are
/// redacted consistently in earlier snapshots too.
struct Exchange {
    step: String,
    request: String,
    prepared: http::Prepared,
    status: u16,
    headers: Vec<(String, String)>,
    body: serde_json::Value,
}

/// Records the walkthrough under `opts.root`, telling `person` how it goes.
pub fn record(opts: &RecordOptions, person: &mut dyn Person) -> Result<RecordReport> {
    let mut site = content::load(&opts.root)?;
    apply_overrides(&mut site, opts)?;
    let selected = select(&site, opts)?;
    let Some(order) = content::chain::needed(&site, &selected) else {
        return Err(Error::Record(Problem::new(
            "nothing to record: the walkthrough has no requests",
        )));
    };
    if !opts.allow_insecure_http {
        refuse_plain_http(&site, &order)?;
    }
    let mut redactor = Redactor::new();
    let values = initial_values(&site, &order, &mut redactor)?;
    let mut chain = chain::Chain::new(&site, opts, values, redactor, person);
    if let Err(problem) = chain.run(&order) {
        chain.person.say("no snapshot was changed");
        let redactor = &chain.redactor;
        return Err(Error::Record(problem.map(|t| redactor.redact(t))));
    }
    let (redactor, exchanges, mut report) = (chain.redactor, chain.exchanges, chain.report);
    let recorded_at = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    // Each exchange as its snapshot, made once: the HAR takes every HTTP
    // one, the store the selected ones. A prompt's answer came from the
    // person, not the API: no snapshot.
    let snapshots: Vec<(&Exchange, Snapshot, Option<content::Interactive>)> = exchanges
        .iter()
        .filter_map(|x| {
            let (s, r) = index_of(&site, &x.step, &x.request);
            let interactive = site.steps[s].requests[r].interactive;
            (interactive != Some(content::Interactive::Prompt))
                .then(|| (x, snapshot_of(x, &redactor, &recorded_at), interactive))
        })
        .collect();
    if let Some(path) = &opts.har {
        let http: Vec<&Snapshot> = snapshots
            .iter()
            .filter(|(_, _, interactive)| interactive.is_none())
            .map(|(_, snapshot, _)| snapshot)
            .collect();
        har::write(path, &har::har(&http))?;
    }
    let pending: Vec<store::Pending> = snapshots
        .into_iter()
        .filter(|(x, _, _)| selected.contains(&index_of(&site, &x.step, &x.request)))
        .map(|(x, snapshot, _)| store::Pending {
            step: x.step.clone(),
            request: x.request.clone(),
            snapshot,
        })
        .collect();
    if opts.check {
        return check_drift(&site, &pending, report);
    }
    let outcomes = store::write_all(&site.root, &pending)
        .map_err(|e| Error::Record(Problem::new(redactor.redact(&e.to_string()))))?;
    report.written = outcomes
        .iter()
        .filter(|o| **o == store::Outcome::Written)
        .count();
    report.unchanged = outcomes.len() - report.written;
    Ok(report)
}

/// Refuses to send the chain over plain HTTP to another machine: the client
/// secret and tokens would cross the network readable by anyone on the way.
fn refuse_plain_http(site: &Site, order: &[(usize, usize)]) -> Result<()> {
    for &(s, r) in order {
        let req = &site.steps[s].requests[r];
        if req.interactive.is_some() {
            continue;
        }
        let call = call::build(req, &site.config, &call::Placeholders::new(&site.config));
        let url = call::flatten(&call.url, &|_| "x".into());
        let Ok(parsed) = reqwest::Url::parse(&url) else {
            continue;
        };
        let host = parsed.host_str().unwrap_or("");
        let loopback = host == "localhost"
            || host.ends_with(".localhost")
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if parsed.scheme() == "http" && !loopback {
            return Err(Error::Record(
                Problem::new(format!(
                    "request `{}` would go to {} over plain http://: credentials and tokens would travel unencrypted",
                    req.id,
                    parsed.host_str().unwrap_or("?")
                ))
                .hint("use https://, or pass --allow-insecure-http if this is a test server you trust"),
            ));
        }
    }
    Ok(())
}

/// Points named bases elsewhere: `STEPDOC_BASE_<NAME>` from the
/// environment, then `--base NAME=URL` (an unknown name is a usage error).
fn apply_overrides(site: &mut Site, opts: &RecordOptions) -> Result<()> {
    let Some(api) = site.config.api.as_mut() else {
        return Ok(());
    };
    let names: Vec<String> = api.names().into_iter().map(str::to_owned).collect();
    for name in &names {
        if let Ok(url) = std::env::var(format!("STEPDOC_BASE_{}", name.to_ascii_uppercase())) {
            api.set_base(name, &url);
        }
    }
    for (name, url) in &opts.bases {
        if !api.set_base(name, url) {
            let hint = did_you_mean(name, names.iter().map(String::as_str)).map_or_else(
                || format!("the walkthrough's bases: {}", names.join(", ")),
                |b| format!("did you mean `{b}`?"),
            );
            return Err(Error::Usage(
                Problem::new(format!(
                    "--base {name}=…: site.yaml has no base named `{name}`"
                ))
                .hint(hint),
            ));
        }
    }
    Ok(())
}

fn index_of(site: &Site, step: &str, request: &str) -> (usize, usize) {
    let s = site.steps.iter().position(|x| x.slug == step).unwrap_or(0);
    let r = site.steps[s]
        .requests
        .iter()
        .position(|x| x.id == request)
        .unwrap_or(0);
    (s, r)
}

/// Fails on a `--step`/`--request` value that names nothing, with a suggestion.
fn known(what: &str, given: &[String], names: &[&str]) -> Result<()> {
    for g in given {
        if !names.contains(&g.as_str()) {
            let hint = did_you_mean(g, names.iter().copied()).map_or_else(
                || format!("{what}s: {}", names.join(", ")),
                |b| format!("did you mean `{b}`?"),
            );
            return Err(Error::Usage(
                Problem::new(format!("--{what} {g}: no such {what}")).hint(hint),
            ));
        }
    }
    Ok(())
}

/// The (step, request) pairs whose snapshots this run writes.
fn select(site: &Site, opts: &RecordOptions) -> Result<Vec<(usize, usize)>> {
    let slugs: Vec<&str> = site.steps.iter().map(|s| s.slug.as_str()).collect();
    let ids: Vec<&str> = site
        .steps
        .iter()
        .flat_map(|s| s.requests.iter().map(|r| r.id.as_str()))
        .collect();
    known("step", &opts.steps, &slugs)?;
    known("request", &opts.requests, &ids)?;
    let mut out = Vec::new();
    for (si, step) in site.steps.iter().enumerate() {
        for (ri, req) in step.requests.iter().enumerate() {
            let all = opts.steps.is_empty() && opts.requests.is_empty();
            if all || opts.steps.contains(&step.slug) || opts.requests.contains(&req.id) {
                out.push((si, ri));
            }
        }
    }
    Ok(out)
}

/// Site variables (made unique where `record.unique` says) and the secrets
/// the selected chain needs, read from the environment.
fn initial_values(
    site: &Site,
    order: &[(usize, usize)],
    redactor: &mut Redactor,
) -> Result<Values> {
    let mut values: HashMap<String, String> = site
        .config
        .variables
        .iter()
        .map(|(k, v)| (k.clone(), v.text.clone()))
        .collect();
    let run = format!("{:08x}", fastrand::u32(..));
    for name in &site.config.record.unique {
        if let Some(v) = values.get_mut(name) {
            v.push('-');
            v.push_str(&run);
        }
    }
    let mut missing = Vec::new();
    for &(s, r) in order {
        let req = &site.steps[s].requests[r];
        for var in req.names(&site.config) {
            let Some(env) = site.config.secrets.get(var) else {
                continue;
            };
            if values.contains_key(var)
                || missing
                    .iter()
                    .any(|m: &String| m.starts_with(&format!("{env} ")))
            {
                continue;
            }
            match std::env::var(env) {
                Ok(v) if !v.is_empty() && v.trim().chars().count() < redact::MIN_SECRET_LEN => {
                    return Err(too_short(env, &v));
                }
                Ok(v) if !v.is_empty() => {
                    redactor.secret(&v, &format!("${env}"));
                    values.insert(var.to_owned(), v);
                }
                _ => missing.push(format!(
                    "{env} (for `{{{{ {var} }}}}` in request `{}`)",
                    req.id
                )),
            }
        }
    }
    if !missing.is_empty() {
        return Err(Error::Record(
            Problem::new(format!(
                "missing environment variable{}: {}",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", ")
            ))
            .hint(format!(
                "export them first, e.g. `export {}=...`; stepdoc reads credentials only from the environment",
                missing[0].split(' ').next().unwrap_or_default()
            )),
        ));
    }
    let types = site
        .config
        .variables
        .iter()
        // A value made unique is text.
        .filter(|(name, _)| !site.config.record.unique.contains(name))
        .filter_map(|(name, v)| Some((name.clone(), v.ty?)))
        .collect();
    Ok(Values {
        text: values,
        types,
    })
}

/// A secret too short to redact reliably (its length, never its value).
fn too_short(env: &str, value: &str) -> Error {
    let len = value.trim().chars().count();
    Error::Record(
        Problem::new(format!(
            "{env} is only {len} characters long without its surrounding spaces: too short to hide reliably in recordings, logs and errors"
        ))
        .hint(format!(
            "secrets of at least {} characters can be recorded; check that the variable holds the whole secret",
            redact::MIN_SECRET_LEN
        )),
    )
}

fn snapshot_of(x: &Exchange, r: &Redactor, recorded_at: &str) -> Snapshot {
    let headers = x
        .prepared
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), r.redact(v)))
        .collect();
    let response_headers = x
        .headers
        .iter()
        .filter(|(k, _)| k == "content-type")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Snapshot {
        request: SnapshotRequest {
            method: x.prepared.method.clone(),
            url: r.redact(&x.prepared.url),
            headers,
            body: r.redact_json(&x.prepared.body_json),
        },
        response: SnapshotResponse {
            status: x.status,
            headers: response_headers,
            body: r.redact_json(&x.body),
        },
        recorded_at: recorded_at.to_owned(),
    }
}

fn check_drift(
    site: &Site,
    pending: &[store::Pending],
    mut report: RecordReport,
) -> Result<RecordReport> {
    let mut drifted = Vec::new();
    let description = content::openapi::Live::load(site);
    for p in pending {
        report.compared += 1;
        let name = format!("{}/{}", p.step, p.request);
        // Against the provider's description, when there is one.
        if let Some(live) = &description {
            let pos = index_of(site, &p.step, &p.request);
            let problems = live.problems(
                site,
                pos,
                p.snapshot.response.status,
                &p.snapshot.response.body,
            );
            if !problems.is_empty() {
                drifted.push(format!(
                    "{name} (against the OpenAPI description):\n    {}",
                    problems.join("\n    ")
                ));
            }
        }
        match store::stored(&site.root, &p.step, &p.request) {
            None => drifted.push(format!("{name}: no stored snapshot to compare with")),
            Some(old) => {
                let lines = drift::diff(
                    old.response.status,
                    &old.response.body,
                    p.snapshot.response.status,
                    &p.snapshot.response.body,
                );
                if !lines.is_empty() {
                    drifted.push(format!("{name}:\n    {}", lines.join("\n    ")));
                }
            }
        }
    }
    if drifted.is_empty() {
        // (The CLI says so, once.)
        return Ok(report);
    }
    Err(Error::Drift(Problem::new(format!(
        "the live API differs from the stored snapshots (or the OpenAPI description):\n  {}",
        drifted.join("\n  ")
    ))))
}
