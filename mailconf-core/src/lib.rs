//! mailconf-core: email settings loaded from the environment, `.env` files, JSON or maps, and
//! validated all at once.
//!
//! Derive [`MailConfig`] on a settings struct (see the `mailconf-derive` crate for the attributes)
//! and call [`MailConfig::from_env`]: every problem is reported in one [`Errors`] value, each named
//! by the variable to set, with its origin and a hint, and secrets are never shown.
//!
//! ```
//! use mailconf_core::{MailConfig, Port, Secret};
//!
//! #[derive(MailConfig, Debug)]
//! #[mailconf(prefix = "MAIL_")]
//! struct Mail {
//!     /// SMTP login password.
//!     password: Secret<String>,
//!     #[mailconf(default = 587)]
//!     port: Port,
//! }
//!
//! let errors = Mail::from_map([("MAIL_PORT", "99999"), ("MAIL_PASWORD", "hunter2")]).unwrap_err();
//! let report = errors.to_string();
//! assert!(report.contains("MAIL_PASSWORD"));   // missing, with "did you mean" for MAIL_PASWORD
//! assert!(report.contains("MAIL_PORT"));       // out of range
//! assert!(!report.contains("hunter2"));        // never shown
//! ```

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
mod config;
pub mod dotenv_file;
mod error;
mod file;
mod loader;
mod origin;
mod schema;
mod sources;
mod suggest;
mod warning;

pub use config::MailConfig;
pub use error::{Error, ErrorKind, Errors, Input, Localized, Problem, ProblemKind, Problems};
pub use file::{file_problem, read_setting_bytes, read_setting_file};
pub use loader::{FieldView, Loader};
pub use mailconf_values::{
    EmailAddress, FromValue, Host, Invalid, Lang, Mailbox, Message, Parsed, Port, REDACTED, Secret,
    SecretValue,
};
pub use origin::Origin;
pub use schema::{
    DefaultValue, ExplainForeignKey, FieldKind, FieldSchema, ForeignKey, NameKind, Names, Schema,
    SchemaEntry, type_name_message,
};
pub use sources::{Entry, Sources};
pub use warning::{Loaded, Warning};

/// `#[derive(MailConfig)]`: see the `mailconf-derive` crate for its attributes.
pub use mailconf_derive::MailConfig;

/// `#[derive(FromValue)]` for an enum of unit variants: a setting that takes one of a few names.
pub use mailconf_derive::FromValue;

/// The literal-default checker, for `mailconf-derive`'s own tests. Not a stable API.
#[doc(hidden)]
pub use mailconf_values::{LiteralKind, check_literal};

/// What the `url` crate found wrong in a URL, as a catalog [`Message`] ("expected a URL: …").
pub use mailconf_values::url_problem;
