//! The end of a struct: its validate hook, whose errors name Rust fields until the loader names
//! their variables.

use crate::{Error, ErrorKind, FieldKind, Loader, MailConfig, Schema};

use super::StructCheck;

impl Loader<'_> {
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

    fn resolve_fields(&self, schema: &'static Schema, mut error: Error) -> Error {
        let field_named = |name: &str| schema.fields.iter().find(|f| f.field == name);
        let key_of =
            |name: &str| field_named(name).map_or_else(|| name.to_owned(), |f| self.key_of(f));
        if error.key().is_empty() && !error.field().is_empty() {
            let key = key_of(error.field());
            // A hook that reports a missing field gets the same rename hint as the loader gives.
            if error.code() == "missing"
                && let Some(field) = field_named(error.field())
            {
                if let Some(hint) = self.renamed_hint(field, &key) {
                    error.set_hint(hint);
                }
                error.set_message(self.missing_message(field, &key));
            }
            error.set_key(key);
            error.set_field(format!("{}{}", self.path, error.field()));
        }
        if let ErrorKind::Conflict { with } = error.kind_mut() {
            for other in with.iter_mut() {
                *other = key_of(other);
            }
        }
        if let Some(message) = self.name_fields(schema, error.message()) {
            error.set_message(message);
        }
        if let Some(hint) = error.hint().and_then(|h| self.name_fields(schema, h)) {
            error.set_hint(hint);
        }
        error
    }

    /// `text` with each `{field}` (a value field of `schema`) replaced by the field's variable,
    /// so that a hook's advice names what to set wherever the struct is embedded; `None` when
    /// there is nothing to replace.
    fn name_fields(&self, schema: &Schema, text: &str) -> Option<String> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let close = after.find('}');
            let field = close.and_then(|close| {
                let name = &after[..close];
                schema
                    .fields
                    .iter()
                    .find(|f| f.field == name && matches!(f.kind, FieldKind::Value))
            });
            match (field, close) {
                (Some(field), Some(close)) => {
                    out.push_str(&rest[..open]);
                    out.push_str(&self.key_of(field));
                    rest = &after[close + 1..];
                }
                _ => {
                    out.push_str(&rest[..=open]);
                    rest = after;
                }
            }
        }
        if out.is_empty() {
            return None;
        }
        out.push_str(rest);
        Some(out)
    }
}
