//! A loaded OpenAPI description: the file `api.openapi` names and every
//! sibling file its `$ref`s reach (all under `content/`), each operation's
//! method and path template, `$ref`s followed across files, and the JSON
//! Schema validator of a body, compiled once against one registry of the
//! files so references resolve as the description says.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use jsonschema::{Registry, Validator};
use serde_json::Value;
use url::Url;

use crate::content::CONTENT_DIR;
use crate::error::{Diagnostic, Diagnostics};
use crate::source;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// At most this many files make one description (refs of refs).
const MAX_FILES: usize = 64;

/// One file of a description.
#[derive(Debug)]
pub(crate) struct File {
    /// `content/openapi.yaml`
    pub(crate) rel: PathBuf,
    /// `file:///content/openapi.yaml`: relative `$ref`s resolve against it.
    uri: Url,
    /// The file as written (the downloads carry a copy).
    pub(crate) text: String,
    doc: Value,
}

/// A loaded description.
#[derive(Debug)]
pub(crate) struct Description {
    /// The file `api.openapi` names first, then the files its refs reach.
    pub(crate) files: Vec<File>,
    /// The path of the first server URL (`/v1`), which request paths start with.
    prefix: String,
    /// (method, path template) of every operation.
    operations: Vec<(String, String)>,
}

/// The operation a request is.
pub(crate) struct Matched<'a> {
    /// Its path template (`/users/{userId}`).
    pub(crate) template: &'a str,
    /// (parameter name, the request's path segment): `("userId", "{{ id }}")`.
    pub(crate) path_parameters: Vec<(String, String)>,
}

/// A description's schemas for one check: the registry of its files and
/// the validators compiled so far, by (file, pointer).
pub(super) struct Schemas<'a> {
    registry: Registry<'a>,
    compiled: RefCell<HashMap<SchemaAt, Option<Rc<Validator>>>>,
}

/// Where a schema is: (index into [`Description::files`], JSON Pointer).
type SchemaAt = (usize, String);

/// A value of the description and where it is.
#[derive(Clone)]
pub(super) struct Place<'a> {
    /// Index into [`Description::files`].
    pub(super) file: usize,
    /// JSON Pointer into that file.
    pub(super) pointer: String,
    pub(super) value: &'a Value,
}

/// A JSON Pointer's reference token.
pub(super) fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// What a URI fragment cannot hold as it is.
const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A JSON Pointer as a URI fragment.
fn fragment(pointer: &str) -> String {
    percent_encoding::utf8_percent_encode(pointer, FRAGMENT).to_string()
}

impl Description {
    /// Reads `content/NAME` and the files its `$ref`s reach; problems go to
    /// `diags` (a missing file, not OpenAPI 3.0/3.1, a `$ref` that does not
    /// resolve or leaves `content/`) and give `None`.
    pub(super) fn load(root: &Path, name: &str, diags: &mut Diagnostics) -> Option<Description> {
        let rel = Path::new(CONTENT_DIR).join(name);
        let main = read(root, &rel, None, diags)?;
        let version = main.doc["openapi"].as_str().unwrap_or_default().to_owned();
        if !(version.starts_with("3.0.") || version.starts_with("3.1.")) {
            let what = if version.is_empty() {
                "no `openapi` version: not an OpenAPI description".to_owned()
            } else {
                format!("OpenAPI {version} is not supported")
            };
            diags.push(
                Diagnostic::new(&rel, what)
                    .at(&main.text, 1, 1)
                    .hint("stepdoc reads OpenAPI 3.0 and 3.1 descriptions"),
            );
            return None;
        }
        let files = with_siblings(root, main, diags)?;
        let mut desc = Description {
            files,
            prefix: String::new(),
            operations: Vec::new(),
        };
        if version.starts_with("3.0.") {
            desc.files
                .iter_mut()
                .for_each(|f| nullable_as_null_type(&mut f.doc));
        }
        let doc = &desc.files[0].doc;
        desc.prefix = doc["servers"][0]["url"]
            .as_str()
            .and_then(|u| Url::parse(u).ok())
            .map(|u| u.path().trim_end_matches('/').to_owned())
            .unwrap_or_default();
        desc.operations = operations(doc);
        Some(desc)
    }

