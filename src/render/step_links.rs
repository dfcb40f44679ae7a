//! Links in a step's Markdown: a link to another step's file
//! (`02-opret-bruger.md`, `02-opret-bruger.md#svar`) becomes that step's
//! page (or its section, on the print page), a fragment is noted for the
//! anchor checks, and a link to a step file that does not exist is a
//! problem with the walkthrough's own step files as the hint.

use super::markdown::{FragmentLink, MarkdownContext, MarkdownHtml};

/// A link's destination as published: a step file's page (a problem when
/// there is no such step), with any fragment noted for the anchor checks.
pub(super) fn link(
    dest: &str,
    (text, at): (&str, usize),
    cx: &MarkdownContext,
    out: &mut MarkdownHtml,
) -> String {
    if let Some((step, fragment)) = fragment_of(dest, cx) {
        out.fragments.push(FragmentLink {
            step,
            fragment: fragment.to_owned(),
            position: cx.position(text, at),
        });
    }
    rewrite_link(dest, cx).unwrap_or_else(|problem| {
        out.problems
            .push(cx.problem(text, at, problem).hint(link_hint(cx)));
        dest.to_owned()
    })
}

/// How to link to a step, with one of this walkthrough's own step files.
fn link_hint(cx: &MarkdownContext) -> String {
    let mut files: Vec<&String> = cx.step_files.keys().collect();
    files.sort();
    match files.first() {
        Some(f) => format!(
            "link to a step by its file name, e.g. `[{f}]({f})`; the steps: {}",
            files
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => "link to a step by its file name, e.g. `[the next step](02-next.md)`".to_owned(),
    }
}

/// The fragment a link names, on this page (`#id`) or on another step
/// (`02-user.md#id`, by the step's slug); `None` for other links.
fn fragment_of<'d>(dest: &'d str, cx: &MarkdownContext) -> Option<(Option<String>, &'d str)> {
    if let Some(fragment) = dest.strip_prefix('#') {
        return Some((None, fragment));
    }
    let (path, fragment) = dest.split_once('#')?;
    let slug = cx.step_files.get(path.trim_start_matches("./"))?;
    Some((Some(slug.clone()), fragment))
}

/// Rewrites a link to a step file; `Err` when it names a step file that does not exist.
fn rewrite_link(dest: &str, cx: &MarkdownContext) -> Result<String, String> {
    if let Some(fragment) = dest.strip_prefix('#') {
        return Ok(format!("#{}{fragment}", cx.anchor_prefix));
    }
    if dest.contains("://") || dest.starts_with("mailto:") {
        return Ok(dest.to_owned());
    }
    let (path, fragment) = dest
        .split_once('#')
        .map_or((dest, None), |(p, f)| (p, Some(f)));
    let name = path.trim_start_matches("./");
    if !name.contains(['/', '.']) {
        // `04-confirm` or `confirm`: a step named without its file's extension.
        let meant = cx.step_files.iter().find(|(file, slug)| {
            *slug == name || file.rsplit_once('.').is_some_and(|(stem, _)| stem == name)
        });
        if let Some((file, _)) = meant {
            return Err(format!(
                "link to `{name}`, which is not a file: link to the step file `{file}`"
            ));
        }
    }
    if name.contains('/') || !(name.ends_with(".md") || name.ends_with(".yaml")) {
        return Ok(dest.to_owned());
    }
    match cx.step_files.get(name) {
        // On the print page every step is a section of the same page.
        Some(slug) if !cx.anchor_prefix.is_empty() => Ok(match fragment {
            Some(f) => format!("#{slug}-{f}"),
            None => format!("#step-{slug}"),
        }),
        Some(slug) => Ok(format!(
            "{}{slug}/index.html{}",
            cx.root,
            fragment.map(|f| format!("#{f}")).unwrap_or_default()
        )),
        None => Err(format!("link to `{name}`, which is not a step file")),
    }
}
