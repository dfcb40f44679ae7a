//! Page view models and rendering: the renderer and the step pages with
//! their request and payload cards (the whole-site pages are in `whole`). Each page
//! gets a small context of its own (no cloning of a site-wide context).

use std::collections::HashMap;
use std::path::Path;

use std::collections::BTreeSet;

use serde::Serialize;

mod whole;

use super::cards::reported;
use super::code_block::CodeBlocks;
use super::highlight::Highlighter;
use super::markdown::{self, CardKind, MarkdownContext};
use super::templates::Theme;
use crate::content::{Origin, Site, Step};
use crate::error::{Diagnostic, Diagnostics, Error, Result};

/// Above this many steps the stepper shows only the neighbourhood of the current one.
const STEPPER_FULL_LIMIT: usize = 12;
/// Steps shown on each side of the current one in a collapsed stepper.
const STEPPER_WINDOW: usize = 2;

/// Where Markdown and cards are rendered: a page at `root` below the site
/// root, and (for the print page) the prefix its anchors get.
#[derive(Clone, Copy)]
pub(super) struct Place<'p> {
    pub root: &'p str,
    pub anchor_prefix: &'p str,
    /// Where the page's code blocks go (and their classes are noted).
    pub blocks: &'p CodeBlocks<'p>,
}

impl<'p> Place<'p> {
    /// A page of its own.
    pub fn page(root: &'p str, blocks: &'p CodeBlocks<'p>) -> Place<'p> {
        Place {
            root,
            anchor_prefix: "",
            blocks,
        }
    }

    /// Whether this is the one-page print version (default snippet language only).
    pub fn is_print(&self) -> bool {
        !self.anchor_prefix.is_empty()
    }
}

/// Above this many steps there is no print page: it would be tens of
/// megabytes (15 KB a step) that no one prints.
pub const PRINT_LIMIT: usize = 300;

/// Whether the site gets `print.html`.
pub fn has_print_page(site: &Site) -> bool {
    !site.steps.is_empty() && site.steps.len() <= PRINT_LIMIT
}

/// A rendered page and the highlight classes its code uses.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    /// The HTML.
    pub html: String,
    /// The highlight classes (`l-…`, `d-…`) it uses, for the stylesheets.
    pub classes: BTreeSet<String>,
}

impl RenderedPage {
    fn new(html: String, blocks: CodeBlocks) -> Result<RenderedPage> {
        Ok(RenderedPage {
            html,
            classes: blocks.into_classes(),
        })
    }
}

/// A step's rendered text, cards and headings.
struct StepBody {
    content: String,
    cards: String,
    toc: Vec<markdown::Heading>,
}

/// Renders the pages of one site with one theme.
pub struct Renderer<'a> {
    pub(super) site: &'a Site,
    pub(super) theme: &'a Theme,
    pub(super) highlighter: &'a Highlighter,
    pub(super) step_files: HashMap<String, String>,
    /// Whether the site has `print.html` to link to.
    pub(super) print: bool,
    /// The search index's entry script, when pages have a search box.
    pub(super) search: Option<&'static str>,
    /// Whether the site has the downloads `build` writes and `serve` leaves
    /// out (when it has requests).
    pub(super) downloads: bool,
    /// Where each snippet placeholder comes from.
    pub(super) origins: super::origins::Origins,
    /// The JSON type of each typed value, for the snippets.
    pub(super) types: crate::content::chain::Types,
    /// Every step's anchors, for links into other steps.
    pub(super) anchors: super::anchors::Anchors,
    /// The site's languages and the one rendered.
    pub(super) languages: super::languages::Languages,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: String,
    links: &'a [crate::content::config::Link],
}

#[derive(Serialize)]
struct StepLink<'a> {
    number: u32,
    title: &'a str,
    nav: &'a str,
    url: String,
    state: &'static str,
    gap_before: bool,
}

#[derive(Serialize)]
struct StepView<'a> {
    number: u32,
    draft: bool,
    position: usize,
    total: usize,
    slug: &'a str,
    title: &'a str,
    summary: &'a str,
    content: String,
    cards: String,
    /// The page's h2/h3 headings.
    toc: Vec<markdown::Heading>,
    /// "Edit this page" (site.yaml `edit_url` + the step's file).
    edit: Option<String>,
    has_sample: bool,
    /// Shown in the site's default language (no translation yet).
    untranslated: bool,
    /// For a translation whose original changed after it was written: the
    /// original's language, by its own name.
    stale: Option<&'a str>,
    /// "Before you run this page", in each snippet language.
    setup: Vec<super::origins::SetupView>,
    /// `serve --mock`: the mock's address, which the examples point at.
    mock: Option<&'a str>,
}

