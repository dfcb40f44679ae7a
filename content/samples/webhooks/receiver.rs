// MoneyCapps webhook-modtager i Rust. Cargo.toml: axum 0.8, hmac 0.12, sha2 0.10,
// hex 0.4, serde_json 1 og tokio 1 med features = ["macros", "rt-multi-thread", "net", "sync"].
use axum::{body::Bytes, extract::State, http::{HeaderMap, StatusCode}, routing::post, Router};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::sync::mpsc;

/// Tjekker `X-Tink-Signature: t=...,v1=...` mod HMAC-SHA256 over "t.body".
fn signatur_er_gyldig(header: &str, body: &[u8], secret: &[u8], nu: u64) -> bool {
    let (mut t, mut v1) = (None, None);
    for del in header.split(',') {
        match del.split_once('=') {
            Some(("t", v)) => t = Some(v),
            Some(("v1", v)) => v1 = Some(v),
            _ => {} // ukendte nøgler ignoreres
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else { return false };
    let Ok(tidspunkt) = t.parse::<u64>() else { return false };
    if nu.abs_diff(tidspunkt) > 300 {
        return false; // for gammel (eller fra fremtiden)
    }
    let Ok(forventet) = hex::decode(v1) else { return false };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC tager nøgler af enhver længde");
    mac.update(t.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&forventet).is_ok() // sammenligning i konstant tid
}

/// Verificerede events på vej til arbejderen.
type Koe = mpsc::UnboundedSender<serde_json::Value>;

async fn tink_webhook(State(koe): State<Koe>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let secret = std::env::var("TINK_WEBHOOK_SECRET").expect("TINK_WEBHOOK_SECRET");
    let header = headers.get("x-tink-signature").and_then(|v| v.to_str().ok()).unwrap_or("");
    let nu = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    if !signatur_er_gyldig(header, &body, secret.as_bytes(), nu) {
        return StatusCode::PRECONDITION_FAILED;
    }
    // Parse den body, signaturen dækker (Tink dokumenterer ikke Content-Type),
    // læg eventet i en kø og svar hurtigt; en arbejder henter data bagefter
    // (trin 5), gemmer dem og giver brugeren besked, som receiver.py viser.
    match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(event) => {
            let _ = koe.send(event);
            StatusCode::NO_CONTENT
        }
        Err(_) => StatusCode::BAD_REQUEST,
    }
}

#[tokio::main]
async fn main() {
    let (koe, mut rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(event) = rx.recv().await {
            // Som behandl() i receiver.py: hent, gem (idempotent), giv besked.
            let _ = event;
        }
    });
    let app = Router::new().route("/webhooks/tink", post(tink_webhook)).with_state(koe);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
