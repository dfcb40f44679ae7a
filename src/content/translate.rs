//! Translations of a walkthrough: `NN-slug.LANG.md` (or `.LANG.yaml`) beside
//! a step holds its prose and titles in another language of `languages` in
//! site.yaml, and nothing else: requests are defined once, in the default
//! language's file. `content/index.LANG.md` translates the index text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::request::Prose;
use super::step::{self, Step};
use super::{yaml, IndexText};
use crate::error::Diagnostic;

/// A request's words in another language.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestWords {
    /// The request it translates.
    pub id: String,
    /// Card title.
    #[serde(default)]
    pub title: Option<String>,
    /// Card text.
    #[serde(default)]
    pub description: Option<Prose>,
}

/// What a translation may hold: prose and titles only.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Words {
    title: String,
    #[serde(default)]
    nav: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    requests: Vec<RequestWords>,
    #[serde(default)]
    payloads: Vec<PayloadWords>,
    #[serde(default)]
    body: Option<String>,
    /// The [`prose_hash`] of the original when this was last brought up to date.
    #[serde(default)]
    translates: Option<String>,
}

/// Whether a translation is up to date with the step it translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Freshness {
    /// Its `translates:` is the original's [`prose_hash`] (or it is no translation).
    #[default]
    Current,
    /// The original's words changed after the translation was written.
    Stale,
    /// It has no `translates:`, so nobody knows.
    Unmarked,
}

/// What a translation translates, as a short hash: the original's title,
/// nav, summary, text, and the titles and descriptions of its requests and
/// payloads, each with its whitespace collapsed (so reflowing a paragraph
/// changes nothing), not the request definitions, which translations do
/// not hold. FNV-1a, whose output never changes between versions.
pub fn prose_hash(step: &Step) -> String {
    use std::hash::Hasher;
    let mut h = fnv::FnvHasher::default();
    for part in prose_parts(step) {
        for (i, word) in part.split_whitespace().enumerate() {
            if i > 0 {
                h.write_u8(b' ');
            }
            h.write(word.as_bytes());
        }
        h.write_u8(0xff);
    }
    format!("{:016x}", h.finish())
}

/// The words of a step that translations translate, in order.
pub fn prose_parts(step: &Step) -> Vec<&str> {
    let mut parts = vec![step.title.as_str(), &step.nav, &step.summary, step.body()];
    for r in &step.requests {
        parts.push(&r.title);
        parts.push(r.description.as_deref().unwrap_or(""));
    }
    for p in &step.payloads {
        parts.push(&p.def.title);
        parts.push(p.def.description.as_deref().unwrap_or(""));
    }
    parts
}

/// A payload's words in another language, and optionally its own file
/// (code whose comments are in that language).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct PayloadWords {
    id: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<Prose>,
    #[serde(default)]
    file: Option<String>,
}

/// One translation file, parsed.
#[derive(Debug, Clone)]
pub struct Translation {
    /// The language (`en`).
    pub lang: String,
    /// The step it translates, by number and slug.
    pub number: u32,
    /// The slug of the step it translates.
    pub slug: String,
    /// The file, relative to the root.
    pub source: PathBuf,
    text: String,
    words: Words,
    /// Offset of the Markdown body in `text` (.md), or `None` (.yaml: `body`).
    body_at: Option<usize>,
    body_line: usize,
}

/// The walkthrough in one language other than the default.
#[derive(Debug, Clone, Default)]
pub struct Locale {
    /// The language.
    pub lang: String,
    /// Each step in this language, aligned with the site's steps; `None`
    /// where the step has no translation (it is shown in the default language).
    pub steps: Vec<Option<Step>>,
    /// `content/index.LANG.md`, if there is one (its front matter removed).
    pub index: Option<IndexText>,
    /// The site's title and description in this language, from the
    /// optional front matter of `content/index.LANG.md`.
    pub title: Option<String>,
    /// See `title`.
    pub description: Option<String>,
}

/// The optional front matter of `content/index.LANG.md`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexWords {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

/// An index translation: its words and its Markdown.
fn index_words(index: IndexText) -> Result<(IndexWords, IndexText), Diagnostic> {
    if !index.text.starts_with("---") {
        return Ok((IndexWords::default(), index));
    }
    let (yaml_text, body, _) = step::split_front_matter(&index.source, &index.text)?;
    let words: IndexWords = yaml::parse(&index.source, &index.text, yaml_text, 2).map_err(|d| {
        d.hint("the front matter of a translated index holds `title` and `description` only")
    })?;
    let text = body.to_owned();
    Ok((
        words,
        IndexText {
            source: index.source,
            text,
        },
    ))
}

