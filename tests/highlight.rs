//! The fast paths give exactly syntect's HTML: the tokens each snippet
//! writer gives (tricky requests, the shipped walkthrough's requests,
//! values that stress each language's quoting, random values), and the
//! JSON and shell lexers (the walkthrough's JSON samples, random programs,
//! and code they must not take, which goes to syntect unchanged).

#[path = "common/requests.rs"]
mod requests;

use std::path::Path;

use stepdoc::content::call::{self, Placeholders};
use stepdoc::content::{Request, SiteConfig};
use stepdoc::render::highlight::Highlighter;
use stepdoc::render::snippets::{Code, Lang};

fn config() -> SiteConfig {
    serde_saphyr::from_str(
        "title: T\napi: { base_url: 'https://api.tink.com', bases: { link: 'https://link.tink.com' } }\nvariables: { market: DK }\nsecrets: { client_id: TINK_CLIENT_ID, client_secret: TINK_CLIENT_SECRET }\nauth: { app: { label: app, bearer: app_token }, user: { label: user, bearer: user_token }, client: { label: client, basic: { user: client_id, password: client_secret } }, key: { label: key, header: X-Api-Key, value: client_secret } }\n",
    )
    .unwrap()
}

/// Values that stress quoting and escapes in every snippet language.
const TRICKY: &[&str] = &[
    "plain",
    "",
    " leading and trailing ",
    "it's",
    "say \"hi\"",
    "back\\slash \\n \\\\",
    "$HOME ${HOME} $(id) `id`",
    "{} {{ }} {0} %s %d",
    "\"# r#\" \"## #",
    "tab\there",
    "line\nbreak",
    "a&b=c?d#e;f|g<h>i",
    "æøå ÆØÅ ü € 🦀",
    "C:\\Users\\x",
    "'' \"\" ''' \"\"\"",
    "100%",
    "-H --flag -",
    "#not a comment",
    "// not a comment",
    "null",
    "true",
    "0.5",
    "\u{2018}curly\u{2019} \u{201C}double\u{201D} \u{201B}x\u{201A} \u{201E}y",
];

