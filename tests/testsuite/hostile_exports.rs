//! The exports (Hurl, Postman, .http) of requests made of hostile values
//! (quotes, `$()`, backslashes, `#`, `{}`, `&`, `=`, non-ASCII), in the
//! definitions and in the values passed at run time (a secret, a site
//! variable), run by their real runners against a loopback echo server:
//! each request arrives with exactly the defined path, query, headers and
//! body.
#![cfg(unix)]

use crate::common;

use crate::common::echo;
use crate::common::hostile;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{form_decode as decode, form_pairs as pairs, Runner};
use serde_json::{json, Value};

/// Values that break naive quoting or templating somewhere: the shared
/// corpus an author may write.
fn hostile() -> Vec<String> {
    hostile::author()
}

/// The secret passed at run time.
const SECRET: &str = "s3cr\"et'&=+/#{{x}}\\";

/// A walkthrough whose one step sends every hostile value in every place,
/// built; its downloads folder.
fn walkthrough(dir: &Path) -> PathBuf {
    let mut form = serde_json::Map::new();
    let mut query = serde_json::Map::new();
    let mut headers = serde_json::Map::new();
    let values = hostile();
    for (i, v) in values.iter().enumerate() {
        form.insert(format!("f{i} {}", v.trim()), json!(v));
        query.insert(format!("q{i:02}"), json!(v));
    }
    // (Header values are visible ASCII in HTTP; Node refuses others.)
    for (i, v) in hostile::header_safe(&values).iter().enumerate() {
        headers.insert(format!("X-H{i:02}"), json!(v));
    }
    form.insert("secret".into(), json!("{{ api_key }}"));
    query.insert("market".into(), json!("{{ market }}"));
    query.insert("key".into(), json!("k={{ api_key }}"));
    let site = json!({
        "title": "Hostile",
        "api": { "base_url": "https://api.example.test" },
        "variables": { "market": values[0] },
        "secrets": { "api_key": "API_KEY" },
    });
    let step = json!({
        "title": "All ### not a request > {% x %} # y",
        "requests": [
            { "id": "form", "title": "Form", "method": "POST", "path": "/form", "form": form, "headers": headers, "sample": {} },
            { "id": "query", "title": "Query", "path": "/search", "query": query, "sample": {} },
            { "id": "json", "title": "JSON", "method": "PUT", "path": "/items/a%20b",
              "json": { "all": values, "market": "{{ market }}", "secret": "{{ api_key }}", "keys": keyed(&values) },
              "sample": {} },
        ],
    });
    build(dir, &site, &step)
}

