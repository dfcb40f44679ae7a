//! The preview's HTTP side: serves the in-memory site under the base path
//! (as GitHub Pages would), the site's 404 page for unknown paths, the
//! rebuild error in place of pages while there is one, and the live-reload
//! event stream. Files come only from memory, so no request can read
//! anything outside the site.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt, Empty, Full, StreamBody};
use hyper::body::Frame;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, StatusCode};
use tokio::sync::watch;
use tokio_stream::StreamExt;

use super::preview::Files;
use crate::render::html::escape;

/// A response's body: whole, empty, or the event stream.
pub type Body = BoxBody<Bytes, Infallible>;
/// A response.
pub type Response = hyper::Response<Body>;

/// A whole body.
pub(crate) fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).boxed()
}

/// The path, under the base path, of the reload event stream.
pub const EVENTS_PATH: &str = "__stepdoc/events";

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The site.
    pub files: Arc<RwLock<Files>>,
    /// The base path, with leading and trailing slash.
    pub base: String,
    /// The current version, for the event stream.
    pub version: watch::Receiver<u64>,
    /// Flips to true when the server shuts down (ends event streams).
    pub shutdown: watch::Receiver<bool>,
    /// The open event streams.
    pub streams: Arc<std::sync::Mutex<Streams>>,
}

/// The most live-reload streams open at once: a new one ends the oldest,
/// so open streams never take the connections page requests need.
pub const MAX_STREAMS: usize = 32;

/// The open live-reload streams, oldest first, each with the sender that ends it.
#[derive(Default)]
pub struct Streams {
    next: u64,
    open: std::collections::VecDeque<(u64, tokio::sync::oneshot::Sender<()>)>,
}

impl Streams {
    /// Registers a new stream, ending the oldest when there are too many;
    /// its id and the receiver that says when to end.
    fn open(&mut self) -> (u64, tokio::sync::oneshot::Receiver<()>) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.next += 1;
        self.open.push_back((self.next, tx));
        while self.open.len() > MAX_STREAMS {
            if let Some((_, oldest)) = self.open.pop_front() {
                let _ = oldest.send(());
            }
        }
        (self.next, rx)
    }

    /// Forgets stream `id`, which has ended.
    fn close(&mut self, id: u64) {
        self.open.retain(|(i, _)| *i != id);
    }
}

/// Whether `host` (a `Host` header) names this machine in a way no other
/// site can borrow: `localhost`, a `*.localhost` name, or an IP address.
/// A DNS name could be rebound to 127.0.0.1 by any web page, which would
/// then read the preview; an IP address cannot be.
pub fn host_allowed(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        // `[::1]:1111`, `127.0.0.1:1111`, `localhost:1111`
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) && !name.ends_with(':') => {
            name
        }
        _ => host,
    };
    let name = name.trim_start_matches('[').trim_end_matches(']');
    let lower = name.to_ascii_lowercase();
    let lower = lower.trim_end_matches('.');
    lower == "localhost"
        || lower.ends_with(".localhost")
        || name.parse::<std::net::IpAddr>().is_ok()
}

/// Routes every request.
pub async fn handle<B>(state: AppState, req: Request<B>) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return hyper::Response::builder()
            .status(StatusCode::METHOD_NOT_ALLOWED)
            .header(header::ALLOW, "GET, HEAD")
            .body(full("the preview answers GET and HEAD only\n"))
            .unwrap_or_default();
    }
    let host = req
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or("\u{0}"));
    if host.is_some_and(|h| !host_allowed(h)) {
        return hyper::Response::builder()
            .status(StatusCode::FORBIDDEN)
            .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
            .body(full(
                "stepdoc serve answers only localhost and IP addresses (a guard against DNS rebinding)\n",
            ))
            .unwrap_or_default();
    }
    let path = req.uri().path().to_owned();
    let Some(rel) = path
        .strip_prefix(state.base.as_str())
        .or_else(|| (path.clone() + "/" == state.base).then_some(""))
    else {
        if path == "/" {
            return redirect(&state.base);
        }
        return not_found(&state);
    };
    if path.len() + 1 == state.base.len() {
        return redirect(&state.base);
    }
    if rel == EVENTS_PATH {
        return events(state);
    }
    match resolve(rel) {
        Some(file) => {
            // `/repo/slug` is a folder: its relative links need `/repo/slug/`.
            let is_folder = !file.ends_with("index.html") && {
                let files = state.files.read().unwrap_or_else(|e| e.into_inner());
                !files.pages.contains_key(&file)
                    && files.pages.contains_key(&format!("{file}/index.html"))
            };
            if is_folder {
                let query = req
                    .uri()
                    .query()
                    .map(|q| format!("?{q}"))
                    .unwrap_or_default();
                return redirect(&format!("{path}/{query}"));
            }
            serve_file(&state, &file)
        }
        None => not_found(&state),
    }
}

