//! Watching the walkthrough for changes: `content/` and `themes/`, with
//! notify's native events or polling, debounced, so a burst of saves becomes
//! one batch of changed paths.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use crate::error::Problem;
use notify::event::ModifyKind;
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    new_debouncer, new_debouncer_opt, DebounceEventResult, Debouncer, NoCache, RecommendedCache,
};

/// Quiet time after the last event before the watcher sends a batch.
pub const DEBOUNCE: Duration = Duration::from_millis(20);
/// Quiet time the rebuilder waits for more batches before it starts.
pub const QUIET: Duration = Duration::from_millis(15);
/// The longest the rebuilder lets a stream of saves postpone a rebuild.
pub const MAX_WAIT: Duration = Duration::from_millis(250);

/// The notify debouncer, native or polling.
enum Inner {
    /// Native file events.
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    /// Polling, for file systems where events do not arrive.
    Poll(Debouncer<PollWatcher, NoCache>),
}

/// A running watcher of `content/` and `themes/` (and of the root itself,
/// so that a `content/` that is deleted and created again is seen);
/// dropping it stops watching.
pub struct Watcher {
    inner: Inner,
    root: PathBuf,
}

/// Paths that never trigger a rebuild: output, temp and editor files.
fn ignored(root: &Path, p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    p.starts_with(root.join("output"))
        || name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.contains("stepdoc-tmp")
}

/// The folders watched recursively.
const WATCHED: [&str; 2] = ["content", "themes"];

impl Watcher {
    /// Watches `root`'s `content/` and `themes/`; sends each batch of changed paths to `tx`.
    pub fn start(root: &Path, poll: bool, tx: Sender<Vec<PathBuf>>) -> Result<Watcher, Problem> {
        // Events carry absolute paths.
        let root = &std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let root_c = root.to_path_buf();
        let handler = move |result: DebounceEventResult| {
            if let Ok(events) = result {
                // Reading files (as a rebuild does) raises access events: only changes count.
                let mut paths: Vec<PathBuf> = events
                    .iter()
                    .filter(|e| {
                        matches!(
                            e.kind,
                            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                        )
                    })
                    .filter(|e| !matches!(e.kind, EventKind::Modify(ModifyKind::Metadata(_))))
                    .flat_map(|e| e.paths.iter().cloned())
                    .filter(|p| !ignored(&root_c, p))
                    .filter(|p| WATCHED.iter().any(|d| p.starts_with(root_c.join(d))))
                    .collect();
                paths.sort();
                paths.dedup();
                if !paths.is_empty() {
                    let _ = tx.send(paths);
                }
            }
        };
        let err = |e: notify::Error| {
            Problem::new(format!("cannot watch {}: {e}", root.display())).hint("try --poll")
        };
        let inner = if poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(300));
            Inner::Poll(
                new_debouncer_opt::<_, PollWatcher, NoCache>(
                    DEBOUNCE, None, handler, NoCache, config,
                )
                .map_err(err)?,
            )
        } else {
            Inner::Native(new_debouncer(DEBOUNCE, None, handler).map_err(err)?)
        };
        let mut w = Watcher {
            inner,
            root: root.to_path_buf(),
        };
        w.watch(root, RecursiveMode::NonRecursive).map_err(err)?;
        for dir in WATCHED {
            let dir = root.join(dir);
            if dir.is_dir() {
                w.watch(&dir, RecursiveMode::Recursive).map_err(err)?;
            }
        }
        Ok(w)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match &mut self.inner {
            Inner::Native(d) => d.watch(path, mode),
            Inner::Poll(d) => d.watch(path, mode),
        }
    }

    /// When `changed` holds `content/` or `themes/` itself (deleted, or
    /// created again), watches it anew; true when it did, and everything
    /// should be rebuilt.
    pub fn rewatch_if_replaced(&mut self, changed: &[PathBuf]) -> bool {
        let replaced: Vec<PathBuf> = WATCHED
            .iter()
            .map(|d| self.root.join(d))
            .filter(|d| changed.iter().any(|p| p == d))
            .collect();
        for dir in &replaced {
            if dir.is_dir() {
                let _ = self.watch(dir, RecursiveMode::Recursive);
            }
        }
        !replaced.is_empty()
    }
}
