//! Snapshot files (`content/snapshots/<step>/<request>.json`) and the
//! response a page shows for a request: a recorded snapshot or a sample.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A recorded exchange, as stored on disk (contract: see DESIGN.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// What was sent, with secrets replaced by placeholders.
    pub request: SnapshotRequest,
    /// What came back, redacted.
    pub response: SnapshotResponse,
    /// When it was recorded (RFC 3339).
    pub recorded_at: String,
}

/// The request half of a snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotRequest {
    /// HTTP method.
    pub method: String,
    /// Full URL.
    pub url: String,
    /// Headers sent.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Body sent (`null` when none; a form body as an object).
    #[serde(default)]
    pub body: serde_json::Value,
}

/// The response half of a snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotResponse {
    /// HTTP status.
    pub status: u16,
    /// Response headers kept.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Body: JSON, or a string when it was not JSON.
    #[serde(default)]
    pub body: serde_json::Value,
}

impl Snapshot {
    /// The file text: pretty JSON, keys in stable order, final newline.
    pub fn to_file_text(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// Where a shown response comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Recorded from the real API at this time.
    Snapshot {
        /// RFC 3339 time of the recording.
        recorded_at: String,
    },
    /// A hand-written sample from `content/samples/` or the front matter.
    Sample,
}

/// The response a page shows for a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// The body.
    pub body: serde_json::Value,
    /// Snapshot or sample.
    pub origin: Origin,
}

impl Response {
    /// The body as pretty-printed text.
    pub fn body_text(&self) -> String {
        match &self.body {
            serde_json::Value::String(s) => s.clone(),
            other => serde_json::to_string_pretty(other).unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_text_is_stable_and_ends_in_newline() {
        let snap = Snapshot {
            request: SnapshotRequest {
                method: "GET".into(),
                url: "https://api.example/x".into(),
                headers: BTreeMap::from([("b".into(), "2".into()), ("a".into(), "1".into())]),
                body: serde_json::Value::Null,
            },
            response: SnapshotResponse {
                status: 200,
                headers: BTreeMap::new(),
                body: serde_json::json!({"z": 1, "a": 2}),
            },
            recorded_at: "2026-11-28T10:00:00Z".into(),
        };
        let text = snap.to_file_text();
        assert!(text.ends_with("}\n"));
        assert!(text.find("\"a\": \"1\"").unwrap() < text.find("\"b\": \"2\"").unwrap());
        assert!(text.find("\"request\"").unwrap() < text.find("\"response\"").unwrap());
        let back: Snapshot = serde_json::from_str(&text).unwrap();
        assert_eq!(back, snap);
    }
}
