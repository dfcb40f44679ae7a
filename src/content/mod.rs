//! The walkthrough model: `content/site.yaml`, the steps, their requests,
//! samples and snapshots, loaded and validated. This module knows nothing of
//! output: it only reads and checks.

pub(crate) mod capture;
pub mod chain;
pub mod config;
pub mod data;
mod data_checks;
pub mod localized;
mod locate;
pub(crate) mod openapi;
mod pointer_pos;
pub mod request;
pub(crate) mod resolve;
pub mod snapshot;
pub mod step;
pub mod translate;
mod validate;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use capture::ValueType;
pub use config::SiteConfig;
pub use request::{Capture, Interactive, Request, Scalar, Variable};
pub use snapshot::{Origin, Response, Snapshot};
pub use step::{ResolvedPayload, Step};
pub(crate) use validate::api_base;

use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::{source, yaml};

/// Folder names inside the walkthrough root.
pub const CONTENT_DIR: &str = "content";
/// Step files live here, inside `content/`.
pub const STEPS_DIR: &str = "steps";
/// Sample payloads, inside `content/`.
pub const SAMPLES_DIR: &str = "samples";
/// Recorded snapshots, inside `content/`.
pub const SNAPSHOTS_DIR: &str = "snapshots";

/// A loaded, validated walkthrough.
#[derive(Debug, Clone)]
pub struct Site {
    /// The walkthrough root (the folder holding `content/`).
    pub root: PathBuf,
    /// `site.yaml`.
    pub config: SiteConfig,
    /// Published steps, ordered by number (drafts left out).
    pub steps: Vec<Step>,
    /// File names of the drafts left out (`03-later.md`): links to them are warnings.
    pub drafts: Vec<String>,
    /// Markdown of `content/index.md`, shown on the index page.
    pub index: Option<IndexText>,
    /// Problems that do not stop a build (a request with nothing to show).
    pub warnings: Vec<Diagnostic>,
    /// The walkthrough in each language of `languages` after the first.
    pub locales: Vec<translate::Locale>,
    /// The provider's OpenAPI descriptions and which operation each
    /// request on a described base is.
    pub(crate) described: openapi::Described,
}

/// The optional `content/index.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexText {
    /// Relative path, for diagnostics.
    pub source: PathBuf,
    /// The Markdown.
    pub text: String,
}

impl Site {
    /// The walkthrough in the language of `locales[k]`: translated steps,
    /// and the default language's steps where a translation is missing
    /// (marked `untranslated`).
    pub fn localized(&self, k: usize) -> Site {
        let locale = &self.locales[k];
        let mut config = self.config.clone();
        config.set_language(&locale.lang);
        if let Some(t) = &locale.title {
            config.title = t.clone();
        }
        if let Some(d) = &locale.description {
            config.description = d.clone();
        }
        let steps = self
            .steps
            .iter()
            .zip(&locale.steps)
            .map(|(step, t)| {
                t.clone().unwrap_or_else(|| {
                    let mut s = step.clone();
                    s.untranslated = true;
                    s
                })
            })
            .collect();
        Site {
            root: self.root.clone(),
            config,
            steps,
            drafts: self.drafts.clone(),
            index: locale.index.clone().or_else(|| self.index.clone()),
            warnings: Vec::new(),
            locales: Vec::new(),
            described: self.described.clone(),
        }
    }

    /// Path of the snapshot for a request of a step.
    pub fn snapshot_path(root: &Path, step_slug: &str, request_id: &str) -> PathBuf {
        root.join(CONTENT_DIR)
            .join(SNAPSHOTS_DIR)
            .join(step_slug)
            .join(format!("{request_id}.json"))
    }
}

/// Whether draft steps are part of the loaded site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drafts {
    /// Left out, as `build` publishes the site.
    Leave,
    /// Kept and marked, as `serve` previews it.
    Show,
}

