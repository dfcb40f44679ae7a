//! The one point every recorded output passes through: snapshots, progress
//! lines, verbose dumps and error messages. Secrets become their placeholder
//! (`$APP_TOKEN`) in raw, URL-encoded, JSON-escaped and base64 forms;
//! identifiers become stable pseudonyms of the same shape, consistent across
//! all snapshots of one recording.

use base64::Engine;
use serde_json::Value;

use crate::shape::pseudonym;

use crate::call::{form_encode, percent_encode};

/// Secrets shorter than this cannot be hidden reliably (they would match
/// ordinary text by accident): `record` refuses them.
pub const MIN_SECRET_LEN: usize = 8;

/// Replaces secrets and identifiers.
#[derive(Debug, Default, Clone)]
pub struct Redactor {
    /// (text to find, replacement), longest first.
    rules: Vec<(String, String)>,
    /// Identifier values seen, in order; the n-th gets pseudonym n.
    ids: Vec<String>,
    /// Secret values as registered, to hide HTTP Basic pairs (`id:secret` in base64).
    raw: Vec<(String, String)>,
}

impl Redactor {
    /// An empty redactor.
    pub fn new() -> Self {
        Self::default()
    }

    /// `text` with its secrets as placeholders, identifiers as they are: for
    /// the terminal, where a person needs the real ids (a prompt that says
    /// "open …/pi_dfe3374ff9").
    pub fn hide_secrets(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (find, replace) in &self.rules {
            out = out.replace(find.as_str(), replace);
        }
        out
    }

    /// Registers a secret `value` shown as `placeholder` (e.g. `$APP_TOKEN`).
    pub fn secret(&mut self, value: &str, placeholder: &str) {
        if value.is_empty() {
            return;
        }
        // HTTP Basic sends `user:password` in base64: every pair of secrets.
        let pairs: Vec<(String, String)> = self
            .raw
            .iter()
            .flat_map(|(other, other_placeholder)| {
                [
                    (
                        format!("{other}:{value}"),
                        format!("{other_placeholder}:{placeholder}"),
                    ),
                    (
                        format!("{value}:{other}"),
                        format!("{placeholder}:{other_placeholder}"),
                    ),
                ]
            })
            .collect();
        self.raw.push((value.to_owned(), placeholder.to_owned()));
        for (pair, shown) in pairs {
            self.add_forms(&pair, &shown);
        }
        self.add_forms(value, placeholder);
    }

    fn add_forms(&mut self, value: &str, placeholder: &str) {
        let json = serde_json::to_string(value).unwrap_or_default();
        let json = json[1..json.len() - 1].to_owned();
        let b64 = base64::engine::general_purpose::STANDARD;
        let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let forms = [
            value.to_owned(),
            percent_encode(value),
            form_encode(value),
            json,
            b64.encode(value),
            b64.encode(value).trim_end_matches('=').to_owned(),
            b64url.encode(value),
        ];
        for f in forms {
            if !self.rules.iter().any(|(k, _)| *k == f) {
                self.rules.push((f, placeholder.to_owned()));
            }
        }
        self.rules
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    }

    /// Registers an identifier; returns its pseudonym.
    pub fn identifier(&mut self, value: &str) -> String {
        if value.len() < 4 {
            return value.to_owned();
        }
        let n = match self.ids.iter().position(|v| v == value) {
            Some(n) => n,
            None => {
                self.ids.push(value.to_owned());
                self.ids.len() - 1
            }
        };
        pseudonym(value, n as u64)
    }

    /// `text` with every secret and known identifier replaced.
    pub fn redact(&self, text: &str) -> String {
        let mut out = self.hide_secrets(text);
        for (n, id) in self.ids.iter().enumerate() {
            if out.contains(id.as_str()) {
                out = out.replace(id.as_str(), &pseudonym(id, n as u64));
            }
        }
        out
    }

    /// Registers as identifiers the strings that `paths` select in `v`
    /// (`record.redact` in site.yaml: names, IBANs, emails).
    pub fn learn_paths(&mut self, v: &Value, paths: &[serde_json_path::JsonPath]) {
        for path in paths {
            for node in path.query(v).all() {
                if let Value::String(s) = node {
                    self.identifier(s);
                }
            }
        }
    }

