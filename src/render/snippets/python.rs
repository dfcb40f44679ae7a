//! Python with `requests`. Secrets come from `os.environ`; the body is sent
//! as the same bytes the cURL version sends (form fields encoded by
//! `requests`, JSON serialised with `indent=2` and non-ASCII kept).

use super::{concat, json_literal, pairs, quoted, Literals};
use crate::content::call::{Body, Call, Json, Text};

fn expr(t: &Text) -> String {
    concat(t, &|e| format!("os.environ[{}]", quoted(e)))
}

fn json(j: &Json, depth: usize, out: &mut String) {
    let lit = Literals {
        indent: "    ",
        null: "None",
        yes: "True",
        no: "False",
        expr: &expr,
    };
    json_literal(j, &lit, depth, out);
}

/// The Python snippet.
pub fn generate(call: &Call) -> String {
    let mut s = String::new();
    let is_json = matches!(call.body, Body::Json(_));
    s.push_str(if is_json {
        "import json\nimport os\n\nimport requests\n\n"
    } else {
        "import os\n\nimport requests\n\n"
    });
    if let Body::Json(j) = &call.body {
        s.push_str("body = ");
        json(j, 0, &mut s);
        s.push_str("\n\n");
    }
    s.push_str(&format!(
        "response = requests.request(\n    {},\n    {},\n",
        quoted(&call.method),
        expr(&call.url)
    ));
    if !call.headers.is_empty() {
        s.push_str("    headers=");
        json(&pairs(&call.headers), 1, &mut s);
        s.push_str(
            ",
",
        );
    }
    if let Some((user, password)) = &call.basic {
        s.push_str(&format!("    auth=({}, {}),\n", expr(user), expr(password)));
    }
    match &call.body {
        Body::None => {}
        Body::Form(fields) => {
            s.push_str("    data=");
            json(&pairs(fields), 1, &mut s);
            s.push_str(
                ",
",
            );
        }
        Body::Json(_) => {
            s.push_str("    data=json.dumps(body, indent=2, ensure_ascii=False).encode(),\n")
        }
    }
    s.push_str("    timeout=30,\n)\nprint(response.status_code)\nprint(response.text)\n");
    s
}
