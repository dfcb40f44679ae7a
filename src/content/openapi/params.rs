//! What a request sends, against its operation: required path, query and
//! header parameters present, no undeclared query parameter, each literal
//! value valid against its parameter's schema (text read as the schema's
//! type: `per_page: 30` is an integer), and the JSON or form body against
//! the request schema, a `{{ placeholder }}` standing for any value.

use serde_json::Value;

use super::description::Place;
use super::{Checks, Description, Step};
use crate::content::locate::at_request;
use crate::error::{did_you_mean, Diagnostics};

/// The request being checked.
pub(super) struct Ask<'a> {
    pub(super) step: &'a Step,
    pub(super) r: usize,
    /// The operation's path template.
    pub(super) template: &'a str,
    /// (parameter name, the request's path segment).
    pub(super) path_parameters: &'a [(String, String)],
}

/// One schema violation.
pub(super) struct SchemaError {
    /// JSON Pointer into the instance.
    pub(super) instance_path: String,
    pub(super) message: String,
    /// The rule's absolute location (`file:///content/a.yaml#/…`).
    pub(super) rule: String,
}

/// Headers OpenAPI says a description does not declare as parameters.
const IGNORED_HEADERS: [&str; 3] = ["accept", "content-type", "authorization"];

/// The violations of `instance`; a failed `oneOf`/`anyOf` as the errors of
/// its closest choice (the one with the fewest), which say what to fix.
pub(super) fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<SchemaError> {
    let mut out = Vec::new();
    for e in validator.iter_errors(instance) {
        flatten(&e, &mut out, 0);
    }
    out
}

fn flatten(e: &jsonschema::ValidationError, out: &mut Vec<SchemaError>, depth: usize) {
    use jsonschema::error::ValidationErrorKind as Kind;
    let context = match e.kind() {
        Kind::OneOfNotValid { context } | Kind::AnyOf { context } => Some(context),
        _ => None,
    };
    if let Some(best) = context
        .filter(|_| depth < 4)
        .and_then(|c| c.iter().filter(|b| !b.is_empty()).min_by_key(|b| b.len()))
    {
        for inner in best {
            flatten(inner, out, depth + 1);
        }
        return;
    }
    let rule = e
        .absolute_keyword_location()
        .map_or_else(|| format!("#{}", e.schema_path()), |u| u.to_string());
    out.push(SchemaError {
        instance_path: e.instance_path().to_string(),
        message: e.to_string(),
        rule,
    });
}

