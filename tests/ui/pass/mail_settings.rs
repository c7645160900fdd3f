//! The struct from the crate's documentation, loaded end to end.
#![deny(warnings)]

use mailconf_core::{EmailAddress, Host, MailConfig, Port, Secret};

/// Outgoing mail.
#[derive(MailConfig, Debug)]
#[mailconf(prefix = "MAIL_")]
struct MailSettings {
    /// SMTP login.
    username: EmailAddress,
    password: Secret<String>,
    from: EmailAddress,
    #[mailconf(default = 587)]
    port: Port,
    #[mailconf(default = "smtp.example.com")]
    server: Host,
    #[mailconf(renamed_from = "MAIL_TLS")]
    starttls: bool,
    #[mailconf(renamed_from = "MAIL_SSL")]
    ssl_tls: bool,
    #[mailconf(env = "USE_CREDENTIALS", default = true)]
    use_credentials: bool,
    from_name: Option<String>,
}

fn main() {
    let settings = MailSettings::from_map([
        ("MAIL_USERNAME", "me@example.com"),
        ("MAIL_PASSWORD", "hunter2"),
        ("MAIL_FROM", "noreply@example.com"),
        ("MAIL_STARTTLS", "true"),
        ("MAIL_SSL_TLS", "false"),
    ])
    .unwrap();
    assert_eq!(settings.username.to_string(), "me@example.com");
    assert_eq!(settings.password.expose_secret(), "hunter2");
    assert_eq!(settings.from.to_string(), "noreply@example.com");
    assert_eq!(settings.port.get(), 587);
    assert_eq!(settings.server.to_string(), "smtp.example.com");
    assert!(settings.starttls && !settings.ssl_tls && settings.use_credentials);
    assert_eq!(settings.from_name, None);
    assert!(!format!("{settings:?}").contains("hunter2"));
}
