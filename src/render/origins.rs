//! Where each placeholder in a snippet comes from: a value captured from an
//! earlier response (which request, which JSONPath), a value the person
//! obtains by hand (a browser step, a prompt), or a secret from the
//! environment. Shown as a legend under each request's snippets, and as a
//! step's "before you run this page" block in each snippet language.

use serde::Serialize;

use super::code_block::CodeBlocks;
use super::snippets::{Code, Kind, Lang};
use crate::call::placeholder_name;
use crate::content::chain::{Capturers, Pos};
use crate::content::data::one_line;
use crate::content::Site;

/// Who supplies each captured value (see [`Capturers`]).
#[derive(Debug, Default)]
pub(crate) struct Origins(Capturers);

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
        Origins(Capturers::new(&site.steps))
    }

    /// The placeholders the request at `at` shows, in order of first use
    /// (site variables are filled in, so they are not placeholders), each
    /// with the request that supplies it there. `root` leads to the site's
    /// root from the page the legend is on, step `at.0`'s own page.
    pub fn legend(&self, site: &Site, at: Pos, root: &str) -> Vec<OriginView> {
        let config = &site.config;
        let req = &site.steps[at.0].requests[at.1];
        req.names(config)
            .into_iter()
            .filter(|name| !config.variables.contains_key(*name))
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
                let (s, r) = self.0.of(name, at)?;
                let (step, from) = (&site.steps[s], &site.steps[s].requests[r]);
                Some(OriginView {
                    placeholder,
                    kind: if from.interactive.is_some() {
                        "manual"
                    } else {
                        "capture"
                    },
                    path: from.capture.get(name).map(|c| c.path().to_owned())?,
                    request: from.title.clone(),
                    step: s as u32 + 1,
                    url: if s == at.0 {
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
        for (r, _) in site.steps[index]
            .requests
            .iter()
            .enumerate()
            .filter(|(_, r)| r.interactive.is_none())
        {
            // A value captured on this page is set between its cards.
            for o in self.legend(site, (index, r), "") {
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
                let powershell = lang == Lang::Powershell;
                let mut code = Code::new();
                for o in &needed {
                    let why = match o.kind {
                        "secret" => secret.to_owned(),
                        _ => format!("{} ({}. {})", o.path, o.step, o.request),
                    };
                    if powershell {
                        code.push(&format!("$env:{}", o.placeholder), Kind::Variable);
                        code.extend(&[
                            (" ", Kind::Plain),
                            ("=", Kind::Operator),
                            (" ", Kind::Plain),
                        ]);
                    } else {
                        code.extend(&[("export", Kind::Function), (" ", Kind::Plain)]);
                        code.extend(&[(&o.placeholder, Kind::Variable), ("=", Kind::Operator)]);
                    }
                    code.extend(&[("'…'", Kind::String), ("   ", Kind::Plain)]);
                    code.push(&format!("# {}", one_line(&why)), Kind::Comment);
                    code.plain("\n");
                }
                let syntax = if powershell { "powershell" } else { "bash" };
                SetupView {
                    id: lang.id(),
                    label: lang.label(),
                    code: blocks.generated(&code, syntax),
                }
            })
            .collect()
    }

    /// What step `step` takes from other steps, for its page's
    /// fingerprint: for each name its requests use, the request that
    /// supplies it (step, id, title, JSONPath, set by hand or not).
    pub fn fingerprint_of(&self, site: &Site, step: usize) -> String {
        let mut out = String::new();
        for (r, req) in site.steps[step].requests.iter().enumerate() {
            for name in req.names(&site.config) {
                let Some((s, i)) = self.0.of(name, (step, r)) else {
                    continue;
                };
                let from = &site.steps[s].requests[i];
                let path = from.capture.get(name).map(|c| c.path()).unwrap_or("");
                let fields: [&str; 7] = [
                    &r.to_string(),
                    name,
                    &site.steps[s].slug,
                    &from.id,
                    &from.title,
                    path,
                    if from.interactive.is_some() {
                        "manual"
                    } else {
                        "capture"
                    },
                ];
                out.push_str(&fields.join("\u{1f}"));
                out.push('\n');
            }
        }
        out
    }
}
