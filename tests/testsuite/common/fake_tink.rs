//! A fake Tink API on loopback, behaving as `shared/tink-api.md` describes:
//! OAuth tokens, user creation (409 on a duplicate), delegated and user
//! authorization grants, the Tink Link redirect to the callback, Data v2
//! accounts and transactions, and Events v2 webhook endpoints. Faults can be
//! injected. Real HTTP over TCP, so the recorder's real client is tested.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::form_pairs as pairs;

pub const CLIENT_ID: &str = "fake-client-id-4711";
pub const CLIENT_SECRET: &str = "fake+secret/Ø=xyz";

/// Faults to inject.
#[derive(Debug, Default, Clone)]
pub struct Faults {
    /// Paths whose first call gets `429` with `Retry-After: 1`.
    pub rate_limit_once: HashSet<String>,
    /// (path, status, errorMessage, errorCode): always fail this path.
    pub fail: Option<(String, u16, String, String)>,
    /// Send a different `state` back from Tink Link.
    pub wrong_state: bool,
    /// Add a field to every account (a shape change).
    pub extra_account_field: bool,
}

/// The server's state: what it issued, what it saw.
#[derive(Debug, Default)]
pub struct State {
    pub faults: Faults,
    /// Every secret the server issued (tokens, codes, webhook secrets).
    pub issued: Vec<String>,
    /// Every identifier the server issued (user, account, transaction, credentials, webhook ids).
    pub ids: Vec<String>,
    /// (method, path) of every request.
    pub log: Vec<(String, String)>,
    /// Every request in full, in order.
    pub seen: Vec<Seen>,
    app_tokens: HashSet<String>,
    user_tokens: HashSet<String>,
    users: HashMap<String, String>,
    delegate_codes: HashMap<String, String>,
    user_codes: HashMap<String, String>,
    webhooks: Vec<Value>,
    accounts: Vec<String>,
}

/// One request as the server got it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    /// Query pairs, decoded.
    pub query: Vec<(String, String)>,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    pub body: String,
}

impl Seen {
    /// The body's form fields, decoded.
    pub fn form(&self) -> Vec<(String, String)> {
        pairs(&self.body)
    }
}

pub struct FakeTink {
    pub base: String,
    pub state: Arc<Mutex<State>>,
}

fn hex(n: usize) -> String {
    (0..n)
        .map(|_| char::from_digit(fastrand::u32(0..16), 16).unwrap())
        .collect()
}

struct Req {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: HashMap<String, String>,
    body: String,
}

impl Req {
    fn q(&self, k: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.as_str())
    }
    fn form(&self, k: &str) -> Option<String> {
        pairs(&self.body)
            .into_iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v)
    }
    fn bearer(&self) -> Option<&str> {
        self.headers
            .get("authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
    }
}

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

fn json_resp(status: u16, v: Value) -> Resp {
    Resp {
        status,
        headers: vec![],
        body: v.to_string(),
    }
}

fn error(status: u16, message: &str, code: &str) -> Resp {
    json_resp(status, json!({"errorMessage": message, "errorCode": code}))
}

impl FakeTink {
    pub fn start(faults: Faults) -> FakeTink {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let state = Arc::new(Mutex::new(State {
            faults,
            ..Default::default()
        }));
        let st = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let st = st.clone();
                std::thread::spawn(move || serve(stream, &st));
            }
        });
        FakeTink { base, state }
    }
}

fn serve(mut stream: TcpStream, state: &Mutex<State>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.trim_end().split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    let _ = reader.read_exact(&mut body);
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let req = Req {
        method,
        path: path.to_owned(),
        query: pairs(query),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let resp = handle(&req, &mut state.lock().unwrap());
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\nX-Request-ID: {}\r\n",
        resp.status,
        resp.body.len(),
        hex(16)
    );
    if !resp.headers.iter().any(|(k, _)| k == "Location") {
        head.push_str("Content-Type: application/json\r\n");
    }
    for (k, v) in &resp.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    let _ = stream.write_all(format!("{head}\r\n{}", resp.body).as_bytes());
}

