//! Settings structs shared by the runtime tests of `#[derive(MailConfig)]`.

use std::time::Duration;

use mailconf_core::{EmailAddress, Host, Invalid, MailConfig, Port, Problem, Problems, Secret};

/// Outgoing mail.
///
/// The struct of the crate documentation, as fastapi-mail users know it.
#[derive(MailConfig, Debug)]
#[mailconf(prefix = "MAIL_")]
pub struct MailSettings {
    /// SMTP login.
    pub username: EmailAddress,
    /// SMTP password.
    pub password: Secret<String>,
    /// The sender address.
    pub from: EmailAddress,
    /// The SMTP port.
    #[mailconf(default = 587)]
    pub port: Port,
    /// The SMTP server.
    #[mailconf(default = "smtp.example.com")]
    pub server: Host,
    /// Upgrade the connection with STARTTLS.
    #[mailconf(renamed_from = "MAIL_TLS")]
    pub starttls: bool,
    /// Connect with implicit TLS.
    #[mailconf(renamed_from = "MAIL_SSL")]
    pub ssl_tls: bool,
    /// Log in to the server.
    #[mailconf(env = "USE_CREDENTIALS", default = true)]
    pub use_credentials: bool,
    /// The sender's display name.
    pub from_name: Option<String>,
}

/// The settings every valid `MailSettings` source here shares, as `(key, value)` pairs.
pub const VALID_MAIL: [(&str, &str); 5] = [
    ("MAIL_USERNAME", "me@example.com"),
    ("MAIL_PASSWORD", "hunter2-secret"),
    ("MAIL_FROM", "noreply@example.com"),
    ("MAIL_STARTTLS", "true"),
    ("MAIL_SSL_TLS", "false"),
];

/// A server connection, nested twice in [`App`].
#[derive(MailConfig, Debug)]
#[mailconf(prefix = "SERVER_", validate = Self::check)]
pub struct Server {
    /// Host name.
    pub host: Host,
    /// Port.
    #[mailconf(default = 25, validate = not_zero_hundred)]
    pub port: Port,
    /// TLS on connect.
    #[mailconf(default)]
    pub tls: bool,
}

impl Server {
    /// Each rule runs when the fields it needs loaded.
    fn check(server: &ServerPartial) -> Result<(), Problems> {
        let mut errors = Vec::new();
        if let (Some(true), Some(port)) = (server.tls, server.port)
            && port.get() == 25
        {
            errors.push(Problem::conflict(
                &["tls", "port"],
                "implicit TLS is never on port 25",
            ));
        }
        if server
            .host
            .as_ref()
            .is_some_and(|host| host.to_string() == "forbidden.test")
        {
            errors.push(Problem::invalid(
                "host",
                Invalid::new("forbidden_host", "this host is not allowed"),
            ));
        }
        Problems::from_vec(errors).map_or(Ok(()), Err)
    }
}

// Hooks take `&T` whatever `T` is.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn not_zero_hundred(port: &Port) -> Result<(), Invalid> {
    if port.get() == 100 {
        return Err(Invalid::new("port_100", "port 100 is reserved here").with_hint("use 587"));
    }
    Ok(())
}

/// Outgoing mail, with its server under `SMTP_`.
#[derive(MailConfig, Debug)]
#[mailconf(prefix = "MAIL_")]
pub struct Outgoing {
    /// The sender.
    pub from: EmailAddress,
    /// The server.
    #[mailconf(flatten(prefix = "SMTP_"))]
    pub smtp: Server,
}

/// The application: prefixes compose as `APP_` + `OUT_` + `MAIL_` + `SMTP_` + `SERVER_`.
#[derive(MailConfig, Debug)]
#[mailconf(prefix = "APP_")]
pub struct App {
    /// Outgoing mail.
    #[mailconf(flatten(prefix = "OUT_"))]
    pub outgoing: Outgoing,
    /// A server of its own, under `APP_SERVER_`.
    #[mailconf(flatten)]
    pub backup: Server,
    /// How long to wait.
    #[mailconf(default = Duration::from_secs(5))]
    pub timeout: Duration,
    /// A literal duration.
    #[mailconf(default = "1m")]
    pub idle: Duration,
    /// How many retries.
    #[mailconf(default)]
    pub retries: u8,
    /// Not a setting.
    #[mailconf(skip)]
    pub started: bool,
}

/// Secrets of several kinds, for redaction tests.
#[derive(MailConfig, Debug)]
#[mailconf(prefix = "VAULT_")]
pub struct Vault {
    /// A password.
    pub password: Secret<String>,
    /// A secret port (a type that is secret by its wrapper, also marked `secret`).
    #[mailconf(secret, renamed_from = "VAULT_OLD_PORT")]
    pub port: Secret<Port>,
    /// An optional token.
    pub token: Option<Secret<String>>,
}

/// Fields named like the locals of the generated code, which must not shadow them.
#[derive(MailConfig, Debug)]
pub struct Shadowing {
    /// Named like the loader.
    pub loader: u16,
    /// Named like the schema's field list.
    pub fields: u16,
    /// Named like the loaded struct.
    pub value: u16,
    /// Named like a validate hook.
    #[mailconf(validate = accept)]
    pub check: u16,
    /// A raw identifier: its variable is `STATIC`.
    pub r#static: u16,
    /// Named like a field of the schema.
    #[mailconf(default = 7)]
    pub schema: u16,
}

// Hooks take `&T` whatever `T` is.
#[allow(clippy::trivially_copy_pass_by_ref, clippy::unnecessary_wraps)]
fn accept(_: &u16) -> Result<(), Invalid> {
    Ok(())
}
