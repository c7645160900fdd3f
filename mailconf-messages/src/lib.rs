//! The words of mailconf in more than one language: a [Project Fluent] catalog (English and
//! Korean) for every message the library, the `mailconf` command and the settings page show.
//!
//! A problem keeps a [`Message`] — a catalog id and its arguments — instead of finished text, so
//! it can be shown later in the language of whoever reads it: [`Message::render`] takes a
//! [`Lang`], and `Display` shows English, the default.
//!
//! ```
//! use mailconf_messages::{Lang, Message};
//!
//! let message = Message::new("value-port-above-max");
//! assert_eq!(message.to_string(), "the port is above 65535, the highest TCP port");
//! assert_eq!(message.render(Lang::Ko), "포트가 TCP 포트의 최댓값인 65535보다 큽니다");
//! ```
//!
//! The catalog is `locales/en.ftl` and `locales/ko.ftl`, built into the binary. Arguments are
//! Fluent variables (`{ $key }`): variable names, values, ports and server replies, never a
//! secret — no conversion from a secret type to an argument exists.
//!
//! Compile-time errors of `#[derive(MailConfig)]` are for the programmer, like rustc's own, and
//! stay in English.
//!
//! [Project Fluent]: https://projectfluent.org/

mod catalog;
mod lang;
mod message;

pub use catalog::{Catalog, catalog_source};
pub use lang::{Lang, UnknownLang};
pub use message::{Arg, InLang, Message};
