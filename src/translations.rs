//! `stepdoc translations`: for each language and step, whether the
//! translation is current, stale (its original's words changed since, with
//! what changed when git history has the version it translates), unmarked
//! or missing; and `--mark-current`, which records in a translation that
//! it is up to date (`translates: <hash>` in its front matter).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::content::translate::{self, prose_hash, prose_parts, Freshness};
use crate::content::{self, Site, Step};
use crate::error::{did_you_mean, Error, Problem, Result};

/// Where one translation of one step stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// No translation: the page is shown in the default language.
    Untranslated,
    /// Up to date.
    Current,
    /// The original changed: the word changes since the version it
    /// translates, when git history has that version (else empty).
    Stale(Vec<String>),
    /// It does not say what it translates.
    Unmarked,
}

/// One step in one language.
#[derive(Debug, Clone)]
pub struct Status {
    /// The language.
    pub lang: String,
    /// The step's slug.
    pub slug: String,
    /// The translation file, relative to the root.
    pub file: Option<PathBuf>,
    /// Where it stands.
    pub state: State,
}

/// Every step in every language but the default, in step order.
pub fn report(root: &Path) -> Result<Vec<Status>> {
    let site = content::load(root)?;
    let mut out = Vec::new();
    for locale in &site.locales {
        for (original, step) in site.steps.iter().zip(&locale.steps) {
            let state = match step.as_ref().map(|s| s.freshness) {
                None => State::Untranslated,
                Some(Freshness::Current) => State::Current,
                Some(Freshness::Unmarked) => State::Unmarked,
                Some(Freshness::Stale) => {
                    State::Stale(changes(root, original, step.as_ref()).unwrap_or_default())
                }
            };
            out.push(Status {
                lang: locale.lang.clone(),
                slug: original.slug.clone(),
                file: step.as_ref().map(|s| s.source.clone()),
                state,
            });
        }
    }
    Ok(out)
}

/// What changed in `original`'s words since the version `translation`
/// translates: that version is found in the git history of its file.
fn changes(root: &Path, original: &Step, translation: Option<&Step>) -> Option<Vec<String>> {
    let translation = translation?;
    let parsed = translate::parse(&translation.source, translation.text.clone()).ok()?;
    let recorded = parsed.translates()?;
    let path = format!("./{}", original.source.to_string_lossy());
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let log = git(&["log", "--format=%H", "-n", "200", "--", &path])?;
    for commit in log.lines() {
        let Some(text) = git(&["show", &format!("{commit}:{path}")]) else {
            continue;
        };
        let Ok(old) = content::step::parse(&original.source, text) else {
            continue;
        };
        if prose_hash(&old) == recorded {
            // Words only, as the hash sees them: a reflow is no change.
            let words = |s: &Step| {
                let parts = prose_parts(s).into_iter();
                let parts = parts.map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "));
                parts.collect::<Vec<_>>().join("\n")
            };
            return Some(word_diff(&words(&old), &words(original)));
        }
    }
    None
}

