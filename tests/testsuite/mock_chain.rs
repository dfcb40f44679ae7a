//! The snippets of every language that runs here (cURL, HTTPie, Python,
//! Node), request after request of the Tink walkthrough and the GitHub
//! example against `stepdoc mock`, each captured value passed to the next
//! as the page says (an environment variable); and `stepdoc record` against the mock, which
//! writes snapshots equal to what the mock served (identifiers aside).
#![cfg(unix)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use stepdoc::call::{self, Placeholders};
use stepdoc::content::chain::{self, Types};
use stepdoc::render::snippets::Lang;

use super::mock::{built_copy, path_with_runners, repo, MockRun};

/// The first JSON value in a snippet's output (Python and Node print the
/// status first).
fn body_of(out: &str) -> Option<Value> {
    let at = out.find(['{', '['])?;
    serde_json::Deserializer::from_str(&out[at..])
        .into_iter::<Value>()
        .next()?
        .ok()
}

fn runner(lang: Lang, code: &str) -> Command {
    // HTTPie reads stdin as the body when it is not a terminal, as here.
    let httpie = format!("http() {{ command http --ignore-stdin \"$@\"; }}\n{code}");
    let (program, args): (&str, Vec<&str>) = match lang {
        Lang::Curl => ("sh", vec!["-c", code]),
        Lang::Httpie => ("sh", vec!["-c", &httpie]),
        Lang::Python => ("python3", vec!["-c", code]),
        Lang::Javascript => ("node", vec!["--input-type=module", "-e", code]),
        other => panic!("{other:?} does not run here"),
    };
    let mut c = Command::new(program);
    c.args(args).env("PATH", path_with_runners());
    c
}

/// Runs every HTTP request of the walkthrough at `from` as a `lang`
/// snippet against the mock, in chain order; returns how many ran.
fn snippets_run_the_chain(lang: Lang, from: &Path) -> usize {
    let dir = built_copy(from);
    let mock = MockRun::start(dir.path());
    let mut site = stepdoc::content::load(dir.path()).unwrap();
    let api = site.config.api.as_mut().unwrap();
    for base in api
        .names()
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>()
    {
        assert!(api.set_base(&base, &format!("{}/{base}", mock.url)));
    }
    let types = Types::new(&site);
    let mut env: Vec<(String, String)> = site
        .config
        .secrets
        .values()
        .map(|v| (v.clone(), "demo".to_owned()))
        .collect();
    let mut ran = 0;
    for pos in chain::all(&site) {
        let req = &site.steps[pos.0].requests[pos.1];
        if req.interactive.is_some() {
            continue;
        }
        let placeholders = Placeholders::at(&site.config, &types, pos);
        let code = lang.generate(&call::build(req, &site.config, &placeholders));
        let out = runner(lang, &code)
            .envs(env.iter().cloned())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success() && !text.contains("stepdoc mock"),
            "{lang:?} `{}` was refused:\n{code}\n{text}{}",
            req.id,
            String::from_utf8_lossy(&out.stderr)
        );
        for (name, cap) in &req.capture {
            let body = body_of(&text).unwrap_or_else(|| panic!("{}: no JSON in {text}", req.id));
            let path = serde_json_path::JsonPath::parse(cap.path()).unwrap();
            let value = match path.query(&body).exactly_one() {
                Ok(Value::String(s)) => s.clone(),
                Ok(other) => other.to_string(),
                Err(e) => panic!("{}: capture {name}: {e:?} in {text}", req.id),
            };
            env.push((call::placeholder_name(&site.config, name), value));
        }
        ran += 1;
    }
    ran
}

/// The Tink walkthrough's 10 HTTP requests and the GitHub example's 4.
fn both_chains(lang: Lang) {
    assert_eq!(snippets_run_the_chain(lang, &repo()), 10);
    assert_eq!(
        snippets_run_the_chain(lang, &repo().join("examples/github-issues")),
        4
    );
}

#[test]
fn curl_snippets_run_the_whole_chains_against_the_mock() {
    both_chains(Lang::Curl);
}

#[test]
fn httpie_snippets_run_the_whole_chains_against_the_mock() {
    both_chains(Lang::Httpie);
}

#[test]
fn python_snippets_run_the_whole_chains_against_the_mock() {
    both_chains(Lang::Python);
}

#[test]
fn node_snippets_run_the_whole_chains_against_the_mock() {
    both_chains(Lang::Javascript);
}

/// The page's button: `href` of `id="continue"`, unescaped.
fn button(page: &str) -> String {
    let at = page.find("id=\"continue\" href=\"").unwrap() + "id=\"continue\" href=\"".len();
    let end = at + page[at..].find('"').unwrap();
    page[at..end].replace("&amp;", "&").replace("&quot;", "\"")
}

/// Every leaf of `v` as (JSON pointer, value).
fn leaves(v: &Value, at: String, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, v)| leaves(v, format!("{at}/{k}"), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, v)| leaves(v, format!("{at}/{i}"), out)),
        other => out.push((at, other.clone())),
    }
}

