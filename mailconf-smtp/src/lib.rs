//! SMTP settings, TLS/port rules and a `Mailer` on lettre.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod ca_file;
mod config;
mod connection;
pub mod diagnose;
mod dialects;
mod mailer;
pub mod metrics;
mod rate;
mod rules;
mod security;
mod settings;
mod url;
mod warning;

#[cfg(feature = "dev-server")]
pub mod dev_server;

pub use config::SmtpConfig;
pub use mailer::{
    BlockingMailer, ComposeError, Mailer, MailerError, Recipient, SendError, SendReport, Stage,
};
pub use rate::{
    LimitError, MAX_QUOTA_MESSAGES, RateLimit, RateLimits, RedisFailure, SendLimiter, SharedLimit,
};
pub use security::Security;
pub use settings::{Credentials, Endpoint, SmtpSettings, TlsOptions};
pub use url::SmtpUrl;
pub use warning::Warning;
