//! File-path settings (`MAIL_PASSWORD_FILE`, `MAIL_CA_FILE`, …) from the form: mailconf opens
//! them while loading, so a path from the form could make the page read any file it can (such
//! as `/proc/self/environ`, which holds the admin token). They are accepted only when they name
//! a regular file inside the folder given with `--files-dir`, after resolving `..` and every
//! symlink; a refusal says nothing about the path (whether it exists, what it is).

use std::fs;
use std::path::{Component, Path, PathBuf};

use mailconf_core::Message;

use crate::OptionsError;

/// The folder file-path settings must stay in, canonical; `None`: no file is accepted.
#[derive(Debug)]
pub(crate) struct FilesDir(Option<PathBuf>);

/// Why a path was refused; the same words for every path.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The page was started without `--files-dir`.
    Disabled,
    /// Not a regular file inside the folder (or not there at all: the same answer).
    Outside,
}

impl Refusal {
    pub(crate) fn message(&self) -> Message {
        Message::new(match self {
            Refusal::Disabled => "page-files-disabled",
            Refusal::Outside => "page-files-outside",
        })
    }

    pub(crate) fn hint(&self) -> Message {
        Message::new(match self {
            Refusal::Disabled => "page-files-disabled-hint",
            Refusal::Outside => "page-files-outside-hint",
        })
    }
}

impl FilesDir {
    pub(crate) fn new(dir: Option<&Path>) -> Result<FilesDir, OptionsError> {
        let Some(dir) = dir else {
            return Ok(FilesDir(None));
        };
        let canonical = fs::canonicalize(dir)
            .ok()
            .filter(|p| p.is_dir())
            .ok_or_else(|| {
                OptionsError(format!(
                    "--files-dir {}: not a folder this page can open",
                    dir.display()
                ))
            })?;
        Ok(FilesDir(Some(canonical)))
    }

    /// Whether `raw` (as typed; relative paths are relative to the page's working directory,
    /// as mailconf reads them) names a regular file inside the folder.
    pub(crate) fn check(&self, raw: &str) -> Result<(), Refusal> {
        let Some(dir) = &self.0 else {
            return Err(Refusal::Disabled);
        };
        let path = Path::new(raw);
        // Refused before touching the file system, even when it would resolve inside.
        if raw.is_empty() || path.components().any(|c| c == Component::ParentDir) {
            return Err(Refusal::Outside);
        }
        let inside = fs::canonicalize(path)
            .ok()
            .filter(|real| real.starts_with(dir))
            .and_then(|real| fs::metadata(real).ok())
            .is_some_and(|meta| meta.is_file());
        if inside {
            Ok(())
        } else {
            Err(Refusal::Outside)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_inside_the_folder_pass() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("secrets");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("password"), "x").unwrap();
        fs::create_dir(dir.join("sub")).unwrap();
        fs::write(root.path().join("outside"), "x").unwrap();
        std::os::unix::fs::symlink(root.path().join("outside"), dir.join("escape")).unwrap();
        std::os::unix::fs::symlink("/proc/self/environ", dir.join("environ")).unwrap();
        let files = FilesDir::new(Some(&dir)).unwrap();
        let at = |p: &str| dir.join(p).to_string_lossy().into_owned();
        assert_eq!(files.check(&at("password")), Ok(()));
        for refused in [
            at("escape"),
            at("environ"),
            at("sub"),
            at("missing"),
            at("sub/../password"),
            root.path().join("outside").to_string_lossy().into_owned(),
            "/proc/self/environ".to_owned(),
            "/etc/passwd".to_owned(),
            String::new(),
        ] {
            assert_eq!(files.check(&refused), Err(Refusal::Outside), "{refused}");
        }
    }

    #[test]
    fn without_the_option_no_path_passes() {
        let files = FilesDir::new(None).unwrap();
        assert_eq!(files.check("/etc/hostname"), Err(Refusal::Disabled));
    }
}
