//! Rust with `reqwest`'s blocking client. Secrets come from
//! `std::env::var`; the JSON body is the same text cURL sends.
//!
//! Each piece is written with the scopes syntect's Rust grammar gives it.

use super::{escaped_string, Code, StringScopes};
use crate::content::call::{Body, Call, Part, Text};

const STORAGE: &str = "source.rust storage.type.rust";
const SUPPORT_TYPE: &str = "source.rust support.type.rust";
const CONSTANT: &str = "source.rust constant.other.rust";
const FUNCTION: &str = "source.rust support.function.rust";
const MACRO: &str = "source.rust support.macro.rust";
const OPERATOR: &str = "source.rust keyword.operator.rust";
const BITWISE: &str = "source.rust keyword.operator.bitwise.rust";
const ASSIGN: &str = "source.rust keyword.operator.assignment.rust";
const STRING: StringScopes = StringScopes {
    quote: "source.rust string.quoted.double.rust punctuation.definition.string.begin.rust",
    text: "source.rust string.quoted.double.rust",
    escape: "source.rust string.quoted.double.rust constant.character.escape.rust",
    unicode: "source.rust string.quoted.double.rust constant.character.escape.rust",
};
const PLACEHOLDER: &str = "source.rust string.quoted.double.rust constant.other.placeholder.rust";
const RAW_PREFIX: &str = "source.rust string.quoted.double.raw.rust storage.type.string.rust";
const RAW_QUOTE: &str =
    "source.rust string.quoted.double.raw.rust punctuation.definition.string.begin.rust";
const RAW_TEXT: &str = "source.rust string.quoted.double.raw.rust";
const RAW_ESCAPE: &str = "source.rust string.quoted.double.raw.rust constant.character.escape.rust";
const RAW_PLACEHOLDER: &str =
    "source.rust string.quoted.double.raw.rust constant.other.placeholder.rust";

/// The function a snippet with a value in its JSON body ends with.
const JSON_HELPER: &[(&str, &str)] = &[
    ("\n", ""),
    ("///", "source.rust comment.line.documentation.rust punctuation.definition.comment.rust"),
    (" `s` as the content of a JSON string.\n", "source.rust comment.line.documentation.rust"),
    ("fn", "source.rust meta.function.rust meta.function.rust storage.type.function.rust"),
    (" ", "source.rust meta.function.rust meta.function.rust"),
    ("json", "source.rust meta.function.rust entity.name.function.rust"),
    ("(", "source.rust meta.function.rust meta.function.parameters.rust punctuation.section.parameters.begin.rust"),
    ("s", "source.rust meta.function.rust meta.function.parameters.rust variable.parameter.rust"),
    (":", "source.rust meta.function.rust meta.function.parameters.rust punctuation.separator.rust"),
    (" ", "source.rust meta.function.rust meta.function.parameters.rust"),
    ("&", "source.rust meta.function.rust meta.function.parameters.rust keyword.operator.rust"),
    ("str", "source.rust meta.function.rust meta.function.parameters.rust storage.type.rust"),
    (")", "source.rust meta.function.rust meta.function.rust meta.function.parameters.rust punctuation.section.parameters.end.rust"),
    (" ", "source.rust meta.function.rust"),
    ("->", "source.rust meta.function.rust meta.function.return-type.rust punctuation.separator.rust"),
    (" String", "source.rust meta.function.rust meta.function.return-type.rust"),
    (" ", "source.rust meta.function.rust"),
    ("{", "source.rust meta.function.rust meta.block.rust punctuation.section.block.begin.rust"),
    ("\n    ", "source.rust meta.function.rust meta.block.rust"),
    ("let", "source.rust meta.function.rust meta.block.rust storage.type.rust"),
    (" quoted ", "source.rust meta.function.rust meta.block.rust"),
    ("=", "source.rust meta.function.rust meta.block.rust keyword.operator.assignment.rust"),
    (" ", "source.rust meta.function.rust meta.block.rust"),
    ("serde_json", "source.rust meta.function.rust meta.block.rust meta.path.rust"),
    ("::", "source.rust meta.function.rust meta.block.rust meta.path.rust punctuation.accessor.rust"),
    ("to_string", "source.rust meta.function.rust meta.block.rust"),
    ("(", "source.rust meta.function.rust meta.block.rust meta.group.rust punctuation.section.group.begin.rust"),
    ("s", "source.rust meta.function.rust meta.block.rust meta.group.rust"),
    (")", "source.rust meta.function.rust meta.block.rust meta.group.rust punctuation.section.group.end.rust"),
    (".", "source.rust meta.function.rust meta.block.rust punctuation.accessor.dot.rust"),
    ("unwrap_or_default", "source.rust meta.function.rust meta.block.rust support.function.rust"),
    ("(", "source.rust meta.function.rust meta.block.rust meta.group.rust punctuation.section.group.begin.rust"),
    (")", "source.rust meta.function.rust meta.block.rust meta.group.rust punctuation.section.group.end.rust"),
    (";", "source.rust meta.function.rust meta.block.rust punctuation.terminator.rust"),
    ("\n    quoted", "source.rust meta.function.rust meta.block.rust"),
    ("[", "source.rust meta.function.rust meta.block.rust meta.group.rust punctuation.section.group.begin.rust"),
    ("1", "source.rust meta.function.rust meta.block.rust meta.group.rust constant.numeric.integer.decimal.rust"),
    ("..", "source.rust meta.function.rust meta.block.rust meta.group.rust keyword.operator.range.rust"),
    ("quoted", "source.rust meta.function.rust meta.block.rust meta.group.rust"),
    (".", "source.rust meta.function.rust meta.block.rust meta.group.rust punctuation.accessor.dot.rust"),
    ("len", "source.rust meta.function.rust meta.block.rust meta.group.rust support.function.rust"),
    ("(", "source.rust meta.function.rust meta.block.rust meta.group.rust meta.group.rust punctuation.section.group.begin.rust"),
    (")", "source.rust meta.function.rust meta.block.rust meta.group.rust meta.group.rust punctuation.section.group.end.rust"),
    (" ", "source.rust meta.function.rust meta.block.rust meta.group.rust"),
    ("-", "source.rust meta.function.rust meta.block.rust meta.group.rust keyword.operator.arithmetic.rust"),
    (" ", "source.rust meta.function.rust meta.block.rust meta.group.rust"),
    ("1", "source.rust meta.function.rust meta.block.rust meta.group.rust constant.numeric.integer.decimal.rust"),
    ("]", "source.rust meta.function.rust meta.block.rust meta.group.rust punctuation.section.group.end.rust"),
    (".", "source.rust meta.function.rust meta.block.rust punctuation.accessor.dot.rust"),
    ("to_owned", "source.rust meta.function.rust meta.block.rust support.function.rust"),
    ("(", "source.rust meta.function.rust meta.block.rust meta.group.rust punctuation.section.group.begin.rust"),
    (")", "source.rust meta.function.rust meta.block.rust meta.group.rust punctuation.section.group.end.rust"),
    ("\n", "source.rust meta.function.rust meta.block.rust"),
    ("}", "source.rust meta.function.rust meta.block.rust punctuation.section.block.end.rust"),
    ("\n", "source.rust"),
];

