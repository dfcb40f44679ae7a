//! Reading a walkthrough's files safely: only regular files inside the
//! walkthrough root (symlinks may point elsewhere inside it, never outside),
//! no bigger than a limit, and valid UTF-8. A FIFO, a device, a directory in
//! place of a file, a symlink to `/etc/passwd` or a 5 GB file each become a
//! diagnostic naming the file, never a hang, a huge allocation or a page
//! that publishes something outside the walkthrough.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{line_col, Diagnostic};

/// Largest step, site.yaml or index.md stepdoc reads.
pub const TEXT_LIMIT: u64 = 4 * 1024 * 1024;
/// Largest sample, payload file or snapshot stepdoc reads (JSON is parsed
/// and pretty-printed into a page: a bigger one makes an unreadable page).
pub const DATA_LIMIT: u64 = 4 * 1024 * 1024;

/// Largest OpenAPI description file stepdoc reads (GitHub's whole REST
/// description is 13 MB of JSON).
pub const DESCRIPTION_LIMIT: u64 = 64 * 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// Nothing is there.
    Missing,
    /// Something is there but it cannot be used; the diagnostic says why.
    Refused(Diagnostic),
}

/// The canonical walkthrough root, to compare resolved paths with.
pub fn canonical_root(root: &Path) -> PathBuf {
    std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf())
}

/// Reads `root/rel` as text, refusing anything but a regular UTF-8 file of at
/// most `limit` bytes whose real location is inside `root`. NUL characters
/// (which no page should carry) are dropped.
pub fn read_text(root: &Path, rel: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read_bytes(root, rel, limit)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let before = String::from_utf8_lossy(&bytes[..valid]);
        let (line, column) = line_col(&before, before.len());
        let mut d = Diagnostic::new(rel, "not valid UTF-8")
            .hint("save the file as UTF-8 (most editors offer it under \"Save with encoding\")");
        d.line = Some(line);
        d.column = Some(column);
        ReadError::Refused(d)
    })?;
    // A byte order mark is not text (editors on Windows write one).
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    Ok(if text.contains('\0') {
        text.replace('\0', "")
    } else {
        text
    })
}

/// Reads `root/rel` as bytes with the checks of [`read_text`] but UTF-8.
pub fn read_bytes(root: &Path, rel: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let path = root.join(rel);
    let refuse = |msg: String, hint: &str| ReadError::Refused(Diagnostic::new(rel, msg).hint(hint));
    match std::fs::symlink_metadata(&path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ReadError::Missing),
        Err(e) => {
            return Err(refuse(
                format!("cannot read it: {e}"),
                "check its permissions",
            ))
        }
    }
    // Any symlink on the way (the file, or a folder such as samples/) may
    // lead out of the walkthrough; the resolved path tells.
    inside_root(root, &path).map_err(|d| ReadError::Refused(d.with_file(rel)))?;
    let meta = std::fs::metadata(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            refuse(
                "is a symlink to a file that does not exist".into(),
                "point it at an existing file inside the walkthrough, or replace it with the file",
            )
        } else {
            refuse(format!("cannot read it: {e}"), "check its permissions")
        }
    })?;
    if meta.is_dir() {
        return Err(refuse(
            "is a directory, where a file was expected".into(),
            "replace it with a file, or remove it",
        ));
    }
    if !meta.is_file() {
        return Err(refuse(
            "is not a regular file (a FIFO, socket or device); stepdoc reads only regular files"
                .into(),
            "replace it with a regular file",
        ));
    }
    if meta.len() > limit {
        return Err(refuse(
            format!(
                "is {} bytes; stepdoc reads files of at most {} MiB here",
                meta.len(),
                limit / (1024 * 1024)
            ),
            if limit < DESCRIPTION_LIMIT {
                "shorten it: a page shows a few screens of it at most"
            } else {
                "keep only the operations the walkthrough calls (scripts/trim-openapi.py)"
            },
        ));
    }
    let file = std::fs::File::open(&path)
        .map_err(|e| refuse(format!("cannot read it: {e}"), "check its permissions"))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // `take` guards against a file that grows while it is read.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| refuse(format!("cannot read it: {e}"), "check its permissions"))?;
    if bytes.len() as u64 > limit {
        return Err(refuse(
            format!("grew beyond {} MiB while being read", limit / (1024 * 1024)),
            "shorten it",
        ));
    }
    Ok(bytes)
}

/// Ok when `path` (a symlink, or a folder holding one) resolves to a place inside `root`.
pub fn inside_root(root: &Path, path: &Path) -> Result<(), Diagnostic> {
    let root = canonical_root(root);
    match std::fs::canonicalize(path) {
        Ok(real) if real.starts_with(&root) => Ok(()),
        Ok(real) => Err(Diagnostic::new(
            path,
            format!(
                "resolves to {}, outside the walkthrough: stepdoc publishes only files inside it",
                real.display()
            ),
        )
        .hint("copy the file into the walkthrough instead of linking to it")),
        Err(_) => Err(Diagnostic::new(path, "is a symlink that leads nowhere")
            .hint("point it at an existing file inside the walkthrough")),
    }
}

impl Diagnostic {
    /// The same diagnostic about another file name (as the user wrote it).
    pub(crate) fn with_file(mut self, file: &Path) -> Self {
        self.file = file.to_path_buf();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(r: Result<String, ReadError>) -> Diagnostic {
        match r {
            Err(ReadError::Refused(d)) => d,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn regular_files_are_read_and_others_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::write(root.join("a.md"), "hel\0lo").unwrap();
        assert_eq!(
            read_text(root, Path::new("a.md"), 10).unwrap(),
            "hello",
            "NUL is dropped"
        );
        assert!(matches!(
            read_text(root, Path::new("none.md"), 10),
            Err(ReadError::Missing)
        ));
        std::fs::create_dir(root.join("dir.json")).unwrap();
        let d = refused(read_text(root, Path::new("dir.json"), 10));
        assert!(d.message.contains("is a directory"), "{d}");
        let d = refused(read_text(root, Path::new("a.md"), 3));
        assert!(d.message.contains("is 6 bytes"), "{d}");
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("x.md"), b"ok\nbad \xff here\n").unwrap();
        let d = refused(read_text(tmp.path(), Path::new("x.md"), 100));
        assert_eq!(
            (d.message.as_str(), d.line, d.column),
            ("not valid UTF-8", Some(2), Some(5))
        );
    }

    #[cfg(unix)]
    #[test]
    fn fifos_and_links_out_of_the_root_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("walk");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(tmp.path().join("outside.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("outside.txt"), root.join("out.json")).unwrap();
        let d = refused(read_text(&root, Path::new("out.json"), 100));
        assert!(d.message.contains("outside the walkthrough"), "{d}");
        std::fs::write(root.join("in.txt"), "fine").unwrap();
        std::os::unix::fs::symlink(root.join("in.txt"), root.join("in.json")).unwrap();
        assert_eq!(read_text(&root, Path::new("in.json"), 100).unwrap(), "fine");
        let fifo = root.join("fifo.yaml");
        let status = std::process::Command::new("mkfifo").arg(&fifo).status();
        if status.is_ok_and(|s| s.success()) {
            let d = refused(read_text(&root, Path::new("fifo.yaml"), 100));
            assert!(d.message.contains("not a regular file"), "{d}");
        }
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_text() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("01-a.md"), "\u{feff}---\ntitle: A\n---\n").unwrap();
        let text = read_text(dir.path(), Path::new("01-a.md"), TEXT_LIMIT).unwrap();
        assert!(text.starts_with("---\n"), "{text:?}");
    }
}
