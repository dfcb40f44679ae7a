//! The output directory: safety checks, and the commit. A site is staged
//! complete in a temporary directory next to the output (files whose bytes
//! did not change are hard links to the old ones, so nothing is written
//! twice), and the staged directory then takes the output's place in one
//! atomic exchange. A build killed at any moment leaves either the old site
//! or the new one; the next build removes what a killed one left behind.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::{Error, Problem, Result};
use crate::files::write_file;

/// File that marks a directory as written by stepdoc, so a later build may replace it.
pub const MARKER: &str = ".stepdoc";

/// A directory being filled with a new site.
pub struct Staging {
    /// Held while the build runs.
    _lock: Lock,
    target: PathBuf,
    dir: PathBuf,
    /// Whether an output from an earlier build is there to update.
    update: bool,
    /// Every file of the new site (site-relative paths).
    files: Mutex<Vec<String>>,
    /// How many files differ from the old output.
    changed: AtomicUsize,
}

/// An absolute path with every existing part resolved (symlinks followed),
/// so that `output -> content` is seen for what it is.
fn resolved(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            return rest
                .iter()
                .rev()
                .fold(real, |acc: PathBuf, part| acc.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return abs,
        }
    }
}

/// Refuses output directories that stepdoc must never replace: the
/// filesystem root, the home directory, the walkthrough or anything holding
/// it, and anything that is or lies inside `content/` or `themes/` (even
/// with `force`). A directory stepdoc did not write needs `force`.
pub fn check_target(root: &Path, target: &Path, force: bool) -> Result<()> {
    let target_abs = resolved(target);
    let root_abs = resolved(root);
    let refuse = |why: &str| {
        Err(Error::Usage(
            Problem::new(format!(
                "refusing to use {} as the output directory: {why}",
                target.display()
            ))
            .hint(format!(
                "choose a folder of its own, e.g. --output {}",
                root.join("output").display()
            )),
        ))
    };
    if target_abs.parent().is_none() {
        return refuse("it is the filesystem root");
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if resolved(&home) == target_abs {
            return refuse("it is the home directory");
        }
    }
    if root_abs.starts_with(&target_abs) {
        return refuse("it is or contains the walkthrough itself");
    }
    for source in [crate::content::CONTENT_DIR, "themes"] {
        if target_abs.starts_with(root_abs.join(source)) {
            return refuse(&format!(
                "it is or lies inside {source}/, the walkthrough's sources"
            ));
        }
    }
    if target_abs.join(crate::content::CONTENT_DIR).exists() {
        return refuse("it contains a content/ directory (another walkthrough)");
    }
    if target_abs.is_file() {
        return refuse("it is a file");
    }
    let non_empty = std::fs::read_dir(&target_abs)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if non_empty && !target_abs.join(MARKER).exists() && !force {
        return Err(Error::Usage(
            Problem::new(format!(
                "{} exists and was not written by stepdoc (no {MARKER} file in it)",
                target.display()
            ))
            .hint("pass --force to replace it anyway, or choose another --output"),
        ));
    }
    Ok(())
}

/// The folder `target` lives in, and the prefix of the temporary folders a
/// build of `target` makes beside it.
fn temp_prefix(target: &Path) -> (PathBuf, String) {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    (parent, format!(".{name}.stepdoc-"))
}

/// Removes temporary folders that killed builds of `target` left behind
/// (those of a build still running are kept: its lock is held). When a
/// build was killed between the two renames of the fallback commit, the old
/// site is put back.
fn clean_leftovers(target: &Path) {
    let (parent, prefix) = temp_prefix(target);
    let Ok(entries) = std::fs::read_dir(&parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        let (kind, pid) = rest.split_once('-').unwrap_or((rest, ""));
        if pid == std::process::id().to_string() || running(&parent, &prefix, pid) {
            continue;
        }
        if kind == "old" && !target.exists() && std::fs::rename(entry.path(), target).is_ok() {
            continue;
        }
        match kind {
            "old" | "tmp" => {
                let _ = std::fs::remove_dir_all(entry.path());
            }
            "lock" => {
                let _ = std::fs::remove_file(entry.path());
            }
            _ => {}
        }
    }
}

/// Whether the build with process id `pid` still runs: it holds the lock
/// on its lock file for as long as it runs (a reused process id holds no
/// such lock).
fn running(parent: &Path, prefix: &str, pid: &str) -> bool {
    let Ok(file) = std::fs::File::open(parent.join(format!("{prefix}lock-{pid}"))) else {
        return false;
    };
    matches!(file.try_lock(), Err(std::fs::TryLockError::WouldBlock))
}

