//! YAML parsing that turns parser and schema errors into [`Diagnostic`]s
//! with the file, line and column of the problem and a "did you mean" hint
//! for unknown keys.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{did_you_mean, Diagnostic};

/// Parses `yaml` (which starts at line `first_line` of `file_text`) into `T`.
pub fn parse<T: DeserializeOwned>(
    file: &Path,
    file_text: &str,
    yaml: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options::<T>(yaml, options()).map_err(|err| {
        let message = first_message_line(&err.to_string());
        if message.contains("tab") {
            if let Some((line, column)) = first_tab_indent(yaml) {
                return Diagnostic::new(
                    file,
                    "YAML does not allow tabs for indentation; use spaces",
                )
                .at(file_text, line + first_line - 1, column)
                .hint("replace the tab at the start of this line with spaces");
            }
        }
        let budget = message.contains("budget breached");
        let mut d = if budget {
            Diagnostic::new(file, "this file expands to more than 4 MiB of values or 200,000 nodes, through YAML aliases (`*name`)")
                .hint("write the values out, or repeat fewer aliases: a step is kept to what a file of 4 MiB can hold")
        } else if let Some((said, hint)) = plain_words(&message) {
            Diagnostic::new(file, said).hint(hint)
        } else {
            Diagnostic::new(file, message.clone())
        };
        if message.starts_with("missing field") {
            let field = message.split('`').nth(1).unwrap_or("it");
            return missing_field(d, field, yaml, (file_text, first_line));
        }
        if let Some(loc) = err.location() {
            let line = loc.line() as usize + first_line - 1;
            d = d.at(file_text, line, loc.column() as usize);
            let text = file_text.lines().nth(line.saturating_sub(1)).unwrap_or("");
            if text.contains("{{") && !message.contains("{{") {
                d = d.hint(
                    "YAML reads `{{ name }}` without quotes as a mapping: quote it (`amount: \"{{ amount }}\"`); a JSON value that is only that placeholder is still sent as a number or boolean when its value is one",
                );
            }
        } else if let Some(field) = unknown_field(&message) {
            d = d.at_text(file_text, &format!("{field}:"));
        }
        if let Some(hint) = unknown_field_hint(&message) {
            d = d.hint(hint);
        }
        d
    })
}

/// A required key the parser did not find. When the text has the key on
/// some line, it is there but not where the parser looked for it (an
/// indentation slip): that line is the place to fix. Otherwise the key is
/// missing and the parser's position (past the last key) says nothing, so
/// the fix belongs to the whole file.
fn missing_field(
    d: Diagnostic,
    field: &str,
    yaml: &str,
    (file_text, first_line): (&str, usize),
) -> Diagnostic {
    let key = format!("{field}:");
    let lines: Vec<&str> = yaml.lines().collect();
    // The column of the key a line starts (after any `- `).
    fn key_column(l: &str) -> Option<usize> {
        let rest = l.trim_start().trim_start_matches("- ");
        (!rest.is_empty() && !rest.starts_with('#')).then(|| l.len() - rest.len())
    }
    let neighbour =
        |mut range: Box<dyn Iterator<Item = usize>>| range.find_map(|j| key_column(lines[j]));
    // A line with the key whose indentation matches neither neighbour's.
    let found = (0..lines.len()).find_map(|i| {
        let rest = lines[i].trim_start().trim_start_matches("- ");
        if !rest.starts_with(&key) {
            return None;
        }
        let column = key_column(lines[i])?;
        let before = neighbour(Box::new((0..i).rev()));
        let after = neighbour(Box::new(i + 1..lines.len()));
        let slipped = before.is_some_and(|b| b != column) && after.is_none_or(|a| a != column);
        slipped.then_some((i + 1, column + 1))
    });
    match found {
        Some((line, column)) => d
            .at(file_text, line + first_line - 1, column)
            .hint(format!(
                "`{key}` is here but not where it belongs: indent it like the keys next to it, so it belongs to the same mapping"
            )),
        None => d.hint(format!("add `{key} ...` where it is missing (each request, and the top level, need one)")),
    }
}

/// The most one file may expand to through aliases (`*ref`): the size a
/// file may have (`source::TEXT_LIMIT`), in scalar bytes, and a node count
/// no hand-written step comes near.
fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_total_scalar_bytes = crate::source::TEXT_LIMIT as usize;
    budget.max_nodes = 200_000;
    // YAML limits an implicit key to 1,024 characters; a long header or
    // form name is still a name.
    budget.simple_key_max_lookahead = 65_536;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

