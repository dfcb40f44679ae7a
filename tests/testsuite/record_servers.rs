//! `stepdoc record` against servers that misbehave, on loopback: plain
//! HTTP to another machine is refused, a server that never answers fails
//! within the deadline, named bases are pointed elsewhere, a body cut
//! short, slow or too big fails and keeps every snapshot, and escape codes
//! from the API are shown, not run.
// These tests drive POSIX tools (sh, curl, kill, /proc).
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;

use crate::common::fake_tink::{FakeTink, Faults};
use crate::common::recording::{calls, record_command, walkthrough};
use crate::common::tree;

#[test]
fn plain_http_to_another_machine_is_refused() {
    let fake = FakeTink::start(Faults::default());
    let dir = walkthrough();
    let out = record_command(dir.path(), &fake)
        .args(["--step", "auth", "--api-base", "http://192.0.2.1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("over plain http://") && stderr.contains("--allow-insecure-http"),
        "{stderr}"
    );
}

#[test]
fn a_server_that_never_answers_fails_within_the_deadline() {
    let fake = FakeTink::start(Faults::default());
    let dir = walkthrough();
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = silent.local_addr().unwrap();
    let held = std::thread::spawn(move || silent.incoming().take(8).flatten().collect::<Vec<_>>());
    let start = std::time::Instant::now();
    let out = record_auth(dir.path(), &fake, addr);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        start.elapsed() < std::time::Duration::from_secs(8),
        "took {:?}",
        start.elapsed()
    );
    assert!(stderr.contains("no answer within 3 s"), "{stderr}");
    drop(held);
}

#[test]
fn named_bases_are_pointed_elsewhere_with_base_flags() {
    let fake = FakeTink::start(Faults::default());
    let dir = walkthrough();
    let out = record_command(dir.path(), &fake)
        .env_remove("STEPDOC_BASE_API")
        .env_remove("STEPDOC_BASE_LINK")
        .args([
            "--step",
            "opret-bruger",
            "--base",
            &format!("api={}", fake.base),
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("[opret-bruger] create-user POST /api/v1/user/create -> 200"),
        "{stdout}"
    );
    assert_eq!(
        calls(&fake, "/api/v1/user/create"),
        1,
        "the fake server got the call"
    );

    let out = record_command(dir.path(), &fake)
        .args(["--step", "opret-bruger", "--base", "lnk=http://127.0.0.1:9"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no base named `lnk`") && stderr.contains("did you mean `link`?"),
        "{stderr}"
    );
}

/// `record --step auth` against the API at `addr`, each request given 3 s.
fn record_auth(root: &Path, fake: &FakeTink, addr: std::net::SocketAddr) -> std::process::Output {
    record_command(root, fake)
        .args(["--step", "auth", "--request-timeout", "3"])
        .args(["--api-base", &format!("http://{addr}")])
        .output()
        .unwrap()
}

/// How a test server answers one connection.
type Answer = fn(std::net::TcpStream);

/// Serves each connection with `answer` on a thread: a server whose
/// responses go wrong halfway.
fn bad_server(answer: Answer) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(8).flatten() {
            std::thread::spawn(move || {
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                answer(stream);
            });
        }
    });
    addr
}

#[test]
fn a_body_cut_short_slow_or_too_big_fails_and_keeps_every_snapshot() {
    use std::io::Write;
    let answers: [(&str, Answer); 3] = [
        ("could not be read completely", |mut s| {
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"a\": 1");
        }),
        ("could not be read completely", |mut s| {
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            for _ in 0..30 {
                if s.write_all(b"1\r\n \r\n").is_err() {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_secs(1));
            }
        }),
        ("over 2 MiB", |mut s| {
            let body = format!("{{\"a\": \"{}\"}}", "x".repeat(3 << 20));
            let _ = write!(s, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len());
        }),
    ];
    let fake = FakeTink::start(Faults::default());
    let dir = walkthrough();
    let before = tree(&dir.path().join("content/snapshots"));
    for (want, answer) in answers {
        let addr = bad_server(answer);
        let start = std::time::Instant::now();
        let out = record_auth(dir.path(), &fake, addr);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{want}: {stderr}");
        assert!(stderr.contains(want), "{want}: {stderr}");
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "{want}: took {:?}",
            start.elapsed()
        );
        assert_eq!(
            tree(&dir.path().join("content/snapshots")),
            before,
            "{want}"
        );
    }
}

#[test]
fn escape_codes_from_the_api_are_shown_not_run() {
    use std::io::Write;
    let fake = FakeTink::start(Faults::default());
    let dir = walkthrough();
    for answer in [
        (|mut s: std::net::TcpStream| {
            let body = "{\"error\": \"\\u001b[2J\\u001b]0;title\\u0007\"}";
            let _ = write!(s, "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len());
        }) as Answer,
        |mut s| {
            let body = "{\"message\": \"bad \\u001b[2J\\u001b]0;title\\u0007 request\"}";
            let _ = write!(s, "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len());
        },
    ] {
        let addr = bad_server(answer);
        let out = record_auth(dir.path(), &fake, addr);
        let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
        assert_eq!(out.status.code(), Some(1));
        let text = String::from_utf8_lossy(&all);
        assert!(!all.contains(&0x1b) && !all.contains(&0x07), "{text}");
        assert!(
            text.contains("\\u{1b}[2J"),
            "the body is shown, its codes visible: {text}"
        );
    }
}
