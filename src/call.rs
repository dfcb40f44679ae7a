//! A request definition turned into the HTTP call it describes (the wire
//! form between `content` and its users: snippets, exports and record):
//! method, full URL with its query, headers in a stable order, and the
//! body. Values are kept as [`Part`]s so one call can become a snippet (with
//! `$VARIABLE` placeholders) or a real request (with the values filled in);
//! the encoders of each place (URL component, form field, JSON string) are
//! defined here once.

use crate::content::chain::{Pos, Types};
use crate::content::config::{AuthScheme, DEFAULT_BASE};
use crate::content::request::{segments, Segment};
use crate::content::{api_base, Request, SiteConfig, ValueType};

/// A piece of a value: literal text, or a variable the reader supplies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Text as it is sent.
    Lit(String),
    /// An environment variable (a secret or a captured value), by name.
    Env(String),
    /// A variable whose value is placed in a URL as one path segment or
    /// one query value: the code that runs percent-encodes it first, so
    /// `../admin?x=1#` stays one value.
    Url(String),
    /// A variable whose value is placed inside a JSON string: the code that
    /// runs JSON-escapes it first, so a `"` in it cannot end the string.
    Json(String),
    /// A variable whose value is a whole JSON value of a type (a number or
    /// a boolean): the code that runs checks that it is one, and refuses
    /// it otherwise, so `1, "admin": true` cannot add a field.
    Typed(String, ValueType),
}

impl Part {
    /// The variable's name, for either kind of variable.
    pub fn var(&self) -> Option<&str> {
        match self {
            Part::Lit(_) => None,
            Part::Env(e) | Part::Url(e) | Part::Json(e) | Part::Typed(e, _) => Some(e),
        }
    }
}

/// A value made of parts.
pub type Text = Vec<Part>;

/// The body of a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// No body.
    None,
    /// `application/x-www-form-urlencoded` fields, in order (values not yet encoded).
    Form(Vec<(String, Text)>),
    /// A JSON value whose strings may hold variables.
    Json(Json),
}

/// A JSON value whose strings are [`Text`], so variables stay visible to
/// snippet generators and are filled in for real requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string.
    Str(Text),
    /// A variable whose value is a whole JSON value of a type (the string
    /// `"{{ amount }}"` where `amount` is a number).
    Var(String, ValueType),
    /// An array.
    Array(Vec<Json>),
    /// An object, keys in order.
    Object(Vec<(String, Json)>),
}

impl Json {
    fn from_value(v: &serde_json::Value, r: &dyn Resolve) -> Json {
        match v {
            serde_json::Value::Null => Json::Null,
            serde_json::Value::Bool(b) => Json::Bool(*b),
            serde_json::Value::Number(n) => Json::Number(n.to_string()),
            serde_json::Value::String(s) => Json::string(s, r),
            serde_json::Value::Array(a) => {
                Json::Array(a.iter().map(|v| Json::from_value(v, r)).collect())
            }
            serde_json::Value::Object(o) => Json::Object(
                o.iter()
                    .map(|(k, v)| (k.clone(), Json::from_value(v, r)))
                    .collect(),
            ),
        }
    }

    /// A JSON string: a typed value when it is exactly one `{{ name }}`
    /// and `name` has a type, else a string with its variables.
    fn string(s: &str, r: &dyn Resolve) -> Json {
        let [Segment::Var(name)] = segments(s)[..] else {
            return Json::Str(fill(s, r));
        };
        let Some(ty) = r.value_type(name) else {
            return Json::Str(fill(s, r));
        };
        match r.resolve(name) {
            Part::Lit(l) => match ty.parse(&l) {
                Some(v) => Json::from_value(&v, r),
                None => Json::Str(vec![Part::Lit(l)]),
            },
            var => Json::Var(var.var().unwrap_or(name).to_owned(), ty),
        }
    }

    /// Whether a variable in it is a typed value ([`Json::Var`]).
    pub fn has_typed(&self) -> bool {
        match self {
            Json::Var(..) => true,
            Json::Array(items) => items.iter().any(Json::has_typed),
            Json::Object(items) => items.iter().any(|(_, v)| v.has_typed()),
            _ => false,
        }
    }

