//! A fake of the parts of GitHub the example walkthrough uses (the device
//! flow on the login host, `/user`, a repository's issues), on loopback,
//! logging every request it gets. Tokens are checked like GitHub would.
//! Needs `echo` (for its request reader) beside it in the test crate.

use std::io::Write;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

pub const DEVICE_CODE: &str = "3584d83530557fdd1f46af8289938c8ef79f9dc5";
pub const USER_CODE: &str = "WDJB-MJHT";
pub const ACCESS_TOKEN: &str = "gho_fake0access0token0for0tests00000001";
pub const PAT: &str = "ghp_fake0personal0access0token0000000001";

/// A running fake; `base` serves both the API and the login host.
pub struct FakeGitHub {
    pub base: String,
    pub log: Arc<Mutex<Vec<String>>>,
}

fn respond(stream: &mut std::net::TcpStream, status: u16, body: &str) {
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

impl FakeGitHub {
    pub fn start() -> FakeGitHub {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let log_c = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let Some(request) = crate::common::echo::read_request(&stream) else {
                    continue;
                };
                let (method, target) = (request.method.clone(), request.target.clone());
                let body = String::from_utf8_lossy(&request.body).into_owned();
                let header = |name: &str| request.header(name).unwrap_or_default().to_owned();
                log_c.lock().unwrap().push(format!("{method} {target}"));
                let path = target.split('?').next().unwrap_or("");
                let bearer = header("authorization");
                match (method.as_str(), path) {
                    ("POST", "/login/device/code") if body.contains("client_id=") => respond(
                        &mut stream,
                        200,
                        &format!(
                            r#"{{"device_code":"{DEVICE_CODE}","user_code":"{USER_CODE}","verification_uri":"https://github.com/login/device","expires_in":900,"interval":5}}"#
                        ),
                    ),
                    ("POST", "/login/oauth/access_token") if body.contains(DEVICE_CODE) => respond(
                        &mut stream,
                        200,
                        &format!(
                            r#"{{"access_token":"{ACCESS_TOKEN}","token_type":"bearer","scope":"repo"}}"#
                        ),
                    ),
                    ("GET", "/user") if bearer == format!("Bearer {ACCESS_TOKEN}") => respond(
                        &mut stream,
                        200,
                        r#"{"login":"octocat","id":1,"name":"The Octocat"}"#,
                    ),
                    ("GET", "/repos/octo-org/hello-world/issues")
                        if bearer == format!("Bearer {PAT}") =>
                    {
                        respond(
                            &mut stream,
                            200,
                            r#"[{"number":1347,"title":"Found a bug","state":"open","id":1}]"#,
                        )
                    }
                    (_, "/user") | (_, "/repos/octo-org/hello-world/issues") => {
                        respond(&mut stream, 401, r#"{"message":"Bad credentials"}"#)
                    }
                    _ => respond(&mut stream, 404, r#"{"message":"Not Found"}"#),
                }
            }
        });
        FakeGitHub { base, log }
    }
}
