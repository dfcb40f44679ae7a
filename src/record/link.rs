//! A browser step: a person opens a page (a consent or login page), does
//! what it asks, and the page redirects to the redirect URI. stepdoc
//! listens for that redirect on loopback (or takes the URL pasted with
//! `--callback-url -`), checks `state` first, and turns the OAuth-style
//! `error`/`error_reason`/`message` parameters into a failure.

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

/// Checks a callback: `state` first (a callback without this run's
/// `state` comes from somewhere else, whatever else it says), then `error`
/// means the person or the page failed.
pub fn check(query: &Map<String, Value>, expected_state: &str) -> Result<(), Problem> {
    let get = |k: &str| query.get(k).and_then(Value::as_str);
    match get("state") {
        Some(s) if s == expected_state => {}
        Some(_) => return Err(Problem::new("the callback's `state` does not match the one stepdoc sent: refusing it (it may come from another attempt or another site)")),
        None => return Err(Problem::new("the callback has no `state`: refusing it")),
    }
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
    Ok(())
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

/// How long one connection may take to send its request line and headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// The most a request's line and headers may hold (hyper's smallest buffer).
const MAX_REQUEST: usize = 8192;
/// Connections served at once; more are closed at once.
const MAX_CONNECTIONS: usize = 16;

/// What happens while the listener waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// Still waiting, this long so far.
    Still(Duration),
    /// A request reached the callback path without this run's `state`.
    Ignored,
}

/// What the callback listener is waiting for.
struct Expect {
    path: String,
    state: String,
    link_url: String,
}

/// Waits up to `timeout` in all for the redirect to the callback path with
/// this run's `state`; returns its query. A request without that `state`
/// (another page, an old attempt) is answered 400 and does not end the
/// wait. Served by hyper: each request's line and headers are bounded in
/// size and time, and at most [`MAX_CONNECTIONS`] are open at once.
///
/// `/stepdoc/link` on the same port forwards to `link_url`, so the terminal
/// shows a local address instead of a URL that carries a single-use code.
pub fn wait(
    listener: &TcpListener,
    cb: &Callback,
    (link_url, state): (&str, &str),
    timeout: Duration,
    tick: &mut dyn FnMut(Waiting),
) -> Result<Map<String, Value>, Problem> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the callback listener: {e}"))?;
    let expect = std::sync::Arc::new(Expect {
        path: cb.path.clone(),
        state: state.to_owned(),
        link_url: link_url.to_owned(),
    });
    let std_listener = listener
        .try_clone()
        .map_err(|e| format!("the callback listener failed: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(std_listener)
            .map_err(|e| format!("the callback listener failed: {e}"))?;
        let (found_tx, mut found) = tokio::sync::mpsc::channel::<Option<Map<String, Value>>>(4);
        let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
        let deadline = tokio::time::Instant::now() + timeout;
        let start = Instant::now();
        let mut ticks = tokio::time::interval(Duration::from_secs(5));
        ticks.tick().await;
        loop {
            tokio::select! {
                q = found.recv() => match q {
                    Some(Some(q)) => return Ok(q),
                    Some(None) => tick(Waiting::Ignored),
                    None => return Err(Problem::new("the callback listener stopped")),
                },
                a = listener.accept() => {
                    let Ok((stream, _)) = a else { continue };
                    let Ok(slot) = slots.clone().try_acquire_owned() else { continue };
                    let (expect, found) = (expect.clone(), found_tx.clone());
                    tokio::spawn(async move {
                        serve(stream, &expect, found).await;
                        drop(slot);
                    });
                }
                _ = ticks.tick() => tick(Waiting::Still(start.elapsed())),
                _ = tokio::time::sleep_until(deadline) => {
                    return Err(Problem::new(format!("no callback within {} s", timeout.as_secs()))
                        .hint("raise --timeout, or pass `--callback-url -` and paste the URL the browser ended on"));
                }
            }
        }
    })
}

