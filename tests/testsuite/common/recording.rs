//! Running `stepdoc record` on a copy of the shipped Tink walkthrough
//! against the fake Tink server, playing the person in the browser with
//! curl. Shared by the record and export tests.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::fake_tink::{FakeTink, CLIENT_ID, CLIENT_SECRET};

/// A copy of the shipped walkthrough without snapshots.
pub fn walkthrough() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    crate::common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &tmp.path().join("content"),
    );
    let snaps = tmp.path().join("content/snapshots");
    std::fs::remove_dir_all(&snaps).unwrap();
    std::fs::create_dir_all(&snaps).unwrap();
    tmp
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// How many requests the fake server got for `path`.
pub fn calls(fake: &FakeTink, path: &str) -> usize {
    fake.state
        .lock()
        .unwrap()
        .log
        .iter()
        .filter(|(_, p)| p == path)
        .count()
}

/// `stepdoc record --no-browser` with the credentials and the fake server's addresses.
pub fn record_command(root: &Path, fake: &FakeTink) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_stepdoc"));
    c.args(["record", "--no-browser"])
        .current_dir(root)
        .env("NO_COLOR", "1")
        .env("TINK_CLIENT_ID", CLIENT_ID)
        .env("TINK_CLIENT_SECRET", CLIENT_SECRET)
        .env("STEPDOC_BASE_API", &fake.base)
        .env("STEPDOC_BASE_LINK", &fake.base)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Runs `stepdoc record` with the fake server's addresses; plays the person
/// in the browser by following the printed URL with curl.
pub fn record(root: &Path, fake: &FakeTink, extra: &[&str]) -> Run {
    record_within(root, fake, 20, extra)
}

/// [`record`] with `--timeout SECS`.
pub fn record_within(root: &Path, fake: &FakeTink, secs: u32, extra: &[&str]) -> Run {
    let port = free_port().to_string();
    let mut child = record_command(root, fake)
        .args(["--timeout", &secs.to_string(), "--callback-port", &port])
        .args(extra)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut stderr_pipe = child.stderr.take().unwrap();
    let err_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr_pipe.read_to_string(&mut s);
        s
    });
    let mut out = String::new();
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        if let Some(i) = line.find("open this URL") {
            let url = line[i..].split_whitespace().last().unwrap().to_owned();
            let followed = Command::new("curl")
                .args(["-sSL", "--max-time", "10", "-o", "/dev/null", &url])
                .status()
                .unwrap();
            assert!(
                followed.success(),
                "the printed URL could not be followed: {url}"
            );
        }
        out.push_str(&line);
        out.push('\n');
    }
    let status = child.wait().unwrap();
    Run {
        code: status.code(),
        stdout: out,
        stderr: err_thread.join().unwrap(),
    }
}