/// Step files parsed by an earlier load, kept by `serve`, which learns
/// from file events what changed: a file it holds is not read or parsed
/// again until [`StepCache::forget`] names it.
#[derive(Debug, Default)]
pub struct StepCache(rustc_hash::FxHashMap<PathBuf, Step>);

impl StepCache {
    /// Forgets `paths` (absolute, or relative to the root); an empty list
    /// forgets everything.
    pub fn forget(&mut self, root: &Path, paths: &[PathBuf]) {
        if paths.is_empty() {
            self.0.clear();
            return;
        }
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        for p in paths {
            self.0.remove(p.strip_prefix(&root).unwrap_or(p));
        }
    }

    /// Takes back the steps of a loaded site, so the next load need not read them.
    pub fn keep(&mut self, steps: Vec<Step>) {
        for step in steps {
            self.0.insert(step.source.clone(), step);
        }
    }

    /// The parsed steps of `files`, reading only those not held. The cache
    /// is empty afterwards: the load owns the steps until [`StepCache::keep`].
    fn parse(
        &mut self,
        root: &Path,
        files: &[PathBuf],
    ) -> Vec<std::result::Result<Step, Diagnostic>> {
        let held: Vec<Option<Step>> = files.iter().map(|rel| self.0.remove(rel)).collect();
        self.0.clear(); // steps whose files are gone
        held.into_par_iter()
            .zip(files.par_iter())
            .map(|(step, rel)| step.map_or_else(|| read_step(root, rel), Ok))
            .collect()
    }
}

fn read_step(root: &Path, rel: &Path) -> std::result::Result<Step, Diagnostic> {
    match source::read_text(root, rel, source::TEXT_LIMIT) {
        Ok(text) => step::parse(rel, text),
        Err(source::ReadError::Refused(d)) => Err(d),
        Err(source::ReadError::Missing) => {
            Err(Diagnostic::new(rel, "disappeared while it was read"))
        }
    }
}

/// Loads and validates the walkthrough under `root` as `build` publishes it.
pub fn load(root: &Path) -> Result<Site> {
    load_cached(root, Drafts::Leave, &mut StepCache::default())
}

/// Loads and validates the walkthrough under `root`, reporting every problem
/// found; step files that `cache` holds unchanged are not read again.
pub fn load_cached(root: &Path, drafts: Drafts, cache: &mut StepCache) -> Result<Site> {
    let mut diags = Diagnostics::default();
    let (site_rel, site_text, config) = read_config(root, &mut diags)?;
    let (files, translation_files): (Vec<PathBuf>, Vec<PathBuf>) =
        step_files(root, &mut diags).into_iter().partition(|f| {
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            translate::parse_file_name(name).is_none()
        });
    let translations = read_translations(root, &translation_files, &mut diags);
    let (mut steps, broken) = parse_steps(cache, root, &files, &mut diags);
    // A step that did not parse may define captures later steps use: their
    // "not defined" errors would only be echoes of its problem.
    let complete = diags.is_empty();
    let index = read_index(root, &Path::new(CONTENT_DIR).join("index.md"), &mut diags);
    let Some(config) = config else {
        return Err(Error::Content(diags));
    };
    reserved_slugs(&config, &steps, &mut diags);
    let mut index_translations = std::collections::BTreeMap::new();
    for lang in config.languages().iter().skip(1) {
        let rel = Path::new(CONTENT_DIR).join(format!("index.{lang}.md"));
        if let Some(text) = read_index(root, &rel, &mut diags) {
            index_translations.insert(lang.clone(), text);
        }
    }
    validate::check_site(root, &config, &mut steps, complete, &mut diags);
    let described = if complete {
        openapi::check(root, &config, &steps, &mut diags)
    } else {
        openapi::Described::default()
    };
    let translations = translations
        .into_iter()
        .filter(|t| !broken.contains(&(t.number, t.slug.clone())))
        .collect();
    let mut locales = translate::locales(
        &config.languages(),
        &steps,
        translations,
        index_translations,
        &mut diags.0,
    );
    translated_payloads(root, &mut locales, &steps, &mut diags);
    let draft_files: Vec<String> = steps
        .iter()
        .filter(|s| s.draft)
        .filter_map(|s| Some(s.source.file_name()?.to_str()?.to_owned()))
        .collect();
    let mut warnings = Vec::new();
    if drafts == Drafts::Leave {
        for locale in &mut locales {
            let mut i = 0;
            locale.steps.retain(|_| {
                i += 1;
                !steps[i - 1].draft
            });
        }
        steps.retain(|s| !s.draft);
        warnings.extend(validate::links_to_drafts(&steps, &draft_files));
    }
    warnings.extend(validate::warnings(&steps));
    warnings.extend(config.site_address_warning(&site_rel, &site_text));
    warnings.extend(translate::freshness_warnings(&locales));
    diags.into_result(Site {
        root: root.to_path_buf(),
        config,
        steps,
        drafts: draft_files,
        index,
        warnings,
        locales,
        described,
    })
}