    /// Pretty JSON text, as `serde_json::to_string_pretty` writes it;
    /// variables stand inside their strings unescaped.
    pub fn pretty(&self) -> Text {
        self.pretty_keys(&json_escape)
    }

    /// [`Json::pretty`] with each object key written by `key` (the text
    /// between its quotes), for a runner that reads keys its own way.
    pub fn pretty_keys(&self, key: &dyn Fn(&str) -> String) -> Text {
        let mut out = Text::new();
        self.write_pretty(0, key, &mut out);
        out
    }

    /// `[`/`{`, one indented item per line (`"key": ` for objects), `]`/`}`.
    fn write_block<'a>(
        out: &mut Text,
        (depth, key_text): (usize, &dyn Fn(&str) -> String),
        (open, close): (char, char),
        items: impl ExactSizeIterator<Item = (Option<&'a String>, &'a Json)>,
    ) {
        let len = items.len();
        push_lit(out, format!("{open}\n"));
        for (i, (key, v)) in items.enumerate() {
            push_lit(out, "  ".repeat(depth + 1));
            if let Some(k) = key {
                push_lit(out, format!("\"{}\": ", key_text(k)));
            }
            v.write_pretty(depth + 1, key_text, out);
            push_lit(
                out,
                if i + 1 < len {
                    ",\n".into()
                } else {
                    "\n".into()
                },
            );
        }
        push_lit(out, format!("{}{close}", "  ".repeat(depth)));
    }

    fn write_pretty(&self, depth: usize, key: &dyn Fn(&str) -> String, out: &mut Text) {
        match self {
            Json::Null => push_lit(out, "null".into()),
            Json::Bool(b) => push_lit(out, b.to_string()),
            Json::Number(n) => push_lit(out, n.clone()),
            Json::Var(name, ty) => out.push(Part::Typed(name.clone(), *ty)),
            Json::Str(t) => {
                push_lit(out, "\"".into());
                for p in t {
                    match p {
                        Part::Lit(l) => push_lit(out, json_escape(l)),
                        var => out.push(Part::Json(var.var().unwrap_or_default().to_owned())),
                    }
                }
                push_lit(out, "\"".into());
            }
            Json::Array(items) if items.is_empty() => push_lit(out, "[]".into()),
            Json::Object(items) if items.is_empty() => push_lit(out, "{}".into()),
            Json::Array(items) => Json::write_block(
                out,
                (depth, key),
                ('[', ']'),
                items.iter().map(|v| (None, v)),
            ),
            Json::Object(items) => Json::write_block(
                out,
                (depth, key),
                ('{', '}'),
                items.iter().map(|(k, v)| (Some(k), v)),
            ),
        }
    }
}

/// The HTTP call a request describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// HTTP method.
    pub method: String,
    /// Full URL, query included and encoded.
    pub url: Text,
    /// The URL without the query parameters of `query`.
    pub target: Text,
    /// Query parameters in order, values not yet encoded (for exports,
    /// whose runners encode them).
    pub query: Vec<(String, Text)>,
    /// Headers, in the order they are sent: the auth header, the defined
    /// ones, then `Content-Type` when the body implies one.
    pub headers: Vec<(String, Text)>,
    /// HTTP Basic user and password, which each language encodes its own way.
    pub basic: Option<(Text, Text)>,
    /// The body.
    pub body: Body,
}

/// How `{{ name }}` references become parts.
pub trait Resolve {
    /// The part for variable `name`.
    fn resolve(&self, name: &str) -> Part;

    /// The part for the named API base `name`, whose URL is `url`: the URL
    /// itself (trailing `/` removed) unless the resolver names it.
    fn base(&self, _name: &str, url: &str) -> Part {
        Part::Lit(url.trim_end_matches('/').to_owned())
    }