    /// Registers identifiers found in `v` (values of keys named like ids).
    pub fn learn_identifiers(&mut self, v: &Value) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    if is_identifier_key(k) {
                        match v {
                            Value::String(s) => {
                                self.identifier(s);
                            }
                            Value::Array(items) => {
                                items.iter().filter_map(Value::as_str).for_each(|s| {
                                    self.identifier(s);
                                })
                            }
                            _ => {}
                        }
                    }
                    self.learn_identifiers(v);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| self.learn_identifiers(v)),
            _ => {}
        }
    }

    /// `v` with every string (keys too) redacted.
    pub fn redact_json(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.redact(s)),
            Value::Array(a) => Value::Array(a.iter().map(|v| self.redact_json(v)).collect()),
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, v)| (self.redact(k), self.redact_json(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

/// `id`, `userId`, `credentials_id`, `accountIdIn`-style ids, but not
/// ids chosen by the app itself (`externalUserId`).
fn is_identifier_key(k: &str) -> bool {
    let lower = k.to_ascii_lowercase();
    !lower.starts_with("external")
        && (k == "id"
            || k == "ids"
            || k.ends_with("Id")
            || k.ends_with("_id")
            || k.ends_with("Ids")
            || k.ends_with("_ids"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_in_every_encoding_become_placeholders() {
        let mut r = Redactor::new();
        let secret = "s3cr+t/with=chars";
        r.secret(secret, "$CLIENT_SECRET");
        let b64 = base64::engine::general_purpose::STANDARD.encode(secret);
        let text = format!(
            "raw {secret} url {} form {} json {} b64 {b64}",
            percent_encode(secret),
            form_encode(secret),
            "s3cr+t/with=chars"
        );
        let out = r.redact(&text);
        assert!(!out.contains("s3cr"), "{out}");
        assert!(!out.contains(&b64), "{out}");
        assert_eq!(out.matches("$CLIENT_SECRET").count(), 5, "{out}");
    }

    #[test]
    fn the_terminal_sees_real_identifiers_but_no_secret() {
        let mut r = Redactor::new();
        r.secret("s3cr3t-token-value", "$APP_TOKEN");
        r.learn_identifiers(&serde_json::json!({"id": "pi_dfe3374ff9"}));
        let text = "open https://x/3ds/pi_dfe3374ff9 with s3cr3t-token-value";
        assert_eq!(
            r.hide_secrets(text),
            "open https://x/3ds/pi_dfe3374ff9 with $APP_TOKEN"
        );
        assert!(
            !r.redact(text).contains("pi_dfe3374ff9"),
            "snapshots get the pseudonym"
        );
    }

    #[test]
    fn identifiers_keep_shape_and_are_consistent() {
        let mut r = Redactor::new();
        let body = serde_json::json!({"accounts": [{"id": "ee7ddbd178494220bb184791783f4f63"}], "userId": "AB-12"});
        r.learn_identifiers(&body);
        let p = r.identifier("ee7ddbd178494220bb184791783f4f63");
        assert_eq!(p.len(), 32);
        assert!(p
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(p, "ee7ddbd178494220bb184791783f4f63");
        let url = r.redact("/data/v2/transactions?accountIdIn=ee7ddbd178494220bb184791783f4f63");
        assert!(
            url.ends_with(&p),
            "the account id in a URL matches the account: {url}"
        );
        let short = r.redact("AB-12");
        assert!(
            short.len() == 5
                && &short[2..3] == "-"
                && short[..2].chars().all(|c| c.is_ascii_uppercase())
        );
    }

    #[test]
    fn http_basic_pairs_are_hidden() {
        let mut r = Redactor::new();
        r.secret("client-id-123", "$ID");
        r.secret("client-secret-456", "$SECRET");
        let b64 =
            base64::engine::general_purpose::STANDARD.encode("client-id-123:client-secret-456");
        let out = r.redact(&format!("Authorization: Basic {b64}"));
        assert_eq!(out, "Authorization: Basic $ID:$SECRET");
    }

    #[test]
    fn selected_personal_data_gets_pseudonyms_of_the_same_shape() {
        let mut r = Redactor::new();
        let body =
            serde_json::json!({"accounts": [{"iban": "DK5453010001234567", "holder": "Jane Doe"}]});
        let paths = ["$.accounts[*].iban", "$..holder"]
            .map(|p| serde_json_path::JsonPath::parse(p).unwrap());
        r.learn_paths(&body, &paths);
        let out = r.redact_json(&body);
        let iban = out["accounts"][0]["iban"].as_str().unwrap();
        let holder = out["accounts"][0]["holder"].as_str().unwrap();
        assert!(
            iban != "DK5453010001234567"
                && iban.len() == 18
                && iban[..2].chars().all(|c| c.is_ascii_uppercase())
        );
        assert!(holder != "Jane Doe" && holder.len() == 8 && holder.contains(' '));
    }
}
