//! Diagnostics and the library's error type.
//!
//! Every problem with a walkthrough's content becomes a [`Diagnostic`] that
//! names the file, and where known the line and column, shows the offending
//! line and, where one exists, a hint on how to fix it. Loading collects all
//! diagnostics of a run into [`Diagnostics`] instead of stopping at the first.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one file, with its position when known: a [`Problem`]
/// (what is wrong, how to fix it) with where it is. Its message and hints
/// read through `Deref` (`d.message`, `d.hints`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user would type it (relative to the walkthrough root).
    pub file: PathBuf,
    /// 1-based line, when the position is known.
    pub line: Option<usize>,
    /// 1-based column, when the position is known.
    pub column: Option<usize>,
    /// The text of the offending line, shown under the message.
    pub source_line: Option<Box<str>>,
    /// What is wrong, and how to fix it ("did you mean `title`?").
    pub problem: Problem,
}

impl std::ops::Deref for Diagnostic {
    type Target = Problem;
    fn deref(&self) -> &Problem {
        &self.problem
    }
}

impl Diagnostic {
    /// A diagnostic for a whole file, without a position.
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: None,
            column: None,
            source_line: None,
            problem: Problem::new(message),
        }
    }

    /// Sets the position and copies the offending line out of `text`.
    pub fn at(mut self, text: &str, line: usize, column: usize) -> Self {
        self.line = Some(line.max(1));
        self.column = Some(column.max(1));
        self.source_line = text.lines().nth(line.max(1) - 1).map(Box::from);
        self
    }

    /// Points at the first occurrence of `needle` in `text`, if any.
    pub fn at_text(self, text: &str, needle: &str) -> Self {
        match locate(text, needle) {
            Some((line, column)) => self.at(text, line, column),
            None => self,
        }
    }

    /// Points at the YAML key `key:` (at the start of a line or after `{`, `,`
    /// or `- `), else at the first occurrence of `key`.
    pub fn at_key(self, text: &str, key: &str) -> Self {
        match key_or_text(text, key) {
            Some(i) => {
                let (line, column) = line_col(text, i);
                self.at(text, line, column)
            }
            None => self,
        }
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.problem = self.problem.hint(hint);
        self
    }
}

/// Byte offset of the YAML key `key:` in `text` (at the start of a line or
/// after `{`, `,` or `- `), else of the first occurrence of `key`.
pub fn key_or_text(text: &str, key: &str) -> Option<usize> {
    if key.is_empty() {
        return None;
    }
    let found = text.match_indices(key).find(|(i, _)| {
        let before = text[..*i].trim_end_matches([' ', '"', '\'']);
        let after = text[i + key.len()..].trim_start_matches(['"', '\'']);
        after.starts_with(':') && (before.is_empty() || before.ends_with(['\n', '{', ',', '-']))
    });
    found.map(|(i, _)| i).or_else(|| text.find(key))
}

/// 1-based line and column of the first occurrence of `needle` in `text`.
pub fn locate(text: &str, needle: &str) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    let offset = text.find(needle)?;
    Some(line_col(text, offset))
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `/` on every system: the path as it is written in links and site.yaml.
        write!(f, "{}", self.file.to_string_lossy().replace('\\', "/"))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let (Some(line), Some(text)) = (self.line, &self.source_line) {
            let gutter = line.to_string();
            write!(f, "\n {gutter} | {text}")?;
            if let Some(column) = self.column {
                let pad: String = text
                    .chars()
                    .take(column - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "\n {} | {pad}^", " ".repeat(gutter.len()))?;
            }
        }
        write_hints(f, &self.hints)
    }
}

/// Hints under a message, one per line.
fn write_hints(f: &mut fmt::Formatter<'_>, hints: &[String]) -> fmt::Result {
    for hint in hints {
        write!(f, "\n  hint: {hint}")?;
    }
    Ok(())
}

/// All problems found in one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// True when no problem was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of problems.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `Ok(value)` when empty, else the diagnostics as an error (each
    /// problem once: a sample used by two requests is reported once).
    pub fn into_result<T>(mut self, value: T) -> Result<T, Error> {
        if self.is_empty() {
            return Ok(value);
        }
        let mut seen = std::collections::HashSet::new();
        self.0.retain(|d| seen.insert(d.to_string()));
        Err(Error::Content(self))
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        if self.0.len() > 1 {
            write!(f, "\n{} problems found", self.0.len())?;
        }
        Ok(())
    }
}

/// A failure that is not about a position in a file: what went wrong, and
/// how to fix it when stepdoc knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What went wrong.
    pub message: String,
    /// How to fix it, each hint a line.
    pub hints: Vec<String>,
}

impl Problem {
    /// A problem without a hint.
    pub fn new(message: impl Into<String>) -> Problem {
        Problem {
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Problem {
        self.hints.push(hint.into());
        self
    }

    /// The same problem with `f` applied to its message and hint (redaction).
    pub fn map(self, f: impl Fn(&str) -> String) -> Problem {
        Problem {
            message: f(&self.message),
            hints: self.hints.iter().map(|h| f(h)).collect(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        write_hints(f, &self.hints)
    }
}

impl From<String> for Problem {
    fn from(message: String) -> Problem {
        Problem::new(message)
    }
}

impl From<&str> for Problem {
    fn from(message: &str) -> Problem {
        Problem::new(message)
    }
}

/// Errors of the stepdoc library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The walkthrough has one or more content problems.
    #[error("{0}")]
    Content(Diagnostics),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A command line stepdoc will not carry out: a bad flag value, an
    /// unknown `--step`, an output directory it must not replace (exit 2).
    #[error("{0}")]
    Usage(Problem),
    /// A recording failed (the message is already redacted).
    #[error("{0}")]
    Record(Problem),
    /// `record --check` found the live API's shapes differ from the snapshots.
    #[error("{0}")]
    Drift(Problem),
    /// The preview server could not start or run.
    #[error("{0}")]
    Serve(Problem),
    /// A theme template failed to parse or render.
    #[error("{0}")]
    Template(String),
}

impl Error {
    /// The process exit code: 2 for usage errors, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Result with the library's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The closest candidate to `word`, if any is close enough to suggest.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_shows_position_line_and_caret() {
        let text = "---\ntitel: Auth\n---\n";
        let d = Diagnostic::new("content/steps/01-auth.md", "unknown field `titel`")
            .at(text, 2, 1)
            .hint("did you mean `title`?");
        let shown = d.to_string();
        assert!(shown.starts_with("content/steps/01-auth.md:2:1: unknown field `titel`"));
        assert!(shown.contains(" 2 | titel: Auth"));
        assert!(shown.contains("hint: did you mean `title`?"));
    }

    #[test]
    fn locate_counts_lines_and_characters() {
        assert_eq!(locate("ab\næø {{ x }}", "{{ x }}"), Some((2, 4)));
        assert_eq!(locate("abc", "zz"), None);
    }

    #[test]
    fn suggestions_only_for_close_words() {
        assert_eq!(did_you_mean("titel", ["title", "nav"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "nav"]), None);
    }
}
