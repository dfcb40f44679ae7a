//! `content/site.yaml`: the walkthrough's settings.

use std::collections::BTreeMap;

use std::path::Path;

use serde::Deserialize;

use super::localized::Localized;
use super::request::{is_identifier, Variable};
use crate::error::Diagnostic;

/// How to fix a name that is not an identifier.
const IDENT_HINT: &str = "use letters, digits and `_`, not starting with a digit";
/// The parsed `site.yaml`. Only `title` is required.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Site title, shown in every page header and `<title>`.
    pub title: String,
    /// One sentence about the walkthrough (meta description, index page).
    #[serde(default)]
    pub description: String,
    /// Language of the content and of the theme's UI strings (`da`, `en`);
    /// `en` when neither this nor `languages` is given.
    #[serde(default)]
    language: Option<String>,
    /// Every language the walkthrough is published in, the default first
    /// (`[da, en]`): the default at the site's root, each other under
    /// `/<lang>/`, from `NN-slug.<lang>.md` translations.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Where the site is published, e.g. `https://user.github.io/repo/`.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// Theme folder name under `themes/` (the embedded `default` otherwise).
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The API the requests talk to.
    #[serde(default)]
    pub api: Option<ApiConfig>,
    /// Non-secret values that requests reference as `{{ name }}`.
    #[serde(default)]
    pub variables: BTreeMap<String, Variable>,
    /// Secret values: variable name -> environment variable that holds it.
    #[serde(default)]
    pub secrets: BTreeMap<String, String>,
    /// The kinds of authentication requests use, by name (`auth: NAME` on a request).
    #[serde(default)]
    pub auth: indexmap::IndexMap<String, AuthKind>,
    /// Where a step's source can be edited: a URL its file path is appended
    /// to (`https://github.com/OWNER/REPO/edit/main/`, plus the folder of the
    /// walkthrough when it is not the repository's root).
    #[serde(default)]
    pub edit_url: Option<String>,
    /// Links shown in the footer and on the index page.
    #[serde(default)]
    pub links: Vec<Link>,
    /// Settings of `stepdoc record`.
    #[serde(default)]
    pub record: RecordConfig,
    /// Snippet languages on request cards, in tab order; the first is the default.
    #[serde(default = "default_snippets")]
    pub snippets: Vec<Lang>,
    /// Set by `stepdoc serve --mock`: the mock's address, which every base
    /// then points under (the pages say so).
    #[serde(skip)]
    pub mock: Option<String>,
}

fn default_snippets() -> Vec<Lang> {
    Lang::ALL.to_vec()
}

/// A language request cards show snippets in (`snippets:` in site.yaml);
/// the writers live in `render::snippets`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// cURL in a POSIX shell.
    Curl,
    /// `curl.exe` in PowerShell 7.3+.
    Powershell,
    /// HTTPie in a POSIX shell.
    Httpie,
    /// Python with `requests`.
    Python,
    /// JavaScript with `fetch` (Node 20+, browsers).
    Javascript,
    /// Rust with `reqwest` (blocking).
    Rust,
}

impl Lang {
    /// Every language, in the default order.
    pub const ALL: [Lang; 6] = [
        Lang::Curl,
        Lang::Powershell,
        Lang::Httpie,
        Lang::Python,
        Lang::Javascript,
        Lang::Rust,
    ];

    /// A stable id (`curl`, `python`, ...), also the remembered choice.
    pub fn id(self) -> &'static str {
        match self {
            Lang::Curl => "curl",
            Lang::Powershell => "powershell",
            Lang::Httpie => "httpie",
            Lang::Python => "python",
            Lang::Javascript => "javascript",
            Lang::Rust => "rust",
        }
    }
}

/// One kind of authentication: its badge label, and how the request carries
/// it. Each names the variable, secret or capture that holds the value;
/// nothing is implied by a kind's name.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthKind {
    /// The badge on request cards (`app-token`, `API key`), or one per
    /// language (`{ da: bruger-token, en: user token }`).
    pub label: Localized,
    /// `Authorization: Bearer {{ NAME }}`.
    #[serde(default)]
    pub bearer: Option<String>,
    /// A header of this name holding `value` (API keys).
    #[serde(default)]
    pub header: Option<String>,
    /// With `header`: the name whose value the header carries.
    #[serde(default)]
    pub value: Option<String>,
    /// HTTP Basic with a user and a password.
    #[serde(default)]
    pub basic: Option<BasicAuth>,
}

