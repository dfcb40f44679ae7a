//! One step file (`NN-slug.md` with YAML front matter, or `NN-slug.yaml`
//! with the Markdown in `body`) and its parsed form.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::request::{Prose, Request};
use super::snapshot::Response;
use super::yaml;
use crate::error::Diagnostic;

/// Extra code or JSON shown on a step page (a webhook event, receiver code).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payload {
    /// Lets the Markdown place it with `{{#payload id}}`.
    #[serde(default)]
    pub id: Option<String>,
    /// Block title.
    pub title: String,
    /// Short Markdown text under the title.
    #[serde(default)]
    pub description: Option<super::request::Prose>,
    /// Highlighting language (from the file extension when omitted).
    #[serde(default)]
    pub lang: Option<String>,
    /// A file under `content/samples/`.
    #[serde(default)]
    pub file: Option<String>,
    /// The code itself.
    #[serde(default)]
    pub content: Option<String>,
    /// A JSON value written as YAML.
    #[serde(default)]
    pub json: Option<serde_json::Value>,
}

/// A payload with its text loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedPayload {
    /// The definition.
    pub def: Payload,
    /// Language used for highlighting.
    pub lang: String,
    /// The text shown.
    pub code: String,
}

/// The keys a step's front matter may have.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    #[serde(default)]
    nav: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    requests: Vec<serde_saphyr::Spanned<Request>>,
    #[serde(default)]
    payloads: Vec<Payload>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    body: Option<String>,
}

/// One step of the walkthrough.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// `NN` from the file name: the order.
    pub number: u32,
    /// Page name: the file name without `NN-` and the extension.
    pub slug: String,
    /// The file, relative to the walkthrough root.
    pub source: PathBuf,
    /// The whole file, for diagnostics.
    pub text: String,
    /// Page title.
    pub title: String,
    /// Short label for the stepper.
    pub nav: String,
    /// One-line summary (index page, meta description).
    pub summary: String,
    /// Requests, in order.
    pub requests: Vec<Request>,
    /// The response shown for each request (snapshot or sample), aligned with `requests`.
    pub responses: Vec<Option<Response>>,
    /// Extra payload blocks.
    pub payloads: Vec<ResolvedPayload>,
    /// Drafts are checked but not published.
    pub draft: bool,
    /// Shown in a language it is not written in (no translation yet).
    pub untranslated: bool,
    /// For a translation: whether it is up to date with its original.
    pub freshness: super::translate::Freshness,
    /// Markdown body (kept once: a .md step's body is the end of its text).
    body: BodyText,
    /// Line of the file where the body starts.
    pub body_line: usize,
}

/// Where a step's Markdown is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum BodyText {
    /// The text from this byte offset on (a .md step).
    Tail(usize),
    /// The `body` value of a .yaml step.
    Owned(String),
}

impl Step {
    /// Takes its text from another file (a translation).
    pub(crate) fn set_text(
        &mut self,
        source: PathBuf,
        text: String,
        body: BodyText,
        body_line: usize,
    ) {
        self.source = source;
        self.text = text;
        self.body = body;
        self.body_line = body_line;
    }

    /// The Markdown body.
    pub fn body(&self) -> &str {
        match &self.body {
            BodyText::Tail(offset) => self.text.get(*offset..).unwrap_or(""),
            BodyText::Owned(s) => s,
        }
    }
}

/// `NN-slug.md` -> (NN, slug, is_markdown), or `None` when the name does not fit.
pub fn parse_file_name(name: &str) -> Option<(u32, String, bool)> {
    let (stem, markdown) = if let Some(s) = name.strip_suffix(".md") {
        (s, true)
    } else if let Some(s) = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
    {
        (s, false)
    } else {
        return None;
    };
    let (num, slug) = stem.split_once('-')?;
    if num.is_empty() || !num.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let valid_slug = !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if !valid_slug {
        return None;
    }
    Some((num.parse().ok()?, slug.to_owned(), markdown))
}