impl<'a> Renderer<'a> {
    /// A renderer for `site`.
    pub fn new(site: &'a Site, theme: &'a Theme, highlighter: &'a Highlighter) -> Self {
        // Links to drafts go where the draft's page is in the preview (build warns about them).
        let step_files = site
            .steps
            .iter()
            .filter_map(|s| Some((s.source.file_name()?.to_str()?.to_owned(), s.slug.clone())))
            // A translation (`01-auth.en.md`) links by the step's own file names.
            .flat_map(|(name, slug)| {
                let base = crate::content::translate::parse_file_name(&name)
                    .map(|(_, _, lang, _)| name.replacen(&format!(".{lang}."), ".", 1));
                std::iter::once((name, slug.clone())).chain(base.map(|b| (b, slug)))
            })
            .chain(site.drafts.iter().filter_map(|name| {
                let (_, slug, _) = crate::content::step::parse_file_name(name)?;
                Some((name.clone(), slug))
            }))
            .collect();
        Renderer {
            site,
            theme,
            highlighter,
            step_files,
            print: has_print_page(site),
            search: Some(super::search::INDEX_FILE),
            downloads: site.steps.iter().any(|s| !s.requests.is_empty()),
            origins: super::origins::Origins::new(site),
            types: crate::content::chain::Types::new(site),
            anchors: super::anchors::Anchors::default(),
            languages: super::languages::Languages::single(site.config.language()),
        }
    }

    /// Renders the pages of one language of `languages` (`site` is the
    /// walkthrough in that language).
    pub fn in_languages(mut self, languages: super::languages::Languages) -> Self {
        self.languages = languages;
        self
    }

    /// Whether this site's `print.html` is rendered and linked.
    pub fn has_print(&self) -> bool {
        self.print
    }

    /// Whether the site has the extras `build` publishes and `serve` leaves
    /// out: `print.html` (linked from the index) and the downloads (linked
    /// from every page).
    pub fn with_extras(mut self, extras: bool) -> Self {
        self.print = extras && has_print_page(self.site);
        self.downloads &= extras;
        self
    }

    /// The search index's entry script (see [`super::search::entry`]), or
    /// `None` for no search box.
    pub fn with_search(mut self, entry: Option<&'static str>) -> Self {
        self.search = entry;
        self
    }

    pub(super) fn t<'s>(&'s self, key: &'s str) -> &'s str {
        self.theme.translations.get(key).map_or(key, String::as_str)
    }

    pub(super) fn base_context(&self, root: &str) -> tera::Context {
        let c = &self.site.config;
        let mut cx = tera::Context::new();
        cx.insert(
            "site",
            &SiteView {
                title: &c.title,
                description: &c.description,
                language: c.language(),
                base_url: c.base_url(),
                links: &c.links,
            },
        );
        cx.insert("t", &self.theme.translations);
        cx.insert("root", root);
        cx.insert("static_root", &self.languages.static_root(root));
        cx.insert("search", &self.search);
        // The exports under downloads/ (see `crate::export::downloads`).
        cx.insert("downloads", &self.downloads);
        cx
    }

