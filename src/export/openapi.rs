//! The walkthrough's operations as an OpenAPI 3.1 description
//! (`downloads/walkthrough.openapi.yaml`), for the Arazzo export to point
//! at when the provider's own description is not given: exactly the
//! operations the chain calls, with their parameters, request bodies and
//! the statuses and response shapes the walkthrough shows. Schemas are
//! inferred from the request definitions and the shown responses; each
//! response's example is the author's `sample:`, never a recorded response
//! (no snapshot value reaches the downloads).

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::{Item, Plan};
use crate::call::{Body, Json};
use crate::content::chain::Pos;
use crate::content::config::{AuthScheme, DEFAULT_BASE};
use crate::content::request::{segments, Segment};
use crate::content::{resolve, Origin};

/// The bases the plan's HTTP requests use, `api` first: one description
/// each, so that one `--server NAME=URL` moves each base.
pub(super) fn bases(plan: &Plan) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in plan
        .items
        .iter()
        .filter(|i| !i.is_manual() && i.req.url.is_none())
    {
        let base = base_of(item).to_owned();
        if !out.contains(&base) {
            out.push(base);
        }
    }
    out.sort_by_key(|b| b != DEFAULT_BASE);
    out
}

/// The file of the description of `base` under `downloads/`:
/// `walkthrough.openapi.yaml` for `api`, `walkthrough.NAME.openapi.yaml` else.
pub(super) fn file_name(base: &str) -> String {
    if base == DEFAULT_BASE {
        super::Format::Openapi.file_name().to_owned()
    } else {
        format!("walkthrough.{}.openapi.yaml", operation_id(base))
    }
}

fn base_of<'a>(item: &Item<'a>) -> &'a str {
    item.req.base.as_deref().unwrap_or(DEFAULT_BASE)
}

/// The description of the operations on `base`, and the `operationId`
/// each of its HTTP requests calls.
pub(super) fn document(plan: &Plan, base: &str) -> (Value, HashMap<Pos, String>) {
    let config = &plan.site.config;
    let mut paths = Map::new();
    let mut ids = HashMap::new();
    let mut schemes = Map::new();
    for item in plan
        .items
        .iter()
        .filter(|i| !i.is_manual() && base_of(i) == base)
    {
        let Some(path) = item.req.path.as_deref().filter(|_| item.req.url.is_none()) else {
            continue;
        };
        let template = path_template(path);
        let method = item.req.method.to_ascii_lowercase();
        let entry = paths.entry(template).or_insert_with(|| json!({}));
        let Some(ops) = entry.as_object_mut() else {
            continue;
        };
        let op = match ops.entry(method) {
            serde_json::map::Entry::Vacant(v) => v.insert(operation(item)),
            serde_json::map::Entry::Occupied(o) => {
                // Another request on the same operation (an OAuth token
                // endpoint with two grants): what both send.
                let op = o.into_mut();
                merge(op, operation(item));
                op
            }
        };
        ids.insert(
            item.pos,
            op["operationId"].as_str().unwrap_or_default().to_owned(),
        );
        add_response(op, item, &plan.site.root);
        match security(item, config) {
            Some((name, scheme)) => {
                op["security"] = json!([{ name.clone(): [] }]);
                schemes.insert(name, scheme);
            }
            // No credentials: said explicitly.
            None => op["security"] = json!([]),
        }
    }
    let api = config.api.as_ref();
    let server = api
        .and_then(|a| a.base(base))
        .unwrap_or("")
        .trim_end_matches('/');
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": config.title,
            "version": "1.0.0",
            "description": "The operations the walkthrough calls, as stepdoc wrote them from its request definitions: parameters and bodies as sent, statuses and response shapes as shown.",
        },
        "servers": [{ "url": server, "description": format!("the `{base}` base") }],
        "paths": paths,
    });
    let mut tags: Vec<Value> = Vec::new();
    for item in &plan.items {
        if !tags.iter().any(|t| t["name"] == item.step.nav.as_str()) {
            tags.push(json!({ "name": item.step.nav, "description": item.step.summary }));
        }
    }
    doc["tags"] = Value::Array(tags);
    if !schemes.is_empty() {
        doc["components"] = json!({ "securitySchemes": schemes });
    }
    (doc, ids)
}

