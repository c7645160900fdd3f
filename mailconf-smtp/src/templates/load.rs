//! Reading a template folder: every template file, with limits so that a wrong path (`/`) fails
//! quickly instead of reading a whole file system.

use std::path::{Path, PathBuf};

use super::TemplateError;

/// Extensions of the files read as templates (after stripping `.j2`-style suffixes).
const EXTENSIONS: &[&str] = &[
    "html", "htm", "xml", "txt", "text", "md", "css", "j2", "jinja", "jinja2",
];
const MAX_FILES: usize = 2000;
const MAX_FILE_BYTES: u64 = 1024 * 1024;
const MAX_DEPTH: usize = 16;

/// `(name, source)` of every template under `folder`, in a stable order.
pub(super) fn read_folder(folder: &Path) -> Result<Vec<(String, String)>, TemplateError> {
    let error = |path: &Path, reason: String| TemplateError::Folder {
        path: path.to_owned(),
        reason,
    };
    let meta = std::fs::metadata(folder).map_err(|e| error(folder, e.to_string()))?;
    if !meta.is_dir() {
        return Err(error(folder, "not a directory".to_owned()));
    }
    let mut out = Vec::new();
    let mut pending: Vec<(PathBuf, usize)> = vec![(folder.to_owned(), 0)];
    while let Some((dir, depth)) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| error(&dir, e.to_string()))?;
        for entry in entries {
            let entry = entry.map_err(|e| error(&dir, e.to_string()))?;
            let path = entry.path();
            let file_name = entry.file_name();
            let Some(file_name) = file_name.to_str() else {
                continue; // not a name a template can refer to
            };
            if file_name.starts_with('.') {
                continue;
            }
            let Ok(meta) = std::fs::metadata(&path) else {
                continue; // a dangling link
            };
            if meta.is_dir() {
                if depth + 1 > MAX_DEPTH {
                    return Err(error(
                        &path,
                        format!(
                            "more than {MAX_DEPTH} folders deep: is TEMPLATE_FOLDER the right folder?"
                        ),
                    ));
                }
                pending.push((path, depth + 1));
                continue;
            }
            let is_template = file_name
                .rsplit_once('.')
                .is_some_and(|(_, ext)| EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()));
            if !meta.is_file() || !is_template {
                continue;
            }
            if out.len() >= MAX_FILES {
                return Err(error(
                    folder,
                    format!(
                        "more than {MAX_FILES} template files: is TEMPLATE_FOLDER the right folder?"
                    ),
                ));
            }
            if meta.len() > MAX_FILE_BYTES {
                return Err(error(
                    &path,
                    format!(
                        "{} bytes; a template may have at most {MAX_FILE_BYTES}",
                        meta.len()
                    ),
                ));
            }
            let bytes = std::fs::read(&path).map_err(|e| error(&path, e.to_string()))?;
            let source =
                String::from_utf8(bytes).map_err(|_| error(&path, "not UTF-8 text".to_owned()))?;
            out.push((name_of(folder, &path), source));
        }
    }
    out.sort();
    Ok(out)
}

/// The path inside the folder, with `/` separators.
fn name_of(folder: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(folder).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
