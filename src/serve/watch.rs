//! Watching the walkthrough for changes: `content/` and `themes/`, with
//! notify's native events or polling, debounced, so a burst of saves becomes
//! one batch of changed paths.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::event::ModifyKind;
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    new_debouncer, new_debouncer_opt, DebounceEventResult, Debouncer, NoCache, RecommendedCache,
};

/// Quiet time after the last event before the watcher sends a batch.
pub const DEBOUNCE: Duration = Duration::from_millis(30);
/// Quiet time the rebuilder waits for more batches before it starts.
pub const QUIET: Duration = Duration::from_millis(40);
/// The longest the rebuilder lets a stream of saves postpone a rebuild.
pub const MAX_WAIT: Duration = Duration::from_millis(250);

/// A running watcher; dropping it stops watching (the debouncer is held,
/// never read).
#[allow(dead_code)]
pub enum Watcher {
    /// Native file events.
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    /// Polling, for file systems where events do not arrive.
    Poll(Debouncer<PollWatcher, NoCache>),
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

/// Watches `root`'s `content/` and `themes/`; sends each batch of changed paths to `tx`.
pub fn watch(root: &Path, poll: bool, tx: Sender<Vec<PathBuf>>) -> Result<Watcher, String> {
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
                .collect();
            paths.sort();
            paths.dedup();
            if !paths.is_empty() {
                let _ = tx.send(paths);
            }
        }
    };
    let dirs: Vec<PathBuf> = ["content", "themes"]
        .iter()
        .map(|d| root.join(d))
        .filter(|d| d.is_dir())
        .collect();
    let err =
        |e: notify::Error| format!("cannot watch {}: {e}\n  hint: try --poll", root.display());
    if poll {
        let config = notify::Config::default().with_poll_interval(Duration::from_millis(300));
        let mut d =
            new_debouncer_opt::<_, PollWatcher, NoCache>(DEBOUNCE, None, handler, NoCache, config)
                .map_err(err)?;
        for dir in &dirs {
            d.watch(dir, RecursiveMode::Recursive).map_err(err)?;
        }
        Ok(Watcher::Poll(d))
    } else {
        let mut d = new_debouncer(DEBOUNCE, None, handler).map_err(err)?;
        for dir in &dirs {
            d.watch(dir, RecursiveMode::Recursive).map_err(err)?;
        }
        Ok(Watcher::Native(d))
    }
}
