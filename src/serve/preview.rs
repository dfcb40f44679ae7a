//! The preview site held in memory, and the rebuilder that keeps it
//! current: after a change it re-renders only the pages the change touches
//! (one step, the index, or everything for theme and navigation changes).
//! A failed rebuild keeps the last good pages and records the error, which
//! the server shows in place of the page until the next good rebuild.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::content::Site;
use crate::error::{Error, Problem, Result};
use crate::pipeline::{self, Pages, Sink};
use crate::render::highlight::Highlighter;
use crate::render::templates::Theme;

/// The files of the preview and the state browsers follow.
#[derive(Debug, Default)]
pub struct Files {
    /// Site-relative path -> bytes.
    pub pages: HashMap<String, Vec<u8>>,
    /// The last rebuild's error, shown instead of pages while set.
    pub error: Option<String>,
    /// Bumped after every rebuild, good or bad; browsers reload on change.
    pub version: u64,
}

/// SiteFiles files: site-relative path and bytes.
type SiteFiles = Vec<(String, Vec<u8>)>;

/// A sink that collects rendered files in memory.
#[derive(Default)]
struct Memory(Mutex<SiteFiles>);

impl Sink for Memory {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((rel.to_owned(), bytes.to_vec()));
        Ok(())
    }
}

/// What one rebuild did.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    /// Pages rendered (0 when nothing changed or the rebuild failed).
    pub pages: usize,
    /// Time from start to the new files being in place.
    pub elapsed: Duration,
    /// The error, when the rebuild failed.
    pub error: Option<String>,
}

/// Loads, renders and re-renders one walkthrough for the preview.
pub struct Preview {
    root: PathBuf,
    highlighter: Highlighter,
    site: Option<Site>,
    theme: Option<Theme>,
    /// What every page in memory was made from (for exact stylesheets).
    manifest: crate::pipeline::manifest::Manifest,
}

impl Preview {
    /// A preview of the walkthrough under `root` (nothing loaded yet).
    pub fn new(root: &Path) -> Preview {
        Preview {
            root: root.to_path_buf(),
            highlighter: Highlighter::new(),
            site: None,
            theme: None,
            manifest: Default::default(),
        }
    }

    /// The base path the site is served under, once loaded.
    pub fn base_path(&self) -> Option<String> {
        self.site.as_ref().map(|s| s.config.base_path())
    }

    /// Rebuilds after `changed` paths (empty: everything) and updates `files`.
    pub fn rebuild(&mut self, changed: &[PathBuf], files: &RwLock<Files>) -> Rebuilt {
        let start = Instant::now();
        let result = self.render(changed);
        let mut f = files.write().unwrap_or_else(|e| e.into_inner());
        f.version += 1;
        match result {
            Ok((pages, full, rendered)) => {
                // A full render holds every file: pages of deleted steps go.
                if full {
                    f.pages.clear();
                }
                for (rel, bytes) in rendered {
                    f.pages.insert(rel, bytes);
                }
                f.error = None;
                Rebuilt {
                    pages,
                    elapsed: start.elapsed(),
                    error: None,
                }
            }
            Err(e) => {
                let msg = e.to_string();
                f.error = Some(msg.clone());
                Rebuilt {
                    pages: 0,
                    elapsed: start.elapsed(),
                    error: Some(msg),
                }
            }
        }
    }

    /// Renders what `changed` touches: (pages rendered, whether everything was, the files).
    fn render(&mut self, changed: &[PathBuf]) -> Result<(usize, bool, SiteFiles)> {
        let themes = std::path::absolute(self.root.join("themes")).unwrap_or_default();
        let theme_changed = changed.is_empty()
            || self.theme.is_none()
            || changed
                .iter()
                .any(|p| p.starts_with(&themes) || p.ends_with("content/site.yaml"));
        let site = crate::content::load_with(&self.root, crate::content::Drafts::Show)?;
        if theme_changed {
            self.theme = None;
            self.theme = Some(Theme::load(
                &site.root,
                &site.config.theme,
                &site.config.language,
            )?);
        }
        let pages = match (&self.site, theme_changed) {
            (Some(old), false) => affected(old, &site),
            _ => Pages::All,
        };
        let memory = Memory::default();
        let theme = self
            .theme
            .as_ref()
            .ok_or_else(|| Error::Serve(Problem::new("the theme did not load")))?;
        let count = if pages
            == (Pages::Some {
                steps: vec![],
                index: false,
            }) {
            0
        } else {
            let r = pipeline::render_pages(
                &site,
                theme,
                &self.highlighter,
                &pages,
                &self.manifest,
                &memory,
            )?;
            self.manifest = r.manifest;
            r.rendered
        };
        self.site = Some(site);
        let full = pages == Pages::All;
        Ok((count, full, memory.0.into_inner().unwrap_or_default()))
    }
}

/// The pages whose output may differ between `old` and `new`.
fn affected(old: &Site, new: &Site) -> Pages {
    let nav = |s: &Site| -> Vec<(u32, String, String, String)> {
        s.steps
            .iter()
            .map(|x| (x.number, x.slug.clone(), x.title.clone(), x.nav.clone()))
            .collect()
    };
    if nav(old) != nav(new)
        || old.config.title != new.config.title
        || old.config.base_url != new.config.base_url
    {
        return Pages::All;
    }
    let steps: Vec<usize> = new
        .steps
        .iter()
        .enumerate()
        .filter(|(i, s)| old.steps.get(*i) != Some(s))
        .map(|(i, _)| i)
        .collect();
    let index = old.index != new.index
        || old
            .steps
            .iter()
            .zip(&new.steps)
            .any(|(a, b)| a.summary != b.summary || a.requests.len() != b.requests.len());
    Pages::Some { steps, index }
}
