//! The layers settings are read from, each value with its origin.

mod dotenv;
mod json;

use std::hash::BuildHasher;
use std::path::Path;

use hashbrown::DefaultHashBuilder;
use hashbrown::hash_table::{self, HashTable};

use mailconf_values::{Invalid, Message};

use crate::{Error, Origin};

/// An ordered stack of key/value layers: later layers override earlier ones.
///
/// Problems with a layer itself (an unreadable `.env`, JSON that does not parse) are kept and
/// reported together with every other problem when settings are loaded.
///
/// ```
/// use mailconf_core::Sources;
///
/// let sources = Sources::new()
///     .map([("MAIL_PORT", "25")])
///     .json(r#"{"MAIL_PORT": 587}"#);
/// assert_eq!(sources.get("MAIL_PORT").unwrap().value(), Ok("587"));
/// ```
#[derive(Clone, Default)]
pub struct Sources {
    /// Every entry of every layer, in the order they were added.
    slots: Vec<Slot>,
    /// The position in `slots` of each key's winning entry. Built as layers are added, so that a
    /// load looks a key up in constant time however large the environment is.
    index: HashTable<usize>,
    hasher: DefaultHashBuilder,
    problems: Vec<Error>,
    /// Every unknown key is an error ([`Sources::deny_unknown`]).
    deny_unknown: bool,
}

#[derive(Clone)]
struct Slot {
    entry: Entry,
    /// Environment-like layers hold unrelated variables too, so only prefixed keys are checked
    /// for typos; a JSON object or a map is all settings, so every key is checked.
    prefix_scoped: bool,
    /// A later entry has the same key.
    shadowed: bool,
}

impl std::fmt::Debug for Sources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sources")
            .field(
                "entries",
                &self.effective().map(|(_, e, _)| e).collect::<Vec<_>>(),
            )
            .field("problems", &self.problems)
            .finish()
    }
}

/// One key's raw value in one layer.
#[derive(Clone)]
pub struct Entry {
    key: String,
    value: Result<String, Invalid>,
    origin: Origin,
}

impl std::fmt::Debug for Entry {
    // Values are left out: the entry may hold a secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("key", &self.key)
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl Entry {
    /// The variable name.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The raw value, or why the source could not give one (a non-UTF-8 environment value, a
    /// JSON array).
    pub fn value(&self) -> Result<&str, &Invalid> {
        self.value.as_deref()
    }

    /// Where the value came from.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }
}

impl Sources {
    /// No layers.
    pub fn new() -> Self {
        Sources::default()
    }

    /// Adds a snapshot of the process environment.
    pub fn env(self) -> Self {
        let entries = std::env::vars_os().filter_map(|(k, v)| {
            let key = k.into_string().ok()?;
            let value = v.into_string().map_err(|_| {
                Invalid::new("not_utf8", Message::new("source-env-not-utf8"))
                    .with_hint(Message::new("source-env-not-utf8-hint"))
            });
            Some(Entry {
                key,
                value,
                origin: Origin::Env,
            })
        });
        self.push(true, entries, Vec::new())
    }

    /// Adds variables as an environment holds them, such as a container's environment read
    /// elsewhere: like [`Sources::env`], only keys under a struct's prefix are checked for
    /// unknown ones, where a [`Sources::map`] is all settings.
    ///
    /// ```
    /// use mailconf_core::Sources;
    ///
    /// let sources = Sources::new().env_vars([("MAIL_PORT", "587"), ("HOME", "/root")]);
    /// assert_eq!(sources.get("MAIL_PORT").unwrap().value(), Ok("587"));
    /// ```
    pub fn env_vars<I, K, V>(self, pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        self.pairs(true, Origin::Env, pairs)
    }

    /// Adds a `.env` file, parsed by dotenvy (so `$VAR` in unquoted and double-quoted values is
    /// substituted; single-quote a value that contains `$`). A file that cannot be read or parsed
    /// is reported when loading.
    pub fn dotenv(self, path: impl AsRef<Path>) -> Self {
        let path = path.as_ref();
        match std::fs::read_to_string(path) {
            Ok(text) => self.dotenv_str(path, &text),
            Err(e) => {
                let error = Error::new(
                    crate::ErrorKind::FileUnreadable {
                        path: path.to_owned(),
                    },
                    "",
                    Message::new("source-dotenv-unreadable")
                        .arg("path", path.display().to_string())
                        .arg("reason", crate::file_problem(&e)),
                );
                self.push(true, Vec::new(), vec![error])
            }
        }
    }

    /// Adds `.env`-format text; `path` names it in origins and errors.
    pub fn dotenv_str(self, path: impl AsRef<Path>, text: &str) -> Self {
        let (entries, problems) = dotenv::parse(path.as_ref(), text);
        self.push(true, entries, problems)
    }

