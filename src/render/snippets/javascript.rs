//! JavaScript with `fetch` (Node 20+ as an ES module, or a browser).
//! Secrets come from `process.env`; JSON bodies are serialised with
//! `JSON.stringify(body, null, 2)`, the same bytes cURL sends.
//!
//! Each piece is written with its [`Kind`].

use super::{concat, escaped_string, json_literal, pairs, quoted};
use super::{Code, Kind, Literals, Vars};
use crate::call::{Body, Call, Json, Text};
use crate::content::ValueType;

/// The helper a snippet whose body has a typed value starts with: the
/// variable parsed as JSON, refused unless it is of the type wanted.
const TYPED_HELPER: &[(&str, Kind)] = &[
    (
        "// A value sent as a JSON number or boolean, checked first.\n",
        Kind::Comment,
    ),
    ("const", Kind::Keyword),
    (" ", Kind::Plain),
    ("typed", Kind::Function),
    (" ", Kind::Plain),
    ("=", Kind::Operator),
    (" (", Kind::Plain),
    ("name", Kind::Parameter),
    (", ", Kind::Plain),
    ("type", Kind::Parameter),
    (") ", Kind::Plain),
    ("=>", Kind::Operator),
    (" {\n  ", Kind::Plain),
    ("const", Kind::Keyword),
    (" value ", Kind::Plain),
    ("=", Kind::Operator),
    (" ", Kind::Plain),
    ("JSON", Kind::Type),
    (".", Kind::Plain),
    ("parse", Kind::Function),
    ("(", Kind::Plain),
    ("process", Kind::Variable),
    (".env[name]);\n  ", Kind::Plain),
    ("if", Kind::Keyword),
    (" (", Kind::Plain),
    ("typeof", Kind::Keyword),
    (" value ", Kind::Plain),
    ("!==", Kind::Operator),
    (" type) ", Kind::Plain),
    ("throw", Kind::Keyword),
    (" ", Kind::Plain),
    ("new", Kind::Keyword),
    (" ", Kind::Plain),
    ("TypeError", Kind::Type),
    ("(", Kind::Plain),
    ("`${", Kind::String),
    ("name", Kind::Plain),
    ("} is not a ${", Kind::String),
    ("type", Kind::Plain),
    ("}`", Kind::String),
    (");\n  ", Kind::Plain),
    ("return", Kind::Keyword),
    (" value;\n};\n\n", Kind::Plain),
];

/// `typed("NAME", "number")`: the variable as a checked number or boolean.
fn typed(name: &str, ty: ValueType, out: &mut Code) {
    out.push("typed", Kind::Function);
    out.plain("(");
    string(name, out);
    out.plain(", ");
    string(
        match ty {
            ValueType::Integer | ValueType::Number => "number",
            ValueType::Boolean => "boolean",
        },
        out,
    );
    out.plain(")");
}

/// A string literal.
fn string(s: &str, out: &mut Code) {
    escaped_string(&quoted(s), &|t, out| out.push(t, Kind::String), out);
}

/// `process.env.NAME`.
fn env(name: &str, out: &mut Code) {
    out.extend(&[("process", Kind::Variable), (".env.", Kind::Plain)]);
    out.plain(name);
}

/// `encodeURIComponent(process.env.NAME)`: one percent-encoded URL component.
fn url_env(name: &str, out: &mut Code) {
    out.extend(&[("encodeURIComponent", Kind::Function), ("(", Kind::Plain)]);
    env(name, out);
    out.plain(")");
}

fn expr(t: &Text, out: &mut Code) {
    let vars = Vars {
        env: &env,
        url: &url_env,
        json: &env,
        typed: &typed,
    };
    concat(t, out, &string, &vars);
}

fn json(j: &Json, depth: usize, out: &mut Code) {
    let lit = Literals {
        indent: "  ",
        null: "null",
        yes: "true",
        no: "false",
        key: &string,
        expr: &expr,
        typed: &typed,
    };
    json_literal(j, &lit, depth, out);
}

