//! Snippets a reader pastes, built from hostile values (quotes of every
//! kind, `$()`, backticks, backslashes, newlines, HTTPie's `@ = :`, curl's
//! globbing `{} []`, non-ASCII), run by the real tools (POSIX sh + curl,
//! HTTPie, Python requests, Node fetch) against a loopback echo server: each
//! sends exactly one request with exactly the defined values, and none runs
//! anything else (a `touch` in a value would leave a file behind).
// These tests drive POSIX tools (sh, curl, kill, /proc).
#![cfg(unix)]

use crate::common::echo;
use crate::common::hostile;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::json;
use stepdoc::call::{self, flatten, Body, Part, Placeholders, Resolve};
use stepdoc::content::{Request, SiteConfig};
use stepdoc::render::snippets::Lang;

/// The reader's environment: secrets and captured values, hostile too
/// (each prefixed with a letter: HTTPie reads `=@` or `:@` after a field
/// name as a file upload, see its module), one variable per corpus value.
fn env() -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = hostile::runtime()
        .into_iter()
        .enumerate()
        .map(|(i, v)| (format!("V{i}"), format!("v{v}")))
        .collect();
    env.push((
        "API_KEY".into(),
        "k'e\"y$(touch pwned)`touch pwned2` {x} [y] \\n".into(),
    ));
    env
}

fn config(base: &str) -> SiteConfig {
    serde_json::from_value(json!({
        "title": "T",
        "api": { "base_url": base },
        "variables": { "market": "say \"hi\" $(touch pwned)" },
        "secrets": { "api_key": "API_KEY" },
    }))
    .unwrap()
}

/// Requests that carry every hostile value in every place a value can go:
/// the author's in query and form names and values, headers and JSON keys
/// and strings; the environment's in path segments, query values, headers,
/// form fields and JSON strings.
fn requests() -> Vec<(&'static str, Request)> {
    let hostile = hostile::author();
    let mut form = serde_json::Map::new();
    let mut query = serde_json::Map::new();
    let mut strings = serde_json::Map::new();
    for (i, v) in hostile.iter().enumerate() {
        form.insert(format!("field {i} {v} ."), json!(v));
        query.insert(format!("q{i}{v}"), json!(v));
        strings.insert(format!("k{i} {v}"), json!(v));
    }
    form.insert("secret".into(), json!("{{ api_key }}"));
    let mut headers = serde_json::Map::new();
    for (i, v) in hostile::header_safe(&hostile).iter().enumerate() {
        headers.insert(format!("X-Hostile-{i}"), json!(v));
    }
    headers.insert("X-Key".into(), json!("Key {{ api_key }}!"));
    let runtime = hostile::runtime();
    let names: Vec<String> = (0..runtime.len()).map(|i| format!("v{i}")).collect();
    let path: String = names.iter().map(|n| format!("/{{{{ {n} }}}}")).collect();
    let env_query: serde_json::Map<String, serde_json::Value> = names
        .iter()
        .map(|n| (format!("q_{n}"), json!(format!("{{{{ {n} }}}}"))))
        .collect();
    let env_json: serde_json::Map<String, serde_json::Value> = names
        .iter()
        .map(|n| (n.clone(), json!(format!("<{{{{ {n} }}}}>"))))
        .collect();
    let env_form: serde_json::Map<String, serde_json::Value> = names
        .iter()
        .map(|n| (n.clone(), json!(format!("{{{{ {n} }}}}"))))
        .collect();
    let mut env_headers = serde_json::Map::new();
    for (i, v) in runtime.iter().enumerate() {
        let value = format!("v{v}");
        if hostile::header_safe(&[value]).len() == 1 {
            env_headers.insert(format!("X-V{i}"), json!(format!("{{{{ v{i} }}}}")));
        }
    }
    let req = |v: serde_json::Value| serde_json::from_value::<Request>(v).unwrap();
    vec![
        (
            "json",
            req(json!({
                "id": "j", "title": "J", "method": "PUT",
                "path": "/items/{{ api_key }}/{a,b}[1-3]",
                "headers": headers,
                "json": { "all": strings, "market": "{{ market }}", "key": "{{ api_key }}" },
            })),
        ),
        (
            "form",
            req(
                json!({ "id": "f", "title": "F", "method": "POST", "path": "/form", "form": form }),
            ),
        ),
        (
            "query",
            req(json!({ "id": "q", "title": "Q", "path": "/search", "query": query })),
        ),
        (
            "environment in the path, query, headers and JSON",
            req(
                json!({ "id": "e", "title": "E", "method": "PATCH", "path": path,
                "query": env_query, "headers": env_headers, "json": env_json }),
            ),
        ),
        (
            "environment in a form",
            req(
                json!({ "id": "ef", "title": "EF", "method": "POST", "path": "/ef", "form": env_form }),
            ),
        ),
    ]
}

