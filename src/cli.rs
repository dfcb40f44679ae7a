//! Command-line interface: the arguments of every command, and the edge
//! where library errors become messages on stderr and exit codes.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::error::Error;
use crate::pipeline::{self, BuildOptions, BuildReport};

/// Turn a multi-step API walkthrough into a fast static website.
#[derive(Debug, Parser)]
#[command(name = "stepdoc", version, about, propagate_version = true)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output directory
    #[command(after_help = "Example:\n  stepdoc build --base-url https://user.github.io/repo/")]
    Build(BuildArgs),
    /// Validate everything a build would, writing nothing
    #[command(after_help = "Example:\n  stepdoc check --root docs/api-walkthrough --strict")]
    Check(CheckArgs),
    /// List translations that are missing, stale or current; mark them current
    #[command(
        after_help = "Example:\n  stepdoc translations\n  stepdoc translations --mark-current 02-user   # after updating its translations"
    )]
    Translations(TranslationsArgs),
    /// Preview the site with live reload
    #[cfg(feature = "serve")]
    #[command(after_help = "Example:\n  stepdoc serve --port 1111 --open")]
    Serve(ServeArgs),
    /// Serve the walkthrough's API from its snapshots and samples, checking the chain
    #[cfg(feature = "mock")]
    #[command(
        after_help = "Example:\n  stepdoc mock --port 4010\n  # then run any line it prints, e.g. the Hurl one"
    )]
    Mock(MockArgs),
    /// Record snapshots from the live API
    #[cfg(feature = "record")]
    #[command(
        after_help = "Example:\n  export CLIENT_ID=... CLIENT_SECRET=...   # the variables site.yaml names under `secrets`\n  stepdoc record --step accounts --base api=https://sandbox.example.com"
    )]
    Record(RecordArgs),
    /// Write the request chain as a Hurl file, a Postman collection or an .http file
    #[command(
        after_help = "Example:\n  stepdoc export --format hurl > walkthrough.hurl\n  stepdoc export --format postman --step accounts > accounts.postman_collection.json\n\nEvery build also writes all of them under downloads/ in the site."
    )]
    Export(ExportArgs),
    /// Scaffold a new walkthrough
    #[command(
        after_help = "Example:\n  stepdoc init my-walkthrough && cd my-walkthrough && stepdoc build"
    )]
    Init(InitArgs),
}

/// `--root`.
#[derive(Debug, Args)]
pub struct RootArg {
    /// Walkthrough root: the folder that holds content/
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    root: RootArg,
    /// Treat a stale or unmarked translation as an error
    #[arg(long)]
    strict: bool,
}

/// Arguments of `translations`.
#[derive(Debug, Args)]
pub struct TranslationsArgs {
    #[command(flatten)]
    root: RootArg,
    /// Record that the translations of these steps (slugs or file names)
    /// are up to date with their originals
    #[arg(long, value_name = "STEP", num_args = 1..)]
    mark_current: Vec<String>,
}

/// Arguments of `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    root: RootArg,
    /// Output directory [default: ROOT/output]
    #[arg(long)]
    output: Option<PathBuf>,
    /// Public URL of the site, e.g. https://user.github.io/repo/ (overrides site.yaml)
    #[arg(long)]
    base_url: Option<String>,
    /// Replace an output directory that stepdoc did not create
    #[arg(long)]
    force: bool,
}

/// Arguments of `serve`.
#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    root: RootArg,
    /// Port to listen on
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1")]
    bind: String,
    /// Open the site in a browser
    #[arg(long)]
    open: bool,
    /// Poll for changes instead of native file events
    #[arg(long)]
    poll: bool,
    /// Also run `stepdoc mock` and point every example on the pages at it
    #[cfg(feature = "mock")]
    #[arg(long)]
    mock: bool,
    /// The mock's port, with --mock
    #[cfg(feature = "mock")]
    #[arg(long, default_value_t = 4010)]
    mock_port: u16,
    /// Seconds a connection may take to send a request's headers (tests
    /// shorten it)
    #[arg(long, default_value_t = 10, hide = true)]
    header_timeout: u64,
}