    /// The JSON type of variable `name`'s value, where it is a number or a
    /// boolean: a JSON string that is exactly `{{ name }}` is then sent as
    /// that type.
    fn value_type(&self, _name: &str) -> Option<ValueType> {
        None
    }
}

/// Resolution for documentation: site variables are filled in; secrets
/// become their environment variable, captures their upper-cased name.
/// With [`Placeholders::at`], values take their types from [`Types`].
pub struct Placeholders<'a> {
    config: &'a SiteConfig,
    types: Option<(&'a Types, Pos)>,
}

impl<'a> Placeholders<'a> {
    /// Placeholders where only the site's variables have types.
    pub fn new(config: &'a SiteConfig) -> Self {
        Placeholders {
            config,
            types: None,
        }
    }

    /// Placeholders for the request at `at`, values typed by `types`.
    pub fn at(config: &'a SiteConfig, types: &'a Types, at: Pos) -> Self {
        Placeholders {
            config,
            types: Some((types, at)),
        }
    }
}

impl Resolve for Placeholders<'_> {
    fn resolve(&self, name: &str) -> Part {
        if let Some(v) = self.config.variables.get(name) {
            Part::Lit(v.text.clone())
        } else {
            Part::Env(placeholder_name(self.config, name))
        }
    }

    fn value_type(&self, name: &str) -> Option<ValueType> {
        match self.types {
            Some((types, at)) => types.of(name, at),
            None => self.config.variables.get(name).and_then(|v| v.ty),
        }
    }
}

/// The environment variable that stands for `name` (`app_token` -> `APP_TOKEN`).
pub fn placeholder_name(config: &SiteConfig, name: &str) -> String {
    config
        .secrets
        .get(name)
        .cloned()
        .unwrap_or_else(|| name.to_ascii_uppercase())
}

/// `s` with its `{{ name }}` references resolved.
pub fn fill(s: &str, r: &dyn Resolve) -> Text {
    let mut out = Vec::new();
    for seg in segments(s) {
        match seg {
            Segment::Literal(l) => push_lit(&mut out, l.to_owned()),
            Segment::Var(v) => match r.resolve(v) {
                Part::Lit(l) => push_lit(&mut out, l),
                env => out.push(env),
            },
        }
    }
    out
}

/// An address with its `{{ name }}` references resolved. A value placed in
/// it is one path segment (or query value): percent-encoded when known
/// here, left to the writer's encoder when a variable. With `prefix`, a
/// reference that starts the address (`{{ base }}/x`) is its base and
/// stays as it is.
fn fill_address(s: &str, r: &dyn Resolve, prefix: bool) -> Text {
    let mut out = Vec::new();
    for (i, seg) in segments(s).into_iter().enumerate() {
        match seg {
            Segment::Literal(l) => push_lit(&mut out, l.to_owned()),
            Segment::Var(v) => match r.resolve(v) {
                Part::Lit(l) if prefix && i == 0 => push_lit(&mut out, l),
                Part::Lit(l) => push_lit(&mut out, percent_encode(&l)),
                Part::Env(e) | Part::Url(e) if !(prefix && i == 0) => out.push(Part::Url(e)),
                env => out.push(env),
            },
        }
    }
    out
}

fn push_lit(out: &mut Text, s: String) {
    if s.is_empty() {
        return;
    }
    if let Some(Part::Lit(last)) = out.last_mut() {
        last.push_str(&s);
    } else {
        out.push(Part::Lit(s));
    }
}

/// `prefix` followed by `t`, adjacent literals joined (`Name: ` + value).
pub fn prefixed(prefix: &str, t: &Text) -> Text {
    let mut out = vec![Part::Lit(prefix.to_owned())];
    for p in t {
        match p {
            Part::Lit(l) => push_lit(&mut out, l.clone()),
            env => out.push(env.clone()),
        }
    }
    out
}

/// `user:password`, as HTTP Basic joins them.
pub fn basic_pair(user: &Text, password: &Text) -> Text {
    let mut out = user.clone();
    push_lit(&mut out, ":".into());
    for p in password {
        match p {
            Part::Lit(l) => push_lit(&mut out, l.clone()),
            env => out.push(env.clone()),
        }
    }
    out
}

