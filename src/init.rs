//! `stepdoc init DIR`: scaffolds a walkthrough that builds as it is, with a
//! GitHub Pages workflow that publishes it through stepdoc's GitHub Action.

use std::path::{Path, PathBuf};

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
# What requests authenticate with (`auth: app` on a request).
auth:
  app: { label: access token, bearer: app_token }
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

const INDEX: &str = r#"This walkthrough shows, call by call, how to use the Example API: first an
access token, then the calls that use it.

## Before you start

- An account with the API, and its **client id** and **client secret**. Keep
  them in environment variables, never in code:

  ```sh
  export EXAMPLE_CLIENT_ID='…'
  export EXAMPLE_CLIENT_SECRET='…'
  ```
"#;

/// The GitHub Pages workflow: build with the stepdoc action, deploy.
const PAGES_WORKFLOW: &str = r#"# Publishes the walkthrough to GitHub Pages on every push to main.
# Turn it on in the repository's Settings -> Pages: Source "GitHub Actions".
name: Publish to GitHub Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v6
      - name: Configure Pages
        id: pages
        uses: actions/configure-pages@v6
      - name: Build the walkthrough
        id: site
        uses: stepdoc/stepdoc@v0
        with:
          root: ROOT
          base-url: ${{ steps.pages.outputs.base_url }}/
      - name: Upload the site
        uses: actions/upload-pages-artifact@v5
        with:
          path: ${{ steps.site.outputs.site-dir }}

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Deploy
        id: deployment
        uses: actions/deploy-pages@v5
"#;

/// Where the Pages workflow goes, relative to the repository's root.
pub const WORKFLOW_PATH: &str = ".github/workflows/pages.yml";

/// What `init` did with the Pages workflow.
#[derive(Debug)]
pub enum Workflow {
    /// Written here (at the root of the repository the walkthrough is in).
    Written(PathBuf),
    /// A workflow was there already and was left as it is.
    Kept(PathBuf),
}

/// Creates the walkthrough in `dir`, refusing to overwrite an existing one,
/// and the Pages workflow where GitHub looks for it: at the root of the git
/// work tree that holds `dir` (else in `dir`), building the walkthrough's
/// folder. An existing workflow is left as it is.
pub fn init(dir: &Path) -> Result<Workflow> {
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
    write_file(&dir.join("content/index.md"), INDEX.as_bytes())?;
    write_file(&dir.join(".gitignore"), b"/output/\n")?;
    let (repository, root) = repository_of(dir);
    let workflow = repository.join(WORKFLOW_PATH);
    if workflow.exists() {
        return Ok(Workflow::Kept(workflow));
    }
    let text = PAGES_WORKFLOW.replace("ROOT", &yaml_word(&root));
    write_file(&workflow, text.as_bytes())?;
    Ok(Workflow::Written(workflow))
}

/// The root of the git work tree that holds `dir` (else `dir` itself), and
/// `dir` relative to it (`.` when they are the same), with `/` separators.
fn repository_of(dir: &Path) -> (PathBuf, String) {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let found = absolute.ancestors().find(|a| a.join(".git").exists());
    let Some(repository) = found else {
        let shown = if dir == Path::new(".") {
            PathBuf::new()
        } else {
            dir.to_path_buf()
        };
        return (shown, ".".to_owned());
    };
    let rel = absolute.strip_prefix(repository).unwrap_or(Path::new(""));
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let rel = if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    };
    // Shown from the current folder when it holds the repository.
    let here = std::env::current_dir().ok();
    let shown = here
        .and_then(|h| repository.strip_prefix(h).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| repository.to_path_buf());
    (shown, rel)
}

/// `s` as one YAML scalar, quoted where YAML needs it.
fn yaml_word(s: &str) -> String {
    serde_saphyr::to_string(&s)
        .map(|y| y.trim_end().to_owned())
        .unwrap_or_else(|_| format!("'{}'", s.replace('\'', "''")))
}
