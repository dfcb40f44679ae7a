//! Request and payload cards: the method and path, the auth badge, the
//! snippet tabs (or a browser step's URL, or a prompt), the response shown
//! (a recording or a sample), and payload code blocks.

use serde::Serialize;

use super::markdown;
use super::page::{Place, Renderer};
use super::snippets::Lang;
use crate::call::{self, flatten, Placeholders};
use crate::content::request::Prose;
use crate::content::{Origin, Request, Response, Step};
use crate::error::{Diagnostics, Error, Result};
use crate::render::html::escape;

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
    /// The path or URL as the snippets show it (`$WEBHOOK_ID`, variables filled in).
    target: String,
    auth: Option<AuthBadge<'a>>,
    interactive: bool,
    prompt: bool,
    snippets: Vec<SnippetView>,
    params: Vec<Param>,
    /// Where each placeholder of the snippets comes from.
    origins: Vec<super::origins::OriginView>,
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
    /// The snippet languages of the site, the first the default.
    pub(super) fn snippet_langs(&self) -> &[crate::render::snippets::Lang] {
        if self.site.config.snippets.is_empty() {
            &[crate::render::snippets::Lang::Curl]
        } else {
            &self.site.config.snippets
        }
    }

    /// The page fingerprint's share of what other steps give step `index`
    /// (the origins its legends show).
    pub fn borrowed(&self, index: usize) -> String {
        self.origins.fingerprint_of(self.site, index)
    }

    /// A card's Markdown description as HTML (empty when there is none),
    /// checked like a step's text: its problems point at its own lines.
    fn description(&self, step: &Step, prose: Option<&Prose>, place: Place) -> Result<String> {
        let Some(prose) = prose else {
            return Ok(String::new());
        };
        let md = self.markdown(
            (&step.source, &step.text),
            prose,
            markdown_line(&step.text, prose.line),
            place,
        );
        if prose.line == 0 {
            return Ok(md.html);
        }
        let mut problems = md.problems;
        problems.extend(self.anchors.check(self.site, step, None, &md.fragments));
        if problems.is_empty() {
            Ok(md.html)
        } else {
            Err(Error::Content(Diagnostics(problems)))
        }
    }

    pub(super) fn request_card(
        &self,
        index: usize,
        i: usize,
        place: Place,
        level: u8,
    ) -> Result<String> {
        let root = place.root;
        let step: &Step = &self.site.steps[index];
        let req: &Request = &step.requests[i];
        let names = Placeholders::at(&self.site.config, &self.types, (index, i));
        let call = call::build(req, &self.site.config, &names);
        let is_prompt = req.interactive == Some(crate::content::Interactive::Prompt);
        let (snippets, params) = self.snippets(req, &call, &place);
        let description = self.description(step, req.description.as_ref(), place)?;
        let response = step.responses[i]
            .as_ref()
            .map(|r| self.response_view(r, &place));
        let mut cx = self.base_context(root);
        cx.insert("level", &level);
        cx.insert("sublevel", &(level + 1).min(6));
        cx.insert(
            "card",
            &CardView {
                anchor: request_anchor(req),
                id: &req.id,
                title: &req.title,
                description,
                method: &req.method,
                target: self.shown(req.target()),
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
                origins: self.origins.legend(self.site, (index, i), root),
                response,
            },
        );
        self.theme.render("partials/request.html", &cx)
    }

    /// `text` with its placeholders as the snippets show them (`$NAME`).
    fn shown(&self, text: &str) -> String {
        flatten(
            &call::fill(text, &Placeholders::new(&self.site.config)),
            &|e| format!("${e}"),
        )
    }

    /// What a card shows to run its request: the prompt, the URL to open
    /// (with its parameters), or a snippet per language.
    fn snippets(
        &self,
        req: &Request,
        call: &call::Call,
        place: &Place,
    ) -> (Vec<SnippetView>, Vec<Param>) {
        if req.interactive == Some(crate::content::Interactive::Prompt) {
            let shown = self.shown(req.prompt.as_deref().unwrap_or_default());
            let code = place.blocks.code(&format!("{shown}\n"), "text");
            let view = SnippetView {
                id: "prompt",
                label: "Prompt",
                code,
            };
            return (vec![view], Vec::new());
        }
        if req.interactive.is_some() {
            let url = flatten(&call.url, &|e| format!("${e}"));
            let params = req
                .query
                .iter()
                .flat_map(|(k, v)| v.values().into_iter().map(move |v| (k.clone(), v)))
                .map(|(name, v)| Param {
                    name,
                    value: self.shown(v),
                })
                .collect();
            let code = place.blocks.code(&format!("{url}\n"), "text");
            let view = SnippetView {
                id: "url",
                label: "URL",
                code,
            };
            return (vec![view], params);
        }
        let langs: &[Lang] = if place.is_print() {
            // Printed: the default language only.
            &self.snippet_langs()[..1]
        } else {
            self.snippet_langs()
        };
        let views = langs
            .iter()
            .map(|l| SnippetView {
                id: l.id(),
                label: l.label(),
                code: place.blocks.generated(&l.code(call), l.syntax()),
            })
            .collect();
        (views, Vec::new())
    }

    /// The response a card shows: its status, body and origin.
    fn response_view(&self, r: &Response, place: &Place) -> ResponseView {
        ResponseView {
            status: r.status,
            ok: (200..300).contains(&r.status),
            body: match r.body_text() {
                text if text.is_empty() => {
                    format!("<p class=\"no-body\">{}</p>", escape(self.t("no_body")))
                }
                text => place.blocks.code(&text, "json"),
            },
            sample: r.origin == Origin::Sample,
            recorded_at: match &r.origin {
                Origin::Snapshot { recorded_at } => Some(recorded_at.clone()),
                Origin::Sample => None,
            },
        }
    }

    pub(super) fn payload_card(
        &self,
        step: &'a Step,
        i: usize,
        place: Place,
        level: u8,
    ) -> Result<String> {
        let root = place.root;
        let p = &step.payloads[i];
        let description = self.description(step, p.def.description.as_ref(), place)?;
        let mut cx = self.base_context(root);
        cx.insert("level", &level);
        cx.insert(
            "payload",
            &PayloadView {
                anchor: payload_anchor(p),
                title: &p.def.title,
                description,
                code: place.blocks.code(&p.code, &p.lang),
            },
        );
        self.theme.render("partials/payload.html", &cx)
    }
}

