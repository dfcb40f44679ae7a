//! Markdown to HTML with pulldown-cmark: CommonMark plus tables,
//! strikethrough, task lists and footnotes; heading ids with anchor links;
//! highlighted code blocks with a copy button; links to other step files
//! (`02-opret-bruger.md`) rewritten to their pages and checked; and the
//! `{{#request id}}` / `{{#payload id}}` lines that place cards.

use std::collections::HashMap;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::code_block::CodeBlocks;
pub(crate) use super::headings::{heading_ids, heading_text, slugify, HeadingIds};
use super::html::escape;
use super::step_links::link;
use crate::error::{line_col, Diagnostic};

/// What a Markdown text needs from its surroundings.
pub struct MarkdownContext<'a> {
    /// Where the page's code blocks are highlighted (and their classes noted).
    pub blocks: &'a CodeBlocks<'a>,
    /// Step file name (`02-opret-bruger.md`) -> page slug, for link rewriting.
    pub step_files: &'a HashMap<String, String>,
    /// Relative path from this page to the site root (`""` or `"../"`).
    pub root: &'a str,
    /// The file, for diagnostics.
    pub file: &'a Path,
    /// The whole file text, for diagnostics.
    pub file_text: &'a str,
    /// Line of the file where this Markdown starts.
    pub first_line: usize,
    /// On the one-page print version: heading ids get this prefix (the
    /// step's slug and `-`), and links point inside that page. Empty on a
    /// step's own page.
    pub anchor_prefix: &'a str,
}

/// What a `{{#kind id}}` line places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardKind {
    /// A request card.
    Request,
    /// A payload card.
    Payload,
}

impl CardKind {
    /// `request` or `payload`, as written.
    pub fn name(self) -> &'static str {
        match self {
            CardKind::Request => "request",
            CardKind::Payload => "payload",
        }
    }
}

/// A card placement written in the Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// What it places.
    pub kind: CardKind,
    /// The id it names.
    pub id: String,
    /// Byte offset in the HTML where the card goes.
    pub at: usize,
    /// Heading level for the card: one below the heading it follows (2 when none, at most 5).
    pub level: u8,
    /// Line and column in the file, for "unknown id" errors.
    pub position: (usize, usize),
}

/// A heading listed in a page's contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 2 or 3.
    pub level: u8,
    /// Its id (the link target).
    pub id: String,
    /// Its text.
    pub text: String,
}

/// A link to a fragment of this page, checked once the page's anchors are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentLink {
    /// The step linked to, by slug; `None` for this page (`#id`).
    pub step: Option<String>,
    /// The id after `#`.
    pub fragment: String,
    /// Line and column in the file.
    pub position: (usize, usize),
}

/// Rendered Markdown.
#[derive(Debug, Default)]
pub struct MarkdownHtml {
    /// The HTML.
    pub html: String,
    /// Card placements found, in order of their offsets.
    pub placements: Vec<Placement>,
    /// Ids of the headings rendered.
    pub ids: HeadingIds,
    /// The h2 and h3 headings, in order, for the page's contents.
    pub headings: Vec<Heading>,
    /// Links to `#fragment`s of this page.
    pub fragments: Vec<FragmentLink>,
    /// Problems (broken step links, stray placeholders and directives).
    pub problems: Vec<Diagnostic>,
}

/// The Markdown dialect of step bodies and descriptions.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Marks a card's place in the event stream. NUL never reaches the
/// renderer from the text (it is removed first), so no author can write one.
const SLOT: char = '\0';

/// `{{#request id}}` / `{{#payload id}}` as a whole paragraph.
fn directive(text: &str) -> Option<(CardKind, &str)> {
    let inner = text.trim().strip_prefix("{{#")?.strip_suffix("}}")?;
    let mut words = inner.split_whitespace();
    let kind = match words.next()? {
        "request" => CardKind::Request,
        "payload" => CardKind::Payload,
        _ => return None,
    };
    let id = words.next()?;
    words.next().is_none().then_some((kind, id))
}