/// Parses one step file. `rel` is its path relative to the root.
pub fn parse(rel: &Path, text: String) -> Result<Step, Diagnostic> {
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let (number, slug, markdown) = parse_file_name(name).ok_or_else(|| {
        Diagnostic::new(rel, "a step file is named NN-slug.md or NN-slug.yaml")
            .hint("rename it, e.g. `03-connect-bank.md` (lowercase letters, digits and dashes in the slug)")
    })?;
    let (mut fm, body, body_line, first_line) = if markdown {
        let (yaml_text, body, body_line) = split_front_matter(rel, &text)?;
        let fm: FrontMatter = yaml::parse(rel, &text, yaml_text, 2)?;
        if fm.body.is_some() {
            return Err(Diagnostic::new(rel, "`body` is only for .yaml steps; in a .md step the Markdown follows the front matter")
                .at_text(&text, "body:"));
        }
        (fm, BodyText::Tail(text.len() - body.len()), body_line, 2)
    } else {
        let fm: FrontMatter = yaml::parse(rel, &text, &text, 1)?;
        let body_line = super::super::error::locate(&text, "body:").map_or(1, |(l, _)| l + 1);
        let body = BodyText::Owned(fm.body.clone().unwrap_or_default());
        (fm, body, body_line, 1)
    };
    let requests: Vec<Request> = std::mem::take(&mut fm.requests)
        .into_iter()
        .map(|spanned| {
            let mut req = Request {
                line: spanned.referenced.line() as usize + first_line - 1,
                ..spanned.value
            };
            Prose::offset(&mut req.description, first_line);
            req
        })
        .collect();
    for p in &mut fm.payloads {
        Prose::offset(&mut p.description, first_line);
    }
    let nav = fm.nav.clone().unwrap_or_else(|| fm.title.clone());
    Ok(Step {
        number,
        slug,
        source: rel.to_path_buf(),
        title: fm.title,
        nav,
        summary: fm.summary.unwrap_or_default(),
        responses: vec![None; requests.len()],
        requests,
        payloads: fm
            .payloads
            .into_iter()
            .map(|def| ResolvedPayload {
                lang: String::new(),
                code: String::new(),
                def,
            })
            .collect(),
        draft: fm.draft,
        untranslated: false,
        freshness: super::translate::Freshness::Current,
        body,
        body_line,
        text,
    })
}

/// Splits `---\nyaml\n---\nbody` into (yaml, body, first line of body).
pub(crate) fn split_front_matter<'a>(
    rel: &Path,
    text: &'a str,
) -> Result<(&'a str, &'a str, usize), Diagnostic> {
    let missing = || {
        Diagnostic::new(
            rel,
            "a step starts with YAML front matter between `---` lines",
        )
        .at(text, 1, 1)
        .hint("begin the file with `---`, then `title: ...`, then `---`")
    };
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
        .ok_or_else(missing)?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_line = yaml.matches('\n').count() + 3;
            return Ok((yaml, body, body_line));
        }
        offset += line.len();
    }
    Err(Diagnostic::new(rel, "the front matter is not closed: no second `---` line").at(text, 1, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert_eq!(
            parse_file_name("01-auth.md"),
            Some((1, "auth".into(), true))
        );
        assert_eq!(
            parse_file_name("12-opret-bruger.yaml"),
            Some((12, "opret-bruger".into(), false))
        );
        assert_eq!(parse_file_name("auth.md"), None);
        assert_eq!(parse_file_name("01-Auth.md"), None);
        assert_eq!(parse_file_name("01-auth.txt"), None);
    }

    #[test]
    fn front_matter_and_body_line() {
        let text = "---\ntitle: Auth\n---\n# Hello\n".to_string();
        let step = parse(Path::new("content/steps/01-auth.md"), text).unwrap();
        assert_eq!(step.title, "Auth");
        assert_eq!(step.nav, "Auth");
        assert_eq!(step.body(), "# Hello\n");
        assert_eq!(step.body_line, 4);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = parse(Path::new("01-a.md"), "---\ntitle: A\n".into()).unwrap_err();
        assert!(err.message.contains("not closed"));
    }
}
