//! Stale translations: a translation records the hash of the original's
//! words it translates (`translates:`); when the original's words change,
//! `check` warns (an error with `--strict`), the translated page says so,
//! and `stepdoc translations` shows what changed (from git history), until
//! `--mark-current` records the new version. Whitespace does not count.

use crate::common::{stepdoc, text};

use std::path::Path;
use std::process::Command;

const DANISH: &str = "---\ntitle: Hej\n---\nDen gamle sætning står her.\n\nEt afsnit mere.\n";
const ENGLISH: &str = "---\ntitle: Hello\n---\nThe old sentence is here.\n\nOne more paragraph.\n";

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@example.test",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}: {}", text(&out).1);
}

fn walkthrough() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("content/steps")).unwrap();
    std::fs::write(
        dir.join("content/site.yaml"),
        "title: T\nlanguages: [da, en]\n",
    )
    .unwrap();
    std::fs::write(dir.join("content/steps/01-hej.md"), DANISH).unwrap();
    std::fs::write(dir.join("content/steps/01-hej.en.md"), ENGLISH).unwrap();
    git(dir, &["init", "-q"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "first"]);
    tmp
}

fn check(dir: &Path, strict: bool) -> (bool, String) {
    let args: &[&str] = if strict {
        &["check", "--strict"]
    } else {
        &["check"]
    };
    let out = stepdoc(dir, args);
    (out.status.success(), text(&out).1)
}

fn english_page(dir: &Path) -> String {
    let out = stepdoc(dir, &["build", "--output", "site"]);
    assert!(out.status.success(), "{}", text(&out).1);
    std::fs::read_to_string(dir.join("site/en/hej/index.html")).unwrap()
}

fn edit_original(dir: &Path, from: &str, to: &str) {
    let path = dir.join("content/steps/01-hej.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

#[test]
fn a_changed_original_marks_its_translation_stale_until_marked_current() {
    let tmp = walkthrough();
    let dir = tmp.path();
    let (ok, err) = check(dir, false);
    assert!(
        ok && err.contains("does not say which version of step `hej`"),
        "{err}"
    );
    assert!(
        !check(dir, true).0,
        "--strict refuses an unmarked translation"
    );

    let out = stepdoc(dir, &["translations", "--mark-current", "01-hej.md"]);
    assert!(out.status.success(), "{}", text(&out).1);
    assert!(
        std::fs::read_to_string(dir.join("content/steps/01-hej.en.md"))
            .unwrap()
            .starts_with("---\ntranslates: ")
    );
    git(dir, &["commit", "-qam", "translated"]);
    assert_eq!(check(dir, true), (true, String::new()));
    assert!(!english_page(dir).contains("stale-notice"));

    // Reflowing a paragraph changes no word.
    edit_original(
        dir,
        "Den gamle sætning står her.",
        "Den gamle sætning\n  står  her.",
    );
    assert_eq!(
        check(dir, true),
        (true, String::new()),
        "whitespace is not a change"
    );
    git(dir, &["commit", "-qam", "reflowed"]);

    edit_original(dir, "gamle", "nye");
    let (ok, err) = check(dir, false);
    assert!(ok, "a stale translation is a warning");
    assert!(err.contains("01-hej.en.md:2:1: stale translation"), "{err}");
    let (ok, err) = check(dir, true);
    assert!(!ok && err.contains("stale translation"), "{err}");
    let page = english_page(dir);
    assert!(
        page.contains("The original of this page (Dansk) changed after it was translated"),
        "{page}"
    );
    let listing = text(&stepdoc(dir, &["translations"])).0;
    assert!(listing.contains("stale        hej"), "{listing}");
    assert!(
        listing.contains("Den [-gamle-]{+nye+} sætning står her."),
        "{listing}"
    );

    let out = stepdoc(dir, &["translations", "--mark-current", "hej"]);
    assert!(out.status.success(), "{}", text(&out).1);
    assert_eq!(check(dir, true), (true, String::new()));
    assert!(!english_page(dir).contains("stale-notice"));
    let listing = text(&stepdoc(dir, &["translations"])).0;
    assert!(listing.contains("current      hej"), "{listing}");
}

#[test]
fn marking_an_unknown_or_untranslated_step_is_a_usage_error() {
    let tmp = walkthrough();
    let out = stepdoc(tmp.path(), &["translations", "--mark-current", "hejj"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).1.contains("did you mean `hej`?"),
        "{}",
        text(&out).1
    );
}
