//! A schema read against sources without loading: what each field would be read from.

use crate::sources::Entry;
use crate::{NameKind, Schema, SchemaEntry, Sources};

use super::case;

/// One value field of a [`Schema`] and what [`Sources`] set for it, found as a load finds it:
/// the same names in the same order ([`SchemaEntry::names`]), whatever their case when the
/// struct is `case_insensitive`. The value is not parsed: for tools that show the effective
/// settings, such as `mailconf check`, without restating the lookup.
#[derive(Debug, Clone)]
pub struct FieldView<'s> {
    /// The field, with its variable name.
    pub entry: SchemaEntry,
    /// The entry a load reads the value from, `None` when no name of the field is set.
    pub found: Option<&'s Entry>,
    /// Which of the field's names set it (its own variable, an alias, or a secret's `_FILE`).
    pub via: Option<NameKind>,
}

impl Schema {
    /// Every value field, nested structs expanded, with the entry a load of this struct from
    /// `sources` would read it from.
    ///
    /// ```
    /// use mailconf_core::{MailConfig, NameKind, Secret, Sources};
    ///
    /// #[derive(MailConfig)]
    /// #[mailconf(prefix = "MAIL_", case_insensitive)]
    /// struct Mail {
    ///     port: u16,
    ///     #[mailconf(secret)]
    ///     password: Secret<String>,
    /// }
    ///
    /// let sources = Sources::new().map([("mail_port", "587"), ("MAIL_PASSWORD_FILE", "/run/pw")]);
    /// let view = Mail::schema().view(&sources);
    /// let port = view[0].found.unwrap();
    /// assert_eq!((port.key(), port.value(), view[0].via), ("mail_port", Ok("587"), Some(NameKind::Key)));
    /// assert_eq!(view[1].via, Some(NameKind::File));
    /// ```
    pub fn view<'s>(&self, sources: &'s Sources) -> Vec<FieldView<'s>> {
        let folded = self.case_insensitive.then(|| case::fold(sources));
        self.entries()
            .into_iter()
            .map(|entry| {
                let names = entry.names();
                let found = names.read().find_map(|(name, kind)| {
                    case::find(sources, folded.as_ref(), &name).map(|p| (sources.at(p), kind))
                });
                let (found, via) = found.unzip();
                FieldView { entry, found, via }
            })
            .collect()
    }
}
