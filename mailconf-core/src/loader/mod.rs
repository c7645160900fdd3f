//! The runtime half of `#[derive(MailConfig)]`: resolves each field's variable, reads and parses
//! it, and collects every problem instead of stopping at the first.

mod case;
mod hook;
mod lookup;
mod unknown;
mod view;

pub use view::FieldView;

use std::collections::HashMap;

use mailconf_values::{FromValue, Invalid, Message};

use crate::schema::Scope;
use crate::{
    DefaultValue, Error, ErrorKind, Errors, FieldKind, FieldSchema, Loaded, MailConfig, Names,
    Origin, Problems, Schema, Sources, Warning,
};

/// Loads the fields of a settings struct from [`Sources`], collecting every problem.
///
/// Generated code (and hand-written [`MailConfig`] impls) call [`Loader::value`] for each field,
/// [`Loader::nested`] for each flattened struct and [`Loader::finish`] at the end.
///
/// A load that finds no problem allocates little beyond the values themselves: variable names
/// are built in one reused buffer, and field paths, hints and suggestions only for errors.
pub struct Loader<'s> {
    sources: &'s Sources,
    /// The composed prefix of the struct being loaded, such as `MAIL_`.
    prefix: String,
    /// Where in `prefix` the struct being loaded is embedded: its `env` names, aliases and
    /// renamed names go under `prefix[..scope.outer]`.
    scope: Scope,
    /// The Rust path of the struct being loaded, such as `connection.`.
    path: String,
    /// The variable name of the field being loaded, followed for a secret by `_FILE`
    /// ([`Names::write`]).
    key: String,
    errors: Vec<Error>,
    /// What loads but deserves attention: unknown keys that are ignored, old names next to new.
    warnings: Vec<Warning>,
    /// Which entries of `sources` (by [`Sources::position`]) some field read, for the
    /// unknown-key check.
    read: Vec<bool>,
    /// Composed prefixes in use: environment variables under them are checked for typos.
    prefixes: Vec<String>,
    /// Composed prefixes of flattened structs marked `allow_unknown`: keys under them are
    /// never reported as unknown.
    lenient: Vec<String>,
    /// The struct being loaded: where `required_unless` finds a field's siblings.
    current: Option<&'static Schema>,
    /// For a case-insensitive struct, every key upper-cased to its position (see [`case::fold`]).
    folded: Option<HashMap<String, usize>>,
}

/// A per-field check, `#[mailconf(validate = path)]`.
pub type FieldCheck<T> = fn(&T) -> Result<(), Invalid>;

/// A whole-struct check: `#[mailconf(validate = path)]` on the struct, given the fields that
/// loaded ([`Loader::check`]), or a hand-written impl's check of the whole value
/// ([`Loader::finish`]).
pub type StructCheck<T> = fn(&T) -> Result<(), Problems>;

impl<'s> Loader<'s> {
    /// Loads `T` from `sources` with the warnings found: what
    /// [`MailConfig::load_with_warnings`] does.
    pub fn run<T: MailConfig>(sources: &'s Sources) -> Result<Loaded<T>, Errors> {
        let schema = T::schema();
        let mut loader = Loader {
            sources,
            prefix: String::new(),
            scope: Scope { outer: 0 },
            path: String::new(),
            // Room for any usual variable name, so the buffer is allocated once.
            key: String::with_capacity(64),
            errors: sources.problems().cloned().collect(),
            warnings: Vec::new(),
            read: vec![false; sources.len()],
            prefixes: Vec::new(),
            lenient: Vec::new(),
            current: None,
            folded: schema.case_insensitive.then(|| case::fold(sources)),
        };
        let value = loader.enter::<T>("", &[]);
        if !schema.allow_unknown {
            loader.report_unknown_keys(schema);
        }
        loader.suggest_for_missing(schema);
        let warnings = loader.warnings;
        match (value, Errors::from_vec(loader.errors)) {
            (_, Some(mut errors)) => {
                errors.set_config_name(schema.name);
                errors.set_warnings(warnings);
                Err(errors)
            }
            (Some(value), None) => Ok(Loaded { value, warnings }),
            (None, None) => {
                let mut errors = Errors::new(Error::new(
                    ErrorKind::InvalidSource,
                    "",
                    format!(
                        "{}::load_from returned no value and reported no problem",
                        schema.name
                    ),
                ));
                errors.set_config_name(schema.name);
                Err(errors)
            }
        }
    }