/// Values as the reader's environment fills them in.
struct Env(SiteConfig);
impl Resolve for Env {
    fn resolve(&self, name: &str) -> Part {
        if let Some(v) = self.0.variables.get(name) {
            return Part::Lit(v.text.clone());
        }
        let var = call::placeholder_name(&self.0, name);
        Part::Lit(env().into_iter().find(|(k, _)| *k == var).unwrap().1)
    }
}

/// The command that runs a snippet in `lang` (a shell, Python or Node).
pub(crate) fn runner(lang: Lang, code: &str) -> Command {
    let (program, args): (&str, Vec<String>) = match lang {
        Lang::Curl => ("sh", vec!["-c".into(), code.into()]),
        // HTTPie reads stdin as the body when it is not a terminal.
        Lang::Httpie => (
            "sh",
            vec![
                "-c".into(),
                format!("http() {{ command http --ignore-stdin --print= \"$@\"; }}\n{code}"),
            ],
        ),
        Lang::Python => ("python3", vec!["-c".into(), code.into()]),
        Lang::Javascript => (
            "node",
            vec!["--input-type=module".into(), "-e".into(), code.into()],
        ),
        other => panic!("{other:?} does not run here"),
    };
    let mut c = Command::new(program);
    c.args(args);
    c
}

fn percent_decode(s: &str, plus_is_space: bool) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
                continue;
            }
            b'+' if plus_is_space => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// `a=1&b=2` as decoded pairs.
