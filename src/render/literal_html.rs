//! Smart punctuation and raw HTML: pulldown-cmark turns `'`, `"`, `--` and
//! `...` typographic everywhere in text, also inside inline `<code>` or
//! `<kbd>` elements an author wrote as HTML; this puts the written
//! characters back there.

use pulldown_cmark::{CowStr, Event};

/// Inline raw HTML whose text is literal (`<code>it's</code>`): smart
/// punctuation must not turn its quotes, dashes and dots typographic.
#[derive(Default)]
pub(super) struct LiteralHtml {
    /// Open `<code>`, `<kbd>`, `<samp>`, `<var>`, `<pre>` elements.
    depth: usize,
}

impl LiteralHtml {
    const TAGS: [&'static str; 5] = ["code", "kbd", "samp", "var", "pre"];

    pub(super) fn keep_quotes<'a>(&mut self, event: Event<'a>, source: &'a str) -> Event<'a> {
        match &event {
            Event::InlineHtml(tag) => {
                let tag = tag.trim_start_matches('<');
                let (closing, name) = match tag.strip_prefix('/') {
                    Some(rest) => (true, rest),
                    None => (false, tag),
                };
                let name: String = name
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect::<String>()
                    .to_ascii_lowercase();
                if Self::TAGS.contains(&name.as_str()) {
                    if closing {
                        self.depth = self.depth.saturating_sub(1);
                    } else if !tag.trim_end().ends_with("/>") {
                        self.depth += 1;
                    }
                }
                event
            }
            // What smart punctuation made of `'`, `"`, `--`, `...`: the source again.
            Event::Text(t)
                if self.depth > 0
                    && t.as_ref() != source
                    && source.chars().all(|c| matches!(c, '\'' | '"' | '-' | '.')) =>
            {
                Event::Text(CowStr::Borrowed(source))
            }
            _ => event,
        }
    }
}
