//! `api.openapi` descriptions themselves: one that is not OpenAPI 3.0/3.1
//! or not valid JSON, a `$ref` that does not resolve, names a missing file,
//! leaves `content/` or is remote, refs to sibling files, a description
//! changed after a good build, and hostile descriptions: each a clear error
//! at its line and column, never a panic or a hang, and nothing written.

use super::openapi::{check, fails_with, walkthrough, DESCRIPTION, GOOD_REQUESTS, SAMPLE};
use crate::common;

#[test]
fn a_description_that_is_not_openapi_3_is_an_error_and_nothing_is_written() {
    let dir = walkthrough(&SAMPLE.replace("\"lots\"", "7"), GOOD_REQUESTS);
    std::fs::write(
        dir.path().join("content/openapi.yaml"),
        "swagger: \"2.0\"\ninfo: {}\n",
    )
    .unwrap();
    let out = common::stepdoc(dir.path(), &["build"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("content/openapi.yaml:1:1: no `openapi` version: not an OpenAPI description"),
        "{err}"
    );
    assert!(!dir.path().join("output").exists(), "nothing is written");
    std::fs::write(
        dir.path().join("content/openapi.yaml"),
        "{\n  \"openapi\": \"3.1.0\",\n  \"paths\": {,}\n}\n",
    )
    .unwrap();
    fails_with(
        dir.path(),
        "content/openapi.yaml:3:13: not valid JSON: key must be a string",
    );
    std::fs::remove_file(dir.path().join("content/openapi.yaml")).unwrap();
    fails_with(dir.path(), "does not exist");
}

#[test]
fn an_unresolved_ref_in_the_description_is_a_clear_error() {
    let dir = walkthrough(&SAMPLE.replace("\"lots\"", "7"), GOOD_REQUESTS);
    let path = dir.path().join("content/openapi.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            "\"#/components/schemas/Accounts\"",
            "\"#/components/schemas/Missing\"",
        ),
    )
    .unwrap();
    let (code, err) = check(dir.path());
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(
            "content/openapi.yaml:17:31: `$ref: #/components/schemas/Missing` does not resolve"
        ),
        "the unresolved reference is named: {err}"
    );
}

#[test]
fn refs_to_sibling_files_resolve_and_problems_name_the_sibling() {
    let dir = walkthrough(SAMPLE, GOOD_REQUESTS);
    let content = dir.path().join("content");
    let split = DESCRIPTION.replace(
        "    Account:\n      type: object\n      required: [id, balance]\n      properties:\n        id: { type: string }\n        balance: { type: integer }\n        nickname: { type: string, nullable: true }\n",
        "    Account: { $ref: \"schemas/account.yaml#/Account\" }\n",
    );
    std::fs::write(content.join("openapi.yaml"), &split).unwrap();
    std::fs::create_dir_all(content.join("schemas")).unwrap();
    std::fs::write(
        content.join("schemas/account.yaml"),
        "Account:\n  type: object\n  required: [id, balance]\n  properties:\n    id: { type: string }\n    balance: { $ref: \"#/Money\" }\n    nickname: { type: string, nullable: true }\nMoney: { type: integer }\n",
    )
    .unwrap();
    let err = fails_with(dir.path(), "content/samples/accounts.json:4:30");
    assert!(
        err.contains("schema rule at content/schemas/account.yaml#/Money/type"),
        "the rule is named in the file that holds it: {err}"
    );
    std::fs::write(
        content.join("samples/accounts.json"),
        SAMPLE.replace("\"lots\"", "7"),
    )
    .unwrap();
    let (code, err) = check(dir.path());
    assert_eq!(
        code,
        Some(0),
        "a 3.0 `nullable` in a sibling file too: {err}"
    );

    // Refs that do not reach a file here: named, and nothing is fetched.
    for (to, says) in [
        ("schemas/nope.yaml", "`$ref: schemas/nope.yaml#/Account` names content/schemas/nope.yaml, which does not exist"),
        ("../../outside.yaml", "`$ref: ../../outside.yaml#/Account` leaves content/"),
        ("https://example.com/account.yaml", "`$ref: https://example.com/account.yaml#/Account` is not a file next to the description"),
    ] {
        let text = split.replace("schemas/account.yaml", to);
        std::fs::write(content.join("openapi.yaml"), text).unwrap();
        fails_with(dir.path(), says);
    }
}

