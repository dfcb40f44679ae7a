//! The mock on the shipped Tink walkthrough, request by request.

use super::*;

fn tink() -> Mock {
    let site = crate::content::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let mut notes = Vec::new();
    let mock = Mock::new(site, &mut notes);
    assert!(notes.is_empty(), "{notes:?}");
    mock
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn post_form(path: &str, token: Option<&str>, form: &[(&str, &str)]) -> Ask {
    Ask {
        method: "POST".into(),
        path: path.into(),
        headers: token
            .map(|t| vec![("authorization".to_owned(), format!("Bearer {t}"))])
            .unwrap_or_default(),
        body: Incoming::Form(pairs(form)),
        ..Ask::default()
    }
}

fn get(path: &str, token: &str, query: &[(&str, &str)]) -> Ask {
    Ask {
        method: "GET".into(),
        path: path.into(),
        query: pairs(query),
        headers: vec![("authorization".into(), format!("Bearer {token}"))],
        ..Ask::default()
    }
}

fn json(reply: &Reply) -> Value {
    serde_json::from_slice(&reply.body).unwrap()
}

fn app_token(mock: &Mock) -> String {
    let ask = post_form(
        "/api/api/v1/oauth/token",
        None,
        &[
            ("client_id", "mine"),
            ("client_secret", "x"),
            ("grant_type", "client_credentials"),
            ("scope", "s"),
        ],
    );
    let reply = mock.answer(&ask);
    assert_eq!(
        (reply.status, reply.request.as_deref()),
        (200, Some("app-token")),
        "{reply:?}"
    );
    json(&reply)["access_token"].as_str().unwrap().to_owned()
}

#[test]
fn tokens_are_issued_fresh_and_only_issued_ones_are_accepted() {
    let mock = tink();
    let token = app_token(&mock);
    assert_ne!(token, "SAMPLE-app-token-not-a-real-token");
    assert_ne!(token, app_token(&mock), "a second run gets another token");

    let create = |t: Option<&str>| Ask {
        method: "POST".into(),
        path: "/api/api/v1/user/create".into(),
        headers: t
            .map(|t| vec![("authorization".to_owned(), format!("Bearer {t}"))])
            .unwrap_or_default(),
        body: Incoming::Json(
            serde_json::json!({"external_user_id": "u", "market": "DK", "locale": "da_DK", "retention_class": "permanent"}),
        ),
        ..Ask::default()
    };
    assert_eq!(mock.answer(&create(None)).status, 401);
    let wrong = mock.answer(&create(Some("not-issued")));
    assert_eq!(wrong.status, 401);
    assert!(json(&wrong)["message"]
        .as_str()
        .unwrap()
        .contains("run `app-token`"));
    let made = mock.answer(&create(Some(&token)));
    assert_eq!(made.status, 200);
    let user = json(&made)["user_id"].as_str().unwrap().to_owned();

    let mut missing = create(Some(&token));
    missing.body = Incoming::Json(serde_json::json!({"market": "DK"}));
    let reply = mock.answer(&missing);
    assert_eq!(reply.status, 400);
    assert!(json(&reply)["message"]
        .as_str()
        .unwrap()
        .contains("$.external_user_id"));

    // The second request on the token route is told apart by its grant type.
    let exchange = |code: &str| {
        post_form(
            "/api/api/v1/oauth/token",
            None,
            &[
                ("client_id", "a"),
                ("client_secret", "b"),
                ("grant_type", "authorization_code"),
                ("code", code),
            ],
        )
    };
    let reply = mock.answer(&exchange("guessed"));
    assert_eq!(
        (reply.status, reply.request.as_deref()),
        (400, Some("user-token"))
    );
    let grant = mock.answer(&post_form(
        "/api/api/v1/oauth/authorization-grant",
        Some(&token),
        &[("user_id", &user), ("scope", "accounts:read")],
    ));
    assert_eq!(grant.status, 200, "{grant:?}");
    let code = json(&grant)["code"].as_str().unwrap().to_owned();
    assert_eq!(mock.answer(&exchange(&code)).status, 200);
}

#[test]
fn ids_must_be_issued_and_later_answers_carry_them() {
    let mock = tink();
    let token = app_token(&mock);
    let hook = mock.answer(&Ask {
        method: "POST".into(),
        path: "/api/events/v2/webhook-endpoints".into(),
        headers: vec![("authorization".into(), format!("Bearer {token}"))],
        body: Incoming::Json(serde_json::json!({"description": "d", "enabledEvents": [], "url": "https://x.example/h"})),
        ..Ask::default()
    });
    assert_eq!(hook.status, 200, "{hook:?}");
    let id = json(&hook)["id"].as_str().unwrap().to_owned();
    let listed = mock.answer(&get("/api/events/v2/webhook-endpoints", &token, &[]));
    assert!(
        String::from_utf8_lossy(&listed.body).contains(&id),
        "the list shows the new endpoint"
    );

    let delete = |id: &str| Ask {
        method: "DELETE".into(),
        path: format!("/api/events/v2/webhook-endpoints/{id}"),
        headers: vec![("authorization".into(), format!("Bearer {token}"))],
        ..Ask::default()
    };
    assert_eq!(
        mock.answer(&delete("b7c8d9e0f1a24b3c9d8e7f6a5b4c3d2e"))
            .status,
        404,
        "the sample's id was not issued"
    );
    let deleted = mock.answer(&delete(&id));
    assert_eq!(
        (deleted.status, deleted.body.len(), deleted.content_type),
        (200, 0, None)
    );
}

#[test]
fn unknown_routes_name_the_closest_and_methods_are_checked() {
    let mock = tink();
    let reply = mock.answer(&get("/api/data/v2/acounts", "t", &[]));
    assert_eq!(reply.status, 404);
    let message = json(&reply)["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains("the closest is GET /api/data/v2/accounts"),
        "{message}"
    );
    let mut put = get("/api/data/v2/accounts", "t", &[]);
    put.method = "PUT".into();
    assert_eq!(mock.answer(&put).status, 405);
}

#[test]
fn the_browser_step_is_a_page_that_goes_back_with_the_state() {
    let mock = tink();
    let token = app_token(&mock);
    let _ = token;
    let ask = |code: &str| Ask {
        method: "GET".into(),
        path: "/link/1.0/transactions/connect-accounts".into(),
        query: pairs(&[
            ("client_id", "mine"),
            ("redirect_uri", "http://127.0.0.1:9/cb"),
            ("authorization_code", code),
            ("market", "DK"),
            ("locale", "da_DK"),
            ("state", "st-1"),
            ("test", "true"),
        ]),
        ..Ask::default()
    };
    assert_eq!(mock.answer(&ask("not-issued")).status, 404);
}