/// `const name = `.
fn binding(name: &str, out: &mut Code) {
    out.extend(&[
        ("const", Kind::Keyword),
        (" ", Kind::Plain),
        (name, Kind::Variable),
    ]);
    out.extend(&[
        (" ", Kind::Plain),
        ("=", Kind::Operator),
        (" ", Kind::Plain),
    ]);
}

/// The `headers:` option: an object literal, or, with HTTP Basic, the
/// `Authorization` header computed first.
fn headers(call: &Call, s: &mut Code) {
    if let Some((user, password)) = &call.basic {
        // HTTP Basic: base64 of `user:password`, which fetch does not do itself.
        s.plain("  headers: {\n    ");
        string("Authorization", s);
        s.plain(": ");
        string("Basic ", s);
        s.extend(&[
            (" ", Kind::Plain),
            ("+", Kind::Operator),
            (" ", Kind::Plain),
            ("btoa", Kind::Function),
            ("(", Kind::Plain),
        ]);
        expr(&crate::call::basic_pair(user, password), s);
        s.plain("),\n");
        for (k, v) in &call.headers {
            s.plain("    ");
            string(k, s);
            s.plain(": ");
            expr(v, s);
            s.plain(",\n");
        }
        s.plain("  },\n");
    } else if !call.headers.is_empty() {
        s.plain("  headers: ");
        json(&pairs(&call.headers), 1, s);
        s.plain(",\n");
    }
}

/// The `body:` option: the form encoded by `URLSearchParams`, or the JSON
/// serialised as cURL sends it.
fn body(body: &Body, s: &mut Code) {
    match body {
        Body::None => {}
        Body::Form(fields) => {
            s.extend(&[
                ("  body: ", Kind::Plain),
                ("new", Kind::Keyword),
                (" ", Kind::Plain),
                ("URLSearchParams", Kind::Type),
                ("([\n", Kind::Plain),
            ]);
            for (k, v) in fields {
                s.plain("    [");
                string(k, s);
                s.plain(", ");
                expr(v, s);
                s.plain("],\n");
            }
            s.extend(&[
                ("  ]).", Kind::Plain),
                ("toString", Kind::Function),
                ("(),\n", Kind::Plain),
            ]);
        }
        Body::Json(_) => {
            s.extend(&[
                ("  body: ", Kind::Plain),
                ("JSON", Kind::Type),
                (".", Kind::Plain),
                ("stringify", Kind::Function),
                ("(", Kind::Plain),
                ("body", Kind::Variable),
                (", ", Kind::Plain),
                ("null", Kind::Constant),
                (", ", Kind::Plain),
                ("2", Kind::Number),
                ("),\n", Kind::Plain),
            ]);
        }
    }
}

/// The JavaScript snippet.
pub fn generate(call: &Call) -> Code {
    let mut s = Code::new();
    if let Body::Json(j) = &call.body {
        if j.has_typed() {
            s.extend(TYPED_HELPER);
        }
        binding("body", &mut s);
        json(j, 0, &mut s);
        s.plain(";\n\n");
    }
    binding("response", &mut s);
    s.extend(&[
        ("await", Kind::Keyword),
        (" ", Kind::Plain),
        ("fetch", Kind::Function),
        ("(", Kind::Plain),
    ]);
    expr(&call.url, &mut s);
    s.plain(", {\n  method: ");
    string(&call.method, &mut s);
    s.plain(",\n");
    headers(call, &mut s);
    body(&call.body, &mut s);
    s.extend(&[
        ("});\n", Kind::Plain),
        ("console", Kind::Type),
        (".", Kind::Plain),
        ("log", Kind::Function),
        ("(", Kind::Plain),
        ("response", Kind::Variable),
        (".status, ", Kind::Plain),
        ("await", Kind::Keyword),
        (" ", Kind::Plain),
        ("response", Kind::Variable),
        (".", Kind::Plain),
        ("text", Kind::Function),
        ("());\n", Kind::Plain),
    ]);
    s
}
