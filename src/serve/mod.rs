//! `stepdoc serve`: builds the walkthrough into memory, serves it over HTTP
//! on loopback under its base path, rebuilds what a change touches, and
//! tells open browsers to reload once the rebuild has finished.

mod http;
mod preview;
mod watch;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use tokio::sync::watch as tokio_watch;

use crate::error::{Error, Result};
pub use http::resolve;
pub use preview::{Files, Preview};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Walkthrough root.
    pub root: PathBuf,
    /// Address to bind.
    pub bind: String,
    /// Port to bind (0: any free port).
    pub port: u16,
    /// Open a browser.
    pub open: bool,
    /// Poll instead of native file events.
    pub poll: bool,
}

/// Runs the preview server until Ctrl-C. `on_ready` gets the URL once it listens.
pub fn serve(opts: &ServeOptions, on_ready: &mut dyn FnMut(&str)) -> Result<()> {
    let files = Arc::new(RwLock::new(Files::default()));
    let mut preview = Preview::new(&opts.root);
    let first = preview.rebuild(&[], &files);
    match &first.error {
        Some(e) => eprintln!("error: {e}\n(serving the error page until it is fixed)"),
        None => eprintln!(
            "built {} pages in {} ms",
            first.pages,
            first.elapsed.as_millis()
        ),
    }
    let base = preview.base_path().unwrap_or_else(|| "/".into());
    let (version_tx, version_rx) =
        tokio_watch::channel(files.read().map(|f| f.version).unwrap_or(0));
    let (shutdown_tx, shutdown_rx) = tokio_watch::channel(false);

    let (change_tx, change_rx) = std::sync::mpsc::channel();
    let _watcher = watch::watch(&opts.root, opts.poll, change_tx).map_err(Error::Serve)?;
    let files_c = files.clone();
    std::thread::spawn(move || {
        while let Ok(mut changed) = change_rx.recv() {
            // Coalesce a burst of saves: wait for a quiet spell, but never
            // longer than MAX_WAIT, so steady saving still shows progress.
            let first = std::time::Instant::now();
            while first.elapsed() < watch::MAX_WAIT {
                match change_rx.recv_timeout(watch::QUIET) {
                    Ok(more) => changed.extend(more),
                    Err(_) => break,
                }
            }
            let r = preview.rebuild(&changed, &files_c);
            match &r.error {
                Some(e) => eprintln!("error: {e}"),
                None => eprintln!(
                    "rebuilt {} page(s) in {:.1} ms",
                    r.pages,
                    r.elapsed.as_secs_f64() * 1000.0
                ),
            }
            let v = files_c.read().map(|f| f.version).unwrap_or(0);
            if version_tx.send(v).is_err() {
                break;
            }
        }
    });

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io(&opts.root, e))?;
    runtime.block_on(async move {
        let addr: SocketAddr = format!("{}:{}", opts.bind, opts.port)
            .parse()
            .map_err(|e| {
                Error::Usage(format!(
                    "--bind {} --port {}: not an address: {e}",
                    opts.bind, opts.port
                ))
            })?;
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                "\n  hint: another program uses this port; pass --port with another one"
            } else {
                ""
            };
            Error::Serve(format!("cannot listen on {addr}: {e}{hint}"))
        })?;
        let local = listener
            .local_addr()
            .map_err(|e| Error::io(&opts.root, e))?;
        let url = format!("http://{local}{base}");
        on_ready(&url);
        if opts.open {
            crate::record::link::open_browser(&url);
        }
        let state = http::AppState {
            files,
            base,
            version: version_rx,
            shutdown: shutdown_rx,
        };
        let app = axum::Router::new().fallback(move |req| http::handle(state.clone(), req));
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = tokio::signal::ctrl_c().await;
                let _ = shutdown_tx.send(true);
            })
            .await
            .map_err(|e| Error::io(&opts.root, e))
    })
}
