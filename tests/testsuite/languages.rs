//! A walkthrough in two languages (`languages: [en, da]`): translations
//! beside their steps, published under `/da/` with a language switch,
//! alternates and a note on untranslated steps; translations that define a
//! request or name an unlisted language are errors; rebuilds render only
//! what a change touches.

use crate::common;

use std::path::Path;

use common::{fixture, stepdoc, text};

const TRANSLATION: &str = "---
title: Hent et token
nav: Token
summary: Client credentials bliver til et app-token.
requests:
  - id: token
    title: App-token
---
## Hvorfor et token

Alle kald kræver et. Næste: [opret en bruger](02-user.md#create).

{{#request token}}
";

/// The `good` fixture in English and Danish, its first step translated.
fn bilingual() -> tempfile::TempDir {
    let dir = fixture("good");
    let site = dir.path().join("content/site.yaml");
    let yaml = std::fs::read_to_string(&site).unwrap();
    std::fs::write(&site, yaml.replace("language: en", "languages: [en, da]")).unwrap();
    std::fs::write(dir.path().join("content/steps/01-token.da.md"), TRANSLATION).unwrap();
    dir
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join("output").join(rel))
        .unwrap_or_else(|_| panic!("{rel} was not written"))
}

#[test]
fn a_translation_is_published_under_its_language_with_a_switch_and_alternates() {
    let dir = bilingual();
    let out = stepdoc(dir.path(), &["build"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.starts_with("Built 11 pages"), "{stdout}");

    let da = read(dir.path(), "da/token/index.html");
    assert!(da.contains("<html lang=\"da\">"));
    assert!(da.contains("<h1>Hent et token</h1>"), "the step title");
    assert!(da.contains(">App-token</h"), "the request card's title");
    assert!(da.contains("Hvorfor et token"), "the text");
    // The request itself comes from the English file.
    assert!(da.contains("/oauth/token"));
    // The switch leads to the same step in English, which exists.
    assert!(
        da.contains("href=\"../../token/index.html\" lang=\"en\""),
        "{da}"
    );
    assert!(dir.path().join("output/da/../token/index.html").is_file());
    assert!(da.contains(
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.github.io/repo/token/\">"
    ));
    assert!(da.contains("<link rel=\"alternate\" hreflang=\"da\" href=\"https://example.github.io/repo/da/token/\">"));
    assert!(
        da.contains("href=\"../../static/style.css\""),
        "assets are shared"
    );
    // Links between steps stay in the language.
    assert!(da.contains("href=\"../user/index.html#create\""), "{da}");

    let en = read(dir.path(), "token/index.html");
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("href=\"../da/token/index.html\" lang=\"da\""));

    // An untranslated step is published in English, with a Danish note.
    let user = read(dir.path(), "da/user/index.html");
    assert!(user.contains("<html lang=\"da\">"));
    assert!(user.contains("ikke oversat"), "the untranslated note");
    assert!(user.contains("<h1>Create a user"), "{user}");

    let sitemap = read(dir.path(), "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.github.io/repo/da/token/</loc>"));
    assert!(sitemap.contains("hreflang=\"da\" href=\"https://example.github.io/repo/da/user/\""));
}

#[test]
fn a_translation_that_defines_a_request_is_an_error() {
    let dir = bilingual();
    std::fs::write(
        dir.path().join("content/steps/01-token.da.md"),
        TRANSLATION.replace(
            "    title: App-token\n",
            "    title: App-token\n    method: GET\n",
        ),
    )
    .unwrap();
    let out = stepdoc(dir.path(), &["check"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/steps/01-token.da.md:8:5"),
        "{stderr}"
    );
    assert!(stderr.contains("method"), "{stderr}");
    assert!(stderr.contains("requests are defined once"), "{stderr}");
}

#[test]
fn a_translation_of_an_unknown_request_or_language_is_an_error() {
    let dir = bilingual();
    std::fs::write(
        dir.path().join("content/steps/01-token.da.md"),
        TRANSLATION.replace("  - id: token", "  - id: tokn"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("content/steps/02-user.fr.md"),
        "---\ntitle: Créer un utilisateur\n---\nTexte.\n",
    )
    .unwrap();
    let out = stepdoc(dir.path(), &["check"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("`tokn` is not a request of step 01-token"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `token`?"), "{stderr}");
    assert!(
        stderr.contains("02-user.fr.md: a translation into `fr`"),
        "{stderr}"
    );
    assert!(stderr.contains("add `fr` to `languages`"), "{stderr}");
}

#[test]
fn a_rebuild_renders_only_the_pages_a_change_touches() {
    let dir = bilingual();
    assert!(stepdoc(dir.path(), &["build"]).status.success());
    // The translation: its page and the Danish print page.
    let t = dir.path().join("content/steps/01-token.da.md");
    std::fs::write(&t, TRANSLATION.replace("Alle kald", "Hvert kald")).unwrap();
    let (stdout, _) = text(&stepdoc(dir.path(), &["build"]));
    assert!(
        stdout.contains("Built 11 pages (9 unchanged, kept)"),
        "{stdout}"
    );
    assert!(read(dir.path(), "da/token/index.html").contains("Hvert kald"));
    // The step itself: its page in both languages and both print pages.
    let step = dir.path().join("content/steps/01-token.md");
    let text_en = std::fs::read_to_string(&step).unwrap();
    std::fs::write(
        &step,
        text_en.replace("path: /oauth/token", "path: /oauth2/token"),
    )
    .unwrap();
    let (stdout, _) = text(&stepdoc(dir.path(), &["build"]));
    assert!(
        stdout.contains("Built 11 pages (7 unchanged, kept)"),
        "{stdout}"
    );
    assert!(read(dir.path(), "da/token/index.html").contains("/oauth2/token"));
    // A rebuild equals a clean build.
    assert!(stepdoc(dir.path(), &["build", "--output", "clean"])
        .status
        .success());
    assert_eq!(
        common::tree(&dir.path().join("output")),
        common::tree(&dir.path().join("clean"))
    );
}

#[test]
fn a_translation_of_a_missing_step_and_a_second_default_language_are_errors() {
    let dir = bilingual();
    std::fs::write(
        dir.path().join("content/steps/09-gone.da.md"),
        "---\ntitle: Væk\n---\nTekst.\n",
    )
    .unwrap();
    let site = dir.path().join("content/site.yaml");
    let yaml = std::fs::read_to_string(&site).unwrap();
    std::fs::write(&site, format!("language: da\n{yaml}")).unwrap();
    let out = stepdoc(dir.path(), &["check"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("09-gone.da.md: translates step 09-gone, which does not exist"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`language: da` differs from the first of `languages` (en)"),
        "{stderr}"
    );
}

#[test]
fn a_translated_index_gives_its_text_and_description() {
    let dir = bilingual();
    std::fs::write(
        dir.path().join("content/index.da.md"),
        "---\ndescription: En lille gennemgang på dansk.\n---\nVelkommen til gennemgangen.\n",
    )
    .unwrap();
    assert!(stepdoc(dir.path(), &["build"]).status.success());
    let da = read(dir.path(), "da/index.html");
    assert!(da.contains("Velkommen til gennemgangen."), "{da}");
    assert!(da.contains("En lille gennemgang på dansk."), "{da}");
    assert!(
        !da.contains("description: En lille"),
        "the front matter is not text"
    );
    let en = read(dir.path(), "index.html");
    assert!(!en.contains("Velkommen"));
}

#[test]
fn auth_labels_and_link_titles_are_given_per_language() {
    let dir = bilingual();
    let site = dir.path().join("content/site.yaml");
    let yaml = std::fs::read_to_string(&site).unwrap();
    let yaml = yaml
        .replace(
            "label: app token,",
            "label: { en: app token, da: app-nøgle },",
        )
        .replace(
            "  - title: Example docs",
            "  - title: { en: Example docs, da: Eksempeldokumentation }",
        );
    std::fs::write(&site, yaml).unwrap();
    let out = stepdoc(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", text(&out).1);
    let en = read(dir.path(), "user/index.html");
    let da = read(dir.path(), "da/user/index.html");
    assert!(
        en.contains("app token") && !en.contains("app-nøgle"),
        "{en}"
    );
    assert!(da.contains("app-nøgle"), "{da}");
    assert!(en.contains(">Example docs<") && da.contains(">Eksempeldokumentation<"));
    // A language the site does not publish, or no default text: errors at the line.
    std::fs::write(
        &site,
        std::fs::read_to_string(&site)
            .unwrap()
            .replace("da: app-nøgle", "de: App-Schlüssel"),
    )
    .unwrap();
    let out = stepdoc(dir.path(), &["check"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "the label of auth kind `app` has a text for `de`, which `languages` does not list"
        ),
        "{stderr}"
    );
}
