//! The bad-input corpus: one row per way a walkthrough or a command line can
//! be wrong. Each row starts from a good build, breaks one thing, and runs
//! the real binary: the exit code is the documented one (1 content, 2
//! usage), the message names the file and the exact line:column where one
//! exists, nothing panics or hangs, and the previous output is unchanged.
#![cfg(unix)]

use crate::common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{fixture, text, tree};

/// One way to break things.
struct Case {
    name: &'static str,
    /// Arguments after `stepdoc` (the build is `["build"]`).
    args: &'static [&'static str],
    edit: fn(&Path),
    code: i32,
    /// Text the error output must hold (file:line:col where there is one).
    want: &'static str,
    /// Text it must not hold (a follow-on error, a `--force` hint).
    not: &'static str,
}

const BUILD: &[&str] = &["build"];

fn replace(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "fixture changed: {from}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn write(root: &Path, file: &str, bytes: &[u8]) {
    let path = root.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn remove(root: &Path, file: &str) {
    let p = root.join(file);
    if p.is_dir() {
        std::fs::remove_dir_all(p).unwrap();
    } else {
        std::fs::remove_file(p).unwrap();
    }
}

fn symlink(root: &Path, target: &str, link: &str) {
    let link = root.join(link);
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(target, link).unwrap();
}

fn fifo(root: &Path, file: &str) {
    let p = root.join(file);
    let _ = std::fs::remove_file(&p);
    assert!(Command::new("mkfifo").arg(&p).status().unwrap().success());
}

const T1: &str = "content/steps/01-token.md";
const U2: &str = "content/steps/02-user.md";
const L3: &str = "content/steps/03-list.yaml";
const SITE: &str = "content/site.yaml";
const SNAP: &str = "content/snapshots/user/create-user.json";

fn case(name: &'static str, edit: fn(&Path), want: &'static str) -> Case {
    Case {
        name,
        args: BUILD,
        edit,
        code: 1,
        want,
        not: "",
    }
}

fn usage(
    name: &'static str,
    args: &'static [&'static str],
    edit: fn(&Path),
    want: &'static str,
) -> Case {
    Case {
        name,
        args,
        edit,
        code: 2,
        want,
        not: "--force",
    }
}