/// A build's lock file, locked while the build runs and removed when it
/// ends (a killed build's is removed by the next build).
struct Lock {
    _file: std::fs::File,
    path: PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Takes this build's lock.
fn lock(parent: &Path, prefix: &str) -> Result<Lock> {
    let path = parent.join(format!("{prefix}lock-{}", std::process::id()));
    let file = std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
    file.try_lock()
        .map_err(|e| Error::io(&path, std::io::Error::other(e.to_string())))?;
    Ok(Lock { _file: file, path })
}

/// Swaps two directories in one step where the system can (Linux
/// `renameat2(RENAME_EXCHANGE)`, macOS `renamex_np(RENAME_SWAP)`).
#[cfg(any(target_os = "linux", target_os = "macos"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

impl Staging {
    /// Creates a fresh temporary directory next to `target`, after removing
    /// what killed builds left there.
    pub fn new(target: &Path) -> Result<Staging> {
        let (parent, prefix) = temp_prefix(target);
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        clean_leftovers(target);
        let lock = lock(&parent, &prefix)?;
        let dir = parent.join(format!("{prefix}tmp-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging {
            _lock: lock,
            update: target.join(MARKER).is_file(),
            target: target.to_path_buf(),
            dir,
            files: Default::default(),
            changed: AtomicUsize::new(0),
        })
    }

    fn record(&self, rel: &str) {
        if let Ok(mut f) = self.files.lock() {
            f.push(rel.to_owned());
        }
    }

    /// Stages `bytes` as the new `rel`; when the old output has exactly these
    /// bytes, the old file is linked instead of written.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.record(rel);
        let old = self.target.join(rel);
        if self.update
            && std::fs::read(&old).is_ok_and(|o| o == bytes)
            && link_or_copy(&old, &self.dir.join(rel)).is_ok()
        {
            return Ok(());
        }
        self.changed.fetch_add(1, Ordering::Relaxed);
        write_file(&self.dir.join(rel), bytes)
    }

    /// The previous build's marker file (its manifest), when updating one.
    pub fn previous_marker(&self) -> Option<String> {
        self.update
            .then(|| std::fs::read_to_string(self.target.join(MARKER)).ok())
            .flatten()
    }

    /// Keeps `rel` from the previous output unchanged; false when there is none.
    pub fn keep(&self, rel: &str) -> bool {
        let old = self.target.join(rel);
        if !self.update || !old.is_file() || link_or_copy(&old, &self.dir.join(rel)).is_err() {
            return false;
        }
        self.record(rel);
        true
    }

    /// Files in the new site.
    pub fn file_count(&self) -> usize {
        self.files.lock().map(|f| f.len()).unwrap_or(0)
    }

    /// Files that differ from the old output.
    #[cfg(test)]
    pub fn changed_count(&self) -> usize {
        self.changed.load(Ordering::Relaxed)
    }

    /// Makes the staged site the output in one atomic exchange (where the
    /// system has none: two renames, which the next build repairs if it is
    /// killed between them), then removes the old site.
    pub fn commit(self) -> Result<()> {
        let has_marker = self
            .files
            .lock()
            .map(|f| f.iter().any(|r| r == MARKER))
            .unwrap_or(false);
        if !has_marker {
            self.write(MARKER, format!("{}\n", super::manifest::HEADER).as_bytes())?;
        }
        fault_point("staged");
        if !self.target.exists() {
            return std::fs::rename(&self.dir, &self.target)
                .map_err(|e| Error::io(&self.target, e));
        }
        if exchange(&self.dir, &self.target).is_ok() {
            fault_point("swapped");
            // `dir` now holds the old site.
            return std::fs::remove_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e));
        }
        let (parent, prefix) = temp_prefix(&self.target);
        let old = parent.join(format!("{prefix}old-{}", std::process::id()));
        std::fs::rename(&self.target, &old).map_err(|e| Error::io(&self.target, e))?;
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            let _ = std::fs::rename(&old, &self.target);
            return Err(Error::io(&self.target, e));
        }
        std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))
    }

    /// Removes the staging directory, leaving the target untouched.
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A test hook: with `STEPDOC_FAULT=NAME` the process is killed at the
/// fault point `NAME` (`staged`: the new site is complete beside the old
/// one; `swapped`: the new site is in place, the old one not yet removed),
/// as `kill -9` would, so a test sees both outcomes of a killed build.
fn fault_point(name: &str) {
    if std::env::var_os("STEPDOC_FAULT").is_some_and(|v| v == name) {
        #[cfg(unix)]
        let _ =
            rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::KILL);
        std::process::abort();
    }
}

