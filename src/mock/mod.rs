//! `stepdoc mock`: the walkthrough's API, served from its snapshots (or
//! samples) on loopback, so every snippet and download runs without an
//! account. Each base is served under its own prefix (`/api/…`,
//! `/link/…`); each request of the chain is answered as recorded once the
//! mock has checked what the real API would (see [`check`]), with fresh
//! tokens and ids where a later request needs them (see [`issue`]).

mod check;
mod issue;
mod lines;
mod page;
mod routes;
mod server;

use std::sync::Mutex;

use serde_json::Value;

pub(crate) use check::{Ask, Incoming};
pub(crate) use server::Bound;
pub use server::{mock, MockOptions, Reporter};

use crate::content::{Interactive, Site};
use issue::{Issued, Plan};
use routes::{bind_path, request, Bindings, Route};

/// The mock of one walkthrough.
pub(crate) struct Mock {
    site: Site,
    routes: Vec<Route>,
    plan: Plan,
    issued: Mutex<Issued>,
}

/// An answer, before it becomes an HTTP response.
#[derive(Debug, PartialEq)]
pub(crate) struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// `Content-Type`, when there is a body.
    pub content_type: Option<&'static str>,
    /// The body.
    pub body: Vec<u8>,
    /// The id of the request of the walkthrough it answers as.
    pub request: Option<String>,
}

impl Reply {
    fn json(status: u16, body: &Value, request: Option<&str>) -> Reply {
        Reply {
            status,
            content_type: Some("application/json"),
            body: serde_json::to_vec_pretty(body).unwrap_or_default(),
            request: request.map(str::to_owned),
        }
    }

    fn error(status: u16, error: &str, message: &str, request: Option<&str>) -> Reply {
        let body =
            serde_json::json!({ "error": error, "message": message, "from": "stepdoc mock" });
        Reply::json(status, &body, request)
    }
}

impl Mock {
    /// The mock of `site`; `notes` gets what it cannot do as the API would.
    pub fn new(site: Site, notes: &mut Vec<String>) -> Mock {
        let (routes, skipped) = routes::routes(&site);
        for pos in skipped {
            notes.push(format!(
                "`{}` is not served: it names a full `url:`, not a path under a base",
                request(&site, pos).id
            ));
        }
        let plan = Plan::new(&site, notes);
        Mock {
            site,
            routes,
            plan,
            issued: Mutex::default(),
        }
    }

    /// The walkthrough it serves.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// The route `ask` is for, with the values its path binds; or the
    /// 404 (naming the closest route) or 405 that says it is none.
    fn route_for(&self, ask: &Ask) -> Result<(&Route, Bindings), Reply> {
        let method = if ask.method == "HEAD" {
            "GET"
        } else {
            ask.method.as_str()
        };
        let on_path: Vec<(usize, &Route, Bindings)> = self
            .routes
            .iter()
            .enumerate()
            .filter_map(|(i, r)| bind_path(r, &ask.path).map(|b| (i, r, b)))
            .collect();
        if on_path.is_empty() {
            let hint = routes::closest(&self.site, &self.routes, method, &ask.path)
                .map(|r| format!("; the closest is {}", r.label(&self.site)))
                .unwrap_or_default();
            let message = format!(
                "no request of the walkthrough is {method} {}{hint}",
                ask.path
            );
            return Err(Reply::error(404, "not_found", &message, None));
        }
        let allowed: Vec<&str> = on_path.iter().map(|(_, r, _)| r.method.as_str()).collect();
        let message = format!(
            "{method} {} is not a request of the walkthrough; it has {}",
            ask.path,
            allowed.join(", ")
        );
        on_path
            .into_iter()
            .filter(|(_, r, _)| r.method == method)
            .max_by_key(|(i, r, _)| {
                (
                    check::agreement(&self.site, r.pos, ask),
                    std::cmp::Reverse(*i),
                )
            })
            .map(|(_, r, b)| (r, b))
            .ok_or_else(|| Reply::error(405, "method_not_allowed", &message, None))
    }

    /// The answer to `ask`.
    pub fn answer(&self, ask: &Ask) -> Reply {
        let (route, bound) = match self.route_for(ask) {
            Ok(found) => found,
            Err(reply) => return reply,
        };
        let req = request(&self.site, route.pos);
        let mut issued = self.issued.lock().unwrap_or_else(|e| e.into_inner());
        let checks = check::Checks {
            site: &self.site,
            plan: &self.plan,
            issued: &issued,
            pos: route.pos,
        };
        if let Err(refusal) = checks.run(ask, &bound) {
            let error = match refusal.status {
                401 => "unauthorized",
                404 => "not_found",
                _ => "bad_request",
            };
            return Reply::error(refusal.status, error, &refusal.message, Some(&req.id));
        }
        let recorded = self.site.steps[route.pos.0].responses[route.pos.1].as_ref();
        let mut body = recorded.map(|r| r.body.clone()).unwrap_or(Value::Null);
        self.issue(route, &mut body, &mut issued);
        drop(issued);
        if req.interactive == Some(Interactive::Browser) {
            let Some(to) = page::redirect(&ask.query, &body) else {
                return Reply::error(
                    400,
                    "bad_request",
                    "missing `redirect_uri`, or it is not an http(s) URL",
                    Some(&req.id),
                );
            };
            return Reply {
                status: 200,
                content_type: Some("text/html; charset=utf-8"),
                body: page::page(&req.title, &to).into_bytes(),
                request: Some(req.id.clone()),
            };
        }
        let status = recorded.map_or(req.status, |r| r.status);
        match body {
            Value::String(s) if s.is_empty() => Reply {
                status,
                content_type: None,
                body: Vec::new(),
                request: Some(req.id.clone()),
            },
            Value::String(s) => Reply {
                status,
                content_type: Some("text/plain; charset=utf-8"),
                body: s.into_bytes(),
                request: Some(req.id.clone()),
            },
            other => Reply::json(status, &other, Some(&req.id)),
        }
    }

    /// Writes fresh values into `body` where the request's captures a later
    /// request needs are, and the latest issued values where it repeats
    /// recorded ones.
    fn issue(&self, route: &Route, body: &mut Value, issued: &mut Issued) {
        let req = request(&self.site, route.pos);
        let mut fresh = Vec::new();
        for (name, cap) in &req.capture {
            if !self.plan.issues(route.pos, name) {
                continue;
            }
            let Ok(path) = serde_json_path::JsonPath::parse(cap.path()) else {
                continue;
            };
            let pointers: Vec<String> = path
                .query_located(body)
                .locations()
                .map(|l| l.to_json_pointer())
                .collect();
            for pointer in pointers {
                if let Some(recorded) = body.pointer(&pointer).cloned() {
                    fresh.push((pointer, issued.issue(name, &recorded)));
                }
            }
        }
        issued.swap_into(body);
        for (pointer, value) in fresh {
            if let Some(slot) = body.pointer_mut(&pointer) {
                *slot = value;
            }
        }
    }
}

#[cfg(test)]
mod tests;
