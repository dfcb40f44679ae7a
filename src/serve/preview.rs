//! The preview site held in memory, and the rebuilder that keeps it
//! current. A rebuild goes through the same pipeline as `build`: the page
//! manifest's fingerprints decide which pages are rendered again, so `serve`
//! has no idea of its own about what a page depends on. Only step files that
//! changed are read again. A failed rebuild keeps the last good pages and
//! records the error, which the server shows in place of the page until the
//! next good rebuild.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::content::{Drafts, StepCache};
use crate::error::Result;
use crate::pipeline::{self, manifest::Manifest, Sink};
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

/// A sink that collects rendered files in memory and keeps the pages the
/// preview already holds.
struct Memory<'a> {
    held: &'a HashMap<String, Vec<u8>>,
    written: Mutex<Written>,
}

impl Sink for Memory<'_> {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if self.held.get(rel).is_none_or(|old| old != bytes) {
            self.written
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((rel.to_owned(), bytes.to_vec()));
        }
        Ok(())
    }

    fn reuse(&self, rel: &str) -> bool {
        self.held.contains_key(rel)
    }
}

/// Files whose bytes are new: site-relative path and bytes.
type Written = Vec<(String, Vec<u8>)>;

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
    steps: StepCache,
    base_path: Option<String>,
    /// What every page in memory was made from.
    manifest: Manifest,
    /// The site's other files (stylesheets, sitemap, theme assets).
    assets: HashSet<String>,
    /// `serve --mock`: the mock's address, which every base points under.
    mock: Option<String>,
}

impl Preview {
    /// A preview of the walkthrough under `root` (nothing loaded yet).
    pub fn new(root: &Path) -> Preview {
        Preview {
            root: root.to_path_buf(),
            highlighter: Highlighter::new(),
            steps: StepCache::default(),
            base_path: None,
            manifest: Manifest::default(),
            assets: HashSet::new(),
            mock: None,
        }
    }

    /// Points every base of the walkthrough under the mock at `url`, so
    /// every snippet on the pages runs against it.
    #[cfg_attr(not(feature = "mock"), allow(dead_code))]
    pub fn with_mock(mut self, url: &str) -> Preview {
        self.mock = Some(url.to_owned());
        self
    }

    /// The base path the site is served under, once loaded.
    pub fn base_path(&self) -> Option<String> {
        self.base_path.clone()
    }

    /// Rebuilds after `changed` paths and updates `files`.
    pub fn rebuild(&mut self, changed: &[PathBuf], files: &RwLock<Files>) -> Rebuilt {
        let start = Instant::now();
        self.steps.forget(&self.root, changed);
        let result = {
            let held = files.read().unwrap_or_else(|e| e.into_inner());
            self.render(&held.pages)
        };
        let mut f = files.write().unwrap_or_else(|e| e.into_inner());
        f.version += 1;
        match result {
            Ok((pages, written)) => {
                // Pages of deleted steps, and anything else the site no longer has, go.
                let (manifest, assets) = (&self.manifest.0, &self.assets);
                f.pages
                    .retain(|rel, _| manifest.contains_key(rel) || assets.contains(rel));
                f.pages.extend(written);
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

    /// Renders the site against the files `held`: (pages rendered, the
    /// files whose bytes are new). The manifest and the assets then name
    /// every file of the site.
    fn render(&mut self, held: &HashMap<String, Vec<u8>>) -> Result<(usize, Written)> {
        let mut site = crate::content::load_cached(&self.root, Drafts::Show, &mut self.steps)?;
        if let (Some(url), Some(api)) = (&self.mock, site.config.api.as_mut()) {
            for name in api
                .names()
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
            {
                api.set_base(&name, &format!("{url}/{name}"));
            }
            site.config.mock = Some(url.clone());
        }
        let themes = Theme::load_all(&site.root, &site.config.theme, &site.config.languages())?;
        let memory = Memory {
            held,
            written: Mutex::default(),
        };
        let r = pipeline::render_pages(
            &site,
            &themes,
            &self.highlighter,
            &self.manifest,
            &memory,
            pipeline::Extras::Preview,
        )?;
        let written = memory
            .written
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        self.manifest = r.manifest;
        self.assets = r.assets.into_iter().collect();
        self.base_path = Some(site.config.base_path());
        self.steps.keep(site.steps);
        Ok((r.rendered, written))
    }
}
