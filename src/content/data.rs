//! The rules for author text that other programs read. Every field of a
//! walkthrough that reaches a snippet, an export or a URL is data there,
//! never code; three rules keep it so, and this module owns them:
//!
//! - `{{` and `}}` mean a placeholder `{{ name }}` and nothing else. Where a
//!   field takes placeholders (request values) any other `{{` or `}}` is an
//!   error; where it does not (keys, names, titles, site variables, API
//!   bases) every `{{` and `}}` is. Postman, newman and httpYac read `{{` in
//!   any text as a template (httpYac runs it as JavaScript), so no such text
//!   may reach them.
//! - A one-line field (a name, a title, a capture path, a URL) holds no line
//!   break or other control character: exports write them on one line.
//! - A variable is not named like a property every JavaScript object has
//!   (`constructor`, `toString`, ...): newman would read the built-in.

use super::request::{segments, Segment};

/// The names every JavaScript object answers to, which newman's variable
/// scopes find before a variable of the same name.
const PROTOTYPE_NAMES: &[&str] = &[
    "constructor",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
    "toString",
    "valueOf",
    "__proto__",
    "__defineGetter__",
    "__defineSetter__",
    "__lookupGetter__",
    "__lookupSetter__",
];

/// The first `{{` or `}}` in `s` that is not a placeholder; with
/// `placeholders` false, the first of any.
pub(crate) fn stray_braces(s: &str, placeholders: bool) -> Option<&'static str> {
    let first = |t: &str| match (t.find("{{"), t.find("}}")) {
        (Some(a), Some(b)) => Some(if a < b { "{{" } else { "}}" }),
        (Some(_), None) => Some("{{"),
        (None, Some(_)) => Some("}}"),
        (None, None) => None,
    };
    if !placeholders {
        return first(s);
    }
    segments(s).into_iter().find_map(|seg| match seg {
        Segment::Literal(l) => first(l),
        Segment::Var(_) => None,
    })
}

/// True when `s` holds a line break or another control character (tab aside).
pub(crate) fn has_control(s: &str) -> bool {
    s.chars()
        .any(|c| (c.is_control() && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}'))
}

/// `s` on one line, whitespace collapsed: the one encoder of a comment or a
/// name in an export, and of an author's text quoted in a message.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True when `name` is a property of every JavaScript object.
pub(crate) fn is_prototype_name(name: &str) -> bool {
    PROTOTYPE_NAMES.contains(&name)
}

/// The hint for a stray `{{` or `}}`.
pub(crate) const BRACES_HINT: &str = "`{{` and `}}` are kept for placeholders (`{{ name }}`): Postman, newman and httpYac would read any other as a template; leave them out or write them apart (`{ {`)";

/// The hint for a name like `constructor`.
pub(crate) const PROTOTYPE_HINT: &str =
    "every JavaScript object has a property of that name, so newman would send it instead of your value: rename it";

/// Why `url` cannot be a link on a page: only http(s), mailto and
/// relative links are allowed, judged as a browser parses them (tabs and
/// line breaks removed, leading controls and spaces stripped), and a link
/// that starts with `//` or `/\\` leaves the site.
pub(crate) fn link_problem(url: &str) -> Option<&'static str> {
    if has_control(url) || url.contains('\t') || url.starts_with(' ') {
        return Some("it holds a control character or starts with a space");
    }
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https" | "mailto") => None,
        Ok(_) => Some("only http(s), mailto and relative links are allowed"),
        Err(url::ParseError::RelativeUrlWithoutBase) if leaves_site(url) => {
            Some("a link starting with `//` or a backslash leads to another host")
        }
        Err(url::ParseError::RelativeUrlWithoutBase) => None,
        Err(_) => Some("it is not a valid URL"),
    }
}

/// True for `//host`, `/\\host`, `\\host`: browsers read each as another host.
fn leaves_site(url: &str) -> bool {
    let mut chars = url.chars();
    matches!(
        (chars.next(), chars.next()),
        (Some('/' | '\\'), Some('/' | '\\'))
    ) || url.starts_with('\\')
}

