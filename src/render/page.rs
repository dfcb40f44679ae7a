//! Page view models and rendering: the step pages with their request and
//! payload cards, the index page, the 404 page and the sitemap. Each page
//! gets a small context of its own (no cloning of a site-wide context).

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use super::highlight::{escape, Highlighter};
use super::markdown::{self, code_block_html, CardKind, MarkdownContext};
use super::snippets::Lang;
use super::templates::Theme;
use crate::content::call::{self, flatten, Placeholders};
use crate::content::{Origin, Request, Response, Site, Step};
use crate::error::{Diagnostic, Diagnostics, Error, Result};

/// Above this many steps the stepper shows only the neighbourhood of the current one.
const STEPPER_FULL_LIMIT: usize = 12;
/// Steps shown on each side of the current one in a collapsed stepper.
const STEPPER_WINDOW: usize = 2;

/// Renders the pages of one site with one theme.
pub struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    highlighter: &'a Highlighter,
    step_files: HashMap<String, String>,
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
}

#[derive(Serialize)]
struct IndexEntry<'a> {
    number: u32,
    title: &'a str,
    summary: &'a str,
    url: String,
    requests: usize,
}

#[derive(Serialize)]
struct ResponseView {
    status: u16,
    ok: bool,
    body: String,
    sample: bool,
    recorded_at: Option<String>,
}

#[derive(Serialize)]
struct CardView<'a> {
    anchor: String,
    id: &'a str,
    title: &'a str,
    description: String,
    method: &'a str,
    target: &'a str,
    auth: Option<AuthBadge<'a>>,
    interactive: bool,
    prompt: bool,
    snippets: Vec<SnippetView>,
    params: Vec<Param>,
    response: Option<ResponseView>,
}

/// The auth badge of a request card.
#[derive(Serialize)]
struct AuthBadge<'a> {
    name: &'a str,
    label: &'a str,
}

#[derive(Serialize)]
struct SnippetView {
    id: &'static str,
    label: &'static str,
    code: String,
}

#[derive(Serialize)]
struct Param {
    name: String,
    value: String,
}

#[derive(Serialize)]
struct PayloadView<'a> {
    anchor: String,
    title: &'a str,
    description: String,
    code: String,
}

