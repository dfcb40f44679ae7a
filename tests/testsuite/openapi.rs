//! `api.openapi`: requests and shown responses checked against the
//! provider's OpenAPI description, each problem at its exact place.

use std::path::Path;

use crate::common;

pub(super) const DESCRIPTION: &str = r##"openapi: 3.0.3
info: { title: Accounts, version: "1" }
servers:
  - url: https://api.example.test/v2
paths:
  /accounts:
    get:
      operationId: listAccounts
      parameters:
        - { name: pageSize, in: query, required: true, schema: { type: integer } }
        - $ref: "#/components/parameters/Cursor"
      responses:
        "200":
          description: the accounts
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Accounts" }
    post:
      operationId: createAccount
      requestBody:
        $ref: "#/components/requestBodies/NewAccount"
      responses:
        "201": { description: created }
  /accounts/{accountId}:
    get:
      operationId: getAccount
      responses:
        "200":
          description: one account
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Account" }
components:
  requestBodies:
    NewAccount:
      content:
        application/json:
          schema:
            type: object
            required: [name, limit]
            properties:
              name: { type: string }
              limit: { type: integer }
  parameters:
    Cursor: { name: cursor, in: query, schema: { type: string } }
  schemas:
    Accounts:
      type: object
      required: [accounts]
      properties:
        accounts: { type: array, items: { $ref: "#/components/schemas/Account" } }
    Account:
      type: object
      required: [id, balance]
      properties:
        id: { type: string }
        balance: { type: integer }
        nickname: { type: string, nullable: true }
"##;

pub(super) const SAMPLE: &str = r#"{
  "accounts": [
    { "id": "a1", "balance": 100, "nickname": null },
    { "id": "a2", "balance": "lots" }
  ]
}
"#;

/// A walkthrough of two requests checked against [`DESCRIPTION`]; `step`
/// replaces the step's front matter lines when given.
pub(super) fn walkthrough(sample: &str, requests: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("steps")).unwrap();
    std::fs::create_dir_all(content.join("samples")).unwrap();
    std::fs::write(
        content.join("site.yaml"),
        "title: Accounts\napi:\n  base_url: https://api.example.test\n  openapi: openapi.yaml\n",
    )
    .unwrap();
    std::fs::write(content.join("openapi.yaml"), DESCRIPTION).unwrap();
    std::fs::write(content.join("samples/accounts.json"), sample).unwrap();
    std::fs::write(
        content.join("steps/01-accounts.md"),
        format!("---\ntitle: Accounts\nrequests:\n{requests}---\nThe accounts.\n"),
    )
    .unwrap();
    dir
}

pub(super) const GOOD_REQUESTS: &str = "  - id: list\n    title: List\n    path: /v2/accounts\n    query:\n      pageSize: 50\n    capture:\n      account_id: $.accounts[0].id\n    sample: accounts.json\n  - id: one\n    title: One\n    path: /v2/accounts/{{ account_id }}\n    sample: { id: a1, balance: 5 }\n";

/// `check` fails (exit 1) and says `needle`; everything it said.
pub(super) fn fails_with(dir: &Path, needle: &str) -> String {
    let (code, err) = check(dir);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains(needle), "{needle}\nnot in:\n{err}");
    err
}

/// Writes `requests` as the step's front matter again.
pub(super) fn rewrite(dir: &Path, requests: &str) {
    std::fs::write(
        dir.join("content/steps/01-accounts.md"),
        format!("---\ntitle: Accounts\nrequests:\n{requests}---\nThe accounts.\n"),
    )
    .unwrap();
}

