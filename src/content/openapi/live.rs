//! The provider's OpenAPI description for `record --check`: each live
//! answer is checked as the build checks a shown response.

use serde_json::Value;

use super::description::Schemas;
use super::{json_path, response_findings, Described, Finding};
use crate::content::Site;
use crate::error::Diagnostics;

/// The descriptions of the bases, for `record --check`: live responses
/// checked as the shown ones are, each base's schemas prepared once.
pub(crate) struct Live<'a> {
    described: &'a Described,
    schemas: Vec<(&'a str, Schemas<'a>)>,
}

impl<'a> Live<'a> {
    /// The descriptions `site` names, if any (loaded with the site).
    pub(crate) fn load(site: &'a Site) -> Option<Live<'a>> {
        Live::new(&site.described)
    }

    fn new(described: &'a Described) -> Option<Live<'a>> {
        let schemas: Vec<(&str, Schemas)> = described
            .bases
            .iter()
            .filter_map(|(base, desc)| Some((base.as_str(), desc.schemas().ok()?)))
            .collect();
        (!schemas.is_empty()).then_some(Live { described, schemas })
    }

    /// What is wrong with a live answer of `status` and `body` to the
    /// request at `pos`, as lines.
    pub(crate) fn problems(
        &self,
        site: &Site,
        pos: (usize, usize),
        status: u16,
        body: &Value,
    ) -> Vec<String> {
        // The operation the load found for the request (with the base URLs
        // as configured: `record` may point a base elsewhere since).
        let req = &site.steps[pos.0].requests[pos.1];
        let Some(found) = self.described.operations.get(&req.id) else {
            return Vec::new();
        };
        let (Some(desc), Some((_, schemas))) = (
            self.described.of(&found.base),
            self.schemas.iter().find(|(b, _)| *b == found.base),
        ) else {
            return Vec::new();
        };
        let op = desc.operation_at(&found.pointer);
        let mut diags = Diagnostics::default();
        response_findings(desc, schemas, &op, status, body, &mut diags)
            .into_iter()
            .map(|f| match f {
                Finding::Undocumented(documented) => format!(
                    "status {status} is not documented in {} (documented: {documented})",
                    desc.rel().display()
                ),
                Finding::Body {
                    pointer,
                    message,
                    rule,
                } => format!("{}: {message} (schema rule at {rule})", json_path(&pointer)),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::Description;
    use super::*;
    use std::path::Path;

    #[test]
    fn a_live_answer_is_checked_as_a_shown_one() {
        let site = crate::content::load(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let doc = serde_json::json!({
            "openapi": "3.1.0",
            "paths": { "/data/v2/accounts": { "get": { "responses": { "200": {
                "description": "ok",
                "content": { "application/json": { "schema": {
                    "type": "object",
                    "properties": { "accounts": { "type": "array", "items": {
                        "type": "object", "properties": { "id": { "type": "string" } } } } }
                } } }
            } } } } }
        });
        let desc = Description::from_doc(Path::new("content/openapi.yaml"), doc);
        let operation = super::super::Operation {
            base: "api".to_owned(),
            id: None,
            pointer: "/paths/~1data~1v2~1accounts/get".to_owned(),
            path_parameters: Vec::new(),
        };
        let described = Described {
            bases: vec![("api".to_owned(), std::sync::Arc::new(desc))],
            operations: [("list-accounts".to_owned(), operation)].into(),
        };
        let live = Live::new(&described).unwrap();
        let pos = crate::content::chain::all(&site)
            .into_iter()
            .find(|&(s, r)| site.steps[s].requests[r].id == "list-accounts")
            .unwrap();
        let good = serde_json::json!({ "accounts": [{ "id": "a1" }] });
        assert!(live.problems(&site, pos, 200, &good).is_empty());
        let bad = serde_json::json!({ "accounts": [{ "id": 5 }] });
        assert_eq!(
            live.problems(&site, pos, 200, &bad),
            ["$.accounts.0.id: 5 is not of type \"string\" (schema rule at content/openapi.yaml#/paths/~1data~1v2~1accounts/get/responses/200/content/application~1json/schema/properties/accounts/items/properties/id/type)"]
        );
        assert!(
            live.problems(&site, pos, 500, &good)[0].starts_with("status 500 is not documented")
        );
    }
}
