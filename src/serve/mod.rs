//! `stepdoc serve`: builds the walkthrough into memory, serves it over HTTP
//! on loopback under its base path, rebuilds what a change touches, and
//! tells open browsers to reload once the rebuild has finished.
//!
//! The server is a preview for one person: it answers only `Host` names
//! that cannot be rebound to another site (`localhost`, IP addresses), GET
//! and HEAD only, closes connections that do not send their request
//! headers in time, and holds a bounded number of connections.

pub(crate) mod http;
#[cfg(feature = "mock")]
mod mock;
mod preview;
mod watch;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::sync::watch as tokio_watch;

use crate::error::{Error, Problem, Result};
pub use preview::{Files, Preview};

/// Connections held at once; more are closed as soon as they are accepted.
const MAX_CONNECTIONS: usize = 256;

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
    /// A connection that has not sent a request's headers in this time
    /// (also between requests on a kept-alive connection) is closed.
    pub header_timeout: Duration,
    /// `--mock`: also run `stepdoc mock` on this port (0: any free one)
    /// and point every example on the pages at it.
    #[cfg_attr(not(feature = "mock"), allow(dead_code))]
    pub mock: Option<u16>,
}

/// What the server tells the person running it; the CLI prints it.
pub trait Reporter: Send + Sync {
    /// The server listens at `url`.
    fn ready(&self, url: &str);
    /// Progress: a build or rebuild finished.
    fn note(&self, line: &str);
    /// Something the person should know (a non-loopback address).
    fn warn(&self, line: &str);
    /// A build failed; the error is also shown in the browser.
    fn error(&self, line: &str);
}

/// Parses `--bind` and `--port`; a usage error when they are not an address.
pub(crate) fn address(bind: &str, port: u16) -> Result<SocketAddr> {
    let host = bind.trim_start_matches('[').trim_end_matches(']');
    let ip: std::net::IpAddr = host.parse().map_err(|e| {
        Error::Usage(
            Problem::new(format!("--bind {bind}: not an IP address: {e}"))
                .hint("use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)"),
        )
    })?;
    Ok(SocketAddr::new(ip, port))
}

/// Why `addr` cannot be listened on, with a hint when its port is taken:
/// the one message of `serve` and `mock`.
pub(crate) fn listen_problem(addr: SocketAddr, e: &std::io::Error) -> Problem {
    let problem = Problem::new(format!("cannot listen on {addr}: {e}"));
    if e.kind() == std::io::ErrorKind::AddrInUse {
        problem.hint("another program uses this port; pass --port with another one")
    } else {
        problem
    }
}

/// Runs the preview server until Ctrl-C.
pub fn serve(opts: &ServeOptions, reporter: Arc<dyn Reporter>) -> Result<()> {
    let addr = address(&opts.bind, opts.port)?;
    if !addr.ip().is_loopback() {
        reporter.warn(&format!(
            "serving on {}, which other machines can reach: anyone on the network can read the preview",
            addr.ip()
        ));
    }
    let files = Arc::new(RwLock::new(Files::default()));
    let preview = Preview::new(&opts.root);
    #[cfg(feature = "mock")]
    let (preview, mock) = mock::bind(opts, preview)?;
    let mut preview = preview;
    let first = preview.rebuild(&[], &files);
    match &first.error {
        Some(e) => reporter.error(&format!("{e}\n(serving the error page until it is fixed)")),
        None => reporter.note(&format!(
            "built {} pages in {} ms",
            first.pages,
            first.elapsed.as_millis()
        )),
    }
    let base = preview.base_path().unwrap_or_else(|| "/".into());
    let (version_tx, version_rx) =
        tokio_watch::channel(files.read().map(|f| f.version).unwrap_or(0));
    let (shutdown_tx, shutdown_rx) = tokio_watch::channel(false);

    let (change_tx, change_rx) = std::sync::mpsc::channel();
    let watcher = watch::Watcher::start(&opts.root, opts.poll, change_tx).map_err(Error::Serve)?;
    let rebuilds = Rebuilds {
        preview,
        watcher,
        files: files.clone(),
        log: reporter.clone(),
        version: version_tx,
    };
    std::thread::spawn(move || rebuilds.run(change_rx));

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io(&opts.root, e))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Error::Serve(listen_problem(addr, &e)))?;
        let local = listener
            .local_addr()
            .map_err(|e| Error::io(&opts.root, e))?;
        let url = format!("http://{local}{base}");
        reporter.ready(&url);
        #[cfg(feature = "mock")]
        if let Some(bound) = mock {
            mock::start(bound, reporter.as_ref(), opts.header_timeout);
        }
        if opts.open {
            crate::browser::open(&url);
        }
        let state = http::AppState {
            files,
            base,
            version: version_rx,
            shutdown: shutdown_rx,
            streams: Arc::default(),
        };
        accept(listener, opts.header_timeout, move |req| {
            http::handle(state.clone(), req)
        })
        .await;
        let _ = shutdown_tx.send(true);
        Ok(())
    })
}

/// The rebuild loop: on each burst of saves, the preview rebuilds what they
/// touch and the new version goes to the reload streams.
struct Rebuilds {
    preview: Preview,
    watcher: watch::Watcher,
    files: Arc<RwLock<Files>>,
    log: Arc<dyn Reporter>,
    version: tokio_watch::Sender<u64>,
}

impl Rebuilds {
    /// Runs until the watcher or every reload stream is gone.
    fn run(mut self, changes: std::sync::mpsc::Receiver<Vec<std::path::PathBuf>>) {
        while let Ok(mut changed) = changes.recv() {
            // Coalesce a burst of saves: wait for a quiet spell, but never
            // longer than MAX_WAIT, so steady saving still shows progress.
            let first = std::time::Instant::now();
            while first.elapsed() < watch::MAX_WAIT {
                match changes.recv_timeout(watch::QUIET) {
                    Ok(more) => changed.extend(more),
                    Err(_) => break,
                }
            }
            // content/ or themes/ itself was created or removed: watch it
            // anew and rebuild everything.
            if self.watcher.rewatch_if_replaced(&changed) {
                changed.clear();
            }
            let r = self.preview.rebuild(&changed, &self.files);
            match &r.error {
                Some(e) => self.log.error(e),
                None => self.log.note(&format!(
                    "rebuilt {} page(s) in {:.1} ms",
                    r.pages,
                    r.elapsed.as_secs_f64() * 1000.0
                )),
            }
            let v = self.files.read().map(|f| f.version).unwrap_or(0);
            if self.version.send(v).is_err() {
                break;
            }
        }
    }
}

/// Accepts connections until Ctrl-C, each served by hyper with
/// `handler`, a header timeout, and at most [`MAX_CONNECTIONS`] at a time:
/// the one accept loop of the preview and the mock.
pub(crate) async fn accept<F, Fut>(
    listener: tokio::net::TcpListener,
    header_timeout: Duration,
    handler: F,
) where
    F: Fn(hyper::Request<hyper::body::Incoming>) -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = http::Response> + Send + 'static,
{
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = &mut ctrl_c => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            // Out of file descriptors, or the peer left: try again shortly.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let handler = handler.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let answer = handler(req);
                async move { Ok::<_, std::convert::Infallible>(answer.await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
            drop(slot);
        });
    }
}