/// Every value also as a JSON key: `{"k0 it's": "it's", …}`.
fn keyed(values: &[String]) -> Value {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("k{i} {v}"), json!(v)))
        .collect::<serde_json::Map<_, _>>()
        .into()
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
    let values = hostile();
    // (The step file is JSON from a sorted map: keys in sorted order.)
    let mut form: std::collections::BTreeMap<String, String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("f{i} {}", v.trim()), v.clone()))
        .collect();
    form.insert("secret".into(), SECRET.into());
    let form = form.into_iter().map(|(k, v)| json!([k, v])).collect();
    let mut query: std::collections::BTreeMap<String, String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("q{i:02}"), v.clone()))
        .collect();
    query.insert("key".into(), format!("k={SECRET}"));
    query.insert("market".into(), values[0].clone());
    let headers = hostile::header_safe(&values)
        .into_iter()
        .enumerate()
        .map(|(i, v)| (format!("X-H{i:02}"), v))
        .collect();
    vec![
        (
            "POST".into(),
            "/form".into(),
            vec![],
            headers,
            Value::Array(form),
        ),
        (
            "GET".into(),
            "/search".into(),
            query.into_iter().collect(),
            vec![],
            Value::Null,
        ),
        (
            "PUT".into(),
            "/items/a b".into(),
            vec![],
            vec![],
            json!({ "all": values, "market": values[0], "secret": SECRET, "keys": keyed(&values) }),
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

/// Writes a walkthrough of one step and builds it; the site's downloads
/// folder.
fn build(dir: &Path, site: &Value, step: &Value) -> PathBuf {
    std::fs::create_dir_all(dir.join("content/steps")).unwrap();
    std::fs::write(dir.join("content/site.yaml"), site.to_string()).unwrap();
    std::fs::write(
        dir.join("content/steps/01-all.md"),
        format!("---\n{step}\n---\nAll of it.\n"),
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

/// Runs `tool` on the hostile walkthrough's export against an echo server.
fn run_hostile(tool: Runner) {
    let dir = tempfile::tempdir().unwrap();
    let files = walkthrough(dir.path());
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
    build(dir, &site, &step)
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

/// The runtime corpus without templates (those are refused by newman and
/// httpYac, see above): what an API may return.
fn api_values() -> Vec<String> {
    hostile::runtime()
        .into_iter()
        .filter(|v| !v.contains("{{") && !v.contains("}}"))
        .collect()
}

/// A walkthrough whose second request places every value captured from
/// the first response in its path, query, headers and JSON body.
fn corpus_walkthrough(dir: &Path, values: &[String]) -> PathBuf {
    let n = values.len();
    let captures: serde_json::Map<String, Value> = (0..n)
        .map(|i| (format!("c{i}"), json!(format!("$.v{i}"))))
        .collect();
    let path: String = (0..n).map(|i| format!("/{{{{ c{i} }}}}")).collect();
    let query: serde_json::Map<String, Value> = (0..n)
        .map(|i| (format!("q{i:02}"), json!(format!("{{{{ c{i} }}}}"))))
        .collect();
    let body: serde_json::Map<String, Value> = (0..n)
        .map(|i| (format!("v{i:02}"), json!(format!("<{{{{ c{i} }}}}>"))))
        .collect();
    let safe = hostile::header_safe(values);
    let headers: serde_json::Map<String, Value> = values
        .iter()
        .enumerate()
        .filter(|(_, v)| safe.contains(v))
        .map(|(i, _)| (format!("X-C{i:02}"), json!(format!("{{{{ c{i} }}}}"))))
        .collect();
    let site = json!({ "title": "Corpus", "api": { "base_url": "https://api.example.test" } });
    let step = json!({
        "title": "Chain",
        "requests": [
            { "id": "first", "title": "First", "path": "/first", "capture": captures, "sample": {} },
            { "id": "second", "title": "Second", "method": "PATCH", "path": path,
              "query": query, "headers": headers, "json": body, "sample": {} },
        ],
    });
    build(dir, &site, &step)
}

/// Every value an API may return arrives as exactly itself in every place
/// of a later request, in every export; no file appears.
fn corpus_arrives_exactly(tool: Runner, values: &[String]) {
    let values = values.to_vec();
    let dir = tempfile::tempdir().unwrap();
    let files = corpus_walkthrough(dir.path(), &values);
    let response: serde_json::Map<String, Value> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("v{i}"), json!(v)))
        .collect();
    let server = echo::Echo::answering(&Value::Object(response).to_string());
    let api = vec![(
        "api".to_owned(),
        format!("http://127.0.0.1:{}", server.port),
    )];
    let out = tool.command(&files, &api, &[]).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{} failed:\n{text}", tool.name());
    let first = server
        .next_within(Duration::from_secs(10))
        .unwrap_or_else(|| {
            let listing: Vec<_> = std::fs::read_dir(&files)
                .unwrap()
                .flatten()
                .map(|e| e.file_name())
                .collect();
            panic!(
                "{}: nothing arrived ({listing:?} in {}):\n{text}",
                tool.name(),
                files.display()
            )
        });
    assert_eq!(first.target, "/first", "{text}");
    let got = server.next();
    let (path, query) = got.target.split_once('?').unwrap_or((&got.target, ""));
    let segments: Vec<String> = path
        .split('/')
        .skip(1)
        .map(|s| decode(&s.replace('+', "%2B")))
        .collect();
    assert_eq!(segments, values, "{}: path segments", tool.name());
    let want_query: Vec<(String, String)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("q{i:02}"), v.clone()))
        .collect();
    assert_eq!(pairs(query), want_query, "{}: query", tool.name());
    let body: Value = serde_json::from_slice(&got.body).unwrap();
    for (i, v) in values.iter().enumerate() {
        assert_eq!(
            body[format!("v{i:02}")],
            json!(format!("<{v}>")),
            "{}: JSON v{i}",
            tool.name()
        );
        if hostile::header_safe(std::slice::from_ref(v)).len() == 1 {
            assert_eq!(
                got.header(&format!("X-C{i:02}")),
                Some(v.as_str()),
                "{}: header {i}",
                tool.name()
            );
        }
    }
    assert!(
        server.next_within(Duration::from_millis(300)).is_none(),
        "{} sent more",
        tool.name()
    );
    for trap in hostile::TRAPS {
        assert!(
            !dir.path().join(trap).exists(),
            "{}: {trap} appeared",
            tool.name()
        );
    }
}

#[test]
fn every_value_from_an_api_arrives_exactly_in_every_export() {
    let values = api_values();
    for tool in [Runner::Newman, Runner::Httpyac] {
        corpus_arrives_exactly(tool, &values);
    }
    // Hurl pastes control characters other than tab, LF and CR into a JSON
    // string as they are: its export refuses such a value (next test).
    let raw = |v: &String| v.chars().any(|c| c.is_control() && !"\t\n\r".contains(c));
    let plain: Vec<String> = values.iter().filter(|v| !raw(v)).cloned().collect();
    assert!(
        plain.len() + 2 > values.len(),
        "only the escape-code value is left out"
    );
    corpus_arrives_exactly(Runner::Hurl, &plain);
}

#[test]
fn hurl_refuses_a_captured_control_character_bound_for_json() {
    let values = vec!["a\u{1b}[2J".to_owned()];
    let dir = tempfile::tempdir().unwrap();
    let files = corpus_walkthrough(dir.path(), &values);
    let server = echo::Echo::answering(&json!({ "v0": values[0] }).to_string());
    let api = vec![(
        "api".to_owned(),
        format!("http://127.0.0.1:{}", server.port),
    )];
    let out = Runner::Hurl.command(&files, &api, &[]).output().unwrap();
    assert!(!out.status.success(), "hurl sent it");
    assert_eq!(server.next().target, "/first");
    assert!(
        server.next_within(Duration::from_millis(500)).is_none(),
        "the value was sent"
    );
}

/// A walkthrough's own `x_url`, `api_base` and `x_json` keep their values
/// beside the encoded copies and base variables the exports make.
#[test]
fn export_variables_never_overwrite_the_walkthroughs() {
    let dir = tempfile::tempdir().unwrap();
    let site = json!({
        "title": "Names",
        "api": { "base_url": "https://api.example.test" },
        "variables": { "api": "mine", "market": "a b", "market_url": "own url", "market_json": "own json" },
    });
    let step = json!({ "title": "One", "requests": [
        { "id": "one", "title": "One", "method": "POST", "path": "/x/{{ market }}",
          "query": { "m": "{{ market }}", "u": "{{ market_url }}", "a": "{{ api }}" },
          "json": { "m": "{{ market }}", "j": "{{ market_json }}" }, "sample": {} },
    ]});
    let files = build(dir.path(), &site, &step);
    for tool in Runner::ALL {
        let server = echo::Echo::start();
        // The base is `api_base` here: the walkthrough has a variable `api`.
        let api = vec![(
            "api_base".to_owned(),
            format!("http://127.0.0.1:{}", server.port),
        )];
        let out = tool.command(&files, &api, &[]).output().unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            tool.name(),
            String::from_utf8_lossy(&out.stdout)
        );
        let got = server.next();
        let (path, query) = got.target.split_once('?').unwrap();
        assert_eq!(decode(path), "/x/a b", "{}", tool.name());
        assert_eq!(
            pairs(query),
            [
                ("a".into(), "mine".into()),
                ("m".into(), "a b".into()),
                ("u".into(), "own url".into())
            ],
            "{}",
            tool.name()
        );
        let body: Value = serde_json::from_slice(&got.body).unwrap();
        assert_eq!(
            body,
            json!({ "j": "own json", "m": "a b" }),
            "{}",
            tool.name()
        );
    }
}

#[test]
fn respect_sends_hostile_values_exactly() {
    run_hostile(Runner::Respect);
}
