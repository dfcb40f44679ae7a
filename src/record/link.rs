//! A browser step: a person opens a page (a consent or login page), does
//! what it asks, and the page redirects to the redirect URI. stepdoc
//! listens for that redirect on loopback (or takes the URL pasted with
//! `--callback-url -`), checks `state`, and turns the OAuth-style
//! `error`/`error_reason`/`message` parameters into a failure.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use reqwest::Url;

use crate::error::Problem;
use serde_json::{Map, Value};

/// The local path that forwards to the page's real URL.
pub const FORWARD_PATH: &str = "/stepdoc/link";

/// Where the callback arrives.
#[derive(Debug, Clone)]
pub struct Callback {
    /// Port to listen on (loopback).
    pub port: u16,
    /// Path the redirect URI names.
    pub path: String,
}

/// The redirect URI with its port replaced (for `--callback-port`), and where to listen.
pub fn callback_for(redirect_uri: &str, port: Option<u16>) -> Result<(String, Callback), Problem> {
    let mut url = Url::parse(redirect_uri)
        .map_err(|e| format!("redirect_uri `{redirect_uri}` is not a URL: {e}"))?;
    let host = url.host_str().unwrap_or_default().to_owned();
    if !matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]") && port.is_none() {
        return Err(Problem::new(format!(
            "redirect_uri `{redirect_uri}` is not on this machine, so stepdoc cannot receive the callback"
        ))
        .hint("register a http://localhost:PORT/callback redirect URI, or pass `--callback-url -` and paste the URL the browser ended on"));
    }
    if let Some(p) = port {
        url.set_port(Some(p))
            .map_err(|()| format!("cannot set port {p} on `{redirect_uri}`"))?;
    }
    let port = url.port_or_known_default().unwrap_or(80);
    let path = url.path().to_owned();
    Ok((url.to_string(), Callback { port, path }))
}

/// The query of a callback URL as a JSON object.
pub fn query_of(url: &str) -> Result<Map<String, Value>, Problem> {
    let url = Url::parse(url).map_err(|e| format!("the callback URL is not a URL: {e}"))?;
    Ok(url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
        .collect())
}

/// Checks a callback: `state` must match; `error` means the person or the page failed.
pub fn check(query: &Map<String, Value>, expected_state: &str) -> Result<(), Problem> {
    let get = |k: &str| query.get(k).and_then(Value::as_str);
    if let Some(error) = get("error") {
        let mut msg = format!("the page returned error {error}");
        if let Some(reason) = get("error_reason") {
            msg.push_str(&format!(" ({reason})"));
        }
        if let Some(message) = get("message") {
            msg.push_str(&format!(": {message}"));
        }
        if let Some(t) = get("tracking_id") {
            msg.push_str(&format!(" [tracking_id {t}]"));
        }
        return Err(msg.into());
    }
    match get("state") {
        Some(s) if s == expected_state => Ok(()),
        Some(_) => Err(Problem::new("the callback's `state` does not match the one stepdoc sent: refusing it (it may come from another attempt or another site)")),
        None => Err(Problem::new("the callback has no `state`: refusing it")),
    }
}

/// Binds the loopback listener (before the URL is shown, so no callback is missed).
pub fn listen(cb: &Callback) -> Result<TcpListener, Problem> {
    let listener = TcpListener::bind(("127.0.0.1", cb.port)).map_err(|e| {
        Problem::new(format!("cannot listen for the callback on 127.0.0.1:{}: {e}", cb.port))
            .hint("pass --callback-port with a free port (and register that redirect URI), or `--callback-url -`")
    })?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    Ok(listener)
}

/// Waits up to `timeout` for a request to the callback path; returns its query.
///
/// `/stepdoc/link` on the same port forwards to `link_url`, so the terminal
/// shows a local address instead of a URL that carries a single-use code.
pub fn wait(
    listener: &TcpListener,
    cb: &Callback,
    link_url: &str,
    timeout: Duration,
    tick: &mut dyn FnMut(Duration),
) -> Result<Map<String, Value>, Problem> {
    let start = Instant::now();
    let mut last_tick = Instant::now();
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                let _ = stream.set_nonblocking(false);
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut reader = BufReader::new(&stream);
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                let target = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                        break;
                    }
                }
                let url = format!("http://localhost{target}");
                let parsed = Url::parse(&url).ok();
                let mut writer = &stream;
                if parsed.as_ref().map(|u| u.path()) == Some(cb.path.as_str()) {
                    let page = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>stepdoc</title></head><body><p>stepdoc received the callback. You can close this window.</p></body></html>";
                    let _ = write!(writer, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}", page.len());
                    return query_of(&url);
                }
                if parsed.as_ref().map(|u| u.path()) == Some(FORWARD_PATH) {
                    let _ = write!(writer, "HTTP/1.1 302 Found\r\nLocation: {link_url}\r\nCache-Control: no-store\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    continue;
                }
                let _ = write!(
                    writer,
                    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if start.elapsed() >= timeout {
                    return Err(Problem::new(format!("no callback within {} s", timeout.as_secs()))
                        .hint("raise --timeout, or pass `--callback-url -` and paste the URL the browser ended on"));
                }
                if last_tick.elapsed() >= Duration::from_secs(5) {
                    tick(start.elapsed());
                    last_tick = Instant::now();
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => return Err(format!("the callback listener failed: {e}").into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_port_overrides_redirect_uri() {
        let (uri, cb) = callback_for("http://localhost:3000/callback", Some(4555)).unwrap();
        assert_eq!(uri, "http://localhost:4555/callback");
        assert_eq!((cb.port, cb.path.as_str()), (4555, "/callback"));
        assert!(callback_for("https://moneycapp.example/cb", None).is_err());
    }

    #[test]
    fn state_and_errors_are_checked() {
        let q = query_of("http://localhost/cb?credentials_id=c1&state=s1").unwrap();
        assert!(check(&q, "s1").is_ok());
        assert!(check(&q, "s2")
            .unwrap_err()
            .message
            .contains("does not match"));
        let e = query_of("http://localhost/cb?error=BAD_REQUEST&error_reason=INVALID_PARAMETER_CLIENT_ID&message=bad&state=s1").unwrap();
        let msg = check(&e, "s1").unwrap_err().message;
        assert!(
            msg.contains("BAD_REQUEST (INVALID_PARAMETER_CLIENT_ID): bad"),
            "{msg}"
        );
    }
}
