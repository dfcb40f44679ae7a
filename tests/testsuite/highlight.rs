//! Highlighting without grammars: each snippet writer's tokens and the
//! JSON and shell lexers say what kind each piece of code is. Their runs
//! of (text, kind) are pinned with insta; every generated snippet and the
//! walkthrough's own code is covered by tokens exactly and keeps its text;
//! a value inside a shell snippet's quotes is never read as shell
//! (hostile values, random values); the shell lexer takes any text.

use crate::common;

use crate::common::requests;

use std::path::Path;

use stepdoc::call::{self, Placeholders};
use stepdoc::content::{Request, SiteConfig};
use stepdoc::render::highlight::{Highlighter, Kind, Token};
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

/// The text of highlighted HTML, tags removed and entities decoded.
fn text_of(html: &str) -> String {
    let text: String = html
        .split('<')
        .enumerate()
        .map(|(i, s)| {
            if i == 0 {
                s
            } else {
                s.split_once('>').map_or(s, |(_, t)| t)
            }
        })
        .collect();
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Where tokens fail to cover `code` exactly, if they do.
fn coverage_problem(code: &str, tokens: &[Token]) -> Option<String> {
    let mut pos = 0;
    for &(end, _) in tokens {
        if end <= pos || !code.is_char_boundary(end) {
            return Some(format!("token ends at {end} after {pos}"));
        }
        pos = end;
    }
    (pos != code.len()).then(|| format!("tokens end at {pos} of {}", code.len()))
}

/// Names a shell snippet may run: the tools and the helpers it defines.
const COMMANDS: &[&str] = &[
    "curl",
    "http",
    "printf",
    "od",
    "tr",
    "sed",
    "awk",
    "urlencode",
    "json_escape",
    "{",
    "}",
];

/// The environment variables a call reads.
fn variables(call: &call::Call) -> Vec<String> {
    let mut texts = vec![&call.url];
    texts.extend(call.query.iter().chain(&call.headers).map(|(_, v)| v));
    if let Some((user, password)) = &call.basic {
        texts.extend([user, password]);
    }
    let pretty;
    match &call.body {
        call::Body::Json(j) => {
            pretty = j.pretty();
            texts.push(&pretty);
        }
        call::Body::Form(fields) => texts.extend(fields.iter().map(|(_, v)| v)),
        call::Body::None => {}
    }
    texts
        .into_iter()
        .flatten()
        .filter_map(|p| p.var().map(str::to_owned))
        .collect()
}

/// What is wrong with how the shell lexer reads a shell snippet, if
/// anything: it runs only the snippet's own commands and reads only the
/// variables the call uses (and a helper's `$1`), so no part of a value
/// is read as shell.
fn shell_problem(call: &call::Call, code: &Code) -> Option<String> {
    let names = variables(call);
    for (text, kind) in code.runs() {
        match kind {
            Kind::Function if !COMMANDS.contains(&text) => return Some(format!("runs {text:?}")),
            Kind::Variable => {
                let name = text.trim_start_matches('$').trim_matches(['{', '}']);
                if name != "1" && !names.iter().any(|n| n == name) {
                    return Some(format!("expands {text:?}"));
                }
            }
            Kind::Comment if !text.starts_with("# HTTPie cannot") => {
                return Some(format!("comments out {text:?}"))
            }
            _ => {}
        }
    }
    None
}

/// Every generated snippet (tricky requests, the walkthrough's own) is
/// covered by its tokens exactly, keeps its text when highlighted, and a
/// shell snippet is read by the shell lexer as the writer meant it.
#[test]
fn every_generated_snippet_has_tokens_that_cover_it() {
    let h = Highlighter::new();
    let c = config();
    let mut checked = 0;
    let mut failures = Vec::new();
    for (name, request) in all_requests() {
        let call = call::build(&request, &c, &Placeholders::new(&c));
        for lang in Lang::ALL {
            let code = lang.code(&call);
            checked += 1;
            let problem = coverage_problem(code.text(), code.tokens())
                .or_else(|| {
                    let html = h.highlighted_tokens(code.text(), code.tokens()).html;
                    (text_of(&html) != code.text()).then(|| format!("HTML loses text: {html}"))
                })
                .or_else(|| {
                    matches!(lang, Lang::Curl | Lang::Httpie)
                        .then(|| shell_problem(&call, &code))
                        .flatten()
                });
            if let Some(problem) = problem {
                failures.push(format!(
                    "{name} ({}): {problem}\n{}",
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

/// The same for requests built from random values (pieces of the tricky
/// ones joined).
#[test]
fn snippets_of_random_values_are_read_as_values() {
    let c = config();
    let seeds = std::env::var("STEPDOC_SEEDS").unwrap_or_else(|_| "1-12".into());
    let (from, to) = seeds.split_once('-').expect("STEPDOC_SEEDS like 1-12");
    let (from, to): (u64, u64) = (from.parse().unwrap(), to.parse().unwrap());
    let pieces: Vec<&str> = TRICKY
        .iter()
        .flat_map(|v| v.split_inclusive(' '))
        .chain([
            "{{ user_id }}",
            "-1",
            "2.5",
            "%",
            "\\",
            "\"",
            "'",
            "{",
            "}",
            "$(",
            ")",
            "`",
            "#",
            "\n",
        ])
        .collect();
    let mut built = 0;
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
                "id: r\ntitle: R\nmethod: POST\npath: /x/{}\nheaders: {{ X-A: {} }}\nquery: {{ q: {} }}\njson: {{ {}: [{}, {n}, {n}.5] }}\n",
                serde_json::to_string(&a).unwrap().replace("{{", "x"),
                serde_json::to_string(&b).unwrap(),
                serde_json::to_string(&a).unwrap(),
                serde_json::to_string(&b).unwrap(),
                serde_json::to_string(&a).unwrap(),
            );
            let Ok(request) = serde_saphyr::from_str::<Request>(&yaml) else {
                continue;
            };
            built += 1;
            let call = call::build(&request, &c, &Placeholders::new(&c));
            for lang in Lang::ALL {
                let code = lang.code(&call);
                let problem = coverage_problem(code.text(), code.tokens()).or_else(|| {
                    matches!(lang, Lang::Curl | Lang::Httpie)
                        .then(|| shell_problem(&call, &code))
                        .flatten()
                });
                if let Some(problem) = problem {
                    panic!("{} (seed {seed}): {problem}\n{}", lang.id(), code.text());
                }
            }
        }
    }
    assert_eq!(
        built,
        20 * (to - from + 1),
        "some random requests did not parse"
    );
}

/// The (text, kind) runs of each language's snippet for requests that
/// show every kind a writer uses.
#[test]
fn token_runs_of_each_writer() {
    let c = config();
    for (name, yaml) in requests::REQUESTS.iter().take(2) {
        let request: Request = serde_saphyr::from_str(yaml).unwrap();
        let call = call::build(&request, &c, &Placeholders::new(&c));
        for lang in Lang::ALL {
            let runs: Vec<String> = lang
                .code(&call)
                .runs()
                .iter()
                .map(|(text, kind)| format!("{kind:?}\t{text:?}"))
                .collect();
            common::golden(|| {
                insta::assert_snapshot!(format!("tokens__{name}__{}", lang.id()), runs.join("\n"));
            });
        }
    }
}

/// Shell as people write it in API docs: comments, assignments from
/// `$(…)`, pipes, heredocs and continuations, all through the shell lexer.
#[test]
fn hand_written_shell_is_lexed() {
    let h = Highlighter::new();
    let code = "# Get a token (one comment line)\nexport TOKEN=$(curl -s https://api.example.com/token \\\n  -d \"client_id=$CLIENT_ID\" | jq -r .access_token)\ncat <<EOF > body.json\n{\"name\": \"$NAME\"}\nEOF\ncurl -H \"Authorization: Bearer $TOKEN\" --data @body.json https://api.example.com/users && echo done\n";
    assert!(h.is_fast(code, "bash"));
    assert!(h.is_fast(code, "sh"));
    let runs: Vec<String> = Code::shell(code.to_owned())
        .runs()
        .iter()
        .map(|(text, kind)| format!("{kind:?}\t{text:?}"))
        .collect();
    common::golden(|| insta::assert_snapshot!("tokens__hand_written_shell", runs.join("\n")));
    let html = h.highlight(code, "bash");
    assert_eq!(text_of(&html), code);
}

#[test]
fn json_samples_take_the_fast_path() {
    let h = Highlighter::new();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/samples");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(samples) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "json") {
            let code = std::fs::read_to_string(entry.path()).unwrap();
            assert!(h.is_fast(&code, "json"), "{}", entry.path().display());
            assert_eq!(text_of(&h.highlight(&code, "json")), code);
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
        "{\"esc\": \"\\u00e6\\/\\b\\f\\r\\t\\\\\"}".to_string(),
    ] {
        assert!(h.is_fast(&code, "json"), "{code}");
        let html = h.highlight(&code, "json");
        assert_eq!(text_of(&html), code);
        assert!(html.contains("<span class=\""), "{html}");
    }
}

#[test]
fn code_the_lexers_do_not_know_goes_to_syntect() {
    let h = Highlighter::new();
    for (code, lang) in [
        ("{\n  // a comment\n  \"a\": 1\n}\n", "json"),
        ("{ \"items\": [ ... ] }\n", "json"),
        ("{\"a\": 1,}\n", "json"),
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
        assert!(!h.is_fast(code, lang), "{lang}: {code}");
        let html = h.highlight(code, lang);
        assert_eq!(text_of(&html), code);
        assert!(
            html.contains("<span class=\""),
            "{lang} not highlighted: {html}"
        );
    }
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

/// Code in the shipped walkthrough (JSON payloads, shell and JSON fences)
/// takes the fast path and keeps its text. (Its Python fences go to
/// syntect.)
#[test]
fn the_walkthroughs_own_code_takes_the_fast_path() {
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
            h.is_fast(code, lang),
            "{slug}: the {lang} lexer gave up on\n{code}"
        );
        assert_eq!(text_of(&h.highlight(code, lang)), *code, "{slug} ({lang})");
        checked += 1;
    }
    assert!(checked >= 2, "only {checked} blocks");
}

/// Pieces of shell that random programs are built from.
const SHELL_PIECES: &[&str] = &[
    "curl",
    "http",
    "echo",
    "export A=",
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
    "&&",
    "\n",
    "æ",
    "$(x",
    ")",
    "#",
    "`",
    "<<EOF\n",
    "EOF",
    "\\",
    "\"",
    "'",
    "${",
    "$((",
    "if",
    "then",
    "fi",
    "(",
    "{",
    "}",
    "$'\\n'",
];

/// Random shell from the pieces: the lexer never panics and its tokens
/// always cover the text.
#[test]
fn random_shell_is_always_covered() {
    let seeds = std::env::var("STEPDOC_SEEDS").unwrap_or_else(|_| "1-12".into());
    let (from, to) = seeds.split_once('-').expect("STEPDOC_SEEDS like 1-12");
    let (from, to): (u64, u64) = (from.parse().unwrap(), to.parse().unwrap());
    for seed in from..=to {
        let mut rng = fastrand::Rng::with_seed(seed);
        for _ in 0..400 {
            let n = rng.usize(1..16);
            let code: String = (0..n)
                .map(|_| SHELL_PIECES[rng.usize(..SHELL_PIECES.len())])
                .collect();
            let shell = Code::shell(code.clone());
            if let Some(problem) = coverage_problem(&code, shell.tokens()) {
                panic!("{problem} on {code:?} (seed {seed})");
            }
        }
    }
}