    /// A description of one file holding `doc`, for unit tests.
    #[cfg(test)]
    pub(super) fn from_doc(rel: &Path, doc: Value) -> Description {
        let text = doc.to_string();
        let file = File {
            rel: rel.to_path_buf(),
            uri: Url::parse("file:///")
                .unwrap()
                .join(&rel.display().to_string())
                .unwrap(),
            text,
            doc,
        };
        let mut desc = Description {
            files: vec![file],
            prefix: String::new(),
            operations: Vec::new(),
        };
        desc.operations = operations(&desc.files[0].doc);
        desc
    }

    /// The description's own file (`content/openapi.yaml`).
    pub(crate) fn rel(&self) -> &Path {
        &self.files[0].rel
    }

    /// The path of the first server URL (`/v2`), which the operations'
    /// paths go under.
    #[cfg(feature = "mock")]
    pub(super) fn server_path(&self) -> &str {
        &self.prefix
    }

    /// Every operation as `GET /path`.
    pub(super) fn operation_names(&self) -> Vec<String> {
        self.operations
            .iter()
            .map(|(m, p)| format!("{} {p}", m.to_ascii_uppercase()))
            .collect()
    }

    /// The operation a request is: its method, and its URL's path (the
    /// base URL's path, `base_path`, then the request's `path`) against
    /// each operation's (the server's path, then the template). A
    /// `{{ name }}` segment matches a `{param}` one, literals match as they
    /// are; the path parameters are the request's segments by name.
    pub(crate) fn operation(
        &self,
        method: &str,
        base_path: &str,
        path: &str,
    ) -> Option<Matched<'_>> {
        let url_path = format!("{}{path}", base_path.trim_end_matches('/'));
        let asked: Vec<&str> = url_path.split('/').collect();
        self.operations.iter().find_map(|(m, template)| {
            let full = format!("{}{template}", self.prefix);
            let parts: Vec<&str> = full.split('/').collect();
            let is_param = |t: &str| t.starts_with('{') && t.ends_with('}');
            let fits = m == method
                && parts.len() == asked.len()
                && parts.iter().zip(&asked).all(|(t, a)| t == a || is_param(t));
            fits.then(|| Matched {
                template,
                path_parameters: parts
                    .iter()
                    .zip(&asked)
                    .filter(|(t, _)| is_param(t))
                    .map(|(t, a)| (t[1..t.len() - 1].to_owned(), (*a).to_owned()))
                    .collect(),
            })
        })
    }

    /// The operation `method` of path `template`.
    pub(super) fn at(&self, template: &str, method: &str) -> Place<'_> {
        let pointer = format!("/paths/{}/{method}", escape(template));
        let value = &self.files[0].doc["paths"][template][method];
        Place {
            file: 0,
            pointer,
            value,
        }
    }

    /// The operation at `pointer` (`/paths/~1user/get`) of the main file.
    #[cfg(feature = "record")]
    pub(super) fn operation_at(&self, pointer: &str) -> Place<'_> {
        static NULL: Value = Value::Null;
        Place {
            file: 0,
            pointer: pointer.to_owned(),
            value: self.files[0].doc.pointer(pointer).unwrap_or(&NULL),
        }
    }

    /// The member `key` (an index, in an array) of the value at `place`.
    pub(super) fn child<'a>(&'a self, place: &Place<'a>, key: &str) -> Place<'a> {
        static NULL: Value = Value::Null;
        let value = match (place.value, key.parse::<usize>()) {
            (Value::Array(items), Ok(i)) => items.get(i).unwrap_or(&NULL),
            _ => &place.value[key],
        };
        Place {
            file: place.file,
            pointer: format!("{}/{}", place.pointer, escape(key)),
            value,
        }
    }

    /// `place`, or what its `$ref` points at (refs of refs followed).
    pub(super) fn follow<'a>(&'a self, place: Place<'a>) -> Place<'a> {
        let mut p = place;
        for _ in 0..MAX_FILES {
            let Some(r) = p.value.get("$ref").and_then(Value::as_str) else {
                break;
            };
            match resolve(&self.files, p.file, r) {
                Some((file, pointer)) => {
                    let value = self.files[file].doc.pointer(&pointer).unwrap_or(p.value);
                    p = Place {
                        file,
                        pointer,
                        value,
                    };
                }
                None => break,
            }
        }
        p
    }

    /// The description's schemas: every file a resource of one registry,
    /// so a validator compiled with it resolves the description's `$ref`s,
    /// local and sibling; each validator compiled once.
    pub(super) fn schemas(&self) -> Result<Schemas<'_>, String> {
        let mut builder = Registry::new().draft(jsonschema::Draft::Draft202012);
        for f in &self.files {
            builder = builder
                .add(f.uri.as_str(), &f.doc)
                .map_err(|e| e.to_string())?;
        }
        Ok(Schemas {
            registry: builder.prepare().map_err(|e| e.to_string())?,
            compiled: RefCell::default(),
        })
    }

    /// The validator of the JSON content of `holder` (a response or a
    /// request body, refs followed); `None` when it has no JSON content.
    pub(super) fn validator(
        &self,
        schemas: &Schemas,
        holder: &Place,
        media: &str,
        diags: &mut Diagnostics,
    ) -> Option<Rc<Validator>> {
        let (content_type, _) = holder.value["content"]
            .as_object()?
            .iter()
            .find(|(t, _)| t.contains(media))?;
        let schema = Place {
            file: holder.file,
            pointer: format!("{}/content/{}/schema", holder.pointer, escape(content_type)),
            value: &Value::Null,
        };
        self.schema_validator(schemas, &schema, diags)
    }

    /// The validator of the schema at `schema`, compiled on first use (a
    /// schema that does not compile is reported that once).
    pub(super) fn schema_validator(
        &self,
        schemas: &Schemas,
        schema: &Place,
        diags: &mut Diagnostics,
    ) -> Option<Rc<Validator>> {
        let key = (schema.file, schema.pointer.clone());
        if let Some(known) = schemas.compiled.borrow().get(&key) {
            return known.clone();
        }
        let file = &self.files[schema.file];
        let fragment = fragment(&schema.pointer);
        let root = serde_json::json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": format!("{}#{fragment}", file.uri),
        });
        let compiled = match jsonschema::options()
            .with_registry(&schemas.registry)
            .build(&root)
        {
            Ok(v) => Some(Rc::new(v)),
            Err(e) => {
                let msg = format!("the schema at #{} does not compile: {e}", schema.pointer);
                diags.push(at_ref(file, &schema.pointer, msg));
                None
            }
        };
        schemas.compiled.borrow_mut().insert(key, compiled.clone());
        compiled
    }

    /// A validator's schema location (`file:///content/a.yaml#/x`) as the
    /// author finds it: `content/a.yaml#/x`.
    pub(super) fn shown(&self, uri: &str) -> String {
        let (file, fragment) = uri.split_once('#').unwrap_or((uri, ""));
        let rel = self
            .files
            .iter()
            .find(|f| f.uri.as_str() == file)
            .map_or_else(|| file.to_owned(), |f| f.rel.display().to_string());
        let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
        format!("{rel}#{fragment}")
    }
}

