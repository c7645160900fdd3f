//! `#[derive(MailConfig)]` for `mailconf-core`.
//!
//! Use it through `mailconf_core::MailConfig`; this crate only holds the macro. The runnable
//! example is on `mailconf_core`'s front page.
//!
//! Each named field is one setting. Its environment variable is the struct's prefix followed by
//! the field name in upper case (`port` under `prefix = "MAIL_"` reads `MAIL_PORT`). The field
//! type parses the value (`mailconf_core::FromValue`), `Option<T>` fields may be left unset, and
//! doc comments become the descriptions in `.env.example`, JSON Schema and Markdown output.
//!
//! # Struct attributes: `#[mailconf(...)]` above the struct
//!
//! | attribute | effect |
//! |---|---|
//! | `prefix = "MAIL_"` | put before every variable name, except `env` names |
//! | `rename_all = "..."` | how field names become variable names: `"SCREAMING_SNAKE_CASE"` (the default: `from_name` → `FROM_NAME`) or `"UPPERCASE"` (`from_name` → `FROMNAME`) |
//! | `allow_unknown` | do not report keys that match no setting; on a struct flattened into another, only those under its prefix |
//! | `deny_unknown` | every unknown key is an error; otherwise only a near miss of a known key (`MAIL_PASWORD`, `MAIL_TIMEOUT` for `TIMEOUT`) or a key of the `foreign_keys` table is, and any other is a warning (logged by a load, shown by `load_with_warnings`) |
//! | `case_insensitive` | variable names match whatever their case, as pydantic-settings matches them (`mail_server` sets `MAIL_SERVER`), each with a warning; on the struct that is loaded, for its flattened structs too |
//! | `foreign_keys = path` | a `&'static [mailconf_core::ForeignKey]`: keys other libraries read for these settings (Flask-Mail's `MAIL_USE_TLS`); each one set is an error naming what to set instead |
//! | `validate = path` | `fn(&NamePartial) -> Result<(), mailconf_core::Problems>`, run on the fields that loaded (see below); name fields with `Problem::invalid`, `Problem::missing` and `Problem::conflict`, and in messages and hints as `{field}`: the loader attaches the variables |
//!
//! # Field attributes
//!
//! | attribute | effect |
//! |---|---|
//! | `env = "FULL_NAME"` | the whole variable name; the struct's prefix is not put before it (only the place a flattened struct is embedded at) |
//! | `rename = "SUFFIX"` | the variable name after the prefix |
//! | `alias = "OTHER"` | another full name also accepted; repeatable |
//! | `renamed_from = "OLD"` | an old full name, rejected with "OLD was renamed to NEW"; repeatable |
//! | `required_unless = "field"` | on an `Option` field: reported missing unless the sibling field `field` is set (such as `MAIL_SERVER` unless `MAIL_URL`); repeatable |
//! | `default` | `Default::default()` when unset |
//! | `default = 587` | a literal, parsed like a value read from the environment and, for the value types mailconf knows, checked at compile time |
//! | `default = expr` | any other expression, evaluated when the setting is unset |
//! | `secret` | redact the value everywhere, and accept `NAME_FILE` (already so for `Secret<T>`); the type must redact itself in `Debug` (`Secret<T>`, `Option<Secret<T>>`, or a type implementing `mailconf_core::SecretValue`), or the derive refuses it, so the struct's own `#[derive(Debug)]` cannot print it |
//! | `flatten`, `flatten(prefix = "SMTP_")` | a nested settings struct, embedded under the outer struct's prefix followed by this prefix: all its names, `env` names, aliases and renamed names included, get that in front (see below) |
//! | `skip` | not a setting: always `Default::default()` |
//! | `validate = path` | `fn(&T) -> Result<(), mailconf_core::Invalid>`, run after the value parsed |
//! | `hint = "..."` | advice for this setting, added to the type's own hint when the value is invalid (a `Port` cannot know which port a setting wants) |
//!
//! ```text
//! /// Outgoing mail.
//! #[derive(MailConfig)]
//! #[mailconf(prefix = "MAIL_")]
//! struct MailSettings {
//!     /// SMTP login.
//!     username: EmailAddress,                      // MAIL_USERNAME
//!     password: Secret<String>,                    // MAIL_PASSWORD or MAIL_PASSWORD_FILE
//!     #[mailconf(default = 587)]
//!     port: Port,                                  // MAIL_PORT
//!     #[mailconf(renamed_from = "MAIL_TLS")]
//!     starttls: bool,                              // MAIL_STARTTLS; MAIL_TLS is reported
//!     #[mailconf(env = "USE_CREDENTIALS", default = true)]
//!     use_credentials: bool,                       // USE_CREDENTIALS
//!     from_name: Option<String>,                   // MAIL_FROM_NAME, optional
//! }
//! ```
//!
//! # Rules between fields
//!
//! A struct's `validate` hook gets `NamePartial` (for `struct Name`), generated next to the
//! struct with the same visibility: every loaded field, with its visibility, as an `Option`,
//! `None` when the field did not load (its problem is reported already). The hook runs
//! whatever failed, so an invalid `MAIL_SERVER` does not hide the STARTTLS-on-465 conflict:
//! each rule uses the fields it needs and is skipped when one of them is `None`. The struct is
//! built only when the hook reports nothing; a flattened struct that failed is `None` in its
//! outer struct's partial.
//!
//! ```text
//! #[derive(MailConfig)]
//! #[mailconf(prefix = "MAIL_", validate = check)]
//! struct Mail {
//!     port: Port,
//!     starttls: bool,
//! }
//!
//! fn check(mail: &MailPartial) -> Result<(), Problems> {
//!     if let (Some(port), Some(true)) = (mail.port, mail.starttls)
//!         && port.get() == 465
//!     {
//!         return Err(Problem::conflict(&["port", "starttls"], "{port}=465 is implicit TLS")
//!             .with_hint("set {starttls}=false")
//!             .into());
//!     }
//!     Ok(())
//! }
//! ```
//!
//! # Flattened structs
//!
//! A flattened struct is embedded at a place: the outer struct's composed prefix followed by
//! the `flatten(prefix)`. Every name the struct reads goes under that place: its prefixed names
//! (place + its own prefix + field), its `env` names, aliases, renamed names and `_FILE`
//! variants (place + name). Its hooks' errors, hints and "did you mean" use these names. A
//! struct with no prefix of its own flattened with no prefix only groups fields: its names
//! are those the outer struct would give them. So `SmtpConfig` flattened into a struct with no
//! prefix reads `MAIL_SERVER` and `TIMEOUT`; under `flatten(prefix = "APP_")` it reads
//! `APP_MAIL_SERVER` and `APP_TIMEOUT`.
//!
//! A variable set to an empty value (`MAIL_STARTTLS=`) is an error, "set but empty", for a
//! required setting and for any boolean or number: it is never read as false or as the default.
//! An empty optional text setting counts as unset.
//!
//! Mistakes in the attributes are all reported in one compile run, each at the attribute to fix.

extern crate proc_macro;

mod ast;
mod attr;
mod choice;
mod error;
mod expand;
mod literal;
mod model;
mod name;
mod symbol;
mod valid;

use syn::{DeriveInput, parse_macro_input};

/// Implements `mailconf_core::MailConfig` for a struct with named fields; see the crate docs for
/// the `#[mailconf(...)]` attributes.
#[proc_macro_derive(MailConfig, attributes(mailconf))]
pub fn derive_mail_config(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input).into()
}

/// Implements `mailconf_core::FromValue` for an enum of unit variants: a setting that takes one
/// of a few names, such as `LOG_FORMAT=json`.
///
/// Each variant is one value, named in snake_case (`StartTls` → `start_tls`) unless
/// `#[mailconf(rename = "starttls")]` names it; `#[mailconf(alias = "tls")]` adds a spelling that
/// is accepted but not listed. Values match in any ASCII case. The names are listed in errors,
/// in the schema's type (`one of plain, starttls`) and in JSON Schema's `enum`, and a literal
/// `#[mailconf(default = "...")]` of a field of the enum is checked against them at compile time.
#[proc_macro_derive(FromValue, attributes(mailconf))]
pub fn derive_from_value(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    choice::derive(&input).into()
}
