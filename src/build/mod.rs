//! The build pipeline: load the walkthrough, render every page in parallel
//! and write the site to a staging directory that replaces the output only
//! when everything succeeded. A build never touches the network and knows
//! nothing of the dev server.

pub mod output;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::content::{self, Site};
use crate::error::{Diagnostics, Error, Result};
use crate::render::highlight::Highlighter;
use crate::render::page::Renderer;
use crate::render::templates::Theme;

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
    /// HTML pages written.
    pub pages: usize,
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
}

/// Loads the site under `root`, applying a base URL override.
pub fn load(root: &Path, base_url: Option<&str>) -> Result<Site> {
    let mut site = content::load(root)?;
    if let Some(url) = base_url {
        site.config.base_url = url.to_owned();
    }
    Ok(site)
}

/// Which pages to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pages {
    /// Every page, the sitemap and the theme's assets.
    All,
    /// Only these steps (positions in `site.steps`), and the index page if asked.
    Some {
        /// Step positions.
        steps: Vec<usize>,
        /// Also the index page.
        index: bool,
    },
}

/// Renders `site` into `sink`; returns the number of pages. Every page is
/// rendered even when one fails, so that all problems are reported at once.
pub fn render_site(site: &Site, highlighter: &Highlighter, sink: &dyn Sink) -> Result<usize> {
    let theme = Theme::load(&site.root, &site.config.theme, &site.config.language)?;
    render_pages(site, &theme, highlighter, &Pages::All, sink)
}

/// Renders the `pages` of `site` with `theme` into `sink`.
pub fn render_pages(
    site: &Site,
    theme: &Theme,
    highlighter: &Highlighter,
    pages: &Pages,
    sink: &dyn Sink,
) -> Result<usize> {
    let renderer = Renderer::new(site, theme, highlighter);
    let (steps, index): (Vec<usize>, bool) = match pages {
        Pages::All => ((0..site.steps.len()).collect(), true),
        Pages::Some { steps, index } => (steps.clone(), *index),
    };
    let results: Vec<Result<()>> = steps
        .par_iter()
        .map(|&i| {
            let html = renderer.step_page(i)?;
            sink.put(
                &format!("{}/index.html", site.steps[i].slug),
                html.as_bytes(),
            )
        })
        .collect();
    let mut diags = Diagnostics::default();
    let mut other = None;
    let mut collect = |r: Result<()>| match r {
        Ok(()) => {}
        Err(Error::Content(d)) => diags.0.extend(d.0),
        Err(e) => {
            other.get_or_insert(e);
        }
    };
    results.into_iter().for_each(&mut collect);
    if index {
        collect(
            renderer
                .index_page()
                .and_then(|html| sink.put("index.html", html.as_bytes())),
        );
    }
    if *pages == Pages::All {
        collect(
            renderer
                .not_found_page()
                .and_then(|html| sink.put("404.html", html.as_bytes())),
        );
    }
    if let Some(e) = other {
        return Err(e);
    }
    diags.into_result(())?;
    // Every page that was rendered may have used new highlight classes.
    let (light, dark) = highlighter.stylesheets();
    sink.put("static/syntax-light.css", light.as_bytes())?;
    sink.put("static/syntax-dark.css", dark.as_bytes())?;
    if *pages != Pages::All {
        return Ok(steps.len() + index as usize);
    }
    sink.put("sitemap.xml", renderer.sitemap().as_bytes())?;
    sink.put(".nojekyll", b"")?;
    for (rel, bytes) in &theme.static_files {
        sink.put(
            &format!("static/{}", rel.to_string_lossy().replace('\\', "/")),
            bytes,
        )?;
    }
    Ok(site.steps.len() + 2)
}

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
    let pages = match render_site(&site, &highlighter, &staging) {
        Ok(p) => p,
        Err(e) => {
            staging.abandon();
            return Err(e);
        }
    };
    let files = staging.file_count();
    staging.commit()?;
    Ok(BuildReport {
        pages,
        files,
        samples: count_samples(&site),
        warnings: site.warnings.clone(),
        elapsed: start.elapsed(),
        output,
    })
}

/// `stepdoc check`: everything a build does, writing nothing.
pub fn check(root: &Path) -> Result<BuildReport> {
    let start = Instant::now();
    let site = load(root, None)?;
    let pages = render_site(&site, &Highlighter::new(), &Discard)?;
    Ok(BuildReport {
        pages,
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