fn pairs(s: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

fn available(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn run_hostile(lang: Lang) {
    let server = echo::Echo::start();
    let base = format!("http://127.0.0.1:{}", server.port);
    let c = config(&base);
    let cwd = tempfile::tempdir().unwrap();
    for (name, req) in requests() {
        let snippet = lang.generate(&call::build(&req, &c, &Placeholders::new(&c)));
        let out = runner(lang, &snippet)
            .current_dir(cwd.path())
            .envs(env())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name} ({lang:?}) failed: {}\n{snippet}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got = server.next();
        assert!(
            server.next_within(Duration::from_millis(300)).is_none(),
            "{name} ({lang:?}) sent more than one request"
        );
        let want = call::build(&req, &c, &Env(config(&base)));
        let lit = |t: &call::Text| flatten(t, &|_| unreachable!());
        assert_eq!(got.method, want.method, "{name} ({lang:?})");
        let url = lit(&want.url);
        let (want_path, want_query) = url[base.len()..]
            .split_once('?')
            .unwrap_or((&url[base.len()..], ""));
        let (got_path, got_query) = got.target.split_once('?').unwrap_or((&got.target, ""));
        // Segment by segment: a value is one segment, whatever it holds.
        let segments =
            |p: &str| -> Vec<Vec<u8>> { p.split('/').map(|s| percent_decode(s, false)).collect() };
        assert_eq!(
            segments(got_path),
            segments(want_path),
            "{name} ({lang:?}): path {got_path}"
        );
        assert_eq!(
            pairs(got_query),
            pairs(want_query),
            "{name} ({lang:?}): query"
        );
        for (k, v) in &want.headers {
            assert_eq!(
                got.header(k),
                Some(lit(v).as_str()),
                "{name} ({lang:?}): header {k}"
            );
        }
        match &want.body {
            Body::None => assert!(got.body.is_empty()),
            Body::Form(fields) => {
                let want: Vec<(Vec<u8>, Vec<u8>)> = fields
                    .iter()
                    .map(|(k, v)| (k.as_bytes().to_vec(), lit(v).into_bytes()))
                    .collect();
                assert_eq!(
                    pairs(&String::from_utf8_lossy(&got.body)),
                    want,
                    "{name} ({lang:?}): form"
                );
            }
            Body::Json(j) => assert_eq!(
                String::from_utf8_lossy(&got.body),
                lit(&j.pretty()),
                "{name} ({lang:?}): JSON body bytes"
            ),
        }
    }
    let left: Vec<_> = std::fs::read_dir(cwd.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(
        left.is_empty(),
        "a snippet ran a command from a value: {left:?}"
    );
    for trap in hostile::TRAPS {
        assert!(!Path::new(trap).exists(), "{trap} appeared");
    }
}

#[test]
fn curl_sends_hostile_values_exactly() {
    run_hostile(Lang::Curl);
}

#[test]
fn httpie_sends_hostile_values_exactly() {
    assert!(
        available("http", "--version"),
        "this test needs HTTPie (pip install httpie); scripts/test installs it"
    );
    run_hostile(Lang::Httpie);
}

#[test]
fn python_sends_hostile_values_exactly() {
    run_hostile(Lang::Python);
}

#[test]
fn node_sends_hostile_values_exactly() {
    run_hostile(Lang::Javascript);
}

#[test]
fn httpie_says_plainly_what_it_cannot_send() {
    let c = config("http://127.0.0.1:9");
    let req: Request = serde_json::from_value(json!({
        "id": "b", "title": "B", "method": "POST", "path": "/x", "form": { "k": "a\\=b" }
    }))
    .unwrap();
    let snippet = Lang::Httpie.generate(&call::build(&req, &c, &Placeholders::new(&c)));
    assert!(
        snippet.starts_with("# HTTPie cannot send this request exactly"),
        "{snippet}"
    );
}

/// The shell snippets' `json_escape` gives serde_json's bytes for every
/// value of the corpus in every awk a reader may have: mawk (Debian),
/// gawk, BusyBox and the one true awk of macOS and the BSDs.
#[test]
fn the_json_escaper_gives_the_same_bytes_in_every_awk() {
    let c = config("http://127.0.0.1:9");
    let req: Request = serde_json::from_value(json!({
        "id": "j", "title": "J", "method": "POST", "path": "/x", "json": { "v": "{{ api_key }}" }
    }))
    .unwrap();
    let snippet = Lang::Curl.generate(&call::build(&req, &c, &Placeholders::new(&c)));
    let helper = snippet
        .lines()
        .find(|l| l.starts_with("json_escape()"))
        .expect("the snippet defines json_escape");
    let mut values = hostile::runtime();
    values.extend(["", "ends with a line break\n", "\n\n", "\u{7f} del"].map(String::from));
    for awk in ["mawk", "gawk", "original-awk", "busybox awk"] {
        let program = awk.split(' ').next().unwrap();
        assert!(
            available(program, "--help") || Path::new(&format!("/usr/bin/{program}")).exists(),
            "this test needs {program} (apt install mawk gawk original-awk busybox); scripts/test installs it"
        );
        for v in &values {
            let script = format!("awk() {{ {awk} \"$@\"; }}\n{helper}\njson_escape \"$V\"");
            let out = Command::new("sh")
                .args(["-c", &script])
                .env("V", v)
                .output()
                .unwrap();
            let want = serde_json::to_string(v).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&out.stdout),
                want[1..want.len() - 1],
                "{awk}: {v:?}"
            );
        }
    }
}
