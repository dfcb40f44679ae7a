//! The Arazzo workflow and the OpenAPI description in the downloads, read
//! by the API world's own tools: Redocly CLI 2.x (`redocly lint`, its
//! recommended rules) and Spectral 6.x (`spectral:oas`, `spectral:arazzo`)
//! find no error in either file, for the Tink walkthrough and the GitHub
//! example. (Respect running the workflow is in exports.rs and
//! hostile_exports.rs; against the mock in mock.rs.)
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

fn lint_both(from: &Path) {
    let tmp = tempfile::tempdir().unwrap();
    let files = downloads(from, &tmp.path().join("site"));
    let both = ["walkthrough.openapi.yaml", "walkthrough.arazzo.yaml"];
    let redocly = Command::new(common::runner("redocly"))
        .arg("lint")
        .args(both)
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
        .args(both)
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
    lint_both(Path::new(env!("CARGO_MANIFEST_DIR")));
}

#[test]
fn redocly_and_spectral_find_no_error_in_the_github_downloads() {
    lint_both(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/github-issues"));
}