impl MarkdownContext<'_> {
    /// Line and column in the file of byte `offset` of the Markdown `text`.
    /// For a YAML step's `body: |` the Markdown's lines are the file's
    /// lines, indented: the column is moved by the indentation.
    pub(super) fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let (line, column) = line_col(text, offset);
        let file_line = line + self.first_line - 1;
        let in_text = text.lines().nth(line - 1).unwrap_or("");
        let in_file = self.file_text.lines().nth(file_line - 1).unwrap_or("");
        let indent = in_file
            .strip_suffix(in_text)
            .map_or(0, |pad| pad.chars().count());
        (file_line, column + indent)
    }

    pub(super) fn problem(&self, text: &str, offset: usize, message: String) -> Diagnostic {
        let (line, column) = self.position(text, offset);
        Diagnostic::new(self.file, message).at(self.file_text, line, column)
    }
}

/// Stray `{{ ... }}` and `{{#...}}` in prose (published literally otherwise).
fn check_prose(
    text: &str,
    range: std::ops::Range<usize>,
    cx: &MarkdownContext,
    out: &mut Vec<Diagnostic>,
) {
    let prose = &text[range.clone()];
    let mut from = 0;
    while let Some(i) = prose[from..].find("{{") {
        let start = from + i;
        let end = prose[start..]
            .find("}}")
            .map_or(prose.len(), |e| start + e + 2);
        let written = &prose[start..end];
        let d = cx.problem(text, range.start + start, if written.starts_with("{{#") {
            format!("`{written}` must stand alone on its line to place a card")
        } else {
            format!("`{written}` in the text is published as it is: placeholders work in requests only")
        });
        out.push(if written.starts_with("{{#") {
            d.hint("put it on a line of its own, with a blank line before and after")
        } else {
            d.hint("write it in backticks (`{{ name }}`) if you mean the text, or give the value")
        });
        from = end;
    }
}

/// Renders `text`.
pub fn render(text: &str, cx: &MarkdownContext) -> MarkdownHtml {
    let owned;
    let text = if text.contains(SLOT) {
        owned = text.replace(SLOT, "");
        &owned
    } else {
        text
    };
    let mut pass = Pass {
        text,
        cx,
        out: MarkdownHtml::default(),
        events: Vec::new(),
        heading: None,
        code: None,
        skip_paragraph: false,
        prose: None,
        level: 1,
        placements: Vec::new(),
    };
    let mut literal = super::literal_html::LiteralHtml::default();
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let event = literal.keep_quotes(event, &text[range.clone()]);
        pass.event(event, range);
    }
    pass.finish()
}

