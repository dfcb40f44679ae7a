//! The languages a site is published in, as pages show them: the default at
//! the site's root and each other under `<lang>/`, a switch on every page to
//! the same page in each language, `<link rel="alternate" hreflang>`, and
//! `sitemap.xml` with the alternates.

use serde::Serialize;

use super::html::escape;
use super::page::Renderer;
use crate::content::Site;

/// Every language of the site (code and name, the default first) and the
/// one being rendered.
#[derive(Debug, Clone)]
pub struct Languages {
    /// (code, name in that language), the default first.
    pub all: Vec<(String, String)>,
    /// Index into `all` of the language being rendered.
    pub current: usize,
}

impl Languages {
    /// A site in one language.
    pub fn single(code: &str) -> Languages {
        Languages {
            all: vec![(code.to_owned(), code.to_owned())],
            current: 0,
        }
    }

    /// Where language `i`'s pages live, relative to the site's root.
    pub fn prefix(&self, i: usize) -> String {
        if i == 0 {
            String::new()
        } else {
            format!("{}/", self.all[i].0)
        }
    }

    /// From a page whose path to its language's home is `root`, the path
    /// to the site's root (where `static/` and `downloads/` are).
    pub fn static_root(&self, root: &str) -> String {
        if self.current == 0 || root.starts_with('/') {
            root.to_owned()
        } else {
            format!("{root}../")
        }
    }
}

/// One entry of the language switch.
#[derive(Serialize)]
struct SwitchView<'a> {
    code: &'a str,
    name: &'a str,
    url: String,
    current: bool,
}

/// One `<link rel="alternate" hreflang>`.
#[derive(Serialize)]
struct AlternateView<'a> {
    code: &'a str,
    url: String,
}

impl Renderer<'_> {
    /// The public address of this language's home (`base_url`, plus
    /// `en/` for English when it is not the default).
    pub(super) fn home_url(&self) -> String {
        format!(
            "{}{}",
            self.site.config.base_url(),
            self.languages.prefix(self.languages.current)
        )
    }

    /// The context of a whole page at `page` (`""`, `"slug/"`, `"print.html"`,
    /// relative to its language's home) whose path to that home is `root`:
    /// the shared values, the language switch and the alternates.
    pub(super) fn page_context(&self, root: &str, page: &str) -> tera::Context {
        let mut cx = self.base_context(root);
        let langs = &self.languages;
        if langs.all.len() > 1 {
            let up = langs.static_root(root);
            let file = if page.is_empty() || page.ends_with('/') {
                format!("{page}index.html")
            } else {
                page.to_owned()
            };
            let switch: Vec<SwitchView> = langs
                .all
                .iter()
                .enumerate()
                .map(|(i, (code, name))| SwitchView {
                    code,
                    name,
                    url: format!("{up}{}{file}", langs.prefix(i)),
                    current: i == langs.current,
                })
                .collect();
            let base = self.site.config.base_url();
            let alternates: Vec<AlternateView> = langs
                .all
                .iter()
                .enumerate()
                .map(|(i, (code, _))| AlternateView {
                    code,
                    url: format!("{base}{}{page}", langs.prefix(i)),
                })
                .collect();
            cx.insert("languages", &switch);
            cx.insert("alternates", &alternates);
        }
        cx
    }
}

/// `sitemap.xml`: every page in every language, with its alternates.
pub fn sitemap(site: &Site, langs: &Languages) -> String {
    let base = site.config.base_url();
    let pages: Vec<String> = std::iter::once(String::new())
        .chain(site.steps.iter().map(|s| format!("{}/", s.slug)))
        .collect();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"");
    if langs.all.len() > 1 {
        out.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    out.push_str(">\n");
    for i in 0..langs.all.len() {
        for page in &pages {
            out.push_str(&format!(
                "  <url><loc>{}</loc>",
                escape(&format!("{base}{}{page}", langs.prefix(i)))
            ));
            if langs.all.len() > 1 {
                for (j, (code, _)) in langs.all.iter().enumerate() {
                    out.push_str(&format!(
                        "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                        escape(code),
                        escape(&format!("{base}{}{page}", langs.prefix(j)))
                    ));
                }
            }
            out.push_str("</url>\n");
        }
    }
    out.push_str("</urlset>\n");
    out
}
