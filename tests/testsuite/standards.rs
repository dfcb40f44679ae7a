//! The Arazzo workflow and the OpenAPI descriptions stepdoc generates in
//! the downloads, read by the API world's own tools: Redocly CLI 2.x
//! (`redocly lint`, its recommended rules) and Spectral 6.x (`spectral:oas`,
//! `spectral:arazzo`) find no error in them, for the Tink walkthrough and
//! the GitHub example. (The GitHub example's `api` base points at GitHub's
//! own description, copied as it is: its lint findings are GitHub's.)
//! What the workflow asks of a runner (inputs, outputs, criteria) is
//! checked field by field. Respect running the workflow is in exports.rs
//! and hostile_exports.rs;
//! against the mock in mock.rs.
#![cfg(unix)]

use std::path::Path;
use std::process::Command;

use crate::common;

fn downloads(from: &Path, site: &Path) -> std::path::PathBuf {
    let out = Command::new(env!("CARGO_BIN_EXE_stepdoc"))
        .args(["build", "--output"])
        .arg(site)
        .current_dir(from)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    site.join("downloads")
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Lints the Arazzo file and the OpenAPI descriptions stepdoc wrote
/// (`expected` of them) in the downloads of the walkthrough at `from`.
fn lint_generated(from: &Path, expected: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let files = downloads(from, &tmp.path().join("site"));
    let mut both: Vec<String> = std::fs::read_dir(&files)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".openapi.yaml"))
        .collect();
    assert_eq!(both.len(), expected, "{both:?}");
    both.push("walkthrough.arazzo.yaml".to_owned());
    let redocly = Command::new(common::runner("redocly"))
        .arg("lint")
        .args(&both)
        .current_dir(&files)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let said = text(&redocly);
    assert!(redocly.status.success(), "redocly lint:\n{said}");
    assert!(
        said.contains("validating walkthrough.arazzo.yaml"),
        "{said}"
    );
    let ruleset = tmp.path().join(".spectral.yaml");
    std::fs::write(
        &ruleset,
        "extends: [\"spectral:oas\", \"spectral:arazzo\"]\n",
    )
    .unwrap();
    let spectral = Command::new(common::runner("spectral"))
        .args(["lint", "--fail-severity", "error", "--ruleset"])
        .arg(&ruleset)
        .args(&both)
        .current_dir(&files)
        .output()
        .unwrap();
    let said = text(&spectral);
    assert!(spectral.status.success(), "spectral lint:\n{said}");
    assert!(
        said.contains("0 errors") || said.contains("No results"),
        "{said}"
    );
}

#[test]
fn redocly_and_spectral_find_no_error_in_the_tink_downloads() {
    lint_generated(Path::new(env!("CARGO_MANIFEST_DIR")), 1);
}

#[test]
fn redocly_and_spectral_find_no_error_in_the_github_downloads() {
    // `walkthrough.login.openapi.yaml`; `api` uses GitHub's description.
    lint_generated(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/github-issues"),
        1,
    );
}

#[test]
fn the_workflow_says_what_a_runner_must_be_given() {
    // A secret, a site variable, a capture with a JSON Pointer form and one
    // without (a filter): what `export --format arazzo` makes of each.
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("steps")).unwrap();
    std::fs::write(
        content.join("site.yaml"),
        "title: Accounts\napi:\n  base_url: https://api.example.test\nvariables:\n  page_size: 50\nsecrets:\n  token: API_TOKEN\nauth:\n  user: { label: token, bearer: token }\n",
    )
    .unwrap();
    std::fs::write(
        content.join("steps/01-accounts.md"),
        "---\ntitle: Accounts\nrequests:\n  - id: list\n    title: List\n    path: /accounts\n    auth: user\n    query: { pageSize: \"{{ page_size }}\" }\n    capture:\n      first_id: $.accounts[0].id\n      checking_id: \"$.accounts[?(@.type == 'CHECKING')].id\"\n    sample: { accounts: [{ id: a1, type: CHECKING }] }\n  - id: one\n    title: One\n    path: /accounts/{{ checking_id }}/{{ first_id }}\n    auth: user\n    sample: { id: a1 }\n---\nThe accounts.\n",
    )
    .unwrap();
    let out = common::stepdoc(dir.path(), &["export", "--format", "arazzo"]);
    assert!(out.status.success(), "{out:?}");
    let doc: serde_json::Value =
        serde_saphyr::from_str(&String::from_utf8_lossy(&out.stdout)).unwrap();
    let workflow = &doc["workflows"][0];
    let inputs = &workflow["inputs"]["properties"];
    assert_eq!(inputs["token"]["format"], "password", "{inputs}");
    assert_eq!(inputs["page_size"]["default"], 50, "{inputs}");
    let note = inputs["checking_id"]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(note.contains("no JSON Pointer form"), "{inputs}");
    let steps = &workflow["steps"];
    assert_eq!(
        steps[0]["outputs"]["first_id"],
        "$response.body#/accounts/0/id"
    );
    assert!(steps[0]["outputs"].get("checking_id").is_none(), "{steps}");
    assert_eq!(
        steps[0]["successCriteria"][0]["condition"],
        "$statusCode == 200"
    );
    let values: Vec<&str> = steps[1]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["value"].as_str())
        .collect();
    assert!(values.contains(&"$inputs.checking_id"), "{values:?}");
    assert!(
        values.contains(&"$steps.list.outputs.first_id"),
        "{values:?}"
    );
    assert!(values.contains(&"Bearer {$inputs.token}"), "{values:?}");
}
