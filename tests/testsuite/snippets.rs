//! Generated request snippets in every language: golden snapshots, proof by
//! execution that the POSIX cURL, Python and Node snippets send exactly what
//! the request definition says, and the Rust snippet parses.

use crate::common;

use crate::common::echo;

use std::process::Command;

use stepdoc::call::{self, flatten, Body, Part, Placeholders, Resolve};
use stepdoc::content::{Request, SiteConfig};
use stepdoc::render::snippets::Lang;

fn config(base: &str) -> SiteConfig {
    serde_saphyr::from_str(&format!(
        "title: T\napi: {{ base_url: '{base}', bases: {{ link: '{base}' }} }}\nvariables: {{ market: DK, locale: da_DK }}\nsecrets: {{ client_id: TINK_CLIENT_ID, client_secret: TINK_CLIENT_SECRET }}\nauth: {{ app: {{ label: app, bearer: app_token }}, user: {{ label: user, bearer: user_token }}, client: {{ label: client, basic: {{ user: client_id, password: client_secret }} }}, key: {{ label: key, header: X-Api-Key, value: client_secret }} }}\n"
    ))
    .unwrap()
}

use crate::common::requests;
use requests::REQUESTS;

fn request(yaml: &str) -> Request {
    serde_saphyr::from_str(yaml).expect("request yaml")
}

#[test]
fn golden_snippets_in_every_language() {
    let c = config("https://api.tink.com");
    for (name, yaml) in REQUESTS {
        let call = call::build(&request(yaml), &c, &Placeholders::new(&c));
        for lang in Lang::ALL {
            let snippet = lang.generate(&call);
            common::golden(|| {
                if lang == Lang::Curl {
                    insta::assert_snapshot!(*name, snippet);
                } else {
                    insta::assert_snapshot!(format!("{name}__{}", lang.id()), snippet);
                }
            });
        }
    }
}

#[test]
fn rust_snippets_parse() {
    let c = config("https://api.tink.com");
    for (name, yaml) in REQUESTS {
        let code = Lang::Rust.generate(&call::build(&request(yaml), &c, &Placeholders::new(&c)));
        if let Err(e) = syn::parse_file(&code) {
            panic!("{name}: the Rust snippet does not parse: {e}\n{code}");
        }
    }
}

/// The reader's environment: values for every placeholder, with characters
/// that would break naive quoting.
const ENV: &[(&str, &str)] = &[
    ("APP_TOKEN", "app tok'en$1"),
    ("USER_TOKEN", "user-token-2"),
    ("TINK_CLIENT_ID", "client id"),
    ("TINK_CLIENT_SECRET", "s3cr&t=\"x\""),
    ("USER_ID", "u-123"),
    ("ACCOUNT_ID", "acc1"),
    ("WEBHOOK_ID", "wh9"),
];

struct Env;
impl Resolve for Env {
    fn resolve(&self, name: &str) -> Part {
        let c = config("http://unused");
        let env_name = call::placeholder_name(&c, name);
        if let Some(v) = c.variables.get(name) {
            return Part::Lit(v.text.clone());
        }
        Part::Lit(
            ENV.iter()
                .find(|(k, _)| *k == env_name)
                .map(|(_, v)| v.to_string())
                .expect("value for placeholder"),
        )
    }
}

/// How to run a snippet of `lang` from the command line.
fn runner(lang: Lang, code: &str) -> Command {
    match lang {
        Lang::Curl => {
            let mut c = Command::new("sh");
            c.arg("-c").arg(code.trim_end());
            c
        }
        Lang::Python => {
            let mut c = Command::new("python3");
            c.arg("-c").arg(code);
            c
        }
        Lang::Javascript => {
            let mut c = Command::new("node");
            c.args(["--input-type=module", "-e", code]);
            c
        }
        other => panic!("{other:?} is not executed"),
    }
}

#[cfg(unix)]
#[test]
fn pasted_curl_sends_exactly_the_defined_request() {
    run_everywhere(Lang::Curl);
}

#[cfg(unix)]
#[test]
fn python_requests_sends_exactly_the_defined_request() {
    let has_requests = Command::new("python3")
        .args(["-c", "import requests"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        has_requests,
        "this test needs Python's `requests` (pip install requests); scripts/test installs it"
    );
    run_everywhere(Lang::Python);
}

#[test]
fn node_fetch_sends_exactly_the_defined_request() {
    run_everywhere(Lang::Javascript);
}

/// A URL as its decoded path segments and query pairs.
fn decoded(url: &str) -> (Vec<String>, Vec<(String, String)>) {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let segments = path
        .split('/')
        .map(|s| common::form_decode(&s.replace('+', "%2B")))
        .collect();
    (segments, common::form_pairs(query))
}

fn run_everywhere(lang: Lang) {
    let server = echo::Echo::start();
    let base = format!("http://127.0.0.1:{}", server.port);
    let c = config(&base);
    for (name, yaml) in REQUESTS {
        let req = request(yaml);
        let snippet = lang.generate(&call::build(&req, &c, &Placeholders::new(&c)));
        let status = runner(lang, &snippet)
            .envs(ENV.iter().copied())
            .stdout(std::process::Stdio::null())
            .status()
            .expect("run sh");
        assert!(
            status.success(),
            "{name} ({lang:?}): snippet failed:\n{snippet}"
        );
        let got = server.next();

        // What the definition says, with the reader's values filled in.
        let want = call::build(&req, &c, &Env);
        let no_env = |_: &str| -> String { panic!("all values are literal") };
        assert_eq!(got.method, want.method, "{name}");
        // The same values in the same places: each path segment and query
        // pair decoded (curl writes a space in a query as `+`, Python as `%20`).
        let url = flatten(&want.url, &no_env);
        assert_eq!(
            decoded(&format!("{base}{}", got.target)),
            decoded(&url),
            "{name} ({lang:?}): URL {}",
            got.target
        );
        for (k, v) in &want.headers {
            assert_eq!(
                got.header(k),
                Some(flatten(v, &no_env).as_str()),
                "{name}: header {k}"
            );
        }
        if let Some((user, password)) = &want.basic {
            use base64::Engine;
            let pair = flatten(&call::basic_pair(user, password), &no_env);
            let expected = format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            );
            assert_eq!(
                got.header("authorization"),
                Some(expected.as_str()),
                "{name} ({lang:?}): HTTP Basic"
            );
        }
        let body = match &want.body {
            Body::None => String::new(),
            Body::Form(fields) => fields
                .iter()
                .map(|(k, v)| format!("{k}={}", call::form_encode(&flatten(v, &no_env))))
                .collect::<Vec<_>>()
                .join("&"),
            Body::Json(j) => flatten(&j.pretty(), &no_env),
        };
        assert_eq!(
            String::from_utf8_lossy(&got.body),
            body,
            "{name}: body bytes"
        );
        if let Body::Json(_) = want.body {
            let parsed: serde_json::Value =
                serde_json::from_slice(&got.body).expect("valid JSON arrived");
            assert_eq!(parsed["external_user_id"], "it's $HOME `x` \"q\"");
            assert_eq!(parsed["name"], "Søren Ærø Åse");
        }
    }
}
