//! A settings struct using every `#[mailconf(...)]` attribute, compiled under
//! `#![deny(warnings, clippy::pedantic)]`.

use std::time::Duration;

use mailconf_core::{EmailAddress, Host, Invalid, MailConfig, Port, Problem, Problems, Secret};

/// SMTP connection settings, flattened into [`Outgoing`].
#[derive(MailConfig, Debug)]
#[mailconf(prefix = "SMTP_")]
pub struct Smtp {
    /// The server.
    #[mailconf(default = "localhost")]
    pub server: Host,
    /// The port.
    #[mailconf(default = 587, validate = not_port_25)]
    pub port: Port,
}

/// Outgoing mail.
#[derive(MailConfig, Debug)]
#[mailconf(prefix = "MAIL_", rename_all = "SCREAMING_SNAKE_CASE", validate = check)]
pub struct Outgoing {
    /// SMTP login.
    #[mailconf(alias = "SMTP_USER", renamed_from = "MAIL_USER")]
    pub username: EmailAddress,
    /// SMTP password.
    pub password: Secret<String>,
    /// An API token, kept secret although it is a plain `String`.
    #[mailconf(secret, rename = "TOKEN")]
    pub api_token: Option<Secret<String>>,
    /// Whether to log in at all.
    #[mailconf(env = "USE_CREDENTIALS", default = true)]
    pub use_credentials: bool,
    /// How long to wait for the server.
    #[mailconf(default = Duration::from_secs(10))]
    pub timeout: Duration,
    /// How often to retry.
    #[mailconf(default)]
    pub retries: u8,
    /// How many messages to send per connection.
    #[mailconf(default = default_batch())]
    pub batch: u16,
    /// The name shown to recipients.
    #[mailconf(default = String::from("Mail bot"))]
    pub from_name: String,
    /// The SMTP connection.
    #[mailconf(flatten(prefix = "OUT_"))]
    pub smtp: Smtp,
    /// Filled in by the program, not by settings.
    #[mailconf(skip)]
    pub sent: u64,
}

// Validate hooks take `&T` whatever `T` is; pedantic would have a `Copy` type by value.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn not_port_25(port: &Port) -> Result<(), Invalid> {
    if port.get() == 25 {
        return Err(
            Invalid::new("relay_port", "port 25 is for relays between servers")
                .with_hint("use 587"),
        );
    }
    Ok(())
}

fn default_batch() -> u16 {
    50
}

fn check(settings: &OutgoingPartial) -> Result<(), Problems> {
    if let (Some(true), Some(password)) = (settings.use_credentials, &settings.password)
        && password.expose_secret().is_empty()
    {
        return Err(Problem::conflict(
            &["password", "use_credentials"],
            "an empty password with credentials on",
        )
        .into());
    }
    Ok(())
}

/// A struct whose every field is skipped: nothing to load, and still pedantic-clean.
#[derive(MailConfig, Debug, Default)]
#[mailconf(allow_unknown)]
pub struct NothingToLoad {
    /// Filled in by the program.
    #[mailconf(skip)]
    pub counter: u32,
}
