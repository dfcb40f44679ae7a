//! The chain as an Arazzo 1.0.1 workflow (`downloads/walkthrough.arazzo.yaml`)
//! over OpenAPI descriptions: the provider's own where the base has one
//! (`api.openapi`, copied into the downloads with its sibling files; a
//! step calls its `operationId`, or its `operationPath` when it has none),
//! else the generated one. One step per HTTP request in
//! chain order, its parameters and body as runtime expressions
//! (`$inputs.market`, `$steps.app-token.outputs.app_token`), each capture a
//! step output (`$response.body#/access_token`), the expected status as
//! the success criterion. Secrets are inputs with `format: password`, site
//! variables inputs with their defaults, and what a person brings from an
//! interactive step an input that says where to get it. A capture whose
//! JSONPath has no JSON Pointer form (a filter, a wildcard) is not an
//! output: later steps take it as an input.

use std::cell::RefCell;
use std::collections::HashMap;

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::openapi::{self, is_reserved_header};
use super::{jsonpath, Item, Plan, Source};
use crate::call::{Body, Json, Part, Text};
use crate::content::chain::{Capturers, Pos};
use crate::content::openapi::Description;
use crate::content::request::{segments, Segment};

/// The operation a step calls.
enum Target {
    /// `$sourceDescriptions.api.listAccounts`
    Id(String),
    /// `{$sourceDescriptions.api.url}#/paths/~1user/get`
    Path(String),
}

/// Where each base's description is, from the downloads folder, and the
/// operation each request calls.
struct Sources {
    urls: Vec<(String, String)>,
    targets: HashMap<Pos, Target>,
    /// The provider's (request position → its path parameters by name).
    path_parameters: HashMap<Pos, Vec<(String, String)>>,
}

/// The Arazzo file and the OpenAPI descriptions it points at, one per
/// base, each made once: (file name under `downloads/`, text), the Arazzo
/// file first.
pub(super) fn files(plan: &Plan) -> Vec<(String, String)> {
    let described = &plan.site.described;
    let mut sources = Sources {
        urls: Vec::new(),
        targets: HashMap::new(),
        path_parameters: HashMap::new(),
    };
    let mut descriptions = Vec::new();
    for base in openapi::bases(plan) {
        if let Some(desc) = described.of(&base) {
            for file in provider(plan, &base, desc, &mut sources) {
                if !descriptions.iter().any(|(n, _)| *n == file.0) {
                    descriptions.push(file);
                }
            }
            continue;
        }
        let (doc, operations) = openapi::document(plan, &base);
        for (pos, id) in operations {
            sources
                .targets
                .insert(pos, Target::Id(format!("$sourceDescriptions.{base}.{id}")));
        }
        sources.urls.push((base.clone(), openapi::file_name(&base)));
        descriptions.push((openapi::file_name(&base), yaml(&doc)));
    }
    let arazzo = (
        super::Format::Arazzo.file_name().to_owned(),
        yaml(&document(plan, &sources)),
    );
    std::iter::once(arazzo).chain(descriptions).collect()
}

/// The steps on `base` call the provider's own description `desc`: its
/// files as written, where they sit under `content/` (name, text).
fn provider(
    plan: &Plan,
    base: &str,
    desc: &Description,
    sources: &mut Sources,
) -> Vec<(String, String)> {
    let described = &plan.site.described;
    for item in &plan.items {
        let Some(op) = described
            .operations
            .get(&item.req.id)
            .filter(|o| o.base == base)
        else {
            continue;
        };
        let target = match &op.id {
            Some(id) => Target::Id(format!("$sourceDescriptions.{base}.{id}")),
            // The pointer as it is: Respect does not percent-decode it.
            None => Target::Path(format!("{{$sourceDescriptions.{base}.url}}#{}", op.pointer)),
        };
        sources.targets.insert(item.pos, target);
        sources
            .path_parameters
            .insert(item.pos, op.path_parameters.clone());
    }
    let files: Vec<(String, String)> = desc
        .files
        .iter()
        .map(|f| {
            let rel = f
                .rel
                .strip_prefix(crate::content::CONTENT_DIR)
                .unwrap_or(&f.rel);
            let name: Vec<_> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            (name.join("/"), f.text.clone())
        })
        .collect();
    sources.urls.push((base.to_owned(), files[0].0.clone()));
    files
}

fn yaml(v: &impl Serialize) -> String {
    serde_saphyr::to_string(v).unwrap_or_default()
}

/// Who supplies each name: the step output of the request that captures it
/// (when that is an HTTP request whose capture has a pointer form), or
/// else a workflow input.
struct Expressions<'a> {
    plan: &'a Plan<'a>,
    capturers: Capturers,
    /// Literal text a runner could read as an expression (`$inputs.x`,
    /// `{$…}`): sent through an input whose default is the text, the one
    /// way Arazzo has to say "this is a value". (name, text)
    literals: RefCell<Vec<(String, String)>>,
    names: RefCell<super::Namespace>,
}

