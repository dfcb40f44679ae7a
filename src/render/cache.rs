//! A persistent cache of highlighted code, so a build does not highlight
//! again what did not change. One file per snippet under
//! `<root>/.stepdoc-cache/highlight/`, named by a 128-bit hash of the
//! stepdoc version, the language and the code; read on demand (the cache is
//! never held in memory whole); entries a full build did not use are pruned.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Folder of the cache inside a walkthrough root.
pub const CACHE_DIR: &str = ".stepdoc-cache";

/// The on-disk highlight cache.
pub struct DiskCache {
    dir: PathBuf,
    used: Mutex<HashSet<String>>,
}

fn hash(seed: u64, lang: &str, code: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    seed.hash(&mut h);
    env!("CARGO_PKG_VERSION").hash(&mut h);
    lang.hash(&mut h);
    code.hash(&mut h);
    h.finish()
}

impl DiskCache {
    /// The cache of the walkthrough under `root`.
    pub fn new(root: &Path) -> DiskCache {
        DiskCache {
            dir: root.join(CACHE_DIR).join("highlight"),
            used: Mutex::new(HashSet::new()),
        }
    }

    fn key(lang: &str, code: &str) -> String {
        format!(
            "{:016x}{:016x}",
            hash(0x5eed_0001, lang, code),
            hash(0x5eed_0002, lang, code)
        )
    }

    /// The cached HTML for `code` in `lang`, if any.
    pub fn get(&self, lang: &str, code: &str) -> Option<String> {
        let key = Self::key(lang, code);
        let html = std::fs::read_to_string(self.dir.join(&key)).ok()?;
        if let Ok(mut used) = self.used.lock() {
            used.insert(key);
        }
        Some(html)
    }

    /// Stores `html` for `code` in `lang`. A failure only costs speed.
    pub fn put(&self, lang: &str, code: &str, html: &str) {
        let key = Self::key(lang, code);
        if std::fs::create_dir_all(&self.dir).is_ok() {
            let tmp = self.dir.join(format!(".{key}.{}", std::process::id()));
            if std::fs::write(&tmp, html).is_ok() {
                let _ = std::fs::rename(&tmp, self.dir.join(&key));
            }
        }
        if let Ok(mut used) = self.used.lock() {
            used.insert(key);
        }
    }

    /// Removes entries this run did not use (call after a full build only).
    pub fn prune(&self) {
        let Ok(used) = self.used.lock() else { return };
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !used.contains(&name) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}
