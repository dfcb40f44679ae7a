//! The build pipeline: load the walkthrough, render every page in parallel
//! and write the site to a staging directory that replaces the output only
//! when everything succeeded. A build never touches the network and knows
//! nothing of the dev server.

pub mod manifest;
pub mod output;
mod pages;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::content::{self, Site};
use crate::error::{Error, Problem, Result};
use crate::render::highlight::Highlighter;
use crate::render::templates::Theme;
use manifest::Manifest;

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The walkthrough root (holds `content/`).
    pub root: PathBuf,
    /// Output directory (default `<root>/output`).
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from site.yaml.
    pub base_url: Option<String>,
    /// Replace an output directory that stepdoc did not create.
    pub force: bool,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// HTML pages in the site.
    pub pages: usize,
    /// Pages kept from the previous build (their inputs did not change).
    pub reused: usize,
    /// Files written in all.
    pub files: usize,
    /// Requests shown with sample data because no snapshot exists.
    pub samples: usize,
    /// Non-fatal problems, to be shown to the user.
    pub warnings: Vec<crate::error::Diagnostic>,
    /// Wall time.
    pub elapsed: Duration,
    /// Where the site is.
    pub output: PathBuf,
}

/// Where rendered files go.
pub trait Sink: Sync {
    /// Stores one file at `rel` (a `/`-separated path in the site).
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()>;

    /// Keeps the file at `rel` from the previous build, if the sink has it.
    fn reuse(&self, _rel: &str) -> bool {
        false
    }
}

/// A sink that keeps nothing (for `check`).
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: &str, _: &[u8]) -> Result<()> {
        Ok(())
    }
}

impl Sink for output::Staging {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.write(rel, bytes)
    }

    fn reuse(&self, rel: &str) -> bool {
        self.keep(rel)
    }
}

/// Loads the site under `root`, applying a base URL override.
pub fn load(root: &Path, base_url: Option<&str>) -> Result<Site> {
    if let Some(why) = base_url.and_then(content::data::site_url_problem) {
        let url = base_url.unwrap_or_default().escape_debug().to_string();
        return Err(Error::Usage(
            Problem::new(format!("--base-url {url}: {why}"))
                .hint("e.g. `--base-url https://user.github.io/repo/` or `--base-url /docs/`"),
        ));
    }
    let mut site = content::load(root)?;
    if let Some(url) = base_url {
        site.config.base_url = url.to_owned();
    }
    Ok(site)
}

/// What rendering did.
#[derive(Debug, Clone, Default)]
pub struct PagesOutcome {
    /// Pages rendered.
    pub rendered: usize,
    /// Pages kept from the previous build because their inputs did not change.
    pub reused: usize,
    /// The manifest of the site now.
    pub manifest: Manifest,
    /// Every file of the site besides the pages (stylesheets, sitemap,
    /// theme assets): what the preview serves besides pages.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    pub assets: Vec<String>,
}

/// Renders `site` into `sink` from scratch. Every page is rendered even
/// when one fails, so that all problems are reported at once.
pub fn render_site(
    site: &Site,
    highlighter: &Highlighter,
    sink: &dyn Sink,
) -> Result<PagesOutcome> {
    let themes = Theme::load_all(&site.root, &site.config.theme, &site.config.languages())?;
    render_pages(
        site,
        &themes,
        highlighter,
        &Manifest::default(),
        sink,
        Extras::All,
    )
}

/// Pages beyond the steps, the index and the 404 page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extras {
    /// Also `print.html` (every step on one page), as `build` publishes.
    All,
    /// Without `print.html`, which every edit would render again: `serve`,
    /// where a save must show within 100 ms even at 5,000 steps.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    Preview,
}

pub use pages::render_pages;

/// `stepdoc build`: renders the site and swaps it into the output directory.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let output = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join("output"));
    output::check_target(&opts.root, &output, opts.force)?;
    let site = load(&opts.root, opts.base_url.as_deref())?;
    let highlighter = Highlighter::new();
    let staging = output::Staging::new(&output)?;
    let previous = staging
        .previous_marker()
        .map(|t| Manifest::parse(&t))
        .unwrap_or_default();
    let rendered = Theme::load_all(&site.root, &site.config.theme, &site.config.languages())
        .and_then(|themes| {
            render_pages(
                &site,
                &themes,
                &highlighter,
                &previous,
                &staging,
                Extras::All,
            )
        })
        .and_then(|r| {
            staging
                .write(output::MARKER, r.manifest.to_text().as_bytes())
                .map(|()| r)
        });
    let rendered = match rendered {
        Ok(r) => r,
        Err(e) => {
            staging.abandon();
            return Err(e);
        }
    };
    let files = staging.file_count();
    staging.commit()?;
    Ok(BuildReport {
        pages: rendered.rendered + rendered.reused,
        reused: rendered.reused,
        files,
        samples: count_samples(&site),
        warnings: site.warnings.clone(),
        elapsed: start.elapsed(),
        output,
    })
}

/// `stepdoc check`: everything a build does, writing nothing.
pub fn check(root: &Path, strict: bool) -> Result<BuildReport> {
    let start = Instant::now();
    let site = load(root, None)?;
    let stale = content::translate::freshness_warnings(&site.locales);
    if strict && !stale.is_empty() {
        return Err(Error::Content(crate::error::Diagnostics(stale)));
    }
    let r = render_site(&site, &Highlighter::new(), &Discard)?;
    let pages = r.rendered;
    Ok(BuildReport {
        pages,
        reused: 0,
        files: 0,
        samples: count_samples(&site),
        warnings: site.warnings.clone(),
        elapsed: start.elapsed(),
        output: PathBuf::new(),
    })
}

fn count_samples(site: &Site) -> usize {
    site.steps
        .iter()
        .flat_map(|s| s.responses.iter().flatten())
        .filter(|r| r.origin == content::Origin::Sample)
        .count()
}