/// `/users/{{ id }}/x` as `/users/{id}/x`.
fn path_template(path: &str) -> String {
    segments(path)
        .into_iter()
        .map(|s| match s {
            Segment::Literal(l) => l.to_owned(),
            Segment::Var(v) => format!("{{{v}}}"),
        })
        .collect()
}

/// A new operation for `item`'s request.
fn operation(item: &Item) -> Value {
    let req = item.req;
    let mut params = Vec::new();
    for seg in segments(req.path.as_deref().unwrap_or_default()) {
        if let Segment::Var(v) = seg {
            params.push(json!({ "name": v, "in": "path", "required": true, "schema": { "type": "string" } }));
        }
    }
    for (key, value) in &req.query {
        let schema = match value.values().len() {
            1 => json!({ "type": "string" }),
            _ => json!({ "type": "array", "items": { "type": "string" } }),
        };
        let mut param = json!({ "name": key, "in": "query", "required": true, "schema": schema });
        if value.values().len() > 1 {
            // `statusIn=BOOKED&statusIn=PENDING`, said outright.
            param["style"] = json!("form");
            param["explode"] = json!(true);
        }
        params.push(param);
    }
    for key in req.headers.keys().filter(|k| !is_reserved_header(k)) {
        params.push(json!({ "name": key, "in": "header", "required": true, "schema": { "type": "string" } }));
    }
    let mut op = json!({
        "operationId": operation_id(&req.id),
        "summary": req.title,
        "responses": {
            "4XX": { "description": "The API refuses the request (the walkthrough does not show these answers)." },
        },
    });
    op["tags"] = json!([item.step.nav]);
    let about = req
        .description
        .as_ref()
        .map_or(&item.step.summary, |d| &d.text);
    if !about.is_empty() {
        op["description"] = Value::from(about.clone());
    }
    if !params.is_empty() {
        op["parameters"] = Value::Array(params);
    }
    let body = match &item.call.body {
        Body::None => None,
        Body::Form(fields) => {
            let names: Vec<&String> = fields.iter().map(|(k, _)| k).collect();
            let props: Map<String, Value> = names
                .iter()
                .map(|k| (k.to_string(), json!({ "type": "string" })))
                .collect();
            Some((
                "application/x-www-form-urlencoded",
                json!({ "type": "object", "properties": props, "required": names }),
            ))
        }
        Body::Json(j) => Some(("application/json", template_schema(j))),
    };
    if let Some((content_type, schema)) = body {
        op["requestBody"] =
            json!({ "required": true, "content": { content_type: { "schema": schema } } });
    }
    op
}

