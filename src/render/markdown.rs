//! Markdown to HTML with pulldown-cmark: CommonMark plus tables,
//! strikethrough, task lists and footnotes; heading ids with anchor links;
//! highlighted code blocks with a copy button; links to other step files
//! (`02-opret-bruger.md`) rewritten to their pages and checked; and the
//! `{{#request id}}` / `{{#payload id}}` lines that place cards.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::highlight::{escape, Highlighter};
use crate::error::{line_col, Diagnostic};

/// What a Markdown text needs from its surroundings.
pub struct MarkdownContext<'a> {
    /// Highlighter shared by the whole build.
    pub highlighter: &'a Highlighter,
    /// Step file name (`02-opret-bruger.md`) -> page slug, for link rewriting.
    pub step_files: &'a HashMap<String, String>,
    /// Relative path from this page to the site root (`""` or `"../"`).
    pub root: &'a str,
    /// Label of the copy button.
    pub copy_label: &'a str,
    /// The file, for diagnostics.
    pub file: &'a Path,
    /// The whole file text, for diagnostics.
    pub file_text: &'a str,
    /// Line of the file where this Markdown starts.
    pub first_line: usize,
}

/// A card placement written in the Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// `request` or `payload`.
    pub kind: String,
    /// The id it names.
    pub id: String,
    /// The marker in the HTML that the card replaces.
    pub marker: String,
    /// Line in the file, for "unknown id" errors.
    pub line: usize,
}

/// Rendered Markdown.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Card placements found, in order.
    pub placements: Vec<Placement>,
    /// Problems (broken step links).
    pub problems: Vec<Diagnostic>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders `text`.
pub fn render(text: &str, cx: &MarkdownContext) -> Rendered {
    let (source, placements) = place_directives(text, cx);
    let mut out = Rendered {
        placements,
        ..Default::default()
    };
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<(HeadingLevel, Option<String>, Vec<Event>)> = None;
    let mut code: Option<(String, String)> = None;
    let mut ids = HashSet::new();
    for (event, range) in Parser::new_ext(&source, options()).into_offset_iter() {
        if let Some((_, buf)) = code.as_mut() {
            match event {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, buf) = code.take().unwrap_or_default();
                    events.push(Event::Html(CowStr::from(code_block(&buf, &lang, cx))));
                }
                _ => {}
            }
            continue;
        }
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = rewrite_link(&dest_url, cx).unwrap_or_else(|problem| {
                    let (line, col) = line_col(&source, range.start);
                    out.problems.push(
                        Diagnostic::new(cx.file, problem)
                            .at(cx.file_text, line + cx.first_line - 1, col)
                            .hint("link to a step by its file name, e.g. `[Opret bruger](02-opret-bruger.md)`"),
                    );
                    dest_url.to_string()
                });
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                })
            }
            other => other,
        };
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_owned()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((level, id.map(|i| i.to_string()), Vec::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, inner)) = heading.take() {
                    events.push(Event::Html(heading_html(level, id, inner, &mut ids).into()));
                }
            }
            e => match heading.as_mut() {
                Some((_, _, inner)) => inner.push(e),
                None => events.push(e),
            },
        }
    }
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out
}

/// Replaces `{{#request id}}` lines (outside code fences) with HTML comment markers.
fn place_directives(text: &str, cx: &MarkdownContext) -> (String, Vec<Placement>) {
    let mut out = String::with_capacity(text.len());
    let mut placements = Vec::new();
    let mut fence: Option<String> = None;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim();
        if let Some(f) = &fence {
            if trimmed.starts_with(f.as_str()) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(trimmed[..3].to_owned());
        } else if let Some(inner) = trimmed
            .strip_prefix("{{#")
            .and_then(|t| t.strip_suffix("}}"))
        {
            let mut words = inner.split_whitespace();
            if let (Some(kind @ ("request" | "payload")), Some(id), None) =
                (words.next(), words.next(), words.next())
            {
                let marker = format!("<!--stepdoc:{kind}:{id}-->");
                out.push_str(&format!("\n{marker}\n\n"));
                placements.push(Placement {
                    kind: kind.into(),
                    id: id.into(),
                    marker,
                    line: cx.first_line + i,
                });
                continue;
            }
        }
        out.push_str(line);
    }
    (out, placements)
}

