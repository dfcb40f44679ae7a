//! `stepdoc serve` as a real HTTP server: pages under the base path, the
//! site's 404, no path traversal, live reload after edits, the error page
//! for a broken edit and recovery, debouncing, and a clean build output.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::fixture;

/// A running `stepdoc serve`; killed on drop.
struct Server {
    child: Child,
    addr: String,
    stderr: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_stepdoc"))
            .args(["serve", "--port", "0"])
            .current_dir(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        let addr = url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_owned();
        let (tx, rx) = mpsc::channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for l in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(l);
            }
        });
        Server {
            child,
            addr,
            stderr: rx,
        }
    }

    /// GET `path` exactly as given (no normalisation): (status, headers, body).
    fn get(&self, path: &str) -> (u16, String, String) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .unwrap_or("0")
            .parse()
            .unwrap();
        (status, head.to_ascii_lowercase(), body.to_owned())
    }

    /// Opens the reload event stream; returns a receiver of version numbers.
    fn events(&self) -> mpsc::Receiver<u64> {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        write!(
            s,
            "GET /repo/__stepdoc/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.addr
        )
        .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(s).lines().map_while(Result::ok) {
                if let Some(v) = line.strip_prefix("data: ") {
                    if tx.send(v.trim().parse().unwrap_or(0)).is_err() {
                        break;
                    }
                }
            }
        });
        rx
    }

    /// Rebuild log lines seen so far.
    fn log(&self) -> Vec<String> {
        self.stderr.try_iter().collect()
    }
}

/// Waits for a version newer than `after`.
fn next_version(rx: &mpsc::Receiver<u64>, after: u64) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let v = rx.recv_timeout(left).expect("no reload event within 2 s");
        if v > after {
            return v;
        }
    }
}

#[test]
fn pages_under_the_base_path_with_types_and_the_sites_404() {
    let dir = fixture("good");
    let server = Server::start(dir.path());
    let (status, head, body) = server.get("/repo/");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html"));
    assert!(body.contains("Fixture walkthrough") && body.contains("stepdoc-live-reload"));
    assert_eq!(server.get("/repo/user/").0, 200);
    assert_eq!(server.get("/repo/user").0, 200);
    let (status, head, _) = server.get("/repo/static/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/css"));
    let (status, head, _) = server.get("/");
    assert_eq!(status, 302);
    assert!(head.contains("location: /repo/"));
    let (status, _, body) = server.get("/repo/no-such-page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "the site's own 404 page");
}

#[test]
fn no_path_reads_outside_the_site() {
    let dir = fixture("good");
    std::fs::create_dir_all(dir.path().join("themes/default/static")).unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), "base_url: outside\n").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        dir.path().join("themes/default/static/leak.yaml"),
    )
    .unwrap();
    let server = Server::start(dir.path());
    for path in [
        "/repo/../content/site.yaml",
        "/repo/%2e%2e/content/site.yaml",
        "/repo/%2E%2E%2Fcontent%2Fsite.yaml",
        "/repo/..%2f..%2fetc%2fpasswd",
        "/repo//etc/passwd",
        "/repo/%2fetc%2fpasswd",
        "/repo/static/leak.yaml",
        "/etc/passwd",
        "/repo/static/..%5c..%5ccontent%5csite.yaml",
    ] {
        let (status, _, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(
            !body.contains("base_url:") && !body.contains("root:x:0"),
            "{path} leaked a file"
        );
    }
}

#[test]
fn an_edit_sends_reload_after_the_new_page_is_ready() {
    let dir = fixture("good");
    let server = Server::start(dir.path());
    let events = server.events();
    let v0 = events.recv_timeout(Duration::from_secs(2)).unwrap();
    let step = dir.path().join("content/steps/02-user.md");
    let text = std::fs::read_to_string(&step).unwrap();
    std::fs::write(&step, text.replace("Back to", "Tilbage til")).unwrap();
    next_version(&events, v0);
    let (status, _, body) = server.get("/repo/user/");
    assert_eq!(status, 200);
    assert!(
        body.contains("Tilbage til"),
        "the reload came before the new HTML"
    );
    assert!(
        server
            .log()
            .iter()
            .any(|l| l.starts_with("rebuilt 1 page(s)")),
        "only the changed step is re-rendered"
    );
}

#[test]
fn a_broken_edit_shows_the_error_and_recovers_by_itself() {
    let dir = fixture("good");
    let server = Server::start(dir.path());
    let events = server.events();
    let v0 = events.recv_timeout(Duration::from_secs(2)).unwrap();
    let step = dir.path().join("content/steps/02-user.md");
    let good = std::fs::read_to_string(&step).unwrap();
    std::fs::write(&step, good.replace("nav: User", "nav: [User")).unwrap();
    let v1 = next_version(&events, v0);
    let (status, _, body) = server.get("/repo/user/");
    assert_eq!(status, 500);
    assert!(
        body.contains("content/steps/02-user.md:3:"),
        "file:line in the page: {body}"
    );
    assert!(
        body.contains("stepdoc-live-reload"),
        "the error page reloads by itself"
    );
    std::fs::write(&step, &good).unwrap();
    next_version(&events, v1);
    let (status, _, body) = server.get("/repo/user/");
    assert_eq!(status, 200);
    assert!(body.contains("Create a user"));
}

#[test]
fn a_hundred_saves_in_a_second_do_not_queue_a_hundred_rebuilds() {
    let dir = fixture("good");
    let server = Server::start(dir.path());
    let step = dir.path().join("content/steps/01-token.md");
    let text = std::fs::read_to_string(&step).unwrap();
    for i in 0..100 {
        std::fs::write(&step, format!("{text}\n<!-- save {i} -->\n")).unwrap();
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(800));
    let rebuilds = server
        .log()
        .iter()
        .filter(|l| l.starts_with("rebuilt"))
        .count();
    assert!(
        (1..=20).contains(&rebuilds),
        "{rebuilds} rebuilds for 100 saves"
    );
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let dir = fixture("good");
    let mut server = Server::start(dir.path());
    assert_eq!(server.get("/repo/").0, 200);
    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(5);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running 5 s after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
    assert!(
        TcpStream::connect(&server.addr).is_err(),
        "the port is closed"
    );
}

#[test]
fn a_taken_port_gets_a_clear_message() {
    let dir = fixture("good");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_stepdoc"))
        .args(["serve", "--port", &port])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("another program uses this port"),
        "{stderr}"
    );
}

#[test]
fn build_output_has_no_reload_script() {
    let dir = fixture("good");
    assert!(common::stepdoc(dir.path(), &["build"]).status.success());
    for (path, bytes) in common::tree(&dir.path().join("output")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("stepdoc-live-reload") && !text.contains("__stepdoc"),
            "{}",
            path.display()
        );
    }
}