pub(super) fn check(dir: &Path) -> (Option<i32>, String) {
    let out = common::stepdoc(dir, &["check"]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_walkthrough_that_fits_its_description_checks() {
    let good = SAMPLE.replace("\"lots\"", "7");
    let dir = walkthrough(&good, GOOD_REQUESTS);
    let (code, err) = check(dir.path());
    assert_eq!(code, Some(0), "{err}");
    // The server's path may be in the base URL instead of each request:
    // the URL's path is what is compared.
    let config = dir.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace("example.test\n", "example.test/v2\n")).unwrap();
    rewrite(dir.path(), &GOOD_REQUESTS.replace("path: /v2/", "path: /"));
    let (code, err) = check(dir.path());
    assert_eq!(code, Some(0), "{err}");
    rewrite(dir.path(), GOOD_REQUESTS);
    fails_with(dir.path(), "GET /v2/accounts is not an operation");
}

#[test]
fn a_sample_that_breaks_its_schema_is_reported_at_its_line_and_column() {
    let dir = walkthrough(SAMPLE, GOOD_REQUESTS);
    let (code, err) = check(dir.path());
    assert_eq!(code, Some(1), "{err}");
    // Line 4, column 30: the value "lots".
    assert!(err.contains("content/samples/accounts.json:4:30"), "{err}");
    assert!(err.contains("$.accounts.1.balance"), "{err}");
    assert!(err.contains("integer"), "{err}");
    assert!(
        err.contains("openapi.yaml#/components/schemas/Account/properties/balance/type"),
        "{err}"
    );
}

#[test]
fn an_undocumented_operation_names_the_closest() {
    let requests = GOOD_REQUESTS.replace("path: /v2/accounts\n", "path: /v2/acounts\n");
    let dir = walkthrough(&SAMPLE.replace("\"lots\"", "7"), &requests);
    let err = fails_with(dir.path(), "content/steps/01-accounts.md:6:5");
    assert!(
        err.contains("GET /v2/acounts is not an operation of content/openapi.yaml"),
        "{err}"
    );
    assert!(
        err.contains("the closest operation is GET /accounts"),
        "{err}"
    );
}

#[test]
fn a_missing_required_parameter_and_an_unknown_one_are_reported() {
    let requests = GOOD_REQUESTS.replace("      pageSize: 50\n", "      pagesize: 50\n");
    let dir = walkthrough(&SAMPLE.replace("\"lots\"", "7"), &requests);
    let err = fails_with(
        dir.path(),
        "the required query parameter `pageSize` is missing",
    );
    assert!(
        err.contains("query parameter `pagesize` is not a parameter"),
        "{err}"
    );
    assert!(err.contains("did you mean `pageSize`?"), "{err}");
    assert!(err.contains("content/steps/01-accounts.md:8:7"), "{err}");
}

#[test]
fn an_undocumented_status_is_reported() {
    let requests = GOOD_REQUESTS.replace(
        "    sample: { id: a1, balance: 5 }\n",
        "    status: 201\n    sample: { id: a1, balance: 5 }\n",
    );
    let dir = walkthrough(&SAMPLE.replace("\"lots\"", "7"), &requests);
    fails_with(
        dir.path(),
        "status 201 is not a documented response of GET /v2/accounts/{{ account_id }}",
    );
}

#[test]
fn a_json_body_is_checked_against_the_request_schema_placeholders_aside() {
    let requests = format!(
        "{GOOD_REQUESTS}  - id: create\n    title: Create\n    method: POST\n    path: /v2/accounts\n    json:\n      name: \"{{{{ account_id }}}}\"\n      limit: ten\n    status: 201\n    sample: \"\"\n"
    );
    let dir = walkthrough(&SAMPLE.replace("\"lots\"", "7"), &requests);
    let err = fails_with(dir.path(), "content/steps/01-accounts.md:22:7: request body $.limit: \"ten\" is not of type \"integer\"");
    assert!(err.contains("#/components/requestBodies/NewAccount/content/application~1json/schema/properties/limit/type"), "{err}");
    assert!(
        !err.contains("$.name"),
        "a placeholder stands for any value: {err}"
    );
    let fixed = requests.replace("limit: ten", "limit: 10");
    std::fs::write(
        dir.path().join("content/steps/01-accounts.md"),
        format!("---\ntitle: Accounts\nrequests:\n{fixed}---\nThe accounts.\n"),
    )
    .unwrap();
    assert_eq!(check(dir.path()).0, Some(0));
}

#[test]
fn another_base_is_checked_against_its_own_description() {
    let good = SAMPLE.replace("\"lots\"", "7");
    let token = "  - id: token\n    title: Token\n    method: POST\n    base: auth\n    path: /tokn\n    sample: { access_token: t }\n";
    let dir = walkthrough(&good, &format!("{token}{GOOD_REQUESTS}"));
    let content = dir.path().join("content");
    std::fs::write(
        content.join("site.yaml"),
        "title: Accounts\napi:\n  base_url: https://api.example.test\n  openapi: openapi.yaml\n  bases:\n    auth: { url: https://auth.example.test, openapi: auth.yaml }\n    plain: https://plain.example.test\n",
    )
    .unwrap();
    std::fs::write(
        content.join("auth.yaml"),
        "openapi: 3.1.0\ninfo: { title: Auth, version: \"1\" }\npaths:\n  /token:\n    post:\n      responses:\n        \"200\": { description: a token }\n",
    )
    .unwrap();
    let err = fails_with(
        dir.path(),
        "POST /tokn is not an operation of content/auth.yaml",
    );
    assert!(
        err.contains("the closest operation is POST /token"),
        "{err}"
    );
    let step = content.join("steps/01-accounts.md");
    let text = std::fs::read_to_string(&step).unwrap();
    std::fs::write(&step, text.replace("path: /tokn", "path: /token")).unwrap();
    let (code, err) = check(dir.path());
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn path_query_and_header_values_are_checked_against_their_schemas() {
    let dir = walkthrough(&SAMPLE.replace("\"lots\"", "7"), GOOD_REQUESTS);
    let with_params = DESCRIPTION.replace(
        "  /accounts/{accountId}:\n    get:\n      operationId: getAccount\n",
        "  /accounts/{accountId}:\n    parameters:\n      - { name: accountId, in: path, required: true, schema: { type: string, pattern: \"^a[0-9]+$\" } }\n    get:\n      operationId: getAccount\n      parameters:\n        - { name: X-Trace, in: header, required: true, schema: { type: string, maxLength: 8 } }\n",
    );
    std::fs::write(dir.path().join("content/openapi.yaml"), with_params).unwrap();
    let bad = GOOD_REQUESTS
        .replace("pageSize: 50", "pageSize: many")
        .replace("/v2/accounts/{{ account_id }}", "/v2/accounts/b7");
    rewrite(dir.path(), &bad);
    let (code, err) = check(dir.path());
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("content/steps/01-accounts.md:8:7: parameter `pageSize`: \"many\" is not of type \"integer\""),
        "a query value is read as the schema's type: {err}"
    );
    assert!(
        err.contains("parameter `accountId`: \"b7\" does not match \"^a[0-9]+$\""),
        "a literal path segment is a value of its parameter: {err}"
    );
    assert!(
        err.contains("the required header parameter `X-Trace` is missing"),
        "{err}"
    );
    assert!(
        err.contains("schema rule at content/openapi.yaml#/paths/~1accounts~1{accountId}/parameters/0/schema/pattern"),
        "{err}"
    );
    let good = GOOD_REQUESTS.replace(
        "    path: /v2/accounts/{{ account_id }}\n",
        "    path: /v2/accounts/{{ account_id }}\n    headers:\n      X-Trace: abc\n",
    );
    rewrite(dir.path(), &good);
    let (code, err) = check(dir.path());
    assert_eq!(code, Some(0), "{err}");
    rewrite(
        dir.path(),
        &good.replace("X-Trace: abc", "X-Trace: far-too-long"),
    );
    fails_with(
        dir.path(),
        "parameter `X-Trace`: \"far-too-long\" is longer than 8 characters",
    );
}

#[test]
fn a_form_body_is_checked_with_its_fields_read_as_the_schema_types() {
    let dir = walkthrough(&SAMPLE.replace("\"lots\"", "7"), GOOD_REQUESTS);
    let token = "  /token:\n    post:\n      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            schema:\n              type: object\n              required: [grant_type, client_id]\n              properties:\n                grant_type: { type: string, enum: [client_credentials] }\n                client_id: { type: string }\n                ttl: { type: integer }\n      responses:\n        \"200\": { description: a token }\ncomponents:\n";
    let description = DESCRIPTION.replace("components:\n", token);
    std::fs::write(dir.path().join("content/openapi.yaml"), description).unwrap();
    let form = "  - id: token\n    title: Token\n    method: POST\n    path: /v2/token\n    form:\n      grant_type: password\n      client_id: \"{{ account_id }}\"\n      ttl: 60\n    sample: { access_token: t }\n";
    rewrite(dir.path(), &format!("{GOOD_REQUESTS}{form}"));
    let err = fails_with(
        dir.path(),
        ":21:7: request body $.grant_type: \"password\" is not one of",
    );
    assert!(!err.contains("ttl"), "60 is an integer in a form: {err}");
    assert!(
        !err.contains("client_id"),
        "a placeholder stands for any value: {err}"
    );
    rewrite(
        dir.path(),
        &format!(
            "{GOOD_REQUESTS}{}",
            form.replace("password", "client_credentials")
        ),
    );
    let (code, err) = check(dir.path());
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn an_inline_sample_is_reported_at_the_key_that_breaks_the_schema() {
    let requests = GOOD_REQUESTS.replace(
        "    sample: { id: a1, balance: 5 }\n",
        "    sample:\n      id: a1\n      balance: five\n",
    );
    let dir = walkthrough(&SAMPLE.replace("\"lots\"", "7"), &requests);
    fails_with(
        dir.path(),
        "content/steps/01-accounts.md:17:16: $.balance: \"five\" is not of type \"integer\"",
    );
}

#[test]
fn the_generated_description_fits_the_walkthrough_it_was_made_from() {
    // The Tink walkthrough calls its OAuth token endpoint with two grants:
    // the generated operation must fit both (fields only one sends are
    // optional), and every shown response must fit its inferred schema.
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&repo.join("content"), &dir.path().join("content"));
    let site = dir.path().join("site");
    let out = common::stepdoc(dir.path(), &["build", "--output", site.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    std::fs::copy(
        site.join("downloads/walkthrough.openapi.yaml"),
        dir.path().join("content/openapi.yaml"),
    )
    .unwrap();
    let config = dir.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("\napi:\n"));
    std::fs::write(
        &config,
        text.replacen("\napi:\n", "\napi:\n  openapi: openapi.yaml\n", 1),
    )
    .unwrap();
    let (code, err) = check(dir.path());
    assert_eq!(code, Some(0), "{err}");
}

#[cfg(unix)]
#[test]
fn respect_runs_the_chain_on_the_providers_description() {
    // One operation without an `operationId`: its step calls it by
    // `operationPath`, and its path parameter goes by the provider's name
    // (`accountId`, where the walkthrough writes `{{ account_id }}`).
    let dir = walkthrough(&SAMPLE.replace("\"lots\"", "7"), GOOD_REQUESTS);
    std::fs::write(
        dir.path().join("content/openapi.yaml"),
        DESCRIPTION.replace("      operationId: getAccount\n", ""),
    )
    .unwrap();
    let out = common::stepdoc(dir.path(), &["build"]);
    assert!(out.status.success(), "{out:?}");
    let downloads = dir.path().join("output/downloads");
    let arazzo = std::fs::read_to_string(downloads.join("walkthrough.arazzo.yaml")).unwrap();
    assert!(
        arazzo.contains(
            "operationPath: \"{$sourceDescriptions.api.url}#/paths/~1accounts~1{accountId}/get\""
        ),
        "{arazzo}"
    );
    assert!(arazzo.contains("name: accountId"), "{arazzo}");
    assert!(
        arazzo.contains("operationId: $sourceDescriptions.api.listAccounts"),
        "{arazzo}"
    );
    assert_eq!(
        std::fs::read_to_string(downloads.join("openapi.yaml")).unwrap(),
        std::fs::read_to_string(dir.path().join("content/openapi.yaml")).unwrap(),
        "the provider's description is copied as written"
    );
    let mock = crate::mock::MockRun::start(dir.path());
    let line = mock.command("redocly");
    let run = std::process::Command::new("sh")
        .args(["-c", &line])
        .current_dir(dir.path())
        .env("PATH", crate::mock::path_with_runners())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "`{line}`:\n{said}");
    assert!(said.contains("Workflows: 1 passed"), "{said}");
    assert!(
        said.contains("schema check"),
        "Respect checked the answers against the provider's schemas:\n{said}"
    );
}

#[cfg(unix)]
#[test]
fn record_check_reports_a_live_answer_that_breaks_the_description() {
    // The live API (a mock of a walkthrough whose sample has a balance of
    // 100) against a walkthrough whose description allows at most 50.
    let live = walkthrough(&SAMPLE.replace("\"lots\"", "7"), GOOD_REQUESTS);
    let mock = crate::mock::MockRun::start(live.path());
    let dir = walkthrough(
        &SAMPLE.replace("\"lots\"", "7").replace("100", "10"),
        GOOD_REQUESTS,
    );
    let path = dir.path().join("content/openapi.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            "balance: { type: integer }",
            "balance: { type: integer, maximum: 50 }",
        ),
    )
    .unwrap();
    assert_eq!(check(dir.path()).0, Some(0), "the walkthrough itself fits");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stepdoc"))
        .args(["record", "--check", "--timeout", "20"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("STEPDOC_BASE_API", format!("{}/api", mock.url))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("accounts/list (against the OpenAPI description):"),
        "{err}"
    );
    assert!(
        err.contains("$.accounts.0.balance: 100 is greater than the maximum of 50 (schema rule at content/openapi.yaml#/components/schemas/Account/properties/balance/maximum)"),
        "{err}"
    );
    assert!(
        !std::fs::exists(dir.path().join("content/snapshots")).unwrap(),
        "--check writes nothing"
    );
}
