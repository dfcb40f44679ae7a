//! The chain as a Hurl file (requests in order, `[Captures]`, an expected
//! status on each) and the variables file with its defaults: the API bases
//! and the site's variables. Hurl lets `--variable` override a variables
//! file but not a value set inside the Hurl file, so defaults live there.

use std::collections::{BTreeMap, BTreeSet};

use super::{template, Captured, Item, Plan};
use crate::call::{flatten, json_escape, percent_encode, Body, Part, Text};
use crate::content::ValueType;

/// The Hurl file.
pub(super) fn file(plan: &Plan) -> String {
    let copies = segment_copies(plan);
    let in_json = json_values(plan);
    let mut out = header(plan, &copies);
    for item in &plan.items {
        out.push('\n');
        if item.is_manual() {
            manual(item, &mut out);
        } else {
            entry(item, (&copies, &in_json), &mut out);
        }
    }
    out
}

/// Hurl pastes a variable into a URL as it is and has no encoding in its
/// templates, so a variable in a path is sent as its percent-encoded copy
/// (`webhook_id_url`): a captured value's copy is captured with it
/// (`urlEncode`, then `/` as `%2F`: one segment), a default's copy is
/// written into the variables file. Variable name -> copy's name.
fn segment_copies(plan: &Plan) -> BTreeMap<String, String> {
    let mut names = plan.names.clone();
    let mut copies = BTreeMap::new();
    for item in &plan.items {
        for e in item.call.target.iter().skip(1).filter_map(Part::var) {
            if !copies.contains_key(e) {
                copies.insert(e.to_owned(), names.fresh(&format!("{e}_url")));
            }
        }
    }
    copies
}

/// `name=value` lines for `--variables-file`.
pub(super) fn variables(plan: &Plan) -> String {
    let mut out = format!(
        "# Defaults for {}: pass with `hurl --variables-file`.\n# `--variable NAME=VALUE` overrides any of them.\n",
        plan.title
    );
    let copies = segment_copies(plan);
    for var in &plan.vars {
        if let Some(v) = var.default() {
            out.push_str(&format!("{}={v}\n", var.name));
            if let Some(copy) = copies.get(&var.name) {
                out.push_str(&format!("{copy}={}\n", percent_encode(v)));
            }
        }
    }
    out
}

fn header(plan: &Plan, copies: &BTreeMap<String, String>) -> String {
    let mut run = vec!["hurl --test --variables-file walkthrough.env".to_owned()];
    run.extend(plan.required_flags("--secret", "--variable"));
    run.push("walkthrough.hurl".to_owned());
    format!(
        "# {}\n#\n# The whole walkthrough as one Hurl file, made by stepdoc from the same\n# request definitions as the pages. Run it with a current Hurl:\n#\n#   {}\n#\n# walkthrough.env holds the API bases and the site's variables; override\n# any of them with --variable NAME=VALUE (an API base without a trailing /).\n",
        plan.title,
        run.join(" \\\n#     ")
    ) + &passed_copies(plan, copies)
}

/// The note for values passed on the command line that go into a path:
/// their encoded copy is passed too.
fn passed_copies(plan: &Plan, copies: &BTreeMap<String, String>) -> String {
    let captured: Vec<&str> = plan
        .items
        .iter()
        .filter(|i| !i.is_manual())
        .flat_map(|i| i.captures.iter().map(|c| c.name.as_str()))
        .collect();
    let mut out = String::new();
    for (var, copy) in copies {
        if !captured.contains(&var.as_str()) {
            out.push_str(&format!(
                "#\n# {var} goes into a URL path: when you pass it, pass it percent-encoded\n# as well: --variable {copy}=… (walkthrough.env has the default's).\n"
            ));
        }
    }
    out
}

/// How the chain's JSON bodies use variables: the ones placed inside a
/// JSON string, and the ones sent as a whole typed value.
#[derive(Default)]
struct InJson {
    strings: BTreeSet<String>,
    typed: BTreeMap<String, ValueType>,
}

fn json_values(plan: &Plan) -> InJson {
    let mut out = InJson::default();
    let parts = plan.items.iter().filter_map(|i| match &i.call.body {
        Body::Json(j) => Some(j.pretty()),
        _ => None,
    });
    for p in parts.flatten() {
        match p {
            Part::Json(name) => {
                out.strings.insert(name);
            }
            Part::Typed(name, ty) => {
                out.typed.insert(name, ty);
            }
            _ => {}
        }
    }
    out
}

/// The `[Asserts]` of a request's captures, checked before a later request
/// uses them: a value that goes into a JSON string holds no character Hurl
/// would paste unescaped; a value sent as a whole JSON value (unquoted) is
/// of its type, so a string cannot add JSON of its own.
fn capture_asserts(item: &Item, in_json: &InJson) -> String {
    let mut out = String::new();
    for c in &item.captures {
        let path = quoted(&c.path);
        if in_json.strings.contains(&c.name) {
            out.push_str(&format!(
                "jsonpath {path} toString not matches {RAW_IN_JSON}\n"
            ));
        }
        if let Some(ty) = in_json.typed.get(&c.name) {
            let predicate = match ty {
                ValueType::Integer => "isInteger",
                ValueType::Number => "isNumber",
                ValueType::Boolean => "isBoolean",
            };
            out.push_str(&format!("jsonpath {path} {predicate}\n"));
        }
    }
    if out.is_empty() {
        out
    } else {
        format!("[Asserts]\n{out}")
    }
}

