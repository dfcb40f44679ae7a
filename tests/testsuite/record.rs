//! `stepdoc record` driving the shipped six-step Tink walkthrough against a
//! fake Tink server on loopback: real HTTP, the Tink Link redirect followed
//! by real curl, redacted snapshots, nothing lost on failure, retries, state
//! checks and the drift check.
// These tests drive POSIX tools (sh, curl, kill, /proc).
#![cfg(unix)]

use crate::common;

use crate::common::fake_tink;
use crate::common::recording;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};

use base64::Engine;
use common::tree;
use fake_tink::{FakeTink, Faults, CLIENT_SECRET};
use recording::{calls, record, record_command, record_within, walkthrough};

fn snapshot(root: &Path, step: &str, id: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root.join(format!("content/snapshots/{step}/{id}.json")))
        .unwrap_or_else(|_| panic!("no snapshot {step}/{id}"));
    serde_json::from_str(&text).unwrap()
}

/// Every form a secret may take on its way out.
fn encodings(s: &str) -> Vec<String> {
    let b64 = base64::engine::general_purpose::STANDARD;
    vec![
        s.to_owned(),
        stepdoc::call::percent_encode(s),
        stepdoc::call::form_encode(s),
        serde_json::to_string(s)
            .unwrap()
            .trim_matches('"')
            .to_owned(),
        b64.encode(s).trim_end_matches('=').to_owned(),
    ]
}

