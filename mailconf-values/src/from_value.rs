use crate::Invalid;

/// Parses one raw setting value (an environment variable, a `.env` entry, a JSON scalar) into a
/// field type.
///
/// Implement it for your own types to use them as `#[derive(MailConfig)]` fields.
///
/// ```
/// use mailconf_values::{FromValue, Invalid};
///
/// struct Percent(u8);
///
/// impl FromValue for Percent {
///     const TYPE_NAME: &'static str = "percentage";
///     fn from_value(raw: &str) -> Result<Self, Invalid> {
///         match raw.strip_suffix('%').unwrap_or(raw).parse::<u8>() {
///             Ok(n) if n <= 100 => Ok(Percent(n)),
///             _ => Err(Invalid::new("invalid_percentage", "expected a number from 0 to 100")),
///         }
///     }
/// }
/// assert_eq!(Percent::from_value("42%").unwrap().0, 42);
/// assert!(Percent::from_value("420").is_err());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be loaded from a setting value",
    label = "no `mailconf_core::FromValue` impl for `{Self}`",
    note = "implement `mailconf_core::FromValue` for `{Self}` to parse it from a string (`#[derive(FromValue)]` on an enum of unit variants), wrap it as `mailconf_core::Parsed<{Self}>` if it implements `FromStr`, use `#[mailconf(flatten)]` if it is a nested settings struct, or `#[mailconf(skip)]` to leave it out"
)]
pub trait FromValue: Sized {
    /// What the value is, for people: shown in schemas and templates (`"port"`, `"boolean"`).
    const TYPE_NAME: &'static str;
    /// The JSON Schema type of the value: `"string"`, `"integer"`, `"number"` or `"boolean"`.
    const JSON_TYPE: &'static str = "string";
    /// Whether the value is a secret: redacted in every error, schema and template.
    const SECRET: bool = false;
    /// Whether the setting may be left unset (true for `Option<T>`).
    const OPTIONAL: bool = false;
    /// The only values accepted, when the type is a choice between a few names (an enum with
    /// `#[derive(FromValue)]`): listed in errors, the schema and JSON Schema's `enum`, and what a
    /// literal default is checked against at compile time. Empty for other types.
    const CHOICES: &'static [&'static str] = &[];

    /// Parses a raw value. Errors must not quote `raw`: it may be a secret.
    fn from_value(raw: &str) -> Result<Self, Invalid>;

    /// The value of a setting that is not set at all, if that is allowed (`None` for `Option`).
    fn when_missing() -> Option<Self> {
        None
    }
}
