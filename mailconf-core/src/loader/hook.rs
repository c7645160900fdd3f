//! The end of a struct: its validate hook, whose problems name Rust fields; the loader attaches
//! their variables.

use crate::{
    Error, ErrorKind, FieldKind, Loader, MailConfig, Message, Problem, ProblemKind, Problems,
    Schema,
};

use super::StructCheck;

impl Loader<'_> {
    /// Runs the validate hook of the struct `T` on the fields that loaded (`partial`, for
    /// generated code `TPartial`), and records its problems as errors on their variables,
    /// prefixes applied. Whether the hook reported nothing: only then is `T` built.
    ///
    /// The hook runs even when some fields did not load, so a bad value of one setting hides no
    /// rule between the others; a rule that needs a field that did not load is skipped by the
    /// hook (the field's own problem is reported already).
    ///
    /// ```
    /// use mailconf_core::{Host, MailConfig, Port, Problem, Problems};
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
    /// fn check(mail: &MailPartial) -> Result<(), Problems> {
    ///     if let (Some(port), Some(true)) = (mail.port, mail.starttls)
    ///         && port.get() == 465
    ///     {
    ///         let problem = Problem::conflict(&["starttls", "port"], "port 465 is implicit TLS")
    ///             .with_hint("set {starttls}=false, or {port}=587");
    ///         return Err(problem.into());
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
    /// assert_eq!(conflict.hint().as_deref(), Some("set MAIL_STARTTLS=false, or MAIL_PORT=587"));
    /// ```
    pub fn check<T: MailConfig, P>(&mut self, partial: &P, check: StructCheck<P>) -> bool {
        let Err(problems) = check(partial) else {
            return true;
        };
        self.append(T::schema(), problems);
        false
    }

    /// Ends a struct: runs a whole-value check once every field parsed (hand-written impls;
    /// the derive runs a struct's hook through [`Loader::check`]). The check's problems name
    /// Rust fields ([`Problem`]); the loader attaches their variables, prefixes applied.
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
            Err(problems) => {
                self.append(T::schema(), problems);
                None
            }
        }
    }

    /// Records a hook's problems, each at its place.
    fn append(&mut self, schema: &'static Schema, problems: Problems) {
        for problem in problems {
            let error = self.locate(schema, problem);
            self.errors.push(error);
        }
    }

    /// The error for a hook's problem about `schema`, the struct being loaded: the variable of
    /// its leading field (prefixes applied) and of the others, the field's path, and the
    /// variables named in its text. Where a problem is gets attached here, once, as garde's
    /// `Report::append(path, error)`; the hook never knows the variables.
    fn locate(&self, schema: &'static Schema, problem: Problem) -> Error {
        let field_named = |name: &str| schema.fields.iter().find(|f| f.field == name);
        let key_of =
            |name: &str| field_named(name).map_or_else(|| name.to_owned(), |f| self.key_of(f));
        let (kind, fields, message, hint) = problem.into_parts();
        let lead = fields.first().map_or("", String::as_str);
        let key = key_of(lead);
        let (kind, message, hint) = match kind {
            ProblemKind::Invalid { detail } => (ErrorKind::InvalidValue { detail }, message, hint),
            ProblemKind::Missing => {
                // Worded as the loader words any missing setting, with the same rename hint.
                let field = field_named(lead);
                let message = field.map_or_else(
                    || Message::new("error-missing"),
                    |f| self.missing_message(f, &key),
                );
                let renamed = field.and_then(|f| self.renamed_hint(f, &key));
                (ErrorKind::Missing, message, renamed.or(hint))
            }
            ProblemKind::Conflict => {
                let with = fields.iter().skip(1).map(|f| key_of(f)).collect();
                (ErrorKind::Conflict { with }, message, hint)
            }
        };
        let mut name = |text: String| self.name_fields(schema, &text).unwrap_or(text);
        let message = message.map_text(&mut name);
        let hint = hint.map(|h| h.map_text(&mut name));
        let field = if lead.is_empty() {
            String::new()
        } else {
            format!("{}{lead}", self.path)
        };
        Error::new(kind, key, message)
            .with_field(field)
            .with_optional_hint(hint)
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