/// A card's HTML, or its content problems added to `problems` (so every
/// problem of a page is reported, not only the first card's).
pub(super) fn reported(
    card: Result<String>,
    problems: &mut Vec<crate::error::Diagnostic>,
) -> Result<String> {
    match card {
        Err(Error::Content(d)) => {
            problems.extend(d.0);
            Ok(String::new())
        }
        other => other,
    }
}

/// The first line of a YAML value's Markdown: the line after
/// `description: |` (or `>`), else the value's own line.
fn markdown_line(file: &str, line: usize) -> usize {
    let Some(text) = line.checked_sub(1).and_then(|l| file.lines().nth(l)) else {
        return line.max(1);
    };
    let value = text.split_once(':').map_or(text, |(_, v)| v).trim_start();
    if value.starts_with(['|', '>']) {
        line + 1
    } else {
        line
    }
}

/// The anchor of a request card.
pub(super) fn request_anchor(r: &Request) -> String {
    format!("request-{}", r.id)
}

/// The anchor of a payload card: its id, or its title as a slug.
pub(super) fn payload_anchor(p: &crate::content::ResolvedPayload) -> String {
    format!(
        "payload-{}",
        p.def
            .id
            .clone()
            .unwrap_or_else(|| markdown::slugify(&p.def.title))
    )
}