/// `content/site.yaml`: its path, its text and the configuration (None
/// when it does not parse; its problems go to `diags`). A missing or
/// refused file is an error at once.
fn read_config(
    root: &Path,
    diags: &mut Diagnostics,
) -> Result<(PathBuf, String, Option<SiteConfig>)> {
    let site_rel = Path::new(CONTENT_DIR).join("site.yaml");
    let site_text = match source::read_text(root, &site_rel, source::TEXT_LIMIT) {
        Ok(t) => t,
        Err(source::ReadError::Missing) => {
            return Err(Error::Content(Diagnostics(vec![Diagnostic::new(
                &site_rel,
                "cannot read the site configuration: the file does not exist",
            )
            .hint(format!(
                "run `stepdoc init DIR` to create a walkthrough, or pass --root (looked in {})",
                root.display()
            ))])))
        }
        Err(source::ReadError::Refused(d)) => return Err(Error::Content(Diagnostics(vec![d]))),
    };
    let config = match yaml::parse::<SiteConfig>(&site_rel, &site_text, &site_text, 1) {
        Ok(mut c) => {
            diags.0.extend(c.problems(&site_rel, &site_text));
            let default = c.language().to_owned();
            c.choose_texts(&default);
            Some(c)
        }
        Err(d) => {
            diags.push(d);
            None
        }
    };
    Ok((site_rel, site_text, config))
}

/// The translation files, parsed side by side; their problems go to `diags`.
fn read_translations(
    root: &Path,
    files: &[PathBuf],
    diags: &mut Diagnostics,
) -> Vec<translate::Translation> {
    files
        .par_iter()
        .map(
            |rel| match source::read_text(root, rel, source::TEXT_LIMIT) {
                Ok(text) => translate::parse(rel, text),
                Err(source::ReadError::Refused(d)) => Err(d),
                Err(source::ReadError::Missing) => {
                    Err(Diagnostic::new(rel, "disappeared while it was read"))
                }
            },
        )
        .collect::<Vec<_>>()
        .into_iter()
        .filter_map(|r| r.map_err(|d| diags.push(d)).ok())
        .collect()
}

/// The steps that parse, in order, and the (number, slug) of those that do
/// not (whose problems go to `diags`): their translations are not reported
/// as translating a step that does not exist.
fn parse_steps(
    cache: &mut StepCache,
    root: &Path,
    files: &[PathBuf],
    diags: &mut Diagnostics,
) -> (Vec<Step>, Vec<(u32, String)>) {
    let mut steps = Vec::new();
    let mut broken = Vec::new();
    for r in cache.parse(root, files) {
        match r {
            Ok(s) => steps.push(s),
            Err(d) => {
                let name = d
                    .file
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default();
                broken.extend(step::parse_file_name(name).map(|(n, slug, _)| (n, slug)));
                diags.push(d);
            }
        }
    }
    steps.sort_by_key(|s| s.number);
    (steps, broken)
}

