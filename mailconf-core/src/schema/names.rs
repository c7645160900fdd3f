//! The names a value field answers to, in one type, as serde_derive keeps a field's name with
//! its aliases: the loader, the unknown-key check, the schema's entries, [`Schema::view`] and
//! every tool on top of them read these rules here instead of restating them.
//!
//! [`Schema::view`]: crate::Schema::view

use std::borrow::Cow;

use super::{FILE_SUFFIX, FieldSchema};

/// How a name relates to its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NameKind {
    /// The field's own variable, such as `MAIL_PORT`.
    Key,
    /// Another name also read (`#[mailconf(alias = "...")]`).
    Alias,
    /// For a secret, the variable naming a file that holds the value (`MAIL_PASSWORD_FILE`).
    File,
    /// An old name (`renamed_from`), refused with an error naming the new one.
    Renamed,
}

/// Every name one value field answers to at its place in a settings struct.
///
/// A load reads [`Names::read`] in order: the variable, its aliases and, for a secret, the
/// `_FILE` variable; the first one set gives the value and any other one set too is a conflict.
/// The old names ([`Names::renamed_from`]) are refused with an error naming the variable.
/// Prefixes are applied: an `env` name, an alias or an old name goes under the prefix the
/// struct is embedded at, any other name under the struct's own prefix. Whether case matters
/// is the loaded struct's (`case_insensitive`): [`Schema::view`](crate::Schema::view) applies it.
///
/// ```
/// use mailconf_core::{MailConfig, NameKind, Secret};
///
/// #[derive(MailConfig)]
/// #[mailconf(prefix = "MAIL_")]
/// struct Mail {
///     #[mailconf(secret, alias = "SMTP_PASSWORD", renamed_from = "MAIL_PASS")]
///     password: Secret<String>,
/// }
///
/// let entry = &Mail::schema().entries()[0];
/// let names = entry.names();
/// let read: Vec<(String, NameKind)> = names.read().map(|(n, k)| (n.into_owned(), k)).collect();
/// assert_eq!(
///     read,
///     [
///         ("MAIL_PASSWORD".to_owned(), NameKind::Key),
///         ("SMTP_PASSWORD".to_owned(), NameKind::Alias),
///         ("MAIL_PASSWORD_FILE".to_owned(), NameKind::File),
///     ]
/// );
/// assert_eq!(names.renamed_from().collect::<Vec<_>>(), ["MAIL_PASS"]);
/// ```
#[derive(Debug, Clone)]
pub struct Names<'a> {
    field: &'static FieldSchema,
    /// The prefix the field's struct is embedded at (empty for the struct that is loaded).
    outer: &'a str,
    key: &'a str,
    file_key: Option<Cow<'a, str>>,
}

impl<'a> Names<'a> {
    /// The names of `field`, whose variable is `key`, in a struct embedded at `outer`.
    pub fn new(field: &'static FieldSchema, outer: &'a str, key: &'a str) -> Self {
        let file_key = field
            .secret
            .then(|| Cow::Owned(format!("{key}{}", file_suffix(field))));
        Names {
            field,
            outer,
            key,
            file_key,
        }
    }

    /// Writes the variable of `field` into `out`, for a struct whose names start with `prefix`
    /// and that is embedded at `outer` (a start of `prefix`), followed for a secret by `_FILE`:
    /// the loader reuses one buffer for every field, and [`Names::in_buffer`] reads it back.
    pub(crate) fn write(field: &FieldSchema, outer: &str, prefix: &str, out: &mut String) {
        Names::write_key(field, outer, prefix, out);
        out.push_str(file_suffix(field));
    }

    /// The variable alone: an `env` name goes under `outer`, any other under `prefix`.
    pub(crate) fn write_key(field: &FieldSchema, outer: &str, prefix: &str, out: &mut String) {
        out.push_str(if field.absolute { outer } else { prefix });
        out.push_str(field.name);
    }

    /// The names of `field` from a buffer [`Names::write`] filled, without allocating: the
    /// embedding prefix is its first `outer_len` bytes, as every variable starts with it.
    pub(crate) fn in_buffer(
        field: &'static FieldSchema,
        outer_len: usize,
        written: &'a str,
    ) -> Self {
        let key_len = written.len() - file_suffix(field).len();
        Names {
            field,
            outer: &written[..outer_len],
            key: &written[..key_len],
            file_key: field.secret.then_some(Cow::Borrowed(written)),
        }
    }

    /// The field these are the names of.
    pub fn field(&self) -> &'static FieldSchema {
        self.field
    }

    /// The field's variable, such as `MAIL_PORT`.
    pub fn key(&self) -> &'a str {
        self.key
    }

    /// For a secret, the variable naming a file with the value, such as `MAIL_PASSWORD_FILE`.
    pub fn file_key(&self) -> Option<&str> {
        self.file_key.as_deref()
    }

    /// The other names also read, under the embedding prefix.
    pub fn aliases(&self) -> impl Iterator<Item = Cow<'a, str>> + 'a {
        let outer = self.outer;
        self.field.aliases.iter().map(move |a| under(outer, a))
    }

    /// The old names, refused with an error naming [`Names::key`], under the embedding prefix.
    pub fn renamed_from(&self) -> impl Iterator<Item = Cow<'a, str>> + 'a {
        let outer = self.outer;
        self.field.renamed_from.iter().map(move |a| under(outer, a))
    }

    /// The names a load reads, in the order it looks them up.
    pub fn read(&self) -> impl Iterator<Item = (Cow<'_, str>, NameKind)> + '_ {
        std::iter::once((Cow::Borrowed(self.key), NameKind::Key))
            .chain(self.aliases().map(|a| (a, NameKind::Alias)))
            .chain(
                self.file_key
                    .as_deref()
                    .map(|f| (Cow::Borrowed(f), NameKind::File)),
            )
    }

    /// Every name: those read, then the old ones.
    pub fn all(&self) -> impl Iterator<Item = (Cow<'_, str>, NameKind)> + '_ {
        self.read()
            .chain(self.renamed_from().map(|r| (r, NameKind::Renamed)))
    }
}

/// What a secret's `_FILE` variable adds to its name; nothing for any other field.
pub(crate) fn file_suffix(field: &FieldSchema) -> &'static str {
    if field.secret { FILE_SUFFIX } else { "" }
}

/// The full name of an alias or old name under the embedding prefix `outer`.
fn under<'a>(outer: &str, name: &'a str) -> Cow<'a, str> {
    if outer.is_empty() {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(format!("{outer}{name}"))
    }
}
