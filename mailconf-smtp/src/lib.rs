//! SMTP settings that load the way fastapi-mail's do, checked as a whole (TLS flags against the
//! port, credentials over plain text…), and a [`Mailer`] on [lettre] that sends with them.
//!
//! | type | what it is |
//! |---|---|
//! | [`SmtpConfig`] | the settings, from fastapi-mail's variables (table below) |
//! | [`SmtpSettings`] | what a [`Mailer`] needs; implement it to send from settings of your own |
//! | [`Mailer`], [`BlockingMailer`] | a pooled, rate-limited sender on lettre (async, blocking) |
//! | [`Email`] | a message: recipients, subject, text, HTML, attachments, inline images, headers, a template ([`email`]) |
//! | `templates::Templates` | Jinja2 templates from `TEMPLATE_FOLDER`, rendered as fastapi-mail renders them (feature `templates`) |
//! | [`verification`] | the templates of [`Mailer::verification_email`]: defaults in the crate, replaced by files of the same names in `TEMPLATE_FOLDER` |
//! | [`Security`] | the TLS mode: [`Security::Plain`], [`Security::StartTls`], [`Security::ImplicitTls`] |
//! | [`SmtpUrl`] | `MAIL_URL`: the whole connection in one value |
//! | [`Compat`] | fastapi-mail's own loading rules, checked too: [`SmtpConfig::load_compat`], `mailconf check --compat fastapi-mail` |
//! | [`RateLimit`] | `MAIL_RATE_LIMIT`: at most so many messages per period |
//! | [`diagnose`] | a probe that says what a server really speaks |
//! | [`migrate`] | another library's `.env` rewritten to fastapi-mail's keys (`mailconf migrate`) |
//! | [`dev_server`] | a loopback mail catcher for tests (feature `dev-server`) |
//!
//! lettre is re-exported as [`lettre`], so messages can be built without a second dependency
//! that must match this crate's version.
//!
//! # Features
//!
//! None is on by default, so that an application builds only what it sends with.
//!
//! | feature | adds |
//! |---|---|
//! | `redis` | `MAIL_RATE_LIMIT_REDIS_URL`: one send limit shared by every process through Redis. Without it, that setting is an error naming the feature, never ignored. |
//! | `metrics` | the [`metrics`] recorded by a [`Mailer`], through the `metrics` facade. Without it nothing is recorded. |
//! | `oauth2` | the `XOAUTH2` login with tokens fetched, cached and refreshed ([`oauth2`]: `MAIL_OAUTH2_*`, `MAIL_ACCESS_TOKEN_FILE`). Without it, those settings are an error naming the feature. |
//! | `dev-server` | [`dev_server`], a loopback mail catcher for tests and local development |
//! | `inline-css` | [`Email::inline_css`]: the HTML body's `<style>` rules written into `style=` attributes, for mail clients that ignore `<style>` ([`css`], css-inline; linked stylesheets are never fetched) |
//! | `templates` | `TEMPLATE_FOLDER`: Jinja2 templates (minijinja), `Email::template`, a text part generated from HTML, the verification email's templates replaced from the folder. Without it, setting `TEMPLATE_FOLDER` is an error naming the feature (minijinja's core is built either way: the verification email's defaults are templates). |
//!
//! # Loading settings: [`SmtpConfig`]
//!
//! Every problem is reported at once, named by the variable to set:
//!
//! ```
//! use mailconf_core::MailConfig;
//! use mailconf_smtp::{Security, SmtpConfig, SmtpSettings};
//!
//! let config = SmtpConfig::from_map([
//!     ("MAIL_SERVER", "smtp.example.com"),
//!     ("MAIL_PORT", "465"),
//!     ("MAIL_STARTTLS", "false"),
//!     ("MAIL_SSL_TLS", "true"),
//!     ("MAIL_USERNAME", "app@example.com"),
//!     ("MAIL_PASSWORD", "app-password"),
//!     ("MAIL_FROM", "app@example.com"),
//! ])?;
//! assert_eq!(config.endpoint().security, Security::ImplicitTls);
//!
//! // STARTTLS on the implicit-TLS port, and a missing sender: both reported.
//! let errors = SmtpConfig::from_map([
//!     ("MAIL_SERVER", "smtp.example.com"),
//!     ("MAIL_PORT", "465"),
//!     ("MAIL_STARTTLS", "true"),
//!     ("MAIL_SSL_TLS", "false"),
//! ])
//! .unwrap_err();
//! assert!(errors.to_string().contains("MAIL_FROM"));
//! assert!(errors.to_string().contains("465"));
//! # Ok::<(), mailconf_core::Errors>(())
//! ```
//!
//! # Sending: [`Mailer`]
//!
//! ```no_run
//! use mailconf_core::MailConfig;
//! use mailconf_smtp::lettre::message::header::ContentType;
//! use mailconf_smtp::{Mailer, SmtpConfig};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let mailer = Mailer::new(&SmtpConfig::from_env()?)?;
//! let message = mailer
//!     .message()
//!     .to("Jürgen Müller <juergen@example.org>".parse()?)
//!     .subject("Your invoice")
//!     .header(ContentType::TEXT_PLAIN)
//!     .body(String::from("Thank you for your order."))?;
//! let report = mailer.send(message).await?;
//! println!("{} {}", report.code(), report.reply());
//! # Ok(())
//! # }
//! ```
//!
//! Or, without lettre's types, with an [`Email`]:
//!
//! ```no_run
//! # async fn demo(mailer: mailconf_smtp::Mailer) -> Result<(), Box<dyn std::error::Error>> {
//! use mailconf_smtp::Email;
//!
//! let email = Email::new()
//!     .to(["Jürgen Müller <juergen@example.org>", "zoe@example.org"])
//!     .subject("Your invoice")
//!     .text("Thank you for your order.");
//! let report = mailer.send_email(email).await?;
//! # Ok(())
//! # }
//! ```
//!
//! A failed send is a [`SendError`] that names its [`Stage`] (connect, TLS, login, sender,
//! recipient, data), its [`FailureKind`] (a reply code, DNS, network, TLS, the TLS-mode mix-up,
//! a refusal on this side, the timeout) and a hint; [`SendError::is_transient`] and
//! [`SendError::is_permanent`] follow from the kind and tell whether a later try can help.
//!
//! # The TLS mode: [`Security`]
//!
//! ```
//! use mailconf_smtp::Security;
//!
//! assert_eq!(Security::from_flags(true, false), Some(Security::StartTls));
//! assert_eq!(Security::from_flags(true, true), None); // both on: a conflict, reported
//! assert_eq!(Security::ImplicitTls.default_port().get(), 465);
//! ```
//!
//! # One value for the connection: [`SmtpUrl`]
//!
//! ```
//! use mailconf_core::FromValue;
//! use mailconf_smtp::{Security, SmtpUrl};
//!
//! let url = SmtpUrl::from_value("smtps://app%40example.com:p%40ss@smtp.example.com")?;
//! assert_eq!(url.security, Security::ImplicitTls);
//! assert_eq!(url.effective_port().get(), 465);
//! assert_eq!(url.username.as_deref(), Some("app@example.com"));
//! # Ok::<(), mailconf_core::Invalid>(())
//! ```
//!
//! # A mail catcher for tests: [`dev_server`]
//!
//! With the `dev-server` feature, [`dev_server::DevServer`] accepts mail on 127.0.0.1 and keeps
//! it for assertions; see its module docs.
//!
//! # Every variable
//!
//! Generated from [`SmtpConfig`]'s schema (`mailconf template markdown` prints the same table);
//! the test `tests/variables_table.rs` fails when it drifts.
//!
#![doc = include_str!("variables.md")]

