//! The search index of one language: every step's title, headings, request
//! titles and paths, and its text without markup, as a script that sets
//! `window.STEPDOC_SEARCH`. The theme's script loads it with a `<script>`
//! tag when the reader first uses the search box, so search works under any
//! sub-path and from `file://` alike, with no server and no network.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

use super::markdown::{self, HeadingIds};
use crate::content::Site;

/// Where the index of a language lives, relative to that language's home.
pub const INDEX_FILE: &str = "search-index.js";

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
    /// Request titles, methods and paths.
    r: Vec<String>,
    /// The text, markup removed.
    x: String,
}

/// `search-index.js` for `site` (the walkthrough in one language).
///
/// Written one step at a time into a buffer sized for it, so a large
/// walkthrough's index is held once, not as documents, JSON and copies.
pub fn index(site: &Site) -> String {
    let size: usize = site.steps.iter().map(|s| s.body().len() + 256).sum();
    let mut out = String::with_capacity(size);
    out.push_str("window.STEPDOC_SEARCH = [");
    for (i, step) in site.steps.iter().enumerate() {
        let (x, h) = plain_text(step.body());
        let doc = Doc {
            u: format!("{}/index.html", step.slug),
            n: i + 1,
            t: &step.title,
            h,
            r: step
                .requests
                .iter()
                .map(|r| format!("{} {} {}", r.title, r.method, r.target()))
                .collect(),
            x,
        };
        if i > 0 {
            out.push(',');
        }
        // JSON is a JavaScript expression; `</` is escaped so no text can
        // end a script element, wherever the file is included.
        let json = serde_json::to_string(&doc).unwrap_or_else(|_| "null".into());
        out.push_str(&json.replace("</", "<\\/"));
    }
    out.push_str("];\n");
    out
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