/// The changes from `old` to `new` word by word, one line per place that
/// changed, with a few words around it: `… a [-old-]{+new+} b …`.
pub fn word_diff(old: &str, new: &str) -> Vec<String> {
    use similar::ChangeTag;
    let diff = similar::TextDiff::from_words(old, new);
    let mut out = Vec::new();
    // Context in tokens, words and the spaces between them: four words.
    for group in diff.grouped_ops(8) {
        let mut line = String::new();
        let mut open: Option<ChangeTag> = None;
        for op in &group {
            for change in diff.iter_changes(op) {
                let tag = change.tag();
                if open != Some(tag) {
                    line.push_str(match open {
                        Some(ChangeTag::Delete) => "-]",
                        Some(ChangeTag::Insert) => "+}",
                        _ => "",
                    });
                    line.push_str(match tag {
                        ChangeTag::Delete => "[-",
                        ChangeTag::Insert => "{+",
                        ChangeTag::Equal => "",
                    });
                    open = Some(tag);
                }
                line.push_str(change.value());
            }
        }
        line.push_str(match open {
            Some(ChangeTag::Delete) => "-]",
            Some(ChangeTag::Insert) => "+}",
            _ => "",
        });
        out.push(line.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    out
}

/// Records in every translation of each of `steps` (slugs or file names)
/// that it translates the original as it is now; the files written.
pub fn mark_current(root: &Path, steps: &[String]) -> Result<Vec<PathBuf>> {
    let site = content::load(root)?;
    let mut written = Vec::new();
    for name in steps {
        let i = find_step(&site, name)?;
        let hash = prose_hash(&site.steps[i]);
        let files: Vec<&Path> = site
            .locales
            .iter()
            .filter_map(|l| l.steps[i].as_ref())
            .map(|s| s.source.as_path())
            .collect();
        if files.is_empty() {
            return Err(Error::Usage(Problem::new(format!(
                "step `{}` has no translation to mark",
                site.steps[i].slug
            ))));
        }
        for rel in files {
            let path = root.join(rel);
            let io = |source: std::io::Error| Error::Io {
                path: rel.to_path_buf(),
                source,
            };
            let text = std::fs::read_to_string(&path).map_err(io)?;
            let markdown = rel.extension().is_some_and(|e| e == "md");
            let tmp = path.with_file_name(format!(
                ".{}.stepdoc-tmp",
                rel.file_name().unwrap_or_default().to_string_lossy()
            ));
            std::fs::write(&tmp, with_hash(&text, &hash, markdown)).map_err(io)?;
            std::fs::rename(&tmp, &path).map_err(io)?;
            written.push(rel.to_path_buf());
        }
    }
    Ok(written)
}

/// The step `name` names: its slug, `NN-slug` or its file name.
fn find_step(site: &Site, name: &str) -> Result<usize> {
    let stem = name.rsplit('/').next().unwrap_or(name);
    let stem = stem.split('.').next().unwrap_or(stem);
    site.steps
        .iter()
        .position(|s| {
            s.slug == stem
                || s.source
                    .file_stem()
                    .is_some_and(|f| f.to_string_lossy() == stem)
        })
        .ok_or_else(|| {
            let slugs = site.steps.iter().map(|s| s.slug.as_str());
            let hint = did_you_mean(stem, slugs.clone()).map_or_else(
                || format!("the steps: {}", slugs.collect::<Vec<_>>().join(", ")),
                |b| format!("did you mean `{b}`?"),
            );
            Error::Usage(Problem::new(format!("{name}: no such step")).hint(hint))
        })
}

/// `text` with `translates: <hash>` set: the line replaced where the front
/// matter (or the YAML file) has one, else added as its first key.
fn with_hash(text: &str, hash: &str, markdown: bool) -> String {
    let line = format!("translates: {hash}");
    let (head, rest) = if markdown {
        match text.split_once('\n') {
            Some((first, rest)) if first.trim_end() == "---" => (format!("{first}\n"), rest),
            _ => return format!("---\n{line}\n---\n{text}"),
        }
    } else {
        (String::new(), text)
    };
    // Where the front matter ends (a .md) or the file does (a .yaml).
    let end = if markdown {
        rest.find("\n---").map_or(rest.len(), |i| i + 1)
    } else {
        rest.len()
    };
    let (matter, tail) = rest.split_at(end);
    let mut replaced = false;
    let lines: Vec<String> = matter
        .split_inclusive('\n')
        .map(|l| {
            if !replaced && l.starts_with("translates:") {
                replaced = true;
                format!("{line}{}", if l.ends_with('\n') { "\n" } else { "" })
            } else {
                l.to_owned()
            }
        })
        .collect();
    let matter = if replaced {
        lines.concat()
    } else {
        format!("{line}\n{matter}")
    };
    format!("{head}{matter}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_line_is_set_once() {
        let md = "---\ntitle: T\n---\nBody\n";
        let once = with_hash(md, "aa", true);
        assert_eq!(once, "---\ntranslates: aa\ntitle: T\n---\nBody\n");
        assert_eq!(
            with_hash(&once, "bb", true),
            "---\ntranslates: bb\ntitle: T\n---\nBody\n"
        );
        assert_eq!(
            with_hash("title: T\n", "aa", false),
            "translates: aa\ntitle: T\n"
        );
        // A `translates:` in the body is text, not the key.
        let body = "---\ntitle: T\n---\ntranslates: x\n";
        assert_eq!(
            with_hash(body, "aa", true),
            "---\ntranslates: aa\ntitle: T\n---\ntranslates: x\n"
        );
    }

    #[test]
    fn word_diff_marks_changed_words() {
        let d = word_diff(
            "Opret en bruger med et id.",
            "Opret en ny bruger med et eksternt id.",
        );
        assert_eq!(d, ["Opret en {+ny +}bruger med et {+eksternt +}id."]);
    }
}
