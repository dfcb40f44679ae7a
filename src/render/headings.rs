//! Heading ids: the one definition of the id a heading gets (the author's
//! `{#id}` or its text as a slug, a repeat numbered), for the page itself,
//! for links into it from other steps, and for the search index.

use std::collections::HashSet;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::markdown::options;

/// The ids of one page's headings, given in order: the author's `{#id}`
/// or the text as a slug, a repeat getting `-1`, `-2`, … The one
/// definition of a heading's id, for the page, its anchors as other steps
/// link to them, and the search index.
#[derive(Debug, Default)]
pub(crate) struct HeadingIds(HashSet<String>);

impl HeadingIds {
    /// The id of the next heading, whose text is `plain`.
    pub fn next(&mut self, custom: Option<&str>, plain: &str) -> String {
        let base = custom.map_or_else(|| slugify(plain), str::to_owned);
        let mut id = base.clone();
        let mut n = 1;
        while !self.0.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    /// Whether a heading has `id`.
    pub fn contains(&self, id: &str) -> bool {
        self.0.contains(id)
    }
}

/// The ids of every heading of `markdown`, as its page gives them.
pub(crate) fn heading_ids(markdown: &str) -> HeadingIds {
    let mut ids = HeadingIds::default();
    let mut heading: Option<(Option<String>, String)> = None;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Heading { id, .. }) => {
                heading = Some((id.map(|i| i.to_string()), String::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((custom, plain)) = heading.take() {
                    ids.next(custom.as_deref(), &plain);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, plain)) = &mut heading {
                    plain.push_str(&t);
                }
            }
            _ => {}
        }
    }
    ids
}

/// The text of a heading as its id is made from it.
pub(crate) fn heading_text<'e>(inner: impl Iterator<Item = &'e Event<'e>>) -> String {
    inner
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect()
}

/// Heading text to an id: lowercase letters (Danish ones too), digits and dashes.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if (c.is_whitespace() || c == '-' || c == '_') && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_owned();
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}