#[test]
fn a_description_that_changes_is_checked_again_on_a_rebuild() {
    // No page's HTML is made from the description, so the manifest keeps
    // the pages; the check runs on every load all the same, and a rebuild
    // after a change that breaks a sample writes nothing.
    let dir = walkthrough(&SAMPLE.replace("\"lots\"", "7"), GOOD_REQUESTS);
    let out = common::stepdoc(dir.path(), &["build"]);
    assert!(out.status.success(), "{out:?}");
    let index = dir.path().join("output/index.html");
    let before = std::fs::read(&index).unwrap();
    let downloads = dir.path().join("output/downloads/walkthrough.arazzo.yaml");
    assert!(std::fs::read_to_string(&downloads)
        .unwrap()
        .contains("url: openapi.yaml"));
    let path = dir.path().join("content/openapi.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("balance: { type: integer }", "balance: { type: string }"),
    )
    .unwrap();
    let out = common::stepdoc(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("content/samples/accounts.json:3:30: $.accounts.0.balance"),
        "{err}"
    );
    assert_eq!(std::fs::read(&index).unwrap(), before);
    assert!(
        !std::fs::read_to_string(dir.path().join("output/downloads/openapi.yaml"))
            .unwrap()
            .contains("balance: { type: string }"),
        "the last good copy of the description stays"
    );
}

#[test]
fn hostile_descriptions_are_errors_never_a_panic_or_a_hang() {
    let requests = "  - id: list\n    title: List\n    path: /v2/accounts/7\n    query: { a: \"1\" }\n    headers: { X-A: b }\n    form: { f: \"2\" }\n    sample: { a: 1 }\n";
    let dir = walkthrough(SAMPLE, requests);
    let cases = [
        ("openapi: 3.1.0\npaths: [1, 2]\n", "is not an operation"),
        (
            "openapi: 3.1.0\npaths:\n  /v2/accounts/{id}:\n    get:\n      parameters: [{$ref: \"#\"}, {in: path, name: id}, {$ref: \"#/x~2y\"}]\n      responses: {\"200\": {$ref: \"#/paths\"}}\n",
            "content/openapi.yaml:5:62: `$ref: #/x~2y` does not resolve",
        ),
        (
            // A schema that refers to itself for ever, a server URL that is no URL.
            "openapi: 3.1.0\nservers: [{url: \"::bad\"}]\npaths:\n  /v2/accounts/{id}:\n    parameters: 5\n    get:\n      requestBody: {content: {application/x-www-form-urlencoded: {schema: {$ref: \"#/components/schemas/A\"}}}}\n      responses: {\"200\": {content: {application/json: {schema: {$ref: \"#/components/schemas/A\"}}}}}\ncomponents: {schemas: {A: {oneOf: [{$ref: \"#/components/schemas/A\"}]}}}\n",
            "query parameter `a` is not a parameter",
        ),
        (
            "openapi: 3.0.0\npaths:\n  /v2/accounts/{id}:\n    get:\n      parameters: [{in: header, name: X-A, required: true, schema: {pattern: \"(unclosed\"}}]\n      responses: {default: {content: {\"*/*json\": {schema: {type: [1]}}}}}\n",
            "content/openapi.yaml:5:68: the schema at #/paths/~1v2~1accounts~1{id}/get/parameters/0/schema does not compile",
        ),
        ("&a [*a]\n", "content/openapi.yaml: not YAML or JSON"),
    ];
    for (description, says) in cases {
        std::fs::write(dir.path().join("content/openapi.yaml"), description).unwrap();
        let err = fails_with(dir.path(), says);
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_description_over_64_mib_is_refused_with_how_to_trim_it() {
    let dir = walkthrough(&SAMPLE.replace("\"lots\"", "7"), GOOD_REQUESTS);
    // A sparse file: its size is what is checked, before any read.
    let file = std::fs::File::create(dir.path().join("content/openapi.yaml")).unwrap();
    file.set_len(64 * 1024 * 1024 + 1).unwrap();
    let err = fails_with(dir.path(), "stepdoc reads files of at most 64 MiB");
    assert!(err.contains("scripts/trim-openapi.py"), "{err}");
}
