//! What a page shows for each request and payload: the snapshot when one
//! was recorded, else the sample; payload code from its file, inline text or
//! JSON. Files are read through [`super::source`] (regular files inside the
//! walkthrough, within the size limit).

use std::path::Path;

use super::snapshot::{Origin, Response, Snapshot};
use super::{Site, Step, CONTENT_DIR, SAMPLES_DIR};
use crate::error::{Diagnostic, Diagnostics};
use crate::source;

/// serde_json's message without the " at line L column C" the diagnostic shows anyway.
pub(crate) fn json_message(e: &serde_json::Error) -> String {
    let m = e.to_string();
    match m.rfind(" at line ") {
        Some(i) => m[..i].to_owned(),
        None => m,
    }
}

pub(super) fn resolve_response(
    root: &Path,
    step: &Step,
    req: &super::Request,
    diags: &mut Diagnostics,
) -> Option<Response> {
    let snap_path = Site::snapshot_path(root, &step.slug, &req.id);
    let rel = snap_path.strip_prefix(root).unwrap_or(&snap_path);
    match source::read_text(root, rel, source::DATA_LIMIT) {
        Err(source::ReadError::Missing) => {}
        Err(source::ReadError::Refused(d)) => {
            diags.push(
                d.hint("re-record it with `stepdoc record`, or delete it to show the sample"),
            );
            return None;
        }
        Ok(text) => {
            return match serde_json::from_str::<Snapshot>(&text) {
                Ok(snap) => Some(Response {
                    status: snap.response.status,
                    body: snap.response.body,
                    origin: Origin::Snapshot {
                        recorded_at: snap.recorded_at,
                    },
                }),
                Err(e) => {
                    diags.push(
                        Diagnostic::new(rel, format!("not a valid snapshot: {}", json_message(&e)))
                            .at(&text, e.line(), e.column())
                            .hint(
                                "re-record it with `stepdoc record`, or delete it to show the sample",
                            ),
                    );
                    None
                }
            };
        }
    }
    Some(Response {
        status: req.status,
        body: sample(root, step, req, diags)?,
        origin: Origin::Sample,
    })
}

/// The body of the request's `sample:` (inline, or a file under
/// `content/samples/`), whether or not a snapshot is shown instead.
pub(crate) fn sample(
    root: &Path,
    step: &Step,
    req: &super::Request,
    diags: &mut Diagnostics,
) -> Option<serde_json::Value> {
    match req.sample.as_ref()? {
        super::request::SampleSource::Inline(v) => Some(v.clone()),
        // `sample: ""`: the response has no body (only a status).
        super::request::SampleSource::File(name) if name.is_empty() => {
            Some(serde_json::Value::String(String::new()))
        }
        super::request::SampleSource::File(name) => load_sample_json(root, step, name, diags),
    }
}

fn load_sample_json(
    root: &Path,
    step: &Step,
    name: &str,
    diags: &mut Diagnostics,
) -> Option<serde_json::Value> {
    let text = read_sample(root, step, name, diags)?;
    let rel = Path::new(CONTENT_DIR).join(SAMPLES_DIR).join(name);
    match serde_json::from_str(&text) {
        Ok(v) => Some(v),
        Err(e) => {
            diags.push(
                Diagnostic::new(
                    &rel,
                    format!("sample is not valid JSON: {}", json_message(&e)),
                )
                .at(&text, e.line(), e.column()),
            );
            None
        }
    }
}

fn read_sample(root: &Path, step: &Step, name: &str, diags: &mut Diagnostics) -> Option<String> {
    let rel = Path::new(CONTENT_DIR).join(SAMPLES_DIR).join(name);
    if name.contains("..") || Path::new(name).is_absolute() {
        diags.push(
            Diagnostic::new(
                &step.source,
                format!("sample `{name}` must be a path inside content/samples/"),
            )
            .at_text(&step.text, name),
        );
        return None;
    }
    match source::read_text(root, &rel, source::DATA_LIMIT) {
        Ok(t) => Some(t),
        Err(source::ReadError::Missing) => {
            diags.push(
                Diagnostic::new(
                    &step.source,
                    format!("sample file {} does not exist", rel.display()),
                )
                .at_text(&step.text, name)
                .hint("create it, or give the sample inline"),
            );
            None
        }
        Err(source::ReadError::Refused(d)) => {
            diags.push(d);
            None
        }
    }
}

pub(super) fn resolve_payloads(root: &Path, step: &mut Step, diags: &mut Diagnostics) {
    let mut resolved = Vec::with_capacity(step.payloads.len());
    for p in &step.payloads {
        let def = &p.def;
        let sources =
            def.file.is_some() as u8 + def.content.is_some() as u8 + def.json.is_some() as u8;
        if sources != 1 {
            diags.push(
                Diagnostic::new(
                    &step.source,
                    format!(
                        "payload `{}` needs exactly one of `file`, `content`, `json`",
                        def.title
                    ),
                )
                .at_text(&step.text, &def.title),
            );
            continue;
        }
        let ext_lang = def
            .file
            .as_deref()
            .and_then(|f| Path::new(f).extension())
            .and_then(|e| e.to_str());
        let lang = def
            .lang
            .clone()
            .or(ext_lang.map(str::to_owned))
            .unwrap_or_else(|| "json".into());
        let code = if let Some(v) = &def.json {
            serde_json::to_string_pretty(v).unwrap_or_default()
        } else if let Some(c) = &def.content {
            c.clone()
        } else if let Some(file) = &def.file {
            match read_sample(root, step, file, diags) {
                Some(t) => t,
                None => continue,
            }
        } else {
            continue;
        };
        resolved.push(super::ResolvedPayload {
            def: def.clone(),
            lang,
            code,
        });
    }
    step.payloads = resolved;
}
