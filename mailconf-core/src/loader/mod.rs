//! The runtime half of `#[derive(MailConfig)]`: resolves each field's variable, reads and parses
//! it, and collects every problem instead of stopping at the first.

mod lookup;
mod unknown;

use std::collections::HashSet;

use mailconf_values::{FromValue, Invalid};

use crate::{
    DefaultValue, Error, ErrorKind, Errors, FieldKind, FieldSchema, MailConfig, Origin, Schema,
    Sources,
};

/// Loads the fields of a settings struct from [`Sources`], collecting every problem.
///
/// Generated code (and hand-written [`MailConfig`] impls) call [`Loader::value`] for each field,
/// [`Loader::nested`] for each flattened struct and [`Loader::finish`] at the end.
pub struct Loader<'s> {
    sources: &'s Sources,
    prefix: String,
    path: String,
    errors: Vec<Error>,
    /// Every variable name some field reads, for the unknown-key check.
    claimed: HashSet<String>,
    /// Composed prefixes in use: environment variables under them are checked for typos.
    prefixes: Vec<String>,
    /// The structs being loaded, innermost last: where `required_unless` finds its siblings.
    structs: Vec<&'static Schema>,
}

/// A per-field check, `#[mailconf(validate = path)]`.
pub type FieldCheck<T> = fn(&T) -> Result<(), Invalid>;

/// A whole-struct check, `#[mailconf(validate = path)]` on the struct.
pub type StructCheck<T> = fn(&T) -> Result<(), Errors>;

