//! Writing snapshots so that nothing good is lost: every new snapshot goes to
//! a temporary file first, and the old files are replaced only when all of
//! them were written. A snapshot equal to the stored one (apart from its
//! recording time) is left untouched.

use std::path::{Path, PathBuf};

use crate::content::{Site, Snapshot};

/// What happened to one snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new or changed snapshot was written.
    Written,
    /// The stored snapshot already says the same.
    Unchanged,
}

/// A snapshot to store for a step's request.
pub struct Pending {
    /// Step slug.
    pub step: String,
    /// Request id.
    pub request: String,
    /// The redacted snapshot.
    pub snapshot: Snapshot,
}

/// The stored snapshot, if any and if readable.
pub fn stored(root: &Path, step: &str, request: &str) -> Option<Snapshot> {
    let text = std::fs::read_to_string(Site::snapshot_path(root, step, request)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Writes all `pending` snapshots, or none of them.
pub fn write_all(root: &Path, pending: &[Pending]) -> Result<Vec<Outcome>, String> {
    let mut outcomes = Vec::new();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for p in pending {
        let target = Site::snapshot_path(root, &p.step, &p.request);
        let same = stored(root, &p.step, &p.request).is_some_and(|old| {
            Snapshot {
                recorded_at: String::new(),
                ..old
            } == Snapshot {
                recorded_at: String::new(),
                ..p.snapshot.clone()
            }
        });
        if same {
            outcomes.push(Outcome::Unchanged);
            continue;
        }
        let tmp = target.with_file_name(format!(
            ".{}.json.stepdoc-tmp-{}",
            p.request,
            std::process::id()
        ));
        let result = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&tmp, p.snapshot.to_file_text()));
        if let Err(e) = result {
            cleanup(&staged);
            let _ = std::fs::remove_file(&tmp);
            return Err(format!(
                "cannot write {}: {e}; no snapshot was changed",
                tmp.display()
            ));
        }
        staged.push((tmp, target));
        outcomes.push(Outcome::Written);
    }
    for (i, (tmp, target)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, target) {
            cleanup(&staged[i..]);
            return Err(format!("cannot replace {}: {e}", target.display()));
        }
    }
    Ok(outcomes)
}
