//! The environment of a working fastapi-mail deployment, shared by the tests and the load
//! benchmark (`benches/load.rs` includes this file by path).

/// The environment of a working fastapi-mail deployment (values as Python users write them):
/// STARTTLS on 587 with a login, `MAIL_CA_FILE` omitted.
pub const FASTAPI_MAIL: [(&str, &str); 15] = [
    ("MAIL_USERNAME", "app@example.com"),
    ("MAIL_PASSWORD", "app-password-123"),
    ("MAIL_FROM", "app@example.com"),
    ("MAIL_FROM_NAME", "Example App"),
    ("MAIL_PORT", "587"),
    ("MAIL_SERVER", "smtp.example.com"),
    ("MAIL_STARTTLS", "True"),
    ("MAIL_SSL_TLS", "False"),
    ("USE_CREDENTIALS", "True"),
    ("VALIDATE_CERTS", "True"),
    ("TIMEOUT", "60"),
    ("SUPPRESS_SEND", "0"),
    ("MAIL_DEBUG", "0"),
    ("LOCAL_HOSTNAME", "app.example.com"),
    ("TEMPLATE_FOLDER", "./templates"),
];

/// [`FASTAPI_MAIL`] with these keys removed (`None`) or set.
pub fn with(changes: &[(&'static str, Option<&'static str>)]) -> Vec<(&'static str, &'static str)> {
    let mut env: Vec<_> = FASTAPI_MAIL.to_vec();
    for (key, value) in changes {
        env.retain(|(k, _)| k != key);
        if let Some(v) = value {
            env.push((key, v));
        }
    }
    env
}