/// `NN-slug.LANG.md` -> (NN, slug, LANG, is_markdown), when the name fits.
pub fn parse_file_name(name: &str) -> Option<(u32, String, String, bool)> {
    let (stem, ext) = name.rsplit_once('.')?;
    let (base, lang) = stem.rsplit_once('.')?;
    if !is_language_tag(lang) {
        return None;
    }
    let (number, slug, markdown) = step::parse_file_name(&format!("{base}.{ext}"))?;
    Some((number, slug, lang.to_owned(), markdown))
}

/// `en`, `da`, `pt-BR`: a short language tag.
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Parses a translation file named `NN-slug.LANG.md|yaml`.
pub fn parse(rel: &Path, text: String) -> Result<Translation, Diagnostic> {
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let Some((number, slug, lang, markdown)) = parse_file_name(name) else {
        return Err(Diagnostic::new(
            rel,
            "a translation is named NN-slug.LANG.md or NN-slug.LANG.yaml",
        ));
    };
    let refuse = |d: Diagnostic| {
        if yaml::unknown_field(&d.message).is_some() {
            d.hint("a translation holds only title, nav, summary, requests (id, title, description), payloads (id, title, description, file) and the text; requests are defined once, in the default language's file")
        } else {
            d
        }
    };
    let (mut words, body_at, body_line, first_line) = if markdown {
        let (yaml_text, body, body_line) = step::split_front_matter(rel, &text)?;
        let words: Words = yaml::parse(rel, &text, yaml_text, 2).map_err(refuse)?;
        (words, Some(text.len() - body.len()), body_line, 2)
    } else {
        let words: Words = yaml::parse(rel, &text, &text, 1).map_err(refuse)?;
        let line = crate::error::locate(&text, "body:").map_or(1, |(l, _)| l + 1);
        (words, None, line, 1)
    };
    for d in words.requests.iter_mut().map(|w| &mut w.description) {
        Prose::offset(d, first_line);
    }
    for d in words.payloads.iter_mut().map(|w| &mut w.description) {
        Prose::offset(d, first_line);
    }
    Ok(Translation {
        lang,
        number,
        slug,
        source: rel.to_path_buf(),
        text,
        words,
        body_at,
        body_line,
    })
}

impl Translation {
    /// The hash this translation says it translates (`translates:`).
    pub fn translates(&self) -> Option<&str> {
        self.words.translates.as_deref()
    }

    /// Whether this translation is up to date with `original`.
    pub fn freshness(&self, original: &Step) -> Freshness {
        match self.translates() {
            None => Freshness::Unmarked,
            Some(h) if h == prose_hash(original) => Freshness::Current,
            Some(_) => Freshness::Stale,
        }
    }

    /// `step` in this translation's language: its words, the requests,
    /// responses and payload code of `step`.
    pub fn apply(&self, step: &Step) -> Result<Step, Diagnostic> {
        let mut out = step.clone();
        out.freshness = self.freshness(step);
        let body = match self.body_at {
            Some(at) => step::BodyText::Tail(at),
            None => step::BodyText::Owned(self.words.body.clone().unwrap_or_default()),
        };
        out.set_text(self.source.clone(), self.text.clone(), body, self.body_line);
        // A description left in the default language is checked there;
        // its lines are not this file's.
        let untranslated = out.requests.iter_mut().map(|r| &mut r.description);
        let untranslated =
            untranslated.chain(out.payloads.iter_mut().map(|p| &mut p.def.description));
        for d in untranslated.flatten() {
            d.line = 0;
        }
        out.title = self.words.title.clone();
        out.nav = self.words.nav.clone().unwrap_or_else(|| out.title.clone());
        if let Some(s) = &self.words.summary {
            out.summary = s.clone();
        }
        for w in &self.words.requests {
            let Some(req) = out.requests.iter_mut().find(|r| r.id == w.id) else {
                return Err(self.unknown(
                    "request",
                    &w.id,
                    step.requests.iter().map(|r| r.id.as_str()),
                ));
            };
            if let Some(t) = &w.title {
                req.title = t.clone();
            }
            if w.description.is_some() {
                req.description = w.description.clone();
            }
        }
        for w in &self.words.payloads {
            let Some(p) = out
                .payloads
                .iter_mut()
                .find(|p| p.def.id.as_deref() == Some(&w.id))
            else {
                return Err(self.unknown(
                    "payload",
                    &w.id,
                    step.payloads.iter().filter_map(|p| p.def.id.as_deref()),
                ));
            };
            if let Some(t) = &w.title {
                p.def.title = t.clone();
            }
            if w.description.is_some() {
                p.def.description = w.description.clone();
            }
            if let Some(f) = &w.file {
                // Read with the translation's other payloads (see `content::load`).
                p.def.file = Some(f.clone());
                p.def.content = None;
                p.def.json = None;
            }
        }
        Ok(out)
    }

