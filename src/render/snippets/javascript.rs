//! JavaScript with `fetch` (Node 20+ as an ES module, or a browser).
//! Secrets come from `process.env`; JSON bodies are serialised with
//! `JSON.stringify(body, null, 2)`, the same bytes cURL sends.

use super::{concat, json_literal, pairs, quoted, Literals};
use crate::content::call::{Body, Call, Json, Text};

fn expr(t: &Text) -> String {
    concat(t, &|e| format!("process.env.{e}"))
}

fn json(j: &Json, depth: usize, out: &mut String) {
    let lit = Literals {
        indent: "  ",
        null: "null",
        yes: "true",
        no: "false",
        expr: &expr,
    };
    json_literal(j, &lit, depth, out);
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
    if let Some((user, password)) = &call.basic {
        // HTTP Basic: base64 of `user:password`, which fetch does not do itself.
        let pair = crate::content::call::basic_pair(user, password);
        s.push_str(&format!(
            "  headers: {{\n    \"Authorization\": \"Basic \" + btoa({}),\n",
            expr(&pair)
        ));
        for (k, v) in &call.headers {
            s.push_str(&format!("    {}: {},\n", quoted(k), expr(v)));
        }
        s.push_str("  },\n");
    } else if !call.headers.is_empty() {
        s.push_str("  headers: ");
        json(&pairs(&call.headers), 1, &mut s);
        s.push_str(
            ",
",
        );
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
