//! Where a request is written in its step file, so that diagnostics about
//! a request point at the exact line and column inside that request (not at
//! the first place the same text occurs in the file).

use super::Step;
use crate::error::{key_or_text, line_col, Diagnostic};

/// The byte range of a step file that holds request `index`: from its first
/// line to the next request, or to the next key or line that is not part of it.
pub(super) fn request_region(step: &Step, index: usize) -> std::ops::Range<usize> {
    let text = &step.text;
    let line_start = |line: usize| -> usize {
        text.split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum()
    };
    let req = &step.requests[index];
    if req.line == 0 {
        return 0..text.len();
    }
    let start = line_start(req.line);
    let end = match step.requests.get(index + 1) {
        Some(next) if next.line > req.line => line_start(next.line),
        _ => {
            let mut offset = start;
            let mut end = text.len();
            for (i, line) in text[start..].split_inclusive('\n').enumerate() {
                let outside = line.trim_end() == "---"
                    || (!line.starts_with([' ', '\t', '-', '\n', '\r', '#']));
                if i > 0 && outside {
                    end = offset;
                    break;
                }
                offset += line.len();
            }
            end
        }
    };
    start..end
}

/// A diagnostic at `needle` inside the request's region: the YAML key
/// `needle:` when there is one, else the text itself, else the request's
/// first line.
pub(super) fn at_request(step: &Step, index: usize, msg: String, needle: &str) -> Diagnostic {
    at_request_in(step, index, None, msg, needle)
}

/// [`at_request`], looking only after the key `section:` (`capture`) when given.
pub(super) fn at_request_in(
    step: &Step,
    index: usize,
    section: Option<&str>,
    msg: String,
    needle: &str,
) -> Diagnostic {
    let mut region = request_region(step, index);
    if let Some(key) = section.and_then(|s| step.text[region.clone()].find(&format!("{s}:"))) {
        region.start += key;
    }
    let d = Diagnostic::new(&step.source, msg);
    match key_or_text(&step.text[region.clone()], needle) {
        Some(o) => {
            let (line, column) = line_col(&step.text, region.start + o);
            d.at(&step.text, line, column)
        }
        None => d.at(&step.text, step.requests[index].line, 1),
    }
}

/// Where `{{ var }}` is written in the request's region.
pub(super) fn at_variable(step: &Step, index: usize, msg: String, var: &str) -> Diagnostic {
    let region = request_region(step, index);
    let part = &step.text[region.clone()];
    let found = part.match_indices("{{").find(|(i, _)| {
        part[i + 2..]
            .split_once("}}")
            .is_some_and(|(inner, _)| inner.trim() == var)
    });
    match found {
        Some((i, _)) => {
            let (line, column) = line_col(&step.text, region.start + i);
            Diagnostic::new(&step.source, msg).at(&step.text, line, column)
        }
        None => at_request(step, index, msg, var),
    }
}
