//! Writing snapshots so that nothing good is lost: every new snapshot goes to
//! a temporary file first, and the old files are replaced only when all of
//! them were written. A snapshot equal to the stored one (apart from its
//! recording time) is left untouched.

use std::path::{Path, PathBuf};

use crate::content::{Site, Snapshot};
use crate::source::DATA_LIMIT;

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

/// Why no snapshot was written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum StoreError {
    /// A snapshot over the size every snapshot must fit.
    #[error("the snapshot of `{request}` would be {bytes} bytes, over the {} MiB a snapshot may hold; no snapshot was changed", DATA_LIMIT / (1024 * 1024))]
    TooBig { request: String, bytes: usize },
    /// A new snapshot could not be staged.
    #[error("cannot write {}: {source}; no snapshot was changed", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The staged snapshots could not all be moved in.
    #[error(transparent)]
    Commit(#[from] CommitError),
}

/// Writes all `pending` snapshots, or none of them.
pub(crate) fn write_all(root: &Path, pending: &[Pending]) -> Result<Vec<Outcome>, StoreError> {
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
        let tmp = sibling(&target, "tmp");
        let text = p.snapshot.to_file_text();
        let result = if text.len() as u64 > DATA_LIMIT {
            Err(StoreError::TooBig {
                request: p.request.clone(),
                bytes: text.len(),
            })
        } else {
            target
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&tmp, text))
                .map_err(|source| StoreError::Write {
                    path: tmp.clone(),
                    source,
                })
        };
        if let Err(e) = result {
            cleanup(&staged);
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        staged.push((tmp, target));
        outcomes.push(Outcome::Written);
    }
    commit(&staged, &|from, to| std::fs::rename(from, to))?;
    Ok(outcomes)
}

/// A hidden file beside `target` for this process (`.id.json.stepdoc-tmp-PID`).
fn sibling(target: &Path, what: &str) -> PathBuf {
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    target.with_file_name(format!(".{name}.stepdoc-{what}-{}", std::process::id()))
}

/// Moves every staged file over its target, or none: each old file is
/// first set aside, and when any rename fails every target done so far is
/// put back as it was. `rename` is `std::fs::rename` (a test injects failures).
fn commit(
    staged: &[(PathBuf, PathBuf)],
    rename: &dyn Fn(&Path, &Path) -> std::io::Result<()>,
) -> Result<(), CommitError> {
    // (target, its old file set aside, if it had one)
    let mut done: Vec<(&Path, Option<PathBuf>)> = Vec::new();
    let mut failure = None;
    for (tmp, target) in staged {
        let backup = sibling(target, "old");
        let had_old = target.exists();
        if had_old {
            if let Err(e) = rename(target, &backup) {
                failure = Some(CommitError {
                    action: "set aside",
                    path: target.clone(),
                    source: e,
                });
                break;
            }
        }
        let old = had_old.then_some(backup);
        if let Err(e) = rename(tmp, target) {
            if let Some(b) = &old {
                let _ = rename(b, target);
            }
            failure = Some(CommitError {
                action: "replace",
                path: target.clone(),
                source: e,
            });
            break;
        }
        done.push((target, old));
    }
    let Some(failure) = failure else {
        for (_, old) in done {
            if let Some(b) = old {
                let _ = std::fs::remove_file(b);
            }
        }
        return Ok(());
    };
    for (target, old) in done.into_iter().rev() {
        let _ = match old {
            Some(b) => rename(&b, target),
            None => std::fs::remove_file(target),
        };
    }
    for (tmp, _) in staged {
        let _ = std::fs::remove_file(tmp);
    }
    Err(failure)
}

/// A snapshot commit that failed, after every snapshot was put back.
#[derive(Debug, thiserror::Error)]
#[error("cannot {action} {}: {source}; every snapshot was put back as it was", path.display())]
pub(crate) struct CommitError {
    /// What could not be done: "set aside" (the old file) or "replace".
    action: &'static str,
    /// The snapshot.
    path: PathBuf,
    source: std::io::Error,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_rename_puts_every_snapshot_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut staged = Vec::new();
        for (i, old) in ["old a", "old b", "old c"].iter().enumerate() {
            let target = dir.path().join(format!("{i}.json"));
            std::fs::write(&target, old).unwrap();
            let tmp = sibling(&target, "tmp");
            std::fs::write(&tmp, format!("new {i}")).unwrap();
            staged.push((tmp, target));
        }
        // A new snapshot where none was before, too.
        let fresh = dir.path().join("3.json");
        std::fs::write(sibling(&fresh, "tmp"), "new 3").unwrap();
        staged.insert(1, (sibling(&fresh, "tmp"), fresh.clone()));
        // Seven renames in all: three old files set aside, four new ones moved in.
        for fail_at in 0..7 {
            let calls = std::cell::Cell::new(0);
            let rename = |a: &Path, b: &Path| {
                calls.set(calls.get() + 1);
                if calls.get() == fail_at + 1 {
                    Err(std::io::Error::other("injected"))
                } else {
                    std::fs::rename(a, b)
                }
            };
            let err = commit(&staged, &rename).unwrap_err();
            assert!(err.to_string().contains("put back"), "{err}");
            for (i, old) in ["old a", "old b", "old c"].iter().enumerate() {
                let target = dir.path().join(format!("{i}.json"));
                assert_eq!(
                    std::fs::read_to_string(target).unwrap(),
                    *old,
                    "failure at rename {fail_at}"
                );
            }
            assert!(!fresh.exists(), "failure at rename {fail_at}");
            let left: Vec<_> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            assert_eq!(left.len(), 3, "failure at rename {fail_at}: {left:?}");
            // Stage again for the next round.
            for (i, (tmp, _)) in staged.iter().enumerate() {
                std::fs::write(tmp, format!("new {i}")).unwrap();
            }
        }
        commit(&staged, &|a, b| std::fs::rename(a, b)).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("2.json")).unwrap(),
            "new 3"
        );
        assert_eq!(std::fs::read_to_string(&fresh).unwrap(), "new 1");
    }
}
