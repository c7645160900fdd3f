//! The end of a struct: its validate hook, whose errors name Rust fields until the loader names
//! their variables.

use crate::{Error, ErrorKind, FieldKind, Loader, MailConfig, Schema};

use super::StructCheck;

impl Loader<'_> {
    /// Runs the validate hook of the struct `T` on the fields that loaded (`partial`, for
    /// generated code `TPartial`), and records its errors with their variable names, prefixes
    /// applied. Whether the hook reported nothing: only then is `T` built.
    ///
    /// The hook runs even when some fields did not load, so a bad value of one setting hides no
    /// rule between the others; a rule that needs a field that did not load is skipped by the
    /// hook (the field's own problem is reported already).
    ///
    /// ```
    /// use mailconf_core::{Error, Errors, Host, MailConfig, Port};
    ///
    /// #[derive(MailConfig, Debug)]
    /// #[mailconf(prefix = "MAIL_", validate = check)]
    /// struct Mail {
    ///     server: Host,
    ///     port: Port,
    ///     starttls: bool,
    /// }
    ///
    /// // `MailPartial` is generated next to `Mail`: each field an `Option`.
    /// fn check(mail: &MailPartial) -> Result<(), Errors> {
    ///     if let (Some(port), Some(true)) = (mail.port, mail.starttls)
    ///         && port.get() == 465
    ///     {
    ///         let error = Error::conflict_fields(&["starttls", "port"], "port 465 is implicit TLS")
    ///             .with_hint("set {starttls}=false, or {port}=587");
    ///         return Err(error.into());
    ///     }
    ///     Ok(())
    /// }
    ///
    /// let errors = Mail::from_map([
    ///     ("MAIL_SERVER", "smtp://smtp.example.com"),
    ///     ("MAIL_PORT", "465"),
    ///     ("MAIL_STARTTLS", "true"),
    /// ])
    /// .unwrap_err();
    /// // The bad server hides nothing: both problems are reported.
    /// assert_eq!(errors.get("MAIL_SERVER").unwrap().code(), "invalid_value");
    /// let conflict = errors.get("MAIL_STARTTLS").unwrap();
    /// assert_eq!(conflict.hint(), Some("set MAIL_STARTTLS=false, or MAIL_PORT=587"));
    /// ```
    pub fn check<T: MailConfig, P>(&mut self, partial: &P, check: StructCheck<P>) -> bool {
        let Err(errors) = check(partial) else {
            return true;
        };
        for error in errors {
            let error = self.resolve_fields(T::schema(), error);
            self.errors.push(error);
        }
        false
    }

    /// Ends a struct: runs a whole-value check once every field parsed (hand-written impls;
    /// the derive runs a struct's hook through [`Loader::check`]). The hook's errors name Rust
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
