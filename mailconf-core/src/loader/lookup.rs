//! Finding a field's raw value: its key, its aliases, and for secrets the `*_FILE` variant.

use crate::{Error, ErrorKind, FieldSchema, Loader, Origin};

impl Loader<'_> {
    /// The raw value and its origin, `None` when unset, or an error when set twice or unreadable.
    // The error is as large as the report needs, and is built at most once per field.
    #[allow(clippy::result_large_err)]
    pub(super) fn lookup(
        &self,
        field: &FieldSchema,
        key: &str,
        path: &str,
    ) -> Result<Option<(String, Origin)>, Error> {
        let file_key = field.file_key(key);
        let names = std::iter::once(key)
            .chain(field.aliases.iter().copied())
            .chain(file_key.as_deref());
        let set: Vec<_> = names.filter_map(|name| self.sources.get(name)).collect();
        let entry = match set.as_slice() {
            [] => return Ok(None),
            [entry] => *entry,
            [first, rest @ ..] => {
                let with = rest.iter().map(|e| e.key().to_owned()).collect::<Vec<_>>();
                return Err(Error::new(
                    ErrorKind::Conflict { with: with.clone() },
                    first.key(),
                    format!(
                        "{} is set more than once: as {} and {}",
                        key,
                        first.key(),
                        with.join(" and ")
                    ),
                )
                .with_field(path)
                .with_origin(first.origin().clone())
                .with_hint("keep only one of them"));
            }
        };
        let raw = match entry.value() {
            Ok(raw) => raw.to_owned(),
            Err(invalid) => {
                return Err(Error::new(
                    ErrorKind::InvalidValue {
                        detail: invalid.code,
                    },
                    entry.key(),
                    invalid.message.clone(),
                )
                .with_field(path)
                .with_origin(entry.origin().clone())
                .with_optional_hint(invalid.hint.clone()));
            }
        };
        if Some(entry.key()) == file_key.as_deref() {
            return read_secret_file(entry.key(), &raw, path).map(Some);
        }
        Ok(Some((raw, entry.origin().clone())))
    }
}

/// `MAIL_PASSWORD_FILE=/run/secrets/pw`: the file's content, one trailing newline removed.
#[allow(clippy::result_large_err)]
fn read_secret_file(via: &str, path_text: &str, field: &str) -> Result<(String, Origin), Error> {
    let path = std::path::PathBuf::from(path_text);
    match std::fs::read_to_string(&path) {
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
            format!("cannot read the file {}: {e}", path.display()),
        )
        .with_field(field)
        .with_hint(format!(
            "make {} readable by this process, or fix {via}",
            path.display()
        ))),
    }
}