/// A request path (below the base) as a site file, or None when it could
/// escape the site: `..` segments (also percent-encoded), backslashes, NUL.
pub fn resolve(rel: &str) -> Option<String> {
    let decoded = percent_decode(rel)?;
    if decoded.contains('\\') || decoded.contains('\0') || decoded.starts_with('/') {
        return None;
    }
    if decoded.split('/').any(|seg| seg == ".." || seg == ".") {
        return None;
    }
    if decoded.is_empty() || decoded.ends_with('/') {
        Some(format!("{decoded}index.html"))
    } else {
        Some(decoded)
    }
}

/// A percent-encoded path as UTF-8 text (`None` when it is not, or when a
/// `%` is not followed by two hex digits).
fn percent_decode(s: &str) -> Option<String> {
    let well_formed = s.match_indices('%').all(|(i, _)| {
        s.get(i + 1..i + 3)
            .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    if !well_formed {
        return None;
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
}

fn content_type(rel: &str) -> &'static str {
    match rel.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "xml" => "application/xml",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn serve_file(state: &AppState, rel: &str) -> Response {
    let files = state.files.read().unwrap_or_else(|e| e.into_inner());
    let is_html = rel.ends_with(".html");
    if is_html {
        if let Some(err) = &files.error {
            return html(
                StatusCode::INTERNAL_SERVER_ERROR,
                error_page(err, &state.base, files.version),
            );
        }
    }
    let found = files.pages.get(rel).map(|b| (rel.to_owned(), b));
    match found {
        Some((name, bytes)) if name.ends_with(".html") => {
            html(StatusCode::OK, inject(bytes, &state.base, files.version))
        }
        Some((name, bytes)) => hyper::Response::builder()
            .header(header::CONTENT_TYPE, content_type(&name))
            .header(header::CACHE_CONTROL, "no-cache")
            .body(full(bytes.clone()))
            .unwrap_or_default(),
        None => {
            drop(files);
            not_found(state)
        }
    }
}

fn not_found(state: &AppState) -> Response {
    let files = state.files.read().unwrap_or_else(|e| e.into_inner());
    let body = match files.pages.get("404.html") {
        Some(page) => inject(page, &state.base, files.version),
        None => "<!DOCTYPE html><title>404</title><p>Not found</p>".into(),
    };
    html(StatusCode::NOT_FOUND, body)
}

fn redirect(to: &str) -> Response {
    hyper::Response::builder()
        .status(StatusCode::FOUND)
        .header(header::LOCATION, to)
        .body(Empty::new().boxed())
        .unwrap_or_default()
}

fn html(status: StatusCode, body: String) -> Response {
    hyper::Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(full(body))
        .unwrap_or_default()
}

/// The live-reload script, for serve mode only. It reloads when the version
/// differs from the one the page was served at, keeping the scroll position.
fn reload_script(base: &str, version: u64) -> String {
    // The address as a JavaScript string that cannot end the script element.
    let events = serde_json::to_string(&format!("{base}{EVENTS_PATH}"))
        .unwrap_or_default()
        .replace('<', "\\u003c");
    format!(
        r#"<script id="stepdoc-live-reload">(function(){{var k="stepdoc-scroll:"+location.pathname,y=sessionStorage.getItem(k);if(y!==null){{sessionStorage.removeItem(k);window.scrollTo(0,+y);}}var es=new EventSource({events});es.addEventListener("reload",function(e){{if(+e.data!=={version}){{sessionStorage.setItem(k,String(window.scrollY));es.close();location.reload();}}}});}})();</script>"#
    )
}

fn inject(page: &[u8], base: &str, version: u64) -> String {
    let text = String::from_utf8_lossy(page);
    let script = reload_script(base, version);
    match text.rfind("</body>") {
        Some(i) => format!("{}{script}{}", &text[..i], &text[i..]),
        None => format!("{text}{script}"),
    }
}

fn error_page(error: &str, base: &str, version: u64) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Build error – stepdoc</title>\
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:0;padding:2rem;background:#1e1b2e;color:#f1f5f9}}h1{{color:#fca5a5;font-size:1.3rem}}pre{{background:#0f0d1a;padding:1rem;border-radius:8px;overflow-x:auto;white-space:pre-wrap;font:14px/1.5 ui-monospace,monospace}}</style></head>\
<body><main><h1>The walkthrough has a problem</h1><p>Fix it and save: this page reloads by itself.</p><pre id=\"stepdoc-error\">{}</pre></main>{}</body></html>",
        escape(error),
        reload_script(base, version)
    )
}

fn events(state: AppState) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, Infallible>>(8);
    let mut version = state.version.clone();
    let mut shutdown = state.shutdown.clone();
    let Ok((id, mut ended)) = state.streams.lock().map(|mut s| s.open()) else {
        return Response::default();
    };
    let streams = state.streams.clone();
    tokio::spawn(async move {
        stream(tx, &mut version, &mut shutdown, &mut ended).await;
        if let Ok(mut s) = streams.lock() {
            s.close(id);
        }
    });
    hyper::Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))
        // An ended stream frees its connection (the browser reconnects).
        .header(header::CONNECTION, HeaderValue::from_static("close"))
        .body(
            StreamBody::new(
                tokio_stream::wrappers::ReceiverStream::new(rx).map(|r| r.map(Frame::data)),
            )
            .boxed(),
        )
        .unwrap_or_default()
}

