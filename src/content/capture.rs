//! Captures: JSONPath expressions evaluated on a response body, giving the
//! values that later requests use as `{{ name }}`.

use serde_json::Value;
use serde_json_path::JsonPath;

/// The first value `path` selects in `body`, as text.
pub fn capture(body: &Value, path: &str) -> Result<String, String> {
    let parsed =
        JsonPath::parse(path).map_err(|e| format!("`{path}` is not a valid JSONPath: {e}"))?;
    let node = parsed
        .query(body)
        .first()
        .ok_or_else(|| format!("`{path}` matched nothing in the response"))?;
    Ok(match node {
        Value::String(s) => s.clone(),
        Value::Null => return Err(format!("`{path}` is null in the response")),
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
        assert!(capture(&body, "$.missing")
            .unwrap_err()
            .contains("matched nothing"));
        assert!(capture(&body, "accounts").is_err());
    }
}