/// Arguments of `mock`.
#[cfg(feature = "mock")]
#[derive(Debug, Args)]
pub struct MockArgs {
    #[command(flatten)]
    root: RootArg,
    /// Port to listen on (0: any free port)
    #[arg(long, default_value_t = 4010)]
    port: u16,
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1")]
    bind: String,
}

/// Arguments of `record`.
#[cfg(feature = "record")]
#[derive(Debug, Args)]
pub struct RecordArgs {
    #[command(flatten)]
    root: RootArg,
    /// Record only this step (repeatable)
    #[arg(long = "step", value_name = "SLUG")]
    steps: Vec<String>,
    /// Record only this request (repeatable)
    #[arg(long = "request", value_name = "ID")]
    requests: Vec<String>,
    /// Compare against stored snapshots instead of writing
    #[arg(long)]
    check: bool,
    /// Point a named base elsewhere, e.g. `--base api=http://127.0.0.1:8080` (repeatable; also STEPDOC_BASE_<NAME>)
    #[arg(long = "base", value_name = "NAME=URL", value_parser = parse_base)]
    bases: Vec<(String, String)>,
    /// Shorthand for `--base api=URL`
    #[arg(long, value_name = "URL")]
    api_base: Option<String>,
    /// `-`: paste the address the browser was redirected to when asked (when the loopback listener cannot be reached)
    #[arg(long, value_name = "-")]
    callback_url: Option<String>,
    /// Port of the loopback callback listener
    #[arg(long)]
    callback_port: Option<u16>,
    /// Seconds to wait for a browser step's callback
    #[arg(long, default_value_t = 300)]
    timeout: u64,
    /// Do not open a browser for browser steps
    #[arg(long)]
    no_browser: bool,
    /// Also print request and response bodies (redacted)
    #[arg(long)]
    verbose: bool,
    /// Seconds one request may take, retries included
    #[arg(long, value_name = "SECS", default_value_t = 45)]
    request_timeout: u64,
    /// Allow plain http:// to other machines (credentials travel unencrypted)
    #[arg(long)]
    allow_insecure_http: bool,
    /// Also write the run as HAR 1.2 to FILE (redacted as the snapshots)
    #[arg(long, value_name = "FILE")]
    har: Option<PathBuf>,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    root: RootArg,
    /// What to write
    #[arg(long, value_enum)]
    format: crate::export::Format,
    /// Only this step and the earlier requests it needs
    #[arg(long, value_name = "SLUG")]
    step: Option<String>,
}

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the walkthrough in (default: the current folder)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// `NAME=URL` of `--base`.
#[cfg(feature = "record")]
fn parse_base(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, url)) if !name.is_empty() && !url.is_empty() => {
            Ok((name.to_owned(), url.to_owned()))
        }
        _ => Err(format!(
            "`{s}` is not NAME=URL, e.g. api=http://127.0.0.1:8080"
        )),
    }
}

/// Runs a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Build(a) => pipeline::build(&BuildOptions {
            root: a.root.root,
            output: a.output,
            base_url: a.base_url,
            force: a.force,
        })
        .map(|r| summary("Built", &r)),
        Command::Check(a) => {
            pipeline::check(&a.root.root, a.strict).map(|r| summary("Checked", &r))
        }
        Command::Translations(a) => translations(&a),
        Command::Init(a) => crate::init::init(&a.dir).map(|workflow| {
            let publish = match workflow {
                crate::init::Workflow::Written(path) => format!(
                    "\n{} publishes it to GitHub Pages (Settings -> Pages -> Source: GitHub Actions).",
                    path.display()
                ),
                crate::init::Workflow::Kept(path) => format!(
                    "\n{} already exists and was left as it is: to publish this walkthrough, give its stepdoc step `root: {}`.",
                    path.display(),
                    a.dir.display()
                ),
            };
            let next = if a.dir == Path::new(".") {
                "stepdoc serve --open".to_owned()
            } else {
                format!("cd {} && stepdoc serve --open", a.dir.display())
            };
            let place = if a.dir == Path::new(".") {
                "this folder".to_owned()
            } else {
                a.dir.display().to_string()
            };
            format!("Created a walkthrough in {place}. Next: {next}{publish}")
        }),
        #[cfg(feature = "serve")]
        Command::Serve(a) => serve(a),
        #[cfg(feature = "mock")]
        Command::Mock(a) => crate::mock::mock(
            &crate::mock::MockOptions {
                root: a.root.root,
                bind: a.bind,
                port: a.port,
                header_timeout: std::time::Duration::from_secs(10),
            },
            &Terminal,
        )
        .map(|()| "Stopped.".to_owned()),
        #[cfg(feature = "record")]
        Command::Record(a) => record(a),
        Command::Export(a) => pipeline::load(&a.root.root, None).and_then(|site| {
            crate::export::export(&site, a.format, a.step.as_deref())
                .map(|text| text.trim_end().to_owned())
        }),
    };
    match result {
        Ok(message) => {
            say(&message);
            ExitCode::SUCCESS
        }
        Err(e) => {
            report(&e);
            ExitCode::from(e.exit_code())
        }
    }
}

