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

/// The first value `path` selects in `body`, as text.
pub fn capture(body: &Value, path: &str) -> Result<String, CaptureError> {
    let parsed = JsonPath::parse(path).map_err(|e| CaptureError::Invalid {
        path: path.to_owned(),
        why: e.to_string(),
    })?;
    let node = parsed
        .query(body)
        .first()
        .ok_or_else(|| CaptureError::NoMatch(path.to_owned()))?;
    Ok(match node {
        Value::String(s) => s.clone(),
        Value::Null => return Err(CaptureError::Null(path.to_owned())),
        other => other.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn first_match_as_text() {
        let body = json!({"accounts": [{"id": "a1"}, {"id": "a2"}], "expires_in": 1800});
        assert_eq!(capture(&body, "$.accounts[0].id").unwrap(), "a1");
        assert_eq!(capture(&body, "$.expires_in").unwrap(), "1800");
        assert_eq!(
            capture(&body, "$.missing"),
            Err(CaptureError::NoMatch("$.missing".into()))
        );
        assert!(matches!(
            capture(&body, "accounts"),
            Err(CaptureError::Invalid { .. })
        ));
    }
}
