//! Keys no field reads (typos, renamed keys, leftovers) and "did you mean" for missing ones.

use mailconf_values::Message;

use crate::schema::{FILE_SUFFIX, ForeignKey, Scope};
use crate::sources::Entry;
use crate::suggest::closest;
use crate::{Error, ErrorKind, Loader, Names, Schema, Sources, Warning};

/// What an unknown key is checked against: the names fields read, the prefixes in use, and
/// other libraries' keys.
struct Known {
    /// Renamed keys are known (they get their own error) but never suggested.
    names: Vec<String>,
    scopes: Vec<(String, Scope)>,
    foreign: Vec<&'static ForeignKey>,
}

impl Known {
    fn of(schema: &Schema) -> Known {
        Known {
            names: schema
                .entries()
                .iter()
                .flat_map(|e| {
                    let read: Vec<String> = e.names().read().map(|(n, _)| n.into_owned()).collect();
                    read
                })
                .collect(),
            scopes: schema.scopes(),
            foreign: schema.all_foreign_keys(),
        }
    }
}

impl<'s> Loader<'s> {
    /// Keys of a JSON object or map that no field reads, and environment-like keys under one of
    /// the struct's prefixes that no field reads; except keys under the prefix of a flattened
    /// struct marked `allow_unknown` (all keys, when that prefix is empty).
    pub(super) fn report_unknown_keys(&mut self, schema: &Schema) {
        let unknown = self.unread_entries();
        if unknown.is_empty() {
            return;
        }
        let known = Known::of(schema);
        for entry in unknown {
            self.report_unknown(entry, schema, &known);
        }
    }

    /// The entries no field read, under a prefix in use where the source is scoped by prefix.
    fn unread_entries(&self) -> Vec<&'s Entry> {
        let fold = self.folded.is_some();
        let under = |prefixes: &[String], key: &str| {
            prefixes.iter().any(|p| {
                key.get(..p.len())
                    .is_some_and(|head| head == p || (fold && head.eq_ignore_ascii_case(p)))
            })
        };
        let sources: &'s Sources = self.sources;
        sources
            .effective()
            .filter(|&(position, entry, prefix_scoped)| {
                !self.read[position]
                    && (!prefix_scoped || under(&self.prefixes, entry.key()))
                    && !under(&self.lenient, entry.key())
            })
            .map(|(_, entry, _)| entry)
            .collect()
    }

    /// One unknown key: a flaw of the source (no name), another spelling of a key that was
    /// read, another library's key, a near miss, or a leftover (an error only when denied).
    fn report_unknown(&mut self, entry: &Entry, schema: &Schema, known: &Known) {
        let key = entry.key();
        let origin = entry.origin().clone();
        if key.is_empty() {
            // Found by fuzzing (fuzz/fuzz_targets/json.rs): `{"": 1}` gave an error that
            // names no key. A nameless entry is a flaw of the source itself.
            self.errors.push(
                Error::new(
                    ErrorKind::InvalidSource,
                    "",
                    Message::new("loader-empty-name"),
                )
                .with_origin(origin)
                .with_hint(Message::new("loader-empty-name-hint")),
            );
            return;
        }
        if let Some(read) = self.shadowed_spelling(key) {
            let note = |id| Message::new(id).arg("key", key).arg("read", read.key());
            self.warnings.push(
                Warning::new(key, "key_case", note("loader-shadowed-spelling"))
                    .with_origin(origin)
                    .with_hint(note("loader-shadowed-spelling-hint")),
            );
            return;
        }
        // Another library's key is explained by the table, never "did you mean"-ed.
        let fold = self.folded.is_some();
        let same = |row_key: &str| row_key == key || (fold && row_key.eq_ignore_ascii_case(key));
        if let Some(row) = known.foreign.iter().find(|row| same(row.key)) {
            self.errors.push(
                Error::new(
                    ErrorKind::ForeignKey {
                        dialect: row.dialect,
                    },
                    key,
                    Message::new("loader-foreign-key")
                        .arg("key", key)
                        .arg("dialect", row.dialect),
                )
                .with_origin(origin)
                .with_hint(self.foreign_advice(row)),
            );
            return;
        }
        let unknown = |hint| {
            Error::new(
                ErrorKind::UnknownKey,
                key,
                Message::new("loader-unknown-key"),
            )
            .with_origin(origin.clone())
            .with_hint(hint)
        };
        let leftover = |id| Message::new(id).arg("key", key).arg("config", schema.name);
        match near_miss(key, &known.names, &known.scopes) {
            Some(hint) => self.errors.push(unknown(hint)),
            None if schema.deny_unknown || self.sources.denies_unknown() => self
                .errors
                .push(unknown(leftover("loader-unknown-key-denied-hint"))),
            // Another program's variable in a shared `.env` (`MAIL_TO`): noted, not fatal.
            None => self.warnings.push(
                Warning::new(
                    key,
                    "unknown_key",
                    Message::new("loader-unknown-key-ignored"),
                )
                .with_origin(origin.clone())
                .with_hint(leftover("loader-unknown-key-ignored-hint")),
            ),
        }
    }

    /// What to set instead of another library's key, from the values this load finds.
    fn foreign_advice(&self, row: &ForeignKey) -> Message {
        match row.explain {
            Some(explain) => explain(row.key, &|name| self.value_of(name)),
            None => Message::new("loader-set-instead").arg("key", row.instead),
        }
    }

    /// A missing key whose near-twin is set gets a hint naming that variable.
    pub(super) fn suggest_for_missing(&mut self, schema: &Schema) {
        let mut foreign = schema.all_foreign_keys();
        foreign.retain(|row| !row.setting.is_empty() && self.find(row.key).is_some());
        let unknown: Vec<String> = self
            .errors
            .iter()
            .filter(|e| e.code() == "unknown_key")
            .map(|e| e.key().to_owned())
            .collect();
        let explained: Vec<Message> = foreign.iter().map(|row| self.foreign_advice(row)).collect();
        // A missing setting whose old name is set has its rename hint already.
        let renamed: Vec<String> = schema
            .entries()
            .iter()
            .filter(|e| {
                e.names()
                    .renamed_from()
                    .any(|old| self.find(&old).is_some())
            })
            .map(|e| e.key.clone())
            .collect();
        for error in &mut self.errors {
            if error.code() != "missing" || renamed.iter().any(|k| k == error.key()) {
                continue;
            }
            if let Some(typo) = closest(error.key(), unknown.iter().map(String::as_str)) {
                let hint = Message::new("loader-typo-is-set")
                    .arg("typo", typo)
                    .arg("key", error.key());
                error.set_hint(hint);
            } else if let Some(at) = foreign.iter().position(|row| row.setting == error.key()) {
                // Django's `EMAIL_HOST`, outside the prefix so never an unknown key itself.
                let row = foreign[at];
                let hint = Message::new("loader-foreign-name-is-set")
                    .arg("key", row.key)
                    .arg("dialect", row.dialect)
                    .arg("advice", explained[at].clone());
                error.set_hint(hint);
            }
        }
    }
}