/// `other` (the operation as another request calls it) folded into `op`:
/// parameters and body fields that only some requests send become
/// optional, so the description fits every request.
fn merge(op: &mut Value, other: Value) {
    let key = |p: &Value| (p["name"].clone(), p["in"].clone());
    let theirs: Vec<Value> = other["parameters"].as_array().cloned().unwrap_or_default();
    let mut ours: Vec<Value> = op["parameters"].as_array().cloned().unwrap_or_default();
    for p in &mut ours {
        if !theirs.iter().any(|t| key(t) == key(p)) && p["in"] != "path" {
            p["required"] = json!(false);
        }
    }
    for t in theirs {
        if !ours.iter().any(|p| key(p) == key(&t)) {
            let mut t = t;
            if t["in"] != "path" {
                t["required"] = json!(false);
            }
            ours.push(t);
        }
    }
    if !ours.is_empty() {
        op["parameters"] = Value::Array(ours);
    }
    let (Some(mine), Some(their)) = (
        op.pointer_mut("/requestBody/content")
            .and_then(Value::as_object_mut),
        other
            .pointer("/requestBody/content")
            .and_then(Value::as_object),
    ) else {
        return;
    };
    for (media, content) in their {
        match mine.get_mut(media) {
            Some(existing) => {
                let schema = &mut existing["schema"];
                let theirs = &content["schema"];
                if let (Some(props), Some(more)) = (
                    schema["properties"].as_object().cloned(),
                    theirs["properties"].as_object(),
                ) {
                    let mut all = props;
                    for (k, v) in more {
                        all.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                    schema["properties"] = Value::Object(all);
                    let both: Vec<Value> = schema["required"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|r| theirs["required"].as_array().is_some_and(|t| t.contains(r)))
                        .cloned()
                        .collect();
                    schema["required"] = Value::Array(both);
                }
            }
            None => {
                mine.insert(media.clone(), content.clone());
            }
        }
    }
}

/// `Accept`, `Content-Type` and `Authorization` are not parameters in OpenAPI.
pub(super) fn is_reserved_header(name: &str) -> bool {
    ["accept", "content-type", "authorization"].contains(&name.to_ascii_lowercase().as_str())
}

/// A request id as an `operationId` (`[A-Za-z0-9_.-]`).
pub(super) fn operation_id(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_.-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The response `item` expects, with the shape of the shown response and
/// the author's sample as its example (never a recorded response).
fn add_response(op: &mut Value, item: &Item, root: &std::path::Path) {
    let shown = item.step.responses[item.pos.1].as_ref();
    let status = shown.map_or(item.req.status, |r| r.status).to_string();
    let mut response = json!({ "description": item.req.title });
    let sample = match shown {
        Some(r) if r.origin == Origin::Sample => Some(r.body.clone()),
        _ => resolve::sample(root, item.step, item.req, &mut Default::default()),
    };
    let (media, schema) = match shown.map(|r| &r.body) {
        None | Some(Value::Null) => return add(op, status, response),
        Some(Value::String(s)) if s.is_empty() => return add(op, status, response),
        Some(Value::String(_)) => ("text/plain", json!({ "type": "string" })),
        Some(body) => ("application/json", value_schema(body)),
    };
    let mut content = json!({ "schema": schema });
    let fits = |s: &Value| match s {
        Value::String(t) => !t.is_empty(),
        _ => media == "application/json",
    };
    if let Some(example) = sample.filter(fits) {
        content["example"] = example;
    }
    response["content"] = json!({ media: content });
    add(op, status, response);
}

/// `response` as the answer `status` of `op`, unless it has one.
fn add(op: &mut Value, status: String, response: Value) {
    if op["responses"].get(&status).is_none() {
        op["responses"][status] = response;
    }
}

/// The security scheme of `item`'s auth kind, by the kind's name.
fn security(item: &Item, config: &crate::content::SiteConfig) -> Option<(String, Value)> {
    let name = item.req.auth_kind()?;
    let scheme = match config.auth.get(name)?.scheme()? {
        AuthScheme::Bearer(_) => json!({ "type": "http", "scheme": "bearer" }),
        AuthScheme::Basic(..) => json!({ "type": "http", "scheme": "basic" }),
        AuthScheme::Header(header, _) => {
            json!({ "type": "apiKey", "in": "header", "name": header })
        }
    };
    Some((name.to_owned(), scheme))
}

/// The schema of a JSON body as defined: literals by their type, each
/// placeholder a string (or its value's type).
fn template_schema(j: &Json) -> Value {
    match j {
        Json::Null => json!({ "type": "null" }),
        Json::Bool(_) => json!({ "type": "boolean" }),
        Json::Number(n) if n.parse::<i64>().is_ok() => json!({ "type": "integer" }),
        Json::Number(_) => json!({ "type": "number" }),
        Json::Str(_) => json!({ "type": "string" }),
        Json::Var(_, ty) => json!({ "type": ty.name() }),
        Json::Array(items) => {
            let first = items
                .first()
                .map(template_schema)
                .unwrap_or_else(|| json!({}));
            json!({ "type": "array", "items": first })
        }
        Json::Object(fields) => {
            let props: Map<String, Value> = fields
                .iter()
                .map(|(k, v)| (k.clone(), template_schema(v)))
                .collect();
            let required: Vec<&String> = fields.iter().map(|(k, _)| k).collect();
            json!({ "type": "object", "properties": props, "required": required })
        }
    }
}

/// The schema of a shown response: its types, every field optional and
/// others allowed, so a real answer with more or fewer fields still fits.
fn value_schema(v: &Value) -> Value {
    match v {
        Value::Null => json!({}),
        Value::Bool(_) => json!({ "type": "boolean" }),
        Value::Number(n) if n.is_i64() || n.is_u64() => json!({ "type": "integer" }),
        Value::Number(_) => json!({ "type": "number" }),
        Value::String(_) => json!({ "type": "string" }),
        Value::Array(items) => {
            json!({ "type": "array", "items": items.first().map(value_schema).unwrap_or_else(|| json!({})) })
        }
        Value::Object(fields) => {
            let props: Map<String, Value> = fields
                .iter()
                .map(|(k, v)| (k.clone(), value_schema(v)))
                .collect();
            json!({ "type": "object", "properties": props, "additionalProperties": true })
        }
    }
}
