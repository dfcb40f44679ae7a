//! Where a value is in YAML or JSON text (JSON is YAML): the 1-based line
//! and column of the node a JSON Pointer names, from the YAML parser's own
//! spans (the parser serde-saphyr reads with), so that a problem found in
//! a parsed value (a sample or snapshot that breaks its schema, an inline
//! sample in a step's front matter, a description's `$ref`) is reported at
//! its place.

use serde_saphyr::granit_parser::{Event, Parser};

/// A container being read: a mapping (its key, once read) or a sequence
/// (the index of its next item), with the pointer segment it is at.
enum Frame {
    Map(Option<String>),
    Seq(usize),
}

/// The (line, column) of the node at `pointer` (`/requests/0/sample/id`)
/// in `text`; the nearest enclosing node that exists when the pointer goes
/// further than the text; (1, 1) when the text does not parse.
pub(crate) fn locate(text: &str, pointer: &str) -> (usize, usize) {
    let target: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|k| k.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut stack: Vec<Frame> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut best = (1, 1);
    for item in Parser::new_from_str(text) {
        let Ok((event, span)) = item else {
            break;
        };
        let opens = match &event {
            Event::Scalar(..) | Event::Alias(_) => None,
            Event::MappingStart(..) => Some(Frame::Map(None)),
            Event::SequenceStart(..) => Some(Frame::Seq(0)),
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                path.pop();
                continue;
            }
            _ => continue,
        };
        // A mapping's key: remember it (a key that is not a scalar is
        // read past as a nameless one).
        if let Some(Frame::Map(key @ None)) = stack.last_mut() {
            *key = Some(match &event {
                Event::Scalar(k, ..) => k.to_string(),
                _ => String::new(),
            });
            if let Some(frame) = opens {
                stack.push(frame);
                path.push(String::new());
            }
            continue;
        }
        let segment = match stack.last_mut() {
            Some(Frame::Map(key)) => key.take(),
            Some(Frame::Seq(next)) => {
                *next += 1;
                Some((*next - 1).to_string())
            }
            None => None,
        };
        let depth = path.len() + usize::from(segment.is_some());
        let here = path
            .iter()
            .chain(segment.iter())
            .zip(&target)
            .all(|(a, b)| a == b);
        if here && depth <= target.len() {
            best = (span.start.line(), span.start.col() + 1);
            if depth == target.len() {
                return best;
            }
        }
        if let Some(frame) = opens {
            stack.push(frame);
            path.extend(segment);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::locate;

    #[test]
    fn block_and_flow_nodes_are_found_by_pointer() {
        let text = "title: x\nrequests:\n  - id: a\n    sample:\n      id: a1\n      balance: five\n  - id: b\n    sample: { list: [1, 2, {deep: true}] }\n";
        assert_eq!(locate(text, "/requests/0/sample/balance"), (6, 16));
        assert_eq!(locate(text, "/requests/0/sample"), (5, 7));
        assert_eq!(locate(text, "/requests/1/sample/list/2/deep"), (8, 35));
        // Further than the text goes: the nearest node that exists.
        assert_eq!(locate(text, "/requests/0/sample/missing"), (5, 7));
        assert_eq!(locate(text, "/title"), (1, 8));
        // Text that stops parsing: the last node read on the way.
        assert_eq!(locate("a: [", "/a/0"), (1, 4));
    }

    #[test]
    fn json_pointers_land_on_their_values() {
        let text = "{\n  \"a\": [1, {\"b\": \"x\\\"}\"}],\n  \"c/d\": {\"e\": null}\n}\n";
        assert_eq!(locate(text, ""), (1, 1));
        assert_eq!(locate(text, "/a"), (2, 8));
        assert_eq!(locate(text, "/a/1/b"), (2, 18));
        assert_eq!(locate(text, "/c~1d/e"), (3, 16));
        assert_eq!(
            locate(text, "/c~1d/missing"),
            (3, 10),
            "the nearest existing value"
        );
        // JSON indented with tabs (no YAML indentation) reads as well.
        let tabs = "{\n\t\"a\": {\n\t\t\"b\": [\n\t\t\t1,\n\t\t\t\"x\"\n\t\t]\n\t}\n}\n";
        assert_eq!(locate(tabs, "/a/b/1"), (5, 4));
    }

    #[test]
    fn a_ref_in_a_description_is_found() {
        let text =
            "paths:\n  /a~b/c:\n    get:\n      responses:\n        \"200\": { $ref: \"#/x\" }\n";
        assert_eq!(
            locate(text, "/paths/~1a~0b~1c/get/responses/200/$ref"),
            (5, 24)
        );
    }
}
