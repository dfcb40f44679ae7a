//! A loopback HTTP server that records the raw requests it receives and
//! answers `200 {}`. Used to prove what generated snippets really send.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

/// One request as received on the wire.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads one HTTP/1.1 request (request line, headers, a Content-Length body).
pub fn read_request(stream: &std::net::TcpStream) -> Option<Received> {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.trim_end().split_once(':') {
            headers.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    let len = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    let _ = reader.read_exact(&mut body);
    Some(Received {
        method,
        target,
        headers,
        body,
    })
}

/// A running echo server.
pub struct Echo {
    pub port: u16,
    rx: mpsc::Receiver<Received>,
}

impl Echo {
    /// Starts the server on a free loopback port.
    pub fn start() -> Echo {
        Echo::answering("{}")
    }

    /// Starts a server that answers every request with the JSON `body`.
    pub fn answering(body: &str) -> Echo {
        let answer = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().unwrap().port();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let Some(received) = read_request(&stream) else {
                    continue;
                };
                let _ = stream.write_all(answer.as_bytes());
                let _ = tx.send(received);
            }
        });
        Echo { port, rx }
    }

    /// The next request received within `wait`, if any.
    pub fn next_within(&self, wait: Duration) -> Option<Received> {
        self.rx.recv_timeout(wait).ok()
    }

    /// The next request received, waiting up to 10 s.
    pub fn next(&self) -> Received {
        self.rx
            .recv_timeout(Duration::from_secs(10))
            .expect("no request arrived at the echo server")
    }
}
