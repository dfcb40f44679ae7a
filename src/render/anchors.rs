//! The ids a step page has (its headings, as [`markdown::HeadingIds`]
//! gives them, and its cards) and the check of every `#fragment` link
//! against them: on the same page, and into another step
//! (`02-user.md#create`), the way Zola checks internal links with anchors.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::cards::{payload_anchor, request_anchor};
use super::markdown::{self, FragmentLink, HeadingIds};
use crate::content::{Site, Step};
use crate::error::Diagnostic;

/// The anchors of every step, worked out the first time a link into
/// another step needs them.
#[derive(Debug, Default)]
pub(crate) struct Anchors(OnceLock<HashMap<String, (HeadingIds, Vec<String>)>>);

/// The anchors of `step`'s cards.
fn card_anchors(step: &Step) -> Vec<String> {
    step.requests
        .iter()
        .map(request_anchor)
        .chain(step.payloads.iter().map(payload_anchor))
        .collect()
}

impl Anchors {
    fn of<'s>(&'s self, site: &Site, slug: &str) -> Option<&'s (HeadingIds, Vec<String>)> {
        self.0
            .get_or_init(|| {
                site.steps
                    .iter()
                    .map(|s| {
                        let ids = markdown::heading_ids(s.body());
                        (s.slug.clone(), (ids, card_anchors(s)))
                    })
                    .collect()
            })
            .get(slug)
    }

    /// A problem for each link of `step` to a fragment no heading or card
    /// has; `ids` are the headings its page was rendered with (worked out
    /// again when not given, for a card's description).
    pub fn check(
        &self,
        site: &Site,
        step: &Step,
        ids: Option<&HeadingIds>,
        links: &[FragmentLink],
    ) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        if links.is_empty() {
            return problems;
        }
        let own;
        let ids = match ids {
            Some(ids) => ids,
            None => {
                own = markdown::heading_ids(step.body());
                &own
            }
        };
        let here = card_anchors(step);
        for f in links {
            let other = f.step.as_deref().filter(|s| *s != step.slug);
            let found = match other {
                None => ids.contains(&f.fragment) || here.contains(&f.fragment),
                // A step that is not published (a draft) is warned about
                // as a whole.
                Some(slug) => self.of(site, slug).is_none_or(|(ids, cards)| {
                    ids.contains(&f.fragment) || cards.contains(&f.fragment)
                }),
            };
            if found {
                continue;
            }
            let (message, hint) = match other {
                None => (
                    format!("link to `#{}`, which no heading or card on this page has", f.fragment),
                    "use the id of a heading on this page (its text in lower case, spaces as `-`), or `#request-ID`".to_owned(),
                ),
                Some(slug) => {
                    let file = site.steps.iter().find(|s| s.slug == slug).map_or_else(String::new, |s| {
                        s.source.file_name().unwrap_or_default().to_string_lossy().into_owned()
                    });
                    (
                        format!("link to `{file}#{}`, which no heading or card of that step has", f.fragment),
                        format!("use the id of a heading in {file} (its text in lower case, spaces as `-`), or `#request-ID`"),
                    )
                }
            };
            problems.push(
                Diagnostic::new(&step.source, message)
                    .at(&step.text, f.position.0, f.position.1)
                    .hint(hint),
            );
        }
        problems
    }
}
