//! The chain as a Postman Collection v2.1: one folder per step, collection
//! variables with the defaults (API bases, site variables; secrets empty),
//! and on each request a test script that checks the status and sets the
//! captured values. Postman, newman, Bruno and Insomnia import it.

use serde_json::{json, Value};

use super::script::{checked_capture, js, Encoding, Script};
use super::{scripted_url, Item, Namespace, Plan, Source};
use crate::call::Body;

/// The collection, pretty JSON.
pub(super) fn collection(plan: &Plan) -> String {
    let mut folders: Vec<Value> = Vec::new();
    let mut current: Option<(&str, Vec<String>, Vec<Value>)> = None;
    for item in &plan.items {
        if current
            .as_ref()
            .is_none_or(|(slug, ..)| *slug != item.step.slug)
        {
            if let Some(done) = current.take() {
                folders.push(folder(plan, done));
            }
            current = Some((&item.step.slug, Vec::new(), Vec::new()));
        }
        let Some((_, notes, requests)) = current.as_mut() else {
            continue;
        };
        if item.is_manual() {
            notes.push(manual(item));
        } else {
            requests.push(request(item, &plan.names));
        }
    }
    if let Some(done) = current.take() {
        folders.push(folder(plan, done));
    }
    let variables: Vec<Value> = plan
        .vars
        .iter()
        .map(|v| {
            let mut var = json!({"key": v.name, "value": v.default().unwrap_or(""), "type": "string"});
            if let Source::Secret(env) = &v.source {
                var["description"] = json!(format!("Secret: the value of ${env}. Pass it with --env-var; never save it in the collection."));
            }
            var
        })
        .collect();
    let mut run = vec!["newman run walkthrough.postman_collection.json --bail".to_owned()];
    run.extend(plan.required_flags("--env-var", "--env-var"));
    let collection = json!({
        "info": {
            "name": plan.title,
            "description": format!(
                "The whole walkthrough, made by stepdoc from the same request definitions as the pages. Run the folders in order; each request checks its status and sets the values later requests use.\n\nWith newman:\n\n    {}\n\nAPI bases and site variables are collection variables; --env-var overrides any of them.",
                run.join(" ")
            ),
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
        },
        "item": folders,
        "variable": variables
    });
    serde_json::to_string_pretty(&collection).unwrap_or_default() + "\n"
}

fn folder(plan: &Plan, (slug, notes, requests): (&str, Vec<String>, Vec<Value>)) -> Value {
    let step = plan
        .items
        .iter()
        .find(|i| i.step.slug == slug)
        .map(|i| i.step);
    let (name, mut description) = step.map_or_else(Default::default, |s| {
        (
            super::one_line(&format!("Step {} · {}", s.number, s.title)),
            s.summary.clone(),
        )
    });
    for note in notes {
        description.push_str("\n\n");
        description.push_str(&note);
    }
    json!({"name": name, "description": description, "item": requests})
}

fn request(item: &Item, names: &Namespace) -> Value {
    let call = &item.call;
    // Postman pastes a variable as it is (and reads `{{` in its value as
    // another variable): every value goes through a copy made by a
    // pre-request script (see `script`).
    let mut script = Script::new("pm.variables.get", "pm.variables.set", names);
    let headers: Vec<Value> = call
        .headers
        .iter()
        .map(|(k, v)| json!({"key": k, "value": script.text(v, Encoding::Header)}))
        .collect();
    let url = scripted_url(call, &mut script);
    let body = script.body(&call.body).map(|raw| match &call.body {
        Body::Json(_) => {
            json!({"mode": "raw", "raw": raw, "options": {"raw": {"language": "json"}}})
        }
        _ => json!({"mode": "raw", "raw": raw}),
    });
    let prerequest = script.lines();
    let mut req = json!({
        "method": call.method,
        "header": headers,
        "url": url,
    });
    if let Some(b) = body {
        req["body"] = b;
    }
    if let Some((user, password)) = &call.basic {
        req["auth"] = json!({"type": "basic", "basic": [
            {"key": "username", "value": script.text(user, Encoding::Header), "type": "string"},
            {"key": "password", "value": script.text(password, Encoding::Header), "type": "string"}
        ]});
    }
    let status = item.req.status;
    let mut test = vec![format!(
        "pm.test(\"HTTP {status}\", function () {{ pm.response.to.have.status({status}); }});"
    )];
    for c in &item.captures {
        test.push(match c.js_access() {
            Some(access) => format!(
                "pm.collectionVariables.set({}, {});",
                js(&c.name),
                checked_capture(&format!("pm.response.json(){access}"), &c.name)
            ),
            None => format!(
                "throw new Error({});",
                js(&format!("this collection cannot evaluate the JSONPath `{}`: set the variable `{}` by hand", c.path, c.name))
            ),
        });
    }
    let mut events = Vec::new();
    if !prerequest.is_empty() {
        events.push(json!({"listen": "prerequest", "script": {"type": "text/javascript", "exec": prerequest}}));
    }
    events.push(json!({"listen": "test", "script": {"type": "text/javascript", "exec": test}}));
    let mut out =
        json!({"name": super::one_line(&item.req.title), "request": req, "event": events});
    if let Some(d) = &item.req.description {
        out["request"]["description"] = json!(d.text);
    }
    out
}

/// An interactive request, as a note in its step's folder.
fn manual(item: &Item) -> String {
    let mut note = format!(
        "**{}**: {}.",
        super::one_line(&item.req.title),
        item.manual_note()
    );
    for c in &item.captures {
        note.push_str(&format!(
            " Then set the variable `{}` to `{}` of the result (newman: --env-var {}=…).",
            c.name, c.path, c.name
        ));
    }
    note
}
