//! The exports (Hurl, Postman, .http) of requests made of hostile values
//! (quotes, `$()`, backslashes, `#`, `{}`, `&`, `=`, non-ASCII), in the
//! definitions and in the values passed at run time (a secret, a site
//! variable), run by their real runners against a loopback echo server:
//! each request arrives with exactly the defined path, query, headers and
//! body.
#![cfg(unix)]

mod common;

#[path = "common/echo.rs"]
mod echo;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{form_decode as decode, form_pairs as pairs, Runner};
use serde_json::{json, Value};

/// Values that break naive quoting or templating somewhere.
const HOSTILE: &[&str] = &[
    "it's \"quoted\"",
    "$(touch pwned) `touch pwned2`",
    "back\\slash \\n end\\",
    "hash # and {x} } } {y",
    "a&b=c+d%41;e",
    "  edge spaces  ",
    "Søren Ærø 🦀",
];

/// The secret passed at run time.
const SECRET: &str = "s3cr\"et'&=+/#{{x}}\\";

/// A walkthrough whose one step sends every hostile value in every place.
fn walkthrough(dir: &Path) {
    let mut form = serde_json::Map::new();
    let mut query = serde_json::Map::new();
    let mut headers = serde_json::Map::new();
    for (i, v) in HOSTILE.iter().enumerate() {
        form.insert(format!("f{i} {}", v.trim()), json!(v));
        query.insert(format!("q{i}"), json!(v));
        // (Header values are ASCII in HTTP; Node refuses others.)
        if !v.starts_with(' ') && v.is_ascii() {
            headers.insert(format!("X-H{i}"), json!(v));
        }
    }
    form.insert("secret".into(), json!("{{ api_key }}"));
    query.insert("market".into(), json!("{{ market }}"));
    query.insert("key".into(), json!("k={{ api_key }}"));
    let site = json!({
        "title": "Hostile",
        "api": { "base_url": "https://api.example.test" },
        "variables": { "market": HOSTILE[0] },
        "secrets": { "api_key": "API_KEY" },
    });
    let step = json!({
        "title": "All",
        "requests": [
            { "id": "form", "title": "Form", "method": "POST", "path": "/form", "form": form, "headers": headers, "sample": {} },
            { "id": "query", "title": "Query", "path": "/search", "query": query, "sample": {} },
            { "id": "json", "title": "JSON", "method": "PUT", "path": "/items/a%20b",
              "json": { "all": HOSTILE, "market": "{{ market }}", "secret": "{{ api_key }}", "it's": { "k\"ey": HOSTILE[3] } },
              "sample": {} },
        ],
    });
    std::fs::create_dir_all(dir.join("content/steps")).unwrap();
    std::fs::write(dir.join("content/site.yaml"), site.to_string()).unwrap();
    std::fs::write(
        dir.join("content/steps/01-all.md"),
        format!("---\n{step}\n---\nAll of it.\n"),
    )
    .unwrap();
}

/// What one request must look like when it arrives: (method, path, query
/// pairs, headers, body), values decoded.
type Expected = (
    String,
    String,
    Vec<(String, String)>,
    Vec<(String, String)>,
    Value,
);

fn expected() -> Vec<Expected> {
    let mut form: Vec<Value> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, v)| json!([format!("f{i} {}", v.trim()), v]))
        .collect();
    form.push(json!(["secret", SECRET]));
    // (The step file is JSON from a sorted map: keys in sorted order.)
    let mut query: Vec<(String, String)> = vec![
        ("key".into(), format!("k={SECRET}")),
        ("market".into(), HOSTILE[0].into()),
    ];
    query.extend(
        HOSTILE
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("q{i}"), v.to_string())),
    );
    let headers = HOSTILE
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.starts_with(' ') && v.is_ascii())
        .map(|(i, v)| (format!("X-H{i}"), v.to_string()))
        .collect();
    vec![
        (
            "POST".into(),
            "/form".into(),
            vec![],
            headers,
            Value::Array(form),
        ),
        ("GET".into(), "/search".into(), query, vec![], Value::Null),
        (
            "PUT".into(),
            "/items/a b".into(),
            vec![],
            vec![],
            json!({ "all": HOSTILE, "market": HOSTILE[0], "secret": SECRET, "it's": { "k\"ey": HOSTILE[3] } }),
        ),
    ]
}

fn check(tool: &str, server: &echo::Echo, out: std::process::Output) {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{tool} failed:\n{text}");
    for (method, path, query, headers, body) in expected() {
        let got = server
            .next_within(Duration::from_secs(5))
            .unwrap_or_else(|| panic!("{tool}: no {method} {path}\n{text}"));
        let (got_path, got_query) = got.target.split_once('?').unwrap_or((&got.target, ""));
        assert_eq!(
            (got.method.as_str(), decode(got_path).as_str()),
            (method.as_str(), path.as_str()),
            "{tool}"
        );
        assert_eq!(pairs(got_query), query, "{tool}: query of {path}");
        for (k, v) in headers {
            assert_eq!(got.header(&k), Some(v.as_str()), "{tool}: header {k}");
        }
        let got_body = String::from_utf8_lossy(&got.body).into_owned();
        let got_body = match &body {
            Value::Null => Value::Null,
            Value::Array(_) => Value::Array(
                pairs(&got_body)
                    .into_iter()
                    .map(|(k, v)| json!([k, v]))
                    .collect(),
            ),
            _ => serde_json::from_str(&got_body)
                .unwrap_or_else(|e| panic!("{tool}: {path}: not JSON ({e}): {got_body}")),
        };
        assert_eq!(got_body, body, "{tool}: body of {path}");
    }
    assert!(
        server.next_within(Duration::from_millis(200)).is_none(),
        "{tool} sent more requests"
    );
}

