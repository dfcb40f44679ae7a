//! `stepdoc mock`, the real binary on loopback: the commands it prints run
//! the whole chain in Hurl, newman and httpYac (the Tink walkthrough and
//! the GitHub example); the snippets of every language that runs here go
//! through the chain against it; a wrong token gets 401, an id it did not
//! issue 404; `stepdoc record` against it writes what it served; a
//! walkthrough with errors does not start; a port in use is exit 2.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::common;

/// A running `stepdoc mock`, stopped when dropped.
pub(super) struct MockRun {
    child: Child,
    pub(super) url: String,
    lines: Vec<String>,
}

impl MockRun {
    pub(super) fn start(root: &Path) -> MockRun {
        let mut child = Command::new(env!("CARGO_BIN_EXE_stepdoc"))
            .args(["mock", "--port", "0", "--root"])
            .arg(root)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            assert!(
                out.read_line(&mut line).unwrap() > 0,
                "the mock ended early: {lines:?}"
            );
            let done = line.starts_with("Snippets");
            lines.push(line.trim_end().to_owned());
            if done {
                break;
            }
        }
        let url = lines[0].split_whitespace().nth(3).unwrap().to_owned();
        MockRun { child, url, lines }
    }

    /// The printed command that starts with `tool`.
    pub(super) fn command(&self, tool: &str) -> String {
        let line = self.lines.iter().find(|l| {
            l.trim_start().trim_start_matches('(').starts_with(tool)
                || l.contains(&format!("&& {tool} "))
        });
        line.unwrap_or_else(|| panic!("no {tool} line in {:#?}", self.lines))
            .trim()
            .to_owned()
    }
}

impl Drop for MockRun {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// PATH with the runners scripts/test installs first.
pub(super) fn path_with_runners() -> String {
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/runners");
    let mut dirs: Vec<PathBuf> = ["venv/bin", "hurl/bin", "node_modules/.bin"]
        .iter()
        .map(|d| here.join(d))
        .collect();
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap().into_string().unwrap()
}

/// A copy of the walkthrough at `from` (the repository's folder that holds
/// `content/`), without snapshots, built into its default `output/`.
pub(super) fn built_copy(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&from.join("content"), &dir.path().join("content"));
    let _ = std::fs::remove_dir_all(dir.path().join("content/snapshots"));
    let out = common::stepdoc(dir.path(), &["build"]);
    assert!(out.status.success(), "{out:?}");
    dir
}

pub(super) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run_printed(mock: &MockRun, root: &Path, tool: &str) -> String {
    let line = mock.command(tool);
    let out = Command::new("sh")
        .arg("-c")
        .arg(&line)
        .current_dir(root)
        .env("PATH", path_with_runners())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "`{line}` failed:\n{text}");
    text
}

/// Runs the commands the mock prints; `respect_known`: the one check
/// Respect is known to fail (a limit of Respect's, pinned), if any.
fn every_runner_passes_the_whole_chain(from: &Path, requests: usize, respect_known: Option<&str>) {
    let dir = built_copy(from);
    let mock = MockRun::start(dir.path());
    let hurl = run_printed(&mock, dir.path(), "hurl");
    assert!(
        hurl.contains(&format!("Executed requests: {requests} ")),
        "{hurl}"
    );
    let newman = run_printed(&mock, dir.path(), "newman");
    assert!(
        newman.contains("failed") || newman.contains("executed"),
        "{newman}"
    );
    assert!(!newman.contains("AssertionError"), "{newman}");
    let httpyac = run_printed(&mock, dir.path(), "httpyac");
    assert!(
        !httpyac.contains("failed") && !httpyac.contains("errored"),
        "{httpyac}"
    );
    match respect_known {
        None => {
            let respect = run_printed(&mock, dir.path(), "redocly");
            assert!(respect.contains("Workflows: 1 passed"), "{respect}");
        }
        Some(known) => {
            let line = mock.command("redocly");
            let out = Command::new("sh")
                .args(["-c", &line])
                .current_dir(dir.path())
                .env("PATH", path_with_runners())
                .output()
                .unwrap();
            let said = String::from_utf8_lossy(&out.stdout);
            let checks = said.lines().find(|l| l.trim_start().starts_with("Checks:"));
            assert!(
                checks.is_some_and(|l| l.contains(" passed, 1 failed,")),
                "only the known check fails:\n{said}"
            );
            assert!(said.contains(known), "{said}");
        }
    }
}

#[test]
fn the_printed_commands_run_the_tink_chain_in_every_runner() {
    every_runner_passes_the_whole_chain(&repo(), 10, None);
}

#[test]
fn the_printed_commands_run_the_github_chain_in_every_runner() {
    // Respect's schema check (Ajv) cannot compile GitHub's own schema of
    // GET /user: its `discriminator` property has no `enum`. Every other
    // check passes; stepdoc's check validates that sample (JSON Schema
    // ignores `discriminator`).
    let known = "discriminator: \"properties/user_view_type\" must have \"const\" or \"enum\"";
    every_runner_passes_the_whole_chain(&repo().join("examples/github-issues"), 4, Some(known));
}