    fn stepper(&self, current: Option<usize>, root: &str) -> Vec<StepLink<'a>> {
        let steps = &self.site.steps;
        let visible = |i: usize| match current {
            _ if steps.len() <= STEPPER_FULL_LIMIT => true,
            Some(c) => i == 0 || i + 1 == steps.len() || i.abs_diff(c) <= STEPPER_WINDOW,
            None => i < STEPPER_FULL_LIMIT,
        };
        let mut out = Vec::new();
        let mut skipped = false;
        for (i, s) in steps.iter().enumerate() {
            if !visible(i) {
                skipped = true;
                continue;
            }
            let state = match current {
                Some(c) if i < c => "done",
                Some(c) if i == c => "current",
                _ => "upcoming",
            };
            out.push(StepLink {
                number: i as u32 + 1,
                title: &s.title,
                nav: &s.nav,
                url: step_url(root, s),
                state,
                gap_before: skipped,
            });
            skipped = false;
        }
        out
    }

    /// Renders Markdown of `file` (path, whole text) starting at `first_line`.
    pub(super) fn markdown(
        &self,
        file: (&Path, &str),
        text: &str,
        first_line: usize,
        place: Place,
    ) -> markdown::MarkdownHtml {
        let cx = MarkdownContext {
            blocks: place.blocks,
            step_files: &self.step_files,
            root: place.root,
            file: file.0,
            file_text: file.1,
            first_line,
            anchor_prefix: place.anchor_prefix,
        };
        markdown::render(text, &cx)
    }

    /// A step's text with its cards placed, the cards not placed, and its
    /// headings, for its own page or (with an anchor prefix) the print page.
    fn step_body(&self, index: usize, place: Place) -> Result<StepBody> {
        let step = &self.site.steps[index];
        let body = self.markdown(
            (&step.source, &step.text),
            step.body(),
            step.body_line,
            place,
        );
        let mut problems = body.problems;
        let mut content = String::with_capacity(body.html.len());
        let mut placed = std::collections::HashSet::new();
        let mut from = 0;
        for p in &body.placements {
            content.push_str(&body.html[from..p.at]);
            from = p.at;
            let html = match p.kind {
                CardKind::Request => step
                    .requests
                    .iter()
                    .position(|r| r.id == p.id)
                    .map(|i| self.request_card(index, i, place, p.level)),
                CardKind::Payload => step
                    .payloads
                    .iter()
                    .position(|pl| pl.def.id.as_deref() == Some(&p.id))
                    .map(|i| self.payload_card(step, i, place, p.level)),
            };
            match html {
                Some(html) => {
                    content.push_str(&reported(html, &mut problems)?);
                    placed.insert((p.kind, p.id.clone()));
                }
                None => problems.push(
                    Diagnostic::new(
                        &step.source,
                        format!(
                            "unknown {kind} id `{}` in `{{{{#{kind} {}}}}}`",
                            p.id,
                            p.id,
                            kind = p.kind.name()
                        ),
                    )
                    .at(&step.text, p.position.0, p.position.1)
                    .hint(self.known_ids(step, p.kind)),
                ),
            }
        }
        content.push_str(&body.html[from..]);
        problems.extend(
            self.anchors
                .check(self.site, step, Some(&body.ids), &body.fragments),
        );
        let mut cards = String::new();
        for (i, r) in step.requests.iter().enumerate() {
            if !placed.contains(&(CardKind::Request, r.id.clone())) {
                let card = self.request_card(index, i, place, 2);
                cards.push_str(&reported(card, &mut problems)?);
            }
        }
        for (i, p) in step.payloads.iter().enumerate() {
            if p.def
                .id
                .as_ref()
                .is_none_or(|id| !placed.contains(&(CardKind::Payload, id.clone())))
            {
                let card = self.payload_card(step, i, place, 2);
                cards.push_str(&reported(card, &mut problems)?);
            }
        }
        if !problems.is_empty() {
            return Err(Error::Content(Diagnostics(problems)));
        }
        Ok(StepBody {
            content,
            cards,
            toc: body.headings,
        })
    }

    /// The page of step number `index` (position in `site.steps`).
    pub fn step_page(&self, index: usize) -> Result<RenderedPage> {
        let root = "../";
        let blocks = CodeBlocks::new(self.highlighter, self.t("copy"));
        let step = &self.site.steps[index];
        let StepBody {
            content,
            cards,
            toc,
        } = self.step_body(index, Place::page(root, &blocks))?;
        let steps = &self.site.steps;
        let mut cx = self.page_context(root, &format!("{}/", step.slug));
        cx.insert(
            "step",
            &StepView {
                number: step.number,
                draft: step.draft,
                position: index + 1,
                total: steps.len(),
                slug: &step.slug,
                title: &step.title,
                summary: &step.summary,
                content,
                cards,
                toc,
                edit: self.site.config.edit_url.as_ref().map(|base| {
                    format!(
                        "{}/{}",
                        base.trim_end_matches('/'),
                        step.source.to_string_lossy().replace('\\', "/")
                    )
                }),
                has_sample: step
                    .responses
                    .iter()
                    .flatten()
                    .any(|r| r.origin == Origin::Sample),
                untranslated: step.untranslated,
                stale: (step.freshness == crate::content::translate::Freshness::Stale)
                    .then(|| self.languages.all[0].1.as_str()),
                setup: self.origins.setup(
                    self.site,
                    index,
                    (self.snippet_langs(), self.t("secret")),
                    &blocks,
                ),
                mock: self.site.config.mock.as_deref(),
            },
        );
        cx.insert("stepper", &self.stepper(Some(index), root));
        let link = |(i, s): (usize, &'a Step)| StepLink {
            number: i as u32 + 1,
            title: &s.title,
            nav: &s.nav,
            url: step_url(root, s),
            state: "",
            gap_before: false,
        };
        cx.insert("prev", &index.checked_sub(1).map(|i| link((i, &steps[i]))));
        cx.insert("next", &steps.get(index + 1).map(|s| link((index + 1, s))));
        cx.insert(
            "page_title",
            &format!("{} – {}", step.title, self.site.config.title),
        );
        cx.insert(
            "description",
            if step.summary.is_empty() {
                &self.site.config.description
            } else {
                &step.summary
            },
        );
        cx.insert("canonical", &format!("{}{}/", self.home_url(), step.slug));
        RenderedPage::new(self.theme.render("step.html", &cx)?, blocks)
    }

    fn known_ids(&self, step: &Step, kind: CardKind) -> String {
        let kind_name = kind.name();
        let ids: Vec<&str> = if kind == CardKind::Request {
            step.requests.iter().map(|r| r.id.as_str()).collect()
        } else {
            step.payloads
                .iter()
                .filter_map(|p| p.def.id.as_deref())
                .collect()
        };
        if ids.is_empty() {
            format!("this step defines no {kind_name} with an id")
        } else {
            format!("this step's {kind_name} ids: {}", ids.join(", "))
        }
    }
}

/// Relative URL of a step page from a page whose root prefix is `root`.
pub(super) fn step_url(root: &str, s: &Step) -> String {
    format!("{root}{}/index.html", s.slug)
}
