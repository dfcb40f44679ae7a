//! Request definitions: what a step sends to the API, what it captures from
//! the response, and what to show when no snapshot exists.

use indexmap::IndexMap;
use serde::Deserialize;

use super::capture::ValueType;

/// A YAML scalar used as a string (`DK`, `100`, `true` are all accepted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            S(String),
            I(i64),
            F(f64),
            B(bool),
        }
        Ok(Scalar(match Raw::deserialize(d)? {
            Raw::S(s) => s,
            Raw::I(i) => i.to_string(),
            Raw::F(f) => f.to_string(),
            Raw::B(b) => b.to_string(),
        }))
    }
}

impl serde::Serialize for Scalar {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// A site variable: its text, and its JSON type when `site.yaml` writes it
/// as a number or a boolean (`amount: 2500`, `live: true`, but not
/// `amount: "2500"`), which a JSON body that is exactly `"{{ amount }}"`
/// then sends as that type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// The value as text.
    pub text: String,
    /// `Some` for a number or a boolean.
    pub ty: Option<ValueType>,
}

impl<'de> Deserialize<'de> for Variable {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        let text = match &v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(_) | serde_json::Value::Bool(_) => v.to_string(),
            _ => {
                return Err(serde::de::Error::custom(
                    "expected a string, number or boolean",
                ))
            }
        };
        Ok(Variable {
            text,
            ty: ValueType::of(&v),
        })
    }
}

/// Author Markdown given as a YAML value (a `description:`), with the line
/// of its file where the parser found it, so its problems are reported
/// there. `line` is 0 where no file line applies (a description a
/// translation leaves in the default language: it is checked there).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Prose {
    pub text: String,
    pub line: usize,
}

impl<'de> Deserialize<'de> for Prose {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<String>::deserialize(d)?;
        Ok(Prose {
            text: s.value,
            line: s.referenced.line() as usize,
        })
    }
}

impl std::ops::Deref for Prose {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl Prose {
    /// Moves `line` from the YAML's first line to the file's `first_line`.
    pub(crate) fn offset(this: &mut Option<Prose>, first_line: usize) {
        if let Some(p) = this.as_mut().filter(|p| p.line > 0) {
            p.line += first_line - 1;
        }
    }
}

/// One query parameter value, or several for a repeated parameter.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum QueryValue {
    /// `pageSize: 100`
    One(Scalar),
    /// `statusIn: [BOOKED, PENDING]` sends `statusIn=BOOKED&statusIn=PENDING`.
    Many(Vec<Scalar>),
}

impl QueryValue {
    /// The values in order.
    pub fn values(&self) -> Vec<&str> {
        match self {
            QueryValue::One(s) => vec![s.0.as_str()],
            QueryValue::Many(v) => v.iter().map(|s| s.0.as_str()).collect(),
        }
    }
}

/// A request that is not an HTTP call but something a person does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interactive {
    /// A page the person opens in a browser (a consent or login page): its
    /// URL is built from the request (base, path, query); the result
    /// arrives as the query of a redirect to a loopback `redirect_uri`,
    /// whose `state` the tool generates and checks per run.
    Browser,
    /// A question the person answers on the terminal (a code shown
    /// elsewhere, an id, "press Enter once approved"): `prompt` says what
    /// to do, and the answer is captured as `$.value`.
    Prompt,
}

/// What to capture from a response: a JSONPath, optionally secret.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Capture {
    /// `user_id: $.user_id`
    Path(String),
    /// `app_token: { path: $.access_token, secret: true }`
    Full {
        /// JSONPath into the response body.
        path: String,
        /// Secrets never reach a snapshot, page, log line or error.
        #[serde(default)]
        secret: bool,
    },
}

impl Capture {
    /// The JSONPath.
    pub fn path(&self) -> &str {
        match self {
            Capture::Path(p) | Capture::Full { path: p, .. } => p,
        }
    }
    /// Whether the captured value is a secret.
    pub fn is_secret(&self) -> bool {
        matches!(self, Capture::Full { secret: true, .. })
    }
}

/// Example response: a file under `content/samples/` or inline YAML.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum SampleSource {
    /// `sample: auth/token.json`
    File(String),
    /// `sample: { access_token: ... }`
    Inline(serde_json::Value),
}

