//! HTTPie in a POSIX shell. Headers are `Name:value` items, form fields
//! `name=value` items with `--form`, and a JSON body goes verbatim with
//! `--raw`; shell quoting follows the cURL snippet's rules.
//!
//! HTTPie reads `:`, `;`, `=` and `@` in an item as separators (`k=@file`
//! uploads a file, `k==v` is a query parameter, `H:=v` is JSON), so each of
//! them in the defined text is escaped with a backslash. An odd run of
//! backslashes right before one of them cannot be written in HTTPie's item
//! syntax at all: such
//! a request gets a note pointing to the cURL snippet instead of a command
//! that would send something else.

use super::curl::shell_word;
use crate::call::{Body, Call, Part, Text};

/// The characters HTTPie's item parser treats as separators.
const SPECIAL: [char; 4] = [':', ';', '=', '@'];

/// The HTTPie snippet.
pub fn generate(call: &Call) -> String {
    items(call).unwrap_or_else(|| {
        "# HTTPie cannot send this request exactly: a header or form field holds a\n\
         # backslash right before `:`, `;`, `=` or `@`. Use the cURL snippet.\n"
            .to_owned()
    })
}

fn items(call: &Call) -> Option<String> {
    let mut first = super::curl::helpers(call);
    first.push_str("http");
    match &call.body {
        Body::Form(_) => first.push_str(" --form"),
        Body::Json(j) => first.push_str(&format!(" --raw {}", shell_word(&j.pretty()))),
        Body::None => {}
    }
    let url = shell_word(super::address(call));
    first.push_str(&format!(" {} {url}", call.method));
    let mut lines = vec![first];
    if super::query_has_variables(call) {
        // `name==value`: HTTPie encodes the value into the query.
        for (k, v) in &call.query {
            lines.push(shell_word(&item(k, "==", v)?));
        }
    }
    if let Some((user, password)) = &call.basic {
        // `--auth user:password`: HTTPie sends it as HTTP Basic.
        lines.push(format!(
            "--auth {}",
            shell_word(&crate::call::basic_pair(user, password))
        ));
    }
    for (k, v) in &call.headers {
        // `Name:` with nothing after it removes a header; `Name;` sends it empty.
        let sep = if v.is_empty() { ";" } else { ":" };
        lines.push(shell_word(&item(k, sep, v)?));
    }
    if let Body::Form(fields) = &call.body {
        for (k, v) in fields {
            lines.push(shell_word(&item(k, "=", v)?));
        }
    }
    Some(format!("{}\n", lines.join(" \\\n  ")))
}

/// `key` `sep` `value` with the separators in the key and in the value's
/// literal text escaped; `None` when the text cannot be escaped.
fn item(key: &str, sep: &str, value: &Text) -> Option<Text> {
    // The separator after the key must not be escaped by the key's own backslashes.
    if (key.len() - key.trim_end_matches('\\').len()) % 2 == 1 {
        return None;
    }
    let mut out = vec![Part::Lit(format!("{}{sep}", escape(key)?))];
    for p in value {
        match p {
            Part::Lit(l) => {
                let e = escape(l)?;
                match out.last_mut() {
                    Some(Part::Lit(last)) => last.push_str(&e),
                    _ => out.push(Part::Lit(e)),
                }
            }
            env => out.push(env.clone()),
        }
    }
    Some(out)
}

/// `s` with each separator character preceded by a backslash. HTTPie reads
/// a backslash and the character after it as a pair (`\\` stays two
/// backslashes), so an odd run of backslashes before a separator would
/// swallow the escape: `None` then.
fn escape(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut backslashes = 0;
    for c in s.chars() {
        if SPECIAL.contains(&c) {
            if backslashes % 2 == 1 {
                return None;
            }
            out.push('\\');
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
        out.push(c);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_are_escaped() {
        assert_eq!(escape("@/etc/hostname").unwrap(), r"\@/etc/hostname");
        assert_eq!(escape("a:=b==c").unwrap(), r"a\:\=b\=\=c");
        assert_eq!(escape(r"C:\path").unwrap(), r"C\:\path");
        assert_eq!(escape(r"a\\=b").unwrap(), r"a\\\=b");
        assert_eq!(escape(r"a\=b"), None);
        assert_eq!(item("k\\", "=", &vec![]), None);
        assert!(item("k\\\\", "=", &vec![]).is_some());
    }
}
