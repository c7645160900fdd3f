//! Finding a field's raw value: its key, its aliases, and for secrets the `*_FILE` variant.

use std::borrow::Cow;

use mailconf_values::Message;

use crate::{Error, ErrorKind, Loader, NameKind, Names, Origin};

/// A raw value and its origin, borrowed from the sources unless read from a `*_FILE`.
type Found<'s> = (Cow<'s, str>, Cow<'s, Origin>);

impl<'s> Loader<'s> {
    /// The raw value and its origin, `None` when unset, or an error when set twice or unreadable.
    /// Every name found is marked read.
    // The error is as large as the report needs, and is built at most once per field.
    #[allow(clippy::result_large_err)]
    pub(super) fn lookup(&mut self, names: &Names<'_>) -> Result<Option<Found<'s>>, Error> {
        let (field, key) = (names.field(), names.key());
        let sources = self.sources;
        let (mut first, mut others) = (None, Vec::new());
        let (mut read_as_file, mut other_case) = (false, None);
        for (name, kind) in names.read() {
            let Some(position) = self.find(&name) else {
                continue;
            };
            self.read[position] = true;
            let entry = sources.at(position);
            match first {
                None => {
                    first = Some(entry);
                    read_as_file = kind == NameKind::File;
                    // Owned only in the rare case of another spelling: `name` borrows the prefix.
                    other_case = (entry.key() != name).then(|| name.into_owned());
                }
                Some(_) => others.push(entry.key().to_owned()),
            }
        }
        let Some(entry) = first else {
            return Ok(None);
        };
        if let Some(name) = other_case {
            self.note_case(entry, &name);
        }
        if !others.is_empty() {
            return Err(Error::new(
                ErrorKind::Conflict {
                    with: others.clone(),
                },
                entry.key(),
                Message::new("loader-set-twice")
                    .arg("key", key)
                    .arg("first", entry.key())
                    .arg("others", others.join(", ")),
            )
            .with_field(self.field_path(field))
            .with_origin(entry.origin().clone())
            .with_hint(Message::new("loader-set-twice-hint")));
        }
        let raw = match entry.value() {
            Ok(raw) => raw,
            Err(invalid) => {
                return Err(Error::new(
                    ErrorKind::InvalidValue {
                        detail: invalid.code,
                    },
                    entry.key(),
                    invalid.message.clone(),
                )
                .with_field(self.field_path(field))
                .with_origin(entry.origin().clone())
                .with_optional_hint(invalid.hint.clone()));
            }
        };
        if read_as_file {
            let (text, origin) = read_secret_file(entry.key(), raw, &self.field_path(field))?;
            return Ok(Some((Cow::Owned(text), Cow::Owned(origin))));
        }
        Ok(Some((Cow::Borrowed(raw), Cow::Borrowed(entry.origin()))))
    }
}

/// The most a secret file may hold: a password or token, never megabytes.
const MAX_SECRET_FILE: u64 = 64 * 1024;

/// `MAIL_PASSWORD_FILE=/run/secrets/pw`: the file's content, one trailing newline removed.
///
/// Only a regular file is read, and at most [`MAX_SECRET_FILE`] bytes of it: the path may come
/// from a settings form, and `/dev/zero` or a FIFO must not exhaust memory or block the load.
#[allow(clippy::result_large_err)]
fn read_secret_file(via: &str, path_text: &str, field: &str) -> Result<(String, Origin), Error> {
    let path = std::path::PathBuf::from(path_text);
    match crate::read_setting_file(&path, MAX_SECRET_FILE) {
        Ok(mut text) => {
            if text.ends_with('\n') {
                text.pop();
                if text.ends_with('\r') {
                    text.pop();
                }
            }
            Ok((
                text,
                Origin::SecretFile {
                    path,
                    via: via.to_owned(),
                },
            ))
        }
        Err(e) => Err(Error::new(
            ErrorKind::FileUnreadable { path: path.clone() },
            via,
            Message::new("loader-file-unreadable")
                .arg("path", path.display().to_string())
                .arg("reason", crate::file_problem(&e)),
        )
        .with_field(field)
        .with_hint(
            Message::new("loader-file-unreadable-hint")
                .arg("path", path.display().to_string())
                .arg("via", via),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_files_are_regular_and_small() {
        // Found by fuzzing (fuzz/fuzz_targets/map.rs): `/dev/zero` was read until memory ran out.
        for path in ["/dev/zero", "/dev/null", "/"] {
            let error = read_secret_file("MAIL_PASSWORD_FILE", path, "password").unwrap_err();
            assert_eq!(error.code(), "file_unreadable", "{path}");
            assert!(error.message().contains("not a regular file"), "{error}");
        }
        let dir = std::env::temp_dir().join(format!("mailconf-lookup-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let big = dir.join("big");
        std::fs::write(&big, vec![b'x'; 64 * 1024 + 1]).unwrap();
        let error = read_secret_file("X_FILE", big.to_str().unwrap(), "x").unwrap_err();
        assert!(
            error.message().contains("larger than 65536 bytes"),
            "{error}"
        );
        let fine = dir.join("fine");
        std::fs::write(&fine, "s3cret\r\n").unwrap();
        let (text, _) = read_secret_file("X_FILE", fine.to_str().unwrap(), "x").unwrap();
        assert_eq!(text, "s3cret");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