/// One request of a step, as written in its front matter.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Unique id; names the snapshot file.
    pub id: String,
    /// Card title.
    pub title: String,
    /// Short Markdown text shown on the card.
    #[serde(default)]
    pub description: Option<Prose>,
    /// HTTP method.
    #[serde(default = "default_method")]
    pub method: String,
    /// Path joined to the base URL named by `base`.
    #[serde(default)]
    pub path: Option<String>,
    /// Which named base `path` is joined to (`api` when not given).
    #[serde(default)]
    pub base: Option<String>,
    /// A full URL instead of `path`.
    #[serde(default)]
    pub url: Option<String>,
    /// Query parameters, in order; a list repeats the parameter.
    #[serde(default)]
    pub query: IndexMap<String, QueryValue>,
    /// Extra headers, in order.
    #[serde(default)]
    pub headers: IndexMap<String, Scalar>,
    /// A form body (`application/x-www-form-urlencoded`).
    #[serde(default)]
    pub form: Option<IndexMap<String, Scalar>>,
    /// A JSON body.
    #[serde(default)]
    pub json: Option<serde_json::Value>,
    /// The kind of authentication it needs: a name under `auth` in
    /// site.yaml (`none`, or nothing, for none).
    #[serde(default)]
    pub auth: Option<String>,
    /// Values to capture from the response for later requests.
    #[serde(default)]
    pub capture: IndexMap<String, Capture>,
    /// Shown when no snapshot exists.
    #[serde(default)]
    pub sample: Option<SampleSource>,
    /// Expected HTTP status (shown with the sample).
    #[serde(default = "default_status")]
    pub status: u16,
    /// Set for a page a person opens instead of an HTTP call.
    #[serde(default)]
    pub interactive: Option<Interactive>,
    /// For `interactive: prompt`: what the person is asked; `{{ name }}` is
    /// filled in when recording.
    #[serde(default)]
    pub prompt: Option<String>,
    /// Earlier requests that must run first although no captured value links
    /// them (a user token shows accounts only after the bank is connected).
    #[serde(default)]
    pub requires: Vec<String>,
    /// Line of the step file where the request starts (0 when not from a file).
    #[serde(skip)]
    pub line: usize,
}

fn default_method() -> String {
    "GET".into()
}
fn default_status() -> u16 {
    200
}

/// Methods a request may use.
pub const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// A piece of a string with `{{ name }}` placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Text sent as it is.
    Literal(&'a str),
    /// A `{{ name }}` reference.
    Var(&'a str),
}

/// Splits `s` into literal text and `{{ name }}` references.
pub fn segments(s: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        let name = rest[start + 2..start + len].trim();
        if !is_identifier(name) {
            out.push(Segment::Literal(&rest[..start + len + 2]));
        } else {
            if start > 0 {
                out.push(Segment::Literal(&rest[..start]));
            }
            out.push(Segment::Var(name));
        }
        rest = &rest[start + len + 2..];
    }
    if !rest.is_empty() {
        out.push(Segment::Literal(rest));
    }
    out
}

/// `[A-Za-z_][A-Za-z0-9_]*`: a name that is safe as an environment variable in every shell.
pub fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
}

/// Every `{{ name }}` in `s`.
pub fn variables(s: &str) -> impl Iterator<Item = &str> {
    segments(s).into_iter().filter_map(|seg| match seg {
        Segment::Var(v) => Some(v),
        Segment::Literal(_) => None,
    })
}

impl Request {
    /// The auth kind it names, if any (`none` names none).
    pub fn auth_kind(&self) -> Option<&str> {
        self.auth.as_deref().filter(|a| *a != "none")
    }

    /// The path or URL as written.
    pub fn target(&self) -> &str {
        self.url.as_deref().or(self.path.as_deref()).unwrap_or("")
    }

    /// The names the request uses, each once, in order of first use: its
    /// placeholders, then the names its `auth` kind needs. The one answer
    /// to "which names does a request use" for `check`, the legends, the
    /// chain `record` runs and the exports.
    pub fn names<'a>(&'a self, config: &'a super::SiteConfig) -> Vec<&'a str> {
        let auth = self
            .auth_kind()
            .and_then(|k| config.auth.get(k))
            .map(|k| k.names())
            .unwrap_or_default();
        let mut out: Vec<&str> = Vec::new();
        for name in self.strings().into_iter().flat_map(variables).chain(auth) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }

    /// Every string the request sends, for variable checks.
    pub fn strings(&self) -> Vec<&str> {
        let mut out = vec![self.target()];
        for v in self.query.values() {
            out.extend(v.values());
        }
        out.extend(self.headers.values().map(|s| s.0.as_str()));
        if let Some(form) = &self.form {
            out.extend(form.values().map(|s| s.0.as_str()));
        }
        if let Some(json) = &self.json {
            collect_json_strings(json, &mut out);
        }
        out.extend(self.prompt.as_deref());
        out
    }
}

fn collect_json_strings<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>) {
    match v {
        serde_json::Value::String(s) => out.push(s),
        serde_json::Value::Array(a) => a.iter().for_each(|v| collect_json_strings(v, out)),
        serde_json::Value::Object(o) => o.values().for_each(|v| collect_json_strings(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_split_placeholders() {
        assert_eq!(
            segments("Bearer {{ app_token }}!"),
            vec![
                Segment::Literal("Bearer "),
                Segment::Var("app_token"),
                Segment::Literal("!")
            ]
        );
        assert_eq!(segments("{{x}}"), vec![Segment::Var("x")]);
        assert_eq!(
            segments("a {{ not valid }} b"),
            vec![
                Segment::Literal("a {{ not valid }}"),
                Segment::Literal(" b")
            ]
        );
        assert_eq!(
            segments("open {{ end"),
            vec![Segment::Literal("open {{ end")]
        );
    }
}