/// Sends reload events on `tx` until the client leaves, the server stops,
/// or a newer stream ends this one (`ended`).
async fn stream(
    tx: tokio::sync::mpsc::Sender<Result<Bytes, Infallible>>,
    version: &mut watch::Receiver<u64>,
    shutdown: &mut watch::Receiver<bool>,
    ended: &mut tokio::sync::oneshot::Receiver<()>,
) {
    let current = *version.borrow_and_update();
    if tx
        .send(Ok(Bytes::from(format!(
            "retry: 500\nevent: reload\ndata: {current}\n\n"
        ))))
        .await
        .is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            changed = version.changed() => {
                if changed.is_err() { break; }
                let v = *version.borrow_and_update();
                if tx.send(Ok(Bytes::from(format!("event: reload\ndata: {v}\n\n")))).await.is_err() { break; }
            }
            _ = shutdown.changed() => break,
            _ = &mut *ended => break,
            _ = tokio::time::sleep(Duration::from_secs(15)) => {
                if tx.send(Ok(Bytes::from_static(b": keep-alive\n\n"))).await.is_err() { break; }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        assert_eq!(resolve("auth/"), Some("auth/index.html".into()));
        assert_eq!(resolve(""), Some("index.html".into()));
        assert_eq!(resolve("static/style.css"), Some("static/style.css".into()));
        for bad in [
            "../etc/passwd",
            "a/../../x",
            "%2e%2e/x",
            "%2E%2E%2Fx",
            "..%2fx",
            "%2fetc/passwd",
            "a\\..\\b",
            "bad%zz",
            "./x",
        ] {
            assert_eq!(resolve(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_names_that_cannot_be_rebound_are_answered() {
        for ok in [
            "localhost",
            "localhost:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
            "app.localhost",
            "192.168.1.5:80",
            "LOCALHOST.",
        ] {
            assert!(host_allowed(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "\u{0}",
        ] {
            assert!(!host_allowed(bad), "{bad}");
        }
    }

    #[test]
    fn base_path_is_a_javascript_string() {
        let page = inject(b"<body></body>", "/a\"</script><script>x/", 1);
        assert!(
            page.contains(r#"EventSource("/a\"\u003c/script>\u003cscript>x/__stepdoc/events")"#),
            "{page}"
        );
    }

    #[test]
    fn script_goes_before_body_end() {
        let page = inject(b"<html><body><p>x</p></body></html>", "/repo/", 3);
        assert!(page.contains("<p>x</p><script id=\"stepdoc-live-reload\">"));
        assert!(page.contains("\"/repo/__stepdoc/events\""));
        assert!(page.ends_with("</body></html>"));
    }
}