fn cases() -> Vec<Case> {
    vec![
        // YAML and front matter
        case("yaml syntax error", |r| replace(r, T1, "nav: Token", "nav: [Token"), "01-token.md:3:"),
        Case {
            name: "a broken step with a translation",
            args: BUILD,
            edit: |r| {
                replace(r, SITE, "language: en", "languages: [en, da]");
                write(r, "content/steps/01-token.da.md", b"---\ntitle: Token\n---\nTekst.\n");
                replace(r, T1, "nav: Token", "nav: [Token");
            },
            code: 1,
            want: "01-token.md:3:",
            not: "which does not exist",
        },
        case("unknown key in a step", |r| replace(r, U2, "summary:", "sumary:"), "02-user.md:4:1: unknown field `sumary`"),
        case("unknown key in site.yaml", |r| replace(r, SITE, "language: en", "langauge: en"), "site.yaml:3:1: unknown field `langauge`"),
        case("tab indentation in a step", |r| replace(r, T1, "    title: App token", "\ttitle: App token"), "01-token.md:7:1: YAML does not allow tabs for indentation; use spaces"),
        case("tab indentation in site.yaml", |r| replace(r, SITE, "  base_url: https://api", "\tbase_url: https://api"), "site.yaml:7:1: YAML does not allow tabs"),
        case("missing title in a step", |r| replace(r, T1, "title: Get a token\n", ""), "content/steps/01-token.md: missing field `title`"),
        case("a request's key indented one space short", |r| replace(r, U2, "    title: Create user", "   title: Create user"), "02-user.md:7:4: missing field `title`"),
        case("an unquoted placeholder as a JSON value", |r| replace(r, U2, "      market: \"{{ market }}\"", "      market: {{ market }}"), "quote it (`amount: \"{{ amount }}\"`)"),
        case("missing title in site.yaml", |r| replace(r, SITE, "title: Fixture walkthrough\n", ""), "content/site.yaml: missing field `title`"),
        case("front matter not closed", |r| replace(r, T1, "---\n## Why", "## Why"), "01-token.md:1:1: the front matter is not closed"),
        case("no front matter", |r| write(r, "content/steps/04-x.md", b"# Hi\n"), "04-x.md:1:1: a step starts with YAML front matter"),
        case("invalid UTF-8 in a step", |r| write(r, "content/steps/04-x.md", b"---\ntitle: X\n---\nbad \xff\n"), "04-x.md:4:5: not valid UTF-8"),
        case("invalid UTF-8 in site.yaml", |r| write(r, SITE, b"title: T\ndescription: \xc3\n"), "site.yaml:2:14: not valid UTF-8"),
        case("wrong type for title", |r| replace(r, L3, "title: List transactions", "title: [1, 2]"), "03-list.yaml:1:8:"),
        case("body in a Markdown step", |r| replace(r, T1, "nav: Token", "nav: Token\nbody: x"), "01-token.md:4:1: `body` is only for .yaml steps"),
        case("step file name without number", |r| write(r, "content/steps/extra.md", b"---\ntitle: X\n---\n"), "content/steps/extra.md: a step file is named NN-slug.md"),
        case("step file name in upper case", |r| write(r, "content/steps/04-Extra.md", b"---\ntitle: X\n---\n"), "04-Extra.md: a step file is named"),
        case("duplicate step number", |r| write(r, "content/steps/02-other.md", b"---\ntitle: O\n---\n"), "content/steps/02-user.md:1:1: step number 02 is used twice"),
        case("duplicate slug", |r| write(r, "content/steps/04-user.md", b"---\ntitle: O\n---\n"), "step slug `user` is used twice"),
        case("empty step file", |r| write(r, "content/steps/04-x.md", b""), "04-x.md:1:1: a step starts with YAML front matter"),
        // Requests
        case("unknown method", |r| replace(r, U2, "method: POST", "method: PUSH"), "02-user.md:8:5: request `create-user`: unknown method `PUSH`"),
        case("neither path nor url", |r| replace(r, L3, "    path: /data/v2/transactions\n", ""), "03-list.yaml:5:5: request `transactions` has neither `path` nor `url`"),
        case("both path and url", |r| replace(r, L3, "    path: /data/v2/transactions\n", "    path: /x\n    url: https://x.test/y\n"), "03-list.yaml:5:5: request `transactions` has both"),
        case("path without a slash", |r| replace(r, U2, "path: /user/create", "path: user/create"), "02-user.md:9:11: request `create-user`: `path` must start with `/`"),
        case("form and json", |r| replace(r, U2, "    json:\n", "    form: { a: b }\n    json:\n"), "02-user.md:6:5: request `create-user` has both a `form` and a `json` body"),
        case("capture that is not a JSONPath", |r| replace(r, U2, "user_id: $.user_id", "user_id: user_id"), "02-user.md:16:7: capture `user_id`"),
        case("requires an unknown request", |r| replace(r, L3, "    auth: app\n", "    auth: app\n    requires: [nope]\n"), "03-list.yaml:9:16: request `transactions` requires `nope`"),
        case("undefined variable", |r| replace(r, U2, "\"{{ market }}\"\n      locale", "\"{{ markt }}\"\n      locale"), "02-user.md:13:16: request `create-user` uses `{{ markt }}`"),
        case("undefined variable whose name appears earlier", |r| replace(r, U2, "market: \"{{ market }}\"\n    capture", "market: \"{{ user }}\"\n    capture"), "02-user.md:28:16: request `link` uses `{{ user }}`"),
        case("a value captured only later", |r| replace(r, U2, "\"{{ market }}\"\n      locale", "\"{{ credentials_id }}\"\n      locale"), "02-user.md:13:16: request `create-user` uses `{{ credentials_id }}`, which is captured only later, by request `link` in content/steps/02-user.md"),
        case("front matter in a .yaml step", |r| write(r, "content/steps/04-x.yaml", b"---\ntitle: X\n---\ntext\n"), "04-x.yaml:4:1: this file holds more than one YAML document"),
        case("a colon in an unquoted title", |r| replace(r, U2, "title: Create a user", "title: Step 2: create a user"), "02-user.md:2:14: a `:` here starts a key where YAML expects none"),
        case("a step link without .md", |r| replace(r, U2, "(01-token.md)", "(01-token)"), "02-user.md:38:9: link to `01-token`, which is not a file: link to the step file `01-token.md`"),
        case("a step link by slug", |r| replace(r, U2, "(01-token.md)", "(token)"), "02-user.md:38:9: link to `token`, which is not a file: link to the step file `01-token.md`"),
        case("token not captured", |r| replace(r, T1, "app_token:", "token:"), "02-user.md:10:5: request `create-user` needs `app_token`"),
        case("duplicate request id", |r| replace(r, L3, "id: transactions", "id: token"), "03-list.yaml:5:5: request id `token` is used twice"),
        case("request id with a space", |r| replace(r, L3, "id: transactions", "id: \"a b\""), "03-list.yaml:5:5: request id `a b`"),
        case("header with a line break", |r| replace(r, L3, "    auth: app\n", "    auth: app\n    headers: { X-A: \"a\\nb\" }\n"), "03-list.yaml:9:16: request `transactions`: header `X-A` holds a line break"),
        case("bad header name", |r| replace(r, L3, "    auth: app\n", "    auth: app\n    headers: { \"X A\": b }\n"), "03-list.yaml:9:17: request `transactions`: `X A` is not a valid header name"),
        case("space in a path", |r| replace(r, L3, "/data/v2/transactions", "/data/v2/trans actions"), "03-list.yaml:7:11: request `transactions`: the address holds a space"),
        case("placeholder with a bad name", |r| replace(r, L3, "/data/v2/transactions", "/data/{{ user-id }}"), "03-list.yaml:7:17: request `transactions`: `{{ user-id }}` is not a variable reference"),
        case("unknown auth kind", |r| replace(r, U2, "auth: app", "auth: ap"), "02-user.md:10:5: request `create-user`: `auth: ap` is not declared in content/site.yaml"),
        case("auth kind with an unknown key", |r| replace(r, SITE, "bearer: app_token", "berer: app_token"), "site.yaml:17:28: unknown field `berer`"),
        case("auth kind without a scheme", |r| replace(r, SITE, ", bearer: app_token", ""), "site.yaml:17:3: auth kind `app` needs exactly one of"),
        case("unknown interactive kind", |r| replace(r, U2, "interactive: browser", "interactive: browsr"), "02-user.md:22:"),
        case("unknown base", |r| replace(r, U2, "base: link", "base: lnk"), "02-user.md:23:5: request `link`: site.yaml has no base named `lnk`"),
        case("capture name that is not a name", |r| replace(r, U2, "user_id: $.user_id", "user-id: $.user_id"), "02-user.md:16:7: capture name `user-id`"),
        case("capture with a variable's name", |r| replace(r, U2, "user_id: $.user_id", "market: $.user_id"), "02-user.md:16:7: capture `market` has the name of a site variable"),
        case("secret environment variable that runs code", |r| replace(r, SITE, "client_id: FIXTURE_CLIENT_ID", "client_id: 'X$(touch /tmp/p)'"), "site.yaml:14:3: secret `client_id`: `X$(touch /tmp/p)` is not a valid environment variable name"),
        case("variable and secret with one name", |r| replace(r, SITE, "  market: DK\n", "  market: DK\n  client_id: x\n"), "site.yaml:12:3: `client_id` is both a variable and a secret"),
        case("base_url that is not a URL", |r| replace(r, SITE, "base_url: https://example.github.io/repo/", "base_url: example.github.io/repo"), "site.yaml:4:1: base_url `example.github.io/repo`"),
        case("edit_url that is not a URL", |r| replace(r, SITE, "edit_url: https://github.com/example/repo/edit/main/", "edit_url: github.com/example"), "site.yaml:5:1: edit_url `github.com/example` is not an http(s) URL"),
        case("javascript: link", |r| replace(r, SITE, "url: https://docs.example.test/", "url: \"javascript:alert(1)\""), "site.yaml:20:11: link `Example docs`: only http(s)"),
        case("data: link", |r| replace(r, SITE, "url: https://docs.example.test/", "url: \"DATA:text/html,x\""), "site.yaml:20:11: link `Example docs`"),
        // Values that reach other programs are data (the trust rules of content::data)
        case("template in a JSON key", |r| replace(r, U2, "market: \"{{ market }}\"\n      locale", "\"{{client_secret}}\": \"{{ market }}\"\n      locale"), "02-user.md:13:8: request `create-user`: the JSON key `{{client_secret}}` holds `{{`"),
        case("template in a site variable", |r| replace(r, SITE, "market: DK", "market: \"{{ require('child_process').execSync('touch /tmp/x') }}\""), "site.yaml:11:3: variable `market` holds `{{`"),
        case("template in the API base", |r| replace(r, SITE, "base_url: https://api.example.test", "base_url: \"https://api.example.test/{{client_secret}}\""), "site.yaml:7:14: API base `api`"),
        case("line break in a capture path", |r| replace(r, U2, "user_id: $.user_id", "user_id: \"$.code\\n\\n### x\\nPOST http://127.0.0.1:18080/INJECTED\""), "02-user.md:16:7: capture `user_id`: `$.code ### x POST http://127.0.0.1:18080/INJECTED` is not a JSONPath: it holds a line break"),
        case("capture path that does not parse", |r| replace(r, U2, "user_id: $.user_id", "user_id: \"$.a[?\""), "02-user.md:16:7: capture `user_id`: `$.a[?` is not a JSONPath: it does not parse"),
        case("lone }} in a value", |r| replace(r, U2, "\"{{ market }}\"\n      locale", "\"a }} b\"\n      locale"), "02-user.md:13:18: request `create-user`: `}}` is not a variable reference"),
        case("variable named like a JavaScript built-in", |r| replace(r, SITE, "market: DK", "market: DK\n  constructor: x"), "site.yaml:12:3: `constructor` is a JavaScript built-in"),
        case("braces in a step title", |r| replace(r, U2, "title: Create a user", "title: Create {{ a }} user"), "02-user.md:2:1: the step's title holds `{{`"),
        case("variable with a line break", |r| replace(r, SITE, "market: DK", "market: \"D\\nK\""), "site.yaml:11:3: variable `market`: `D\\nK` holds a line break"),
        case("link with a tab in its scheme", |r| replace(r, SITE, "url: https://docs.example.test/", "url: \"java\\tscript:alert(1)\""), "site.yaml:19:12: link `Example docs`: it holds a control character"),
        case("link with a leading control character", |r| replace(r, SITE, "url: https://docs.example.test/", "url: \"\\u0001javascript:alert(1)\""), "site.yaml:19:12: link `Example docs`: it holds a control character"),
        case("protocol-relative base_url", |r| replace(r, SITE, "base_url: https://example.github.io/repo/", "base_url: //evil.com/"), "site.yaml:4:1: base_url `//evil.com/`: a path starting with `//`"),
        case("backslash base_url", |r| replace(r, SITE, "base_url: https://example.github.io/repo/", "base_url: /\\evil.com/"), "site.yaml:4:1: base_url `/\\\\evil.com/`"),
        case("step named static", |r| write(r, "content/steps/04-static.md", b"---\ntitle: S\n---\n"), "content/steps/04-static.md: the step's page `static/` is reserved"),
        case("step named downloads", |r| write(r, "content/steps/04-downloads.md", b"---\ntitle: S\n---\n"), "04-downloads.md: the step's page `downloads/` is reserved"),
        case("step named like a language", |r| { replace(r, SITE, "language: en", "languages: [en, da]"); write(r, "content/steps/04-da.md", b"---\ntitle: S\n---\n") }, "04-da.md: the step's page `da/` is reserved: the home page of that language"),
        case("directory named like a step", |r| std::fs::create_dir_all(r.join("content/steps/04-dir.md")).unwrap(), "content/steps/04-dir.md: is a directory, named like a step file"),
        case("status 0", |r| replace(r, U2, "method: POST", "method: POST\n    status: 0"), "02-user.md:9:5: request `create-user`: `status: 0` is not an HTTP status"),
        case("status 1000", |r| replace(r, U2, "method: POST", "method: POST\n    status: 1000"), "02-user.md:9:5: request `create-user`: `status: 1000`"),
        case("a language the theme lacks", |r| replace(r, SITE, "language: en", "languages: [en, fr]"), "site.yaml:3:17: the theme has no translations for language `fr`"),
        case("a language that is not a tag", |r| replace(r, SITE, "language: en", "languages: [en, e]"), "site.yaml:3:17: `e` is not a language tag"),
        case("a language listed twice", |r| replace(r, SITE, "language: en", "languages: [en, en]"), "site.yaml:3:17: `en` is listed twice"),
        case("variable with spaces at its ends", |r| replace(r, SITE, "market: DK", "market: \"  two  spaces  \""), "site.yaml:11:3: variable `market`: `  two  spaces  ` holds a line break, a control character or space at its ends"),
        // Samples, payloads, snapshots
        case("missing sample", |r| remove(r, "content/samples/token.json"), "01-token.md:17:13: sample file content/samples/token.json does not exist"),
        case("invalid sample JSON", |r| write(r, "content/samples/token.json", b"{\n  \"a\": 1,\n}\n"), "content/samples/token.json:3:1: sample is not valid JSON"),
        case("sample path leaving samples/", |r| replace(r, T1, "sample: token.json", "sample: ../site.yaml"), "01-token.md:17:13: sample `../site.yaml` must be a path inside content/samples/"),
        case("sample is a directory", |r| { remove(r, "content/samples/token.json"); std::fs::create_dir(r.join("content/samples/token.json")).unwrap() }, "content/samples/token.json: is a directory"),
        case("sample symlinked to /etc/passwd", |r| symlink(r, "/etc/passwd", "content/samples/token.json"), "content/samples/token.json: resolves to /etc/passwd, outside the walkthrough"),
        case("sample symlinked to /dev/zero", |r| symlink(r, "/dev/zero", "content/samples/token.json"), "content/samples/token.json: resolves to /dev/zero"),
        case("sample is a FIFO", |r| fifo(r, "content/samples/token.json"), "content/samples/token.json: is not a regular file"),
        case("sample over the size limit", |r| write(r, "content/samples/token.json", &vec![b' '; 5 << 20]), "content/samples/token.json: is 5242880 bytes"),
        case("payload symlinked out of the walkthrough", |r| symlink(r, "/etc/hostname", "content/samples/event.json"), "content/samples/event.json: resolves to"),
        case("payload with two sources", |r| replace(r, U2, "    file: event.json", "    file: event.json\n    content: x"), "02-user.md:33:12: payload `An incoming event` needs exactly one of"),
        case("invalid snapshot", |r| write(r, SNAP, b"{\n  \"request\": 1\n}\n"), "content/snapshots/user/create-user.json:2:"),
        case("snapshot that is not UTF-8", |r| write(r, SNAP, b"{\"a\": \"\xff\"}"), "content/snapshots/user/create-user.json:1:8: not valid UTF-8"),
        case("snapshot that is a directory", |r| { remove(r, SNAP); std::fs::create_dir(r.join(SNAP)).unwrap() }, "content/snapshots/user/create-user.json: is a directory"),
        case("snapshot over the size limit", |r| write(r, SNAP, &vec![b' '; 5 << 20]), "create-user.json: is 5242880 bytes"),
        // Markdown
        case("unknown request id in a directive", |r| replace(r, T1, "{{#request token}}", "{{#request tokn}}"), "01-token.md:23:1: unknown request id `tokn`"),
        case("broken step link", |r| replace(r, U2, "(01-token.md)", "(01-tokens.md)"), "02-user.md:38:9: link to `01-tokens.md`"),
        case("link below directives", |r| replace(r, U2, "## Create\n", "## Create\n\n{{#request create-user}}\n\n{{#request link}}\n\n[x](09-no.md)\n"), "02-user.md:42:1: link to `09-no.md`"),
        case("link in a YAML step", |r| replace(r, L3, "Loop until", "See [x](09-no.md). Loop until"), "03-list.yaml:15:7: link to `09-no.md`"),
        case("placeholder in prose", |r| replace(r, U2, "Back to", "Hi {{ user_id }}. Back to"), "02-user.md:38:4: `{{ user_id }}` in the text is published as it is"),
        case("directive not alone on its line", |r| replace(r, T1, "{{#request token}}", "Here: {{#request token}}"), "01-token.md:23:7: `{{#request token}}` must stand alone"),
        case("link to a missing fragment", |r| replace(r, U2, "Back to", "[Up](#nowhere). Back to"), "02-user.md:38:1: link to `#nowhere`"),
        // Structure
        case("content/steps is a file", |r| { remove(r, "content/steps"); write(r, "content/steps", b"x") }, "content/steps: is not a directory"),
        case("content/steps is missing", |r| remove(r, "content/steps"), "content/steps: does not exist"),
        case("site.yaml is missing", |r| remove(r, SITE), "content/site.yaml: cannot read the site configuration"),
        case("site.yaml is a FIFO", |r| fifo(r, SITE), "content/site.yaml: is not a regular file"),
        case("site.yaml is a directory", |r| { remove(r, SITE); std::fs::create_dir(r.join(SITE)).unwrap() }, "content/site.yaml: is a directory"),
        case("index.md is a FIFO", |r| fifo(r, "content/index.md"), "content/index.md: is not a regular file"),
        case("index.md is not UTF-8", |r| write(r, "content/index.md", b"Hej \xe6\n"), "content/index.md:1:5: not valid UTF-8"),
        case("step symlinked from outside", |r| symlink(r, "/etc/hostname", "content/steps/04-x.md"), "content/steps/04-x.md: resolves to"),
        case("theme outside themes/", |r| replace(r, SITE, "language: en", "language: en\ntheme: ../../.."), "content/site.yaml:4:8: theme `../../..` is not a folder name"),
        case("theme that does not exist", |r| replace(r, SITE, "language: en", "language: en\ntheme: fancy"), "content/site.yaml:4:8: theme `fancy` not found"),
        case("theme file symlinked out", |r| { std::fs::create_dir_all(r.join("themes/default/static")).unwrap(); symlink(r, "/etc/passwd", "themes/default/static/x.txt") }, "themes/default/static/x.txt: resolves to /etc/passwd"),
        case("template error", |r| write(r, "themes/default/templates/index.html", b"{% extends \"base.html\" %}\n{% block content %}\n{{ steps | nosuchfilter }}\n{% endblock content %}\n"), "index.html"),
        // One root cause, reported once
        Case { not: "no earlier request captures", ..case("follow-on errors after a broken step", |r| replace(r, T1, "nav: Token", "nav: [Token"), "01-token.md:3:") },
        // Usage errors
        usage("--base-url without a scheme", &["build", "--base-url", "example.com/x"], |_| {}, "--base-url example.com/x: it is neither an absolute http(s) URL"),
        usage("protocol-relative --base-url", &["build", "--base-url", "//evil.com/"], |_| {}, "--base-url //evil.com/: a path starting with `//`"),
        usage("output is content/ even with --force", &["build", "--output", "content", "--force"], |_| {}, "refusing to use content as the output directory"),
        usage("output inside content/ even with --force", &["build", "--output", "content/samples", "--force"], |_| {}, "lies inside content/"),
        usage("output is the walkthrough", &["build", "--output", "."], |_| {}, "contains the walkthrough itself"),
        usage("output inside themes/", &["build", "--output", "themes/x", "--force"], |_| {}, "lies inside themes/"),
        Case { not: "", ..usage("foreign output without --force", &["build", "--output", "mine"], |r| write(r, "mine/notes.txt", b"precious"), "pass --force") },
        usage("unknown --step", &["record", "--no-browser", "--step", "usr"], |_| {}, "--step usr: no such step"),
        usage("unknown export --step lists the steps", &["export", "--format", "hurl", "--step", "zzz"], |_| {}, "hint: the steps: token, user, list"),
        usage("bad --bind", &["serve", "--bind", "not-an-address"], |_| {}, "--bind not-an-address"),
        usage("init into a walkthrough", &["init", "."], |_| {}, "already holds a walkthrough"),
        usage("unknown flag", &["build", "--ouput", "x"], |_| {}, "unexpected argument"),
    ]
}

