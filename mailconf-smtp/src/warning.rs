//! One warning type for the whole workspace: `SmtpConfig`'s rules and the loader's notes alike.

pub use mailconf_core::Warning;
