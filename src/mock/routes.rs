//! The mock's routes: every HTTP request of the chain as a method, a base
//! prefix and a path template; which route an incoming request is (the
//! one whose literal fields agree most, when two share a path, as the two
//! token requests of an OAuth flow do); the closest route for a 404.

use crate::content::chain::{self, Pos};
use crate::content::config::DEFAULT_BASE;
use crate::content::request::{segments, Segment};
use crate::content::{Interactive, Request, Site};

/// A piece of a template: text, or a `{{ name }}` that binds a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Text that must be there as it is.
    Lit(String),
    /// A value the request supplies.
    Var(String),
}

/// The pieces of a template string.
pub(crate) fn pieces(template: &str) -> Vec<Piece> {
    segments(template)
        .into_iter()
        .map(|s| match s {
            Segment::Literal(l) => Piece::Lit(l.to_owned()),
            Segment::Var(v) => Piece::Var(v.to_owned()),
        })
        .collect()
}

/// Values bound to names, in order.
pub(crate) type Bindings = Vec<(String, String)>;

/// The values `actual` gives the variables of `template`, or `None` when
/// it does not have the template's shape. A variable binds at least one
/// character; the first way that fits wins.
pub(crate) fn bind(template: &[Piece], actual: &str) -> Option<Bindings> {
    match template.split_first() {
        None => actual.is_empty().then(Vec::new),
        Some((Piece::Lit(l), rest)) => bind(rest, actual.strip_prefix(l.as_str())?),
        Some((Piece::Var(name), rest)) => {
            let ends = actual.char_indices().skip(1).map(|(i, _)| i);
            for end in ends.chain(std::iter::once(actual.len())) {
                if end == 0 {
                    continue;
                }
                if let Some(mut more) = bind(rest, &actual[end..]) {
                    more.insert(0, (name.clone(), actual[..end].to_owned()));
                    return Some(more);
                }
            }
            None
        }
    }
}

/// One HTTP request of the chain as the mock serves it.
#[derive(Debug)]
pub(crate) struct Route {
    /// The request's position in the walkthrough.
    pub pos: Pos,
    /// The method, upper case.
    pub method: String,
    /// `/api`: the base the request's path is joined to, as the mock's prefix.
    pub prefix: String,
    /// The path template split at `/`, each part as pieces.
    pub path: Vec<Vec<Piece>>,
}

impl Route {
    /// `POST /api/api/v1/oauth/token`, for messages.
    pub fn label(&self, site: &Site) -> String {
        format!(
            "{} {}{}",
            self.method,
            self.prefix,
            request(site, self.pos).target()
        )
    }
}

/// The request at `pos`.
pub(crate) fn request(site: &Site, pos: Pos) -> &Request {
    &site.steps[pos.0].requests[pos.1]
}

/// The routes of `site`, in chain order, and the requests it cannot serve
/// (a full `url:` outside the bases).
pub(crate) fn routes(site: &Site) -> (Vec<Route>, Vec<Pos>) {
    let mut routes = Vec::new();
    let mut skipped = Vec::new();
    for pos in chain::all(site) {
        let req = request(site, pos);
        if req.interactive == Some(Interactive::Prompt) {
            continue;
        }
        let Some(path) = req.path.as_deref().filter(|_| req.url.is_none()) else {
            skipped.push(pos);
            continue;
        };
        routes.push(Route {
            pos,
            method: req.method.to_ascii_uppercase(),
            prefix: format!("/{}", req.base.as_deref().unwrap_or(DEFAULT_BASE)),
            path: path.split('/').map(pieces).collect(),
        });
    }
    (routes, skipped)
}

/// The variables a path binds, or `None` when `route` is not its route.
/// `path` is the request's path as sent (percent-encoded).
pub(crate) fn bind_path(route: &Route, path: &str) -> Option<Bindings> {
    let rest = path.strip_prefix(route.prefix.as_str())?;
    let parts: Vec<&str> = rest.split('/').collect();
    if parts.len() != route.path.len() {
        return None;
    }
    let mut bound = Vec::new();
    for (template, part) in route.path.iter().zip(parts) {
        let decoded = percent_encoding::percent_decode_str(part).decode_utf8_lossy();
        bound.extend(bind(template, &decoded)?);
    }
    Some(bound)
}

/// The route closest to `method path`, for the hint of a 404.
pub(crate) fn closest<'a>(
    site: &Site,
    routes: &'a [Route],
    method: &str,
    path: &str,
) -> Option<&'a Route> {
    let asked = format!("{method} {path}");
    routes
        .iter()
        .map(|r| (strsim::normalized_levenshtein(&asked, &r.label(site)), r))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(t: &str, s: &str) -> Option<Vec<(String, String)>> {
        bind(&pieces(t), s)
    }

    #[test]
    fn templates_bind_their_variables() {
        assert_eq!(b("users", "users"), Some(vec![]));
        assert_eq!(b("users", "user"), None);
        assert_eq!(
            b("Bearer {{ t }}", "Bearer abc"),
            Some(vec![("t".into(), "abc".into())])
        );
        assert_eq!(
            b("Bearer {{ t }}", "Bearer "),
            None,
            "a value is never empty"
        );
        assert_eq!(
            b("{{ a }}-{{ b }}.json", "x-y-z.json"),
            Some(vec![("a".into(), "x".into()), ("b".into(), "y-z".into())])
        );
        assert_eq!(b("{{ a }}", "ø"), Some(vec![("a".into(), "ø".into())]));
    }
}