impl<'s> Loader<'s> {
    /// Loads `T` from `sources`: what [`MailConfig::load`] does.
    pub fn run<T: MailConfig>(sources: &'s Sources) -> Result<T, Errors> {
        let schema = T::schema();
        let mut loader = Loader {
            sources,
            prefix: String::new(),
            path: String::new(),
            errors: sources.problems().cloned().collect(),
            claimed: HashSet::new(),
            prefixes: Vec::new(),
            structs: Vec::new(),
        };
        let value = loader.enter::<T>(schema.prefix, "");
        if !schema.allow_unknown {
            loader.report_unknown_keys();
        }
        loader.suggest_for_missing();
        match (value, Errors::from_vec(loader.errors)) {
            (_, Some(mut errors)) => {
                errors.set_config_name(schema.name);
                Err(errors)
            }
            (Some(value), None) => Ok(value),
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

    fn enter<T: MailConfig>(&mut self, prefix: &str, path: &str) -> Option<T> {
        let (outer_prefix, outer_path) = (self.prefix.clone(), self.path.clone());
        self.prefix.push_str(prefix);
        self.path.push_str(path);
        if !self.prefix.is_empty() && !self.prefixes.contains(&self.prefix) {
            self.prefixes.push(self.prefix.clone());
        }
        self.structs.push(T::schema());
        let value = T::load_from(self);
        self.structs.pop();
        self.prefix = outer_prefix;
        self.path = outer_path;
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
        let key = field.key(&self.prefix);
        let path = format!("{}{}", self.path, field.field);
        self.claim(field, &key);
        self.report_renamed(field, &key, &path);
        let found = match self.lookup(field, &key, &path) {
            Ok(found) => found,
            Err(error) => {
                self.errors.push(error);
                return None;
            }
        };
        let Some((raw, origin)) = found else {
            return self.unset(field, key, path, default);
        };
        let parsed = T::from_value(&raw).and_then(|value| match check {
            Some(check) => check(&value).map(|()| value),
            None => Ok(value),
        });
        match parsed {
            Ok(value) => Some(value),
            Err(invalid) => {
                self.errors.push(
                    invalid_value(invalid, key, path)
                        .with_input(&raw, field.secret)
                        .with_origin(origin),
                );
                None
            }
        }
    }

    fn unset<T: FromValue>(
        &mut self,
        field: &FieldSchema,
        key: String,
        path: String,
        default: Option<fn() -> T>,
    ) -> Option<T> {
        if let Some(value) = T::when_missing() {
            // Reported, but the value stays: the struct's own checks still run on the rest.
            if !field.required_unless.is_empty() && !self.any_set(field.required_unless) {
                let error = self.missing(field, key, path);
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
                    self.errors
                        .push(invalid_value(invalid, key, path).with_origin(Origin::Default));
                    None
                }
            };
        }
        let error = self.missing(field, key, path);
        self.errors.push(error);
        None
    }

    fn missing(&self, field: &FieldSchema, key: String, path: String) -> Error {
        let hint = self.renamed_hint(field, &key).unwrap_or_else(|| {
            let alternatives: Vec<String> = self
                .siblings(field.required_unless)
                .map(|f| f.key(&self.prefix))
                .collect();
            match alternatives.as_slice() {
                [] => format!("set {key} ({})", field.type_name),
                keys => format!(
                    "set {key} ({}), or set {} instead",
                    field.type_name,
                    keys.join(" or ")
                ),
            }
        });
        Error::new(ErrorKind::Missing, key, "required, but not set")
            .with_field(path)
            .with_hint(hint)
    }

    /// The fields of the struct being loaded with these Rust names.
    fn siblings<'a>(
        &self,
        names: &'a [&'a str],
    ) -> impl Iterator<Item = &'static FieldSchema> + 'a {
        let fields = self.structs.last().map_or(&[][..], |s| s.fields);
        names
            .iter()
            .filter_map(move |name| fields.iter().find(|f| f.field == *name))
    }

    /// Whether any of these sibling fields is set, under any of its names.
    fn any_set(&self, names: &[&str]) -> bool {
        self.siblings(names).any(|f| {
            let key = f.key(&self.prefix);
            let file_key = f.file_key(&key);
            std::iter::once(key.as_str())
                .chain(f.aliases.iter().copied())
                .chain(file_key.as_deref())
                .any(|name| self.sources.get(name).is_some())
        })
    }

    /// Loads a flattened settings struct under the field's prefix.
    pub fn nested<T: MailConfig>(&mut self, field: &'static FieldSchema) -> Option<T> {
        let prefix = match field.kind {
            FieldKind::Flatten { prefix, .. } => prefix,
            FieldKind::Value => "",
        };
        let prefix = format!("{prefix}{}", T::schema().prefix);
        self.enter::<T>(&prefix, &format!("{}.", field.field))
    }

    /// Ends a struct: runs its validate hook once every field parsed. The hook's errors name Rust
    /// fields ([`Error::invalid_field`], [`Error::conflict_fields`]); their variable names are
    /// filled in here, prefixes applied.
    pub fn finish<T: MailConfig>(
        &mut self,
        value: Option<T>,
        check: Option<StructCheck<T>>,
    ) -> Option<T> {
        let value = value?;
        let Some(check) = check else {
            return Some(value);
        };
        match check(&value) {
            Ok(()) => Some(value),
            Err(errors) => {
                for error in errors {
                    let error = self.resolve_fields(T::schema(), error);
                    self.errors.push(error);
                }
                None
            }
        }
    }

    fn resolve_fields(&self, schema: &Schema, mut error: Error) -> Error {
        let field_named = |name: &str| schema.fields.iter().find(|f| f.field == name);
        let key_of =
            |name: &str| field_named(name).map_or_else(|| name.to_owned(), |f| f.key(&self.prefix));
        if error.key().is_empty() && !error.field().is_empty() {
            let key = key_of(error.field());
            // A hook that reports a missing field gets the same rename hint as the loader gives.
            if error.code() == "missing"
                && let Some(hint) =
                    field_named(error.field()).and_then(|f| self.renamed_hint(f, &key))
            {
                error.set_hint(hint);
            }
            error.set_key(key);
            error.set_field(format!("{}{}", self.path, error.field()));
        }
        if let ErrorKind::Conflict { with } = error.kind_mut() {
            for other in with.iter_mut() {
                *other = key_of(other);
            }
        }
        error
    }

    /// "MAIL_TLS was renamed to MAIL_STARTTLS", when an old name of the field is set.
    fn renamed_hint(&self, field: &FieldSchema, key: &str) -> Option<String> {
        let old = field
            .renamed_from
            .iter()
            .find(|old| self.sources.get(old).is_some())?;
        Some(format!("{old} was renamed to {key}: rename {old} to {key}"))
    }

    fn claim(&mut self, field: &FieldSchema, key: &str) {
        let names = field
            .aliases
            .iter()
            .chain(field.renamed_from)
            .map(|s| (*s).to_owned());
        self.claimed
            .extend(names.chain([key.to_owned()]).chain(field.file_key(key)));
    }
}

fn invalid_value(invalid: Invalid, key: String, path: String) -> Error {
    Error::new(
        ErrorKind::InvalidValue {
            detail: invalid.code,
        },
        key,
        invalid.message,
    )
    .with_field(path)
    .with_optional_hint(invalid.hint)
}