    /// Adds key/value pairs given by the program.
    pub fn map<I, K, V>(self, pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        self.pairs(false, Origin::Map, pairs)
    }

    fn pairs<I, K, V>(self, prefix_scoped: bool, origin: Origin, pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let entries = pairs.into_iter().map(|(k, v)| Entry {
            key: k.into(),
            value: Ok(v.into()),
            origin: origin.clone(),
        });
        self.push(prefix_scoped, entries, Vec::new())
    }

    /// Adds a JSON object keyed by variable names, as a settings form posts it. Values may be
    /// strings, numbers or booleans; `null` means "not set".
    pub fn json(self, text: &str) -> Self {
        let (entries, problems) = json::parse(text);
        self.push(false, entries, problems)
    }

    /// Loads from these sources refuse every unknown key under the prefix, as
    /// `#[mailconf(deny_unknown)]` does: by default only a near miss of a known key (`MAIL_SERVR`)
    /// or another library's key (`MAIL_USE_TLS`) is an error, and any other is a warning.
    ///
    /// ```
    /// use mailconf_core::Sources;
    ///
    /// let strict = Sources::new().map([("MAIL_TO", "ops@example.com")]).deny_unknown();
    /// assert!(strict.denies_unknown());
    /// ```
    #[must_use]
    pub fn deny_unknown(mut self) -> Self {
        self.deny_unknown = true;
        self
    }

    /// Whether [`Sources::deny_unknown`] was asked for.
    pub fn denies_unknown(&self) -> bool {
        self.deny_unknown
    }

    fn push(
        mut self,
        prefix_scoped: bool,
        entries: impl IntoIterator<Item = Entry>,
        layer_problems: Vec<Error>,
    ) -> Self {
        let Sources {
            slots,
            index,
            hasher,
            problems,
            ..
        } = &mut self;
        problems.extend(layer_problems);
        let entries = entries.into_iter();
        // The environment's entries come through a `filter_map`: its upper bound is the size.
        let expected = match entries.size_hint() {
            (_, Some(most)) => most,
            (least, None) => least,
        };
        slots.reserve(expected);
        index.reserve(expected, |&i| hasher.hash_one(slots[i].entry.key.as_str()));
        for entry in entries {
            let position = slots.len();
            let found = index.entry(
                hasher.hash_one(entry.key.as_str()),
                |&i| slots[i].entry.key == entry.key,
                |&i| hasher.hash_one(slots[i].entry.key.as_str()),
            );
            match found {
                hash_table::Entry::Occupied(mut winner) => {
                    slots[*winner.get()].shadowed = true;
                    *winner.get_mut() = position;
                }
                hash_table::Entry::Vacant(free) => {
                    free.insert(position);
                }
            }
            slots.push(Slot {
                entry,
                prefix_scoped,
                shadowed: false,
            });
        }
        self
    }

    /// The entry for `key` from the last layer that has it.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.position(key).map(|i| &self.slots[i].entry)
    }

    /// The entry for `key` whatever the case of either, from the last layer that has it: how
    /// pydantic-settings finds a variable.
    ///
    /// ```
    /// use mailconf_core::Sources;
    ///
    /// let sources = Sources::new().map([("MAIL_PORT", "25")]).map([("mail_port", "587")]);
    /// assert_eq!(sources.get_any_case("Mail_Port").unwrap().value(), Ok("587"));
    /// ```
    pub fn get_any_case(&self, key: &str) -> Option<&Entry> {
        self.effective()
            .filter(|(_, entry, _)| entry.key.eq_ignore_ascii_case(key))
            .last()
            .map(|(_, entry, _)| entry)
    }

    /// Where `key`'s winning entry is: a number below [`Sources::len`], for the loader to mark
    /// which entries some field read.
    pub(crate) fn position(&self, key: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(key);
        self.index
            .find(hash, |&i| self.slots[i].entry.key == key)
            .copied()
    }

    /// The entry at a [`Sources::position`].
    pub(crate) fn at(&self, position: usize) -> &Entry {
        &self.slots[position].entry
    }

    /// How many positions there are.
    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    /// Every key's winning entry, in the order added: its position, the entry, and whether it
    /// comes from an environment-like layer.
    pub(crate) fn effective(&self) -> impl Iterator<Item = (usize, &Entry, bool)> {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, slot)| !slot.shadowed)
            .map(|(i, slot)| (i, &slot.entry, slot.prefix_scoped))
    }

    /// Problems with the layers themselves, such as a `.env` line that does not parse (a load
    /// reports them too).
    pub fn problems(&self) -> impl Iterator<Item = &Error> {
        self.problems.iter()
    }
}
