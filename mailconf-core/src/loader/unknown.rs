//! Keys no field reads (typos, renamed keys, leftovers) and "did you mean" for missing ones.

use crate::schema::{FILE_SUFFIX, Scope, under};
use crate::sources::Entry;
use crate::suggest::closest;
use crate::{Error, ErrorKind, Loader, Schema};

impl Loader<'_> {
    /// Keys of a JSON object or map that no field reads, and environment-like keys under one of
    /// the struct's prefixes that no field reads; except keys under the prefix of a flattened
    /// struct marked `allow_unknown` (all keys, when that prefix is empty).
    pub(super) fn report_unknown_keys(&mut self, schema: &Schema) {
        let under = |prefixes: &[String], key: &str| prefixes.iter().any(|p| key.starts_with(p));
        let unknown: Vec<&Entry> = self
            .sources
            .effective()
            .filter(|&(position, entry, prefix_scoped)| {
                !self.read[position]
                    && (!prefix_scoped || under(&self.prefixes, entry.key()))
                    && !under(&self.lenient, entry.key())
            })
            .map(|(_, entry, _)| entry)
            .collect();
        if unknown.is_empty() {
            return;
        }
        // Renamed keys are known (they get their own error) but never suggested.
        let known: Vec<String> = schema
            .entries()
            .into_iter()
            .flat_map(|e| {
                let file_key = e.field.file_key(&e.key);
                std::iter::once(e.key).chain(e.aliases).chain(file_key)
            })
            .collect();
        let scopes = schema.scopes();
        for entry in unknown {
            let key = entry.key();
            let origin = entry.origin().clone();
            if key.is_empty() {
                // Found by fuzzing (fuzz/fuzz_targets/json.rs): `{"": 1}` gave an error that
                // names no key. A nameless entry is a flaw of the source itself.
                self.errors.push(
                    Error::new(ErrorKind::InvalidSource, "", "a setting has an empty name")
                        .with_origin(origin)
                        .with_hint("remove the entry whose name is empty"),
                );
                continue;
            }
            let mut error =
                Error::new(ErrorKind::UnknownKey, key, "not a known setting").with_origin(origin);
            if let Some(similar) = moved_prefix(key, &scopes, &known)
                .or_else(|| closest(key, known.iter().map(String::as_str)))
            {
                error.set_hint(format!("did you mean {similar}?"));
            } else if let Some(base) = key
                .strip_suffix(FILE_SUFFIX)
                .filter(|b| known.iter().any(|k| k == b))
            {
                error.set_hint(format!(
                    "only secret settings can be read from a file: set {base} itself"
                ));
            }
            self.errors.push(error);
        }
    }

    /// A missing key whose near-twin is set gets a hint naming that variable.
    pub(super) fn suggest_for_missing(&mut self) {
        let unknown: Vec<String> = self
            .errors
            .iter()
            .filter(|e| e.code() == "unknown_key")
            .map(|e| e.key().to_owned())
            .collect();
        for error in &mut self.errors {
            if error.code() != "missing" || error.hint().is_some_and(|h| h.contains("renamed")) {
                continue;
            }
            if let Some(typo) = closest(error.key(), unknown.iter().map(String::as_str)) {
                let hint = format!("{typo} is set: did you mean {}?", error.key());
                error.set_hint(hint);
            }
        }
    }
}

impl Loader<'_> {
    /// An old name of the setting that is still set: "MAIL_TLS was renamed to MAIL_STARTTLS".
    pub(super) fn report_renamed(&mut self, field: &'static crate::FieldSchema, key: &str) {
        for old in field.renamed_from {
            let old = &*under(self.outer(), old);
            let Some(position) = self.sources.position(old) else {
                continue;
            };
            self.read[position] = true;
            let entry = self.sources.at(position);
            let hint = if self.sources.get(key).is_some() {
                format!("remove {old}: {key} is already set")
            } else {
                format!("rename {old} to {key}")
            };
            let mut error = Error::new(
                ErrorKind::RenamedKey {
                    new_key: key.to_owned(),
                },
                old,
                format!("{old} was renamed to {key}"),
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
