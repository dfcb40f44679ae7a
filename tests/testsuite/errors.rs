//! Bad input: each error class gets a clear message naming the file and
//! line, exit code 1, and the previous output stays untouched.

use crate::common;

use common::{fixture, stepdoc, text, tree};

/// Builds the good fixture, applies `edit`, builds again and returns stderr
/// after checking the exit code and that the output did not change.
fn broken_build(edit: impl FnOnce(&std::path::Path)) -> String {
    let dir = fixture("good");
    assert!(stepdoc(dir.path(), &["build"]).status.success());
    let before = tree(&dir.path().join("output"));
    edit(dir.path());
    let out = stepdoc(dir.path(), &["build"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        before,
        tree(&dir.path().join("output")),
        "output changed after a failed build"
    );
    let check = stepdoc(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(1), "check reports it too");
    stderr
}

fn replace(root: &std::path::Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "fixture changed: {from}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn yaml_syntax_error_names_file_line_and_shows_it() {
    let err =
        broken_build(|r| replace(r, "content/steps/01-token.md", "nav: Token", "nav: [Token"));
    assert!(err.contains("content/steps/01-token.md:3:6:"), "{err}");
    assert!(
        err.contains(" 3 | nav: [Token"),
        "the offending line is shown: {err}"
    );
}

#[test]
fn unknown_key_suggests_the_right_one() {
    let err = broken_build(|r| replace(r, "content/steps/02-user.md", "summary:", "sumary:"));
    assert!(err.contains("content/steps/02-user.md:4:1"), "{err}");
    assert!(err.contains("unknown field `sumary`"), "{err}");
    assert!(err.contains("did you mean `summary`?"), "{err}");
}

#[test]
fn unknown_key_in_site_yaml() {
    let err = broken_build(|r| replace(r, "content/site.yaml", "language: en", "langauge: en"));
    assert!(err.contains("content/site.yaml:3:"), "{err}");
    assert!(err.contains("did you mean `language`?"), "{err}");
}

#[test]
fn duplicate_step_numbers_name_both_files() {
    let err = broken_build(|r| {
        std::fs::write(
            r.join("content/steps/02-other.md"),
            "---\ntitle: Other\n---\nx\n",
        )
        .unwrap();
    });
    assert!(err.contains("step number 02 is used twice"), "{err}");
    assert!(
        err.contains("02-other.md") && err.contains("02-user.md"),
        "{err}"
    );
}

#[test]
fn missing_sample_file_points_at_the_reference() {
    let err = broken_build(|r| std::fs::remove_file(r.join("content/samples/token.json")).unwrap());
    assert!(err.contains("content/steps/01-token.md:17:"), "{err}");
    assert!(
        err.contains("content/samples/token.json does not exist"),
        "{err}"
    );
}

#[test]
fn invalid_sample_json_names_the_sample_line() {
    let err = broken_build(|r| {
        std::fs::write(r.join("content/samples/token.json"), "{\n  \"a\": 1,\n}\n").unwrap()
    });
    assert!(err.contains("content/samples/token.json:3:"), "{err}");
    assert!(err.contains("not valid JSON"), "{err}");
}

#[test]
fn unknown_request_id_in_markdown() {
    let err = broken_build(|r| {
        replace(
            r,
            "content/steps/01-token.md",
            "{{#request token}}",
            "{{#request tokn}}",
        )
    });
    assert!(err.contains("content/steps/01-token.md:23:"), "{err}");
    assert!(err.contains("unknown request id `tokn`"), "{err}");
    assert!(err.contains("token"), "lists the known ids: {err}");
}

#[test]
fn broken_step_link() {
    let err = broken_build(|r| {
        replace(
            r,
            "content/steps/02-user.md",
            "(01-token.md)",
            "(01-tokens.md)",
        )
    });
    assert!(err.contains("content/steps/02-user.md:38:9"), "{err}");
    assert!(err.contains("01-tokens.md"), "{err}");
    // The hint names this walkthrough's own step files, not the Tink example's.
    assert!(
        err.contains("the steps: 01-token.md, 02-user.md, 03-list.yaml"),
        "{err}"
    );
    assert!(!err.contains("opret-bruger"), "{err}");
}

/// A link into another step's heading is checked against the ids that
/// step's page has; a heading that exists there passes.
#[test]
fn link_to_a_heading_another_step_lacks() {
    let err = broken_build(|r| {
        replace(
            r,
            "content/steps/01-token.md",
            "(02-user.md#create)",
            "(02-user.md#no-such-heading)",
        )
    });
    assert!(err.contains("content/steps/01-token.md:21:"), "{err}");
    assert!(
        err.contains("`02-user.md#no-such-heading`, which no heading or card of that step has"),
        "{err}"
    );
    let dir = fixture("good");
    replace(
        dir.path(),
        "content/steps/01-token.md",
        "(02-user.md#create)",
        "(02-user.md#request-link), [x](03-list.yaml#paging)",
    );
    let out = stepdoc(dir.path(), &["check"]);
    assert!(out.status.success(), "{}", text(&out).1);
}

/// A request's or payload's `description:` is Markdown like a step's
/// text: a link to a missing step or heading in it is an error at its own
/// line and column, inline or as a block.
#[test]
fn problems_in_a_description_point_at_it() {
    let err = broken_build(|r| {
        replace(
            r,
            "content/steps/02-user.md",
            "    title: Create user\n",
            "    title: Create user\n    description: Makes one, see [the list](09-nothere.md).\n",
        );
        replace(
            r,
            "content/steps/02-user.md",
            "    title: An incoming event\n",
            "    title: An incoming event\n    description: |\n      Sent to you.\n\n      See [paging](03-list.yaml#nope).\n",
        );
    });
    assert!(
        err.contains("content/steps/02-user.md:8:33: link to `09-nothere.md`"),
        "{err}"
    );
    assert!(
        err.contains("content/steps/02-user.md:38:11: link to `03-list.yaml#nope`"),
        "{err}"
    );
}

#[test]
fn undefined_variable_with_suggestion() {
    let err = broken_build(|r| {
        replace(
            r,
            "content/steps/02-user.md",
            "\"{{ market }}\"\n      locale",
            "\"{{ markt }}\"\n      locale",
        )
    });
    assert!(err.contains("content/steps/02-user.md:13:"), "{err}");
    assert!(err.contains("`{{ markt }}`, which is not defined"), "{err}");
    assert!(err.contains("did you mean `market`?"), "{err}");
}

#[test]
fn token_used_before_it_is_captured() {
    let err = broken_build(|r| replace(r, "content/steps/01-token.md", "app_token:", "token:"));
    assert!(
        err.contains("needs `app_token` (for `auth: app`), but no earlier request captures it"),
        "{err}"
    );
    assert!(err.contains("content/steps/02-user.md:"), "{err}");
}

#[test]
fn template_error_names_template_and_line() {
    let err = broken_build(|r| {
        std::fs::create_dir_all(r.join("themes/default/templates")).unwrap();
        std::fs::write(r.join("themes/default/templates/index.html"), "{% extends \"base.html\" %}\n{% block content %}\n{{ steps | nosuchfilter }}\n{% endblock content %}\n").unwrap();
    });
    assert!(err.contains("index.html"), "{err}");
    assert!(err.contains(":3:"), "{err}");
}

/// A template that parses but fails while a page renders names its own
/// file, not a pattern of where templates may be.
#[test]
fn template_render_error_names_the_templates_file() {
    let err = broken_build(|r| {
        std::fs::create_dir_all(r.join("themes/default/templates")).unwrap();
        std::fs::write(
            r.join("themes/default/templates/404.html"),
            "{% extends \"base.html\" %}\n{% block content %}{{ no_such_value.field }}{% endblock content %}\n",
        )
        .unwrap();
    });
    assert!(
        err.contains("themes/default/templates/404.html: cannot render"),
        "{err}"
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let err = broken_build(|r| {
        replace(r, "content/steps/02-user.md", "summary:", "sumary:");
        std::fs::remove_file(r.join("content/samples/token.json")).unwrap();
        replace(
            r,
            "content/steps/03-list.yaml",
            "nav: Transactions",
            "nav: [x",
        );
    });
    assert!(
        err.contains("02-user.md") && err.contains("01-token.md") && err.contains("03-list.yaml"),
        "{err}"
    );
    assert!(err.contains("3 problems found"), "{err}");
}