/// Every byte but RFC 3986's unreserved characters.
const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one URL component: a path segment, a query or form
/// value (everything but RFC 3986 unreserved characters).
pub fn percent_encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, COMPONENT).to_string()
}

/// Encodes a form field value as `application/x-www-form-urlencoded`
/// (space as `+`), byte for byte as `curl --data-urlencode` does.
pub fn form_encode(s: &str) -> String {
    percent_encode(s).replace("%20", "+")
}

/// Builds the call for `req`.
pub fn build(req: &Request, config: &SiteConfig, r: &dyn Resolve) -> Call {
    let mut url = address(req, config, r);
    let target = url.clone();
    let query = add_query(req, r, &mut url);
    let (mut headers, basic) = auth(req, config, r);
    for (k, v) in &req.headers {
        headers.push((k.clone(), fill(&v.0, r)));
    }
    let has_content_type = req
        .headers
        .keys()
        .any(|k| k.eq_ignore_ascii_case("content-type"));
    let (body, implied) = if let Some(form) = &req.form {
        let fields = form.iter().map(|(k, v)| (k.clone(), fill(&v.0, r)));
        (
            Body::Form(fields.collect()),
            "application/x-www-form-urlencoded",
        )
    } else if let Some(json) = &req.json {
        (Body::Json(Json::from_value(json, r)), "application/json")
    } else {
        (Body::None, "")
    };
    if !has_content_type && !implied.is_empty() {
        headers.push(("Content-Type".into(), vec![Part::Lit(implied.into())]));
    }
    Call {
        method: req.method.clone(),
        url,
        target,
        query,
        headers,
        basic,
        body,
    }
}

/// The address without the query: the base and `path`, or `url`.
fn address(req: &Request, config: &SiteConfig, r: &dyn Resolve) -> Text {
    let (Some(path), Some(base)) = (&req.path, api_base(config, req)) else {
        return fill_address(req.target(), r, true);
    };
    let mut url = Text::new();
    let base = r.base(req.base.as_deref().unwrap_or(DEFAULT_BASE), base);
    for part in std::iter::once(base).chain(fill_address(path, r, false)) {
        match part {
            Part::Lit(l) => push_lit(&mut url, l),
            var => url.push(var),
        }
    }
    url
}

/// Appends the query to `url`, each value one encoded component, and
/// returns its pairs, values not yet encoded (for the exports' runners).
fn add_query(req: &Request, r: &dyn Resolve, url: &mut Text) -> Vec<(String, Text)> {
    let mut query = Vec::new();
    let mut first = !matches!(url.iter().rev().find_map(|p| match p { Part::Lit(l) => Some(l), _ => None }), Some(l) if l.contains('?'));
    for (key, value) in &req.query {
        for v in value.values() {
            query.push((key.clone(), fill(v, r)));
            push_lit(
                url,
                format!("{}{}=", if first { "?" } else { "&" }, percent_encode(key)),
            );
            first = false;
            for seg in segments(v) {
                match seg {
                    Segment::Literal(l) => push_lit(url, percent_encode(l)),
                    Segment::Var(name) => match r.resolve(name) {
                        Part::Lit(l) => push_lit(url, percent_encode(&l)),
                        var => url.push(Part::Url(var.var().unwrap_or_default().to_owned())),
                    },
                }
            }
        }
    }
    query
}

/// Headers (name, value), and Basic credentials (user, password).
type Auth = (Vec<(String, Text)>, Option<(Text, Text)>);

/// The auth header the request's kind implies, or its Basic credentials.
fn auth(req: &Request, config: &SiteConfig, r: &dyn Resolve) -> Auth {
    let scheme = req
        .auth_kind()
        .and_then(|k| config.auth.get(k))
        .and_then(|k| k.scheme());
    let value = |name: &str| fill(&format!("{{{{ {name} }}}}"), r);
    match scheme {
        Some(AuthScheme::Bearer(name)) => (
            vec![(
                "Authorization".to_owned(),
                prefixed("Bearer ", &value(name)),
            )],
            None,
        ),
        Some(AuthScheme::Header(header, name)) => (vec![(header.to_owned(), value(name))], None),
        Some(AuthScheme::Basic(user, password)) => {
            (Vec::new(), Some((value(user), value(password))))
        }
        None => (Vec::new(), None),
    }
}

