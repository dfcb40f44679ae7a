//! The chain as an `.http` file in the JetBrains HTTP Client dialect, which
//! httpYac (VS Code, CLI) runs too: named requests, a response handler on
//! each that checks the status and stores captured values with
//! `client.global.set`, and `http-client.env.json` with the defaults.
//! Values are encoded by pre-request scripts (see [`super::script`]).

use serde_json::json;

use super::script::{checked_capture, js, Encoding, Script};
use super::{one_line, scripted_url, Item, Namespace, Plan, HTTP_ENV};

/// The `.http` file.
pub(super) fn file(plan: &Plan) -> String {
    let mut run = vec![format!(
        "httpyac send walkthrough.http --all --bail --env {HTTP_ENV}"
    )];
    run.extend(plan.required_flags("--var", "--var"));
    let mut out = format!(
        "# {}\n#\n# The whole walkthrough as one .http file, made by stepdoc from the same\n# request definitions as the pages. Run the requests in order in the\n# JetBrains HTTP Client (environment \"{HTTP_ENV}\"; put the secrets in\n# http-client.private.env.json) or with httpYac:\n#\n#   {}\n#\n# http-client.env.json holds the API bases and the site's variables.\n",
        plan.title,
        run.join(" \\\n#     ")
    );
    for item in &plan.items {
        out.push('\n');
        if item.is_manual() {
            manual(item, &mut out);
        } else {
            request(item, &plan.names, &mut out);
        }
    }
    out
}

/// `http-client.env.json`: one environment with the defaults.
pub(super) fn env(plan: &Plan) -> String {
    let values: serde_json::Map<String, serde_json::Value> = plan
        .vars
        .iter()
        .filter_map(|v| v.default().map(|d| (v.name.clone(), json!(d))))
        .collect();
    serde_json::to_string_pretty(&json!({ HTTP_ENV: values })).unwrap_or_default() + "\n"
}

fn request(item: &Item, names: &Namespace, out: &mut String) {
    let call = &item.call;
    let mut enc = Script::new("v", "request.variables.set", names);
    let url = scripted_url(call, &mut enc);
    let mut lines = vec![format!("{} {url}", call.method)];
    if let Some((user, password)) = &call.basic {
        lines.push(format!(
            "Authorization: Basic {}:{}",
            enc.text(user, Encoding::Header),
            enc.text(password, Encoding::Header)
        ));
    }
    for (k, v) in &call.headers {
        lines.push(format!("{k}: {}", enc.text(v, Encoding::Header)));
    }
    let body = enc.body(&call.body);
    out.push_str(&format!(
        "### {}\n# @name {}\n",
        item.heading(),
        item.req.id
    ));
    if !enc.lines().is_empty() {
        out.push_str("< {%\n  const v = (n) => { const g = client.global.get(n); return g === null || g === undefined ? request.environment.get(n) : g; };\n");
        for line in &enc.lines() {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
        out.push_str("%}\n");
    }
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    if let Some(b) = body {
        out.push('\n');
        out.push_str(&b);
        out.push('\n');
    }
    let status = item.req.status;
    out.push_str(&format!(
        "\n> {{%\n  client.test(\"HTTP {status}\", function () {{ client.assert(response.status === {status}, \"expected HTTP {status}, got \" + response.status); }});\n"
    ));
    for c in &item.captures {
        out.push_str(&match c.js_access() {
            Some(access) => format!(
                "  client.global.set({}, {});\n",
                js(&c.name),
                checked_capture(&format!("response.body{access}"), &c.name)
            ),
            None => format!(
                "  throw new Error({});\n",
                js(&format!(
                    "this file cannot evaluate the JSONPath `{}`: set the variable `{}` by hand",
                    c.path, c.name
                ))
            ),
        });
    }
    out.push_str("%}\n");
}

/// An interactive request: a comment block saying what to do.
fn manual(item: &Item, out: &mut String) {
    out.push_str(&format!(
        "### {}\n# {}\n",
        item.heading(),
        item.manual_note()
    ));
    for c in &item.captures {
        out.push_str(&format!(
            "# Then pass {} (`{}` of the result): httpyac --var {}=…\n",
            c.name,
            one_line(&c.path),
            c.name
        ));
    }
}