/// Serves one connection: a callback with the expected `state` goes to
/// `found`, one without it as `None`.
async fn serve(
    stream: tokio::net::TcpStream,
    expect: &Expect,
    found: tokio::sync::mpsc::Sender<Option<Map<String, Value>>>,
) {
    let service = hyper::service::service_fn(|req: hyper::Request<hyper::body::Incoming>| {
        let (response, query) = answer(expect, req.uri());
        let found = found.clone();
        async move {
            if let Some(q) = query {
                let _ = found.send(q).await;
            }
            Ok::<_, std::convert::Infallible>(response)
        }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_buf_size(MAX_REQUEST)
        .keep_alive(false)
        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
        .await;
}

/// The response to a request for `uri`, and the callback's query when it
/// is the one awaited.
/// The response to a request for `uri`; for a request to the callback
/// path, its query (`Some(None)` when it lacks this run's `state`).
fn answer(
    expect: &Expect,
    uri: &hyper::Uri,
) -> (hyper::Response<String>, Option<Option<Map<String, Value>>>) {
    let page = |status: u16, text: &str| {
        let body = format!("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>stepdoc</title></head><body><p>{text}</p></body></html>");
        let mut r = hyper::Response::new(body);
        *r.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or_default();
        r.headers_mut().insert(
            hyper::header::CONTENT_TYPE,
            hyper::header::HeaderValue::from_static("text/html; charset=utf-8"),
        );
        r
    };
    if uri.path() == FORWARD_PATH {
        let mut r = hyper::Response::new(String::new());
        *r.status_mut() = hyper::StatusCode::FOUND;
        if let Ok(v) = hyper::header::HeaderValue::from_str(&expect.link_url) {
            r.headers_mut().insert(hyper::header::LOCATION, v);
        }
        return (r, None);
    }
    if uri.path() != expect.path {
        return (page(404, "Not found."), None);
    }
    let query = query_of(&format!("http://localhost{uri}")).unwrap_or_default();
    if query.get("state").and_then(Value::as_str) != Some(expect.state.as_str()) {
        return (
            page(400, "This callback does not carry the state of stepdoc's current run, so stepdoc ignores it."),
            Some(None),
        );
    }
    (
        page(
            200,
            "stepdoc received the callback. You can close this window.",
        ),
        Some(Some(query)),
    )
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

    /// What a wait gave, how long it took and how many callbacks it ignored.
    type Waited = (Result<Map<String, Value>, Problem>, Duration, usize);

    /// A listener on a free port, waiting up to `secs` for state `s1`.
    fn waiting(secs: u64) -> (u16, std::thread::JoinHandle<Waited>) {
        let cb = Callback {
            port: 0,
            path: "/cb".into(),
        };
        let listener = listen(&cb).unwrap();
        let port = listener.local_addr().unwrap().port();
        let handle = std::thread::spawn(move || {
            let start = Instant::now();
            let mut ignored = 0;
            let mut tick = |w: Waiting| ignored += usize::from(w == Waiting::Ignored);
            let got = wait(
                &listener,
                &cb,
                ("https://x/", "s1"),
                Duration::from_secs(secs),
                &mut tick,
            );
            (got, start.elapsed(), ignored)
        });
        (port, handle)
    }

    fn get(port: u16, request: &[u8]) -> String {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let _ = s.write_all(request);
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    }

    #[test]
    fn a_callback_without_the_state_is_answered_400_and_the_wait_goes_on() {
        let (port, handle) = waiting(10);
        let refused = get(
            port,
            b"GET /cb?error=ACCESS_DENIED&message=%1b%5b2J HTTP/1.1\r\nHost: x\r\n\r\n",
        );
        assert!(refused.starts_with("HTTP/1.1 400"), "{refused}");
        let ok = get(
            port,
            b"GET /cb?state=s1&code=c1 HTTP/1.1\r\nHost: x\r\n\r\n",
        );
        assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
        let (got, _, ignored) = handle.join().unwrap();
        assert_eq!(got.unwrap()["code"], "c1");
        assert_eq!(ignored, 1);
    }

    #[test]
    fn dripping_or_huge_requests_neither_stretch_the_wait_nor_fill_memory() {
        use std::io::Write;
        let (port, handle) = waiting(3);
        let drip = std::thread::spawn(move || {
            let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
            let _ = s.write_all(b"GET /cb?state=s1 HTTP/1.1\r\n");
            for _ in 0..20 {
                if s.write_all(b"X-Drip: 1\r\n").is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(500));
            }
        });
        // A request line of 64 MiB: refused after the first few KiB.
        let mut huge = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let chunk = vec![b'a'; 1 << 20];
        let _ = huge.write_all(b"GET /cb?state=");
        let sent = (0..64)
            .take_while(|_| huge.write_all(&chunk).is_ok())
            .count();
        assert!(sent < 64, "the listener read all of a 64 MiB request line");
        let (got, took, _) = handle.join().unwrap();
        assert!(got.unwrap_err().message.contains("no callback within 3 s"));
        assert!(took < Duration::from_secs(5), "took {took:?}");
        drip.join().unwrap();
    }

    #[test]
    fn state_and_errors_are_checked() {
        let q = query_of("http://localhost/cb?credentials_id=c1&state=s1").unwrap();
        assert!(check(&q, "s1").is_ok());
        assert!(check(&q, "s2")
            .unwrap_err()
            .message
            .contains("does not match"));
        // `state` is checked before `error`: an error without it is refused as such.
        let stray = query_of("http://localhost/cb?error=ACCESS_DENIED").unwrap();
        assert!(check(&stray, "s1")
            .unwrap_err()
            .message
            .contains("no `state`"));
        let e = query_of("http://localhost/cb?error=BAD_REQUEST&error_reason=INVALID_PARAMETER_CLIENT_ID&message=bad&state=s1").unwrap();
        let msg = check(&e, "s1").unwrap_err().message;
        assert!(
            msg.contains("BAD_REQUEST (INVALID_PARAMETER_CLIENT_ID): bad"),
            "{msg}"
        );
    }
}
