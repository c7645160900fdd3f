//! The `.env` file the settings are saved to. A save rewrites the mail keys only (every other
//! byte of the file is kept, see `mailconf_core::dotenv_file::edit`), follows a symlink to the
//! file it points at, writes that file atomically with its mode and owner kept (0600 for a new
//! file), and never interleaves with another save of this page.

use std::fmt;
use std::fs::{self, File, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt, fchown};
use std::path::{Path, PathBuf};

use tokio::sync::{Mutex, MutexGuard};

/// What names this page's temporary files, so that one left by a crash is recognised.
const TEMP_SUFFIX: &str = ".settings-page.tmp";

/// Symlinks followed before giving up, as the kernel does (ELOOP).
const MAX_LINKS: usize = 40;

/// The settings file, and a lock so that two saves cannot interleave their read-edit-write.
pub(crate) struct Store {
    path: PathBuf,
    lock: Mutex<()>,
}

/// The file as it is now.
#[derive(Debug, Default)]
pub(crate) struct Saved {
    pub(crate) exists: bool,
    /// The whole text, to be edited.
    pub(crate) text: String,
    /// The entries, in file order.
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
    /// The store of `path`; removes the temporary files a crashed save of this page left
    /// next to it (they may hold the password).
    pub(crate) fn new(path: PathBuf) -> Store {
        if let Ok(target) = resolve(&path) {
            remove_stale_temp_files(&target);
        }
        Store {
            path,
            lock: Mutex::new(()),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Held across a save's read, edit and write.
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

    /// Replaces the file's content with `text`, or leaves it untouched.
    pub(crate) async fn save(&self, text: String) -> Result<(), StoreError> {
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            let target = resolve(&path)?;
            write_atomically(&target, text.as_bytes()).map_err(|e| {
                StoreError(format!(
                    "the settings were NOT saved: cannot write {}: {e}. The previous settings file is unchanged.",
                    target.display()
                ))
            })
        })
        .await
        .unwrap_or_else(|e| Err(StoreError(format!("the settings were NOT saved: {e}"))))
    }
}

/// The file `path` stands for: symlinks followed (also a dangling one, whose target a save
/// creates), so that the link stays a link and its target is what gets written.
fn resolve(path: &Path) -> Result<PathBuf, StoreError> {
    let mut current = path.to_owned();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current).map_err(|e| {
                    StoreError(format!("cannot follow the link {}: {e}", current.display()))
                })?;
                current = match current.parent() {
                    Some(dir) => dir.join(link),
                    None => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(StoreError(format!(
        "{} is a loop of symbolic links",
        path.display()
    )))
}

fn load(path: &Path) -> Result<Saved, StoreError> {
    let text = match fs::read_to_string(path) {
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
                    "the settings file {} is not in .env format (a line is not KEY=value); fix that line by hand, then reload this page",
                    path.display()
                )));
            }
        }
    }
    Ok(Saved {
        exists: true,
        text,
        entries,
    })
}

/// Removes `.NAME.*.settings-page.tmp` next to `target`: only this page's own temporary files.
fn remove_stale_temp_files(target: &Path) {
    let (Some(dir), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let Ok(listing) = fs::read_dir(dir) else {
        return;
    };
    for entry in listing.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let ours = file_name.starts_with(&prefix) && file_name.ends_with(TEMP_SUFFIX);
        if ours && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Write a temporary file next to `path`, flush it to disk, then rename it over `path`: readers
/// see the old file or the new one, never a part, and a failure leaves the old file as it was.
/// The mode and owner of an existing file are kept; a new file is 0600.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
    let existing = match fs::metadata(path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{}.", name.to_string_lossy()))
        .suffix(TEMP_SUFFIX)
        // Created readable by the owner only, so the password is never exposed, even briefly.
        .permissions(Permissions::from_mode(0o600))
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    let file: &File = tmp.as_file();
    if let Some(meta) = &existing {
        // Owner first: changing it may clear set-id bits that the mode then restores.
        if (meta.uid(), meta.gid()) != (file.metadata()?.uid(), file.metadata()?.gid()) {
            fchown(file, Some(meta.uid()), Some(meta.gid()))?;
        }
        file.set_permissions(Permissions::from_mode(meta.mode() & 0o7777))?;
    } else {
        // The umask cannot widen it, but an explicit mode documents the promise.
        file.set_permissions(Permissions::from_mode(0o600))?;
    }
    file.sync_all()?;
    // On error the temporary file is removed when `tmp` drops.
    tmp.persist(path).map_err(|e| e.error)?;
    // The rename itself is durable only once the directory is flushed.
    File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests;