/// Builds the walkthrough; the site's downloads folder.
fn downloads(dir: &Path) -> PathBuf {
    walkthrough(dir);
    let out = Command::new(env!("CARGO_BIN_EXE_stepdoc"))
        .args(["build", "--output", "site"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir.join("site/downloads")
}

/// Runs `tool` on the hostile walkthrough's export against an echo server.
fn run_hostile(tool: Runner) {
    let dir = tempfile::tempdir().unwrap();
    let files = downloads(dir.path());
    let server = echo::Echo::start();
    let api = vec![(
        "api".to_owned(),
        format!("http://127.0.0.1:{}", server.port),
    )];
    let out = tool
        .command(&files, &api, &[("api_key", SECRET)])
        .output()
        .unwrap();
    check(tool.name(), &server, out);
}

#[test]
fn hurl_sends_hostile_values_exactly() {
    run_hostile(Runner::Hurl);
}

#[test]
fn newman_sends_hostile_values_exactly() {
    run_hostile(Runner::Newman);
}

#[test]
fn httpyac_sends_hostile_values_exactly() {
    run_hostile(Runner::Httpyac);
}

/// A secret for a header: no `{{` (the exports refuse it in a header,
/// where it has no escape) and no edge spaces (HTTP trims them).
const HEADER_SECRET: &str = "s3cr\"et'&=+/#\\";

/// A walkthrough whose second request puts two values captured from the
/// first response into its path, and one into a header.
fn captured_walkthrough(dir: &Path) -> PathBuf {
    let site = json!({
        "title": "Captured",
        "api": { "base_url": "https://api.example.test" },
        "secrets": { "api_key": "API_KEY" },
    });
    let step = json!({
        "title": "Chain",
        "requests": [
            { "id": "first", "title": "First", "path": "/first", "headers": { "X-Key": "{{ api_key }}" },
              "capture": { "id": "$.id", "tag": "$.tag" }, "sample": {} },
            { "id": "second", "title": "Second", "path": "/items/{{ id }}/tags/{{ tag }}",
              "headers": { "X-Tag": "{{ tag }}" }, "sample": {} },
        ],
    });
    std::fs::create_dir_all(dir.join("content/steps")).unwrap();
    std::fs::write(dir.join("content/site.yaml"), site.to_string()).unwrap();
    std::fs::write(
        dir.join("content/steps/01-chain.md"),
        format!("---\n{step}\n---\nChain.\n"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_stepdoc"))
        .args(["build", "--output", "site"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir.join("site/downloads")
}

/// Runs `tool` against a server that answers `response`; every request it got.
fn run_captured(tool: Runner, response: &Value) -> (Vec<echo::Received>, bool) {
    let dir = tempfile::tempdir().unwrap();
    let files = captured_walkthrough(dir.path());
    let server = echo::Echo::answering(&response.to_string());
    let api = vec![(
        "api".to_owned(),
        format!("http://127.0.0.1:{}", server.port),
    )];
    let out = tool
        .command(&files, &api, &[("api_key", HEADER_SECRET)])
        .output()
        .unwrap();
    let mut got = Vec::new();
    while let Some(r) = server.next_within(Duration::from_millis(if got.is_empty() {
        10_000
    } else {
        500
    })) {
        got.push(r);
    }
    (got, out.status.success())
}

/// A value from the API that looks like a path (`../../admin?all=1#`) is
/// one path segment in every export: no other path is requested.
fn captured_value_is_one_segment(tool: Runner) {
    let (got, ok) = run_captured(
        tool,
        &json!({"id": "../../admin/delete?all=1#x", "tag": "a b&c=d"}),
    );
    assert!(ok, "{}: the run failed", tool.name());
    let targets: Vec<&str> = got.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "/first",
            "/items/..%2F..%2Fadmin%2Fdelete%3Fall%3D1%23x/tags/a%20b%26c%3Dd"
        ],
        "{}",
        tool.name()
    );
    assert_eq!(got[1].header("X-Tag"), Some("a b&c=d"), "{}", tool.name());
}

/// A value from the API written like a template (`{{api_key}}`) is never
/// filled in with the reader's secret: it is sent as it is, or the client
/// refuses to store it; the secret goes only where it was defined.
fn captured_template_is_not_evaluated(tool: Runner) {
    let (got, _) = run_captured(tool, &json!({"id": "{{api_key}}", "tag": "{{api_key}}"}));
    assert_eq!(
        got[0].header("X-Key"),
        Some(HEADER_SECRET),
        "{}",
        tool.name()
    );
    for r in &got[1..] {
        let raw = format!(
            "{} {:?} {}",
            r.target,
            r.headers,
            String::from_utf8_lossy(&r.body)
        );
        assert!(
            !raw.contains("s3cr"),
            "{}: the secret travelled: {raw}",
            tool.name()
        );
        assert_eq!(
            r.target,
            "/items/%7B%7Bapi_key%7D%7D/tags/%7B%7Bapi_key%7D%7D",
            "{}",
            tool.name()
        );
    }
}

#[test]
fn captured_values_stay_one_path_segment_in_every_export() {
    for tool in [Runner::Hurl, Runner::Newman, Runner::Httpyac] {
        captured_value_is_one_segment(tool);
    }
}

#[test]
fn captured_templates_never_reach_a_secret_in_any_export() {
    for tool in [Runner::Hurl, Runner::Newman, Runner::Httpyac] {
        captured_template_is_not_evaluated(tool);
    }
}