/// `translations`: the list, or the files `--mark-current` wrote.
fn translations(a: &TranslationsArgs) -> Result<String, Error> {
    use crate::translations::State;
    if !a.mark_current.is_empty() {
        let written = crate::translations::mark_current(&a.root.root, &a.mark_current)?;
        let files: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        return Ok(format!("Marked current: {}", files.join(", ")));
    }
    let report = crate::translations::report(&a.root.root)?;
    if report.is_empty() {
        return Ok("The walkthrough has one language: nothing to translate.".into());
    }
    let mut out = Vec::new();
    let mut lang = "";
    for s in &report {
        if s.lang != lang {
            lang = &s.lang;
            out.push(format!("{lang}:"));
        }
        let file = s
            .file
            .as_ref()
            .map(|f| f.display().to_string())
            .unwrap_or_default();
        let (word, changes): (&str, &[String]) = match &s.state {
            State::Untranslated => ("untranslated", &[]),
            State::Current => ("current", &[]),
            State::Unmarked => ("unmarked", &[]),
            State::Stale(c) => ("stale", c),
        };
        out.push(
            format!("  {word:<12} {:<24} {file}", s.slug)
                .trim_end()
                .to_owned(),
        );
        for c in changes {
            out.push(format!("    changed: {c}"));
        }
    }
    let stale = report
        .iter()
        .filter(|s| matches!(s.state, State::Stale(_)))
        .count();
    if stale > 0 {
        out.push(format!(
            "{stale} stale: update them, then `stepdoc translations --mark-current STEP`"
        ));
    }
    Ok(out.join("\n"))
}

#[cfg(feature = "serve")]
fn serve(a: ServeArgs) -> Result<String, Error> {
    crate::serve::serve(
        &crate::serve::ServeOptions {
            root: a.root.root,
            bind: a.bind,
            port: a.port,
            open: a.open,
            poll: a.poll,
            header_timeout: std::time::Duration::from_secs(a.header_timeout.max(1)),
            #[cfg(feature = "mock")]
            mock: a.mock.then_some(a.mock_port),
            #[cfg(not(feature = "mock"))]
            mock: None,
        },
        std::sync::Arc::new(Terminal),
    )
    .map(|()| "Stopped.".to_owned())
}

#[cfg(feature = "record")]
fn record(a: RecordArgs) -> Result<String, Error> {
    let opts = crate::record::RecordOptions {
        root: a.root.root,
        steps: a.steps,
        requests: a.requests,
        check: a.check,
        bases: a
            .bases
            .into_iter()
            .chain(a.api_base.map(|url| ("api".to_owned(), url)))
            .collect(),
        callback_url: a.callback_url,
        callback_port: a.callback_port,
        timeout: std::time::Duration::from_secs(a.timeout),
        no_browser: a.no_browser,
        verbose: a.verbose,
        retry: crate::record::http::RetryPolicy {
            deadline: std::time::Duration::from_secs(a.request_timeout),
            ..Default::default()
        },
        allow_insecure_http: a.allow_insecure_http,
        har: a.har,
    };
    let r = crate::record::record(&opts, &mut Terminal)?;
    Ok(if opts.check {
        format!(
            "Checked {} snapshot(s) against the live API: no drift (the same shape)",
            r.compared
        )
    } else {
        format!(
            "Recorded {} request(s): {} snapshot(s) written, {} unchanged, 0 failed",
            r.ran, r.written, r.unchanged
        )
    })
}

