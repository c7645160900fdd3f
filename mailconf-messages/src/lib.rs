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
//! # Adding a message
//!
//! 1. Pick an id: the area's prefix (`value-`, `loader-`, `rule-`, `security-`, `provider-`,
//!    `dialect-`, `cli-` …; a new area takes a new prefix), then what it says, and `-hint` for
//!    the advice that goes with a message (`rule-both-tls`, `rule-both-tls-hint`).
//! 2. Write it in `locales/en.ftl` and `locales/ko.ftl`, in the section of its area, with the
//!    same Fluent variables in both (`{ $key }`, `{ $port }`). Korean is written for developers:
//!    포트, 환경 변수, 설정, 인증, TLS and STARTTLS as they are; variable names, values and
//!    commands are never translated.
//! 3. Make it where the text was, in one place per module:
//!    `Message::new("rule-both-tls").arg("starttls", key)`; a number is an argument as a number
//!    (plural forms select on it), another message as a message (it follows the language), a
//!    list of messages as a `Vec<Message>`.
//!
//! `cargo test -p mailconf-messages` fails when an id is missing from a language, when the two
//! languages' variables differ, when a Korean message has no Hangul, and when the code names an
//! id the catalog lacks (a string literal shaped like `prefix-words`, with a prefix of the
//! catalog, in the library, the command or the settings page).
//!
//! [Project Fluent]: https://projectfluent.org/

mod catalog;
mod lang;
mod message;

pub use catalog::{Catalog, catalog_source};
pub use lang::{Lang, UnknownLang};
pub use message::{Arg, InLang, Message};
