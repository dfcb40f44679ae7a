//! Typed values: a JSON value that is exactly one `{{ name }}` is sent as
//! the type of its value (a site variable written `2500` or `true`, a
//! capture whose value in the response shown is a number or a boolean),
//! in every snippet, every export and `record`. A value of another type
//! from the reader or the API is refused, or sent as a value of the type;
//! it never adds JSON of its own (`1, "admin": true`).
#![cfg(unix)]

use crate::common::{self, echo, hostile, Runner};

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde_json::{json, Value};
use stepdoc::call::{self, Placeholders};
use stepdoc::content::chain::Types;
use stepdoc::render::snippets::Lang;

/// A walkthrough whose first request sends typed site variables and
/// captures typed values its sample shows; the second sends those.
fn walkthrough(dir: &Path, base: &str) -> PathBuf {
    std::fs::create_dir_all(dir.join("content/steps")).unwrap();
    std::fs::write(
        dir.join("content/site.yaml"),
        format!("title: Typed\napi: {{ base_url: '{base}' }}\nvariables: {{ amount: 2500, live: true, label: \"2500\" }}\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("content/steps/01-pay.yaml"),
        r#"title: Pay
requests:
  - id: quote
    title: Quote
    method: POST
    path: /quotes
    json: { amount: "{{ amount }}", live: "{{ live }}", label: "{{ label }}" }
    capture: { count: $.count, rate: $.rate, flag: $.flag }
    sample: { count: 3, rate: 2.5, flag: false }
  - id: pay
    title: Pay
    method: POST
    path: /pay
    json: { count: "{{ count }}", rate: "{{ rate }}", flag: "{{ flag }}", note: "n {{ count }}" }
    sample: {}
body: Pay.
"#,
    )
    .unwrap();
    dir.join("site/downloads")
}

/// The first request's body: typed site variables as their types, a
/// quoted one (`"2500"`) as a string.
fn quote_body() -> Value {
    json!({"amount": 2500, "live": true, "label": "2500"})
}

/// The second request's body for count 3, rate 2.5, flag false.
fn pay_body() -> Value {
    json!({"count": 3, "rate": 2.5, "flag": false, "note": "n 3"})
}

/// Values that are not an integer, or hide JSON of their own.
fn not_integers() -> Vec<String> {
    let mut v: Vec<String> = [
        "1, \"admin\": true",
        "3}",
        "3, \"x\": {",
        "3\n, \"x\": 1",
        "true",
        "3.5",
        "[3]",
        "{}",
        "\"3\"",
        "",
        "NaN",
        "0x10",
    ]
    .map(String::from)
    .to_vec();
    v.extend(hostile::runtime());
    v
}

/// A second request that arrived is the pay request with a count that is
/// a number, and nothing else: a value never adds or changes a field.
fn assert_no_injection(who: &str, value: &str, body: &[u8]) {
    let Ok(Value::Object(got)) = serde_json::from_slice::<Value>(body) else {
        return; // Not JSON: the API refuses it.
    };
    let keys: Vec<&str> = got.keys().map(String::as_str).collect();
    assert_eq!(keys, ["count", "flag", "note", "rate"], "{who}: {value:?}");
    assert!(got["count"].is_number(), "{who}: {value:?} sent {got:?}");
    assert_eq!(got["flag"], json!(false), "{who}: {value:?}");
}

fn build(dir: &Path) {
    let out = common::stepdoc(dir, &["build", "--output", "site"]);
    assert!(out.status.success(), "{}", common::text(&out).1);
}

/// The snippet of request `r` in `lang`, as the page shows it.
fn snippet(dir: &Path, r: usize, lang: Lang) -> String {
    let site = stepdoc::content::load(dir).unwrap();
    let types = Types::new(&site);
    let req = &site.steps[0].requests[r];
    let names = Placeholders::at(&site.config, &types, (0, r));
    lang.generate(&call::build(req, &site.config, &names))
}

fn run(lang: Lang, code: &str, env: &[(&str, &str)]) -> bool {
    crate::hostile_snippets::runner(lang, code)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap()
        .success()
}

const RUNNABLE: [Lang; 4] = [Lang::Curl, Lang::Httpie, Lang::Python, Lang::Javascript];

#[test]
fn snippets_send_typed_values_as_their_type() {
    let dir = tempfile::tempdir().unwrap();
    let server = echo::Echo::start();
    walkthrough(dir.path(), &format!("http://127.0.0.1:{}", server.port));
    let env = [("COUNT", "3"), ("RATE", "2.5"), ("FLAG", "false")];
    for lang in RUNNABLE {
        for (r, want) in [(0, quote_body()), (1, pay_body())] {
            let code = snippet(dir.path(), r, lang);
            assert!(run(lang, &code, &env), "{lang:?} failed:\n{code}");
            let got: Value = serde_json::from_slice(&server.next().body).unwrap();
            assert_eq!(got, want, "{lang:?}:\n{code}");
        }
    }
}

#[test]
fn snippets_never_let_a_value_add_json() {
    let dir = tempfile::tempdir().unwrap();
    let server = echo::Echo::start();
    walkthrough(dir.path(), &format!("http://127.0.0.1:{}", server.port));
    for lang in RUNNABLE {
        let code = snippet(dir.path(), 1, lang);
        let values = match lang {
            // HTTPie's snippet checks a value with the same shell function
            // as cURL's: a few values are enough.
            Lang::Httpie => not_integers()[..12].to_vec(),
            _ => not_integers(),
        };
        for value in &values {
            let env = [
                ("COUNT", value.as_str()),
                ("RATE", "2.5"),
                ("FLAG", "false"),
            ];
            run(lang, &code, &env);
            // The answer is written before the request is passed on: a short wait.
            if let Some(got) = server.next_within(Duration::from_millis(50)) {
                assert_no_injection(&format!("{lang:?}"), value, &got.body);
            }
        }
    }
}

#[test]
fn golden_typed_snippets() {
    let dir = tempfile::tempdir().unwrap();
    walkthrough(dir.path(), "https://api.example.test");
    for lang in Lang::ALL {
        let code = snippet(dir.path(), 1, lang);
        if lang == Lang::Rust {
            syn::parse_file(&code).unwrap_or_else(|e| panic!("{e}\n{code}"));
        }
        common::golden(|| insta::assert_snapshot!(format!("pay__{}", lang.id()), code));
    }
}

/// Runs `tool` against a server that answers `response` to every request;
/// the bodies it received.
fn run_export(tool: Runner, response: &Value) -> Vec<Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let server = echo::Echo::answering(&response.to_string());
    let base = format!("http://127.0.0.1:{}", server.port);
    let downloads = walkthrough(dir.path(), "https://api.example.test");
    build(dir.path());
    tool.command(&downloads, &[("api".into(), base)], &[])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    let mut got = Vec::new();
    while let Some(r) = server.next_within(Duration::from_millis(if got.is_empty() {
        10_000
    } else {
        500
    })) {
        got.push(r.body);
    }
    got
}