/// `text` as a value of the type `schema` gives (`"30"` as `30` for an
/// integer), else as a string.
fn typed(desc: &Description, schema: &Place, text: &str) -> Value {
    let s = desc.follow(schema.clone());
    let types: Vec<&str> = match &s.value["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let number = serde_json::from_str::<Value>(text)
        .ok()
        .filter(Value::is_number);
    if types.contains(&"integer") || types.contains(&"number") {
        if let Some(n) = number {
            return n;
        }
    }
    if types.contains(&"boolean") && (text == "true" || text == "false") {
        return Value::Bool(text == "true");
    }
    Value::from(text)
}

/// Each query parameter the request sends that `declared` lacks, with
/// the closest declared name.
fn undeclared_query(ask: &Ask, declared: &[Place], of: &str, diags: &mut Diagnostics) {
    let names: Vec<&str> = declared
        .iter()
        .filter(|p| p.value["in"] == "query")
        .filter_map(|p| p.value["name"].as_str())
        .collect();
    for key in ask.step.requests[ask.r].query.keys() {
        if names.contains(&key.as_str()) {
            continue;
        }
        let mut d = at_request(
            ask.step,
            ask.r,
            format!("query parameter `{key}` is not a parameter of {of}"),
            key,
        );
        if let Some(close) = did_you_mean(key, names.iter().copied()) {
            d = d.hint(format!("did you mean `{close}`?"));
        }
        diags.push(d);
    }
}

impl Checks<'_> {
    /// Required parameters present, literal values valid, no undeclared
    /// query parameter.
    pub(super) fn parameters(&self, ask: &Ask, op: &Place, diags: &mut Diagnostics) {
        let desc = self.desc;
        let req = &ask.step.requests[ask.r];
        // (The path item's own parameters sit where a method would.)
        let path_level = desc.at(ask.template, "parameters");
        let mut declared: Vec<Place> = Vec::new();
        for list in [desc.child(op, "parameters"), path_level] {
            let n = list.value.as_array().map_or(0, Vec::len);
            declared.extend((0..n).map(|i| desc.follow(desc.child(&list, &i.to_string()))));
        }
        let of = format!("{} {}", req.method, ask.template);
        for p in &declared {
            let name = p.value["name"].as_str().unwrap_or_default();
            let required = p.value["required"] == Value::Bool(true);
            let sent: Option<Vec<&str>> = match p.value["in"].as_str().unwrap_or_default() {
                "query" => req.query.get(name).map(|q| q.values()),
                "path" => ask
                    .path_parameters
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| vec![v.as_str()]),
                "header" if !IGNORED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) => req
                    .headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| vec![v.0.as_str()]),
                _ => continue,
            };
            let place = p.value["in"].as_str().unwrap_or_default();
            match sent {
                None if required => {
                    let section = if place == "header" { "headers" } else { place };
                    let d = at_request(
                        ask.step,
                        ask.r,
                        format!("{of}: the required {place} parameter `{name}` is missing"),
                        section,
                    );
                    diags.push(d.hint(format!(
                        "add `{name}:` under `{section}:` ({})",
                        desc.rel().display()
                    )));
                }
                Some(values) if !values.iter().any(|v| v.contains("{{")) => {
                    self.parameter_value(ask, p, name, &values, &of, diags);
                }
                _ => {}
            }
        }
        undeclared_query(ask, &declared, &of, diags);
    }

    /// A literal parameter value against the parameter's schema.
    fn parameter_value(
        &self,
        ask: &Ask,
        param: &Place,
        name: &str,
        values: &[&str],
        of: &str,
        diags: &mut Diagnostics,
    ) {
        let desc = self.desc;
        let schema = desc.follow(desc.child(param, "schema"));
        if schema.value.is_null() {
            return;
        }
        let is_array = schema.value["type"] == "array";
        let value = if is_array || values.len() > 1 {
            let items = desc.child(&schema, "items");
            values.iter().map(|v| typed(desc, &items, v)).collect()
        } else {
            typed(desc, &schema, values[0])
        };
        let Some(validator) = desc.schema_validator(self.schemas, &schema, diags) else {
            return;
        };
        for e in errors(&validator, &value) {
            let d = at_request(
                ask.step,
                ask.r,
                format!("parameter `{name}`: {} ({of})", e.message),
                name,
            );
            diags.push(d.hint(format!("schema rule at {}", desc.shown(&e.rule))));
        }
    }

    /// The JSON or form body against the operation's request schema.
    pub(super) fn body(&self, ask: &Ask, op: &Place, diags: &mut Diagnostics) {
        let desc = self.desc;
        let req = &ask.step.requests[ask.r];
        let holder = desc.follow(desc.child(op, "requestBody"));
        let (body, media) = match (&req.json, &req.form) {
            (Some(json), _) => (json.clone(), "json"),
            (None, Some(form)) => {
                let schema = desc.follow(desc.child(
                    &desc.child(
                        &desc.child(&holder, "content"),
                        "application/x-www-form-urlencoded",
                    ),
                    "schema",
                ));
                let props = desc.follow(desc.child(&schema, "properties"));
                let fields = form
                    .iter()
                    .map(|(k, v)| (k.clone(), typed(desc, &desc.child(&props, k), &v.0)))
                    .collect();
                (Value::Object(fields), "x-www-form-urlencoded")
            }
            (None, None) => return,
        };
        let Some(validator) = desc.validator(self.schemas, &holder, media, diags) else {
            return;
        };
        for e in errors(&validator, &body) {
            let path = e.instance_path;
            let placeholder = body
                .pointer(&path)
                .and_then(Value::as_str)
                .is_some_and(|s| s.contains("{{"));
            if placeholder {
                continue;
            }
            let field = path.rsplit('/').next().filter(|f| !f.is_empty());
            let section = if media == "json" { "json" } else { "form" };
            let d = at_request(
                ask.step,
                ask.r,
                format!(
                    "request body {}: {} ({} {})",
                    super::json_path(&path),
                    e.message,
                    req.method,
                    req.target()
                ),
                field.unwrap_or(section),
            );
            diags.push(d.hint(format!("schema rule at {}", desc.shown(&e.rule))));
        }
    }
}