/// Escapes text for use inside a JSON string.
pub fn json_escape(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap_or_default();
    quoted[1..quoted.len() - 1].to_owned()
}

/// Joins parts, writing each `Env` with `env`.
pub fn flatten(t: &Text, env: &dyn Fn(&str) -> String) -> String {
    t.iter()
        .map(|p| match p {
            Part::Lit(l) => l.clone(),
            Part::Env(e) | Part::Url(e) | Part::Json(e) | Part::Typed(e, _) => env(e),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SiteConfig {
        serde_saphyr::from_str(
            "title: T\napi: { base_url: 'https://api.example/' }\nvariables: { market: DK }\nsecrets: { client_secret: EXAMPLE_CLIENT_SECRET }\nauth: { app: { label: app, bearer: app_token } }\n",
        )
        .unwrap()
    }

    fn req(yaml: &str) -> Request {
        serde_saphyr::from_str(yaml).unwrap()
    }

    #[test]
    fn pretty_json_matches_serde_json() {
        let v = serde_json::json!({"a": [1, {"b": null, "c": []}], "d": "it's \"q\" \n æ", "e": {}, "f": true, "g": 1.5});
        let j = Json::from_value(&v, &Placeholders::new(&config()));
        assert_eq!(
            flatten(&j.pretty(), &|_| unreachable!()),
            serde_json::to_string_pretty(&v).unwrap()
        );
    }

    #[test]
    fn query_is_encoded_and_repeated() {
        let c = config();
        let call = build(
            &req(
                "id: a\ntitle: A\npath: /x\nquery: { q: 'a b&c', s: [A, B], m: '{{ market }}' }\n",
            ),
            &c,
            &Placeholders::new(&c),
        );
        assert_eq!(
            flatten(&call.url, &|e| format!("${e}")),
            "https://api.example/x?q=a%20b%26c&s=A&s=B&m=DK"
        );
    }

    #[test]
    fn a_value_in_a_path_is_one_segment() {
        struct Values;
        impl Resolve for Values {
            fn resolve(&self, name: &str) -> Part {
                Part::Lit(if name == "base" {
                    "https://h/v1".into()
                } else {
                    "../../admin?all=1#".into()
                })
            }
        }
        let c = config();
        let call = build(&req("id: a\ntitle: A\npath: /x/{{ id }}/y\n"), &c, &Values);
        assert_eq!(
            flatten(&call.url, &|_| unreachable!()),
            "https://api.example/x/..%2F..%2Fadmin%3Fall%3D1%23/y"
        );
        let call = build(
            &req("id: a\ntitle: A\nurl: '{{ base }}/x/{{ id }}'\n"),
            &c,
            &Values,
        );
        assert_eq!(
            flatten(&call.url, &|_| unreachable!()),
            "https://h/v1/x/..%2F..%2Fadmin%3Fall%3D1%23"
        );
    }

    #[test]
    fn headers_in_stable_order_with_placeholders() {
        let c = config();
        let call = build(
            &req("id: a\ntitle: A\nmethod: POST\npath: /t\nauth: app\nheaders: { X-Trace: t1 }\nform: { client_secret: '{{ client_secret }}' }\n"),
            &c,
            &Placeholders::new(&c),
        );
        let names: Vec<&str> = call.headers.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["Authorization", "X-Trace", "Content-Type"]);
        assert_eq!(
            call.headers[0].1,
            vec![Part::Lit("Bearer ".into()), Part::Env("APP_TOKEN".into())]
        );
        assert_eq!(
            call.body,
            Body::Form(vec![(
                "client_secret".into(),
                vec![Part::Env("EXAMPLE_CLIENT_SECRET".into())]
            )])
        );
    }
}
