//! Running the chain: each request in order against the live API (or, for
//! an interactive one, the person in the browser), its captured values
//! threaded into the next requests, every exchange kept raw for the end.
//! Everything the person sees passes through the redactor first.

use super::redact::Redactor;
use super::{http, link, Exchange, Person, RecordOptions, RecordReport, Values};
use crate::call;
use crate::content::{self, Site};
use crate::error::Problem;

/// What came back for one request: status, headers, body, and the call as sent.
type Reply = (
    u16,
    Vec<(String, String)>,
    serde_json::Value,
    http::Prepared,
);

/// The state of one recording run.
pub(super) struct Chain<'a> {
    pub site: &'a Site,
    pub opts: &'a RecordOptions,
    pub values: Values,
    pub redactor: Redactor,
    pub exchanges: Vec<Exchange>,
    pub report: RecordReport,
    pub person: &'a mut dyn Person,
    /// `record.redact` in site.yaml (checked when the site was loaded).
    personal: Vec<serde_json_path::JsonPath>,
}

impl<'a> Chain<'a> {
    pub fn new(
        site: &'a Site,
        opts: &'a RecordOptions,
        values: Values,
        redactor: Redactor,
        person: &'a mut dyn Person,
    ) -> Chain<'a> {
        let personal = site
            .config
            .record
            .redact
            .iter()
            .filter_map(|p| serde_json_path::JsonPath::parse(p).ok())
            .collect();
        Chain {
            site,
            opts,
            values,
            redactor,
            exchanges: Vec::new(),
            report: RecordReport::default(),
            person,
            personal,
        }
    }

    /// Tells the person `line`, redacted.
    fn say(&mut self, line: &str) {
        let line = self.redactor.redact(line);
        self.person.say(&line);
    }

    /// Runs the requests at `order` ((step, request) positions).
    pub fn run(&mut self, order: &[(usize, usize)]) -> Result<(), Problem> {
        let client = http::client(&self.opts.retry)
            .map_err(|e| Problem::new(format!("cannot create the HTTP client: {e}")))?;
        for &(s, r) in order {
            let site = self.site;
            let step = &site.steps[s];
            let req = &step.requests[r];
            let label = format!("[{}] {}", step.slug, req.id);
            let (status, headers, body, prepared) =
                if req.interactive == Some(content::Interactive::Prompt) {
                    let answer = self.prompt(req, &label)?;
                    (200, Vec::new(), answer, http::Prepared::empty())
                } else if req.interactive.is_some() {
                    let (query, prepared) = self.interactive(req, &label)?;
                    (200, Vec::new(), serde_json::Value::Object(query), prepared)
                } else {
                    self.send(&client, req, &label)?
                };
            self.report.ran += 1;
            self.redactor.learn_identifiers(&body);
            self.redactor.learn_paths(&body, &self.personal);
            for (name, cap) in &req.capture {
                let captured = content::capture::capture(&body, cap.path())
                    .map_err(|e| Problem::new(format!("{label}: capture `{name}`: {e}")))?;
                let value = captured.text;
                if cap.is_secret() {
                    if value.trim().chars().count() < super::redact::MIN_SECRET_LEN {
                        return Err(Problem::new(format!(
                            "{label}: capture `{name}` is a secret of only {} characters (spaces aside): too short to hide reliably, so nothing is recorded",
                            value.trim().chars().count()
                        )));
                    }
                    self.redactor
                        .secret(&value, &format!("${}", name.to_ascii_uppercase()));
                } else if name.ends_with("_id") {
                    self.redactor.identifier(&value);
                }
                self.values.set(name, value, captured.ty);
            }
            self.exchanges.push(Exchange {
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

    /// Sends one HTTP request; fails on a status other than the expected one.
    fn send(
        &mut self,
        client: &reqwest::blocking::Client,
        req: &content::Request,
        label: &str,
    ) -> Result<Reply, Problem> {
        let prepared =
            http::Prepared::from_call(&call::build(req, &self.site.config, &self.values));
        let mut retries = Vec::new();
        let sent = http::send(client, &prepared, &self.opts.retry, &mut |why, wait| {
            retries.push(format!(
                "{label}: {why}, retrying in {:.1} s",
                wait.as_secs_f64()
            ));
        });
        for line in retries {
            self.say(&line);
        }
        let received = sent
            .map_err(|http::SendError::Network(e)| Problem::new(format!("{label} failed: {e}")))?;
        let body = serde_json::from_str(&received.body)
            .unwrap_or(serde_json::Value::String(received.body.clone()));
        let path = reqwest::Url::parse(&prepared.url)
            .map_or_else(|_| prepared.url.clone(), |u| u.path().to_owned());
        self.say(&format!(
            "{label} {} {path} -> {} ({} ms)",
            req.method,
            received.status,
            received.elapsed.as_millis()
        ));
        if self.opts.verbose {
            self.say(&format!(
                "  > {} {}\n  > {}\n  < {}",
                prepared.method,
                prepared.url,
                prepared.body.as_deref().unwrap_or(""),
                received.body
            ));
        }
        if received.status != req.status {
            let auth = req
                .auth_kind()
                .and_then(|k| self.site.config.auth.get(k))
                .map_or("credentials", |k| k.label.as_str());
            return Err(failure(label, received.status, &body, auth));
        }
        Ok((received.status, received.headers, body, prepared))
    }

    /// Asks the person what the request's `prompt` says (placeholders filled
    /// in, secrets hidden); the answer is `{"value": ...}`.
    fn prompt(
        &mut self,
        req: &content::Request,
        label: &str,
    ) -> Result<serde_json::Value, Problem> {
        let text = req.prompt.as_deref().unwrap_or_default();
        let question = call::flatten(&call::fill(text, &self.values), &|_| String::new());
        // The person needs the real identifiers; only secrets stay hidden.
        let question = self
            .redactor
            .hide_secrets(&format!("{label}: {question}\n> "));
        let answer = self
            .person
            .ask(&question)
            .map_err(|e| Problem::new(format!("{label}: cannot read the answer: {e}")))?;
        Ok(serde_json::json!({ "value": answer.trim() }))
    }

    /// Runs a browser step: serve a local forwarding URL (so a single-use
    /// code in the real URL never reaches the terminal), wait for the
    /// redirect to the loopback `redirect_uri`, check its `state`.
    fn interactive(
        &mut self,
        req: &content::Request,
        label: &str,
    ) -> Result<(serde_json::Map<String, serde_json::Value>, http::Prepared), Problem> {
        let state = format!("{:016x}", fastrand::u64(..));
        let redirect_template = req
            .query
            .get("redirect_uri")
            .and_then(|v| v.values().first().map(|s| s.to_string()))
            .ok_or_else(|| {
                Problem::new(format!(
                    "{label}: an interactive request needs a `redirect_uri` query parameter"
                ))
            })?;
        let redirect = call::flatten(&call::fill(&redirect_template, &self.values), &|_| {
            String::new()
        });
        let (redirect, cb) = match &self.opts.callback_url {
            Some(_) => (redirect, None),
            None => link::callback_for(&redirect, self.opts.callback_port)
                .map(|(uri, cb)| (uri, Some(cb)))?,
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
        let prepared =
            http::Prepared::from_call(&call::build(&req, &self.site.config, &self.values));
        let query = match (&self.opts.callback_url, cb) {
            (Some(how), None) => {
                if how != "-" {
                    return Err(Problem::new(format!(
                        "{label}: a callback URL given in advance cannot match this run's `state`"
                    ))
                    .hint("pass `--callback-url -`, open the printed URL, then paste the address the browser ended on"));
                }
                self.pasted_callback(label, &prepared.url, &redirect)?
            }
            (_, cb) => {
                let cb = cb.ok_or_else(|| Problem::new("no callback listener"))?;
                let expected = (prepared.url.as_str(), state.as_str());
                self.awaited_callback(label, &cb, &redirect, expected)?
            }
        };
        let redactor = &self.redactor;
        link::check(&query, &state)
            .map_err(|e| e.map(|t| format!("{label}: {}", redactor.redact(t))))?;
        self.say(&format!("{label}: callback received"));
        self.values.set("state", state, None);
        Ok((query, prepared))
    }
}

impl Chain<'_> {
    /// The callback's query, from the address the person pastes after
    /// opening `url` themselves. They need the real URL, which carries a
    /// single-use code: it is shown on the terminal once and never written
    /// to a snapshot.
    fn pasted_callback(
        &mut self,
        label: &str,
        url: &str,
        redirect: &str,
    ) -> Result<serde_json::Map<String, serde_json::Value>, Problem> {
        self.person.say(&format!(
            "{label}: open this URL in a browser and finish there: {url}"
        ));
        let pasted = self
            .person
            .ask(&format!(
                "{label}: then paste the address the browser ended on (it starts with {redirect}): "
            ))
            .map_err(|e| Problem::new(format!("{label}: cannot read the pasted address: {e}")))?;
        link::query_of(pasted.trim())
    }

    /// The callback's query, from the loopback listener `cb`, after the
    /// person opened the forwarding page; `expected` is the real URL and
    /// this run's `state`.
    fn awaited_callback(
        &mut self,
        label: &str,
        cb: &link::Callback,
        redirect: &str,
        expected: (&str, &str),
    ) -> Result<serde_json::Map<String, serde_json::Value>, Problem> {
        let listener = link::listen(cb)?;
        let local = format!("http://localhost:{}{}", cb.port, link::FORWARD_PATH);
        self.say(&format!(
            "{label}: open this URL and finish there (it forwards to the page): {local}"
        ));
        if !self.opts.no_browser {
            crate::browser::open(&local);
        }
        self.say(&format!(
            "{label}: waiting for the callback on {redirect} (up to {} s)",
            self.opts.timeout.as_secs()
        ));
        let person = &mut *self.person;
        let mut tick = |w: link::Waiting| {
            match w {
            link::Waiting::Still(elapsed) => {
                person.say(&format!("{label}: still waiting ({} s)", elapsed.as_secs()))
            }
            link::Waiting::Ignored => person.say(&format!(
                "{label}: ignored a callback without this run's `state` (from another page or an earlier attempt); still waiting"
            )),
        }
        };
        link::wait(&listener, cb, expected, self.opts.timeout, &mut tick)
    }
}

/// A readable failure for an unexpected status, with the API's error fields.
/// `auth` is the label of the request's auth kind (`app-token`).
fn failure(label: &str, status: u16, body: &serde_json::Value, auth: &str) -> Problem {
    let field = |k: &str| body.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let detail = match (
        field("errorMessage")
            .or_else(|| field("message"))
            .or_else(|| field("error_description")),
        field("errorCode")
            .or_else(|| field("code"))
            .or_else(|| field("error")),
    ) {
        (Some(m), Some(c)) => format!(": {m} ({c})"),
        (Some(m), None) => format!(": {m}"),
        (None, Some(c)) => format!(" ({c})"),
        (None, None) => String::new(),
    };
    let problem = Problem::new(format!("{label} failed with HTTP {status}{detail}"));
    match status {
        401 => problem.hint(format!("401 means the credentials are wrong or the {auth} is missing or expired; check the secrets' environment variables and re-run from the start")),
        403 => problem.hint(format!("403 means the {auth} lacks a scope or permission this call needs (for a token: the `scope` that obtained it)")),
        409 => problem.hint("409 means it already exists; list it under `record: { unique: [...] }` in site.yaml to get a fresh value per run"),
        _ => problem,
    }
}
