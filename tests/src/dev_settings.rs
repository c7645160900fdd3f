//! The settings that send to a plain (no TLS, no login) dev server on loopback.

/// fastapi-mail's variables for a plain dev server on 127.0.0.1:`port`, sending as
/// `app@example.com` with a 10 s timeout; a test appends what it is about.
#[must_use]
pub fn plain_dev_settings(port: u16) -> Vec<(&'static str, String)> {
    vec![
        ("MAIL_SERVER", "127.0.0.1".to_owned()),
        ("MAIL_PORT", port.to_string()),
        ("MAIL_STARTTLS", "false".to_owned()),
        ("MAIL_SSL_TLS", "false".to_owned()),
        ("USE_CREDENTIALS", "false".to_owned()),
        ("MAIL_FROM", "app@example.com".to_owned()),
        ("TIMEOUT", "10s".to_owned()),
    ]
}
