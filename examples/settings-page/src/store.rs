//! The `.env` file the settings are saved to: written atomically, quoted so that dotenvy (what
//! mailconf reads `.env` files with) gives every value back exactly, readable only by its owner.

use std::fmt;
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use tokio::sync::{Mutex, MutexGuard};

const HEADER: &str =
    "# SMTP settings, written by settings-page. A save replaces this whole file.\n";

/// The settings file, and a lock so that two saves cannot interleave their read-merge-write.
pub(crate) struct Store {
    path: PathBuf,
    lock: Mutex<()>,
}

/// The saved entries, in file order.
#[derive(Debug, Default)]
pub(crate) struct Saved {
    pub(crate) exists: bool,
    pub(crate) entries: Vec<(String, String)>,
}

impl Saved {
    /// The value of `key`; the last assignment wins, as in dotenvy.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Why the file could not be read or written; the text never quotes the file's content.
#[derive(Debug)]
pub(crate) struct StoreError(String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Store {
    pub(crate) fn new(path: PathBuf) -> Store {
        Store {
            path,
            lock: Mutex::new(()),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Held across a save's read, merge and write.
    pub(crate) async fn lock(&self) -> MutexGuard<'_, ()> {
        self.lock.lock().await
    }

    /// The saved settings; an absent file is no settings yet.
    pub(crate) async fn load(&self) -> Result<Saved, StoreError> {
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || load(&path))
            .await
            .unwrap_or_else(|e| Err(StoreError(format!("reading the settings failed: {e}"))))
    }

    /// Replaces the file with `entries`, or leaves it untouched.
    pub(crate) async fn save(&self, text: String) -> Result<(), StoreError> {
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            write_atomically(&path, text.as_bytes()).map_err(|e| {
                StoreError(format!(
                    "the settings were NOT saved: cannot write {}: {e}. The previous settings file is unchanged.",
                    path.display()
                ))
            })
        })
        .await
        .unwrap_or_else(|e| Err(StoreError(format!("the settings were NOT saved: {e}"))))
    }
}

fn load(path: &Path) -> Result<Saved, StoreError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Saved::default()),
        Err(e) => {
            return Err(StoreError(format!(
                "cannot read the settings file {}: {e}",
                path.display()
            )));
        }
    };
    let mut entries = Vec::new();
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        match item {
            Ok(entry) => entries.push(entry),
            // dotenvy's error quotes the line, which may hold the password.
            Err(_) => {
                return Err(StoreError(format!(
                    "the settings file {} is not in .env format (a line is not KEY=value); fix or remove it, or save the settings again to replace it",
                    path.display()
                )));
            }
        }
    }
    Ok(Saved {
        exists: true,
        entries,
    })
}

/// `value` single-quoted for a `.env` file, or `None` when it cannot be written so that it
/// reads back exactly.
///
/// Inside single quotes dotenvy takes every character literally (no `$VAR` substitution, no
/// escapes), so only `'` needs care: it is written as `'\''` (close the quote, an escaped
/// quote, reopen), as in a shell. A line break or NUL has no faithful form here; every value is
/// also read back to prove it.
pub(crate) fn quote(value: &str) -> Option<String> {
    if value.contains(['\n', '\r', '\0']) {
        return None;
    }
    let quoted = format!("'{}'", value.replace('\'', r"'\''"));
    let line = format!("K={quoted}\n");
    let mut back = dotenvy::from_read_iter(line.as_bytes());
    match (back.next(), back.next()) {
        (Some(Ok((key, read))), None) if key == "K" && read == value => Some(quoted),
        _ => None,
    }
}

/// The whole file for `entries`; `None` when a value has no faithful form (check with
/// [`quote`] first to say which).
pub(crate) fn render(entries: &[(String, String)]) -> Option<String> {
    let mut text = HEADER.to_owned();
    for (key, value) in entries {
        text.push_str(key);
        text.push('=');
        text.push_str(&quote(value)?);
        text.push('\n');
    }
    Some(text)
}

/// Write a temporary file next to `path`, flush it to disk, then rename it over `path`: readers
/// see the old file or the new one, never a part, and a failure leaves the old file as it was.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{}.", name.to_string_lossy()))
        .suffix(".tmp")
        // Created readable by the owner only, so the password is never exposed, even briefly.
        .permissions(std::fs::Permissions::from_mode(0o600))
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    // The umask cannot widen it, but an explicit mode documents the promise.
    tmp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(0o600))?;
    tmp.as_file().sync_all()?;
    // On error the temporary file is removed when `tmp` drops.
    tmp.persist(path).map_err(|e| e.error)?;
    // The rename itself is durable only once the directory is flushed.
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_reads_back_exactly() {
        for value in [
            "",
            "plain",
            "it's",
            "''",
            "a'b'c",
            r"back\slash\\",
            "$HOME ${HOME} $",
            "# not a comment",
            "  spaces  ",
            "\"double\"",
            "tab\there",
            "ünïcödé ✓",
            "=x=",
        ] {
            let quoted = quote(value).unwrap_or_else(|| panic!("{value:?} refused"));
            let text = render(&[("MAIL_X".into(), value.into())]).unwrap();
            let back: Vec<_> = dotenvy::from_read_iter(text.as_bytes())
                .map(Result::unwrap)
                .collect();
            assert_eq!(back, [("MAIL_X".to_owned(), value.to_owned())], "{quoted}");
        }
    }

    #[test]
    fn values_without_a_faithful_form_are_refused() {
        for value in ["a\nb", "a\rb", "\n", "nul\0"] {
            assert_eq!(quote(value), None, "{value:?}");
        }
        assert!(render(&[("K".into(), "a\nb".into())]).is_none());
    }

    #[test]
    fn atomic_write_creates_mode_0600_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mail.env");
        std::fs::write(&path, "OLD=1\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_atomically(&path, b"NEW=2\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "NEW=2\n");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn a_failed_rename_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // A non-empty directory cannot be replaced by a file, even by root.
        let path = dir.path().join("taken");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("inside"), "x").unwrap();
        assert!(write_atomically(&path, b"NEW=2\n").is_err());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["taken"]);
    }
}
