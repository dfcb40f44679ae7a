//! The shipped Tink walkthrough: its six steps, their requests and secret
//! captures stay present, it checks and builds cleanly, every step cites its
//! sources, and the webhook receiver code reproduces Tink's test vector.

use crate::common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{stepdoc, text};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn six_steps_with_their_requests_and_secret_captures() {
    let site = stepdoc::content::load(root()).expect("the shipped walkthrough loads");
    assert_eq!(site.config.language(), "da");
    let got: Vec<(&str, Vec<&str>)> = site
        .steps
        .iter()
        .map(|s| {
            (
                s.slug.as_str(),
                s.requests.iter().map(|r| r.id.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("auth", vec!["app-token"]),
            ("opret-bruger", vec!["create-user"]),
            (
                "tilslut-bank",
                vec!["delegate-grant", "tink-link", "user-grant", "user-token"]
            ),
            ("konti", vec!["list-accounts"]),
            ("transaktioner", vec!["list-transactions"]),
            (
                "webhooks",
                vec!["create-webhook", "list-webhooks", "delete-webhook"]
            ),
        ]
    );
    let secret_captures: Vec<&str> = site
        .steps
        .iter()
        .flat_map(|s| &s.requests)
        .flat_map(|r| r.capture.iter())
        .filter(|(_, c)| c.is_secret())
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(
        secret_captures,
        [
            "app_token",
            "delegate_code",
            "user_code",
            "user_token",
            "webhook_secret"
        ]
    );
    let link = &site.steps[2].requests[1];
    assert!(
        link.interactive.is_some(),
        "Tink Link is the interactive step"
    );
    assert!(
        site.config.secrets.values().all(|v| v.starts_with("TINK_")),
        "credentials only as env var names"
    );
}

#[test]
fn every_step_cites_docs_tink_com() {
    let site = stepdoc::content::load(root()).unwrap();
    for step in &site.steps {
        let sources = step
            .body()
            .split("## Kilder")
            .nth(1)
            .unwrap_or_else(|| panic!("{} has no Kilder section", step.slug));
        assert!(
            sources.contains("https://docs.tink.com/"),
            "{} cites no docs.tink.com page",
            step.slug
        );
    }
    // Every translation keeps them too.
    for locale in &site.locales {
        for step in locale.steps.iter().flatten() {
            let sources = step.body().split("## Sources").nth(1).unwrap_or_else(|| {
                panic!("{} ({}) has no Sources section", step.slug, locale.lang)
            });
            assert!(
                sources.contains("https://docs.tink.com/"),
                "{} ({}) cites no docs.tink.com page",
                step.slug,
                locale.lang
            );
        }
    }
}

/// The webhook samples show the endpoint the request registers: the same
/// events, in the same order.
#[test]
fn webhook_samples_list_the_events_the_request_subscribes_to() {
    let site = stepdoc::content::load(root()).unwrap();
    let step = site.steps.iter().find(|s| s.slug == "webhooks").unwrap();
    let create = step
        .requests
        .iter()
        .find(|r| r.id == "create-webhook")
        .unwrap();
    let subscribed = &create.json.as_ref().unwrap()["enabledEvents"];
    assert!(
        subscribed.as_array().is_some_and(|a| a.len() >= 4),
        "{subscribed}"
    );
    let sample = |name: &str| -> serde_json::Value {
        let path = root().join("content/samples/webhooks").join(name);
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    assert_eq!(&sample("create-webhook.json")["enabledEvents"], subscribed);
    for endpoint in sample("list-webhooks.json")["webhookEndpoints"]
        .as_array()
        .unwrap()
    {
        assert_eq!(&endpoint["enabledEvents"], subscribed);
    }
}

#[test]
fn every_step_is_published_in_danish_and_english() {
    let site = stepdoc::content::load(root()).expect("the shipped walkthrough loads");
    assert_eq!(site.config.languages(), ["da", "en"]);
    let en = &site.locales[0];
    assert!(en.index.is_some(), "content/index.en.md is missing");
    for (step, t) in site.steps.iter().zip(&en.steps) {
        let t = t
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no English translation", step.slug));
        assert_ne!(t.title, step.title, "{}: title not translated", step.slug);
        assert_ne!(t.body(), step.body(), "{}: text not translated", step.slug);
        for (r, d) in t.requests.iter().zip(&step.requests) {
            assert_ne!(
                r.title, d.title,
                "{}: request {} not translated",
                step.slug, r.id
            );
        }
        for (p, d) in t.payloads.iter().zip(&step.payloads) {
            assert_ne!(
                p.def.title, d.def.title,
                "{}: payload not translated",
                step.slug
            );
        }
        // Same cards, in the same order, as the Danish text.
        let cards = |body: &str| -> Vec<String> {
            body.lines()
                .filter(|l| l.starts_with("{{#"))
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(cards(t.body()), cards(step.body()), "{}", step.slug);
    }
}

#[test]
fn shipped_walkthrough_checks_clean() {
    let out = stepdoc(root(), &["check"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.starts_with("Checked 17 pages"), "{stdout}");
    assert!(stderr.is_empty(), "warnings: {stderr}");
}

/// Why `text` is not a real recording, if it is not one: it must parse as a
/// snapshot, say when it was recorded, and hold no sample marker.
fn not_a_recording(text: &str) -> Option<String> {
    let snap: stepdoc::content::Snapshot = match serde_json::from_str(text) {
        Ok(s) => s,
        Err(e) => return Some(format!("not a snapshot: {e}")),
    };
    if humantime::parse_rfc3339(&snap.recorded_at).is_err() {
        return Some(format!(
            "`recorded_at` is not a time: {:?}",
            snap.recorded_at
        ));
    }
    text.contains("SAMPLE-")
        .then(|| "contains sample data (SAMPLE-)".to_owned())
}

#[test]
fn the_recording_check_tells_samples_from_recordings() {
    let real = r#"{"request": {"method": "GET", "url": "https://api.tink.com/x"}, "response": {"status": 200, "body": {"id": "abc"}}, "recorded_at": "2026-11-28T10:00:00Z"}"#;
    assert_eq!(not_a_recording(real), None);
    assert!(not_a_recording(&real.replace("abc", "SAMPLE-abc")).is_some());
    assert!(not_a_recording(&real.replace("2026-11-28T10:00:00Z", "")).is_some());
    assert!(not_a_recording("{}").is_some());
}

#[test]
fn no_snapshot_is_committed_without_a_real_recording() {
    // content/snapshots/ holds recordings from the real Tink sandbox only.
    let dir = root().join("content/snapshots");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if entry.file_type().is_file() && !hidden {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            if let Some(why) = not_a_recording(&text) {
                panic!("{}: {why}", entry.path().display());
            }
            checked += 1;
        }
    }
    eprintln!("{checked} recorded snapshot(s) checked");
}

/// Runs the shipped Python receiver (with a stand-in for Flask, which is not
/// needed for the signature code) against Tink's documented test vector,
/// then posts a signed event without a Content-Type header and checks that
/// it is queued, processed and stored.
#[cfg(unix)]
#[test]
fn python_receivers_reproduce_tinks_signature_test_vector() {
    // The Danish receiver, and the English one with the same code under
    // English names: the same script, its names translated.
    let english: &[(&str, &str)] = &[
        ("beregn_signatur", "compute_signature"),
        ("signatur_er_gyldig", "signature_is_valid"),
        ("behandl_sikkert", "handle_safely"),
        ("behandl", "handle"),
        ("hent_transaktioner", "fetch_transactions"),
        ("opret_tabeller", "create_tables"),
        ("opgaver", "tasks"),
        ("GENFORSOEG_EFTER", "RETRY_AFTER"),
        ("FROM transaktioner", "FROM transactions"),
        (
            "FROM beskeder WHERE bruger",
            "FROM notifications WHERE user",
        ),
        ("nu=", "now="),
    ];
    run_python_receiver("receiver.py", &[]);
    run_python_receiver("receiver.en.py", english);
}

/// Runs the test script on `file`, with its names replaced as `names` says.
#[cfg(unix)]
fn run_python_receiver(file: &str, names: &[(&str, &str)]) {
    let receiver = root().join("content/samples/webhooks").join(file);
    let mut script =
        std::fs::read_to_string(root().join("tests/fixtures/webhook_receiver_check.py")).unwrap();
    for (from, to) in names {
        script = script.replace(from, to);
    }
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .env("RECEIVER", &receiver)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("python3");
    let (stdout, stderr) = text(&out);
    assert!(
        out.status.success() && stdout.contains("vector ok"),
        "{file}: {stdout}{stderr}"
    );
}

#[test]
fn every_placeholder_says_where_it_comes_from() {
    let out = tempfile::tempdir().unwrap();
    let built = Command::new(env!("CARGO_BIN_EXE_stepdoc"))
        .args(["build", "--output"])
        .arg(out.path().join("site"))
        .current_dir(root())
        .output()
        .unwrap();
    assert!(built.status.success());
    let page = std::fs::read_to_string(out.path().join("site/en/tilslut-bank/index.html")).unwrap();
    let legend = |placeholder: &str| -> String {
        let at = page
            .find(&format!("<dt><code>${placeholder}</code></dt>"))
            .unwrap_or_else(|| panic!("no legend for ${placeholder}"));
        let end = page[at..].find("</dd>").unwrap();
        page[at..at + end].to_owned()
    };
    // Captured on an earlier page, with a link to its card.
    let user = legend("USER_ID");
    assert!(user.contains("<code>$.user_id</code>"), "{user}");
    assert!(
        user.contains("href=\"../opret-bruger/index.html#request-create-user\""),
        "{user}"
    );
    // A secret comes from the environment.
    assert!(legend("TINK_CLIENT_ID").contains("your environment"));
    // Captured on this page: the link stays on it.
    let code = legend("DELEGATE_CODE");
    assert!(code.contains("href=\"#request-delegate-grant\""), "{code}");
    // The setup block sets what earlier pages give, in each snippet language.
    let setup = &page[page.find("class=\"setup\"").unwrap()..];
    let setup = &setup[..setup.find("</details>").unwrap()];
    assert!(
        setup.contains("USER_ID") && setup.contains("env:USER_ID"),
        "{setup}"
    );
    assert!(
        !setup.contains("DELEGATE_CODE"),
        "captured on this page: not set before"
    );
}