/// Control characters Hurl 8 pastes into a JSON string unescaped (it
/// escapes only tab, line feed and carriage return).
const RAW_IN_JSON: &str = r"/[\x00-\x08\x0b\x0c\x0e-\x1f]/";

fn entry(item: &Item, (copies, in_json): (&BTreeMap<String, String>, &InJson), out: &mut String) {
    let call = &item.call;
    out.push_str(&format!("# {}\n", item.heading()));
    let mut target = String::new();
    for (i, part) in call.target.iter().enumerate() {
        match part {
            Part::Env(e) | Part::Url(e) if i > 0 => {
                target.push_str(&template(copies.get(e).unwrap_or(e)))
            }
            part => target.push_str(&value(&vec![part.clone()])),
        }
    }
    out.push_str(&format!("{} {target}\n", call.method));
    for (name, v) in &call.headers {
        let form_type = matches!(call.body, Body::Form(_))
            && name.eq_ignore_ascii_case("content-type")
            && flatten(v, &|_| String::new()) == "application/x-www-form-urlencoded";
        if !form_type {
            out.push_str(&format!("{name}: {}\n", value(v)));
        }
    }
    if !call.query.is_empty() {
        out.push_str("[Query]\n");
        for (k, v) in &call.query {
            out.push_str(&format!("{}: {}\n", name(k), value(v)));
        }
    }
    if let Some((user, password)) = &call.basic {
        out.push_str(&format!(
            "[BasicAuth]\n{}: {}\n",
            value(user),
            value(password)
        ));
    }
    match &call.body {
        Body::None => {}
        Body::Form(fields) => {
            out.push_str("[Form]\n");
            for (k, v) in fields {
                out.push_str(&format!("{}: {}\n", name(k), value(v)));
            }
        }
        Body::Json(json) => {
            // Hurl fills `{{name}}` inside a JSON string with the value
            // JSON-escaped; a literal `{{` must not read as a template.
            // Hurl 8 decodes the escapes of an object key and sends the key
            // raw, so a key is escaped twice (tests/testsuite/hostile_exports.rs).
            let twice = |k: &str| json_escape(&json_escape(k));
            for part in json.pretty_keys(&twice) {
                match part {
                    Part::Lit(l) => out.push_str(&l.replace("{{", "\\u007b\\u007b")),
                    Part::Env(e) | Part::Url(e) | Part::Json(e) | Part::Typed(e, _) => {
                        out.push_str(&template(&e))
                    }
                }
            }
            out.push('\n');
        }
    }
    out.push_str(&format!("HTTP {}\n", item.req.status));
    if !item.captures.is_empty() {
        out.push_str("[Captures]\n");
        for c in &item.captures {
            out.push_str(&capture(&c.name, c, ""));
            if let Some(copy) = copies.get(&c.name) {
                out.push_str(&capture(copy, c, " urlEncode replace \"/\" \"%2F\""));
            }
        }
        out.push_str(&capture_asserts(item, in_json));
    }
}

/// A `[Captures]` line storing `c`'s value, after `filters`, as `name`.
fn capture(name: &str, c: &Captured, filters: &str) -> String {
    format!(
        "{}: jsonpath {}{filters}{}\n",
        key(name),
        quoted(&c.path),
        if c.secret { " redact" } else { "" }
    )
}

/// A Hurl quoted string: `"`, `\\` and line breaks escaped, `{` as an
/// escape so it never starts a template.
fn quoted(s: &str) -> String {
    let mut out = String::from('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '{' => out.push_str("\\u{7b}"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An interactive request: what the person does, and the variables it gives.
fn manual(item: &Item, out: &mut String) {
    out.push_str(&format!("# {}\n# {}\n", item.heading(), item.manual_note()));
    if !item.captures.is_empty() {
        out.push_str("# Then pass what it gives you:\n");
        for c in &item.captures {
            out.push_str(&format!(
                "#   --variable {}=…   ({} of the result)\n",
                c.name,
                super::one_line(&c.path)
            ));
        }
    }
}

/// A value in Hurl's unquoted value syntax, variables as `{{name}}`.
fn value(t: &Text) -> String {
    let mut s: String = t
        .iter()
        .map(|p| match p {
            Part::Lit(l) => escape(l),
            Part::Env(e) | Part::Url(e) | Part::Json(e) | Part::Typed(e, _) => template(e),
        })
        .collect();
    // Hurl trims unquoted values: keep their edge spaces as escapes.
    if s.starts_with(' ') {
        s.replace_range(..1, "\\u{20}");
    }
    if s.ends_with(' ') {
        s.truncate(s.len() - 1);
        s.push_str("\\u{20}");
    }
    s
}

fn escape(l: &str) -> String {
    let mut out = String::with_capacity(l.len());
    for c in l.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '#' => out.push_str("\\#"),
            '{' => out.push_str("\\u{7b}"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}

/// A query or form field name: Hurl encodes values but sends names as
/// written, so a name is percent-encoded first.
fn name(k: &str) -> String {
    key(&crate::call::percent_encode(k))
}

/// A key (form field, query name, capture) in Hurl's key syntax.
fn key(k: &str) -> String {
    k.chars()
        .map(|c| {
            if c.is_alphanumeric() || "_-.[]@$".contains(c) {
                c.to_string()
            } else {
                format!("\\u{{{:x}}}", c as u32)
            }
        })
        .collect()
}
