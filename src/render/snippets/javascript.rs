//! JavaScript with `fetch` (Node 20+ as an ES module, or a browser).
//! Secrets come from `process.env`; JSON bodies are serialised with
//! `JSON.stringify(body, null, 2)`, the same bytes cURL sends.
//!
//! Each piece is written with the scopes syntect's JavaScript grammar gives it.

use super::{concat, escaped_string, json_literal, number, pairs, quoted};
use super::{Code, Literals, StringScopes};
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
const INT: &str = "source.js constant.numeric.integer.decimal.js";
const FLOAT: &str = "source.js constant.numeric.float.decimal.js";
const POINT: &str = "source.js constant.numeric.float.decimal.js punctuation.separator.decimal.js";

/// A string literal.
fn string(s: &str, out: &mut Code) {
    escaped_string(&quoted(s), &STRING, &|t, out| out.push(t, STRING.text), out);
}

/// `process.env.NAME`.
fn env(name: &str, out: &mut Code) {
    out.push("process", NODE);
    out.plain(".");
    out.push("env", NODE);
    out.plain(".");
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        out.unsure(name);
    } else {
        out.plain(name);
    }
}

fn expr(t: &Text, out: &mut Code) {
    concat(t, out, &string, &env, ARITHMETIC);
}

fn json(j: &Json, depth: usize, out: &mut Code) {
    let lit = Literals {
        indent: "  ",
        null: ("null", "source.js constant.language.null.js"),
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
    out.push("const", STORAGE);
    out.plain(" ");
    out.push(name, BINDING);
    out.plain(" ");
    out.push("=", ASSIGN);
    out.plain(" ");
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
    s.push("await", AWAIT);
    s.plain(" ");
    s.push("fetch", FUNCTION);
    s.plain("(");
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
        s.plain(" ");
        s.push("+", ARITHMETIC);
        s.plain(" ");
        s.push("btoa", FUNCTION);
        s.plain("(");
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
            s.plain("  body: ");
            s.push("new", NEW);
            s.plain(" ");
            s.push("URLSearchParams", TYPE);
            s.plain("([\n");
            for (k, v) in fields {
                s.plain("    [");
                string(k, &mut s);
                s.plain(", ");
                expr(v, &mut s);
                s.plain("],\n");
            }
            s.plain("  ]).");
            s.push("toString", SUPPORT);
            s.plain("(),\n");
        }
        Body::Json(_) => {
            s.plain("  body: ");
            s.push("JSON", JSON);
            s.plain(".");
            s.push("stringify", BUILTIN);
            s.plain("(");
            s.push("body", VARIABLE);
            s.plain(", ");
            s.push("null", "source.js constant.language.null.js");
            s.plain(", ");
            s.push("2", INT);
            s.plain("),\n");
        }
    }
    s.plain("});\n");
    s.push("console", CONSOLE);
    s.plain(".");
    s.push("log", LOG);
    s.plain("(");
    s.push("response", VARIABLE);
    s.plain(".status, ");
    s.push("await", AWAIT);
    s.plain(" ");
    s.push("response", VARIABLE);
    s.plain(".");
    s.push("text", FUNCTION);
    s.plain("());\n");
    s
}
