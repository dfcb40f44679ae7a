//! The theme: Tera templates, static assets and UI translations. The
//! default theme is embedded in the binary; a walkthrough's own
//! `themes/<name>/` overrides its files one by one (same relative path wins).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::source;

/// The default theme, compiled in.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// UI strings of one language.
pub type Translations = BTreeMap<String, String>;

/// A loaded theme.
pub struct Theme {
    tera: tera::Tera,
    /// Each template's file, for errors.
    origins: std::sync::Arc<BTreeMap<String, PathBuf>>,
    /// UI strings for the site's language (English where a key is missing).
    pub translations: Translations,
    /// Files under `static/`, relative to it, with their bytes.
    pub static_files: Vec<(PathBuf, Vec<u8>)>,
    /// A hash of every theme file, for incremental rebuilds.
    pub fingerprint: u64,
}

/// A theme file: its path relative to the theme folder, its bytes, and where it came from.
struct ThemeFile {
    rel: PathBuf,
    bytes: Vec<u8>,
    origin: PathBuf,
}

fn embedded_files(dir: &Dir<'static>, out: &mut BTreeMap<PathBuf, ThemeFile>) {
    for file in dir.files() {
        out.insert(
            file.path().to_path_buf(),
            ThemeFile {
                rel: file.path().to_path_buf(),
                bytes: file.contents().to_vec(),
                origin: Path::new("(embedded default theme)").join(file.path()),
            },
        );
    }
    for sub in dir.dirs() {
        embedded_files(sub, out);
    }
}

/// The folder holding a walkthrough's override of theme `name`.
pub fn theme_dir(root: &Path, name: &str) -> PathBuf {
    root.join("themes").join(name)
}

impl Theme {
    /// Loads theme `name` for `language`: the embedded default, overridden by `root/themes/<name>/`.
    pub fn load(root: &Path, name: &str, language: &str) -> Result<Theme> {
        let mut themes = Theme::load_all(root, name, &[language.to_owned()])?;
        Ok(themes.remove(0))
    }

    /// The theme once for each of `languages`: its files are read and its
    /// templates compiled once; only the UI strings differ.
    pub fn load_all(root: &Path, name: &str, languages: &[String]) -> Result<Vec<Theme>> {
        let files = theme_files(root, name)?;
        let (tera, origins) = compile(&files)?;
        use std::hash::{Hash, Hasher};
        let mut files_hash = rustc_hash::FxHasher::default();
        for f in files.values() {
            (&f.rel, &f.bytes).hash(&mut files_hash);
        }
        let static_files: Vec<(PathBuf, Vec<u8>)> = files
            .values()
            .filter_map(|f| {
                f.rel
                    .strip_prefix("static")
                    .ok()
                    .map(|r| (r.to_path_buf(), f.bytes.clone()))
            })
            .collect();
        languages
            .iter()
            .map(|language| {
                let mut h = files_hash.clone();
                language.hash(&mut h);
                Ok(Theme {
                    fingerprint: h.finish(),
                    tera: tera.clone(),
                    origins: origins.clone(),
                    translations: load_translations(&files, language, root)
                        .map_err(|d| Error::Content(Diagnostics(vec![d])))?,
                    static_files: static_files.clone(),
                })
            })
            .collect()
    }

    /// Renders template `name` with `context`.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String> {
        self.tera.render(name, context).map_err(|e| {
            let file = self
                .origins
                .get(name)
                .map_or_else(|| format!("templates/{name}"), |o| o.display().to_string());
            Error::Template(format!("{file}: cannot render\n{}", report(&e)))
        })
    }
}

/// Tera's error with its source chain, which carries the template line.
fn report(e: &tera::Error) -> String {
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(&format!("\n{s}"));
        source = s.source();
    }
    out
}

/// A diagnostic about site.yaml at the value `value` on the line of the
/// first of `keys` the file has at a line start (`languages: [da, xx]`).
fn site_yaml(root: &Path, msg: String, (keys, value): (&[&str], &str)) -> Diagnostic {
    let rel = Path::new(crate::content::CONTENT_DIR).join("site.yaml");
    let d = Diagnostic::new(&rel, msg);
    let Ok(text) = std::fs::read_to_string(root.join(&rel)) else {
        return d;
    };
    let found = keys.iter().find_map(|key| {
        let line = format!("{key}:");
        let at = if text.starts_with(&line) {
            Some(0)
        } else {
            text.find(&format!("\n{line}")).map(|i| i + 1)
        };
        at.map(|at| (at, *key))
    });
    let Some((at, key)) = found else {
        return d;
    };
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let found = text[at + key.len()..line_end]
        .find(value)
        .map_or(at, |i| at + key.len() + i);
    let (line, column) = crate::error::line_col(&text, found);
    d.at(&text, line, column)
}