/// `stepdoc record` on the walkthrough at `dir` against `mock`, playing
/// the person at the browser step: open the printed page, press its button.
fn record_against(dir: &Path, mock: &MockRun) {
    let port = super::common::recording::free_port().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_stepdoc"))
        .args([
            "record",
            "--har",
            "run.har",
            "--no-browser",
            "--timeout",
            "20",
            "--callback-port",
            &port,
        ])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("TINK_CLIENT_ID", "demo-client-id-0001")
        .env("TINK_CLIENT_SECRET", "demo-client-secret-0001")
        .env("STEPDOC_BASE_API", format!("{}/api", mock.url))
        .env("STEPDOC_BASE_LINK", format!("{}/link", mock.url))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Play the person: open the printed page, press its button.
    let stdout = child.stdout.take().unwrap();
    for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)).map_while(Result::ok) {
        if let Some(i) = line.find("open this URL") {
            let url = line[i..].split_whitespace().last().unwrap().to_owned();
            let page = Command::new("curl").args(["-sSL", &url]).output().unwrap();
            let page = String::from_utf8_lossy(&page.stdout).into_owned();
            assert!(page.contains("id=\"continue\""), "{url}: {page}");
            let to = button(&page);
            assert!(to.contains("state="), "{to}");
            let followed = Command::new("curl")
                .args(["-sS", "-o", "/dev/null", &to])
                .status()
                .unwrap();
            assert!(followed.success());
        }
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Each snapshot under `dir` is its sample as the mock served it: the same
/// fields and values, but for the ids and tokens the mock issued and the
/// personal data `record` pseudonymises.
fn assert_snapshots_are_what_was_served(dir: &Path) {
    let samples = dir.join("content/samples");
    let snapshots = dir.join("content/snapshots");
    let pairs = [
        ("auth/app-token.json", "auth/app-token.json"),
        ("opret-bruger/create-user.json", "bruger/create-user.json"),
        ("konti/list-accounts.json", "konti/accounts.json"),
        (
            "transaktioner/list-transactions.json",
            "transaktioner/transactions.json",
        ),
        (
            "webhooks/create-webhook.json",
            "webhooks/create-webhook.json",
        ),
    ];
    for (snapshot, sample) in pairs {
        let snap: Value =
            serde_json::from_str(&std::fs::read_to_string(snapshots.join(snapshot)).unwrap())
                .unwrap();
        let sample: Value =
            serde_json::from_str(&std::fs::read_to_string(samples.join(sample)).unwrap()).unwrap();
        let (mut got, mut want) = (Vec::new(), Vec::new());
        leaves(&snap["response"]["body"], String::new(), &mut got);
        leaves(&sample, String::new(), &mut want);
        assert_eq!(
            got.iter().map(|l| &l.0).collect::<Vec<_>>(),
            want.iter().map(|l| &l.0).collect::<Vec<_>>(),
            "{snapshot}: the same fields"
        );
        let changed: Vec<&String> = got
            .iter()
            .zip(&want)
            .filter(|(g, w)| g.1 != w.1)
            .map(|(g, _)| &g.0)
            .collect();
        for pointer in &changed {
            let key = pointer.rsplit('/').next().unwrap();
            // ids (`record` pseudonymises them too), tokens, codes, secrets
            let allowed = key == "id"
                || key.ends_with("Id")
                || key.ends_with("_id")
                || ["access_token", "code", "secret"].contains(&key)
                || key.ends_with("Name")
                || key == "name"
                || ["iban", "bban", "accountNumber", "masked"].contains(&key);
            assert!(
                allowed,
                "{snapshot}: {pointer} differs from what the mock served"
            );
        }
    }
    assert!(Path::new(&snapshots.join("webhooks/delete-webhook.json")).exists());
}

#[test]
fn record_against_the_mock_writes_what_it_served() {
    let dir = built_copy(&repo());
    let mock = MockRun::start(dir.path());
    record_against(dir.path(), &mock);
    assert_snapshots_are_what_was_served(dir.path());
    har_has_no_drift(dir.path(), &mock);
}

/// The run as HAR: every HTTP exchange, no secret, and no drift from the
/// walkthrough's OpenAPI description by `redocly drift`, which does find
/// an operation the description lacks.
fn har_has_no_drift(dir: &Path, mock: &MockRun) {
    let text = std::fs::read_to_string(dir.join("run.har")).unwrap();
    let har: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(har["log"]["version"], "1.2");
    assert_eq!(
        har["log"]["entries"].as_array().unwrap().len(),
        10,
        "the HTTP requests, not the browser step"
    );
    assert!(
        !text.contains("demo-client-secret-0001") && text.contains("%24TINK_CLIENT_SECRET"),
        "secrets as in the snapshots"
    );
    let drift = |har: &str| {
        Command::new(super::common::runner("redocly"))
            .args([
                "drift",
                har,
                "--api",
                "output/downloads/walkthrough.openapi.yaml",
                "--server",
            ])
            .arg(format!("{}/api", mock.url))
            .current_dir(dir)
            .output()
            .unwrap()
    };
    let out = drift("run.har");
    let said =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && said.contains("No findings"),
        "{said}"
    );
    std::fs::write(
        dir.join("other.har"),
        text.replace("/data/v2/accounts", "/data/v2/cards"),
    )
    .unwrap();
    let out = drift("other.har");
    let said =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("Undocumented endpoint: GET /api/data/v2/cards"),
        "{said}"
    );
}
