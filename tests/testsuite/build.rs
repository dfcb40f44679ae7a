//! `stepdoc build` and `stepdoc check` on fixture walkthroughs: the site a
//! user gets, its safety guarantees, and determinism.

use crate::common;

use common::{fixture, stepdoc, text, tree};

#[test]
fn good_fixture_builds_every_page() {
    let dir = fixture("good");
    let out = stepdoc(dir.path(), &["build"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.starts_with("Built 6 pages"), "{stdout}");
    assert!(stdout.contains("; 2 warnings"), "{stdout}");
    assert!(
        stderr.contains("03-list.yaml:5:5: request `transactions` has no snapshot and no sample"),
        "{stderr}"
    );
    let site = dir.path().join("output");
    for f in [
        "index.html",
        "token/index.html",
        "user/index.html",
        "list/index.html",
        "404.html",
        "sitemap.xml",
        ".nojekyll",
        "static/style.css",
        "static/stepdoc.js",
        "static/syntax-light.css",
        "static/syntax-dark.css",
    ] {
        assert!(site.join(f).is_file(), "missing {f}");
    }
    let user = std::fs::read_to_string(site.join("user/index.html")).unwrap();
    assert!(
        user.contains("Recorded"),
        "snapshot is shown as a recording"
    );
    let token = std::fs::read_to_string(site.join("token/index.html")).unwrap();
    assert!(
        token.contains("Sample data"),
        "a sample is marked as a sample"
    );
    assert!(token.contains("app token") || user.contains("app token"));
    let sitemap = std::fs::read_to_string(site.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.github.io/repo/user/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    // Two copies in two places, each built from nothing: every page is
    // rendered twice (no page is kept from a previous build), and nothing
    // of where the walkthrough lies leaks into the output.
    let (a, b) = (fixture("good"), fixture("good"));
    for dir in [&a, &b] {
        let out = stepdoc(dir.path(), &["build"]);
        let (stdout, stderr) = text(&out);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stdout.contains("Built") && !stdout.contains("kept"),
            "{stdout}"
        );
    }
    assert_eq!(
        tree(&a.path().join("output")),
        tree(&b.path().join("output"))
    );
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let dir = fixture("good");
    assert!(stepdoc(dir.path(), &["build"]).status.success());
    let before = tree(&dir.path().join("output"));
    std::fs::write(
        dir.path().join("content/steps/04-broken.md"),
        "---\ntitle: [oops\n---\n",
    )
    .unwrap();
    let out = stepdoc(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(before, tree(&dir.path().join("output")));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().contains("stepdoc-tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging dir left behind: {leftovers:?}"
    );
}

#[test]
fn foreign_output_directory_needs_force() {
    let dir = fixture("good");
    let foreign = dir.path().join("mine");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "precious").unwrap();
    let out = stepdoc(dir.path(), &["build", "--output", "mine"]);
    let (_, stderr) = text(&out);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a refused --output is a usage error"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(foreign.join("notes.txt")).unwrap(),
        "precious"
    );
    let out = stepdoc(dir.path(), &["build", "--output", "mine", "--force"]);
    assert!(out.status.success());
    assert!(foreign.join("index.html").is_file());
}

#[test]
fn project_root_and_content_dirs_are_refused_even_with_force() {
    let dir = fixture("good");
    let before = tree(&dir.path().join("content"));
    std::fs::create_dir_all(dir.path().join("themes/mine")).unwrap();
    for target in [
        ".",
        "content/..",
        "content",
        "content/samples",
        "content/new",
        "themes",
        "themes/mine",
    ] {
        for force in [true, false] {
            let mut args = vec!["build", "--output", target];
            if force {
                args.push("--force");
            }
            let out = stepdoc(dir.path(), &args);
            let (_, stderr) = text(&out);
            assert_eq!(out.status.code(), Some(2), "{target}: {stderr}");
            assert!(stderr.contains("refusing"), "{target}: {stderr}");
            assert!(
                !stderr.contains("--force"),
                "{target}: the hint must not offer --force: {stderr}"
            );
        }
    }
    assert_eq!(
        before,
        tree(&dir.path().join("content")),
        "the sources are untouched"
    );
}

