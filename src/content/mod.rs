//! The walkthrough model: `content/site.yaml`, the steps, their requests,
//! samples and snapshots, loaded and validated. This module knows nothing of
//! output: it only reads and checks.

pub mod call;
pub mod config;
pub mod request;
pub mod snapshot;
pub mod step;
mod validate;
pub mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use config::SiteConfig;
pub use request::{Auth, Capture, Interactive, Request, Scalar};
pub use snapshot::{Origin, Response, Snapshot};
pub use step::{ResolvedPayload, Step};

use crate::error::{Diagnostic, Diagnostics, Error, Result};

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
    /// Markdown of `content/index.md`, shown on the index page.
    pub index: Option<IndexText>,
    /// Problems that do not stop a build (a request with nothing to show).
    pub warnings: Vec<Diagnostic>,
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
    /// Path of the snapshot for a request of a step.
    pub fn snapshot_path(root: &Path, step_slug: &str, request_id: &str) -> PathBuf {
        root.join(CONTENT_DIR)
            .join(SNAPSHOTS_DIR)
            .join(step_slug)
            .join(format!("{request_id}.json"))
    }
}

/// Loads and validates the walkthrough under `root`, reporting every problem found.
pub fn load(root: &Path) -> Result<Site> {
    let content = root.join(CONTENT_DIR);
    let site_rel = Path::new(CONTENT_DIR).join("site.yaml");
    let site_text = std::fs::read_to_string(root.join(&site_rel)).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::NotFound {
            format!(
                "run `stepdoc init DIR` to create a walkthrough, or pass --root (looked in {})",
                root.display()
            )
        } else {
            e.to_string()
        };
        Error::Content(Diagnostics(vec![Diagnostic::new(
            &site_rel,
            "cannot read the site configuration",
        )
        .hint(hint)]))
    })?;
    let mut diags = Diagnostics::default();
    let config = match yaml::parse::<SiteConfig>(&site_rel, &site_text, &site_text, 1) {
        Ok(c) => Some(c),
        Err(d) => {
            diags.push(d);
            None
        }
    };

    let steps_dir = content.join(STEPS_DIR);
    let mut files: Vec<PathBuf> = Vec::new();
    if steps_dir.is_dir() {
        for entry in walkdir::WalkDir::new(&steps_dir)
            .min_depth(1)
            .max_depth(1)
            .sort_by_file_name()
        {
            match entry {
                Ok(e) if e.file_type().is_file() => files.push(e.into_path()),
                Ok(_) => {}
                Err(e) => diags.push(Diagnostic::new(
                    Path::new(CONTENT_DIR).join(STEPS_DIR),
                    e.to_string(),
                )),
            }
        }
    }
    let parsed: Vec<std::result::Result<Step, Diagnostic>> = files
        .par_iter()
        .filter(|p| !is_ignored(p))
        .map(|path| {
            let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
            let text =
                std::fs::read_to_string(path).map_err(|e| Diagnostic::new(&rel, e.to_string()))?;
            step::parse(&rel, text)
        })
        .collect();
    let mut steps = Vec::new();
    for r in parsed {
        match r {
            Ok(s) => steps.push(s),
            Err(d) => diags.push(d),
        }
    }
    steps.sort_by_key(|s| s.number);

    let index_rel = Path::new(CONTENT_DIR).join("index.md");
    let index = std::fs::read_to_string(root.join(&index_rel))
        .ok()
        .map(|text| IndexText {
            source: index_rel,
            text,
        });

    let Some(config) = config else {
        return Err(Error::Content(diags));
    };
    validate::check_site(root, &config, &mut steps, &mut diags);
    steps.retain(|s| !s.draft);
    let warnings = validate::warnings(&steps);
    diags.into_result(Site {
        root: root.to_path_buf(),
        config,
        steps,
        index,
        warnings,
    })
}

/// Editor backups and hidden files are not steps.
fn is_ignored(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".bak")
}