#[test]
fn whole_chain_writes_redacted_consistent_snapshots() {
    let fake = FakeTink::start(Faults::default());
    let dir = walkthrough();
    let run = record(dir.path(), &fake, &[]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("Recorded 11 request(s): 11 snapshot(s) written, 0 unchanged"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("[konti] list-accounts GET /data/v2/accounts -> 200"),
        "{}",
        run.stdout
    );

    let token = snapshot(dir.path(), "auth", "app-token");
    assert_eq!(
        token["request"]["body"]["client_secret"],
        "$TINK_CLIENT_SECRET"
    );
    assert_eq!(token["response"]["body"]["access_token"], "$APP_TOKEN");
    let create = snapshot(dir.path(), "opret-bruger", "create-user");
    assert_eq!(
        create["request"]["headers"]["Authorization"],
        "Bearer $APP_TOKEN"
    );
    let link = snapshot(dir.path(), "tilslut-bank", "tink-link");
    assert!(
        link["request"]["url"]
            .as_str()
            .unwrap()
            .contains("authorization_code=$DELEGATE_CODE"),
        "{link}"
    );
    let webhook = snapshot(dir.path(), "webhooks", "create-webhook");
    assert_eq!(webhook["response"]["body"]["secret"], "$WEBHOOK_SECRET");

    // Identifiers are pseudonyms, consistent across snapshots.
    let accounts = snapshot(dir.path(), "konti", "list-accounts");
    let account = accounts["response"]["body"]["accounts"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let tx = snapshot(dir.path(), "transaktioner", "list-transactions");
    assert_eq!(
        tx["response"]["body"]["transactions"][0]["accountId"],
        account.as_str()
    );
    assert!(tx["request"]["url"]
        .as_str()
        .unwrap()
        .contains(&format!("accountIdIn={account}")));
    assert_eq!(account.len(), 32);

    // Nothing the server issued, nor the client secret, appears anywhere.
    let state = fake.state.lock().unwrap();
    let mut needles: Vec<String> = state
        .issued
        .iter()
        .chain(&state.ids)
        .flat_map(|s| encodings(s))
        .collect();
    needles.extend(encodings(CLIENT_SECRET));
    let mut haystacks: Vec<(String, String)> = tree(dir.path())
        .into_iter()
        .map(|(p, b)| {
            (
                p.display().to_string(),
                String::from_utf8_lossy(&b).into_owned(),
            )
        })
        .collect();
    haystacks.push(("stdout".into(), run.stdout.clone()));
    haystacks.push(("stderr".into(), run.stderr.clone()));
    for (name, text) in &haystacks {
        for n in &needles {
            assert!(!text.contains(n.as_str()), "{n} leaked into {name}");
        }
    }
}

#[test]
fn a_run_failing_at_step_4_leaves_every_snapshot_byte_identical() {
    let fake = FakeTink::start(Faults::default());
    let dir = walkthrough();
    assert_eq!(record(dir.path(), &fake, &[]).code, Some(0));
    let before = tree(&dir.path().join("content/snapshots"));
    fake.state.lock().unwrap().faults.fail = Some((
        "/data/v2/accounts".into(),
        403,
        "The token lacks a scope".into(),
        "auth.forbidden".into(),
    ));
    let run = record(dir.path(), &fake, &[]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains(
            "[konti] list-accounts failed with HTTP 403: The token lacks a scope (auth.forbidden)"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("403 means the bruger-token lacks a scope or permission this call needs"),
        "403 is explained: {}",
        run.stderr
    );
    assert_eq!(
        before,
        tree(&dir.path().join("content/snapshots")),
        "snapshots changed after a failed run"
    );
}

#[test]
fn rerun_after_user_creation_does_not_hit_409_and_only_selected_step_is_written() {
    let fake = FakeTink::start(Faults::default());
    let dir = walkthrough();
    let run = record(dir.path(), &fake, &["--step", "konti"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let written: Vec<_> = tree(&dir.path().join("content/snapshots"))
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    assert_eq!(
        written,
        vec![Path::new("konti/list-accounts.json").to_path_buf()]
    );
    let again = record(dir.path(), &fake, &["--step", "konti"]);
    assert_eq!(again.code, Some(0), "second run: {}", again.stderr);
    assert_eq!(calls(&fake, "/api/v1/user/create"), 2);
    assert_eq!(
        calls(&fake, "/1.0/transactions/connect-accounts"),
        2,
        "accounts need the bank connected first (requires: [tink-link])"
    );
}

#[test]
fn a_selected_step_runs_only_the_requests_it_needs() {
    let fake = FakeTink::start(Faults::default());
    let dir = walkthrough();
    let run = record(dir.path(), &fake, &["--step", "webhooks"]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(
        !run.stdout.contains("tink-link"),
        "no person is needed for webhooks: {}",
        run.stdout
    );
    let paths: Vec<String> = fake
        .state
        .lock()
        .unwrap()
        .log
        .iter()
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert_eq!(paths[0], "POST /api/v1/oauth/token");
    assert!(
        paths[1..]
            .iter()
            .all(|p| p.contains("/events/v2/webhook-endpoints")),
        "{paths:?}"
    );
    let written: Vec<_> = tree(&dir.path().join("content/snapshots"))
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    assert_eq!(written.len(), 3);
    assert!(written.iter().all(|p| p.starts_with("webhooks")));
}

#[test]
fn too_many_requests_is_retried_after_retry_after() {
    let mut faults = Faults::default();
    faults.rate_limit_once.insert("/api/v1/user/create".into());
    let fake = FakeTink::start(faults);
    let dir = walkthrough();
    let run = record(dir.path(), &fake, &["--step", "opret-bruger"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("[opret-bruger] create-user: HTTP 429, retrying in 1.0 s"),
        "{}",
        run.stdout
    );
    assert_eq!(calls(&fake, "/api/v1/user/create"), 2);
}

#[test]
fn a_callback_with_the_wrong_state_is_rejected() {
    let fake = FakeTink::start(Faults {
        wrong_state: true,
        ..Default::default()
    });
    let dir = walkthrough();
    // The listener answers it 400 and waits on for the real callback.
    let run = record_within(dir.path(), &fake, 3, &[]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout
            .contains("ignored a callback without this run's `state`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("no callback within 3 s"),
        "{}",
        run.stderr
    );
    assert!(tree(&dir.path().join("content/snapshots")).is_empty());
}

#[test]
fn check_exits_0_on_same_shape_and_1_on_drift_and_writes_nothing() {
    let fake = FakeTink::start(Faults::default());
    let dir = walkthrough();
    assert_eq!(record(dir.path(), &fake, &[]).code, Some(0));
    let before = tree(&dir.path().join("content/snapshots"));
    let same = record(dir.path(), &fake, &["--check"]);
    assert_eq!(same.code, Some(0), "{}{}", same.stdout, same.stderr);
    assert_eq!(
        same.stdout.matches("no drift").count(),
        1,
        "said once: {}",
        same.stdout
    );
    fake.state.lock().unwrap().faults.extra_account_field = true;
    let drift = record(dir.path(), &fake, &["--check"]);
    assert_eq!(drift.code, Some(1));
    assert!(
        drift.stderr.contains("konti/list-accounts:")
            && drift
                .stderr
                .contains("+ $.accounts[].holderName (string) added"),
        "{}",
        drift.stderr
    );
    assert_eq!(before, tree(&dir.path().join("content/snapshots")));
}

#[test]
fn a_callback_pasted_by_hand_continues_the_chain() {
    let fake = FakeTink::start(Faults::default());
    let dir = walkthrough();
    let mut child = record_command(dir.path(), &fake)
        .args(["--callback-url", "-", "--step", "konti"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !line.contains("open this URL in a browser") {
        line.clear();
        assert!(out.read_line(&mut line).unwrap() > 0, "no Link URL printed");
    }
    let url = line.split_whitespace().last().unwrap().to_owned();
    // The browser ends on the redirect URI, which nothing serves here.
    let ended_on = Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{redirect_url}", &url])
        .output()
        .unwrap();
    let ended_on = String::from_utf8(ended_on.stdout).unwrap();
    assert!(ended_on.contains("credentials_id="), "{ended_on}");
    std::io::Write::write_all(&mut stdin, format!("{ended_on}\n").as_bytes()).unwrap();
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{rest}");
    assert!(
        rest.contains("callback received") && rest.contains("Recorded"),
        "{rest}"
    );
    assert!(dir
        .path()
        .join("content/snapshots/konti/list-accounts.json")
        .is_file());
}

#[test]
fn missing_credentials_name_the_variable() {
    let dir = walkthrough();
    let out = Command::new(env!("CARGO_BIN_EXE_stepdoc"))
        .args(["record", "--no-browser"])
        .current_dir(dir.path())
        .env_remove("TINK_CLIENT_SECRET")
        .env("TINK_CLIENT_ID", "client-id-0001")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("missing environment variable: TINK_CLIENT_SECRET"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_step_gets_a_suggestion_and_nothing_runs() {
    let dir = walkthrough();
    let out = Command::new(env!("CARGO_BIN_EXE_stepdoc"))
        .args(["record", "--no-browser", "--step", "kontti"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown --step is a usage error"
    );
    assert!(
        stderr.contains("--step kontti: no such step") && stderr.contains("did you mean `konti`?"),
        "{stderr}"
    );
}

#[test]
fn personal_data_listed_in_site_yaml_is_pseudonymised() {
    let fake = FakeTink::start(Faults {
        extra_account_field: true,
        ..Faults::default()
    });
    let dir = walkthrough();
    let run = record(dir.path(), &fake, &["--step", "konti"]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    let accounts = snapshot(dir.path(), "konti", "list-accounts");
    let first = &accounts["response"]["body"]["accounts"][0];
    let iban = first["identifiers"]["iban"]["iban"].as_str().unwrap();
    assert_ne!(iban, "DK5453010001234567");
    assert!(
        iban.len() == 18
            && iban[..2].chars().all(|c| c.is_ascii_uppercase())
            && iban[2..].chars().all(|c| c.is_ascii_digit()),
        "same shape: {iban}"
    );
    assert_ne!(first["identifiers"]["iban"]["bban"], "53010001234567");
    assert_ne!(first["holderName"], "Demo");
    assert_eq!(
        first["name"], "Lønkonto",
        "only what site.yaml lists is replaced"
    );
    let text = std::fs::read_to_string(
        dir.path()
            .join("content/snapshots/konti/list-accounts.json"),
    )
    .unwrap();
    assert!(!text.contains("DK5453010001234567") && !text.contains("53010001234567"));
}

#[test]
fn a_secret_too_short_to_hide_is_refused_without_printing_it() {
    let fake = FakeTink::start(Faults::default());
    let dir = walkthrough();
    let spaces = record_command(dir.path(), &fake)
        .env("TINK_CLIENT_SECRET", "        ")
        .args(["--step", "auth"])
        .output()
        .unwrap();
    assert_eq!(
        spaces.status.code(),
        Some(1),
        "eight spaces are not a secret"
    );
    let out = record_command(dir.path(), &fake)
        .env("TINK_CLIENT_SECRET", "s3cr7")
        .args(["--step", "auth"])
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(
        all.contains("TINK_CLIENT_SECRET is only 5 characters long"),
        "{all}"
    );
    assert!(
        String::from_utf8_lossy(&spaces.stderr).contains("is only 0 characters long"),
        "{all}"
    );
    assert!(!all.contains("s3cr7"), "{all}");
    assert_eq!(calls(&fake, "/api/v1/oauth/token"), 0, "nothing was sent");
}