#[test]
fn check_writes_nothing() {
    let dir = fixture("good");
    let out = stepdoc(dir.path(), &["check"]);
    assert!(out.status.success(), "{}", text(&out).1);
    assert!(text(&out).0.starts_with("Checked 6 pages"));
    assert!(!dir.path().join("output").exists());
}

#[test]
fn init_scaffold_builds_as_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let out = stepdoc(tmp.path(), &["init", "walk"]);
    assert!(out.status.success(), "{}", text(&out).1);
    assert!(tmp.path().join("walk/.gitignore").is_file());
    let out = stepdoc(&tmp.path().join("walk"), &["build"]);
    assert!(out.status.success(), "{}", text(&out).1);
    assert!(tmp.path().join("walk/output/token/index.html").is_file());
    let again = stepdoc(tmp.path(), &["init", "walk"]);
    assert_eq!(again.status.code(), Some(2), "init does not overwrite");
}

#[test]
fn missing_site_yaml_says_how_to_start() {
    let tmp = tempfile::tempdir().unwrap();
    let out = stepdoc(tmp.path(), &["build"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("content/site.yaml") && stderr.contains("stepdoc init"),
        "{stderr}"
    );
}

#[test]
fn usage_error_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(
        stepdoc(tmp.path(), &["build", "--no-such-flag"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_rebuild_renders_only_what_changed_and_equals_a_clean_build() {
    let dir = fixture("good");
    assert!(stepdoc(dir.path(), &["build"]).status.success());
    let step = dir.path().join("content/steps/02-user.md");
    let text = std::fs::read_to_string(&step).unwrap();
    std::fs::write(&step, text.replace("Back to", "Tilbage til")).unwrap();
    let out = stepdoc(dir.path(), &["build"]);
    let (stdout, stderr) = text_of(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("Built 6 pages (4 unchanged, kept)"),
        "{stdout}"
    );
    let clean = stepdoc(dir.path(), &["build", "--output", "clean"]);
    assert!(clean.status.success());
    assert_eq!(
        tree(&dir.path().join("output")),
        tree(&dir.path().join("clean")),
        "a rebuild equals a clean build"
    );

    // A title shows in every page's stepper: everything is rendered again.
    std::fs::write(
        &step,
        text.replace("title: Create a user", "title: Create the user"),
    )
    .unwrap();
    let (stdout, _) = text_of(&stepdoc(dir.path(), &["build"]));
    assert!(
        stdout.starts_with("Built 6 pages (22 files)"),
        "nothing kept: {stdout}"
    );
}

fn text_of(out: &std::process::Output) -> (String, String) {
    text(out)
}

#[test]
fn a_walkthrough_theme_overrides_embedded_files_one_by_one() {
    let dir = fixture("good");
    let theme = dir.path().join("themes/default/static");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(theme.join("style.css"), "body { color: rebeccapurple; }\n").unwrap();
    assert!(stepdoc(dir.path(), &["build"]).status.success());
    let css = std::fs::read_to_string(dir.path().join("output/static/style.css")).unwrap();
    assert_eq!(
        css, "body { color: rebeccapurple; }\n",
        "the walkthrough's file wins"
    );
    let js = std::fs::read_to_string(dir.path().join("output/static/stepdoc.js")).unwrap();
    assert!(
        js.contains("stepdoc-lang"),
        "files it does not override come from the embedded theme"
    );
}

#[test]
fn drafts_are_left_out_consistently_and_links_to_them_warn() {
    let dir = fixture("good");
    let user = dir.path().join("content/steps/02-user.md");
    let source = std::fs::read_to_string(&user).unwrap();
    std::fs::write(
        &user,
        source.replacen("nav: User\n", "nav: User\ndraft: true\n", 1),
    )
    .unwrap();
    // The list step no longer uses what the draft captures.
    let out = stepdoc(dir.path(), &["build"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("01-token.md:21:29: link to `02-user.md`, a draft"),
        "{stderr}"
    );
    assert!(stdout.starts_with("Built 5 pages"), "{stdout}");
    let site = dir.path().join("output");
    assert!(!site.join("user").exists(), "a draft is not published");
    let list = std::fs::read_to_string(site.join("list/index.html")).unwrap();
    assert!(
        list.contains("Step 2 of 2"),
        "numbering counts published steps"
    );
    assert!(list.contains("<span class=\"step-badge\" aria-hidden=\"true\">2</span>"));
    assert!(
        !list.contains("Create a user"),
        "the stepper leaves the draft out"
    );
}

#[test]
fn a_capture_path_the_sample_lacks_is_a_warning() {
    let dir = fixture("good");
    let token = dir.path().join("content/steps/01-token.md");
    let source = std::fs::read_to_string(&token).unwrap();
    std::fs::write(
        &token,
        source.replacen("$.access_token", "$.acces_token", 1),
    )
    .unwrap();
    let out = stepdoc(dir.path(), &["build"]);
    let (_, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("01-token.md:16:7: capture `app_token`: `$.acces_token` matched nothing in the response (the sample of `token`)"),
        "{stderr}"
    );
}

#[test]
fn init_without_a_folder_scaffolds_the_current_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = stepdoc(tmp.path(), &["init"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(tmp.path().join("content/site.yaml").is_file());
    assert!(
        stdout.contains("Created a walkthrough in this folder. Next: stepdoc serve --open"),
        "{stdout}"
    );
}

#[test]
fn a_site_address_on_the_api_host_gets_a_warning() {
    let dir = fixture("good");
    let site = dir.path().join("content/site.yaml");
    let yaml = std::fs::read_to_string(&site).unwrap();
    std::fs::write(
        &site,
        yaml.replace(
            "base_url: https://example.github.io/repo/",
            "base_url: https://api.example.test/",
        ),
    )
    .unwrap();
    let out = stepdoc(dir.path(), &["check"]);
    let (_, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("site.yaml:4:1: `base_url` (https://api.example.test/) is on the host of the API base `api`"),
        "{stderr}"
    );
}

/// A walkthrough whose index would be over 96 KB gets a sharded one, and a
/// rebuild after one new word rewrites that word's shard, not the others:
/// every other index file is the same file (a hard link) as before. (The
/// step is not among any term's best 8, whose snippets could change.)
#[cfg(unix)]
#[test]
fn a_large_index_is_sharded_and_a_rebuild_rewrites_only_changed_shards() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let gen = std::process::Command::new("python3")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gen.py"))
        .args(["120"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(
        gen.status.success(),
        "{}",
        String::from_utf8_lossy(&gen.stderr)
    );
    let root = tmp.path().join("stepdoc");
    let build = || {
        let out = stepdoc(&root, &["build", "--output", "out"]);
        assert!(out.status.success(), "{}", text_of(&out).1);
    };
    let inodes = || -> std::collections::BTreeMap<String, u64> {
        std::fs::read_dir(root.join("out/search"))
            .unwrap()
            .flatten()
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.metadata().unwrap().ino(),
                )
            })
            .collect()
    };
    build();
    assert!(!root.join("out/search-index.js").exists());
    let page = std::fs::read_to_string(root.join("out/step-7/index.html")).unwrap();
    assert!(page.contains("data-index=\"../search/index.js\""));
    let before = inodes();
    assert!(
        before.contains_key("index.js") && before.len() > 20,
        "{before:?}"
    );
    let step = root.join("content/steps/070-step-70.md");
    let text = std::fs::read_to_string(&step).unwrap();
    std::fs::write(&step, format!("{text}\nQuuxword.\n")).unwrap();
    build();
    let after = inodes();
    let changed: Vec<&String> = after
        .iter()
        .filter(|(name, ino)| before.get(*name) != Some(ino))
        .map(|(name, _)| name)
        .collect();
    assert!(changed.contains(&&"s-7175.js".to_owned()), "{changed:?}");
    assert!(
        changed
            .iter()
            .all(|n| *n == "s-7175.js" || *n == "index.js"),
        "only the new word's shard (and the list of shards) change: {changed:?}"
    );
    let shard = std::fs::read_to_string(root.join("out/search/s-7175.js")).unwrap();
    assert!(shard.contains("\"quuxword\""), "{shard}");
}