/// `basic: { user: client_id, password: client_secret }`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasicAuth {
    /// The name holding the user.
    pub user: String,
    /// The name holding the password.
    pub password: String,
}

/// How a request carries an [`AuthKind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme<'a> {
    /// `Authorization: Bearer <value of name>`.
    Bearer(&'a str),
    /// `<header>: <value of name>`.
    Header(&'a str, &'a str),
    /// `Authorization: Basic base64(<user>:<password>)`.
    Basic(&'a str, &'a str),
}

impl AuthKind {
    /// The scheme, when exactly one is given.
    pub fn scheme(&self) -> Option<AuthScheme<'_>> {
        match (&self.bearer, &self.header, &self.value, &self.basic) {
            (Some(b), None, None, None) => Some(AuthScheme::Bearer(b)),
            (None, Some(h), Some(v), None) => Some(AuthScheme::Header(h, v)),
            (None, None, None, Some(b)) => Some(AuthScheme::Basic(&b.user, &b.password)),
            _ => None,
        }
    }

    /// The names whose values the request needs.
    pub fn names(&self) -> Vec<&str> {
        match self.scheme() {
            Some(AuthScheme::Bearer(n)) => vec![n],
            Some(AuthScheme::Header(_, n)) => vec![n],
            Some(AuthScheme::Basic(u, p)) => vec![u, p],
            None => vec![],
        }
    }
}

/// Settings of `stepdoc record`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordConfig {
    /// Variables that get a random suffix per recording (ids that must be
    /// unique, such as an external user id, so a re-run does not get 409).
    #[serde(default)]
    pub unique: Vec<String>,
    /// JSONPaths of personal data in responses (names, IBANs, emails):
    /// recorded as pseudonyms of the same shape, consistent across snapshots.
    #[serde(default)]
    pub redact: Vec<String>,
}

/// The API's base URLs, by name: `base_url` is the base named `api`, the
/// default; `bases` adds more (a login or consent host, say). A request
/// picks one with `base: NAME`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiConfig {
    /// The base named `api`, which request paths are joined to by default.
    pub base_url: String,
    /// More named bases: a URL, or `{ url, openapi }` with the base's own
    /// OpenAPI description.
    #[serde(default)]
    pub bases: std::collections::BTreeMap<String, Base>,
    /// The provider's OpenAPI 3.0 or 3.1 description of the `api` base, a
    /// path under `content/`: requests and shown responses are checked
    /// against it.
    #[serde(default)]
    pub openapi: Option<String>,
}

/// A named base other than `api`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Base {
    /// `login: https://github.com`
    Url(String),
    /// `login: { url: https://github.com, openapi: github-login.yaml }`
    Described(DescribedBase),
}

/// A base with its own OpenAPI description.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescribedBase {
    /// The base URL.
    pub url: String,
    /// Its OpenAPI 3.0 or 3.1 description, a path under `content/`.
    #[serde(default)]
    pub openapi: Option<String>,
}

impl Base {
    /// The base URL.
    pub fn url(&self) -> &str {
        match self {
            Base::Url(u) | Base::Described(DescribedBase { url: u, .. }) => u,
        }
    }
}

/// The name of the default base.
pub const DEFAULT_BASE: &str = "api";

impl ApiConfig {
    /// The base named `name`.
    pub fn base(&self, name: &str) -> Option<&str> {
        if name == DEFAULT_BASE {
            Some(&self.base_url)
        } else {
            self.bases.get(name).map(Base::url)
        }
    }

    /// The OpenAPI description of base `name`, if it has one.
    pub fn description(&self, name: &str) -> Option<&str> {
        if name == DEFAULT_BASE {
            return self.openapi.as_deref();
        }
        match self.bases.get(name)? {
            Base::Described(d) => d.openapi.as_deref(),
            Base::Url(_) => None,
        }
    }

    /// Every base name, `api` first.
    pub fn names(&self) -> Vec<&str> {
        std::iter::once(DEFAULT_BASE)
            .chain(self.bases.keys().map(String::as_str))
            .collect()
    }

    /// Points the base `name` at `url` (for `--base NAME=URL`); false when
    /// the walkthrough has no base of that name.
    pub fn set_base(&mut self, name: &str, url: &str) -> bool {
        if name == DEFAULT_BASE {
            self.base_url = url.to_owned();
            true
        } else if let Some(b) = self.bases.get_mut(name) {
            let (Base::Url(u) | Base::Described(DescribedBase { url: u, .. })) = b;
            *u = url.to_owned();
            true
        } else {
            false
        }
    }
}