/// Runs stepdoc with `args` in `dir`, failing the test when it hangs.
fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stepdoc"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("FIXTURE_CLIENT_ID", "id")
        .env("FIXTURE_CLIENT_SECRET", "secret-value")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("stepdoc {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

/// What is wrong with how stepdoc met case `c` in a copy of `good` (the
/// good fixture, built once), if anything.
fn check_case(c: &Case, good: &Path) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(good, dir.path());
    let before = tree(&dir.path().join("output"));
    (c.edit)(dir.path());
    let out = run(dir.path(), c.args);
    let (_, stderr) = text(&out);
    let mut wrong = Vec::new();
    if out.status.code() != Some(c.code) {
        wrong.push(format!("exit {:?}, want {}", out.status.code(), c.code));
    }
    if !stderr.contains(c.want) {
        wrong.push(format!("no `{}`", c.want));
    }
    if !c.not.is_empty() && stderr.contains(c.not) {
        wrong.push(format!("holds `{}`", c.not));
    }
    if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
        wrong.push("panicked".into());
    }
    if tree(&dir.path().join("output")) != before {
        wrong.push("the previous output changed".into());
    }
    (!wrong.is_empty()).then(|| format!("{}: {}\n{stderr}", c.name, wrong.join("; ")))
}

#[test]
fn every_bad_input_gets_a_clear_error_and_loses_nothing() {
    let cases = cases();
    assert!(cases.len() >= 60, "the corpus has {} cases", cases.len());
    // The good fixture and its output, built once; each case gets a copy.
    let good = fixture("good");
    assert!(
        run(good.path(), BUILD).status.success(),
        "the good fixture builds"
    );
    let chunk = cases.len().div_ceil(2);
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = cases
            .chunks(chunk)
            .map(|part| {
                scope.spawn(|| {
                    part.iter()
                        .filter_map(|c| check_case(c, good.path()))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
