//! A build killed with SIGKILL at any moment leaves the output exactly as
//! the old site or exactly as the new one, never a mix, and the next build
//! removes what the killed one left behind. Incremental rebuilds included.
#![cfg(unix)]

use crate::common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::tree;

const STEPS: usize = 300;

/// Writes a walkthrough of `STEPS` steps; `version` changes every other
/// step's text, so a rebuild between versions is incremental.
fn write_site(root: &Path, version: u32) {
    let steps = root.join("content/steps");
    std::fs::create_dir_all(&steps).unwrap();
    std::fs::write(root.join("content/site.yaml"), "title: Kill test\n").unwrap();
    for i in 1..=STEPS {
        let changed = if i % 2 == 0 { version } else { 0 };
        let text = format!(
            "---\ntitle: Step {i}\n---\n## Part {i}\n\nVersion {changed} of this step.\n\n```json\n{{\"step\": {i}, \"version\": {changed}}}\n```\n"
        );
        std::fs::write(steps.join(format!("{i:04}-step-{i}.md")), text).unwrap();
    }
}

fn build(root: &Path, output: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_stepdoc"))
        .args(["build", "--output"])
        .arg(output)
        .current_dir(root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// A build killed at fault point `fault` (see `pipeline::output`).
fn build_killed_at(root: &Path, output: &Path, fault: &str) -> std::process::ExitStatus {
    Command::new(env!("CARGO_BIN_EXE_stepdoc"))
        .args(["build", "--output"])
        .arg(output)
        .current_dir(root)
        .env("STEPDOC_FAULT", fault)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap()
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".stepdoc-"))
        .collect()
}

/// Every file of a site with its bytes, as `tree` gives them.
type Site = Vec<(std::path::PathBuf, Vec<u8>)>;

/// The two versions of the site, each from a clean build into `sites/vN`,
/// with how long each build took.
fn clean_builds(root: &Path, sites: &Path) -> Vec<(Site, Duration)> {
    std::fs::create_dir_all(sites).unwrap();
    [1, 2]
        .into_iter()
        .map(|version| {
            write_site(root, version);
            let out = sites.join(format!("v{version}"));
            let start = Instant::now();
            assert!(build(root, &out).wait().unwrap().success());
            (tree(&out), start.elapsed())
        })
        .collect()
}

/// Killed at the two moments that matter, the output is the old site
/// (the new one complete beside it) or the new one (the old one not yet
/// removed); the next build cleans up either way.
#[test]
fn a_build_killed_before_or_after_the_swap_leaves_a_whole_site() {
    use std::os::unix::process::ExitStatusExt;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("walk");
    let sites = tmp.path().join("sites");
    let expected: Vec<_> = clean_builds(&root, &sites)
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    let output = sites.join("output");
    for (fault, after) in [("staged", &expected[0]), ("swapped", &expected[1])] {
        write_site(&root, 1);
        assert!(build(&root, &output).wait().unwrap().success());
        assert_eq!(&tree(&output), &expected[0]);
        write_site(&root, 2);
        let status = build_killed_at(&root, &output, fault);
        assert_eq!(status.signal(), Some(9), "{fault}: the build was killed");
        assert!(
            &tree(&output) == after,
            "{fault}: the output is not the expected whole site"
        );
        assert!(
            !leftovers(&sites).is_empty(),
            "{fault}: the killed build left its staging behind"
        );
        assert!(build(&root, &output).wait().unwrap().success());
        assert!(
            tree(&output) == expected[1],
            "{fault}: the next build gives the new site"
        );
        assert_eq!(
            leftovers(&sites),
            Vec::<String>::new(),
            "{fault}: and cleans up"
        );
    }
}

#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("walk");
    let sites = tmp.path().join("sites");
    let expected = clean_builds(&root, &sites);
    let longest = expected.iter().map(|(_, t)| *t).max().unwrap();
    let output = sites.join("output");
    write_site(&root, 1);
    assert!(build(&root, &output).wait().unwrap().success());

    let mut rng = fastrand::Rng::with_seed(7);
    let (mut old_seen, mut new_seen) = (0, 0);
    for round in 0..24 {
        let version = if round % 2 == 0 { 2 } else { 1 };
        write_site(&root, version);
        let before = tree(&output);
        let mut child = build(&root, &output);
        let wait = longest.mul_f64(rng.f64() * 1.2);
        std::thread::sleep(wait);
        let _ = child.kill();
        let _ = child.wait();
        let after = tree(&output);
        let new = &expected[version as usize - 1].0;
        if after == before {
            old_seen += 1;
        } else {
            assert!(
                after == *new,
                "round {round}: killed after {wait:?}, the output is neither the old site nor the new one"
            );
            new_seen += 1;
        }
    }
    eprintln!("kills: {old_seen} left the old site, {new_seen} the new one");

    // The next build finishes the job and cleans up.
    write_site(&root, 2);
    assert!(build(&root, &output).wait().unwrap().success());
    assert!(
        tree(&output) == expected[1].0,
        "an incremental rebuild equals a clean build"
    );
    assert_eq!(leftovers(&sites), Vec::<String>::new());
    // A first build's kill leaves nothing behind either, once the next build ran.
    let fresh = sites.join("fresh");
    let mut child = build(&root, &fresh);
    std::thread::sleep(Duration::from_millis(30));
    let _ = child.kill();
    let _ = child.wait();
    assert!(build(&root, &fresh).wait().unwrap().success());
    assert_eq!(leftovers(&sites), Vec::<String>::new());
}