mod ca_file;
mod client;
mod compat;
mod config;
mod connection;
#[cfg(feature = "inline-css")]
pub mod css;
pub mod diagnose;
mod dialects;
pub mod email;
mod html;
mod jinja;
mod mailer;
pub mod metrics;
pub mod migrate;
pub mod oauth2;
mod providers;
mod rate;
mod rules;
mod security;
mod settings;
#[cfg(feature = "templates")]
pub mod templates;
#[cfg(test)]
mod test_support;
mod url;
pub mod verification;
mod warning;

#[cfg(feature = "dev-server")]
pub mod dev_server;

/// The lettre version this crate sends with, for building messages ([`lettre::Message`],
/// [`lettre::message::Mailbox`]) without a second, possibly mismatched, dependency.
pub use lettre;

/// The README's "Use it in your project" program, compiled as a doctest so that it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

pub use compat::Compat;
pub use config::SmtpConfig;
pub use email::{Email, EmailError, SendEmailError};
/// The HTML escape of every HTML mailconf writes, also for the settings page's own.
pub use html::escape as escape_html;
pub use jinja::TemplateError;
pub use mailer::{
    BlockingMailer, ComposeError, FailureKind, Mailer, MailerError, Recipient, SendError,
    SendReport, Stage,
};
pub use oauth2::{Grant, OAuth2Login};
pub use providers::{OAuth2Preset, Offer, Provider, ProviderChoice};
pub use rate::{
    LimitError, MAX_QUOTA_MESSAGES, RateLimit, RateLimits, RedisFailure, SendLimiter, SharedLimit,
};
pub use security::Security;
pub use settings::{Credentials, Endpoint, SmtpSettings, TlsOptions};
pub use url::SmtpUrl;
pub use warning::Warning;