impl Expressions<'_> {
    /// The runtime expression of `name` at the request at `at`.
    fn of(&self, name: &str, at: Pos) -> String {
        match self.output(name, at) {
            Some(step) => format!("$steps.{step}.outputs.{name}"),
            None => format!("$inputs.{name}"),
        }
    }

    /// The step whose output `name` is at `at`, if any.
    fn output(&self, name: &str, at: Pos) -> Option<String> {
        let from = self.capturers.of(name, at)?;
        let req = &self.plan.site.steps[from.0].requests[from.1];
        let plain = req
            .capture
            .get(name)
            .and_then(|c| jsonpath::json_pointer(c.path()));
        (req.interactive.is_none() && plain.is_some()).then(|| openapi::operation_id(&req.id))
    }

    /// A value as Arazzo writes it: a runtime expression, a literal, or a
    /// string with `{$…}` expressions embedded.
    fn text(&self, t: &Text, at: Pos) -> Value {
        match &t[..] {
            [Part::Lit(l)] => return Value::from(self.literal(l, false)),
            [p] if p.var().is_some() => {
                return Value::from(self.of(p.var().unwrap_or_default(), at))
            }
            _ => {}
        }
        let s: String = t
            .iter()
            .map(|p| match p {
                Part::Lit(l) => self.literal(l, true),
                var => format!("{{{}}}", self.of(var.var().unwrap_or_default(), at)),
            })
            .collect();
        Value::from(s)
    }

    /// Literal text as it can stand in the file: as it is when it has no
    /// `$`, else through an input (`$inputs.literal`, or `{$inputs.literal}`
    /// inside a longer string).
    fn literal(&self, text: &str, embedded: bool) -> String {
        if !text.contains('$') {
            return text.to_owned();
        }
        let mut literals = self.literals.borrow_mut();
        let name = match literals.iter().find(|(_, t)| t == text) {
            Some((name, _)) => name.clone(),
            None => {
                let name = self.names.borrow_mut().fresh("literal");
                literals.push((name.clone(), text.to_owned()));
                name
            }
        };
        if embedded {
            format!("{{$inputs.{name}}}")
        } else {
            format!("$inputs.{name}")
        }
    }

    /// A path segment as written (`{{ id }}`, `v2`, `{{ a }}-{{ b }}`).
    fn segment(&self, written: &str, at: Pos) -> Value {
        let parts: Vec<Part> = segments(written)
            .into_iter()
            .map(|s| match s {
                Segment::Literal(l) => Part::Lit(l.to_owned()),
                Segment::Var(v) => Part::Url(v.to_owned()),
            })
            .collect();
        self.text(&parts, at)
    }

    fn json(&self, j: &Json, at: Pos) -> Value {
        match j {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => serde_json::from_str(n).unwrap_or(Value::Null),
            Json::Str(t) => self.text(t, at),
            Json::Var(name, _) => Value::from(self.of(name, at)),
            Json::Array(items) => items.iter().map(|i| self.json(i, at)).collect(),
            Json::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), self.json(v, at)))
                    .collect(),
            ),
        }
    }
}

/// The Arazzo document, its fields in the specification's order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    arazzo: &'static str,
    info: Value,
    source_descriptions: Vec<Value>,
    workflows: Vec<Workflow>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Workflow {
    workflow_id: &'static str,
    summary: String,
    description: &'static str,
    inputs: Value,
    steps: Vec<Step>,
}

/// One request as a step; a form's fields stay in the order they are sent.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Step {
    step_id: String,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    operation_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    operation_path: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parameters: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_body: Option<RequestBody>,
    success_criteria: Vec<Value>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    outputs: IndexMap<String, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RequestBody {
    content_type: &'static str,
    payload: Payload,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Payload {
    Form(IndexMap<String, Value>),
    Json(Value),
}

fn document(plan: &Plan, sources: &Sources) -> Document {
    let ex = Expressions {
        plan,
        capturers: Capturers::new(&plan.site.steps),
        literals: RefCell::default(),
        names: RefCell::new(plan.names.clone()),
    };
    let steps: Vec<Step> = plan
        .items
        .iter()
        .filter_map(|item| {
            Some(step(
                &ex,
                item,
                sources.targets.get(&item.pos)?,
                sources.path_parameters.get(&item.pos),
            ))
        })
        .collect();
    Document {
        arazzo: "1.0.1",
        info: json!({
            "title": plan.title,
            "summary": "The walkthrough's request chain, as stepdoc wrote it.",
            "version": "1.0.0",
            "description": plan.site.config.description,
        }),
        source_descriptions: sources
            .urls
            .iter()
            .map(|(base, url)| json!({ "name": base, "url": url, "type": "openapi" }))
            .collect(),
        workflows: vec![Workflow {
            workflow_id: "walkthrough",
            summary: plan.title.clone(),
            description: "Every request of the walkthrough in order, each captured value passed to the requests that use it.",
            inputs: inputs(&ex),
            steps,
        }],
    }
}

/// One request as a step; `provided`: the path parameters of the
/// provider's operation it calls, by name.
fn step(
    ex: &Expressions,
    item: &Item,
    target: &Target,
    provided: Option<&Vec<(String, String)>>,
) -> Step {
    let at = item.pos;
    let request_body = match &item.call.body {
        Body::None => None,
        Body::Form(fields) => Some(RequestBody {
            content_type: "application/x-www-form-urlencoded",
            payload: Payload::Form(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), ex.text(v, at)))
                    .collect(),
            ),
        }),
        Body::Json(j) => Some(RequestBody {
            content_type: "application/json",
            payload: Payload::Json(ex.json(j, at)),
        }),
    };
    let (operation_id, operation_path) = match target {
        Target::Id(id) => (Some(id.clone()), None),
        Target::Path(p) => (None, Some(p.clone())),
    };
    Step {
        step_id: openapi::operation_id(&item.req.id),
        description: item.req.title.clone(),
        operation_id,
        operation_path,
        parameters: parameters(ex, item, provided),
        request_body,
        success_criteria: vec![
            json!({ "condition": format!("$statusCode == {}", expected_status(item)) }),
        ],
        outputs: item
            .captures
            .iter()
            .filter_map(|c| {
                let pointer = jsonpath::json_pointer(&c.path)?;
                Some((c.name.clone(), format!("$response.body#{pointer}")))
            })
            .collect(),
    }
}

