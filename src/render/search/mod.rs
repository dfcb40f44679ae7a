//! The search index of one language: every step's title, headings, request
//! titles and paths, and its text without markup. A small walkthrough gets
//! one script that sets `window.STEPDOC_SEARCH`; a large one (an index over
//! [`SINGLE_LIMIT`]) gets a sharded index ([`shards`]) so a query fetches
//! only the few small files it needs. Either way the theme's script loads
//! them with `<script>` tags when the reader first uses the search box, so
//! search works under any sub-path and from `file://` alike, with no server
//! and no network.

mod shards;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

use super::cards::request_anchor;
use super::markdown::{self, HeadingIds};
use crate::content::{Site, Step};

/// Where the one-file index of a language lives, relative to its home.
pub const INDEX_FILE: &str = "search-index.js";

/// Where a sharded index's manifest lives, relative to the language's home.
pub const SHARDED_INDEX: &str = "search/index.js";

/// The largest one-file index, in bytes: up to this size one file is
/// cheaper than a manifest and shards (one request, and a first query
/// fetches less than a sharded one's budget of 100 KB); above it, a query
/// would fetch more than it needs, so the index is sharded.
pub const SINGLE_LIMIT: usize = 96 * 1024;

/// One step as the search sees it (short keys: the file is downloaded).
#[derive(Serialize)]
struct Doc<'a> {
    /// URL relative to the language's home.
    u: String,
    /// Step number and title.
    n: usize,
    t: &'a str,
    /// Headings, each with its anchor.
    h: Vec<(String, String)>,
    /// Requests: title, method and path, with the card's anchor.
    r: Vec<(String, String)>,
    /// The text, markup removed.
    x: String,
}

impl<'a> Doc<'a> {
    fn new(i: usize, step: &'a Step) -> Doc<'a> {
        let (x, h) = plain_text(step.body());
        Doc {
            u: format!("{}/index.html", step.slug),
            n: i + 1,
            t: &step.title,
            h,
            r: step
                .requests
                .iter()
                .map(|r| {
                    let facet = format!("{} {} {}", r.title, r.method, r.target());
                    (facet, request_anchor(r))
                })
                .collect(),
            x,
        }
    }
}

/// The index files of `site` (the walkthrough in one language), as (path
/// relative to the language's home, text): one file, or a manifest and
/// shards when one file would be larger than [`SINGLE_LIMIT`];
/// `single` is [`single`]'s answer for `site`.
pub fn files(site: &Site, single: Option<String>) -> Vec<(String, String)> {
    match single {
        Some(single) => vec![(INDEX_FILE.to_owned(), single)],
        None => shards::files(site),
    }
}

/// The one-file index of `site`, or `None` when it would be larger than
/// [`SINGLE_LIMIT`] (then [`files`] shards it).
pub fn single(site: &Site) -> Option<String> {
    index_within(site, SINGLE_LIMIT)
}

/// The script a page loads: the one file, or a sharded index's manifest.
pub fn entry(single: bool) -> &'static str {
    if single {
        INDEX_FILE
    } else {
        SHARDED_INDEX
    }
}

/// `search-index.js` for `site` (the walkthrough in one language), or
/// `None` as soon as it would be longer than `limit`: written one step at
/// a time, so a large walkthrough's documents are never all held.
fn index_within(site: &Site, limit: usize) -> Option<String> {
    let mut out = String::from("window.STEPDOC_SEARCH = [");
    for (i, step) in site.steps.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&script_json(&Doc::new(i, step)));
        if out.len() > limit {
            return None;
        }
    }
    out.push_str("];\n");
    Some(out)
}

/// `value` as JSON, which is a JavaScript expression; `</` is escaped so no
/// text can end a script element, wherever the file is included.
fn script_json(value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    json.replace("</", "<\\/")
}

/// The text of a step's Markdown (card placements and code left out) and
/// its h2/h3 headings with their anchors.
fn plain_text(markdown: &str) -> (String, Vec<(String, String)>) {
    let mut text = String::with_capacity(markdown.len() / 2);
    let mut headings = Vec::new();
    let mut ids = HeadingIds::default();
    let mut heading: Option<(u8, Option<String>, String)> = None;
    let mut in_code = false;
    // The parser and heading ids of the page itself, so an entry links to
    // the id the page has (`{#custom}` or the second `## Notes`).
    for event in Parser::new_ext(markdown, markdown::options()) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((level as u8, id.map(|i| i.to_string()), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, custom, h)) = heading.take() {
                    let id = ids.next(custom.as_deref(), &h);
                    text.push_str(&h);
                    text.push(' ');
                    if level <= 3 {
                        headings.push((h.trim().to_owned(), id));
                    }
                }
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) | Event::Code(t) if !in_code => {
                if t.trim_start().starts_with("{{#") {
                    continue;
                }
                match &mut heading {
                    Some((_, _, h)) => h.push_str(&t),
                    None => {
                        text.push_str(&t);
                        text.push(' ');
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    (
        text.split_whitespace().collect::<Vec<_>>().join(" "),
        headings,
    )
}

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn text_without_markup_code_or_cards_and_headings_with_anchors() {
        let (text, headings) = plain_text(
            "Intro with **bold** and `code`.\n\n{{#request a}}\n\n## Fields here\n\n```json\n{\"secret\": 1}\n```\n\n| a | b |\n|---|---|\n| c | d |\n",
        );
        assert_eq!(text, "Intro with bold and code . Fields here a b c d");
        assert_eq!(
            headings,
            [("Fields here".to_owned(), "fields-here".to_owned())]
        );
    }

    /// An entry links to the id the page gives its heading: an author's
    /// `{#id}` (not in the title), and `-1` for a second heading alike.
    #[test]
    fn headings_have_the_ids_of_the_page() {
        let md = "## Setup {#custom-id}\n\n## Notes\n\nx\n\n## Notes\n\n### Don't `panic`\n";
        let (_, headings) = plain_text(md);
        let ids = crate::render::markdown::heading_ids(md);
        let want = [
            ("Setup", "custom-id"),
            ("Notes", "notes"),
            ("Notes", "notes-1"),
            ("Don’t panic", "dont-panic"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(t, i)| (t.to_string(), i.to_string()))
            .collect();
        assert_eq!(headings, want);
        assert!(want.iter().all(|(_, id)| ids.contains(id)));
    }
}
