//! Rendering every page of the site, in every language, into a sink: pages
//! whose fingerprint did not change are kept, the rest rendered in
//! parallel; then the files besides the pages (stylesheets, sitemap,
//! downloads, theme assets), once for all languages.

use rayon::prelude::*;

use super::manifest::{self, Entry, Manifest};
use super::{Extras, PagesOutcome, Sink};
use crate::content::Site;
use crate::error::{Diagnostics, Error, Result};
use crate::render::highlight::Highlighter;
use crate::render::languages::{self, Languages};
use crate::render::page::{RenderedPage, Renderer};
use crate::render::search;
use crate::render::templates::Theme;

/// What every language's pages are rendered with.
struct Job<'a> {
    highlighter: &'a Highlighter,
    previous: &'a Manifest,
    sink: &'a dyn Sink,
    extras: Extras,
}

type PageResult = Result<(String, Entry, bool)>;

/// Renders every page of `site` into `sink`, in each language of its
/// `languages` with the theme of the same position in `themes`. A page
/// whose fingerprint (see [`manifest`]: the one definition of what a page
/// depends on, for `build` and `serve` alike) is the one in `previous`,
/// and which the sink still has, is kept instead of rendered.
pub fn render_pages(
    site: &Site,
    themes: &[Theme],
    highlighter: &Highlighter,
    previous: &Manifest,
    sink: &dyn Sink,
    extras: Extras,
) -> Result<PagesOutcome> {
    let job = Job {
        highlighter,
        previous,
        sink,
        extras,
    };
    let all: Vec<(String, String)> = site
        .config
        .languages()
        .into_iter()
        .zip(themes)
        .map(|(code, theme)| {
            let name = theme.translations.get("language_name").cloned();
            (code.clone(), name.unwrap_or(code))
        })
        .collect();
    // The downloads are a `build` extra too: a save in `serve` does not
    // write the whole chain again. They are written while the pages render.
    let downloads = || match extras {
        Extras::All => crate::export::downloads(site),
        Extras::Preview => Ok(Vec::new()),
    };
    // Languages render side by side: a page that is slow to highlight (a
    // hand-written receiver, say) in one language does not wait for the
    // same page in another.
    let pages = || {
        themes
            .par_iter()
            .enumerate()
            .map(|(i, theme)| {
                let langs = Languages {
                    all: all.clone(),
                    current: i,
                };
                if i == 0 {
                    return language_pages(&job, site, None, theme, langs);
                }
                let localized = site.localized(i - 1);
                language_pages(&job, &localized, Some(site), theme, langs)
            })
            .flatten()
            .collect::<Vec<PageResult>>()
    };
    let (results, downloads) = rayon::join(pages, downloads);
    let (manifest, rendered, reused) = collect(results)?;
    let (light, dark) = highlighter.stylesheets_for_classes(&manifest.classes());
    let langs = Languages { all, current: 0 };
    let mut assets: Vec<(String, std::borrow::Cow<[u8]>)> = vec![
        ("static/syntax-light.css".into(), light.into_bytes().into()),
        ("static/syntax-dark.css".into(), dark.into_bytes().into()),
        (
            "sitemap.xml".into(),
            languages::sitemap(site, &langs).into_bytes().into(),
        ),
        (".nojekyll".into(), b"".as_slice().into()),
    ];
    for (rel, text) in downloads? {
        assets.push((rel, text.into_bytes().into()));
    }
    for (rel, bytes) in &themes[0].static_files {
        let rel = format!("static/{}", rel.to_string_lossy().replace('\\', "/"));
        assets.push((rel, bytes.as_slice().into()));
    }
    for (rel, bytes) in &assets {
        sink.put(rel, bytes)?;
    }
    Ok(PagesOutcome {
        rendered,
        reused,
        manifest,
        assets: assets.into_iter().map(|(rel, _)| rel).collect(),
    })
}

