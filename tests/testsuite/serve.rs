//! `stepdoc serve` as a real HTTP server: pages under the base path, the
//! site's 404, no path traversal, live reload after edits, the error page
//! for a broken edit and recovery, debouncing, and a clean build output.
// These tests drive POSIX tools (sh, curl, kill, /proc).
#![cfg(unix)]

use crate::common;

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
        Server::start_with(root, &[])
    }

    /// `stepdoc serve` with extra arguments.
    fn start_with(root: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_stepdoc"))
            .args(["serve", "--port", "0"])
            .args(args)
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
        self.request("GET", path, &self.addr)
    }

    /// `method` `path` with `Host: host`: (status, headers, body).
    fn request(&self, method: &str, path: &str, host: &str) -> (u16, String, String) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
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
/// How long a test waits for an event that should come within
/// milliseconds: generous, since it only bounds a failure (a loaded CI
/// machine may be slow), never a passing run.
const WAIT: Duration = Duration::from_secs(20);

/// Saves `text` as `step` (`ROOT/content/steps/NN-slug.md`) in one rename,
/// as editors do: the watcher never sees the file empty or half written
/// (a plain write truncates first; a rebuild in between, under load,
/// would show an error page for a save that is fine).
fn save(step: &Path, text: &str) {
    let root = step.ancestors().nth(3).unwrap();
    let tmp = root.join(".save.tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, step).unwrap();
}

fn next_version(rx: &mpsc::Receiver<u64>, after: u64) -> u64 {
    let deadline = Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let v = rx.recv_timeout(left).expect("no reload event in time");
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
    let (status, head, _) = server.get("/repo/user?x=1");
    assert_eq!(status, 302, "a folder without its slash is redirected");
    assert!(head.contains("location: /repo/user/?x=1"), "{head}");
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
    let v0 = events.recv_timeout(WAIT).unwrap();
    let step = dir.path().join("content/steps/02-user.md");
    let text = std::fs::read_to_string(&step).unwrap();
    save(&step, &text.replace("Back to", "Tilbage til"));
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
fn search_works_in_the_preview_and_follows_an_edit() {
    let dir = fixture("good");
    let server = Server::start(dir.path());
    let events = server.events();
    let v0 = events.recv_timeout(WAIT).unwrap();
    let (status, _, page) = server.get("/repo/user/");
    assert_eq!(status, 200);
    assert!(page.contains("data-index=\"../search-index.js\""), "{page}");
    let (status, _, index) = server.get("/repo/search-index.js");
    assert_eq!(status, 200);
    assert!(index.starts_with("window.STEPDOC_SEARCH = ["), "{index}");
    assert!(!index.contains("Zanzibarword"));
    let step = dir.path().join("content/steps/02-user.md");
    let text = std::fs::read_to_string(&step).unwrap();
    save(&step, &text.replace("Back to", "Zanzibarword back to"));
    next_version(&events, v0);
    let (_, _, index) = server.get("/repo/search-index.js");
    assert!(index.contains("Zanzibarword"), "the index follows the edit");
}

#[test]
fn a_broken_edit_shows_the_error_and_recovers_by_itself() {
    let dir = fixture("good");
    let server = Server::start(dir.path());
    let events = server.events();
    let v0 = events.recv_timeout(WAIT).unwrap();
    let step = dir.path().join("content/steps/02-user.md");
    let good = std::fs::read_to_string(&step).unwrap();
    save(&step, &good.replace("nav: User", "nav: [User"));
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
    save(&step, &good);
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
    // The last rebuild may still run on a busy machine: wait for it.
    let rebuilds = || {
        server
            .log()
            .iter()
            .filter(|l| l.starts_with("rebuilt"))
            .count()
    };
    let deadline = Instant::now() + WAIT;
    while rebuilds() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(800));
    let rebuilds = rebuilds();
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

#[test]
fn only_local_host_names_and_get_or_head_are_answered() {
    let dir = fixture("good");
    let server = Server::start(dir.path());
    let port = server.addr.rsplit(':').next().unwrap().to_owned();
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "app.localhost".into(),
    ] {
        assert_eq!(server.request("GET", "/repo/", &host).0, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        "rebind.attacker.test".to_owned(),
    ] {
        let (status, _, body) = server.request("GET", "/repo/", &host);
        assert_eq!(status, 403, "{host}");
        assert!(
            !body.contains("Fixture walkthrough"),
            "{host} read the site"
        );
    }
    assert_eq!(server.request("HEAD", "/repo/", &server.addr).0, 200);
    for method in ["POST", "PUT", "DELETE"] {
        let (status, head, _) = server.request(method, "/repo/", &server.addr);
        assert_eq!(status, 405, "{method}");
        assert!(head.contains("allow: get, head"), "{head}");
    }
}

#[test]
fn a_non_loopback_address_is_announced() {
    let dir = fixture("good");
    let mut child = Command::new(env!("CARGO_BIN_EXE_stepdoc"))
        .args(["serve", "--port", "0", "--bind", "0.0.0.0"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        line.contains("warning: serving on 0.0.0.0, which other machines can reach"),
        "{line}"
    );
}

#[test]
fn slow_and_idle_connections_are_closed_and_capped() {
    let dir = fixture("good");
    let server = Server::start_with(dir.path(), &["--header-timeout", "1"]);
    // Connections that never send a request: the server holds at most 256
    // and closes the others as soon as it accepts them.
    let idle: Vec<TcpStream> = (0..400)
        .filter_map(|_| TcpStream::connect(&server.addr).ok())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let closed = idle
        .iter()
        .filter(|s| {
            s.set_nonblocking(true).unwrap();
            let mut reader: &TcpStream = s;
            matches!(reader.read(&mut [0u8; 1]), Ok(0))
        })
        .count();
    assert!(
        (400 - 256..400).contains(&closed) && idle.len() == 400,
        "{closed} of {} idle connections closed (the cap is 256)",
        idle.len()
    );
    drop(idle);
    std::thread::sleep(Duration::from_millis(300));
    // A connection that sends half a request is closed once the header
    // timeout (1 s here) passes.
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    write!(slow, "GET /repo/ HTTP/1.1\r\nHost: local").unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let start = Instant::now();
    let mut buf = Vec::new();
    let _ = slow.read_to_end(&mut buf);
    let held = start.elapsed();
    assert!(
        (Duration::from_millis(800)..Duration::from_secs(5)).contains(&held),
        "a slow client held its connection for {held:?} (the timeout is 1 s)"
    );
    assert_eq!(server.get("/repo/").0, 200, "the server still answers");
}

#[test]
fn a_deleted_step_disappears_and_a_recreated_content_folder_is_served() {
    let dir = fixture("good");
    let server = Server::start(dir.path());
    let events = server.events();
    let v0 = events.recv_timeout(WAIT).unwrap();
    std::fs::remove_file(dir.path().join("content/steps/03-list.yaml")).unwrap();
    let v1 = next_version(&events, v0);
    assert_eq!(
        server.get("/repo/list/").0,
        404,
        "the deleted step's page is gone"
    );
    assert!(
        !server.get("/repo/").2.contains("Transactions"),
        "the stepper no longer lists it"
    );
    // content/ replaced as a whole, as `git checkout` or a restore would.
    let content = dir.path().join("content");
    let aside = dir.path().join("content-aside");
    std::fs::rename(&content, &aside).unwrap();
    let v2 = next_version(&events, v1);
    assert_eq!(
        server.get("/repo/user/").0,
        500,
        "missing content shows the error page"
    );
    common::copy_dir(&aside, &content);
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut v = v2;
    while server.get("/repo/user/").0 != 200 {
        assert!(
            Instant::now() < deadline,
            "content/ created again is never served"
        );
        v = next_version(&events, v);
    }
}

#[test]
fn every_language_is_served_and_a_saved_translation_shows() {
    let dir = fixture("good");
    let site = dir.path().join("content/site.yaml");
    let yaml = std::fs::read_to_string(&site).unwrap();
    std::fs::write(&site, yaml.replace("language: en", "languages: [en, da]")).unwrap();
    let t = dir.path().join("content/steps/01-token.da.md");
    std::fs::write(&t, "---\ntitle: Hent et token\n---\nFørste udgave.\n").unwrap();
    let server = Server::start(dir.path());
    let events = server.events();
    let v0 = events.recv_timeout(WAIT).unwrap();
    let (status, _, body) = server.get("/repo/da/token/");
    assert_eq!(status, 200);
    assert!(body.contains("Første udgave") && body.contains("<html lang=\"da\">"));
    std::fs::write(&t, "---\ntitle: Hent et token\n---\nAnden udgave.\n").unwrap();
    next_version(&events, v0);
    let (_, _, body) = server.get("/repo/da/token/");
    assert!(
        body.contains("Anden udgave"),
        "the saved translation is served"
    );
    assert_eq!(server.get("/repo/token/").0, 200);
}

#[test]
fn many_reload_streams_end_the_oldest_and_leave_room_for_pages() {
    let dir = fixture("good");
    let server = Server::start(dir.path());
    let first = server.events();
    assert!(first.recv_timeout(WAIT).is_ok());
    let rest: Vec<_> = (0..40).map(|_| server.events()).collect();
    for rx in &rest {
        assert!(rx.recv_timeout(WAIT).is_ok(), "a stream got no first event");
    }
    // The first stream was ended to make room: its reader sees the end.
    assert!(matches!(
        first.recv_timeout(WAIT),
        Err(mpsc::RecvTimeoutError::Disconnected)
    ));
    let (status, _, _) = server.get("/repo/");
    assert_eq!(status, 200);
}
