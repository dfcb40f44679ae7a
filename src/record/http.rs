//! Sending one call over real HTTP (reqwest, blocking, rustls): timeouts,
//! retries with exponential backoff and jitter on 429, 5xx and connection
//! errors, honouring `Retry-After`, with a bounded number of attempts.

use std::time::{Duration, Instant, SystemTime};

use crate::call::{form_encode, Body, Call, Part, Text};

/// How hard to try.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts in all (first try included).
    pub attempts: u32,
    /// Delay before the first retry; doubles each time.
    pub base_delay: Duration,
    /// Never wait longer than this between attempts.
    pub max_delay: Duration,
    /// Timeout of one attempt.
    pub timeout: Duration,
    /// The most one request may take, every attempt and wait included.
    pub deadline: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            timeout: Duration::from_secs(30),
            deadline: Duration::from_secs(45),
        }
    }
}

/// A response as received.
#[derive(Debug, Clone)]
pub struct Received {
    /// HTTP status.
    pub status: u16,
    /// Headers (lower-case names).
    pub headers: Vec<(String, String)>,
    /// The body text.
    pub body: String,
    /// Wall time of the successful attempt.
    pub elapsed: Duration,
}

/// A call with every value filled in.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Method.
    pub method: String,
    /// Full URL.
    pub url: String,
    /// Headers in order.
    pub headers: Vec<(String, String)>,
    /// Body bytes (form-encoded or JSON text), if any.
    pub body: Option<String>,
    /// The body as JSON for the snapshot (form fields as an object).
    pub body_json: serde_json::Value,
}

fn lit(t: &Text) -> String {
    t.iter()
        .map(|p| match p {
            Part::Lit(l) => l.as_str(),
            Part::Env(_) | Part::Url(_) | Part::Json(_) | Part::Typed(..) => "",
        })
        .collect()
}

impl Prepared {
    /// Nothing sent (a prompt's answer comes from the person).
    pub fn empty() -> Prepared {
        Prepared {
            method: String::new(),
            url: String::new(),
            headers: Vec::new(),
            body: None,
            body_json: serde_json::Value::Null,
        }
    }

    /// Fills in a call whose parts are all literal.
    pub fn from_call(call: &Call) -> Prepared {
        let (body, body_json) = match &call.body {
            Body::None => (None, serde_json::Value::Null),
            Body::Form(fields) => {
                let encoded = fields
                    .iter()
                    .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(&lit(v))))
                    .collect::<Vec<_>>()
                    .join("&");
                let obj = fields
                    .iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::String(lit(v))))
                    .collect();
                (Some(encoded), serde_json::Value::Object(obj))
            }
            Body::Json(j) => {
                let text = lit(&j.pretty());
                let json =
                    serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text.clone()));
                (Some(text), json)
            }
        };
        let basic = call.basic.as_ref().map(|(user, password)| {
            use base64::Engine;
            let pair = lit(&crate::call::basic_pair(user, password));
            (
                "Authorization".to_owned(),
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                ),
            )
        });
        Prepared {
            method: call.method.clone(),
            url: lit(&call.url),
            headers: basic
                .into_iter()
                .chain(call.headers.iter().map(|(k, v)| (k.clone(), lit(v))))
                .collect(),
            body,
            body_json,
        }
    }
}

/// A failed exchange, before redaction.
#[derive(Debug)]
pub enum SendError {
    /// The server could not be reached (after all retries).
    Network(String),
}

/// The most of a response body `record` keeps: half of what a snapshot
/// file may hold, so the pretty-printed snapshot can always be read back.
pub const BODY_LIMIT: u64 = crate::source::DATA_LIMIT / 2;

