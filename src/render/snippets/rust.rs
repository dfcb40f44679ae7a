//! Rust with `reqwest`'s blocking client. Secrets come from
//! `std::env::var`; the JSON body is the same text cURL sends.
//!
//! Each piece is written with its [`Kind`].

use super::{escaped_string, Code, Kind};
use crate::call::{Body, Call, Part, Text};
use crate::content::ValueType;

use Kind::{Comment, Function, Keyword, Number, Operator, Plain, Type};

/// The function a snippet with a value in its JSON body ends with.
const JSON_HELPER: &[(&str, Kind)] = &[
    ("\n/// `s` as the content of a JSON string.", Comment),
    ("\n", Plain),
    ("fn", Keyword),
    (" ", Plain),
    ("json", Function),
    ("(s: ", Plain),
    ("&", Operator),
    ("str", Type),
    (") ", Plain),
    ("->", Operator),
    (" ", Plain),
    ("String", Type),
    (" {\n    ", Plain),
    ("let", Keyword),
    (" quoted ", Plain),
    ("=", Operator),
    (" serde_json::", Plain),
    ("to_string", Function),
    ("(s).", Plain),
    ("unwrap_or_default", Function),
    ("();\n    quoted[", Plain),
    ("1", Number),
    ("..", Operator),
    ("quoted.", Plain),
    ("len", Function),
    ("() ", Plain),
    ("-", Operator),
    (" ", Plain),
    ("1", Number),
    ("].", Plain),
    ("to_owned", Function),
    ("()\n}\n", Plain),
];

/// The lines every snippet starts with.
const HEAD: &[(&str, Kind)] = &[
    (
        "// Cargo.toml: reqwest = { version = \"0.12\", features = [\"blocking\"] }",
        Comment,
    ),
    ("\n", Plain),
    ("fn", Keyword),
    (" ", Plain),
    ("main", Function),
    ("() ", Plain),
    ("->", Operator),
    (" ", Plain),
    ("Result", Type),
    ("<(), ", Plain),
    ("Box", Type),
    ("<", Plain),
    ("dyn", Keyword),
    (" std::error::Error>> {\n    ", Plain),
    ("let", Keyword),
    (" response ", Plain),
    ("=", Operator),
    (" reqwest::blocking::", Plain),
    ("Client", Type),
    ("::", Plain),
    ("new", Function),
    ("()\n", Plain),
];

/// A Rust string literal: a raw string (`r#"..."#`) when that reads
/// better (quotes, line breaks), else a plain one with Rust's escapes. In a
/// format string (`format` true) `{}`, `{{` and `}}` are escapes.
fn lit(s: &str, format: bool, out: &mut Code) {
    let printable = s.chars().all(|c| c == '\n' || !c.is_control());
    if !(printable && (s.contains('"') || s.contains('\n') || s.contains('\\'))) {
        let pieces = |t: &str, out: &mut Code| format_pieces(t, format, out);
        return escaped_string(&format!("{s:?}"), &pieces, out);
    }
    let mut hashes = String::from("#");
    while s.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    out.push(&format!("r{hashes}\""), Kind::String);
    format_pieces(s, format, out);
    out.push(&format!("\"{hashes}"), Kind::String);
}

/// Text of a string; in a format string, `{{`/`}}` and `{}` are escapes.
fn format_pieces(mut t: &str, format: bool, out: &mut Code) {
    while let Some(at) = t.find(['{', '}']).filter(|_| format) {
        out.push(&t[..at], Kind::String);
        let len = if ["{{", "}}", "{}"].iter().any(|p| t[at..].starts_with(p)) {
            2
        } else {
            1
        };
        out.push(&t[at..at + len], Kind::Escape);
        t = &t[at + len..];
    }
    out.push(t, Kind::String);
}

/// `std::env::var("NAME")?`.
fn env(name: &str, out: &mut Code) {
    out.plain("std::env::var(");
    lit(name, false, out);
    out.plain(")");
    out.push("?", Operator);
}