    /// Loads a struct embedded with `flatten` as its `flatten(prefix)`, its path extending the
    /// current one by these parts.
    fn enter<T: MailConfig>(&mut self, flatten: &str, path: &[&str]) -> Option<T> {
        let (prefix_len, path_len, scope) = (self.prefix.len(), self.path.len(), self.scope);
        self.scope = scope.enter(&mut self.prefix, flatten, T::schema().prefix);
        path.iter().for_each(|part| self.path.push_str(part));
        // Its `env` names live under the outer prefix: typos there are checked too.
        for prefix in [&self.prefix[..self.scope.outer], &self.prefix] {
            if !prefix.is_empty() && !self.prefixes.iter().any(|p| p == prefix) {
                self.prefixes.push(prefix.to_owned());
            }
        }
        if T::schema().allow_unknown {
            self.lenient.push(self.prefix.clone());
        }
        let outer = self.current.replace(T::schema());
        let value = T::load_from(self);
        self.current = outer;
        self.scope = scope;
        self.prefix.truncate(prefix_len);
        self.path.truncate(path_len);
        value
    }

    /// Loads one value field. `default` gives the value of an unset field whose default is Rust
    /// code (`DefaultValue::Expr`); a literal default comes from the schema. `check` is the
    /// field's validate hook.
    pub fn value<T: FromValue>(
        &mut self,
        field: &'static FieldSchema,
        default: Option<fn() -> T>,
        check: Option<FieldCheck<T>>,
    ) -> Option<T> {
        let mut buffer = std::mem::take(&mut self.key);
        buffer.clear();
        Names::write(field, self.outer(), &self.prefix, &mut buffer);
        let names = Names::in_buffer(field, self.scope.outer, &buffer);
        let value = self.value_named(&names, default, check);
        self.key = buffer;
        value
    }

    fn value_named<T: FromValue>(
        &mut self,
        names: &Names<'_>,
        default: Option<fn() -> T>,
        check: Option<FieldCheck<T>>,
    ) -> Option<T> {
        let (field, key) = (names.field(), names.key());
        self.report_renamed(names);
        let found = match self.lookup(names) {
            Ok(found) => found,
            Err(error) => {
                self.errors.push(error);
                return None;
            }
        };
        let Some((raw, origin)) = found else {
            return self.unset(field, key, default);
        };
        if raw.is_empty() {
            let no_empty_form = matches!(T::JSON_TYPE, "boolean" | "integer" | "number");
            if T::OPTIONAL && !no_empty_form {
                // `NAME=` means unset for an optional text setting, as container platforms
                // write it; a `required_unless` still reports it, as set but empty.
                return self.unset(field, key, default);
            }
            if no_empty_form || field.required() {
                // An empty flag is never read as false, nor an empty port as its default.
                let error = set_but_empty(key, self.field_path(field), T::JSON_TYPE)
                    .with_origin(origin.into_owned());
                self.errors.push(error);
                return None;
            }
        }
        let parsed = T::from_value(&raw).and_then(|value| match check {
            Some(check) => check(&value).map(|()| value),
            None => Ok(value),
        });
        match parsed {
            Ok(value) => Some(value),
            Err(invalid) => {
                let error = invalid_value(invalid, field, key, self.field_path(field))
                    .with_input(&raw, field.secret)
                    .with_origin(origin.into_owned());
                self.errors.push(error);
                None
            }
        }
    }

    /// The Rust path of a field of the struct being loaded, such as `connection.port`: built
    /// only for errors.
    fn field_path(&self, field: &FieldSchema) -> String {
        format!("{}{}", self.path, field.field)
    }

    fn unset<T: FromValue>(
        &mut self,
        field: &'static FieldSchema,
        key: &str,
        default: Option<fn() -> T>,
    ) -> Option<T> {
        if let Some(value) = T::when_missing() {
            // Reported, but the value stays: the struct's own checks still run on the rest.
            if !field.required_unless.is_empty() && !self.any_set(field.required_unless) {
                let error = self.missing(field, key);
                self.errors.push(error);
            }
            return Some(value);
        }
        if let Some(default) = default {
            return Some(default());
        }
        if let DefaultValue::Text(text) = field.default {
            // The derive checked known types at compile time; this catches a custom type's bad default.
            return match T::from_value(text) {
                Ok(value) => Some(value),
                Err(invalid) => {
                    let error = invalid_value(invalid, field, key, self.field_path(field))
                        .with_origin(Origin::Default);
                    self.errors.push(error);
                    None
                }
            };
        }
        let error = self.missing(field, key);
        self.errors.push(error);
        None
    }

