//! The second walkthrough in `examples/`, for a different kind of API (a
//! GitHub-style REST API: the OAuth device flow with a prompt, a bearer
//! token from a secret): it builds, and it records against a fake server.
#![cfg(unix)]

use crate::common;

use crate::common::fake_github;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{copy_dir, stepdoc, text};
use fake_github::{FakeGitHub, ACCESS_TOKEN, PAT, USER_CODE};

fn example() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/github-issues"),
        tmp.path(),
    );
    tmp
}

#[test]
fn the_example_checks_and_builds_without_warnings() {
    let dir = example();
    let out = stepdoc(dir.path(), &["build"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(stdout.starts_with("Built 6 pages"), "{stdout}");
    let page = std::fs::read_to_string(dir.path().join("output/sign-in/index.html")).unwrap();
    assert!(
        page.contains("PROMPT") && page.contains("$VERIFICATION_URI"),
        "the prompt card shows what is asked"
    );
}

/// `stepdoc record` of the example against `fake`, with its token.
fn record(root: &std::path::Path, fake: &FakeGitHub) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_stepdoc"));
    c.args(["record", "--base", &format!("api={}", fake.base)])
        .args(["--base", &format!("login={}", fake.base)])
        .current_dir(root)
        .env("NO_COLOR", "1")
        .env("GITHUB_TOKEN", PAT);
    c
}

#[test]
fn the_example_records_against_a_fake_github() {
    let fake = FakeGitHub::start();
    let dir = example();
    let mut child = record(dir.path(), &fake)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The person approves in the browser, then presses Enter.
    child.stdin.take().unwrap().write_all(b"\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!("enter {USER_CODE}, approve the app")),
        "the prompt shows the user code: {stdout}"
    );
    assert!(
        stdout.contains("Recorded 5 request(s): 4 snapshot(s) written"),
        "{stdout}"
    );
    let log = fake.log.lock().unwrap().clone();
    assert_eq!(
        log,
        [
            "POST /login/device/code",
            "POST /login/oauth/access_token",
            "GET /user",
            "GET /repos/octo-org/hello-world/issues?state=open&per_page=30",
        ]
    );
    let snapshots = dir.path().join("content/snapshots");
    let token = std::fs::read_to_string(snapshots.join("sign-in/token.json")).unwrap();
    assert!(
        token.contains("\"$USER_TOKEN\"") && !token.contains(ACCESS_TOKEN),
        "{token}"
    );
    let issues = std::fs::read_to_string(snapshots.join("issues/issues.json")).unwrap();
    assert!(
        issues.contains("$GITHUB_TOKEN") && !issues.contains(PAT),
        "{issues}"
    );
    assert!(
        !snapshots.join("sign-in/approve.json").exists(),
        "a prompt's answer is not a recording"
    );
}

#[test]
fn a_prompt_at_end_of_input_fails_and_writes_nothing() {
    let fake = FakeGitHub::start();
    let dir = example();
    let out = record(dir.path(), &fake)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stderr.contains("cannot read the answer"), "{stderr}");
    assert!(
        !dir.path().join("content/snapshots").exists(),
        "nothing is written"
    );
}
