//! `stepdoc init DIR`: scaffolds a walkthrough that builds as it is.

use std::path::Path;

use crate::error::{Error, Problem, Result};
use crate::files::write_file;

const SITE: &str = r#"title: My API walkthrough
description: A step-by-step guide to the Example API.
language: en
base_url: /
api:
  base_url: https://api.example.com
variables:
  market: DK
secrets:
  client_id: EXAMPLE_CLIENT_ID
  client_secret: EXAMPLE_CLIENT_SECRET
"#;

const STEP: &str = r#"---
title: Get a token
nav: Token
summary: Exchange your client credentials for an access token.
requests:
  - id: token
    title: Client-credentials token
    method: POST
    path: /oauth/token
    form:
      client_id: "{{ client_id }}"
      client_secret: "{{ client_secret }}"
      grant_type: client_credentials
    capture:
      app_token: { path: $.access_token, secret: true }
    sample: token.json
---
Every call to the API needs an access token. Set your credentials in the
environment, then run:

{{#request token}}

The token is valid for `expires_in` seconds.
"#;

const SAMPLE: &str = r#"{
  "access_token": "SAMPLE_TOKEN",
  "expires_in": 1800,
  "token_type": "bearer"
}
"#;

/// Creates the walkthrough in `dir`, refusing to overwrite an existing one.
pub fn init(dir: &Path) -> Result<()> {
    if dir.join("content").exists() {
        return Err(Error::Usage(
            Problem::new(format!(
                "{} already holds a walkthrough (content/ exists); nothing was changed",
                dir.display()
            ))
            .hint("choose a new folder, e.g. `stepdoc init my-walkthrough`"),
        ));
    }
    write_file(&dir.join("content/site.yaml"), SITE.as_bytes())?;
    write_file(&dir.join("content/steps/01-token.md"), STEP.as_bytes())?;
    write_file(&dir.join("content/samples/token.json"), SAMPLE.as_bytes())?;
    write_file(&dir.join(".gitignore"), b"/output/\n")?;
    Ok(())
}
