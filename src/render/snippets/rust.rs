//! Rust with `reqwest`'s blocking client. Secrets come from
//! `std::env::var`; the JSON body is the same text cURL sends.

use crate::content::call::{Body, Call, Part, Text};

/// A Rust string literal: a raw string (`r#"..."#`) when that reads
/// better (quotes, line breaks), else a plain one with Rust's escapes.
fn lit(s: &str) -> String {
    let printable = s.chars().all(|c| c == '\n' || !c.is_control());
    if printable && (s.contains('"') || s.contains('\n') || s.contains('\\')) {
        let mut hashes = String::from("#");
        while s.contains(&format!("\"{hashes}")) {
            hashes.push('#');
        }
        format!("r{hashes}\"{s}\"{hashes}")
    } else {
        format!("{s:?}")
    }
}

/// An expression of type `String` or `&str` for `t`.
fn expr(t: &Text) -> String {
    match t.as_slice() {
        [] => "\"\"".into(),
        [Part::Lit(l)] => lit(l),
        [Part::Env(e)] => format!("std::env::var({})?", lit(e)),
        parts => {
            let mut fmt = String::new();
            let mut args = Vec::new();
            for p in parts {
                match p {
                    Part::Lit(l) => fmt.push_str(&l.replace('{', "{{").replace('}', "}}")),
                    Part::Env(e) => {
                        fmt.push_str("{}");
                        args.push(format!("std::env::var({})?", lit(e)));
                    }
                }
            }
            format!("format!({}, {})", lit(&fmt), args.join(", "))
        }
    }
}

/// The Rust snippet.
pub fn generate(call: &Call) -> String {
    let mut s = String::from(
        "// Cargo.toml: reqwest = { version = \"0.12\", features = [\"blocking\"] }\n",
    );
    s.push_str("fn main() -> Result<(), Box<dyn std::error::Error>> {\n    let response = reqwest::blocking::Client::new()\n");
    s.push_str(&format!(
        "        .request(reqwest::Method::{}, {})\n",
        call.method,
        expr(&call.url)
    ));
    if let Some((user, password)) = &call.basic {
        s.push_str(&format!(
            "        .basic_auth({}, Some({}))\n",
            expr(user),
            expr(password)
        ));
    }
    for (k, v) in &call.headers {
        s.push_str(&format!("        .header({}, {})\n", lit(k), expr(v)));
    }
    match &call.body {
        Body::None => {}
        Body::Form(fields) => {
            s.push_str("        .form(&[\n");
            for (k, v) in fields {
                s.push_str(&format!("            ({}, {}),\n", lit(k), owned(v)));
            }
            s.push_str("        ])\n");
        }
        Body::Json(j) => s.push_str(&format!("        .body({})\n", expr(&j.pretty()))),
    }
    s.push_str("        .send()?;\n    println!(\"{} {}\", response.status(), response.text()?);\n    Ok(())\n}\n");
    s
}

/// An expression of type `String` for `t` (form values need one type).
fn owned(t: &Text) -> String {
    match t.as_slice() {
        [Part::Lit(_)] | [] => format!("{}.to_string()", expr(t)),
        _ => expr(t),
    }
}