/// (method, path template) of every operation of `doc`.
fn operations(doc: &Value) -> Vec<(String, String)> {
    doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(p, item)| {
            METHODS
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(move |m| (m.to_string(), p.clone()))
        })
        .collect()
}

/// Reads one file of a description (`referrer`: the file and `$ref` that
/// led here, for the message when it is missing).
fn read(
    root: &Path,
    rel: &Path,
    referrer: Option<(&File, &str, &str)>,
    diags: &mut Diagnostics,
) -> Option<File> {
    let text = match source::read_text(root, rel, source::DESCRIPTION_LIMIT) {
        Ok(t) => t,
        Err(source::ReadError::Missing) => {
            let d = match referrer {
                Some((from, at, r)) => at_ref(
                    from,
                    at,
                    format!("`$ref: {r}` names {}, which does not exist", rel.display()),
                ),
                None => Diagnostic::new(
                    rel,
                    "the OpenAPI description `api.openapi` names does not exist",
                )
                .hint("give a path under content/, e.g. `api: { openapi: openapi.yaml }`"),
            };
            diags.push(d);
            return None;
        }
        Err(source::ReadError::Refused(d)) => {
            diags.push(d);
            return None;
        }
    };
    // JSON is YAML too, but a JSON parser reads it many times faster.
    let doc = match serde_json::from_str::<Value>(&text) {
        Ok(v) => v,
        Err(e) if text.trim_start().starts_with('{') => {
            let msg = crate::content::resolve::json_message(&e);
            let d = Diagnostic::new(rel, format!("not valid JSON: {msg}"));
            diags.push(d.at(&text, e.line(), e.column()));
            return None;
        }
        Err(_) => match serde_saphyr::from_str::<Value>(&text) {
            Ok(v) => v,
            Err(e) => {
                diags.push(Diagnostic::new(rel, format!("not YAML or JSON: {e}")));
                return None;
            }
        },
    };
    let path: String = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    let uri = Url::parse("file:///").ok()?.join(&path).ok()?;
    Some(File {
        rel: rel.to_path_buf(),
        uri,
        text,
        doc,
    })
}