/// `std::env::var("NAME")?.parse::<i64>()?`: the value parsed as an
/// integer, a JSON number or a boolean, which stops the program on
/// anything else.
fn typed(name: &str, ty: ValueType, out: &mut Code) {
    env(name, out);
    out.plain(".");
    out.push("parse", Function);
    out.plain("::<");
    match ty {
        ValueType::Integer => out.push("i64", Type),
        ValueType::Number => {
            out.plain("serde_json::");
            out.push("Number", Type);
        }
        ValueType::Boolean => out.push("bool", Type),
    }
    out.plain(">()");
    out.push("?", Operator);
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
                    Part::Env(_) | Part::Url(_) | Part::Json(_) | Part::Typed(..) => {
                        fmt.push_str("{}")
                    }
                }
            }
            out.push("format!", Function);
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
                        out.push("&", Operator);
                        env(e, out);
                        out.plain(")");
                    }
                    Part::Json(e) => {
                        out.plain(", ");
                        out.push("json", Function);
                        out.plain("(");
                        out.push("&", Operator);
                        env(e, out);
                        out.plain(")");
                    }
                    Part::Typed(e, ty) => {
                        out.plain(", ");
                        typed(e, *ty, out);
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
    out.push(name, Function);
    out.plain("(");
}

/// The body on the builder chain: the form's fields (one type: `String`),
/// or the JSON text as cURL sends it.
fn body(body: &Body, s: &mut Code) {
    match body {
        Body::None => {}
        Body::Form(fields) => {
            method("form", s);
            s.push("&", Operator);
            s.plain("[\n");
            for (k, v) in fields {
                s.plain("            (");
                lit(k, false, s);
                s.plain(", ");
                // Form values need one type: `String`.
                expr(v, s);
                if matches!(v.as_slice(), [Part::Lit(_)] | []) {
                    s.plain(".");
                    s.push("to_string", Function);
                    s.plain("()");
                }
                s.plain("),\n");
            }
            s.plain("        ])\n");
        }
        Body::Json(j) => {
            method("body", s);
            expr(&j.pretty(), s);
            s.plain(")\n");
        }
    }
}

/// The Rust snippet.
pub fn generate(call: &Call) -> Code {
    let mut s = Code::new();
    if call.url.iter().any(|p| matches!(p, Part::Url(_))) {
        // A value in the URL is encoded with the `urlencoding` crate.
        s.extend(&[
            ("// Cargo.toml: urlencoding = \"2\"", Comment),
            ("\n", Plain),
        ]);
    }
    let json_values = matches!(&call.body, Body::Json(j) if j.pretty().iter().any(|p| matches!(p, Part::Json(_))));
    let numbers = matches!(&call.body, Body::Json(j) if j.pretty().iter().any(|p| matches!(p, Part::Typed(_, ValueType::Number))));
    if json_values || numbers {
        // A value in the JSON body is escaped by `serde_json`.
        s.extend(&[
            ("// Cargo.toml: serde_json = \"1\"", Comment),
            ("\n", Plain),
        ]);
    }
    s.extend(HEAD);
    method("request", &mut s);
    s.plain("reqwest::Method::");
    let m = &call.method;
    s.push(m, Kind::Constant);
    s.plain(", ");
    expr(&call.url, &mut s);
    s.plain(")\n");
    if let Some((user, password)) = &call.basic {
        method("basic_auth", &mut s);
        expr(user, &mut s);
        s.plain(", ");
        s.push("Some", Type);
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
    body(&call.body, &mut s);
    method("send", &mut s);
    s.plain(")");
    s.push("?", Operator);
    s.plain(";\n    ");
    s.push("println!", Function);
    s.plain("(");
    lit("{} {}", true, &mut s);
    s.extend(&[
        (", response.", Plain),
        ("status", Function),
        ("(), response.", Plain),
        ("text", Function),
        ("()", Plain),
        ("?", Operator),
        (");\n    ", Plain),
        ("Ok", Type),
        ("(())\n}\n", Plain),
    ]);
    if json_values {
        s.extend(JSON_HELPER);
    }
    s
}
