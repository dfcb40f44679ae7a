//! The hostile-value corpus shared by the snippet and export tests: values
//! that break quoting, templating or a URL's structure in some language.
//! Each test places them in every field a request has and runs the real
//! tools; each value must arrive as exactly itself.

/// Values an author may write (`{{` and `}}` are refused in author text,
/// see `content::data`; tests/bad_input.rs checks that).
pub fn author() -> Vec<String> {
    let mut v: Vec<String> = [
        "it's",
        "say \"hi\"",
        "\u{2018}single\u{2019} \u{201A}low\u{201B}",
        "\u{201C}double\u{201D} \u{201E}low",
        "$(touch pwned-dollar)",
        "`touch pwned-backtick`",
        "back\\slash \\n \\\\ end\\",
        "line\nbreak",
        "cr\rreturn",
        "line\u{2028}separator \u{2029} para",
        "@/etc/hostname",
        "=starts-with-equals",
        "a:b c:=d e==f",
        "{a,b} [1-3] {}",
        "Søren Ærø 🦀",
        "%41 %zz %",
        "& # ! * ~ ;",
        "?query=1&x=2#frag",
        "/",
        "../../admin/delete?all=1#",
        "a+b c",
        "  edge spaces  ",
        "\u{1b}[2J\u{1b}]0;title\u{7}",
        "tab\there",
        "{% raw %} {%",
        "${HOME} $HOME %PATH% $env:PATH",
        "constructor",
        "__proto__",
        "<script>alert(1)</script>",
        "'; DROP TABLE x; --",
        "# not a comment",
        "### not a request",
        "> {% client.global.set('x', 1) %}",
        "$inputs.api_key",
        "{$inputs.api_key}",
        "x {$inputs.api_key} y",
        "$statusCode",
        "$response.body#/id",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("long ".repeat(1000));
    v
}

/// Values from the reader's environment or an API, which may hold
/// anything an author may not: templates of every runner.
pub fn runtime() -> Vec<String> {
    let mut v = author();
    v.extend(
        [
            "{{x}}",
            "}}",
            "{{client_secret}}",
            "{{ require('child_process').execSync('touch pwned-template') }}",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    v
}

/// The values that fit in an HTTP header: visible ASCII and spaces, no
/// edge spaces (HTTP trims them).
pub fn header_safe(values: &[String]) -> Vec<String> {
    values
        .iter()
        .filter(|v| v.chars().all(|c| c == ' ' || c.is_ascii_graphic()) && v.trim() == v.as_str())
        .cloned()
        .collect()
}

/// Files a value would leave behind if a tool ran it.
pub const TRAPS: &[&str] = &[
    "pwned-dollar",
    "pwned-backtick",
    "pwned-template",
    "pwned",
    "pwned2",
];