/// `main` and every file its `$ref`s reach, each `$ref` checked to
/// resolve; `None` (problems in `diags`) when one does not.
fn with_siblings(root: &Path, main: File, diags: &mut Diagnostics) -> Option<Vec<File>> {
    let before = diags.0.len();
    let mut files = vec![main];
    let mut i = 0;
    while i < files.len() {
        let mut refs = Vec::new();
        collect_refs(&files[i].doc, &mut Vec::new(), &mut refs);
        for (at, r) in refs {
            let target = files[i].uri.join(&r).ok().filter(|u| u.scheme() == "file");
            let Some(mut file_uri) = target else {
                let d = at_ref(
                    &files[i],
                    &at,
                    format!("`$ref: {r}` is not a file next to the description"),
                );
                diags.push(d.hint("download it under content/ and refer to it by a relative path"));
                continue;
            };
            file_uri.set_fragment(None);
            if !files.iter().any(|f| f.uri == file_uri) {
                let path =
                    percent_encoding::percent_decode_str(file_uri.path()).decode_utf8_lossy();
                let inside = path.strip_prefix('/').filter(|p| p.starts_with("content/"));
                let Some(rel) = inside
                    .map(PathBuf::from)
                    .filter(|_| files.len() < MAX_FILES)
                else {
                    diags.push(at_ref(&files[i], &at, format!("`$ref: {r}` leaves content/ (or the description has over {MAX_FILES} files)")));
                    continue;
                };
                let Some(file) = read(root, &rel, Some((&files[i], &at, &r)), diags) else {
                    continue;
                };
                files.push(file);
            }
            if resolve(&files, i, &r).is_none() {
                diags.push(at_ref(
                    &files[i],
                    &at,
                    format!("`$ref: {r}` does not resolve"),
                ));
            }
        }
        i += 1;
    }
    (diags.0.len() == before).then_some(files)
}

/// A diagnostic at the value at pointer `at` of `file` (a `$ref`, a schema).
fn at_ref(file: &File, at: &str, msg: String) -> Diagnostic {
    let (line, col) = crate::content::pointer_pos::locate(&file.text, at);
    Diagnostic::new(&file.rel, msg).at(&file.text, line, col)
}

/// Every `$ref` string in `v`, with its pointer (`/paths/~1a/get/$ref`);
/// `at` holds the escaped tokens down to `v` (a pointer is only formatted
/// for a `$ref`: a description has thousands of nodes for each).
fn collect_refs<'v>(
    v: &'v Value,
    at: &mut Vec<std::borrow::Cow<'v, str>>,
    out: &mut Vec<(String, String)>,
) {
    match v {
        Value::Object(map) => {
            for (k, item) in map {
                if let (true, Value::String(r)) = (k == "$ref", item) {
                    let pointer: String = at.iter().map(|t| format!("/{t}")).collect();
                    out.push((format!("{pointer}/$ref"), r.clone()));
                    continue;
                }
                let token = if k.contains(['~', '/']) {
                    std::borrow::Cow::Owned(escape(k))
                } else {
                    std::borrow::Cow::Borrowed(k.as_str())
                };
                at.push(token);
                collect_refs(item, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                at.push(std::borrow::Cow::Owned(i.to_string()));
                collect_refs(item, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// Where `$ref` `r`, written in file `from`, points: (file, pointer).
fn resolve(files: &[File], from: usize, r: &str) -> Option<(usize, String)> {
    let target = files[from].uri.join(r).ok()?;
    let pointer = percent_encoding::percent_decode_str(target.fragment().unwrap_or_default())
        .decode_utf8_lossy()
        .into_owned();
    let mut file_uri = target;
    file_uri.set_fragment(None);
    let file = files.iter().position(|f| f.uri == file_uri)?;
    files[file].doc.pointer(&pointer)?;
    Some((file, pointer))
}

/// OpenAPI 3.0's `nullable: true` as JSON Schema's `type: [T, "null"]`.
fn nullable_as_null_type(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(t)) = map.get("type").cloned() {
                    map.insert("type".into(), serde_json::json!([t, "null"]));
                }
            }
            map.values_mut().for_each(nullable_as_null_type);
        }
        Value::Array(items) => items.iter_mut().for_each(nullable_as_null_type),
        _ => {}
    }
}