/// One walk over a text's events: what it has written, and where it is.
struct Pass<'a, 'c> {
    text: &'a str,
    cx: &'c MarkdownContext<'c>,
    out: MarkdownHtml,
    events: Vec<Event<'a>>,
    /// The heading being read: its level, id and inner events.
    heading: Option<(HeadingLevel, Option<String>, Vec<Event<'a>>)>,
    /// The fenced code block being read: its language and text.
    code: Option<(String, String)>,
    /// Inside the paragraph of a `{{#request id}}` directive.
    skip_paragraph: bool,
    /// The run of consecutive text being read, checked as one.
    prose: Option<std::ops::Range<usize>>,
    /// The level of the last heading (cards go one below it).
    level: u8,
    placements: Vec<Found>,
}

impl<'a> Pass<'a, '_> {
    fn event(&mut self, event: Event<'a>, range: std::ops::Range<usize>) {
        if let Some((_, buf)) = self.code.as_mut() {
            match event {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, buf) = self.code.take().unwrap_or_default();
                    let html = self.cx.blocks.code(&buf, &lang);
                    self.events.push(Event::Html(CowStr::from(html)));
                }
                _ => {}
            }
            return;
        }
        if self.skip_paragraph {
            self.skip_paragraph = !matches!(event, Event::End(TagEnd::Paragraph));
            return;
        }
        // Consecutive text is checked as one run, so a split inside `{{ }}` does not hide it.
        if let Event::Text(_) = event {
            let run = self.prose.get_or_insert(range.clone());
            run.end = range.end;
            continue_text(&event, &mut self.events, &mut self.heading);
            return;
        }
        if let Some(run) = self.prose.take() {
            check_prose(self.text, run, self.cx, &mut self.out.problems);
        }
        if let Some(event) = self.rewrite(event, range) {
            self.structure(event);
        }
    }

    /// A directive paragraph becomes a card's slot (`None`: nothing more to
    /// do), a link goes where the site has it; other events as they are.
    fn rewrite(&mut self, event: Event<'a>, range: std::ops::Range<usize>) -> Option<Event<'a>> {
        let (text, cx, at) = (self.text, self.cx, range.start);
        Some(match event {
            Event::Start(Tag::Paragraph) => {
                if let Some((kind, id)) = directive(&text[range]) {
                    let level = (self.level + 1).clamp(2, 5);
                    let found = (kind, id.to_owned(), level, cx.position(text, at));
                    self.placements.push(found);
                    let slot = format!("{SLOT}{}{SLOT}", self.placements.len() - 1);
                    self.events.push(Event::Html(slot.into()));
                    self.skip_paragraph = true;
                    return None;
                }
                Event::Start(Tag::Paragraph)
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: link(&dest_url, (text, at), cx, &mut self.out).into(),
                title,
                id,
            }),
            other => other,
        })
    }

    /// Code blocks and headings open and close; anything else is written
    /// (into the heading being read, if any).
    fn structure(&mut self, event: Event<'a>) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                self.code = Some((fence_language(kind), String::new()))
            }
            Event::Start(Tag::Heading { level: l, id, .. }) => {
                self.level = l as u8;
                self.heading = Some((l, id.map(|i| i.to_string()), Vec::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, inner)) = self.heading.take() {
                    let prefix = self.cx.anchor_prefix;
                    let (html, listed) = heading_html(level, id, inner, &mut self.out.ids, prefix);
                    self.out.headings.extend(listed);
                    self.events.push(Event::Html(html.into()));
                }
            }
            e => match self.heading.as_mut() {
                Some((_, _, inner)) => inner.push(e),
                None => self.events.push(e),
            },
        }
    }

    fn finish(mut self) -> MarkdownHtml {
        if let Some(run) = self.prose.take() {
            check_prose(self.text, run, self.cx, &mut self.out.problems);
        }
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, self.events.into_iter());
        cut_at_slots(&html, &self.placements, &mut self.out);
        self.out
    }
}

/// A card placement found in the text: its kind, id, heading level and position.
type Found = (CardKind, String, u8, (usize, usize));

/// Cuts `html` at the slots: each becomes a typed placement at its offset
/// in `out.html`.
fn cut_at_slots(html: &str, placements: &[Found], out: &mut MarkdownHtml) {
    let mut pieces = html.split(SLOT);
    out.html.push_str(pieces.next().unwrap_or(""));
    while let (Some(index), Some(rest)) = (pieces.next(), pieces.next()) {
        if let Some((kind, id, level, position)) =
            index.parse::<usize>().ok().and_then(|i| placements.get(i))
        {
            out.placements.push(Placement {
                kind: *kind,
                id: id.clone(),
                at: out.html.len(),
                level: *level,
                position: *position,
            });
        }
        out.html.push_str(rest);
    }
}

/// The language of a code block (`bash` of ```` ```bash title ````).
fn fence_language(kind: CodeBlockKind) -> String {
    match kind {
        CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or("").to_owned(),
        CodeBlockKind::Indented => String::new(),
    }
}

/// Passes a text event on, into the heading being collected if there is one.
fn continue_text<'a>(
    event: &Event<'a>,
    events: &mut Vec<Event<'a>>,
    heading: &mut Option<(HeadingLevel, Option<String>, Vec<Event<'a>>)>,
) {
    match heading.as_mut() {
        Some((_, _, inner)) => inner.push(event.clone()),
        None => events.push(event.clone()),
    }
}