/// One request per tricky value, with the value in a JSON body, a header,
/// a query parameter and a form field.
fn tricky_requests() -> Vec<Request> {
    let mut out = Vec::new();
    for (i, value) in TRICKY.iter().enumerate() {
        let v = serde_json::to_string(value).unwrap();
        let bodies = [
            format!("json:\n  text: {v}\n  list: [{v}, 1, 2.5, true, null]\n  nested: {{ inner: {v}, n: -3 }}\n  empty: {{}}\n"),
            format!("form:\n  field: {v}\n  other: \"{{{{ client_id }}}}\"\n"),
        ];
        for (j, body) in bodies.iter().enumerate() {
            let yaml = format!(
                "id: t{i}x{j}\ntitle: T\nmethod: {method}\npath: /api/v1/x/{{{{ user_id }}}}\nauth: {auth}\nheaders:\n  X-Value: {v}\nquery:\n  q: {v}\n  many: [a, {v}]\n{body}",
                method = if j == 0 { "POST" } else { "PUT" },
                auth = if j == 0 { "app" } else { "user" },
            );
            out.push(serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{yaml}\n{e}")));
        }
        // A GET with only a query.
        let yaml =
            format!("id: g{i}\ntitle: G\npath: /data/v2/accounts\nquery:\n  pageToken: {v}\n");
        out.push(serde_saphyr::from_str(&yaml).unwrap());
    }
    out
}

fn all_requests() -> Vec<(String, Request)> {
    let mut out: Vec<(String, Request)> = requests::REQUESTS
        .iter()
        .map(|(name, yaml)| (name.to_string(), serde_saphyr::from_str(yaml).unwrap()))
        .collect();
    out.extend(
        tricky_requests()
            .into_iter()
            .map(|r| (format!("tricky {}", r.id), r)),
    );
    let site = stepdoc::content::load(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    for step in site.steps {
        out.extend(
            step.requests
                .into_iter()
                .map(|r| (format!("tink {}", r.id), r)),
        );
    }
    out
}

/// None when `code`'s tokens give syntect's HTML, else where they part.
fn token_difference(h: &Highlighter, code: &Code, lang: &str) -> Option<String> {
    let tokens = code.tokens()?;
    let fast = h.highlighted_tokens(code.text(), tokens).html;
    let reference = h.highlight_with_syntect(code.text(), lang);
    (fast != reference).then(|| first_difference(&fast, &reference))
}

#[test]
fn generated_snippets_take_the_fast_path_and_match_syntect() {
    let h = Highlighter::new();
    let c = config();
    let mut checked = 0;
    let mut failures = Vec::new();
    for (name, request) in all_requests() {
        let call = call::build(&request, &c, &Placeholders(&c));
        for lang in Lang::ALL {
            let code = lang.code(&call);
            let syntax = lang.syntax();
            checked += 1;
            // Shell snippets take the shell lexer; the others come with
            // their tokens. Tricky values may send a snippet to syntect
            // (say, braces in a Python string); no other snippet may.
            let fast = code.tokens().is_some() || h.is_fast(code.text(), syntax);
            if !fast {
                if !name.starts_with("tricky") {
                    failures.push(format!(
                        "{name} ({}): goes to syntect\n{}",
                        lang.id(),
                        code.text()
                    ));
                }
                continue;
            }
            let d = match code.tokens() {
                Some(_) => token_difference(&h, &code, syntax),
                None => difference(&h, code.text(), syntax),
            };
            if let Some(d) = d {
                failures.push(format!(
                    "{name} ({}): differs from syntect\n{}\n{d}",
                    lang.id(),
                    code.text()
                ));
            }
        }
    }
    assert!(checked > 300, "only {checked} snippets checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} snippets failed; the first:\n{}",
        failures.len(),
        failures[..failures.len().min(6)].join("\n\n")
    );
}

/// Requests built from random values (pieces of the tricky ones joined):
/// whatever a snippet writer gives tokens for is highlighted exactly as
/// syntect does.
#[test]
fn snippets_of_random_values_match_syntect() {
    let h = Highlighter::new();
    let c = config();
    let seeds = std::env::var("STEPDOC_SEEDS").unwrap_or_else(|_| "1-12".into());
    let (from, to) = seeds.split_once('-').expect("STEPDOC_SEEDS like 1-12");
    let (from, to): (u64, u64) = (from.parse().unwrap(), to.parse().unwrap());
    let pieces: Vec<&str> = TRICKY
        .iter()
        .flat_map(|v| v.split_inclusive(' '))
        .chain(["{{ user_id }}", "-1", "2.5", "%", "\\", "\"", "'", "{", "}"])
        .collect();
    let (mut built, mut taken) = (0, 0);
    for seed in from..=to {
        let mut rng = fastrand::Rng::with_seed(seed);
        for _ in 0..20 {
            let mut value = || -> String {
                (0..rng.usize(1..5))
                    .map(|_| pieces[rng.usize(..pieces.len())])
                    .collect()
            };
            let (a, b, n) = (value(), value(), rng.i32(-9..99));
            let yaml = format!(
                "id: r\ntitle: R\nmethod: POST\npath: /x/{}\nheaders: {{ X-A: {} }}\njson: {{ {}: [{}, {n}, {n}.5] }}\n",
                serde_json::to_string(&a).unwrap().replace("{{", "x"),
                serde_json::to_string(&b).unwrap(),
                serde_json::to_string(&b).unwrap(),
                serde_json::to_string(&a).unwrap(),
            );
            let Ok(request) = serde_saphyr::from_str::<Request>(&yaml) else {
                continue;
            };
            built += 1;
            let call = call::build(&request, &c, &Placeholders(&c));
            for lang in [Lang::Python, Lang::Javascript, Lang::Rust, Lang::Powershell] {
                let code = lang.code(&call);
                if code.tokens().is_some() {
                    taken += 1;
                }
                if let Some(d) = token_difference(&h, &code, lang.syntax()) {
                    panic!(
                        "{} differs from syntect (seed {seed}):\n{}\n{d}",
                        lang.id(),
                        code.text()
                    );
                }
            }
        }
    }
    // Every request parses, and most snippets come with tokens (braces
    // send Python to syntect).
    assert_eq!(
        built,
        20 * (to - from + 1),
        "some random requests did not parse"
    );
    assert!(
        taken * 10 >= built * 4 * 8,
        "the writers gave tokens for only {taken} of {} snippets",
        built * 4
    );
}

#[test]
fn json_samples_take_the_fast_path_and_match_syntect() {
    let h = Highlighter::new();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/samples");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(samples) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "json") {
            let code = std::fs::read_to_string(entry.path()).unwrap();
            assert!(h.is_fast(&code, "json"), "{}", entry.path().display());
            assert_eq!(
                difference(&h, &code, "json"),
                None,
                "{}",
                entry.path().display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} samples");
    let values: Vec<serde_json::Value> = TRICKY
        .iter()
        .map(|v| serde_json::json!({ "v": v, "n": [0, -1, 2.5, -0.25e-3, 1E+9], "b": [true, false, null], "o": {}, "a": [] }))
        .collect();
    for code in [
        serde_json::to_string_pretty(&values).unwrap(),
        serde_json::to_string(&values).unwrap(),
        "\"just a string\"".to_string(),
        "  42\n".to_string(),
        // JSON Lines, and a document followed by more values.
        "{\"a\": 1}\n{\"b\": [true]}\n".to_string(),
        format!(
            "{}\n{{}}\n{{}}\n",
            serde_json::to_string_pretty(&values).unwrap()
        ),
        "{\"esc\": \"\\u00e6\\/\\b\\f\\r\\t\\\\\"}".to_string(),
    ] {
        assert!(h.is_fast(&code, "json"), "{code}");
        assert_eq!(difference(&h, &code, "json"), None, "{code}");
    }
}

#[test]
fn code_the_lexers_do_not_know_goes_to_syntect() {
    let h = Highlighter::new();
    for (code, lang) in [
        ("{\n  // a comment\n  \"a\": 1\n}\n", "json"),
        ("{ \"items\": [ ... ] }\n", "json"),
        ("{\"a\": 1,}\n", "json"),
        ("for f in *.md; do echo \"$f\" | wc -l; done\n", "bash"),
        (
            "class A(B):\n    def f(self, *args):\n        return [y for y in args if y]\n",
            "python",
        ),
        (
            "class A extends B { #p = 1; get x() { return this.#p } }\n",
            "javascript",
        ),
        (
            "impl<T: Clone> Foo for Bar<'_, T> where T: Send {}\n",
            "rust",
        ),
        (
            "Get-ChildItem | Where-Object { $_.Length -gt 1kb }\n",
            "powershell",
        ),
    ] {
        // Hand-written code in the snippet languages always goes to syntect.
        assert!(!h.is_fast(code, lang), "{lang}: {code}");
        let html = h.highlight(code, lang);
        assert_eq!(html, h.highlight_with_syntect(code, lang));
        assert!(
            html.contains("<span class=\""),
            "{lang} not highlighted: {html}"
        );
    }
}

/// None when the fast path gives syntect's HTML for `code`, else where the
/// two part.
fn difference(h: &Highlighter, code: &str, lang: &str) -> Option<String> {
    let (fast, reference) = (
        h.highlight(code, lang),
        h.highlight_with_syntect(code, lang),
    );
    (fast != reference).then(|| first_difference(&fast, &reference))
}

/// Where two highlighted texts part, with some context.
fn first_difference(fast: &str, reference: &str) -> String {
    let at = fast
        .bytes()
        .zip(reference.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let around = |s: &str| {
        let from = (at.saturating_sub(100)..=at)
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(at);
        let to = (at + 100..s.len())
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(s.len());
        s[from..to.max(from)].to_owned()
    };
    format!("fast:    {}\nsyntect: {}", around(fast), around(reference))
}

/// The fenced code blocks of a Markdown text, as (language, code).
fn fences(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in text.lines() {
        match open.as_mut() {
            Some(_) if line.trim_start().starts_with("```") => out.extend(open.take()),
            Some((_, code)) => {
                code.push_str(line);
                code.push('\n');
            }
            None => {
                if let Some(info) = line.trim_start().strip_prefix("```") {
                    open = Some((info.trim().to_owned(), String::new()));
                }
            }
        }
    }
    out
}

/// Code in the shipped walkthrough (JSON payloads, shell and JSON fences):
/// JSON takes the fast path, and wherever a lexer takes a block, the HTML is
/// syntect's. (Its Python fences go to syntect itself.)
#[test]
fn the_walkthroughs_own_code_takes_the_fast_path_and_matches_syntect() {
    let h = Highlighter::new();
    let site = stepdoc::content::load(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let mut blocks: Vec<(String, String, String)> = Vec::new();
    for step in &site.steps {
        for p in &step.payloads {
            blocks.push((step.slug.clone(), p.lang.clone(), p.code.clone()));
        }
        for (lang, code) in fences(step.body()) {
            blocks.push((step.slug.clone(), lang, code));
        }
    }
    let mut checked = 0;
    for (slug, lang, code) in &blocks {
        if !matches!(lang.as_str(), "json" | "bash" | "sh" | "shell") {
            continue;
        }
        assert!(
            lang != "json" || h.is_fast(code, lang),
            "{slug}: the JSON lexer gave up on\n{code}"
        );
        assert_eq!(difference(&h, code, lang), None, "{slug} ({lang})");
        checked += 1;
    }
    assert!(checked >= 2, "only {checked} blocks");
}

/// Pieces of code, per language, that random programs are built from: the
/// constructs the lexers know, ones they must give up on, and text that
/// stresses quoting and UTF-8 boundaries.
const PIECES: &[(&str, &[&str])] = &[
    (
        "json",
        &[
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            " ",
            "\n",
            "\"a\"",
            "\"\\u00e6\"",
            "\"\\n\"",
            "1",
            "-2.5",
            "1e3",
            "true",
            "null",
            "\"æ\"",
            "//",
            "...",
        ],
    ),
    (
        "bash",
        &[
            "curl",
            "http",
            "echo",
            " ",
            " \\\n  ",
            "-X",
            "--data-raw",
            "'a b'",
            "'it'\\''s'",
            "\"$A\"",
            "\"${B}c\"",
            "\"x$\"",
            "POST",
            "|",
            ";",
            "\n",
            "æ",
            "$(x)",
            "#",
        ],
    ),
];

/// Random programs from the pieces: no lexer panics, and whatever a lexer
/// takes is highlighted exactly as syntect does.
#[test]
fn random_code_never_panics_and_what_the_lexers_take_matches_syntect() {
    let h = Highlighter::new();
    // Fixed seeds, so every run checks the same programs; set
    // STEPDOC_SEEDS=13-500 to try more while working on a lexer.
    let seeds = std::env::var("STEPDOC_SEEDS").unwrap_or_else(|_| "1-12".into());
    let (from, to) = seeds.split_once('-').expect("STEPDOC_SEEDS like 1-12");
    let (from, to): (u64, u64) = (from.parse().unwrap(), to.parse().unwrap());
    let mut taken = 0;
    for (lang, pieces) in PIECES {
        for seed in from..=to {
            let mut rng = fastrand::Rng::with_seed(seed);
            for _ in 0..400 {
                let n = rng.usize(1..12);
                let code: String = (0..n).map(|_| pieces[rng.usize(..pieces.len())]).collect();
                // Running the lexer is the panic check.
                if h.is_fast(&code, lang) {
                    taken += 1;
                    if let Some(d) = difference(&h, &code, lang) {
                        panic!("{lang} differs from syntect on {code:?} (seed {seed}):\n{d}");
                    }
                }
            }
        }
    }
    assert!(taken > 100, "the lexers took only {taken} random programs");
}
