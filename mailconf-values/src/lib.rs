//! Value types of mailconf and the parsers behind them.
//!
//! This crate is shared by `mailconf-core`, which parses settings at run time, and
//! `mailconf-derive`, which checks literal defaults at compile time. Keeping the rules in one
//! place means a default that compiles is a default that loads. Use it through
//! `mailconf_core`, which re-exports everything here.

mod choice;
mod duration;
mod email;
mod from_value;
mod host;
mod invalid;
mod literal;
mod mailbox;
mod net;
mod number;
mod parsed;
mod port;
mod secret;
mod std_impls;
pub mod suggest;
#[cfg(test)]
mod test_support;

pub use choice::{choose, is_choice};
pub use email::EmailAddress;
pub use from_value::FromValue;
pub use host::Host;
pub use invalid::Invalid;
pub use literal::{LiteralKind, check_literal};
pub use mailbox::Mailbox;
pub use mailconf_messages::{Lang, Message};
pub use net::url_problem;
pub use parsed::Parsed;
pub use port::Port;
pub use secret::{REDACTED, Secret, SecretValue};