/// A titled external link.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// Link text, or one per language.
    pub title: Localized,
    /// Absolute URL.
    pub url: String,
}

fn default_base_url() -> String {
    "/".into()
}
fn default_theme() -> String {
    "default".into()
}

impl SiteConfig {
    /// The language of the content: `language` (a localized copy sets it),
    /// else the first of `languages`, else `en`.
    pub fn language(&self) -> &str {
        self.language
            .as_ref()
            .or(self.languages.first())
            .map_or("en", String::as_str)
    }

    /// Every language, the default first.
    pub fn languages(&self) -> Vec<String> {
        if self.languages.is_empty() {
            vec![self.language().to_owned()]
        } else {
            self.languages.clone()
        }
    }

    /// Sets the language of a localized copy (its `languages` stay), and
    /// chooses that language's auth labels and link titles.
    pub fn set_language(&mut self, lang: &str) {
        self.language = Some(lang.to_owned());
        self.choose_texts(lang);
    }

    /// Chooses `lang`'s text in every per-language field (the default
    /// language's where `lang` has none).
    pub fn choose_texts(&mut self, lang: &str) {
        let default = self.languages().first().cloned().unwrap_or_default();
        for kind in self.auth.values_mut() {
            kind.label.choose(lang, &default);
        }
        for link in &mut self.links {
            link.title.choose(lang, &default);
        }
    }

    /// Problems that parsing cannot see: names that are not identifiers or
    /// that collide, a `base_url` that is not a URL or a path, links that
    /// would run script. `text` is site.yaml, for positions.
    pub fn problems(&self, file: &Path, text: &str) -> Vec<Diagnostic> {
        let at = |msg: String, needle: &str| Diagnostic::new(file, msg).at_key(text, needle);
        let mut out = self.name_problems(&at);
        out.extend(self.language_problems(file, text, &at));
        for path in &self.record.redact {
            if let Err(e) = serde_json_path::JsonPath::parse(path) {
                out.push(
                    at(
                        format!("record.redact: `{path}` is not a JSONPath: {e}"),
                        path,
                    )
                    .hint("e.g. `$.accounts[*].identifiers.iban.iban` or `$..holderName`"),
                );
            }
        }
        out.extend(self.auth_problems(&at));
        out.extend(self.data_problems(&at));
        out.extend(self.localized_problems(&at));
        out.extend(self.address_problems(text, &at));
        out
    }

