//! The output directory: safety checks, and the commit. A site is written
//! to a temporary directory next to the output and reaches the output only
//! when the whole build succeeded. Files whose bytes did not change are not
//! written again: a rebuild of an unchanged site touches nothing.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// File that marks a directory as written by stepdoc, so a later build may replace it.
pub const MARKER: &str = ".stepdoc";

/// A directory being filled with a new site.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    /// Whether an output from an earlier build is there to update.
    update: bool,
    /// Every file of the new site (site-relative paths).
    files: std::sync::Mutex<Vec<String>>,
    /// The files that differ from the old output (written to `dir`).
    changed: std::sync::Mutex<Vec<String>>,
}

/// Refuses output directories that stepdoc must never replace.
pub fn check_target(root: &Path, target: &Path, force: bool) -> Result<()> {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let target_abs = abs(target);
    let root_abs = abs(root);
    let refuse = |why: &str| {
        Err(Error::UnsafeOutput(format!(
            "refusing to use {} as the output directory: {why}\n  hint: pass --output with a directory of its own, e.g. {}",
            target.display(),
            root.join("output").display()
        )))
    };
    if target_abs.parent().is_none() {
        return refuse("it is the filesystem root");
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if abs(&home) == target_abs {
            return refuse("it is the home directory");
        }
    }
    if root_abs.starts_with(&target_abs) {
        return refuse("it contains the walkthrough itself");
    }
    if target_abs.join("content").exists() {
        return refuse("it contains a content/ directory");
    }
    if target_abs.is_file() {
        return refuse("it is a file");
    }
    let non_empty = std::fs::read_dir(&target_abs)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if non_empty && !target_abs.join(MARKER).exists() && !force {
        return Err(Error::UnsafeOutput(format!(
            "{} exists and was not written by stepdoc (no {MARKER} file in it)\n  hint: pass --force to replace it anyway, or choose another --output",
            target.display()
        )));
    }
    Ok(())
}

impl Staging {
    /// Creates a fresh temporary directory next to `target`.
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let name = target
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("output");
        let dir = parent.join(format!(".{name}.stepdoc-tmp-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging {
            update: target.join(MARKER).is_file(),
            target: target.to_path_buf(),
            dir,
            files: Default::default(),
            changed: Default::default(),
        })
    }

    /// The temporary directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stages `bytes` as the new `rel`, unless the old output has exactly these bytes.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if let Ok(mut f) = self.files.lock() {
            f.push(rel.to_owned());
        }
        if self.update && std::fs::read(self.target.join(rel)).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
        if let Ok(mut c) = self.changed.lock() {
            c.push(rel.to_owned());
        }
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
        if !self.update || !self.target.join(rel).is_file() {
            return false;
        }
        if let Ok(mut f) = self.files.lock() {
            f.push(rel.to_owned());
        }
        true
    }

    /// Files in the new site.
    pub fn file_count(&self) -> usize {
        self.files.lock().map(|f| f.len()).unwrap_or(0)
    }

    /// Files that differ from the old output.
    pub fn changed_count(&self) -> usize {
        self.changed.lock().map(|f| f.len()).unwrap_or(0)
    }

    /// Makes the staged site the output: a first build renames the staging
    /// directory into place; a rebuild moves in the changed files and
    /// removes the files the new site no longer has.
    pub fn commit(self) -> Result<()> {
        let has_marker = self
            .files
            .lock()
            .map(|f| f.iter().any(|r| r == MARKER))
            .unwrap_or(false);
        if !has_marker {
            self.write(MARKER, format!("{}\n", super::manifest::HEADER).as_bytes())?;
        }
        if self.update {
            return self.commit_changes();
        }
        let old = self.dir.with_file_name(format!(
            ".{}.stepdoc-old-{}",
            self.target
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("output"),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old).map_err(|e| Error::io(&self.target, e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Error::io(&self.target, e));
        }
        if had_old {
            std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        }
        Ok(())
    }

    fn commit_changes(self) -> Result<()> {
        let changed = std::mem::take(
            &mut *self
                .changed
                .lock()
                .map_err(|_| Error::UnsafeOutput("lock poisoned".into()))?,
        );
        for rel in &changed {
            let (from, to) = (self.dir.join(rel), self.target.join(rel));
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            std::fs::rename(&from, &to).map_err(|e| Error::io(&to, e))?;
        }
        let keep: std::collections::HashSet<PathBuf> = self
            .files
            .lock()
            .map(|f| f.iter().map(|r| self.target.join(r)).collect())
            .unwrap_or_default();
        let stale: Vec<walkdir::DirEntry> = walkdir::WalkDir::new(&self.target)
            .contents_first(true)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.path() != self.target)
            .collect();
        for e in stale {
            if e.file_type().is_dir() {
                let _ = std::fs::remove_dir(e.path()); // only when empty
            } else if !keep.contains(e.path()) {
                std::fs::remove_file(e.path()).map_err(|err| Error::io(e.path(), err))?;
            }
        }
        std::fs::remove_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))
    }

    /// Removes the staging directory, leaving the target untouched.
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Writes a file, creating its parent directories.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    std::fs::write(path, bytes).map_err(|e| Error::io(path, e))
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
