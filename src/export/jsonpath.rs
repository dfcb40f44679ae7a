//! A capture's JSONPath in the forms the exports need: JavaScript property
//! access (Postman and httpYac scripts) and a JSON Pointer (Arazzo's
//! `$response.body#/…`). Only plain paths of names and indexes have them;
//! filters, wildcards and recursive descent do not.

/// One step of a plain path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Name(String),
    Index(usize),
}

/// `$.a.b[0]['c d']` as its keys; `None` for anything else.
fn keys(path: &str) -> Option<Vec<Key>> {
    let mut rest = path.strip_prefix('$')?;
    let mut out = Vec::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(r.len());
            if end == 0 {
                return None;
            }
            out.push(Key::Name(r[..end].to_owned()));
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            let inner = r[..end].trim();
            if let Ok(i) = inner.parse::<usize>() {
                out.push(Key::Index(i));
            } else {
                let quoted = inner
                    .strip_prefix('\'')
                    .and_then(|s| s.strip_suffix('\''))
                    .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')))?;
                if quoted.contains(['\\', '\'', '"']) {
                    return None;
                }
                out.push(Key::Name(quoted.to_owned()));
            }
            rest = &r[end + 1..];
        } else {
            return None;
        }
    }
    Some(out)
}

/// `$.a.b[0]['c d']` as `["a"]["b"][0]["c d"]`.
pub(crate) fn js_access(path: &str) -> Option<String> {
    keys(path)?
        .iter()
        .map(|k| match k {
            Key::Name(n) => serde_json::to_string(n).ok().map(|q| format!("[{q}]")),
            Key::Index(i) => Some(format!("[{i}]")),
        })
        .collect()
}

/// `$.accounts[0].id` as the JSON Pointer `/accounts/0/id` (RFC 6901: `~`
/// as `~0`, `/` as `~1`).
pub(crate) fn json_pointer(path: &str) -> Option<String> {
    let keys = keys(path)?;
    Some(
        keys.iter()
            .map(|k| match k {
                Key::Name(n) => format!("/{}", n.replace('~', "~0").replace('/', "~1")),
                Key::Index(i) => format!("/{i}"),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_json_paths_become_property_access_and_pointers() {
        assert_eq!(
            js_access("$.accounts[0].id").as_deref(),
            Some(r#"["accounts"][0]["id"]"#)
        );
        assert_eq!(js_access("$['a b'].c").as_deref(), Some(r#"["a b"]["c"]"#));
        assert_eq!(
            json_pointer("$.accounts[0].id").as_deref(),
            Some("/accounts/0/id")
        );
        assert_eq!(json_pointer("$['a/b~c']").as_deref(), Some("/a~1b~0c"));
        assert_eq!(json_pointer("$").as_deref(), Some(""));
        for unplain in ["$..id", "$.a[?@.b]", "$.a[*]"] {
            assert_eq!(js_access(unplain), None);
            assert_eq!(json_pointer(unplain), None);
        }
    }
}