/// The lines every snippet starts with, and their scopes.
const HEAD: &[(&str, &str)] = &[
    (
        "//",
        "source.rust comment.line.double-slash.rust punctuation.definition.comment.rust",
    ),
    (
        " Cargo.toml: reqwest = { version = \"0.12\", features = [\"blocking\"] }\n",
        "source.rust comment.line.double-slash.rust",
    ),
    (
        "fn",
        "source.rust meta.function.rust storage.type.function.rust",
    ),
    (" ", ""),
    (
        "main",
        "source.rust meta.function.rust entity.name.function.rust",
    ),
    ("() -> ", ""),
    ("Result", SUPPORT_TYPE),
    ("<(), ", ""),
    ("Box", SUPPORT_TYPE),
    ("<dyn std::error::Error>> {\n    ", ""),
    ("let", STORAGE),
    (" response ", ""),
    ("=", ASSIGN),
    (" reqwest::blocking::Client::new()\n", ""),
];

/// A Rust string literal: a raw string (`r#"..."#`) when that reads
/// better (quotes, line breaks), else a plain one with Rust's escapes. A
/// format string (`format` true) has its `{}` and `{{`/`}}` scoped.
fn lit(s: &str, format: bool, out: &mut Code) {
    let printable = s.chars().all(|c| c == '\n' || !c.is_control());
    if !(printable && (s.contains('"') || s.contains('\n') || s.contains('\\'))) {
        let (text, escape, placeholder) = (STRING.text, STRING.escape, PLACEHOLDER);
        let pieces =
            |t: &str, out: &mut Code| format_pieces(t, format, [text, escape, placeholder], out);
        return escaped_string(&format!("{s:?}"), &STRING, &pieces, out);
    }
    let mut hashes = String::from("#");
    while s.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    out.push("r", RAW_PREFIX);
    if format {
        // In a format string the grammar takes the opening quote for text.
        out.push(&hashes, RAW_QUOTE);
        out.push("\"", RAW_TEXT);
    } else {
        out.push(&format!("{hashes}\""), RAW_QUOTE);
    }
    format_pieces(s, format, [RAW_TEXT, RAW_ESCAPE, RAW_PLACEHOLDER], out);
    out.push(&format!("\"{hashes}"), RAW_QUOTE);
}

