//! `record --check`: the structural difference between a fresh response and
//! a stored snapshot: keys added or removed, JSON types changed, status
//! changed. Values are ignored: ids, amounts and dates change every run.

use std::collections::BTreeMap;

use serde_json::Value;

/// The JSON type of a value, as shown in a diff.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every path in `v` with its type. Array elements share the path `[]`,
/// so a list's shape is the union of its elements' shapes.
fn shape(v: &Value, path: &str, out: &mut BTreeMap<String, &'static str>) {
    out.insert(
        if path.is_empty() {
            "$".into()
        } else {
            path.to_owned()
        },
        kind(v),
    );
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                shape(
                    v,
                    &format!("{}.{k}", if path.is_empty() { "$" } else { path }),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for item in items {
                shape(
                    item,
                    &format!("{}[]", if path.is_empty() { "$" } else { path }),
                    out,
                );
            }
        }
        _ => {}
    }
}

/// Readable lines describing how `new` differs in structure from `old`.
pub fn diff(old_status: u16, old: &Value, new_status: u16, new: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    if old_status != new_status {
        lines.push(format!("status changed: {old_status} -> {new_status}"));
    }
    let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
    shape(old, "", &mut a);
    shape(new, "", &mut b);
    for (path, t) in &a {
        match b.get(path) {
            None => lines.push(format!("- {path} ({t}) removed")),
            Some(u) if u != t => lines.push(format!("~ {path} changed type: {t} -> {u}")),
            _ => {}
        }
    }
    for (path, t) in &b {
        if !a.contains_key(path) {
            lines.push(format!("+ {path} ({t}) added"));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_do_not_count_shapes_do() {
        let old =
            json!({"accounts": [{"id": "a", "balance": {"scale": "2"}}], "nextPageToken": ""});
        let same = json!({"accounts": [{"id": "b", "balance": {"scale": "3"}}, {"id": "c", "balance": {"scale": "1"}}], "nextPageToken": "x"});
        assert!(diff(200, &old, 200, &same).is_empty());
        let changed = json!({"accounts": [{"id": 1, "extra": true}], "nextPageToken": ""});
        let d = diff(200, &old, 201, &changed);
        assert!(
            d.contains(&"status changed: 200 -> 201".to_string()),
            "{d:?}"
        );
        assert!(
            d.contains(&"~ $.accounts[].id changed type: string -> number".to_string()),
            "{d:?}"
        );
        assert!(
            d.contains(&"- $.accounts[].balance (object) removed".to_string()),
            "{d:?}"
        );
        assert!(
            d.contains(&"+ $.accounts[].extra (boolean) added".to_string()),
            "{d:?}"
        );
    }
}
