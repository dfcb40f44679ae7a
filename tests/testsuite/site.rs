//! The built site as a reader meets it: a golden snapshot of a step page,
//! and a link check proving that every link and asset resolves both under
//! a GitHub Pages sub-path and when opened from disk.

use crate::common;

use std::path::{Path, PathBuf};

use common::{fixture, stepdoc, text};

fn build(dir: &Path, base: &str) -> PathBuf {
    let out = stepdoc(dir, &["build", "--base-url", base]);
    assert!(out.status.success(), "{}", text(&out).1);
    dir.join("output")
}

#[test]
fn step_page_golden() {
    let dir = fixture("good");
    let site = build(dir.path(), "https://example.github.io/repo/");
    let page = std::fs::read_to_string(site.join("user/index.html")).unwrap();
    common::golden(|| insta::assert_snapshot!("user_step_page", page));
}

/// Every `href="..."` and `src="..."` value in `html`.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push(rest[..end].replace("&amp;", "&"));
        }
    }
    out
}

/// Resolves `link` found on the page at `page` (relative to the site root);
/// returns the file it names inside the site, or None for external links.
fn resolve(
    site: &Path,
    page: &Path,
    link: &str,
    base_path: &str,
) -> Option<(PathBuf, Option<String>)> {
    if link.contains("://") || link.starts_with("mailto:") {
        return None;
    }
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f.to_owned())),
        None => (link, None),
    };
    let target = if path.is_empty() {
        site.join(page)
    } else if let Some(abs) = path.strip_prefix('/') {
        let inside = abs
            .strip_prefix(base_path.trim_start_matches('/'))
            .unwrap_or_else(|| {
                panic!(
                    "{link} on {} escapes the base path {base_path}",
                    page.display()
                )
            });
        site.join(inside)
    } else {
        let mut p = site.join(page.parent().unwrap());
        for part in path.split('/') {
            match part {
                ".." => {
                    assert!(
                        p.pop() && p.starts_with(site),
                        "{link} on {} leaves the site",
                        page.display()
                    );
                }
                "." | "" => {}
                other => p.push(other),
            }
        }
        p
    };
    Some((target, fragment))
}

