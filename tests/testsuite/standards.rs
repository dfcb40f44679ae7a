//! The Arazzo workflow and the OpenAPI descriptions stepdoc generates in
//! the downloads, read by the API world's own tools: Redocly CLI 2.x
//! (`redocly lint`, its recommended rules) and Spectral 6.x (`spectral:oas`,
//! `spectral:arazzo`) find no error in them, for the Tink walkthrough and
//! the GitHub example. (The GitHub example's `api` base points at GitHub's
//! own description, copied as it is: its lint findings are GitHub's.)
//! Respect running the workflow is in exports.rs and hostile_exports.rs;
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
