//! SMTP settings, TLS/port rules and a `Mailer` on lettre.
#![forbid(unsafe_code)]

#[cfg(feature = "dev-server")]
pub mod dev_server;