impl Loader<'_> {
    /// The value of the variable `name` as this load finds it, for a foreign key's advice.
    fn value_of(&self, name: &str) -> Option<String> {
        self.entry(name)
            .and_then(|entry| entry.value().ok())
            .map(str::to_owned)
    }

    /// An old name of the setting that is still set: "MAIL_TLS was renamed to MAIL_STARTTLS".
    pub(super) fn report_renamed(&mut self, names: &Names<'_>) {
        let (field, key) = (names.field(), names.key());
        for old in names.renamed_from() {
            let old = &*old;
            let Some(position) = self.find(old) else {
                continue;
            };
            self.read[position] = true;
            let entry = self.sources.at(position);
            if self.find(key).is_some() {
                // fastapi-mail ignores the old key then; so does this load, but says so.
                self.warnings.push(
                    Warning::new(
                        old,
                        "renamed_key",
                        Message::new("loader-renamed-both-set")
                            .arg("old", old)
                            .arg("key", key),
                    )
                    .with_origin(entry.origin().clone())
                    .with_hint(Message::new("loader-remove").arg("key", old)),
                );
                continue;
            }
            let hint = Message::new("loader-rename")
                .arg("old", old)
                .arg("key", key);
            let mut error = Error::new(
                ErrorKind::RenamedKey {
                    new_key: key.to_owned(),
                },
                old,
                Message::new("loader-renamed")
                    .arg("old", old)
                    .arg("key", key),
            )
            .with_field(self.field_path(field))
            .with_origin(entry.origin().clone())
            .with_hint(hint);
            if let Ok(raw) = entry.value() {
                error = error.with_input(raw, field.secret);
            }
            self.errors.push(error);
        }
    }
}

/// "did you mean" for a key that is a near miss of a known one: the prefix moved, a typo, or
/// `_FILE` on a setting that is not secret. Only such a key is an error by default.
fn near_miss(key: &str, known: &[String], scopes: &[(String, Scope)]) -> Option<Message> {
    if let Some(similar) =
        moved_prefix(key, scopes, known).or_else(|| closest(key, known.iter().map(String::as_str)))
    {
        return Some(Message::new("loader-did-you-mean").arg("key", similar));
    }
    let base = key
        .strip_suffix(FILE_SUFFIX)
        .filter(|b| known.iter().any(|k| k == b))?;
    Some(Message::new("loader-file-only-secret").arg("key", base))
}

/// The known key that `key` names with its struct's prefix moved: `MAIL_TIMEOUT` for `TIMEOUT`
/// (an `env` name of a struct whose other names start with `MAIL_`), or `SERVER` for
/// `MAIL_SERVER`. Tried before spelling: the names are far apart, the mistake is common.
fn moved_prefix<'k>(key: &str, scopes: &[(String, Scope)], known: &'k [String]) -> Option<&'k str> {
    let find = |candidate: String| known.iter().find(|k| **k == candidate);
    scopes
        .iter()
        .find_map(|(prefix, scope)| {
            let (outer, own) = prefix.split_at(scope.outer);
            let rest = key.strip_prefix(outer)?;
            match rest.strip_prefix(own) {
                Some(name) => find(format!("{outer}{name}")),
                None => find(format!("{prefix}{rest}")),
            }
        })
        .map(String::as_str)
}