/// Text of a string; in a format string, `{{`/`}}` escapes and `{}`
/// placeholders. `scopes`: text, escape, placeholder.
fn format_pieces(mut t: &str, format: bool, scopes: [&'static str; 3], out: &mut Code) {
    let [text, escape, placeholder] = scopes;
    while let Some(at) = t.find(['{', '}']).filter(|_| format) {
        out.push(&t[..at], text);
        let (len, scope) = match &t[at..] {
            r if r.starts_with("{{") || r.starts_with("}}") => (2, escape),
            r if r.starts_with("{}") => (2, placeholder),
            _ => (1, ""),
        };
        if scope.is_empty() {
            out.unsure(&t[at..at + 1]);
        } else {
            out.push(&t[at..at + len], scope);
        }
        t = &t[at + len..];
    }
    out.push(t, text);
}

/// `std::env::var("NAME")?`.
fn env(name: &str, out: &mut Code) {
    out.plain("std::env::var(");
    lit(name, false, out);
    out.plain(")");
    out.push("?", OPERATOR);
}

/// An expression of type `String` or `&str` for `t`.
fn expr(t: &Text, out: &mut Code) {
    match t.as_slice() {
        [] => lit("", false, out),
        [Part::Lit(l)] => lit(l, false, out),
        [Part::Env(e)] => env(e, out),
        parts => {
            let mut fmt = String::new();
            for p in parts {
                match p {
                    Part::Lit(l) => fmt.push_str(&l.replace('{', "{{").replace('}', "}}")),
                    Part::Env(_) | Part::Url(_) | Part::Json(_) => fmt.push_str("{}"),
                }
            }
            out.push("format!", MACRO);
            out.plain("(");
            lit(&fmt, true, out);
            for p in parts {
                match p {
                    Part::Env(e) => {
                        out.plain(", ");
                        env(e, out);
                    }
                    Part::Url(e) => {
                        out.plain(", urlencoding::encode(");
                        out.push("&", BITWISE);
                        env(e, out);
                        out.plain(")");
                    }
                    Part::Json(e) => {
                        out.plain(", ");
                        out.push("json", FUNCTION);
                        out.plain("(");
                        out.push("&", BITWISE);
                        env(e, out);
                        out.plain(")");
                    }
                    Part::Lit(_) => {}
                }
            }
            out.plain(")");
        }
    }
}

/// `.name(` on a line of the builder chain.
fn method(name: &str, out: &mut Code) {
    out.plain("        .");
    out.push(name, FUNCTION);
    out.plain("(");
}

/// The Rust snippet.
pub fn generate(call: &Call) -> Code {
    let mut s = Code::new();
    if call.url.iter().any(|p| matches!(p, Part::Url(_))) {
        // A value in the URL is encoded with the `urlencoding` crate.
        s.extend(&[
            ("//", HEAD[0].1),
            (" Cargo.toml: urlencoding = \"2\"\n", HEAD[1].1),
        ]);
    }
    let json_values = matches!(&call.body, Body::Json(j) if j.pretty().iter().any(|p| matches!(p, Part::Json(_))));
    if json_values {
        // A value in the JSON body is escaped by `serde_json`.
        s.extend(&[
            ("//", HEAD[0].1),
            (" Cargo.toml: serde_json = \"1\"\n", HEAD[1].1),
        ]);
    }
    s.extend(HEAD);
    method("request", &mut s);
    s.plain("reqwest::Method::");
    let m = &call.method;
    if m.len() >= 2 && m.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
        s.push(m, CONSTANT);
    } else {
        s.unsure(m);
    }
    s.plain(", ");
    expr(&call.url, &mut s);
    s.plain(")\n");
    if let Some((user, password)) = &call.basic {
        method("basic_auth", &mut s);
        expr(user, &mut s);
        s.plain(", ");
        s.push("Some", SUPPORT_TYPE);
        s.plain("(");
        expr(password, &mut s);
        s.plain("))\n");
    }
    for (k, v) in &call.headers {
        method("header", &mut s);
        lit(k, false, &mut s);
        s.plain(", ");
        expr(v, &mut s);
        s.plain(")\n");
    }
    match &call.body {
        Body::None => {}
        Body::Form(fields) => {
            method("form", &mut s);
            s.push("&", OPERATOR);
            s.plain("[\n");
            for (k, v) in fields {
                s.plain("            (");
                lit(k, false, &mut s);
                s.plain(", ");
                // Form values need one type: `String`.
                expr(v, &mut s);
                if matches!(v.as_slice(), [Part::Lit(_)] | []) {
                    s.plain(".");
                    s.push("to_string", FUNCTION);
                    s.plain("()");
                }
                s.plain("),\n");
            }
            s.plain("        ])\n");
        }
        Body::Json(j) => {
            method("body", &mut s);
            expr(&j.pretty(), &mut s);
            s.plain(")\n");
        }
    }
    method("send", &mut s);
    s.plain(")");
    s.push("?", OPERATOR);
    s.plain(";\n    ");
    s.push("println!", MACRO);
    s.plain("(");
    lit("{} {}", true, &mut s);
    s.extend(&[
        (", response.", ""),
        ("status", FUNCTION),
        ("(), response.", ""),
        ("text", FUNCTION),
        ("()", ""),
        ("?", OPERATOR),
        (");\n    ", ""),
        ("Ok", SUPPORT_TYPE),
        ("(())\n}\n", ""),
    ]);
    if json_values {
        s.extend(JSON_HELPER);
    }
    s
}