/// Why `url` cannot be the site's address (`base_url`, `--base-url`): it
/// must be an absolute http(s) URL, or a path on this host starting with `/`.
pub fn site_url_problem(url: &str) -> Option<&'static str> {
    if has_control(url) || url.contains(char::is_whitespace) {
        return Some("it holds a space or a control character");
    }
    if url.starts_with('/') {
        return leaves_site(url).then_some("a path starting with `//` or `/\\` names another host");
    }
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => None,
        _ => Some("it is neither an absolute http(s) URL nor a path starting with `/`"),
    }
}

/// Why `url` cannot be an API base: an absolute http(s) URL with a host,
/// without braces, query or fragment.
pub fn api_base_problem(url: &str) -> Option<&'static str> {
    if has_control(url) || url.contains(char::is_whitespace) {
        return Some("it holds a space or a control character");
    }
    if stray_braces(url, false).is_some() {
        return Some("it holds `{{` or `}}`");
    }
    match url::Url::parse(url) {
        Ok(u) if !matches!(u.scheme(), "http" | "https") || u.host().is_none() => {
            Some("it is not an http(s) URL with a host")
        }
        Ok(u) if u.query().is_some() || u.fragment().is_some() => {
            Some("it holds a query or fragment; put those on the requests")
        }
        Ok(_) => None,
        Err(_) => Some("it is not an absolute http(s) URL"),
    }
}

/// `s` for a terminal: every control character but line breaks and tabs
/// made visible (`\u{1b}`), so text from an API, a callback or a prompt
/// cannot move the cursor, clear the screen or set the window title.
pub fn terminal_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\t' => c.to_string(),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                c.escape_unicode().to_string()
            }
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces_outside_placeholders_are_found() {
        assert_eq!(stray_braces("Bearer {{ token }}", true), None);
        assert_eq!(stray_braces("a {{ x y }} b", true), Some("{{"));
        assert_eq!(stray_braces("a }} b {{ t }}", true), Some("}}"));
        assert_eq!(stray_braces("{{client_secret}}", false), Some("{{"));
        assert_eq!(stray_braces("{ {x} }", false), None);
    }

    #[test]
    fn links_are_judged_as_browsers_read_them() {
        for bad in [
            "java\tscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "javascript\n:alert(1)",
            " javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,x",
            "//evil.example/",
            "/\\evil.example/",
            "\\\\evil.example",
        ] {
            assert!(link_problem(bad).is_some(), "{bad:?}");
        }
        for good in [
            "https://docs.tink.com/",
            "mailto:a@b.c",
            "02-user.md#x",
            "/docs/",
            "#top",
        ] {
            assert_eq!(link_problem(good), None, "{good:?}");
        }
    }

    #[test]
    fn site_and_api_addresses() {
        for bad in ["//evil.com/", "/\\evil.com/", "example.com/x", "ftp://x/"] {
            assert!(site_url_problem(bad).is_some(), "{bad:?}");
        }
        for good in ["/", "/docs/", "https://u.github.io/repo/"] {
            assert_eq!(site_url_problem(good), None, "{good:?}");
        }
        assert!(api_base_problem("https://api.x/{{client_secret}}").is_some());
        assert!(api_base_problem("https://api.x/v1?x=1").is_some());
        assert!(api_base_problem("api.x").is_some());
        assert_eq!(api_base_problem("https://api.tink.com"), None);
    }

    #[test]
    fn terminal_text_shows_escape_codes() {
        assert_eq!(
            terminal_text("400 \u{1b}[2J\u{1b}]0;title\u{7}\nnext\r"),
            "400 \\u{1b}[2J\\u{1b}]0;title\\u{7}\nnext\\u{d}"
        );
    }

    #[test]
    fn control_characters_and_line_separators() {
        assert!(has_control("$.code\n### x"));
        assert!(has_control("a\u{2028}b"));
        assert!(has_control("a\u{1b}[2J"));
        assert!(!has_control("tab\tand æ"));
    }
}
