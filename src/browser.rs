//! Opening a URL in the person's browser, for `serve --open` and the
//! interactive steps of `record`. Failure is not an error: the URL is
//! printed as well.

/// Tries to open `url` in the default browser.
pub fn open(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        // Not `cmd /c start`: cmd would read `&` in the URL as a command separator.
        let mut c = std::process::Command::new("rundll32");
        c.arg("url.dll,FileProtocolHandler");
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let _ = command
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
