//! Where each placeholder in a snippet comes from: a value captured from an
//! earlier response (which request, which JSONPath), a value the person
//! obtains by hand (a browser step, a prompt), or a secret from the
//! environment. Shown as a legend under each request's snippets, and as a
//! step's "before you run this page" block in each snippet language.

use std::collections::HashMap;

use serde::Serialize;

use super::code_block::CodeBlocks;
use super::snippets::Lang;
use crate::content::call::placeholder_name;
use crate::content::request::variables;
use crate::content::{Request, Site};

/// The request that captures a value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Capturer {
    pub step: usize,
    pub request: usize,
    pub path: String,
}

/// Every captured name and the first request that captures it.
#[derive(Debug, Default)]
pub(crate) struct Origins(HashMap<String, Capturer>);

/// One placeholder of a card, as the legend shows it.
#[derive(Debug, Serialize)]
pub(crate) struct OriginView {
    /// `USER_ID` (shown as `$USER_ID`).
    pub placeholder: String,
    /// `capture`, `manual` (from a browser step or a prompt) or `secret`.
    pub kind: &'static str,
    /// For captures: the JSONPath, the request's title, its step's number
    /// and a link to its card.
    pub path: String,
    pub request: String,
    pub step: u32,
    pub url: String,
}

/// The "before you run this page" lines in one snippet language.
#[derive(Serialize)]
pub(crate) struct SetupView {
    pub id: &'static str,
    pub label: &'static str,
    pub code: String,
}

impl Origins {
    /// The captures of `site`, in chain order.
    pub fn new(site: &Site) -> Origins {
        let mut map = HashMap::new();
        for (s, step) in site.steps.iter().enumerate() {
            for (r, req) in step.requests.iter().enumerate() {
                for (name, cap) in &req.capture {
                    map.entry(name.clone()).or_insert_with(|| Capturer {
                        step: s,
                        request: r,
                        path: cap.path().to_owned(),
                    });
                }
            }
        }
        Origins(map)
    }

    /// The placeholders `req` shows, in order of first use (site variables
    /// are filled in, so they are not placeholders).
    pub fn legend(&self, site: &Site, req: &Request, root: &str, here: &str) -> Vec<OriginView> {
        let config = &site.config;
        let mut names: Vec<&str> = Vec::new();
        let auth = req
            .auth_kind()
            .and_then(|k| config.auth.get(k))
            .map(|k| k.names())
            .unwrap_or_default();
        for name in req.strings().into_iter().flat_map(variables).chain(auth) {
            if !names.contains(&name) && !config.variables.contains_key(name) {
                names.push(name);
            }
        }
        names
            .into_iter()
            .filter_map(|name| {
                let placeholder = placeholder_name(config, name);
                if config.secrets.contains_key(name) {
                    return Some(OriginView {
                        placeholder,
                        kind: "secret",
                        path: String::new(),
                        request: String::new(),
                        step: 0,
                        url: String::new(),
                    });
                }
                let c = self.0.get(name)?;
                let (step, from) = (&site.steps[c.step], &site.steps[c.step].requests[c.request]);
                Some(OriginView {
                    placeholder,
                    kind: if from.interactive.is_some() {
                        "manual"
                    } else {
                        "capture"
                    },
                    path: c.path.clone(),
                    request: from.title.clone(),
                    step: c.step as u32 + 1,
                    url: if step.slug == here {
                        format!("#request-{}", from.id)
                    } else {
                        format!("{root}{}/index.html#request-{}", step.slug, from.id)
                    },
                })
            })
            .collect()
    }

    /// What step `index` needs set before its snippets run, in each of
    /// `langs`: one line per placeholder of its HTTP requests.
    /// `secret` is the word for a secret in the page's language.
    pub fn setup(
        &self,
        site: &Site,
        index: usize,
        (langs, secret): (&[Lang], &str),
        blocks: &CodeBlocks,
    ) -> Vec<SetupView> {
        let mut needed: Vec<OriginView> = Vec::new();
        for req in site.steps[index]
            .requests
            .iter()
            .filter(|r| r.interactive.is_none())
        {
            // A value captured on this page is set between its cards.
            for o in self.legend(site, req, "", &site.steps[index].slug) {
                if o.url.starts_with('#') {
                    continue;
                }
                if !needed.iter().any(|n| n.placeholder == o.placeholder) {
                    needed.push(o);
                }
            }
        }
        if needed.is_empty() {
            return Vec::new();
        }
        langs
            .iter()
            .map(|&lang| {
                let (syntax, set): (&str, fn(&str) -> String) = if lang == Lang::Powershell {
                    ("powershell", |p| format!("$env:{p} = '…'"))
                } else {
                    ("bash", |p| format!("export {p}='…'"))
                };
                let text: String = needed
                    .iter()
                    .map(|o| {
                        let why = match o.kind {
                            "secret" => secret.to_owned(),
                            _ => format!("{} ({}. {})", o.path, o.step, o.request),
                        };
                        format!("{}   # {why}\n", set(&o.placeholder))
                    })
                    .collect();
                SetupView {
                    id: lang.id(),
                    label: lang.label(),
                    code: blocks.code(&text, syntax),
                }
            })
            .collect()
    }

    /// What the legends of step `step` show, for its page's fingerprint.
    pub fn fingerprint_of(&self, site: &Site, step: usize) -> String {
        let slug = &site.steps[step].slug;
        let legends: Vec<Vec<OriginView>> = site.steps[step]
            .requests
            .iter()
            .map(|req| self.legend(site, req, "", slug))
            .collect();
        format!("{legends:?}")
    }
}
