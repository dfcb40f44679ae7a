//! `stepdoc record`: runs each step's requests against the live API in
//! order, threading captured values forward, redacts everything at one
//! point, and writes snapshots (or, with `--check`, compares their shape
//! with the stored ones). Only this module touches the network.

pub mod drift;
pub mod http;
pub mod link;
pub mod redact;
pub mod store;

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use crate::content::call::{self, Part, Resolve};
use crate::content::request::variables;
use crate::content::snapshot::{SnapshotRequest, SnapshotResponse};
use crate::content::{self, Site, Snapshot};
use crate::error::{did_you_mean, Error, Result};
use redact::Redactor;

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
    /// Overrides the API base URL.
    pub api_base: Option<String>,
    /// Overrides the Tink Link base URL.
    pub link_base: Option<String>,
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

/// Values for `{{ name }}` during a recording.
struct Values(HashMap<String, String>);

impl Resolve for Values {
    fn resolve(&self, name: &str) -> Part {
        Part::Lit(self.0.get(name).cloned().unwrap_or_default())
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

/// Records the walkthrough under `opts.root`; progress goes to `out`.
pub fn record(opts: &RecordOptions, out: &mut dyn Write) -> Result<RecordReport> {
    let mut site = content::load(&opts.root)?;
    apply_overrides(&mut site, opts);
    let order: Vec<(usize, usize)> = site
        .steps
        .iter()
        .enumerate()
        .flat_map(|(s, step)| (0..step.requests.len()).map(move |r| (s, r)))
        .collect();
    let selected = select(&site, opts)?;
    let Some(last) = order.iter().rposition(|k| selected.contains(k)) else {
        return Err(Error::Record(
            "nothing to record: the walkthrough has no requests".into(),
        ));
    };
    let order = needed(&site, &order[..=last], &selected);
    if !opts.allow_insecure_http {
        refuse_plain_http(&site, &order)?;
    }
    let mut redactor = Redactor::new();
    let mut values = initial_values(&site, &order, &mut redactor)?;
    let mut exchanges = Vec::new();
    let mut report = RecordReport::default();
    let result = run_chain(
        &site,
        opts,
        &order,
        &mut values,
        &mut redactor,
        &mut exchanges,
        out,
        &mut report,
    );
    if let Err(msg) = result {
        let _ = writeln!(out, "{}", redactor.redact("no snapshot was changed"));
        return Err(Error::Record(redactor.redact(&msg)));
    }
    let recorded_at = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    let pending: Vec<store::Pending> = exchanges
        .iter()
        .filter(|x| {
            let (s, r) = index_of(&site, &x.step, &x.request);
            selected.contains(&(s, r))
        })
        .map(|x| store::Pending {
            step: x.step.clone(),
            request: x.request.clone(),
            snapshot: snapshot_of(x, &redactor, &recorded_at),
        })
        .collect();
    if opts.check {
        return check_drift(&site, &pending, out, report);
    }
    let outcomes =
        store::write_all(&site.root, &pending).map_err(|e| Error::Record(redactor.redact(&e)))?;
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
        let call = call::build(req, &site.config, &call::Placeholders(&site.config));
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
            return Err(Error::Record(format!(
                "request `{}` would go to {} over plain http://: credentials and tokens would travel unencrypted\n  hint: use https://, or pass --allow-insecure-http if this is a test server you trust",
                req.id,
                parsed.host_str().unwrap_or("?")
            )));
        }
    }
    Ok(())
}