/// The manifest of the pages rendered or kept, and how many of each; every
/// content problem of every page, or else the first other error.
fn collect(results: Vec<PageResult>) -> Result<(Manifest, usize, usize)> {
    let mut entries = std::collections::BTreeMap::new();
    let (mut diags, mut other, mut rendered, mut reused) = (Diagnostics::default(), None, 0, 0);
    for r in results {
        match r {
            Ok((rel, entry, fresh)) => {
                // (The search index is kept like a page, but is not one.)
                if rel.ends_with(".html") {
                    *(if fresh { &mut rendered } else { &mut reused }) += 1;
                }
                entries.insert(rel, entry);
            }
            Err(Error::Content(d)) => diags.0.extend(d.0),
            Err(e) => {
                other.get_or_insert(e);
            }
        }
    }
    if let Some(e) = other {
        return Err(e);
    }
    diags.into_result((Manifest(entries), rendered, reused))
}

/// The pages of one language: `site` is the walkthrough in it, `default`
/// the walkthrough in the default language when this is another one
/// (its requests are defined there, so its step files are inputs too).
fn language_pages(
    job: &Job,
    site: &Site,
    default: Option<&Site>,
    theme: &Theme,
    langs: Languages,
) -> Vec<PageResult> {
    let prefix = langs.prefix(langs.current);
    // The search index depends on every step; `build` and `serve` both
    // make it whole (a sharded one while the pages render), and each of its
    // files is kept when its text is unchanged.
    let single = search::single(site);
    let entry = search::entry(single.is_some());
    let renderer = Renderer::new(site, theme, job.highlighter)
        .with_extras(job.extras == Extras::All)
        .with_search(Some(entry))
        .in_languages(langs);
    let global = manifest::with_search(manifest::global(site, theme.fingerprint), Some(entry));
    let page =
        |rel: String, fingerprint: u64, render: &dyn Fn() -> Result<RenderedPage>| -> PageResult {
            let rel = format!("{prefix}{rel}");
            if let Some(old) = job
                .previous
                .0
                .get(&rel)
                .filter(|e| e.fingerprint == fingerprint)
            {
                if job.sink.reuse(&rel) {
                    return Ok((rel, old.clone(), false));
                }
            }
            let page = render()?;
            let entry = Entry {
                fingerprint,
                classes: std::sync::Arc::new(page.classes),
            };
            job.sink.put(&rel, page.html.as_bytes())?;
            Ok((rel, entry, true))
        };
    let (mut results, search) = rayon::join(
        || pages(&renderer, (site, default), global, &page),
        || search::files(site, single),
    );
    for (rel, text) in search {
        let fingerprint = manifest::text(&text);
        results.push(page(rel, fingerprint, &|| {
            Ok(RenderedPage {
                html: text.clone(),
                classes: Default::default(),
            })
        }));
    }
    results
}

/// How a page is made or kept: its path, fingerprint and renderer.
type MakePage<'a> =
    dyn Fn(String, u64, &dyn Fn() -> Result<RenderedPage>) -> PageResult + Sync + 'a;

/// The step pages, the index, the 404 page and `print.html`.
fn pages(
    renderer: &Renderer,
    (site, default): (&Site, Option<&Site>),
    global: u64,
    page: &MakePage,
) -> Vec<PageResult> {
    let mut results: Vec<PageResult> = (0..site.steps.len())
        .into_par_iter()
        .map(|i| {
            let rel = format!("{}/index.html", site.steps[i].slug);
            let mut borrowed = renderer.borrowed(i);
            if let Some(d) = default {
                borrowed.push_str(&d.steps[i].text);
            }
            page(
                rel,
                manifest::step(global, &site.steps[i], &borrowed),
                &|| renderer.step_page(i),
            )
        })
        .collect();
    results.push(page(
        "index.html".into(),
        manifest::index(global, site),
        &|| renderer.index_page(),
    ));
    if default.is_none() {
        results.push(page("404.html".into(), global, &|| {
            renderer.not_found_page()
        }));
    }
    if renderer.has_print() {
        results.push(page(
            "print.html".into(),
            manifest::print(global, site, default),
            &|| renderer.print_page(),
        ));
    }
    results
}