/// Links `from` to `to` (creating `to`'s folder), or copies it where links are not possible.
fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::hard_link(from, to).or_else(|_| std::fs::copy(from, to).map(|_| ()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_targets() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("walk");
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_target(&root, Path::new("/"), true).is_err());
        assert!(check_target(&root, &root, true).is_err());
        assert!(check_target(&root, tmp.path(), true).is_err());
        let foreign = tmp.path().join("foreign");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "x").unwrap();
        assert!(check_target(&root, &foreign, false).is_err());
        assert!(check_target(&root, &foreign, true).is_ok());
        assert!(check_target(&root, &root.join("output"), false).is_ok());
    }

    #[test]
    fn sources_are_refused_even_with_force_and_the_hint_does_not_offer_it() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("walk");
        for dir in ["content/samples", "themes/mine"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        for bad in [
            "content",
            "content/samples",
            "content/new",
            "themes",
            "themes/mine/x",
        ] {
            let err = check_target(&root, &root.join(bad), true)
                .unwrap_err()
                .to_string();
            assert!(err.contains("refusing"), "{bad}: {err}");
            assert!(!err.contains("--force"), "{bad}: {err}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("content"), root.join("out")).unwrap();
            assert!(
                check_target(&root, &root.join("out"), true).is_err(),
                "a symlink to content/"
            );
        }
    }

    #[test]
    fn leftovers_of_killed_builds_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        let s = Staging::new(&target).unwrap();
        s.write("a/index.html", b"one").unwrap();
        s.commit().unwrap();
        let dead = tmp.path().join(".out.stepdoc-tmp-99999999");
        std::fs::create_dir_all(dead.join("x")).unwrap();
        let other = tmp.path().join(".other.stepdoc-tmp-99999999");
        std::fs::create_dir_all(&other).unwrap();
        let s = Staging::new(&target).unwrap();
        assert!(!dead.exists(), "a dead build's staging folder is removed");
        assert!(other.exists(), "another output's folders are left alone");
        s.abandon();
        // Killed between the two renames of the fallback commit: the old site is restored.
        std::fs::rename(&target, tmp.path().join(".out.stepdoc-old-99999999")).unwrap();
        Staging::new(&target).unwrap().abandon();
        assert_eq!(std::fs::read(target.join("a/index.html")).unwrap(), b"one");
    }

    #[test]
    fn unchanged_files_are_links_to_the_old_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        let s = Staging::new(&target).unwrap();
        s.write("same.html", b"same").unwrap();
        s.commit().unwrap();
        let before = std::fs::metadata(target.join("same.html"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let s = Staging::new(&target).unwrap();
        s.write("same.html", b"same").unwrap();
        assert_eq!(s.changed_count(), 0);
        s.commit().unwrap();
        let after = std::fs::metadata(target.join("same.html"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after, "an unchanged file is not written again");
    }

    #[test]
    fn a_rebuild_writes_only_changes_and_removes_stale_files() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        let s = Staging::new(&target).unwrap();
        s.write("a/index.html", b"one").unwrap();
        s.write("b/index.html", b"same").unwrap();
        s.commit().unwrap();
        let s = Staging::new(&target).unwrap();
        s.write("a/index.html", b"two").unwrap();
        s.write("c/index.html", b"new").unwrap();
        assert_eq!((s.file_count(), s.changed_count()), (2, 2));
        s.commit().unwrap();
        assert_eq!(std::fs::read(target.join("a/index.html")).unwrap(), b"two");
        assert_eq!(std::fs::read(target.join("c/index.html")).unwrap(), b"new");
        assert!(
            !target.join("b").exists(),
            "a page the new site lacks is removed with its folder"
        );
        assert!(target.join(MARKER).is_file());
    }

    #[test]
    fn commit_replaces_and_abandon_keeps() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        let s = Staging::new(&target).unwrap();
        s.write("a/index.html", b"one").unwrap();
        s.commit().unwrap();
        assert_eq!(std::fs::read(target.join("a/index.html")).unwrap(), b"one");
        let s = Staging::new(&target).unwrap();
        s.write("a/index.html", b"two").unwrap();
        s.abandon();
        assert_eq!(std::fs::read(target.join("a/index.html")).unwrap(), b"one");
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "no temporary directory left behind"
        );
    }
}