fn apply_overrides(site: &mut Site, opts: &RecordOptions) {
    let api_base = opts
        .api_base
        .clone()
        .or_else(|| std::env::var("TINK_API_BASE").ok());
    let link_base = opts
        .link_base
        .clone()
        .or_else(|| std::env::var("TINK_LINK_BASE").ok());
    if let Some(api) = site.config.api.as_mut() {
        if let Some(b) = api_base {
            api.base_url = b;
        }
        if let Some(l) = link_base {
            api.link_base = Some(l);
        }
    }
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
            return Err(Error::Usage(format!(
                "--{what} {g}: no such {what}\n  hint: {hint}"
            )));
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

/// The requests to run: the selected ones and, going back, every earlier
/// request that captures a value they (or requests they need) use. A
/// request nothing needs (such as the Tink Link step, when only webhooks
/// are recorded) does not run.
fn needed(
    site: &Site,
    order: &[(usize, usize)],
    selected: &[(usize, usize)],
) -> Vec<(usize, usize)> {
    let mut want: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut required: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut keep = Vec::new();
    for &(s, r) in order.iter().rev() {
        let req = &site.steps[s].requests[r];
        if selected.contains(&(s, r))
            || required.contains(req.id.as_str())
            || req.capture.keys().any(|c| want.contains(c))
        {
            keep.push((s, r));
            want.extend(
                req.strings()
                    .into_iter()
                    .flat_map(variables)
                    .map(str::to_owned),
            );
            want.extend(req.auth.token_variable().map(str::to_owned));
            required.extend(req.requires.iter().map(String::as_str));
        }
    }
    keep.reverse();
    keep
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
        .map(|(k, v)| (k.clone(), v.0.clone()))
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
        for var in req.strings().into_iter().flat_map(variables) {
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
                Ok(v) if !v.is_empty() && v.chars().count() < redact::MIN_SECRET_LEN => {
                    return Err(Error::Record(format!(
                        "{env} is only {} characters long: too short to hide reliably in recordings, logs and errors\n  hint: secrets of at least {} characters can be recorded; check that the variable holds the whole secret",
                        v.chars().count(),
                        redact::MIN_SECRET_LEN
                    )));
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
        return Err(Error::Record(format!(
            "missing environment variable{}: {}\n  hint: export them first, e.g. `export {}=...`; stepdoc reads credentials only from the environment",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", "),
            missing[0].split(' ').next().unwrap_or_default()
        )));
    }
    Ok(Values(values))
}

#[allow(clippy::too_many_arguments)]
fn run_chain(
    site: &Site,
    opts: &RecordOptions,
    order: &[(usize, usize)],
    values: &mut Values,
    redactor: &mut Redactor,
    exchanges: &mut Vec<Exchange>,
    out: &mut dyn Write,
    report: &mut RecordReport,
) -> std::result::Result<(), String> {
    let client = http::client(&opts.retry)?;
    // `record.redact` in site.yaml (checked when the site was loaded).
    let personal: Vec<serde_json_path::JsonPath> = site
        .config
        .record
        .redact
        .iter()
        .filter_map(|p| serde_json_path::JsonPath::parse(p).ok())
        .collect();
    for &(s, r) in order {
        let step = &site.steps[s];
        let req = &step.requests[r];
        let label = format!("[{}] {}", step.slug, req.id);
        let (status, headers, body, prepared) = if req.interactive.is_some() {
            let (query, prepared) = interactive(site, opts, req, values, redactor, out, &label)?;
            (200, Vec::new(), serde_json::Value::Object(query), prepared)
        } else {
            let prepared = http::Prepared::from_call(&call::build(req, &site.config, values));
            let mut on_retry = |why: &str, wait: Duration| {
                let _ = writeln!(
                    out,
                    "{}",
                    redactor.redact(&format!(
                        "{label}: {why}, retrying in {:.1} s",
                        wait.as_secs_f64()
                    ))
                );
            };
            let received = http::send(&client, &prepared, &opts.retry, &mut on_retry)
                .map_err(|http::SendError::Network(e)| format!("{label} failed: {e}"))?;
            let body = serde_json::from_str(&received.body)
                .unwrap_or(serde_json::Value::String(received.body.clone()));
            let path = reqwest::Url::parse(&prepared.url)
                .map_or_else(|_| prepared.url.clone(), |u| u.path().to_owned());
            let line = format!(
                "{label} {} {path} -> {} ({} ms)",
                req.method,
                received.status,
                received.elapsed.as_millis()
            );
            let _ = writeln!(out, "{}", redactor.redact(&line));
            if opts.verbose {
                let _ = writeln!(
                    out,
                    "{}",
                    redactor.redact(&format!(
                        "  > {} {}\n  > {}\n  < {}",
                        prepared.method,
                        prepared.url,
                        prepared.body.as_deref().unwrap_or(""),
                        received.body
                    ))
                );
            }
            if received.status != req.status {
                return Err(failure(&label, received.status, &body, req.auth));
            }
            (received.status, received.headers, body, prepared)
        };
        report.ran += 1;
        redactor.learn_identifiers(&body);
        redactor.learn_paths(&body, &personal);
        for (name, cap) in &req.capture {
            let value = crate::content::capture::capture(&body, cap.path())
                .map_err(|e| format!("{label}: capture `{name}`: {e}"))?;
            if cap.is_secret() {
                if value.chars().count() < redact::MIN_SECRET_LEN {
                    return Err(format!(
                        "{label}: capture `{name}` is a secret of only {} characters: too short to hide reliably, so nothing is recorded",
                        value.chars().count()
                    ));
                }
                redactor.secret(&value, &format!("${}", name.to_ascii_uppercase()));
            } else if name.ends_with("_id") {
                redactor.identifier(&value);
            }
            values.0.insert(name.clone(), value);
        }
        exchanges.push(Exchange {
            step: step.slug.clone(),
            request: req.id.clone(),
            prepared,
            status,
            headers,
            body,
        });
    }
    Ok(())
}

/// Runs the Tink Link flow: serve a local forwarding URL (so the code in the
/// real URL never reaches the terminal), wait for the callback, check it.
fn interactive(
    site: &Site,
    opts: &RecordOptions,
    req: &content::Request,
    values: &mut Values,
    redactor: &Redactor,
    out: &mut dyn Write,
    label: &str,
) -> std::result::Result<(serde_json::Map<String, serde_json::Value>, http::Prepared), String> {
    let state = format!("{:016x}", fastrand::u64(..));
    let redirect_var = req
        .query
        .get("redirect_uri")
        .and_then(|v| v.values().first().map(|s| s.to_string()));
    let redirect_template = redirect_var.ok_or_else(|| {
        format!("{label}: an interactive request needs a `redirect_uri` query parameter")
    })?;
    let redirect = call::flatten(&call::fill(&redirect_template, values), &|_| String::new());
    let (redirect, cb) = match &opts.callback_url {
        Some(_) => (redirect, None),
        None => {
            link::callback_for(&redirect, opts.callback_port).map(|(uri, cb)| (uri, Some(cb)))?
        }
    };
    let mut req = req.clone();
    for (k, v) in req.query.iter_mut() {
        match k.as_str() {
            "state" => *v = content::request::QueryValue::One(content::Scalar(state.clone())),
            "redirect_uri" => {
                *v = content::request::QueryValue::One(content::Scalar(redirect.clone()))
            }
            _ => {}
        }
    }
    let prepared = http::Prepared::from_call(&call::build(&req, &site.config, values));
    let query = if let (Some(how), None) = (&opts.callback_url, &cb) {
        if how != "-" {
            return Err(format!(
                "{label}: a callback URL given in advance cannot match this run's `state`\n  hint: pass `--callback-url -`, open the printed URL, then paste the address the browser ended on"
            ));
        }
        // The person asked to paste by hand: they need the real URL, which
        // carries a single-use code. It is shown on the terminal once and
        // never written to a snapshot.
        let _ = writeln!(
            out,
            "{label}: open this URL in a browser and connect a bank: {}",
            prepared.url
        );
        let _ = write!(
            out,
            "{label}: then paste the address the browser ended on (it starts with {redirect}): "
        );
        let _ = out.flush();
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| format!("{label}: cannot read the pasted address: {e}"))?;
        link::query_of(line.trim())?
    } else {
        let cb = cb.ok_or("no callback listener")?;
        let listener = link::listen(&cb)?;
        let local = format!("http://localhost:{}{}", cb.port, link::FORWARD_PATH);
        let _ = writeln!(
            out,
            "{label}: open this URL to connect a bank (it forwards to Tink Link): {local}"
        );
        if !opts.no_browser {
            crate::browser::open(&local);
        }
        let _ = writeln!(
            out,
            "{label}: waiting for the callback on {redirect} (up to {} s)",
            opts.timeout.as_secs()
        );
        let mut tick = |elapsed: Duration| {
            let _ = writeln!(out, "{label}: still waiting ({} s)", elapsed.as_secs());
        };
        link::wait(&listener, &cb, &prepared.url, opts.timeout, &mut tick)?
    };
    link::check(&query, &state).map_err(|e| format!("{label}: {}", redactor.redact(&e)))?;
    let _ = writeln!(out, "{label}: callback received");
    values.0.insert("state".into(), state);
    Ok((query, prepared))
}

