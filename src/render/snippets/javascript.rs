//! JavaScript with `fetch` (Node 20+ as an ES module, or a browser).
//! Secrets come from `process.env`; JSON bodies are serialised with
//! `JSON.stringify(body, null, 2)`, the same bytes cURL sends.
//!
//! Each piece is written with the scopes syntect's JavaScript grammar gives it.

use super::{concat, escaped_string, json_literal, number, pairs, quoted};
use super::{Code, Literals, StringScopes, Vars};
use crate::content::call::{Body, Call, Json, Text};

const STORAGE: &str = "source.js storage.type.js";
const BINDING: &str = "source.js meta.binding.name.js variable.other.readwrite.js";
const VARIABLE: &str = "source.js variable.other.readwrite.js";
const ASSIGN: &str = "source.js keyword.operator.assignment.js";
const ARITHMETIC: &str = "source.js keyword.operator.arithmetic.js";
const AWAIT: &str = "source.js keyword.control.flow.await.js";
const NEW: &str = "source.js keyword.operator.word.new.js";
const TYPE: &str = "source.js meta.function-call.constructor.js variable.type.js";
const FUNCTION: &str = "source.js meta.function-call.js variable.function.js";
const NODE: &str = "source.js support.constant.node.js";
const JSON: &str = "source.js meta.function-call.method.js support.constant.builtin.js";
const BUILTIN: &str = "source.js meta.function-call.method.js support.function.builtin.js";
const SUPPORT: &str = "source.js meta.function-call.method.js support.function.js";
const CONSOLE: &str = "source.js meta.function-call.method.js support.type.object.console.js";
const LOG: &str = "source.js meta.function-call.method.js support.function.console.js";
const STRING: StringScopes = StringScopes {
    quote:
        "source.js meta.string.js string.quoted.double.js punctuation.definition.string.begin.js",
    text: "source.js meta.string.js string.quoted.double.js",
    escape: "source.js meta.string.js string.quoted.double.js constant.character.escape.js",
    unicode: "source.js meta.string.js string.quoted.double.js constant.character.escape.js",
};
const NULL: &str = "source.js constant.language.null.js";
const INT: &str = "source.js constant.numeric.integer.decimal.js";
const FLOAT: &str = "source.js constant.numeric.float.decimal.js";
const POINT: &str = "source.js constant.numeric.float.decimal.js punctuation.separator.decimal.js";

/// A string literal.
fn string(s: &str, out: &mut Code) {
    escaped_string(&quoted(s), &STRING, &|t, out| out.push(t, STRING.text), out);
}

/// `process.env.NAME`.
fn env(name: &str, out: &mut Code) {
    out.extend(&[("process", NODE), (".", ""), ("env", NODE), (".", "")]);
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        out.unsure(name);
    } else {
        out.plain(name);
    }
}

/// `encodeURIComponent(process.env.NAME)`: one percent-encoded URL component.
fn url_env(name: &str, out: &mut Code) {
    out.extend(&[
        (
            "encodeURIComponent",
            "source.js support.function.builtin.js",
        ),
        ("(", ""),
    ]);
    env(name, out);
    out.plain(")");
}

fn expr(t: &Text, out: &mut Code) {
    let vars = Vars {
        env: &env,
        url: &url_env,
        json: &env,
    };
    concat(t, out, &string, &vars, ARITHMETIC);
}

fn json(j: &Json, depth: usize, out: &mut Code) {
    let lit = Literals {
        indent: "  ",
        null: ("null", NULL),
        yes: ("true", "source.js constant.language.boolean.true.js"),
        no: ("false", "source.js constant.language.boolean.false.js"),
        number: &|n, out| number(n, [ARITHMETIC, INT, FLOAT, POINT], out),
        key: &string,
        expr: &expr,
    };
    json_literal(j, &lit, depth, out);
}

/// `const name = `.
fn binding(name: &str, out: &mut Code) {
    out.extend(&[("const", STORAGE), (" ", ""), (name, BINDING)]);
    out.extend(&[(" ", ""), ("=", ASSIGN), (" ", "")]);
}

/// The JavaScript snippet.
pub fn generate(call: &Call) -> Code {
    let mut s = Code::new();
    if let Body::Json(j) = &call.body {
        binding("body", &mut s);
        json(j, 0, &mut s);
        s.plain(";\n\n");
    }
    binding("response", &mut s);
    s.extend(&[("await", AWAIT), (" ", ""), ("fetch", FUNCTION), ("(", "")]);
    expr(&call.url, &mut s);
    s.plain(", {\n  method: ");
    string(&call.method, &mut s);
    s.plain(",\n");
    if let Some((user, password)) = &call.basic {
        // HTTP Basic: base64 of `user:password`, which fetch does not do itself.
        s.plain("  headers: {\n    ");
        string("Authorization", &mut s);
        s.plain(": ");
        string("Basic ", &mut s);
        s.extend(&[
            (" ", ""),
            ("+", ARITHMETIC),
            (" ", ""),
            ("btoa", FUNCTION),
            ("(", ""),
        ]);
        expr(&crate::content::call::basic_pair(user, password), &mut s);
        s.plain("),\n");
        for (k, v) in &call.headers {
            s.plain("    ");
            string(k, &mut s);
            s.plain(": ");
            expr(v, &mut s);
            s.plain(",\n");
        }
        s.plain("  },\n");
    } else if !call.headers.is_empty() {
        s.plain("  headers: ");
        json(&pairs(&call.headers), 1, &mut s);
        s.plain(",\n");
    }
    match &call.body {
        Body::None => {}
        Body::Form(fields) => {
            s.extend(&[
                ("  body: ", ""),
                ("new", NEW),
                (" ", ""),
                ("URLSearchParams", TYPE),
                ("([\n", ""),
            ]);
            for (k, v) in fields {
                s.plain("    [");
                string(k, &mut s);
                s.plain(", ");
                expr(v, &mut s);
                s.plain("],\n");
            }
            s.extend(&[("  ]).", ""), ("toString", SUPPORT), ("(),\n", "")]);
        }
        Body::Json(_) => {
            s.extend(&[
                ("  body: ", ""),
                ("JSON", JSON),
                (".", ""),
                ("stringify", BUILTIN),
                ("(", ""),
                ("body", VARIABLE),
                (", ", ""),
                ("null", NULL),
                (", ", ""),
                ("2", INT),
                ("),\n", ""),
            ]);
        }
    }
    s.extend(&[
        ("});\n", ""),
        ("console", CONSOLE),
        (".", ""),
        ("log", LOG),
        ("(", ""),
        ("response", VARIABLE),
        (".status, ", ""),
        ("await", AWAIT),
        (" ", ""),
        ("response", VARIABLE),
        (".", ""),
        ("text", FUNCTION),
        ("());\n", ""),
    ]);
    s
}
