//! The mock's HTTP side: loads and checks the walkthrough (a walkthrough
//! with errors does not start), listens on loopback, and turns each HTTP
//! request into an [`Ask`] and each [`Reply`] into a response, with the
//! same `Host` guard, header timeout and connection limit as `serve`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::BodyExt;
use hyper::header::{self, HeaderValue};

use super::{Ask, Incoming, Mock, Reply};
use crate::error::{Error, Problem, Result};
use crate::serve::http::{full, host_allowed, Response};

/// The largest request body the mock reads.
const BODY_LIMIT: usize = 1 << 20;

/// How to run the mock.
#[derive(Debug, Clone)]
pub struct MockOptions {
    /// Walkthrough root.
    pub root: PathBuf,
    /// Address to bind.
    pub bind: String,
    /// Port to bind (0: any free port).
    pub port: u16,
    /// A connection that has not sent a request's headers in this time is closed.
    pub header_timeout: Duration,
}

/// What the mock tells the person running it; the CLI prints it.
pub trait Reporter: Send + Sync {
    /// The mock listens at `url`; `lines` say how to point each runner at it.
    fn ready(&self, url: &str, lines: &[String]);
    /// Something the person should know.
    fn warn(&self, line: &str);
}

/// Loads, checks and runs the mock of the walkthrough at `opts.root` until Ctrl-C.
pub fn mock(opts: &MockOptions, reporter: &dyn Reporter) -> Result<()> {
    let bound = Bound::new(opts)?;
    for note in &bound.notes {
        reporter.warn(note);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io(&opts.root, e))?;
    reporter.ready(&bound.url, &bound.lines);
    runtime.block_on(bound.run(opts.header_timeout))
}

/// A mock that passed every check and holds its port, not yet answering:
/// `mock` runs it at once, `serve --mock` beside the preview.
pub(crate) struct Bound {
    listener: std::net::TcpListener,
    mock: Arc<Mock>,
    /// `http://127.0.0.1:4010`
    pub url: String,
    /// How to point each runner at it.
    pub lines: Vec<String>,
    /// What it cannot do as the API would, and a non-loopback address.
    pub notes: Vec<String>,
}

impl Bound {
    /// Loads the walkthrough at `opts.root` (it must pass every check
    /// `stepdoc check` makes) and binds the port; a port in use is a
    /// usage error (exit 2).
    pub fn new(opts: &MockOptions) -> Result<Bound> {
        let addr = crate::serve::address(&opts.bind, opts.port)?;
        // Everything `check` checks, on the one loaded walkthrough.
        let site = crate::pipeline::load(&opts.root, None)?;
        crate::pipeline::render_site(
            &site,
            &crate::render::highlight::Highlighter::new(),
            &crate::pipeline::Discard,
        )?;
        let mut notes = Vec::new();
        if !addr.ip().is_loopback() {
            notes.push(format!(
                "the mock listens on {}, which other machines can reach",
                addr.ip()
            ));
        }
        let mock = Arc::new(Mock::new(site, &mut notes));
        let listener = std::net::TcpListener::bind(addr)
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|e| Error::Usage(crate::serve::listen_problem(addr, &e)))?;
        let local = listener
            .local_addr()
            .map_err(|e| Error::io(&opts.root, e))?;
        let url = format!("http://{local}");
        let lines = super::lines::lines(mock.site(), &url, &opts.root);
        Ok(Bound {
            listener,
            mock,
            url,
            lines,
            notes,
        })
    }

    /// Answers until Ctrl-C (inside a tokio runtime).
    pub async fn run(self, header_timeout: Duration) -> Result<()> {
        let listener = tokio::net::TcpListener::from_std(self.listener)
            .map_err(|e| Error::Serve(Problem::new(format!("cannot listen: {e}"))))?;
        let mock = self.mock;
        crate::serve::accept(listener, header_timeout, move |req| {
            handle(mock.clone(), req)
        })
        .await;
        Ok(())
    }
}

/// One HTTP request.
async fn handle(mock: Arc<Mock>, req: hyper::Request<hyper::body::Incoming>) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or("\u{0}"));
    if host.is_some_and(|h| !host_allowed(h)) {
        let reply = Reply::error(
            403,
            "forbidden",
            "stepdoc mock answers only localhost and IP addresses (a guard against DNS rebinding)",
            None,
        );
        return response(reply);
    }
    let (parts, body) = req.into_parts();
    let Ok(body) = http_body_util::Limited::new(body, BODY_LIMIT)
        .collect()
        .await
    else {
        return response(Reply::error(
            413,
            "too_large",
            "the request body is over 1 MiB",
            None,
        ));
    };
    let ask = ask(&parts, &body.to_bytes());
    response(mock.answer(&ask))
}

/// The request as the checks read it.
fn ask(parts: &hyper::http::request::Parts, body: &[u8]) -> Ask {
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let body = if body.is_empty() {
        Incoming::None
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        Incoming::Form(url::form_urlencoded::parse(body).into_owned().collect())
    } else if content_type.contains("json") {
        serde_json::from_slice(body).map_or(Incoming::Other, Incoming::Json)
    } else {
        Incoming::Other
    };
    Ask {
        method: parts.method.as_str().to_ascii_uppercase(),
        path: parts.uri.path().to_owned(),
        query: url::form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect(),
        headers,
        body,
    }
}

fn response(reply: Reply) -> Response {
    let mut builder = hyper::Response::builder()
        .status(reply.status)
        .header(header::CACHE_CONTROL, "no-store");
    if let Some(t) = reply.content_type {
        builder = builder.header(header::CONTENT_TYPE, t);
    }
    if let Some(id) = reply
        .request
        .as_deref()
        .and_then(|id| HeaderValue::from_str(id).ok())
    {
        builder = builder.header("x-stepdoc-request", id);
    }
    builder.body(full(reply.body)).unwrap_or_default()
}