fn summary(verb: &str, r: &BuildReport) -> String {
    let ms = r.elapsed.as_secs_f64() * 1000.0;
    let place = if r.output.as_os_str().is_empty() {
        String::new()
    } else {
        format!(" ({} files) into {}", r.files, r.output.display())
    };
    let samples = match r.samples {
        0 => String::new(),
        n => format!("; {n} request(s) show sample data (no snapshot yet)"),
    };
    for w in &r.warnings {
        eprintln!("{}: {}", paint("warning", "1;33"), visible(&w.to_string()));
    }
    let warnings = match r.warnings.len() {
        0 => String::new(),
        1 => "; 1 warning".to_owned(),
        n => format!("; {n} warnings"),
    };
    let reused = match r.reused {
        0 => String::new(),
        n => format!(" ({n} unchanged, kept)"),
    };
    format!(
        "{verb} {} pages{reused}{place} in {ms:.0} ms{warnings}{samples}",
        r.pages
    )
}

/// The terminal, as `serve` reports to it: the address on stdout, the rest on stderr.
#[cfg(any(feature = "record", feature = "serve"))]
struct Terminal;

#[cfg(feature = "serve")]
impl crate::serve::Reporter for Terminal {
    fn ready(&self, url: &str) {
        say(&format!("Serving on {url} (Ctrl-C to stop)"));
    }
    fn note(&self, line: &str) {
        eprintln!("{}", visible(line));
    }
    fn warn(&self, line: &str) {
        eprintln!("{}: {}", paint("warning", "1;33"), visible(line));
    }
    fn error(&self, line: &str) {
        eprintln!("{}: {}", paint("error", "1;31"), visible(line));
    }
}

#[cfg(feature = "mock")]
impl crate::mock::Reporter for Terminal {
    fn ready(&self, url: &str, lines: &[String]) {
        say(&format!("Mock API on {url} (Ctrl-C to stop)"));
        for line in lines {
            say(line);
        }
    }
    fn warn(&self, line: &str) {
        eprintln!("{}: {}", paint("warning", "1;33"), visible(line));
    }
}

#[cfg(feature = "record")]
impl crate::record::Person for Terminal {
    fn say(&mut self, line: &str) {
        say(line);
    }
    fn ask(&mut self, prompt: &str) -> std::io::Result<String> {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        write!(out, "{}", visible(prompt))?;
        out.flush()?;
        let mut line = String::new();
        if std::io::stdin().read_line(&mut line)? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "cannot read the answer: standard input ended",
            ));
        }
        Ok(line)
    }
}

/// Prints a line to stdout; a closed stdout (`stepdoc serve | head -1`) is not an error.
fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", visible(line)).and_then(|()| out.flush());
}

/// Text for the terminal: control characters made visible (the one
/// encoder of the terminal context, `content::data::terminal_text`).
fn visible(s: &str) -> String {
    crate::content::data::terminal_text(s)
}

/// `word` in the ANSI colour `code` when stderr is a terminal and NO_COLOR is unset.
fn paint(word: &str, code: &str) -> String {
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if color {
        format!("\x1b[{code}m{word}\x1b[0m")
    } else {
        word.to_owned()
    }
}

/// Prints an error to stderr, in colour when stderr is a terminal and NO_COLOR is unset.
fn report(e: &Error) {
    let prefix = paint("error", "1;31");
    match e {
        Error::Content(d) => {
            for one in &d.0 {
                eprintln!("{prefix}: {}", visible(&one.to_string()));
            }
            if d.len() > 1 {
                eprintln!("{} problems found; nothing was written", d.len());
            }
        }
        other => eprintln!("{prefix}: {}", visible(&other.to_string())),
    }
}