    fn unknown<'a>(
        &self,
        what: &str,
        id: &str,
        known: impl Iterator<Item = &'a str>,
    ) -> Diagnostic {
        let known: Vec<&str> = known.collect();
        Diagnostic::new(
            &self.source,
            format!(
                "`{id}` is not a {what} of step {:02}-{}",
                self.number, self.slug
            ),
        )
        .at_key(&self.text, id)
        .hint(
            match crate::error::did_you_mean(id, known.iter().copied()) {
                Some(b) => format!("did you mean `{b}`?"),
                None => format!("its {what}s: {}", known.join(", ")),
            },
        )
    }
}

/// A warning for each translation that is stale or does not say what it
/// translates.
pub fn freshness_warnings(locales: &[Locale]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for step in locales.iter().flat_map(|l| l.steps.iter().flatten()) {
        let mark = format!(
            "`stepdoc translations --mark-current {}` records that it does",
            step.slug
        );
        match step.freshness {
            Freshness::Current => {}
            Freshness::Stale => out.push(
                Diagnostic::new(
                    &step.source,
                    format!(
                        "stale translation: the original of step `{}` changed after this was translated",
                        step.slug
                    ),
                )
                .at_key(&step.text, "translates")
                .hint(format!(
                    "`stepdoc translations` shows what changed; bring the text up to date, then {mark}"
                )),
            ),
            Freshness::Unmarked => out.push(
                Diagnostic::new(
                    &step.source,
                    format!(
                        "this translation does not say which version of step `{}` it translates",
                        step.slug
                    ),
                )
                .hint(format!("once it matches the original, {mark}")),
            ),
        }
    }
    out
}

/// The locales of `languages` beyond the first, from the translation files
/// and index translations; every problem is pushed to `diags`.
pub fn locales(
    languages: &[String],
    steps: &[Step],
    translations: Vec<Translation>,
    indexes: BTreeMap<String, IndexText>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Locale> {
    let mut out: Vec<Locale> = languages
        .iter()
        .skip(1)
        .map(|lang| {
            let (words, index) = match indexes.get(lang).cloned().map(index_words) {
                Some(Ok((w, i))) => (w, Some(i)),
                Some(Err(d)) => {
                    diags.push(d);
                    (IndexWords::default(), None)
                }
                None => (IndexWords::default(), None),
            };
            Locale {
                lang: lang.clone(),
                steps: vec![None; steps.len()],
                index,
                title: words.title,
                description: words.description,
            }
        })
        .collect();
    for t in translations {
        let Some(locale) = out.iter_mut().find(|l| l.lang == t.lang) else {
            let hint = if languages.first() == Some(&t.lang) {
                format!(
                    "`{}` is the default language: its text is in the step's own file",
                    t.lang
                )
            } else {
                format!(
                    "add `{}` to `languages` in content/site.yaml (now: [{}])",
                    t.lang,
                    languages.join(", ")
                )
            };
            diags.push(
                Diagnostic::new(
                    &t.source,
                    format!(
                        "a translation into `{}`, which site.yaml does not list under `languages`",
                        t.lang
                    ),
                )
                .hint(hint),
            );
            continue;
        };
        let Some(i) = steps
            .iter()
            .position(|s| s.number == t.number && s.slug == t.slug)
        else {
            diags.push(
                Diagnostic::new(
                    &t.source,
                    format!(
                        "translates step {:02}-{}, which does not exist",
                        t.number, t.slug
                    ),
                )
                .hint("name it like the step it translates: NN-slug.LANG.md beside NN-slug.md"),
            );
            continue;
        };
        match t.apply(&steps[i]) {
            Ok(step) => locale.steps[i] = Some(step),
            Err(d) => diags.push(d),
        }
    }
    out
}
