//! Captures: JSONPath expressions evaluated on a response body, giving the
//! values that later requests use as `{{ name }}`.

use serde_json::Value;
use serde_json_path::JsonPath;

/// Why a capture gave no value.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CaptureError {
    /// The path is not JSONPath.
    #[error("`{path}` is not a valid JSONPath: {why}")]
    Invalid {
        /// The capture's path.
        path: String,
        /// The parser's reason.
        why: String,
    },
    /// The path selects nothing in the body.
    #[error("`{0}` matched nothing in the response")]
    NoMatch(String),
    /// The path selects `null`.
    #[error("`{0}` is null in the response")]
    Null(String),
}

/// The JSON type of a value that a request may send as a whole JSON value
/// (`"amount": "{{ amount }}"` sends `2500`, not `"2500"`): a site
/// variable written as a number or boolean in `site.yaml`, or a capture
/// whose value in the response was one. Strings need no type: a value
/// without one is sent as a JSON string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueType {
    /// A whole number (`2500`).
    Integer,
    /// Any JSON number (`12.5`).
    Number,
    /// `true` or `false`.
    Boolean,
}

impl ValueType {
    /// The type of a JSON value; `None` for strings, null and structures.
    pub fn of(v: &Value) -> Option<ValueType> {
        match v {
            Value::Bool(_) => Some(ValueType::Boolean),
            Value::Number(n) if n.is_f64() => Some(ValueType::Number),
            Value::Number(_) => Some(ValueType::Integer),
            _ => None,
        }
    }

    /// `text` as a JSON value of this type, if it is one written as
    /// `serde_json` writes it (`2500` for [`ValueType::Integer`], `12.5` for
    /// [`ValueType::Number`], `true`): the one check of a typed value's text.
    pub fn parse(self, text: &str) -> Option<Value> {
        let v: Value = serde_json::from_str(text).ok()?;
        let fits = match (self, &v) {
            (ValueType::Boolean, Value::Bool(_)) => true,
            (ValueType::Number, Value::Number(_)) => true,
            (ValueType::Integer, Value::Number(n)) => !n.is_f64(),
            _ => false,
        };
        // Only the value's own text: no spaces or other JSON around it.
        let canonical = serde_json::to_string(&v).ok();
        (fits && canonical.as_deref() == Some(text)).then_some(v)
    }

    /// The type's name in JSON Schema's words: `integer`, `number`, `boolean`.
    pub fn name(self) -> &'static str {
        match self {
            ValueType::Integer => "integer",
            ValueType::Number => "number",
            ValueType::Boolean => "boolean",
        }
    }
}

/// A captured value: its text, and its type when it is a number or a boolean.
#[derive(Debug, Clone, PartialEq)]
pub struct Captured {
    /// The value as text (a string without its quotes).
    pub text: String,
    /// `Some` for a number or a boolean.
    pub ty: Option<ValueType>,
}

/// The first value `path` selects in `body`.
pub fn capture(body: &Value, path: &str) -> Result<Captured, CaptureError> {
    let parsed = JsonPath::parse(path).map_err(|e| CaptureError::Invalid {
        path: path.to_owned(),
        why: e.to_string(),
    })?;
    let node = parsed
        .query(body)
        .first()
        .ok_or_else(|| CaptureError::NoMatch(path.to_owned()))?;
    let text = match node {
        Value::String(s) => s.clone(),
        Value::Null => return Err(CaptureError::Null(path.to_owned())),
        other => other.to_string(),
    };
    Ok(Captured {
        text,
        ty: ValueType::of(node),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn first_match_as_text() {
        let body = json!({"accounts": [{"id": "a1"}, {"id": "a2"}], "expires_in": 1800});
        assert_eq!(capture(&body, "$.accounts[0].id").unwrap().text, "a1");
        let n = capture(&body, "$.expires_in").unwrap();
        assert_eq!((n.text.as_str(), n.ty), ("1800", Some(ValueType::Integer)));
        assert_eq!(
            capture(&body, "$.missing"),
            Err(CaptureError::NoMatch("$.missing".into()))
        );
        assert!(matches!(
            capture(&body, "accounts"),
            Err(CaptureError::Invalid { .. })
        ));
    }

    #[test]
    fn a_typed_value_is_only_its_own_text() {
        assert!(ValueType::Integer.parse("2500").is_some());
        assert!(ValueType::Integer.parse("2.5").is_none());
        assert!(ValueType::Number.parse("2.5").is_some());
        assert!(ValueType::Boolean.parse("true").is_some());
        for bad in [
            "",
            " 1",
            "1 ",
            "1, \"admin\": true",
            "\"1\"",
            "True",
            "NaN",
            "[1]",
        ] {
            for ty in [ValueType::Integer, ValueType::Number, ValueType::Boolean] {
                assert!(ty.parse(bad).is_none(), "{bad:?} as {ty:?}");
            }
        }
    }
}