    /// Variable and secret names that are not identifiers, or both.
    fn name_problems(&self, at: &dyn Fn(String, &str) -> Diagnostic) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for name in self.variables.keys() {
            if !is_identifier(name) {
                out.push(
                    at(format!("variable name `{name}` is not a valid name"), name)
                        .hint(IDENT_HINT),
                );
            }
        }
        for (name, env) in &self.secrets {
            if !is_identifier(name) {
                out.push(
                    at(format!("secret name `{name}` is not a valid name"), name).hint(IDENT_HINT),
                );
            }
            if !is_identifier(env) {
                out.push(
                    at(format!("secret `{name}`: `{env}` is not a valid environment variable name"), name)
                        .hint("snippets paste it as `$NAME`: use letters, digits and `_`, not starting with a digit"),
                );
            }
            if self.variables.contains_key(name) {
                out.push(
                    at(format!("`{name}` is both a variable and a secret"), name)
                        .hint("rename one of them: `{{ name }}` must mean one thing"),
                );
            }
        }
        out
    }

    /// Language tags that are not tags or are listed twice, and a
    /// `language` that contradicts `languages`.
    fn language_problems(
        &self,
        file: &Path,
        text: &str,
        at: &dyn Fn(String, &str) -> Diagnostic,
    ) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (i, lang) in self.languages.iter().enumerate() {
            if !super::translate::is_language_tag(lang) {
                out.push(
                    at_in(
                        file,
                        text,
                        "languages",
                        lang,
                        format!("`{lang}` is not a language tag"),
                    )
                    .hint("use a short tag such as `da`, `en` or `pt-BR`"),
                );
            } else if self.languages[..i].contains(lang) {
                out.push(at_in(
                    file,
                    text,
                    "languages",
                    lang,
                    format!("`{lang}` is listed twice under `languages`"),
                ));
            }
        }
        if let (Some(one), Some(first)) = (&self.language, self.languages.first()) {
            if one != first {
                out.push(
                    at(format!("`language: {one}` differs from the first of `languages` ({first}), which is the default"), "language")
                        .hint("remove `language`: with `languages`, the first one is the default"),
                );
            }
        }
        out
    }

    /// Auth kinds without a valid name, scheme or header name.
    fn auth_problems(&self, at: &dyn Fn(String, &str) -> Diagnostic) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (name, kind) in &self.auth {
            if !is_identifier(name) {
                out.push(
                    at(format!("auth kind `{name}` is not a valid name"), name).hint(IDENT_HINT),
                );
            }
            if kind.scheme().is_none() {
                out.push(
                    at(format!("auth kind `{name}` needs exactly one of `bearer`, `header` with `value`, or `basic`"), name)
                        .hint("e.g. `bearer: app_token` (a capture or a secret), `header: X-Api-Key` with `value: api_key`, or `basic: { user: client_id, password: client_secret }`"),
                );
            }
            if let Some(AuthScheme::Header(h, _)) = kind.scheme() {
                if h.is_empty()
                    || !h
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    out.push(at(
                        format!("auth kind `{name}`: `{h}` is not a header name"),
                        h,
                    ));
                }
            }
        }
        out
    }

    /// A `base_url`, `edit_url` or link a browser would not follow safely.
    fn address_problems(
        &self,
        text: &str,
        at: &dyn Fn(String, &str) -> Diagnostic,
    ) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        if let Some(why) = super::data::site_url_problem(&self.base_url) {
            out.push(
                at(
                    format!("base_url `{}`: {why}", self.base_url.escape_debug()),
                    "base_url",
                )
                .hint("e.g. `base_url: https://user.github.io/repo/` or `base_url: /docs/`"),
            );
        }
        if let Some(url) = &self.edit_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                out.push(
                    at(
                        format!("edit_url `{url}` is not an http(s) URL"),
                        "edit_url",
                    )
                    .hint("e.g. `edit_url: https://github.com/OWNER/REPO/edit/main/`"),
                );
            }
        }
        for link in &self.links {
            if let Some(why) = super::data::link_problem(&link.url) {
                let needle: &str = if text.contains(&link.url) {
                    &link.url
                } else {
                    &link.title
                };
                out.push(
                    at(
                        format!(
                            "link `{}`: {why} (`{}`)",
                            link.title,
                            link.url.escape_debug()
                        ),
                        needle,
                    )
                    .hint(
                        "links open in readers' browsers: use an http(s), mailto or relative URL",
                    ),
                );
            }
        }
        out
    }

    /// The base URL with exactly one trailing slash.
    pub fn base_url(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }

    /// The path part of the base URL (`/repo/` for `https://u.github.io/repo/`).
    pub fn base_path(&self) -> String {
        let url = self.base_url();
        let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        let path = if url.contains("://") {
            after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
        } else {
            after_scheme
        };
        if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        }
    }
}

/// A diagnostic at the last whole-word `needle` in the value of `key:` (a
/// list such as `languages: [da, e]`), else at the key.
fn at_in(file: &Path, text: &str, key: &str, needle: &str, msg: String) -> Diagnostic {
    let d = Diagnostic::new(file, msg);
    let Some(start) = crate::error::key_or_text(text, key) else {
        return d;
    };
    let value_end = text[start..].find("\n").map_or(text.len(), |i| start + i);
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let found = text[start + key.len()..value_end]
        .match_indices(needle)
        .map(|(i, _)| start + key.len() + i)
        .filter(|&i| {
            !text[..i].ends_with(is_word) && !text[i + needle.len()..].starts_with(is_word)
        })
        .last()
        .unwrap_or(start);
    let (line, column) = crate::error::line_col(text, found);
    d.at(text, line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_base(base: &str) -> SiteConfig {
        serde_saphyr::from_str(&format!("title: T\nbase_url: '{base}'\n")).unwrap()
    }

    #[test]
    fn base_path_of_a_project_site() {
        assert_eq!(with_base("https://u.github.io/repo").base_path(), "/repo/");
        assert_eq!(
            with_base("https://u.github.io/repo/").base_url(),
            "https://u.github.io/repo/"
        );
        assert_eq!(with_base("https://example.com").base_path(), "/");
        assert_eq!(with_base("/").base_path(), "/");
        assert_eq!(with_base("/docs").base_path(), "/docs/");
    }
}
