//! Helpers shared by the integration tests: fixture copies in temp dirs and
//! running the real `stepdoc` binary.

pub mod echo;
pub mod fake_github;
pub mod fake_tink;
pub mod hostile;
pub mod recording;
pub mod requests;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Copies fixture `name` into a fresh temp dir and returns it.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixtures().join(name), tmp.path());
    tmp
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Runs `stepdoc` with `args` in `dir`.
pub fn stepdoc(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stepdoc"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run stepdoc")
}

/// stdout and stderr as text.
pub fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Runs `f` with insta's golden files in `tests/testsuite/golden/` ("snapshot" means
/// an API recording in this project).
pub fn golden(f: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("golden");
    settings.bind(f);
}

/// A runner: on PATH, in tests/runners/node_modules/.bin, or in cargo's bin folder.
pub fn runner(name: &str) -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut places: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    places.push(here.join("tests/runners/node_modules/.bin"));
    places.push(here.join("tests/runners/hurl/bin"));
    if let Some(home) = std::env::var_os("CARGO_HOME")
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo").into_os_string()))
    {
        places.push(Path::new(&home).join("bin"));
    }
    places
        .into_iter()
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!("`{name}` not found: scripts/test installs it (hurl: `cargo install --locked hurl`; newman, httpyac: `npm ci` in tests/runners)")
        })
}

/// `s` percent-decoded, `+` as a space (as forms and query strings encode).
pub fn form_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap_or(b'?'));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `a=1&b=2` as decoded (name, value) pairs.
pub fn form_pairs(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (form_decode(k), form_decode(v))
        })
        .collect()
}

/// A runner of stepdoc's exports: `hurl`, `newman`, `httpyac`, or Redocly
/// CLI's `respect` (the Arazzo workflow).
#[derive(Debug, Clone, Copy)]
pub enum Runner {
    Hurl,
    Newman,
    Httpyac,
    Respect,
}

impl Runner {
    pub const ALL: [Runner; 4] = [
        Runner::Hurl,
        Runner::Newman,
        Runner::Httpyac,
        Runner::Respect,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Runner::Hurl => "hurl",
            Runner::Newman => "newman",
            Runner::Httpyac => "httpyac",
            Runner::Respect => "respect",
        }
    }

    /// The command that runs the export in the site's `downloads` folder,
    /// each of `vars` and `secrets` passed the way the README says (Hurl
    /// takes secrets with `--secret`; the others take them as variables).
    pub fn command(
        self,
        downloads: &Path,
        vars: &[(String, String)],
        secrets: &[(&str, &str)],
    ) -> Command {
        let program = match self {
            Runner::Respect => "redocly",
            other => other.name(),
        };
        let mut c = Command::new(runner(program));
        let pair = |(k, v): (&str, &str)| format!("{k}={v}");
        let vars = vars.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        match self {
            Runner::Hurl => {
                c.arg("--test")
                    .arg("--variables-file")
                    .arg(downloads.join("walkthrough.env"));
                for v in vars {
                    c.arg("--variable").arg(pair(v));
                }
                for s in secrets {
                    c.arg("--secret").arg(pair(*s));
                }
                c.arg(downloads.join("walkthrough.hurl"));
            }
            Runner::Newman => {
                c.arg("run")
                    .arg(downloads.join("walkthrough.postman_collection.json"))
                    .args(["--bail", "--reporters", "cli"]);
                for v in vars.chain(secrets.iter().copied()) {
                    c.arg("--env-var").arg(pair(v));
                }
            }
            Runner::Httpyac => {
                // http-client.env.json is found beside the file.
                c.current_dir(downloads).args([
                    "send",
                    "walkthrough.http",
                    "--all",
                    "--bail",
                    "--env",
                    "walkthrough",
                    "--output",
                    "none",
                ]);
                for v in vars.chain(secrets.iter().copied()) {
                    c.arg("--var").arg(pair(v));
                }
            }
            Runner::Respect => {
                // The workflow's inputs as one JSON object (Respect splits
                // `--input k=v` at commas); each base the server of the
                // description named after it.
                let arazzo = std::fs::read_to_string(downloads.join("walkthrough.arazzo.yaml"))
                    .expect("walkthrough.arazzo.yaml");
                let doc: serde_json::Value = serde_saphyr::from_str(&arazzo).expect("Arazzo YAML");
                let names = &doc["workflows"][0]["inputs"]["properties"];
                let mut inputs = serde_json::Map::new();
                for (k, v) in vars.chain(secrets.iter().copied()) {
                    if names.get(k).is_some() {
                        inputs.insert(k.to_owned(), serde_json::Value::from(v));
                    } else {
                        // A base (`api`, or `api_base` when `api` is taken)
                        // is the server of the description named after it.
                        let base = k.strip_suffix("_base").unwrap_or(k);
                        let sources = doc["sourceDescriptions"].as_array().into_iter().flatten();
                        if sources.clone().any(|s| s["name"] == base) {
                            c.arg("--server").arg(format!("{base}={v}"));
                        }
                    }
                }
                c.current_dir(downloads)
                    .env("NO_COLOR", "1")
                    .args(["respect", "walkthrough.arazzo.yaml", "--input"])
                    .arg(serde_json::Value::Object(inputs).to_string());
            }
        }
        c
    }
}