/// Rewrites a link to a step file; `Err` when it names a step file that does not exist.
fn rewrite_link(dest: &str, cx: &MarkdownContext) -> Result<String, String> {
    if dest.contains("://") || dest.starts_with('#') || dest.starts_with("mailto:") {
        return Ok(dest.to_owned());
    }
    let (path, fragment) = dest
        .split_once('#')
        .map_or((dest, None), |(p, f)| (p, Some(f)));
    let name = path.trim_start_matches("./");
    if name.contains('/') || !(name.ends_with(".md") || name.ends_with(".yaml")) {
        return Ok(dest.to_owned());
    }
    match cx.step_files.get(name) {
        Some(slug) => Ok(format!(
            "{}{slug}/index.html{}",
            cx.root,
            fragment.map(|f| format!("#{f}")).unwrap_or_default()
        )),
        None => Err(format!("link to `{name}`, which is not a step file")),
    }
}

fn heading_html(
    level: HeadingLevel,
    id: Option<String>,
    inner: Vec<Event>,
    ids: &mut HashSet<String>,
) -> String {
    let plain: String = inner
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let base = id.unwrap_or_else(|| slugify(&plain));
    let mut id = base.clone();
    let mut n = 1;
    while !ids.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, inner.into_iter());
    let tag = level as usize;
    format!("<h{tag} id=\"{id}\">{html} <a class=\"anchor\" href=\"#{id}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{tag}>\n")
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

/// A highlighted code block with its language label and a copy button.
pub fn code_block(code: &str, lang: &str, cx: &MarkdownContext) -> String {
    code_block_html(code, lang, cx.highlighter, cx.copy_label)
}

/// A highlighted code block; the copy button is hidden until the script shows it.
pub fn code_block_html(
    code: &str,
    lang: &str,
    highlighter: &Highlighter,
    copy_label: &str,
) -> String {
    let label = if lang.is_empty() {
        String::new()
    } else {
        format!("<span class=\"code-lang\">{}</span>", escape(lang))
    };
    format!(
        "<div class=\"code\"><div class=\"code-head\">{label}<button type=\"button\" class=\"copy\" hidden>{}</button></div><pre tabindex=\"0\"><code class=\"language-{}\">{}</code></pre></div>\n",
        escape(copy_label),
        escape(if lang.is_empty() { "text" } else { lang }),
        highlighter.highlight(code, lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_with(text: &str, files: &HashMap<String, String>) -> Rendered {
        let h = Highlighter::new();
        let cx = MarkdownContext {
            highlighter: &h,
            step_files: files,
            root: "../",
            copy_label: "Kopier",
            file: Path::new("content/steps/01-a.md"),
            file_text: text,
            first_line: 1,
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
    fn directives_outside_fences_become_markers() {
        let r = render_with(
            "{{#request token}}\n\n```\n{{#request not-me}}\n```\n",
            &HashMap::new(),
        );
        assert_eq!(r.placements.len(), 1);
        assert_eq!(r.placements[0].id, "token");
        assert!(r.html.contains("<!--stepdoc:request:token-->"));
        assert!(r.html.contains("{{#request not-me}}"));
    }

    #[test]
    fn code_blocks_are_highlighted_with_copy_button() {
        let r = render_with("```json\n{\"a\": 1}\n```\n", &HashMap::new());
        assert!(r.html.contains("class=\"copy\" hidden>Kopier</button>"));
        assert!(r.html.contains("class=\"l-"), "{}", r.html);
    }
}
