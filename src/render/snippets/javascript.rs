//! JavaScript with `fetch` (Node 20+ as an ES module, or a browser).
//! Secrets come from `process.env`; JSON bodies are serialised with
//! `JSON.stringify(body, null, 2)`, the same bytes cURL sends.

use super::quoted;
use crate::content::call::{Body, Call, Json, Part, Text};

fn expr(t: &Text) -> String {
    if t.is_empty() {
        return "\"\"".into();
    }
    t.iter()
        .map(|p| match p {
            Part::Lit(l) => quoted(l),
            Part::Env(e) => format!("process.env.{e}"),
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn json(j: &Json, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth + 1);
    match j {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(&b.to_string()),
        Json::Number(n) => out.push_str(n),
        Json::Str(t) => out.push_str(&expr(t)),
        Json::Array(items) if items.is_empty() => out.push_str("[]"),
        Json::Object(items) if items.is_empty() => out.push_str("{}"),
        Json::Array(items) => {
            out.push_str("[\n");
            for v in items {
                out.push_str(&pad);
                json(v, depth + 1, out);
                out.push_str(",\n");
            }
            out.push_str(&format!("{}]", "  ".repeat(depth)));
        }
        Json::Object(items) => {
            out.push_str("{\n");
            for (k, v) in items {
                out.push_str(&format!("{pad}{}: ", quoted(k)));
                json(v, depth + 1, out);
                out.push_str(",\n");
            }
            out.push_str(&format!("{}}}", "  ".repeat(depth)));
        }
    }
}

/// The JavaScript snippet.
pub fn generate(call: &Call) -> String {
    let mut s = String::new();
    if let Body::Json(j) = &call.body {
        s.push_str("const body = ");
        json(j, 0, &mut s);
        s.push_str(";\n\n");
    }
    s.push_str(&format!(
        "const response = await fetch({}, {{\n  method: {},\n",
        expr(&call.url),
        quoted(&call.method)
    ));
    if !call.headers.is_empty() {
        s.push_str("  headers: {\n");
        for (k, v) in &call.headers {
            s.push_str(&format!("    {}: {},\n", quoted(k), expr(v)));
        }
        s.push_str("  },\n");
    }
    match &call.body {
        Body::None => {}
        Body::Form(fields) => {
            s.push_str("  body: new URLSearchParams([\n");
            for (k, v) in fields {
                s.push_str(&format!("    [{}, {}],\n", quoted(k), expr(v)));
            }
            s.push_str("  ]).toString(),\n");
        }
        Body::Json(_) => s.push_str("  body: JSON.stringify(body, null, 2),\n"),
    }
    s.push_str("});\nconsole.log(response.status, await response.text());\n");
    s
}