/// A readable failure for an unexpected status, with Tink's error fields.
fn failure(label: &str, status: u16, body: &serde_json::Value, auth: content::Auth) -> String {
    let field = |k: &str| body.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let detail = match (
        field("errorMessage").or_else(|| field("message")),
        field("errorCode").or_else(|| field("code")),
    ) {
        (Some(m), Some(c)) => format!(": {m} ({c})"),
        (Some(m), None) => format!(": {m}"),
        (None, Some(c)) => format!(" ({c})"),
        (None, None) => String::new(),
    };
    let hint = match status {
        401 => format!("\n  hint: 401 means the credentials are wrong or the {} is missing or expired; check TINK_CLIENT_ID/TINK_CLIENT_SECRET and re-run from the start", token_name(auth)),
        403 => format!("\n  hint: 403 means the {} lacks a scope this call needs; add it to the `scope` that obtained the token", token_name(auth)),
        409 => "\n  hint: 409 means it already exists; list it under `record: { unique: [...] }` in site.yaml to get a fresh value per run".into(),
        _ => String::new(),
    };
    format!("{label} failed with HTTP {status}{detail}{hint}")
}

fn token_name(auth: content::Auth) -> &'static str {
    match auth {
        content::Auth::User => "user token",
        _ => "app token",
    }
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
    out: &mut dyn Write,
    mut report: RecordReport,
) -> Result<RecordReport> {
    let mut drifted = Vec::new();
    for p in pending {
        report.compared += 1;
        let name = format!("{}/{}", p.step, p.request);
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
        let _ = writeln!(
            out,
            "no drift: {} snapshot(s) have the same shape as the live API",
            report.compared
        );
        return Ok(report);
    }
    Err(Error::Drift(format!(
        "the live API differs from the stored snapshots:\n  {}",
        drifted.join("\n  ")
    )))
}