/// The whole body of `resp`, read with a cap. A body cut short (the
/// connection closed early, a read timed out) or over [`BODY_LIMIT`] fails
/// the request: a partial body is never taken for the response.
fn read_body(resp: reqwest::blocking::Response, p: &Prepared) -> Result<String, SendError> {
    use std::io::Read;
    let mut buf = Vec::new();
    if let Err(e) = resp.take(BODY_LIMIT + 1).read_to_end(&mut buf) {
        return Err(SendError::Network(format!(
            "{} {}: the response body could not be read completely ({}); nothing from this run is stored",
            p.method,
            p.url,
            error_chain(&e)
        )));
    }
    if buf.len() as u64 > BODY_LIMIT {
        return Err(SendError::Network(format!(
            "{} {}: the response body is over {} MiB, the most stepdoc records (a snapshot must stay small enough to read back); ask the API for less, e.g. with a page size",
            p.method,
            p.url,
            BODY_LIMIT / (1024 * 1024)
        )));
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Makes the HTTP client. rustls with the `ring` provider, installed once as
/// the process default (a no-op when already installed).
pub fn client(policy: &RetryPolicy) -> Result<reqwest::blocking::Client, reqwest::Error> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::blocking::Client::builder()
        .timeout(policy.timeout)
        .user_agent(concat!("stepdoc/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
        .build()
}

/// Sends `p`, retrying as `policy` says; `on_retry` hears about each retry.
pub fn send(
    client: &reqwest::blocking::Client,
    p: &Prepared,
    policy: &RetryPolicy,
    on_retry: &mut dyn FnMut(&str, Duration),
) -> Result<Received, SendError> {
    let mut attempt = 0;
    let begun = Instant::now();
    let out_of_time = |why: &str| {
        SendError::Network(format!(
            "{} {}: no answer within {} s ({why}); pass --request-timeout to wait longer",
            p.method,
            p.url,
            policy.deadline.as_secs()
        ))
    };
    loop {
        attempt += 1;
        let left = policy.deadline.saturating_sub(begun.elapsed());
        if left.is_zero() {
            return Err(out_of_time("deadline reached"));
        }
        let start = Instant::now();
        let outcome = try_once(client, p, policy.timeout.min(left))?;
        let retry_reason: String;
        let mut wait = backoff(policy, attempt);
        match outcome {
            Ok(resp) => {
                let (received, retry_after) = receive(resp, p, start)?;
                let status = received.status;
                let retryable = status == 429 || matches!(status, 500 | 502 | 503 | 504);
                if !retryable || attempt >= policy.attempts {
                    return Ok(received);
                }
                if let Some(after) = retry_after {
                    wait = after.min(policy.max_delay);
                }
                retry_reason = format!("HTTP {status}");
            }
            Err(e) => {
                if e.is_timeout() && begun.elapsed() >= policy.deadline {
                    return Err(out_of_time("the server did not answer"));
                }
                let retryable = e.is_connect() || e.is_timeout();
                if !retryable || attempt >= policy.attempts {
                    return Err(SendError::Network(format!(
                        "{} {}: {}",
                        p.method,
                        p.url,
                        error_chain(&e)
                    )));
                }
                retry_reason = if e.is_timeout() {
                    "timeout".into()
                } else {
                    "connection failed".into()
                };
            }
        }
        if begun.elapsed() + wait >= policy.deadline {
            return Err(out_of_time(&format!("last try: {retry_reason}")));
        }
        on_retry(&retry_reason, wait);
        std::thread::sleep(wait);
    }
}

/// One try of `p`, waiting at most `timeout` for it.
fn try_once(
    client: &reqwest::blocking::Client,
    p: &Prepared,
    timeout: Duration,
) -> Result<reqwest::Result<reqwest::blocking::Response>, SendError> {
    let method = reqwest::Method::from_bytes(p.method.as_bytes())
        .map_err(|e| SendError::Network(e.to_string()))?;
    let mut rb = client.request(method, &p.url).timeout(timeout);
    for (k, v) in &p.headers {
        rb = rb.header(k, v);
    }
    if let Some(b) = &p.body {
        rb = rb.body(b.clone());
    }
    Ok(rb.send())
}

/// A response read whole (the body within its limit), and how long its
/// `Retry-After` asks to wait.
fn receive(
    resp: reqwest::blocking::Response,
    p: &Prepared,
    start: Instant,
) -> Result<(Received, Option<Duration>), SendError> {
    let status = resp.status().as_u16();
    let headers: Vec<(String, String)> = resp
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                v.to_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let retry_after = headers
        .iter()
        .find(|(k, _)| k == "retry-after")
        .and_then(|(_, v)| parse_retry_after(v));
    let body = read_body(resp, p)?;
    let received = Received {
        status,
        headers,
        body,
        elapsed: start.elapsed(),
    };
    Ok((received, retry_after))
}

/// Exponential backoff with full jitter: a random delay in [d/2, d], d = base × 2^(attempt-1).
fn backoff(policy: &RetryPolicy, attempt: u32) -> Duration {
    let d = policy
        .base_delay
        .saturating_mul(1 << (attempt - 1).min(10))
        .min(policy.max_delay);
    let half = d / 2;
    half + Duration::from_millis(fastrand::u64(0..=half.as_millis() as u64))
}

/// `Retry-After` as seconds or an HTTP date.
fn parse_retry_after(v: &str) -> Option<Duration> {
    if let Ok(secs) = v.trim().parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(v.trim()).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(&format!(": {s}"));
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_and_dates() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn backoff_grows_and_is_bounded() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
            ..Default::default()
        };
        for _ in 0..20 {
            let first = backoff(&p, 1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let late = backoff(&p, 8);
            assert!(late >= Duration::from_millis(250) && late <= Duration::from_millis(500));
        }
    }
}