    fn missing(&self, field: &'static FieldSchema, key: &str) -> Error {
        let hint = self.renamed_hint(field, key).unwrap_or_else(|| {
            let alternatives: Vec<String> = self
                .siblings(field.required_unless)
                .map(|f| self.key_of(f))
                .collect();
            let what = crate::schema::type_name_message(field.type_name);
            match alternatives.as_slice() {
                [] => Message::new("loader-set-key")
                    .arg("key", key)
                    .arg("type", what),
                keys => Message::new("loader-set-key-or")
                    .arg("key", key)
                    .arg("type", what)
                    .arg("others", one_of(keys)),
            }
        });
        Error::new(ErrorKind::Missing, key, self.missing_message(field, key))
            .with_field(self.field_path(field))
            .with_hint(hint)
    }

    /// "required, but not set", or "set but empty" when one of its names is set to "".
    fn missing_message(&self, field: &'static FieldSchema, key: &str) -> Message {
        let empty = Names::new(field, self.outer(), key)
            .read()
            .filter_map(|(name, _)| self.entry(&name))
            .any(|entry| entry.value() == Ok(""));
        Message::new(if empty {
            "error-set-but-empty"
        } else {
            "error-missing"
        })
    }

    /// The fields of the struct being loaded with these Rust names.
    fn siblings<'a>(
        &self,
        names: &'a [&'a str],
    ) -> impl Iterator<Item = &'static FieldSchema> + 'a {
        let fields = self.current.map_or(&[][..], |s| s.fields);
        names
            .iter()
            .filter_map(move |name| fields.iter().find(|f| f.field == *name))
    }

    /// Whether any of these sibling fields is set, under any of its names.
    fn any_set(&self, names: &[&str]) -> bool {
        self.siblings(names).any(|f| {
            let key = self.key_of(f);
            Names::new(f, self.outer(), &key)
                .read()
                .any(|(name, _)| self.find(&name).is_some())
        })
    }

    /// The prefix the struct being loaded is embedded at: its `env` names, aliases and renamed
    /// names go under it.
    fn outer(&self) -> &str {
        &self.prefix[..self.scope.outer]
    }

    /// The full variable name of a field of the struct being loaded.
    fn key_of(&self, field: &FieldSchema) -> String {
        field.key(self.outer(), &self.prefix)
    }

    /// Loads a flattened settings struct under the field's prefix.
    pub fn nested<T: MailConfig>(&mut self, field: &'static FieldSchema) -> Option<T> {
        let prefix = match field.kind {
            FieldKind::Flatten { prefix, .. } => prefix,
            FieldKind::Value => "",
        };
        self.enter::<T>(prefix, &[field.field, "."])
    }

    /// "MAIL_TLS was renamed to MAIL_STARTTLS", when an old name of the field is set.
    fn renamed_hint(&self, field: &'static FieldSchema, key: &str) -> Option<Message> {
        let old = Names::new(field, self.outer(), key)
            .renamed_from()
            .find(|old| self.find(old).is_some())?;
        Some(
            Message::new("loader-renamed-hint")
                .arg("old", &*old)
                .arg("key", key),
        )
    }
}

/// `A or B or C`, in the reader's language.
fn one_of(keys: &[String]) -> Message {
    let mut keys = keys.iter();
    let first = Message::text(keys.next().map_or("", String::as_str));
    keys.fold(first, |list, key| {
        Message::new("list-or")
            .arg("first", list)
            .arg("second", key)
    })
}

/// `MAIL_STARTTLS=` or an empty required setting: named as set, never read as a default.
fn set_but_empty(key: &str, path: String, json_type: &str) -> Error {
    let what = match json_type {
        "boolean" => "boolean",
        "integer" | "number" => "number",
        _ => "other",
    };
    Error::new(
        ErrorKind::InvalidValue {
            detail: "empty_value",
        },
        key,
        Message::new("error-set-but-empty"),
    )
    .with_field(path)
    .with_hint(
        Message::new("loader-set-but-empty-hint")
            .arg("key", key)
            .arg("what", what),
    )
}

fn invalid_value(invalid: Invalid, field: &FieldSchema, key: &str, path: String) -> Error {
    // The type's advice first (what is wrong with the text), then the field's (what it is for).
    let hint = match (invalid.hint, field.hint) {
        (Some(own), Some(field)) => Some(
            Message::new("loader-hint-and-field-hint")
                .arg("hint", own)
                .arg("field_hint", Message::id_or_text(field)),
        ),
        (own, field) => own.or_else(|| field.map(Message::id_or_text)),
    };
    Error::new(
        ErrorKind::InvalidValue {
            detail: invalid.code,
        },
        key,
        invalid.message,
    )
    .with_field(path)
    .with_optional_hint(hint)
}
