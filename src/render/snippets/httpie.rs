//! HTTPie in a POSIX shell. Headers are `Name:value` items, form fields
//! `name=value` items with `--form`, and a JSON body goes verbatim with
//! `--raw`; quoting follows the cURL snippet's rules.

use super::curl::shell_word;
use crate::content::call::{prefixed, Body, Call};

/// The HTTPie snippet.
pub fn generate(call: &Call) -> String {
    let mut first = String::from("http");
    match &call.body {
        Body::Form(_) => first.push_str(" --form"),
        Body::Json(j) => first.push_str(&format!(" --raw {}", shell_word(&j.pretty()))),
        Body::None => {}
    }
    first.push_str(&format!(" {} {}", call.method, shell_word(&call.url)));
    let mut lines = vec![first];
    for (k, v) in &call.headers {
        lines.push(shell_word(&prefixed(&format!("{k}:"), v)));
    }
    if let Body::Form(fields) = &call.body {
        for (k, v) in fields {
            lines.push(shell_word(&prefixed(&format!("{k}="), v)));
        }
    }
    format!("{}\n", lines.join(" \\\n  "))
}