/// The parser's words for common YAML mistakes, said as what to do.
fn plain_words(message: &str) -> Option<(String, &'static str)> {
    let known: [(&str, &str, &str); 3] = [
        (
            "multiple YAML documents",
            "this file holds more than one YAML document (a `---` line inside it)",
            "a .yaml step is one YAML mapping with its Markdown under `body:`; for front matter between `---` lines, name the file .md",
        ),
        (
            "mapping values are not allowed",
            "a `:` here starts a key where YAML expects none",
            "quote a value that holds `: ` (`title: \"Step 1: start\"`), or check this line's indentation",
        ),
        (
            "did not find expected '-' indicator",
            "a list item here is not indented like the items before it",
            "start every item of a list with `- ` at the same indentation",
        ),
    ];
    known
        .iter()
        .find(|(k, _, _)| message.contains(k))
        .map(|(_, said, hint)| ((*said).to_owned(), *hint))
}

/// 1-based line and column of the first tab in a line's leading whitespace.
fn first_tab_indent(yaml: &str) -> Option<(usize, usize)> {
    yaml.lines().enumerate().find_map(|(i, line)| {
        let indent = &line[..line.len() - line.trim_start().len()];
        indent
            .find('\t')
            .map(|c| (i + 1, indent[..c].chars().count() + 1))
    })
}

/// serde-saphyr writes "error: line 2 column 1: <message>" and then a
/// snippet; we keep the message and render the position ourselves.
fn first_message_line(message: &str) -> String {
    let mut line = message.lines().next().unwrap_or(message).trim();
    line = line.strip_prefix("error:").unwrap_or(line).trim_start();
    if line.starts_with("line ") {
        if let Some(i) = line.find(": ") {
            line = &line[i + 2..];
        }
    }
    match line.find(" at line ") {
        Some(i) => line[..i].to_owned(),
        None => line.to_owned(),
    }
}

/// The field name of serde's "unknown field `x`, expected ..." message.
pub(crate) fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.split("unknown field `").nth(1)?;
    rest.split('`').next()
}

/// "did you mean `title`?" for serde's unknown-field and unknown-variant messages.
fn unknown_field_hint(message: &str) -> Option<String> {
    let (word, expected) = if let Some(field) = unknown_field(message) {
        (field, message.split("expected ").nth(1)?)
    } else {
        let rest = message.split("unknown variant `").nth(1)?;
        (rest.split('`').next()?, message.split("expected ").nth(1)?)
    };
    let expected = expected.strip_prefix("one of ").unwrap_or(expected);
    let candidates: Vec<&str> = expected
        .split(", ")
        .map(|c| c.trim().trim_matches('`'))
        .filter(|c| !c.is_empty())
        .collect();
    match did_you_mean(word, candidates.iter().copied()) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None if !candidates.is_empty() => {
            Some(format!("expected one of: {}", candidates.join(", ")))
        }
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_cannot_expand_a_small_file_without_bound() {
        // Four levels, each ten aliases of the one before: 10,000 strings
        // of 1,500 bytes (15 MB) from a file of 2 KB, within the parser's
        // default budgets.
        let mut yaml = format!("a0: &a0 \"{}\"\n", "x".repeat(1500));
        for i in 1..5 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            yaml.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        assert!(yaml.len() < 3000);
        let start = std::time::Instant::now();
        let got = parse::<serde_json::Value>(Path::new("x.yaml"), &yaml, &yaml, 1);
        let err = got.expect_err("expanded without bound");
        assert!(
            err.message.contains("through YAML aliases"),
            "{}",
            err.message
        );
        assert!(
            start.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
    }
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        #[serde(default)]
        summary: String,
    }

    #[test]
    fn unknown_key_names_line_and_suggests() {
        let text = "---\ntitle: A\nsumary: x\n---\n";
        let err = parse::<Doc>(Path::new("s.md"), text, "title: A\nsumary: x\n", 2).unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.message.contains("sumary"), "{err}");
        assert_eq!(err.hints, ["did you mean `summary`?"]);
    }

    #[test]
    fn syntax_error_has_position() {
        let text = "title: [unclosed\n";
        let err = parse::<Doc>(Path::new("site.yaml"), text, text, 1).unwrap_err();
        assert!(err.line.is_some(), "{err}");
    }
}