fn heading_html(
    level: HeadingLevel,
    id: Option<String>,
    inner: Vec<Event>,
    ids: &mut HeadingIds,
    prefix: &str,
) -> (String, Option<Heading>) {
    let plain = heading_text(inner.iter());
    let id = ids.next(id.as_deref(), &plain);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, inner.into_iter());
    let tag = level as usize;
    let id = format!("{prefix}{id}");
    let listed = matches!(tag, 2 | 3).then(|| Heading {
        level: tag as u8,
        id: id.clone(),
        text: plain.trim().to_owned(),
    });
    let id = escape(&id);
    (
        format!("<h{tag} id=\"{id}\">{html} <a class=\"anchor\" href=\"#{id}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{tag}>\n"),
        listed,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::highlight::Highlighter;

    fn render_with(text: &str, files: &HashMap<String, String>) -> MarkdownHtml {
        let h = Highlighter::new();
        let blocks = CodeBlocks::new(&h, "Kopier");
        let cx = MarkdownContext {
            blocks: &blocks,
            step_files: files,
            root: "../",
            file: Path::new("content/steps/01-a.md"),
            file_text: text,
            first_line: 1,
            anchor_prefix: "",
        };
        render(text, &cx)
    }

    #[test]
    fn extensions_and_heading_anchors() {
        let r = render_with("# Øl og æg\n\n| a |\n|---|\n| b |\n\n- [x] done\n\n~~old~~\n\nNote[^1]\n\n[^1]: foot\n\n# Øl og æg\n", &HashMap::new());
        assert!(r.html.contains("<h1 id=\"øl-og-æg\">"), "{}", r.html);
        assert!(r.html.contains("<h1 id=\"øl-og-æg-1\">"));
        assert!(r.html.contains("href=\"#øl-og-æg\""));
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("checkbox"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("footnote"));
    }

    #[test]
    fn step_links_are_rewritten_and_checked() {
        let files = HashMap::from([("02-b.md".to_string(), "b".to_string())]);
        let r = render_with("See [B](02-b.md#x).\n\nAnd [C](03-c.md).\n", &files);
        assert!(r.html.contains("href=\"../b/index.html#x\""), "{}", r.html);
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].line, Some(3));
    }

    #[test]
    fn directives_become_typed_placements_outside_fences_only() {
        let text =
            "## Part\n\n{{#request token}}\n\n````\n```\n{{#request not-me}}\n````\n\nafter\n";
        let r = render_with(text, &HashMap::new());
        assert_eq!(r.placements.len(), 1, "{:?}", r.placements);
        let p = &r.placements[0];
        assert_eq!(
            (p.kind, p.id.as_str(), p.level, p.position),
            (CardKind::Request, "token", 3, (3, 1))
        );
        assert!(r.html[..p.at].ends_with("</h2>\n"), "{}", r.html);
        assert!(
            r.html.contains("{{#request not-me}}"),
            "a fence with a ``` line inside stays a fence"
        );
        assert!(!r.html.contains('\0'));
        assert!(r.problems.is_empty(), "{:?}", r.problems);
    }

    #[test]
    fn link_errors_keep_their_line_after_directives() {
        let text = "{{#request a}}\n\n{{#request b}}\n\n[C](03-c.md)\n";
        let r = render_with(text, &HashMap::new());
        assert_eq!(
            (r.problems[0].line, r.problems[0].column),
            (Some(5), Some(1))
        );
    }

    #[test]
    fn stray_placeholders_and_directives_in_prose_are_errors() {
        let r = render_with(
            "Hello {{ user_id }} and `{{ fine }}`.\n\nSee {{#request x}} here.\n",
            &HashMap::new(),
        );
        let found: Vec<_> = r.problems.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(
            found,
            [(Some(1), Some(7)), (Some(3), Some(5))],
            "{:?}",
            r.problems
        );
        assert!(r.problems[1].message.contains("alone on its line"));
    }

    #[test]
    fn heading_ids_are_escaped_and_raw_html_is_kept() {
        let r = render_with(
            "# H {#x\"onmouseover=\"alert(1)}\n\n<span title=\"it's\">a</span> \"q\" <code>it's \"x\" -- ...</code> <kbd>'a'</kbd>\n",
            &HashMap::new(),
        );
        assert!(
            r.html.contains("id=\"x&quot;onmouseover=&quot;alert(1)\""),
            "{}",
            r.html
        );
        assert!(!r.html.contains("\"onmouseover"), "{}", r.html);
        assert!(
            r.html.contains("<span title=\"it's\">a</span> “q”"),
            "{}",
            r.html
        );
    }

    #[test]
    fn code_blocks_are_highlighted_with_copy_button() {
        let r = render_with("```json\n{\"a\": 1}\n```\n", &HashMap::new());
        assert!(r.html.contains("class=\"copy\" hidden>Kopier</button>"));
        assert!(r.html.contains("class=\"l-"), "{}", r.html);
    }
}