/// The files of theme `name`: the embedded default's, overridden by those
/// under `root/themes/<name>/`, each read through the safe reader.
fn theme_files(root: &Path, name: &str) -> Result<BTreeMap<PathBuf, ThemeFile>> {
    let mut files = BTreeMap::new();
    embedded_files(&DEFAULT_THEME, &mut files);
    let plain_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '.')
        && !name.starts_with('.');
    if !plain_name {
        return Err(Error::Content(Diagnostics(vec![site_yaml(
            root,
            format!("theme `{name}` is not a folder name under themes/"),
            (&["theme"], name),
        )
        .hint(
            "name a folder in themes/ (letters, digits, `-`, `_`), e.g. `theme: moneycapp`",
        )])));
    }
    let dir = theme_dir(root, name);
    if !dir.is_dir() {
        if name == "default" {
            return Ok(files);
        }
        let msg = format!("theme `{name}` not found: there is no {}", dir.display());
        return Err(Error::Content(Diagnostics(vec![site_yaml(
            root,
            msg,
            (&["theme"], name),
        )
        .hint("remove `theme` to use the built-in default theme")])));
    }
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::Template(format!("{}: {e}", dir.display())))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let origin = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        match source::read_bytes(root, origin, source::DATA_LIMIT) {
            Ok(bytes) => {
                let (rel, origin) = (rel.to_path_buf(), origin.to_path_buf());
                files.insert(rel.clone(), ThemeFile { rel, bytes, origin });
            }
            Err(source::ReadError::Refused(d)) => problems.push(d),
            Err(source::ReadError::Missing) => {}
        }
    }
    if !problems.is_empty() {
        return Err(Error::Content(Diagnostics(problems)));
    }
    Ok(files)
}

/// The theme's templates compiled, with each template's file (for errors).
type Compiled = (tera::Tera, std::sync::Arc<BTreeMap<String, PathBuf>>);

/// Compiles the templates among `files`; an error names the template's file.
fn compile(files: &BTreeMap<PathBuf, ThemeFile>) -> Result<Compiled> {
    let mut tera = tera::Tera::new();
    let mut templates = Vec::new();
    for f in files.values() {
        if let Ok(name) = f.rel.strip_prefix("templates") {
            let text = String::from_utf8_lossy(&f.bytes).into_owned();
            templates.push((name.to_string_lossy().replace('\\', "/"), text, &f.origin));
        }
    }
    tera.add_raw_templates(
        templates
            .iter()
            .map(|(name, text, _)| (name.as_str(), text.as_str())),
    )
    .map_err(|e| {
        let culprit = templates
            .iter()
            .map(|(_, _, o)| o.display().to_string())
            .find(|o| report(&e).contains(o.rsplit('/').next().unwrap_or(o)));
        Error::Template(format!(
            "{}: template error\n{}",
            culprit.as_deref().unwrap_or("theme templates"),
            report(&e)
        ))
    })?;
    let origins = templates
        .iter()
        .map(|(name, _, origin)| (name.clone(), origin.to_path_buf()))
        .collect();
    Ok((tera, std::sync::Arc::new(origins)))
}

/// The theme's UI strings for `language` over English (of the walkthrough
/// at `root`, for the position of a language the theme lacks).
fn load_translations(
    files: &BTreeMap<PathBuf, ThemeFile>,
    language: &str,
    root: &Path,
) -> std::result::Result<Translations, Diagnostic> {
    let mut out = Translations::new();
    for lang in ["en", language] {
        let rel = PathBuf::from("translations").join(format!("{lang}.yaml"));
        let Some(f) = files.get(&rel) else {
            if lang != "en" {
                let msg = format!("the theme has no translations for language `{language}`");
                return Err(
                    site_yaml(root, msg, (&["languages", "language"], language)).hint(format!(
                        "add {} to the theme, or set `language` to `da` or `en`",
                        rel.display()
                    )),
                );
            }
            continue;
        };
        let text = String::from_utf8_lossy(&f.bytes);
        let map: Translations = crate::yaml::parse(&f.origin, &text, &text, 1)?;
        out.extend(map);
    }
    Ok(out)
}
