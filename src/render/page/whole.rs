//! The pages about the whole site: the index (every step with its
//! summary), `print.html` (every step on one page) and the 404 page.

use std::collections::BTreeSet;

use rayon::prelude::*;
use serde::Serialize;

use super::{step_url, Place, RenderedPage, Renderer, StepBody};
use crate::error::{Diagnostics, Error, Result};
use crate::render::code_block::CodeBlocks;
use crate::render::html::escape;

/// One step on the print page.
#[derive(Serialize)]
struct PrintStep<'a> {
    slug: &'a str,
    position: usize,
    title: &'a str,
    summary: &'a str,
    content: String,
    cards: String,
}

#[derive(Serialize)]
struct IndexEntry<'a> {
    number: u32,
    title: &'a str,
    summary: &'a str,
    url: String,
    requests: usize,
}

impl Renderer<'_> {
    /// The index page: every step with its summary.
    pub fn index_page(&self) -> Result<RenderedPage> {
        let blocks = CodeBlocks::new(self.highlighter, self.t("copy"));
        let root = "";
        let mut cx = self.page_context(root, "");
        let intro = match &self.site.index {
            Some(index) => {
                let r = self.markdown(
                    (&index.source, &index.text),
                    &index.text,
                    1,
                    Place::page(root, &blocks),
                );
                if !r.problems.is_empty() {
                    return Err(Error::Content(Diagnostics(r.problems)));
                }
                r.html
            }
            None => format!("<p>{}</p>", escape(&self.site.config.description)),
        };
        let entries: Vec<IndexEntry> = self
            .site
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| IndexEntry {
                number: i as u32 + 1,
                title: &s.title,
                summary: &s.summary,
                url: step_url(root, s),
                requests: s.requests.len(),
            })
            .collect();
        cx.insert("intro", &intro);
        cx.insert("steps", &entries);
        cx.insert("stepper", &self.stepper(None, root));
        cx.insert("first", &self.site.steps.first().map(|s| step_url(root, s)));
        cx.insert("print", &self.print);
        cx.insert("page_title", &self.site.config.title);
        cx.insert("description", &self.site.config.description);
        cx.insert("canonical", &self.home_url());
        RenderedPage::new(self.theme.render("index.html", &cx)?, blocks)
    }

    /// `print.html`: every step on one page, cards included, snippets in the
    /// default language, for printing or saving as PDF.
    pub fn print_page(&self) -> Result<RenderedPage> {
        let root = "";
        let bodies: Vec<(Result<StepBody>, BTreeSet<String>)> = (0..self.site.steps.len())
            .into_par_iter()
            .map(|i| {
                let prefix = format!("{}-", self.site.steps[i].slug);
                let blocks = CodeBlocks::new(self.highlighter, self.t("copy"));
                let body = self.step_body(
                    i,
                    Place {
                        root,
                        anchor_prefix: &prefix,
                        blocks: &blocks,
                    },
                );
                (body, blocks.into_classes())
            })
            .collect();
        let mut classes = BTreeSet::new();
        let mut steps = Vec::with_capacity(self.site.steps.len());
        let mut problems = Vec::new();
        for ((i, step), (body, used)) in self.site.steps.iter().enumerate().zip(bodies) {
            classes.extend(used);
            match body {
                Ok(body) => steps.push(PrintStep {
                    slug: &step.slug,
                    position: i + 1,
                    title: &step.title,
                    summary: &step.summary,
                    content: body.content,
                    cards: body.cards,
                }),
                Err(Error::Content(d)) => problems.extend(d.0),
                Err(e) => return Err(e),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Content(Diagnostics(problems)));
        }
        let mut cx = self.page_context(root, "print.html");
        cx.insert("steps", &steps);
        cx.insert(
            "page_title",
            &format!("{} – {}", self.t("print_title"), self.site.config.title),
        );
        cx.insert("description", &self.site.config.description);
        Ok(RenderedPage {
            html: self.theme.render("print.html", &cx)?,
            classes,
        })
    }

    /// The 404 page. Its links are absolute from the base path, since it is served at any depth.
    pub fn not_found_page(&self) -> Result<RenderedPage> {
        let root = self.site.config.base_path();
        let mut cx = self.base_context(&root);
        cx.insert("stepper", &self.stepper(None, &root));
        cx.insert(
            "page_title",
            &format!("{} – {}", self.t("not_found_title"), self.site.config.title),
        );
        cx.insert("description", &self.site.config.description);
        Ok(RenderedPage {
            html: self.theme.render("404.html", &cx)?,
            classes: Default::default(),
        })
    }
}