impl<'a> Renderer<'a> {
    /// A renderer for `site`.
    pub fn new(site: &'a Site, theme: &'a Theme, highlighter: &'a Highlighter) -> Self {
        // Links to drafts go where the draft's page is in the preview (build warns about them).
        let step_files = site
            .steps
            .iter()
            .filter_map(|s| Some((s.source.file_name()?.to_str()?.to_owned(), s.slug.clone())))
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
        }
    }

    fn t<'s>(&'s self, key: &'s str) -> &'s str {
        self.theme.translations.get(key).map_or(key, String::as_str)
    }

    fn base_context(&self, root: &str) -> tera::Context {
        let c = &self.site.config;
        let mut cx = tera::Context::new();
        cx.insert(
            "site",
            &SiteView {
                title: &c.title,
                description: &c.description,
                language: &c.language,
                base_url: c.base_url(),
                links: &c.links,
            },
        );
        cx.insert("t", &self.theme.translations);
        cx.insert("root", root);
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

    fn markdown(
        &self,
        file: (&Path, &str),
        text: &str,
        first_line: usize,
        root: &str,
    ) -> markdown::MarkdownHtml {
        let cx = MarkdownContext {
            highlighter: self.highlighter,
            step_files: &self.step_files,
            root,
            copy_label: self.t("copy"),
            file: file.0,
            file_text: file.1,
            first_line,
        };
        markdown::render(text, &cx)
    }

    /// The page of step number `index` (position in `site.steps`).
    pub fn step_page(&self, index: usize) -> Result<String> {
        let root = "../";
        let step = &self.site.steps[index];
        let body = self.markdown(
            (&step.source, &step.text),
            step.body(),
            step.body_line,
            root,
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
                    .map(|i| self.request_card(step, i, root, p.level)),
                CardKind::Payload => step
                    .payloads
                    .iter()
                    .position(|pl| pl.def.id.as_deref() == Some(&p.id))
                    .map(|i| self.payload_card(step, i, root, p.level)),
            };
            match html {
                Some(html) => {
                    content.push_str(&html?);
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
        let anchors: Vec<String> = step
            .requests
            .iter()
            .map(|r| format!("request-{}", r.id))
            .chain(step.payloads.iter().map(payload_anchor))
            .collect();
        for f in &body.fragments {
            if !body.ids.contains(&f.fragment) && !anchors.contains(&f.fragment) {
                problems.push(
                    Diagnostic::new(
                        &step.source,
                        format!("link to `#{}`, which no heading or card on this page has", f.fragment),
                    )
                    .at(&step.text, f.position.0, f.position.1)
                    .hint("use the id of a heading on this page (its text in lower case, spaces as `-`), or `#request-ID`"),
                );
            }
        }
        if !problems.is_empty() {
            return Err(Error::Content(Diagnostics(problems)));
        }
        let mut cards = String::new();
        for (i, r) in step.requests.iter().enumerate() {
            if !placed.contains(&(CardKind::Request, r.id.clone())) {
                cards.push_str(&self.request_card(step, i, root, 2)?);
            }
        }
        for (i, p) in step.payloads.iter().enumerate() {
            if p.def
                .id
                .as_ref()
                .is_none_or(|id| !placed.contains(&(CardKind::Payload, id.clone())))
            {
                cards.push_str(&self.payload_card(step, i, root, 2)?);
            }
        }
        let steps = &self.site.steps;
        let mut cx = self.base_context(root);
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
                toc: body.headings,
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
        cx.insert(
            "canonical",
            &format!("{}{}/", self.site.config.base_url(), step.slug),
        );
        self.theme.render("step.html", &cx)
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

    fn request_card(&self, step: &'a Step, i: usize, root: &str, level: u8) -> Result<String> {
        let req: &Request = &step.requests[i];
        let call = call::build(req, &self.site.config, &Placeholders(&self.site.config));
        let is_prompt = req.interactive == Some(crate::content::Interactive::Prompt);
        let (snippets, params) = if is_prompt {
            let text = req.prompt.as_deref().unwrap_or_default();
            let shown = flatten(&call::fill(text, &Placeholders(&self.site.config)), &|e| {
                format!("${e}")
            });
            let code = code_block_html(
                &format!("{shown}\n"),
                "text",
                self.highlighter,
                self.t("copy"),
            );
            (
                vec![SnippetView {
                    id: "prompt",
                    label: "Prompt",
                    code,
                }],
                Vec::new(),
            )
        } else if req.interactive.is_some() {
            let url = flatten(&call.url, &|e| format!("${e}"));
            let params = req
                .query
                .iter()
                .flat_map(|(k, v)| v.values().into_iter().map(move |v| (k.clone(), v)))
                .map(|(name, v)| Param {
                    name,
                    value: flatten(&call::fill(v, &Placeholders(&self.site.config)), &|e| {
                        format!("${e}")
                    }),
                })
                .collect();
            let code = code_block_html(
                &format!("{url}\n"),
                "text",
                self.highlighter,
                self.t("copy"),
            );
            (
                vec![SnippetView {
                    id: "url",
                    label: "URL",
                    code,
                }],
                params,
            )
        } else {
            let langs: &[Lang] = if self.site.config.snippets.is_empty() {
                &[Lang::Curl]
            } else {
                &self.site.config.snippets
            };
            let views = langs
                .iter()
                .map(|l| SnippetView {
                    id: l.id(),
                    label: l.label(),
                    code: code_block_html(
                        &l.generate(&call),
                        l.syntax(),
                        self.highlighter,
                        self.t("copy"),
                    ),
                })
                .collect();
            (views, Vec::new())
        };
        let description = req
            .description
            .as_deref()
            .map(|d| self.markdown((&step.source, &step.text), d, 1, root).html)
            .unwrap_or_default();
        let response = step.responses[i].as_ref().map(|r: &Response| ResponseView {
            status: r.status,
            ok: (200..300).contains(&r.status),
            body: match r.body_text() {
                text if text.is_empty() => {
                    format!("<p class=\"no-body\">{}</p>", escape(self.t("no_body")))
                }
                text => code_block_html(&text, "json", self.highlighter, self.t("copy")),
            },
            sample: r.origin == Origin::Sample,
            recorded_at: match &r.origin {
                Origin::Snapshot { recorded_at } => Some(recorded_at.clone()),
                Origin::Sample => None,
            },
        });
        let mut cx = self.base_context(root);
        cx.insert("level", &level);
        cx.insert("sublevel", &(level + 1).min(6));
        cx.insert(
            "card",
            &CardView {
                anchor: format!("request-{}", req.id),
                id: &req.id,
                title: &req.title,
                description,
                method: &req.method,
                target: req.target(),
                auth: req.auth_kind().and_then(|k| {
                    let kind = self.site.config.auth.get(k)?;
                    Some(AuthBadge {
                        name: k,
                        label: &kind.label,
                    })
                }),
                interactive: req.interactive.is_some(),
                prompt: is_prompt,
                snippets,
                params,
                response,
            },
        );
        self.theme.render("partials/request.html", &cx)
    }

    fn payload_card(&self, step: &'a Step, i: usize, root: &str, level: u8) -> Result<String> {
        let p = &step.payloads[i];
        let description = p
            .def
            .description
            .as_deref()
            .map(|d| self.markdown((&step.source, &step.text), d, 1, root).html)
            .unwrap_or_default();
        let mut cx = self.base_context(root);
        cx.insert("level", &level);
        cx.insert(
            "payload",
            &PayloadView {
                anchor: payload_anchor(p),
                title: &p.def.title,
                description,
                code: code_block_html(&p.code, &p.lang, self.highlighter, self.t("copy")),
            },
        );
        self.theme.render("partials/payload.html", &cx)
    }

    /// The index page: every step with its summary.
    pub fn index_page(&self) -> Result<String> {
        let root = "";
        let mut cx = self.base_context(root);
        let intro = match &self.site.index {
            Some(index) => {
                let r = self.markdown((&index.source, &index.text), &index.text, 1, root);
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
        cx.insert("page_title", &self.site.config.title);
        cx.insert("description", &self.site.config.description);
        cx.insert("canonical", &self.site.config.base_url());
        self.theme.render("index.html", &cx)
    }

    /// The 404 page. Its links are absolute from the base path, since it is served at any depth.
    pub fn not_found_page(&self) -> Result<String> {
        let root = self.site.config.base_path();
        let mut cx = self.base_context(&root);
        cx.insert("stepper", &self.stepper(None, &root));
        cx.insert(
            "page_title",
            &format!("{} – {}", self.t("not_found_title"), self.site.config.title),
        );
        cx.insert("description", &self.site.config.description);
        self.theme.render("404.html", &cx)
    }

    /// `sitemap.xml` with absolute URLs.
    pub fn sitemap(&self) -> String {
        let base = self.site.config.base_url();
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        out.push_str(&format!("  <url><loc>{}</loc></url>\n", escape(&base)));
        for s in &self.site.steps {
            out.push_str(&format!(
                "  <url><loc>{}{}/</loc></url>\n",
                escape(&base),
                escape(&s.slug)
            ));
        }
        out.push_str("</urlset>\n");
        out
    }
}

/// The anchor of a payload card: its id, or its title as a slug.
fn payload_anchor(p: &crate::content::ResolvedPayload) -> String {
    format!(
        "payload-{}",
        p.def
            .id
            .clone()
            .unwrap_or_else(|| markdown::slugify(&p.def.title))
    )
}

/// Relative URL of a step page from a page whose root prefix is `root`.
fn step_url(root: &str, s: &Step) -> String {
    format!("{root}{}/index.html", s.slug)
}