fn exports_type_values(tool: Runner) {
    let bodies = run_export(tool, &json!({"count": 3, "rate": 2.5, "flag": false}));
    let got: Vec<Value> = bodies
        .iter()
        .map(|b| serde_json::from_slice(b).unwrap())
        .collect();
    assert_eq!(got, [quote_body(), pay_body()], "{}", tool.name());
    for count in [
        json!("1, \"admin\": true"),
        json!("3}"),
        json!("{{x}}"),
        json!(true),
        json!([3]),
        json!({"a": 1}),
    ] {
        let bodies = run_export(tool, &json!({"count": count, "rate": 2.5, "flag": false}));
        for body in bodies.iter().skip(1) {
            assert_no_injection(tool.name(), &count.to_string(), body);
        }
    }
}

#[test]
fn hurl_sends_typed_values_and_refuses_other_types() {
    exports_type_values(Runner::Hurl);
}

#[test]
fn newman_sends_typed_values_and_refuses_other_types() {
    exports_type_values(Runner::Newman);
}

#[test]
fn httpyac_sends_typed_values_and_refuses_other_types() {
    exports_type_values(Runner::Httpyac);
}

/// `record` sends what it captured as the API returned it: a number as a
/// number, a string as a string (even one that reads as JSON).
#[test]
fn record_sends_values_as_the_api_returned_them() {
    for (count, want) in [
        (json!(3), pay_body()),
        (
            json!("1, \"admin\": true"),
            json!({"count": "1, \"admin\": true", "rate": 2.5, "flag": false, "note": "n 1, \"admin\": true"}),
        ),
    ] {
        let server =
            echo::Echo::answering(&json!({"count": count, "rate": 2.5, "flag": false}).to_string());
        let dir = tempfile::tempdir().unwrap();
        walkthrough(dir.path(), &format!("http://127.0.0.1:{}", server.port));
        let out = common::stepdoc(dir.path(), &["record"]);
        assert!(out.status.success(), "{}", common::text(&out).1);
        let got: Vec<Value> = (0..2)
            .map(|_| serde_json::from_slice(&server.next().body).unwrap())
            .collect();
        assert_eq!(got, [quote_body(), want]);
    }
}