/// `curl` against the mock: (status, body).
fn curl(args: &[&str]) -> (u16, String) {
    let out = Command::new("curl")
        .args(["-s", "-w", "\n%{http_code}"])
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let (body, code) = text.rsplit_once('\n').unwrap();
    (code.parse().unwrap(), body.to_owned())
}

#[test]
fn a_wrong_token_gets_401_and_an_id_not_issued_404() {
    let dir = built_copy(&repo());
    let mock = MockRun::start(dir.path());
    let hooks = format!("{}/api/events/v2/webhook-endpoints", mock.url);
    let (status, body) = curl(&["-H", "Authorization: Bearer not-issued", &hooks]);
    assert_eq!(status, 401, "{body}");
    assert!(
        body.contains("run `app-token` against this mock first"),
        "{body}"
    );
    let token_url = format!("{}/api/api/v1/oauth/token", mock.url);
    let (status, body) = curl(&[
        "-d",
        "client_id=me&client_secret=x&grant_type=client_credentials&scope=s",
        &token_url,
    ]);
    assert_eq!(status, 200, "{body}");
    let token = serde_json::from_str::<Value>(&body).unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let auth = format!("Authorization: Bearer {token}");
    assert_eq!(curl(&["-H", &auth, &hooks]).0, 200);
    let (status, body) = curl(&[
        "-X",
        "DELETE",
        "-H",
        &auth,
        &format!("{hooks}/b7c8d9e0f1a24b3c9d8e7f6a5b4c3d2e"),
    ]);
    assert_eq!(status, 404, "{body}");
    let (status, body) = curl(&[&format!("{}/api/data/v2/acounts", mock.url)]);
    assert_eq!(status, 404);
    assert!(
        body.contains("the closest is GET /api/data/v2/accounts"),
        "{body}"
    );
    let (status, _) = curl(&["-H", "Host: rebind.example", &hooks]);
    assert_eq!(status, 403, "a DNS name that could be rebound is refused");
}

#[test]
fn a_walkthrough_with_errors_does_not_start() {
    let dir = built_copy(&repo());
    let step = dir.path().join("content/steps/04-konti.md");
    let text = std::fs::read_to_string(&step).unwrap();
    std::fs::write(
        &step,
        text.replace("path: /data/v2/accounts", "path: /data/v2/{{ acount_id }}"),
    )
    .unwrap();
    let check = common::stepdoc(dir.path(), &["check"]);
    let mock = common::stepdoc(dir.path(), &["mock", "--port", "0"]);
    assert_eq!(
        (check.status.code(), mock.status.code()),
        (Some(1), Some(1))
    );
    let first = |o: &std::process::Output| {
        String::from_utf8_lossy(&o.stderr)
            .lines()
            .next()
            .unwrap_or("")
            .to_owned()
    };
    assert!(first(&check).contains("04-konti.md:"), "{}", first(&check));
    assert_eq!(first(&mock), first(&check), "the same diagnostics as check");
}

#[test]
fn a_port_in_use_is_a_usage_error() {
    let dir = built_copy(&repo());
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = common::stepdoc(dir.path(), &["mock", "--port", &port]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("another program uses this port; pass --port"),
        "{err}"
    );
}

#[test]
fn serve_with_the_mock_points_every_example_at_it() {
    let dir = built_copy(&repo());
    let mut child = Command::new(env!("CARGO_BIN_EXE_stepdoc"))
        .args([
            "serve",
            "--port",
            "0",
            "--mock",
            "--mock-port",
            "0",
            "--root",
        ])
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let site = first.split_whitespace().nth(2).unwrap().to_owned();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mock = loop {
        let mut line = String::new();
        assert!(err.read_line(&mut line).unwrap() > 0, "no mock line");
        if let Some(rest) = line.strip_prefix("Mock API on ") {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    let page = Command::new("curl")
        .args(["-s", &format!("{site}en/auth/")])
        .output()
        .unwrap();
    let page = String::from_utf8_lossy(&page.stdout).into_owned();
    let token_url = format!("{mock}/api/api/v1/oauth/token");
    let (status, body) = curl(&[
        "-d",
        "client_id=a&client_secret=b&grant_type=client_credentials&scope=s",
        &token_url,
    ]);
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        page.contains("mock-notice") && page.contains(&format!("<code>{mock}</code>")),
        "{page}"
    );
    assert!(
        page.contains(&format!("{mock}/api/api/v1/oauth/token")),
        "the snippets point at the mock"
    );
    assert!(!page.contains("https://api.tink.com/api/v1/oauth/token"));
    assert_eq!(status, 200, "the mock answers beside the preview: {body}");
}
