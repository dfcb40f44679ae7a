//! The values the mock issues: which captured values a later request
//! needs (tokens, ids, codes), a fresh one of the recorded value's shape
//! each time a response carries one, and the recorded value swapped for
//! the latest issued one wherever a later response repeats it (the
//! account id in a transaction), so a chain run twice does not collide and
//! one run reads as one story.

use std::collections::{HashMap, HashSet, VecDeque};

use serde_json::Value;

use super::routes::request;
use crate::content::chain::{Capturers, Pos};
use crate::content::{Interactive, Site};

/// Issued values kept per name; older ones are forgotten, so a long run
/// (a load test) holds bounded memory.
const KEEP: usize = 4096;

/// Which captures the mock issues fresh, fixed when it starts.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    capturers: Capturers,
    /// (capturing request, name): a later HTTP request sends it.
    fresh: HashSet<(Pos, String)>,
}

impl Plan {
    /// The plan of `site`: a capture is issued fresh when a later HTTP
    /// request sends it and the recorded response has a value there that
    /// is an id, token or code (a string that is not a URL, or an integer).
    /// `notes` gets the captures it cannot issue.
    pub fn new(site: &Site, notes: &mut Vec<String>) -> Plan {
        let capturers = Capturers::new(&site.steps);
        let mut fresh = HashSet::new();
        for pos in crate::content::chain::all(site) {
            let req = request(site, pos);
            if req.interactive == Some(Interactive::Prompt) {
                continue;
            }
            for name in req.names(&site.config) {
                let Some(from) = capturers.of(name, pos) else {
                    continue;
                };
                let capturer = request(site, from);
                if capturer.interactive == Some(Interactive::Prompt) {
                    continue;
                }
                let recorded = site.steps[from.0].responses[from.1].as_ref().and_then(|r| {
                    let path = capturer.capture.get(name)?.path();
                    crate::content::capture::capture(&r.body, path).ok()
                });
                match recorded {
                    Some(c) if issuable(&c.text) => {
                        fresh.insert((from, name.to_owned()));
                    }
                    _ => notes.push(format!(
                        "`{name}` (captured by `{}`) has no id or token in its sample or snapshot to issue: any value is accepted for it",
                        capturer.id
                    )),
                }
            }
        }
        Plan { capturers, fresh }
    }

    /// Whether `name`, as the request at `at` sends it, must be a value
    /// this mock issued.
    pub fn must_be_issued(&self, name: &str, at: Pos) -> bool {
        self.capturers
            .of(name, at)
            .is_some_and(|from| self.fresh.contains(&(from, name.to_owned())))
    }

    /// Whether the request at `at` issues `name` fresh.
    pub fn issues(&self, at: Pos, name: &str) -> bool {
        self.fresh.contains(&(at, name.to_owned()))
    }

    /// The request that supplies `name` to the request at `at`.
    pub fn capturer(&self, name: &str, at: Pos) -> Option<Pos> {
        self.capturers.of(name, at)
    }
}

/// Whether a recorded value can be issued anew: not empty, not a URL.
fn issuable(text: &str) -> bool {
    !text.trim().is_empty() && !text.contains("://") && !text.contains(char::is_whitespace)
}

/// The values issued so far.
#[derive(Debug, Default)]
pub(crate) struct Issued {
    by_name: HashMap<String, (VecDeque<String>, HashSet<String>)>,
    /// Recorded value -> the latest value issued in its place.
    swaps: HashMap<String, String>,
}

impl Issued {
    /// Whether `value` was issued for `name` (and not yet forgotten).
    pub fn knows(&self, name: &str, value: &str) -> bool {
        self.by_name
            .get(name)
            .is_some_and(|(_, set)| set.contains(value))
    }

    /// A fresh value for `name` of the shape of `recorded`, remembered as
    /// issued and as the value that replaces `recorded` from now on.
    pub fn issue(&mut self, name: &str, recorded: &Value) -> Value {
        let (order, set) = self.by_name.entry(name.to_owned()).or_default();
        let (text, value) = loop {
            let v = fresh(recorded);
            let text = match &v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if !set.contains(&text) && Some(&text) != recorded.as_str().map(str::to_owned).as_ref()
            {
                break (text, v);
            }
        };
        set.insert(text.clone());
        order.push_back(text.clone());
        if order.len() > KEEP {
            if let Some(old) = order.pop_front() {
                set.remove(&old);
            }
        }
        let recorded = match recorded {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        self.swaps.insert(recorded, text);
        value
    }

    /// `body` with every string that is a recorded value issued anew
    /// replaced by the latest issued value.
    pub fn swap_into(&self, body: &mut Value) {
        if self.swaps.is_empty() {
            return;
        }
        match body {
            Value::String(s) => {
                if let Some(new) = self.swaps.get(s.as_str()) {
                    *s = new.clone();
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.swap_into(v)),
            Value::Object(map) => map.values_mut().for_each(|v| self.swap_into(v)),
            _ => {}
        }
    }
}

/// A value of `recorded`'s shape: a string pseudonym (a recorder's
/// `$PLACEHOLDER` becomes a hex token), an integer of as many digits.
fn fresh(recorded: &Value) -> Value {
    match recorded {
        Value::Number(n) => {
            let digits = n.to_string().trim_start_matches('-').len().clamp(1, 18) as u32;
            let low = 10u64.pow(digits - 1);
            Value::from(fastrand::u64(low..low * 10))
        }
        Value::String(s) if s.starts_with('$') || s.len() < 4 => Value::String(format!(
            "mock-{:016x}{:016x}",
            fastrand::u64(..),
            fastrand::u64(..)
        )),
        Value::String(s) => Value::String(crate::shape::pseudonym(s, fastrand::u64(..))),
        other => Value::String(format!("mock-{:016x}", fastrand::u64(..)) + &other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_values_keep_the_shape_and_replace_the_recorded_one() {
        let mut issued = Issued::default();
        let id = issued.issue(
            "account_id",
            &Value::from("a6b1c9d2e3f44a5b8c7d6e5f4a3b2c1d"),
        );
        let id = id.as_str().unwrap().to_owned();
        assert_eq!(id.len(), 32);
        assert!(id
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert!(issued.knows("account_id", &id));
        assert!(!issued.knows("account_id", "a6b1c9d2e3f44a5b8c7d6e5f4a3b2c1d"));
        let mut later =
            serde_json::json!({"tx": [{"accountId": "a6b1c9d2e3f44a5b8c7d6e5f4a3b2c1d"}]});
        issued.swap_into(&mut later);
        assert_eq!(later["tx"][0]["accountId"], Value::from(id.as_str()));
        let n = issued.issue("n", &Value::from(1347));
        assert!((1000..10000).contains(&n.as_u64().unwrap()));
        let t = issued.issue("t", &Value::from("$APP_TOKEN"));
        assert!(t.as_str().unwrap().starts_with("mock-"));
    }

    #[test]
    fn old_values_are_forgotten() {
        let mut issued = Issued::default();
        let first = issued.issue("t", &Value::from("tok_abcdef0123456789"));
        for _ in 0..KEEP {
            issued.issue("t", &Value::from("tok_abcdef0123456789"));
        }
        assert!(!issued.knows("t", first.as_str().unwrap()));
    }
}
