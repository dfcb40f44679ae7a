//! `record --har FILE`: the run as HAR 1.2, every request and response as
//! the snapshots hold them (secrets as placeholders, identifiers and
//! personal data as pseudonyms), so a HAR viewer or `redocly drift FILE
//! --api openapi.yaml` can read it. A browser step and a prompt are not
//! HTTP exchanges of the API and are left out.

use std::path::Path;

use serde_json::{json, Value};

use crate::content::Snapshot;
use crate::error::{Error, Result};

/// The HAR of `snapshots` (in run order).
pub(super) fn har(snapshots: &[&Snapshot]) -> Value {
    let entries: Vec<Value> = snapshots.iter().map(|s| entry(s)).collect();
    json!({
        "log": {
            "version": "1.2",
            "creator": { "name": "stepdoc", "version": env!("CARGO_PKG_VERSION") },
            "entries": entries,
        }
    })
}

fn entry(s: &Snapshot) -> Value {
    let pairs = |m: &std::collections::BTreeMap<String, String>| -> Vec<Value> {
        m.iter()
            .map(|(k, v)| json!({ "name": k, "value": v }))
            .collect()
    };
    let query: Vec<Value> = url::Url::parse(&s.request.url)
        .map(|u| {
            u.query_pairs()
                .map(|(k, v)| json!({ "name": k, "value": v }))
                .collect()
        })
        .unwrap_or_default();
    let mut request = json!({
        "method": s.request.method,
        "url": s.request.url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": pairs(&s.request.headers),
        "queryString": query,
        "headersSize": -1,
        "bodySize": -1,
    });
    let request_type = s
        .request
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.clone());
    if let (Some(mime), false) = (request_type, s.request.body.is_null()) {
        let text = if mime.starts_with("application/x-www-form-urlencoded") {
            form_text(&s.request.body)
        } else {
            s.request.body.to_string()
        };
        request["postData"] = json!({ "mimeType": mime, "text": text });
    }
    let (mime, text) = match &s.response.body {
        Value::String(t) if t.is_empty() => (String::new(), String::new()),
        Value::String(t) => ("text/plain".to_owned(), t.clone()),
        body => (
            s.response
                .headers
                .get("content-type")
                .cloned()
                .unwrap_or_else(|| "application/json".to_owned()),
            body.to_string(),
        ),
    };
    json!({
        "startedDateTime": s.recorded_at,
        "time": 0,
        "request": request,
        "response": {
            "status": s.response.status,
            "statusText": "",
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": pairs(&s.response.headers),
            "content": { "size": text.len(), "mimeType": mime, "text": text },
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": -1,
        },
        "cache": {},
        "timings": { "send": 0, "wait": 0, "receive": 0 },
    })
}

/// A form body as the snapshot keeps it (an object) in wire form.
fn form_text(body: &Value) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in body.as_object().into_iter().flatten() {
        out.append_pair(
            k,
            v.as_str()
                .map_or_else(|| v.to_string(), str::to_owned)
                .as_str(),
        );
    }
    out.finish()
}

/// Writes the HAR to `path` (a temporary file renamed into place).
pub(super) fn write(path: &Path, har: &Value) -> Result<()> {
    let text = serde_json::to_string_pretty(har).unwrap_or_default() + "\n";
    let tmp = path.with_extension("har.tmp");
    crate::files::write_file(&tmp, text.as_bytes())?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}
