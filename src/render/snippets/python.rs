//! Python with `requests`. Secrets come from `os.environ`; the body is sent
//! as the same bytes the cURL version sends (form fields encoded by
//! `requests`, JSON serialised with `indent=2` and non-ASCII kept).
//!
//! Each piece is written with its [`Kind`].

use super::{concat, escaped_string, json_literal, pairs, quoted};
use super::{Code, Kind, Literals, Vars};
use crate::call::{Body, Call, Json, Part, Text};
use crate::content::ValueType;

/// A string literal.
fn string(s: &str, out: &mut Code) {
    escaped_string(&quoted(s), &|t, out| out.push(t, Kind::String), out);
}

/// `os.environ["NAME"]`.
fn env(name: &str, out: &mut Code) {
    out.plain("os.environ[");
    string(name, out);
    out.plain("]");
}

/// `quote(os.environ["NAME"], safe="")`: one percent-encoded URL component.
fn url_env(name: &str, out: &mut Code) {
    out.push("quote", Kind::Function);
    out.plain("(");
    env(name, out);
    out.plain(", ");
    out.push("safe", Kind::Parameter);
    out.push("=", Kind::Operator);
    string("", out);
    out.plain(")");
}

/// The variable's value as a Python `int`, `float` or `bool`: anything
/// else raises before the request is sent.
fn typed(name: &str, ty: ValueType, out: &mut Code) {
    let convert = match ty {
        ValueType::Integer => "int",
        ValueType::Number => "float",
        ValueType::Boolean => {
            out.plain("{");
            string("true", out);
            out.plain(": ");
            out.push("True", Kind::Constant);
            out.plain(", ");
            string("false", out);
            out.plain(": ");
            out.push("False", Kind::Constant);
            out.plain("}[");
            env(name, out);
            out.plain("]");
            return;
        }
    };
    out.push(convert, Kind::Function);
    out.plain("(");
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
        indent: "    ",
        null: "None",
        yes: "True",
        no: "False",
        key: &string,
        expr: &expr,
        typed: &typed,
    };
    json_literal(j, &lit, depth, out);
}

/// `name=` inside a call.
fn keyword(name: &str, out: &mut Code) {
    out.plain("    ");
    out.push(name, Kind::Parameter);
    out.push("=", Kind::Operator);
}

/// An `import` line.
fn import(name: &str, out: &mut Code) {
    out.push("import", Kind::Keyword);
    out.plain(&format!(" {name}\n"));
}

/// The imports the snippet needs.
fn imports(call: &Call, s: &mut Code) {
    if matches!(call.body, Body::Json(_)) {
        import("json", s);
    }
    import("os", s);
    if call.url.iter().any(|p| matches!(p, Part::Url(_))) {
        s.extend(&[
            ("from", Kind::Keyword),
            (" urllib.parse ", Kind::Plain),
            ("import", Kind::Keyword),
            (" quote\n", Kind::Plain),
        ]);
    }
    s.plain("\n");
    import("requests", s);
    s.plain("\n");
}

/// The `data=` argument: the form's fields, or the JSON serialised as cURL
/// sends it.
fn data(body: &Body, s: &mut Code) {
    match body {
        Body::None => {}
        Body::Form(fields) => {
            keyword("data", s);
            json(&pairs(fields), 1, s);
            s.plain(",\n");
        }
        Body::Json(_) => {
            keyword("data", s);
            s.extend(&[
                ("json.", Kind::Plain),
                ("dumps", Kind::Function),
                ("(body, ", Kind::Plain),
                ("indent", Kind::Parameter),
                ("=", Kind::Operator),
                ("2", Kind::Number),
                (", ", Kind::Plain),
                ("ensure_ascii", Kind::Parameter),
                ("=", Kind::Operator),
                ("False", Kind::Constant),
                (").", Kind::Plain),
                ("encode", Kind::Function),
                ("(),\n", Kind::Plain),
            ]);
        }
    }
}

/// The Python snippet.
pub fn generate(call: &Call) -> Code {
    let mut s = Code::new();
    let json_body = match &call.body {
        Body::Json(j) => Some(j),
        _ => None,
    };
    imports(call, &mut s);
    if let Some(j) = json_body {
        s.extend(&[
            ("body ", Kind::Plain),
            ("=", Kind::Operator),
            (" ", Kind::Plain),
        ]);
        json(j, 0, &mut s);
        s.plain("\n\n");
    }
    s.extend(&[
        ("response ", Kind::Plain),
        ("=", Kind::Operator),
        (" requests.", Kind::Plain),
        ("request", Kind::Function),
        ("(\n    ", Kind::Plain),
    ]);
    string(&call.method, &mut s);
    s.plain(",\n    ");
    expr(&call.url, &mut s);
    s.plain(",\n");
    if !call.headers.is_empty() {
        keyword("headers", &mut s);
        json(&pairs(&call.headers), 1, &mut s);
        s.plain(",\n");
    }
    if let Some((user, password)) = &call.basic {
        keyword("auth", &mut s);
        s.plain("(");
        expr(user, &mut s);
        s.plain(", ");
        expr(password, &mut s);
        s.plain("),\n");
    }
    data(&call.body, &mut s);
    keyword("timeout", &mut s);
    s.push("30", Kind::Number);
    s.plain(",\n)\n");
    for field in ["status_code", "text"] {
        s.push("print", Kind::Function);
        s.plain(&format!("(response.{field})\n"));
    }
    s
}
