//! Variable names that match whatever their case (`#[mailconf(case_insensitive)]`), as
//! pydantic-settings matches them: a fastapi-mail `.env` with `mail_server=` must not lose the
//! setting.

use std::collections::HashMap;

use mailconf_values::Message;

use crate::sources::Entry;
use crate::{Loader, Sources, Warning};

/// Every key of `sources`, upper-cased, to the position of its last-added spelling: a later layer
/// overrides an earlier one whatever the case of either.
pub(crate) fn fold(sources: &Sources) -> HashMap<String, usize> {
    let mut folded = HashMap::new();
    for (position, entry, _) in sources.effective() {
        // `effective` goes in the order added: the last spelling wins.
        folded.insert(entry.key().to_ascii_uppercase(), position);
    }
    folded
}

/// Where the value of the variable `name` is: its exact spelling, or with `folded` (a
/// case-insensitive struct's [`fold`]) any spelling.
pub(crate) fn find(
    sources: &Sources,
    folded: Option<&HashMap<String, usize>>,
    name: &str,
) -> Option<usize> {
    match folded {
        Some(folded) => folded.get(&name.to_ascii_uppercase()).copied(),
        None => sources.position(name),
    }
}

impl<'s> Loader<'s> {
    /// [`find`] in the sources being loaded.
    pub(super) fn find(&self, name: &str) -> Option<usize> {
        find(self.sources, self.folded.as_ref(), name)
    }

    /// The entry of the variable `name`, found as [`Loader::find`] finds it.
    pub(super) fn entry(&self, name: &str) -> Option<&'s Entry> {
        let sources = self.sources;
        self.find(name).map(|position| sources.at(position))
    }

    /// A variable read under another spelling than its own: a warning, so that the `.env` can be
    /// made to match (a case-sensitive reader would miss it).
    pub(super) fn note_case(&mut self, entry: &Entry, name: &str) {
        if entry.key() != name {
            self.warnings.push(
                Warning::new(
                    entry.key(),
                    "key_case",
                    Message::new("loader-case-read-as").arg("name", name),
                )
                .with_origin(entry.origin().clone())
                .with_hint(Message::new("loader-case-write-it").arg("name", name)),
            );
        }
    }

    /// An unknown key that is a known variable in another spelling, also set: the other spelling
    /// was read, this one is ignored.
    pub(super) fn shadowed_spelling(&self, key: &str) -> Option<&'s Entry> {
        let position = self.folded.as_ref()?.get(&key.to_ascii_uppercase())?;
        let sources = self.sources;
        self.read[*position].then(|| sources.at(*position))
    }
}
