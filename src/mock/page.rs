//! The page the mock serves for an `interactive: browser` request (a bank's
//! consent page, say): one button that sends the person back to the
//! `redirect_uri` it was given, with the callback's values (fresh where a
//! later request needs them) and the `state` it was given, as the real page
//! does once the person has finished there.

use serde_json::Value;

use crate::render::html::escape;

/// The redirect the button leads to: `redirect_uri` with the callback's
/// fields. A field the page was also given (`state`, `client_id`) goes back
/// as given; the rest as in `callback` (the sample or snapshot of the
/// callback, fresh values already in). `None` when `redirect_uri` is
/// missing or not an http(s) URL (no `javascript:` button).
pub(crate) fn redirect(query: &[(String, String)], callback: &Value) -> Option<String> {
    let given = |k: &str| query.iter().find(|(q, _)| q == k).map(|(_, v)| v.as_str());
    let mut url = url::Url::parse(given("redirect_uri")?).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    {
        let mut pairs = url.query_pairs_mut();
        if let Value::Object(fields) = callback {
            for (k, v) in fields {
                let value = match (given(k), v) {
                    (Some(g), _) => g.to_owned(),
                    (None, Value::String(s)) => s.clone(),
                    (None, Value::Null) => continue,
                    (None, other) => other.to_string(),
                };
                pairs.append_pair(k, &value);
            }
        }
    }
    Some(url.into())
}

/// The page: the request's title, what the real page would do, and the button.
pub(crate) fn page(title: &str, to: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · stepdoc mock</title>
<style>
:root {{ color-scheme: light dark; font-family: system-ui, sans-serif; }}
main {{ max-width: 34rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5; }}
a.button {{ display: inline-block; padding: .7rem 1.2rem; border-radius: .4rem;
  background: #1d5fd1; color: #fff; text-decoration: none; font-weight: 600; }}
a.button:focus-visible {{ outline: 3px solid #f0b400; outline-offset: 2px; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>This is <code>stepdoc mock</code> standing in for the page a person opens here. The real page asks them to sign in and agree; this one only sends them back to the app, as the real one does when they are done.</p>
<p><a class="button" id="continue" href="{to}">Finish and go back to the app</a></p>
</main>
</body>
</html>
"#,
        title = escape(title),
        to = escape(to),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_button_goes_back_with_the_given_state_and_the_callbacks_values() {
        let cb = serde_json::json!({"client_id": "SAMPLE", "credentials_id": "c1", "state": "old"});
        let to = redirect(
            &q(&[
                ("redirect_uri", "http://localhost:3000/cb?x=1"),
                ("state", "s&t"),
                ("client_id", "mine"),
            ]),
            &cb,
        )
        .unwrap();
        assert_eq!(
            to,
            "http://localhost:3000/cb?x=1&client_id=mine&credentials_id=c1&state=s%26t"
        );
        assert!(redirect(&q(&[("redirect_uri", "javascript:alert(1)")]), &cb).is_none());
        assert!(redirect(&q(&[]), &cb).is_none());
        let html = page("<b>", "http://x/?a=1&b=\"");
        assert!(html.contains("href=\"http://x/?a=1&amp;b=&quot;\"") && html.contains("&lt;b&gt;"));
    }
}
