//! The settings that send to a server on loopback: a plain dev server, or a server with TLS and
//! a login (the dev server, aiosmtpd).

use std::path::Path;

use mailconf_smtp::Security;
use mailconf_smtp::dev_server::{DevServer, DevTls};

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

/// fastapi-mail's variables for a server on 127.0.0.1:`port` that speaks `security` with a
/// certificate signed by `ca_file`, which `login` logs in to and sends as. A test appends the
/// credential (a password or an `OAuth2` grant), the timeout, and what it is about.
#[must_use]
pub fn login_settings(
    port: u16,
    security: Security,
    login: &str,
    ca_file: &Path,
) -> Vec<(&'static str, String)> {
    // Written out rather than read from mailconf: these tests check that the flags select the mode.
    let (starttls, ssl_tls) = match security {
        Security::StartTls => (true, false),
        Security::ImplicitTls => (false, true),
        Security::Plain => (false, false),
    };
    vec![
        ("MAIL_SERVER", "127.0.0.1".to_owned()),
        ("MAIL_PORT", port.to_string()),
        ("MAIL_STARTTLS", starttls.to_string()),
        ("MAIL_SSL_TLS", ssl_tls.to_string()),
        ("MAIL_USERNAME", login.to_owned()),
        ("MAIL_FROM", login.to_owned()),
        ("MAIL_CA_FILE", ca_file.display().to_string()),
    ]
}

/// A dev server on loopback that speaks STARTTLS and has one login, with the settings that
/// log in to it as `login` (its CA written in `dir`, `password` included). A test appends the
/// timeout and what it is about.
///
/// # Panics
/// When the server cannot start or its CA cannot be written.
pub async fn starttls_dev_server(
    login: &str,
    password: &str,
    dir: &Path,
) -> (DevServer, Vec<(&'static str, String)>) {
    let server = DevServer::builder()
        .tls(DevTls::StartTls)
        .user(login, password)
        .start()
        .await
        .unwrap();
    let ca = server.write_ca_file(dir).unwrap();
    let mut settings = login_settings(server.port(), Security::StartTls, login, &ca);
    settings.push(("MAIL_PASSWORD", password.to_owned()));
    (server, settings)
}

/// A short text message from `mailer` to `to` with `subject`: what the tests that count sends
/// or watch their traces send.
///
/// # Panics
/// When `to` is not an address.
#[must_use]
pub fn hello(mailer: &mailconf_smtp::Mailer, to: &str, subject: String) -> lettre::Message {
    mailer
        .message()
        .to(to.parse().unwrap())
        .subject(subject)
        .body("Hello.\n".to_owned())
        .unwrap()
}