/// A step's path, query and header parameters, in that order.
fn parameters(
    ex: &Expressions,
    item: &Item,
    provided: Option<&Vec<(String, String)>>,
) -> Vec<Value> {
    let at = item.pos;
    let mut parameters = Vec::new();
    match provided {
        Some(named) => {
            for (name, segment) in named {
                parameters
                    .push(json!({ "name": name, "in": "path", "value": ex.segment(segment, at) }));
            }
        }
        None => {
            for seg in segments(item.req.path.as_deref().unwrap_or_default()) {
                if let Segment::Var(v) = seg {
                    parameters.push(json!({ "name": v, "in": "path", "value": ex.of(v, at) }));
                }
            }
        }
    }
    let mut query: Vec<(String, Vec<Value>)> = Vec::new();
    for (k, v) in &item.call.query {
        let value = ex.text(v, at);
        match query.iter_mut().find(|(q, _)| q == k) {
            Some((_, values)) => values.push(value),
            None => query.push((k.clone(), vec![value])),
        }
    }
    for (k, mut values) in query {
        let value = if values.len() == 1 {
            values.remove(0)
        } else {
            Value::Array(values)
        };
        parameters.push(json!({ "name": k, "in": "query", "value": value }));
    }
    for (k, v) in &item.call.headers {
        if !is_reserved_header(k) || k.eq_ignore_ascii_case("authorization") {
            parameters.push(json!({ "name": k, "in": "header", "value": ex.text(v, at) }));
        }
    }
    parameters
}

fn expected_status(item: &Item) -> u16 {
    item.step.responses[item.pos.1]
        .as_ref()
        .map_or(item.req.status, |r| r.status)
}

/// The workflow's inputs: what the chain reads and does not capture itself.
fn inputs(ex: &Expressions) -> Value {
    let plan = ex.plan;
    let mut props = Map::new();
    let mut required = Vec::new();
    let manual: HashMap<&str, String> = plan
        .items
        .iter()
        .filter(|i| i.is_manual())
        .map(|i| (i.req.id.as_str(), i.manual_note()))
        .collect();
    for var in &plan.vars {
        let schema = match &var.source {
            Source::Base(_) => continue,
            Source::Secret(env) => json!({
                "type": "string",
                "format": "password",
                "description": format!("a secret (the pages read it from ${env})"),
            }),
            Source::Site(value) => {
                let ty = plan.site.config.variables.get(&var.name).and_then(|v| v.ty);
                let default = ty
                    .and_then(|t| t.parse(value))
                    .unwrap_or_else(|| Value::from(value.clone()));
                json!({ "type": ty.map_or("string", |t| t.name()), "default": default })
            }
            Source::Manual { request, path } => json!({
                "type": "string",
                "description": format!("{path} of `{request}`. {}", manual.get(request.as_str()).map(String::as_str).unwrap_or_default()),
            }),
        };
        if var.default().is_none() {
            required.push(var.name.clone());
        }
        props.insert(var.name.clone(), schema);
    }
    for (name, text) in ex.literals.borrow().iter() {
        let note = "text the walkthrough sends as it is (an input, so that no runner reads its `$` as an expression)";
        props.insert(
            name.clone(),
            json!({ "type": "string", "default": text, "description": note }),
        );
    }
    // Captures without a pointer form come in as inputs too.
    for item in plan.items.iter().filter(|i| !i.is_manual()) {
        for c in &item.captures {
            if jsonpath::json_pointer(&c.path).is_none() && !props.contains_key(&c.name) {
                let note = format!(
                    "`{}` captures it with {}, which has no JSON Pointer form: pass it yourself",
                    item.req.id, c.path
                );
                props.insert(
                    c.name.clone(),
                    json!({ "type": "string", "description": note }),
                );
            }
        }
    }
    json!({ "type": "object", "properties": props, "required": required })
}
