//! Request definitions shared by the snippet and highlighting tests.

/// Tricky requests, each proving one quoting or encoding rule.
pub const REQUESTS: &[(&str, &str)] = &[
    (
        "json_with_apostrophe_dollar_and_danish_letters",
        r#"id: j
title: J
method: POST
path: /api/v1/user/create
auth: app
json:
  external_user_id: "it's $HOME `x` \"q\""
  name: "Søren Ærø Åse"
  market: "{{ market }}"
  user: "{{ user_id }}"
"#,
    ),
    (
        "form_with_ampersand_equals_and_url",
        r#"id: f
title: F
method: POST
path: /api/v1/oauth/token
form:
  client_id: "{{ client_id }}"
  client_secret: "{{ client_secret }}"
  grant_type: client_credentials
  scope: "a:b,c&d=e"
  redirect_uri: "https://example.com/cb?x=1&y=ø"
"#,
    ),
    (
        "repeated_query_parameters_with_user_token",
        r#"id: q
title: Q
path: /data/v2/transactions
auth: user
headers:
  X-Client-Trace-ID: "trace 1"
query:
  accountIdIn: ["{{ account_id }}", "b c"]
  statusIn: [BOOKED, PENDING]
  bookedDateGte: "2026-01-01"
"#,
    ),
    (
        "basic_auth_with_a_form",
        r#"id: b
title: B
method: POST
path: /oauth/introspect
auth: client
form:
  token: "{{ user_token }}"
"#,
    ),
    (
        "api_key_header",
        r#"id: k
title: K
path: /items
auth: key
"#,
    ),
    (
        "delete_with_placeholder_in_path",
        r#"id: d
title: D
method: DELETE
path: /events/v2/webhook-endpoints/{{ webhook_id }}
auth: app
"#,
    ),
];