#[test]
fn every_link_resolves_under_a_sub_path_and_from_disk() {
    let dir = fixture("good");
    let site = build(dir.path(), "https://example.github.io/repo/");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = entry.path().strip_prefix(&site).unwrap().to_path_buf();
        let html = std::fs::read_to_string(entry.path()).unwrap();
        for link in links(&html) {
            if link.contains("://") {
                continue;
            }
            let is_404 = page == Path::new("404.html");
            if !is_404 {
                assert!(
                    !link.starts_with('/'),
                    "{link} on {} is root-absolute: breaks from disk",
                    page.display()
                );
                assert!(
                    !link.ends_with('/'),
                    "{link} on {} names a directory: breaks from disk",
                    page.display()
                );
            }
            let Some((target, fragment)) = resolve(&site, &page, &link, "/repo/") else {
                continue;
            };
            assert!(
                target.is_file(),
                "{link} on {} -> missing {}",
                page.display(),
                target.display()
            );
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                let text = std::fs::read_to_string(&target).unwrap();
                assert!(
                    text.contains(&format!("id=\"{f}\"")),
                    "{link} on {}: no #{f} in target",
                    page.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} links checked");
}

#[test]
fn not_found_page_uses_the_base_path() {
    let dir = fixture("good");
    let site = build(dir.path(), "https://example.github.io/repo/");
    let html = std::fs::read_to_string(site.join("404.html")).unwrap();
    assert!(html.contains("href=\"/repo/static/style.css\""), "{html}");
    assert!(html.contains("href=\"/repo/index.html\""));
}

/// A value the person brings back from a browser step (here the bank
/// connection's `credentials_id`), used by a later request: its legend says
/// it is set by hand and where, and the later page's setup block asks for it.
#[test]
fn a_value_from_a_browser_step_is_marked_as_set_by_hand() {
    let dir = fixture("good");
    let list = dir.path().join("content/steps/03-list.yaml");
    let yaml = std::fs::read_to_string(&list).unwrap().replace(
        "      pageSize: 2\n",
        "      pageSize: 2\n      credentialsId: \"{{ credentials_id }}\"\n",
    );
    std::fs::write(&list, yaml).unwrap();
    let site = build(dir.path(), "/");
    let page = std::fs::read_to_string(site.join("list/index.html")).unwrap();
    let at = page
        .find("<dt><code>$CREDENTIALS_ID</code></dt>")
        .expect("a legend entry for $CREDENTIALS_ID");
    let entry = &page[at..at + page[at..].find("</dd>").unwrap()];
    assert!(entry.contains("which you set by hand"), "{entry}");
    assert!(
        entry.contains("href=\"../user/index.html#request-link\""),
        "{entry}"
    );
    let setup = &page[page.find("class=\"setup\"").expect("a setup block")..];
    let setup = &setup[..setup.find("</details>").unwrap()];
    assert!(setup.contains("CREDENTIALS_ID"), "{setup}");
}

#[test]
fn a_card_shows_its_path_as_the_snippets_do() {
    let dir = fixture("good");
    let step = dir.path().join("content/steps/03-list.yaml");
    let yaml = std::fs::read_to_string(&step).unwrap();
    std::fs::write(
        &step,
        yaml.replace(
            "path: /data/v2/transactions",
            "path: /data/v2/{{ market }}/users/{{ user_id }}/transactions",
        ),
    )
    .unwrap();
    let out = build(dir.path(), "/repo/");
    let page = std::fs::read_to_string(out.join("list/index.html")).unwrap();
    assert!(
        page.contains("<code>/data/v2/DK/users/$USER_ID/transactions</code>"),
        "the card header shows the path with its placeholders as the snippets name them"
    );
    assert!(!page.contains("{{ user_id }}"));
}

/// A token captured again by a later request (a refresh in step 2) comes
/// from that request from there on: the step-3 legend and the exports name
/// the same request, the one `record` would use.
#[test]
fn a_value_captured_again_comes_from_the_latest_capture() {
    let dir = fixture("good");
    let user = dir.path().join("content/steps/02-user.md");
    let md = std::fs::read_to_string(&user).unwrap().replace(
        "payloads:\n",
        "  - id: refresh\n    title: Refresh the token\n    method: POST\n    path: /oauth/refresh\n    auth: app\n    capture:\n      app_token: $.access_token\n    sample:\n      access_token: t2\npayloads:\n",
    );
    std::fs::write(&user, md).unwrap();
    let site = build(dir.path(), "/");
    let page = std::fs::read_to_string(site.join("list/index.html")).unwrap();
    let at = page
        .find("<dt><code>$APP_TOKEN</code></dt>")
        .expect("a legend entry for $APP_TOKEN");
    let entry = &page[at..at + page[at..].find("</dd>").unwrap()];
    assert!(
        entry.contains("href=\"../user/index.html#request-refresh\""),
        "{entry}"
    );
    // `--step list` runs the token, then the refresh that replaces it.
    let out = common::stepdoc(
        dir.path(),
        &["export", "--format", "hurl", "--step", "list"],
    );
    let (hurl, stderr) = common::text(&out);
    assert!(out.status.success(), "{stderr}");
    let (token, refresh) = (hurl.find("/oauth/token"), hurl.find("/oauth/refresh"));
    assert!(
        matches!((token, refresh), (Some(t), Some(r)) if t < r),
        "{hurl}"
    );
    // The refresh itself still uses the first token.
    let page = std::fs::read_to_string(site.join("user/index.html")).unwrap();
    let card = &page[page.find("id=\"request-refresh\"").unwrap()..];
    let at = card.find("<dt><code>$APP_TOKEN</code></dt>").unwrap();
    let entry = &card[at..at + card[at..].find("</dd>").unwrap()];
    assert!(
        entry.contains("href=\"../token/index.html#request-token\""),
        "{entry}"
    );
}

/// Every heading the search index lists links to an id its page has,
/// including an author's `{#id}` and a repeated heading.
#[test]
fn search_entries_link_to_ids_the_pages_have() {
    let dir = fixture("good");
    let user = dir.path().join("content/steps/02-user.md");
    let md = std::fs::read_to_string(&user).unwrap()
        + "\n## Setup {#custom-id}\n\n## Notes\n\nOne.\n\n## Notes\n\nTwo.\n";
    std::fs::write(&user, md).unwrap();
    let site = build(dir.path(), "/");
    let index = std::fs::read_to_string(site.join("search-index.js")).unwrap();
    let json = index
        .trim()
        .strip_prefix("window.STEPDOC_SEARCH = ")
        .and_then(|j| j.strip_suffix(';'))
        .expect("the index script");
    let docs: serde_json::Value = serde_json::from_str(json).unwrap();
    let mut seen = Vec::new();
    for doc in docs.as_array().unwrap() {
        let page = std::fs::read_to_string(site.join(doc["u"].as_str().unwrap())).unwrap();
        for h in doc["h"].as_array().unwrap() {
            let (title, id) = (h[0].as_str().unwrap(), h[1].as_str().unwrap());
            assert!(!title.contains("{#"), "{title}");
            assert!(
                page.contains(&format!("id=\"{id}\"")),
                "no id {id} on {}",
                doc["u"]
            );
            seen.push(id.to_owned());
        }
    }
    for id in ["custom-id", "notes", "notes-1"] {
        assert!(seen.iter().any(|s| s == id), "{seen:?}");
    }
}