/// An index page's text, if the file exists (a refused one goes to `diags`).
fn read_index(root: &Path, rel: &Path, diags: &mut Diagnostics) -> Option<IndexText> {
    match source::read_text(root, rel, source::TEXT_LIMIT) {
        Ok(text) => Some(IndexText {
            source: rel.to_path_buf(),
            text,
        }),
        Err(source::ReadError::Missing) => None,
        Err(source::ReadError::Refused(d)) => {
            diags.push(d);
            None
        }
    }
}

/// A translation may name its own payload files: those (only) are read.
fn translated_payloads(
    root: &Path,
    locales: &mut [translate::Locale],
    steps: &[Step],
    diags: &mut Diagnostics,
) {
    for locale in locales {
        for (step, original) in locale.steps.iter_mut().zip(steps) {
            let Some(step) = step else { continue };
            let own_files = step
                .payloads
                .iter()
                .zip(&original.payloads)
                .any(|(t, o)| t.def.file != o.def.file);
            if own_files {
                resolve::resolve_payloads(root, step, diags);
            }
        }
    }
}

/// The step files under `content/steps/` (paths relative to `root`), sorted
/// by name; a missing folder, or a file in its place, is a problem.
fn step_files(root: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let rel_dir = Path::new(CONTENT_DIR).join(STEPS_DIR);
    let dir = root.join(&rel_dir);
    match std::fs::metadata(&dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            diags.push(
                Diagnostic::new(&rel_dir, "is not a directory: steps live in content/steps/")
                    .hint("move this file away and create the folder content/steps/ with one file per step"),
            );
            return Vec::new();
        }
        Err(_) => {
            diags.push(
                Diagnostic::new(
                    &rel_dir,
                    "does not exist: a walkthrough needs at least one step",
                )
                .hint("create content/steps/01-start.md (run `stepdoc init DIR` for an example)"),
            );
            return Vec::new();
        }
    }
    if let Err(d) = source::inside_root(root, &dir) {
        diags.push(d.with_file(&rel_dir));
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
    {
        match entry {
            // Symlinks are read like files: `source` refuses those that lead outside.
            Ok(e) if !e.file_type().is_dir() && !is_ignored(e.path()) => {
                files.push(rel_dir.join(e.file_name()))
            }
            Ok(e) if looks_like_step(e.path()) => diags.push(
                Diagnostic::new(rel_dir.join(e.file_name()), "is a directory, named like a step file")
                    .hint("a step is one file (NN-slug.md or NN-slug.yaml): rename the folder or move it out of content/steps/"),
            ),
            Ok(_) => {}
            Err(e) => diags.push(Diagnostic::new(&rel_dir, e.to_string())),
        }
    }
    files
}

/// A name ending in `.md`, `.yaml` or `.yml`.
fn looks_like_step(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "yaml" | "yml")
    ) && !is_ignored(path)
}

/// Steps whose page would land where the site keeps something else: a
/// language's home (`/en/`), `static/` or `downloads/`.
fn reserved_slugs(config: &SiteConfig, steps: &[Step], diags: &mut Diagnostics) {
    for step in steps {
        let why = if config.languages.contains(&step.slug) {
            Some("the home page of that language lives there")
        } else if ["static", "downloads"].contains(&step.slug.as_str()) {
            Some("the site's files live there")
        } else {
            None
        };
        if let Some(why) = why {
            diags.push(
                Diagnostic::new(
                    &step.source,
                    format!("the step's page `{}/` is reserved: {why}", step.slug),
                )
                .hint(format!(
                    "rename the file, e.g. to NN-about-{}.md",
                    step.slug
                ))
                .hint("reserved: static, downloads and each code under `languages`"),
            );
        }
    }
}

/// Editor backups and hidden files are not steps.
fn is_ignored(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".bak")
}