fn handle(req: &Req, st: &mut State) -> Resp {
    st.log.push((req.method.clone(), req.path.clone()));
    st.seen.push(Seen {
        method: req.method.clone(),
        path: req.path.clone(),
        query: req.query.clone(),
        content_type: req.headers.get("content-type").cloned(),
        body: req.body.clone(),
    });
    if st.faults.rate_limit_once.remove(&req.path) {
        return Resp {
            status: 429,
            headers: vec![("Retry-After".into(), "1".into())],
            body: "{}".into(),
        };
    }
    if let Some((path, status, msg, code)) = st.faults.fail.clone() {
        if path == req.path {
            return error(status, &msg, &code);
        }
    }
    let app = req.bearer().is_some_and(|t| st.app_tokens.contains(t));
    let user = req.bearer().is_some_and(|t| st.user_tokens.contains(t));
    match (req.method.as_str(), req.path.as_str()) {
        ("POST", "/api/v1/oauth/token") => {
            if req.form("client_id").as_deref() != Some(CLIENT_ID) {
                return error(
                    401,
                    "Could not find the OAuth client",
                    "oauth.client_not_found",
                );
            }
            if req.form("client_secret").as_deref() != Some(CLIENT_SECRET) {
                return error(401, "Invalid client secret", "oauth.invalid_secret");
            }
            match req.form("grant_type").as_deref() {
                Some("client_credentials") => {
                    let token = format!("app{}", hex(40));
                    st.app_tokens.insert(token.clone());
                    st.issued.push(token.clone());
                    json_resp(
                        200,
                        json!({"access_token": token, "token_type": "bearer", "expires_in": 1800, "scope": req.form("scope")}),
                    )
                }
                Some("authorization_code") => {
                    let Some(_user) = req.form("code").and_then(|c| st.user_codes.remove(&c))
                    else {
                        return error(400, "Authorization code not valid", "oauth.invalid_code");
                    };
                    let token = format!("usr{}", hex(40));
                    st.user_tokens.insert(token.clone());
                    st.issued.push(token.clone());
                    json_resp(
                        200,
                        json!({"access_token": token, "expires_in": 7200, "id_hint": "x", "scope": "accounts:read,transactions:read", "token_type": "bearer"}),
                    )
                }
                _ => error(400, "unsupported grant_type", "oauth.grant_type"),
            }
        }
        _ if !app
            && (!user && (req.path.starts_with("/api/") || req.path.starts_with("/data/"))
                || req.path.starts_with("/events/")) =>
        {
            error(401, "missing or expired token", "auth.unauthorized")
        }
        ("POST", "/api/v1/user/create") => {
            let body: Value = serde_json::from_str(&req.body).unwrap_or_default();
            let ext = body["external_user_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if st.users.contains_key(&ext) {
                return error(409, "The user already exists", "user.already_exists");
            }
            let id = hex(32);
            st.ids.push(id.clone());
            st.users.insert(ext.clone(), id.clone());
            json_resp(200, json!({"external_user_id": ext, "user_id": id}))
        }
        ("POST", "/api/v1/oauth/authorization-grant/delegate") => {
            if req.form("actor_client_id").as_deref() != Some("df05e4b379934cd09963197cc855bfe9") {
                return error(400, "unknown actor_client_id", "oauth.invalid_actor");
            }
            let code = hex(32);
            st.issued.push(code.clone());
            st.delegate_codes
                .insert(code.clone(), req.form("user_id").unwrap_or_default());
            json_resp(200, json!({"code": code}))
        }
        ("POST", "/api/v1/oauth/authorization-grant") => {
            let code = hex(32);
            st.issued.push(code.clone());
            st.user_codes
                .insert(code.clone(), req.form("user_id").unwrap_or_default());
            json_resp(200, json!({"code": code}))
        }
        ("GET", "/1.0/transactions/connect-accounts") => {
            let redirect = req.q("redirect_uri").unwrap_or_default();
            if req.q("client_id") != Some(CLIENT_ID) {
                return Resp { status: 302, headers: vec![("Location".into(), format!("{redirect}?error=BAD_REQUEST&error_reason=INVALID_PARAMETER_CLIENT_ID&message=bad+client"))], body: String::new() };
            }
            if !req
                .q("authorization_code")
                .is_some_and(|c| st.delegate_codes.contains_key(c))
            {
                return Resp { status: 302, headers: vec![("Location".into(), format!("{redirect}?error=BAD_REQUEST&error_reason=INVALID_AUTHORIZATION_CODE&message=bad+code"))], body: String::new() };
            }
            let credentials = hex(32);
            st.ids.push(credentials.clone());
            let state = if st.faults.wrong_state {
                "tampered".to_owned()
            } else {
                req.q("state").unwrap_or_default().to_owned()
            };
            Resp { status: 302, headers: vec![("Location".into(), format!("{redirect}?client_id={CLIENT_ID}&credentials_id={credentials}&state={state}"))], body: String::new() }
        }
        ("GET", "/data/v2/accounts") if user => {
            if st.accounts.is_empty() {
                st.accounts = vec![hex(32), hex(32)];
                st.ids.extend(st.accounts.clone());
            }
            let mut accounts: Vec<Value> = st.accounts.iter().map(|id| json!({
                "balances": {"booked": {"amount": {"currencyCode": "DKK", "value": {"scale": "2", "unscaledValue": "123456"}}}},
                "customerSegment": "PERSONAL",
                "dates": {"lastRefreshed": "2026-11-27T08:00:00Z"},
                "financialInstitutionId": "3f1e0c7a5b9d4e2f8a6c1b0d9e8f7a6b",
                "id": id,
                "identifiers": {"iban": {"bban": "53010001234567", "iban": "DK5453010001234567"}},
                "name": "Lønkonto",
                "type": "CHECKING"
            })).collect();
            if st.faults.extra_account_field {
                for a in &mut accounts {
                    a["holderName"] = json!("Demo");
                }
            }
            json_resp(200, json!({"accounts": accounts, "nextPageToken": ""}))
        }
        ("GET", "/data/v2/transactions") if user => {
            let account = req.q("accountIdIn").unwrap_or_default().to_owned();
            let statuses: Vec<&str> = req
                .query
                .iter()
                .filter(|(k, _)| k == "statusIn")
                .map(|(_, v)| v.as_str())
                .collect();
            if statuses.len() != 2 {
                return error(400, "statusIn must be repeated", "validation");
            }
            let id = hex(32);
            st.ids.push(id.clone());
            json_resp(
                200,
                json!({"nextPageToken": "", "transactions": [{
                    "accountId": account,
                    "amount": {"currencyCode": "DKK", "value": {"scale": "2", "unscaledValue": "-34950"}},
                    "dates": {"booked": "2026-11-26"},
                    "descriptions": {"display": "Netto", "original": "NETTO 1234"},
                    "id": id,
                    "status": "BOOKED",
                    "types": {"type": "DEFAULT"}
                }]}),
            )
        }
        ("POST", "/events/v2/webhook-endpoints") => {
            let body: Value = serde_json::from_str(&req.body).unwrap_or_default();
            if st.webhooks.iter().any(|w| w["url"] == body["url"]) {
                return error(
                    409,
                    "A webhook subscribed to one or more of the same events and url already exists",
                    "conflict",
                );
            }
            let (id, secret) = (hex(32), format!("whsec_{}", hex(32)));
            st.ids.push(id.clone());
            st.issued.push(secret.clone());
            let w = json!({"createdAt": "2026-11-27T09:30:00Z", "description": body["description"], "disabled": false, "enabledEvents": body["enabledEvents"], "id": id, "updatedAt": "2026-11-27T09:30:00Z", "url": body["url"]});
            st.webhooks.push(w.clone());
            let mut with_secret = w;
            with_secret["secret"] = json!(secret);
            json_resp(200, with_secret)
        }
        ("GET", "/events/v2/webhook-endpoints") => json_resp(
            200,
            json!({"nextPageToken": "", "webhookEndpoints": st.webhooks}),
        ),
        ("DELETE", p) if p.starts_with("/events/v2/webhook-endpoints/") => {
            let id = p.rsplit('/').next().unwrap_or_default();
            st.webhooks.retain(|w| w["id"] != id);
            json_resp(200, json!({}))
        }
        (_, "/data/v2/accounts") | (_, "/data/v2/transactions") => {
            error(401, "user token required", "auth.unauthorized")
        }
        _ => error(404, "not found", "not_found"),
    }
}
