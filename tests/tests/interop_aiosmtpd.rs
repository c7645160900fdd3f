//! Interoperability with an independent server: mailconf's `SmtpConfig` and `Mailer` against
//! aiosmtpd (Python) in STARTTLS and implicit-TLS modes with AUTH, trusting its CA through
//! `MAIL_CA_FILE`; and logging in with XOAUTH2, the tokens checked by aiosmtpd through the
//! loopback token endpoint's introspection.

use std::time::Duration;

use mailconf_core::MailConfig;
use mailconf_smtp::dev_server::TokenEndpoint;
use mailconf_smtp::{Mailer, Security, SmtpConfig, Stage};
use mailconf_tests::aiosmtpd::{Aiosmtpd, Mode, Received};
use mailconf_tests::dev_settings::login_settings;

const USER: &str = "app@example.com";
const PASSWORD: &str = "Interop-Pa55word";

/// The settings for `server` in `mode`, logging in as [`USER`] with `credential` (a password
/// or an OAuth2 grant).
fn config(server: &Aiosmtpd, mode: Mode, credential: &[(&'static str, String)]) -> SmtpConfig {
    let security = match mode {
        Mode::StartTls => Security::StartTls,
        Mode::Implicit => Security::ImplicitTls,
    };
    let mut settings = login_settings(server.port(), security, USER, server.ca_file());
    settings.push(("TIMEOUT", "10s".to_owned()));
    settings.extend(credential.iter().cloned());
    SmtpConfig::from_map(settings).unwrap_or_else(|e| panic!("{e}"))
}

/// The settings for `server` in `mode` with `password` and a sender's name outside ASCII.
fn password_config(server: &Aiosmtpd, mode: Mode, password: &str) -> SmtpConfig {
    config(
        server,
        mode,
        &[
            ("MAIL_PASSWORD", password.to_owned()),
            ("MAIL_FROM_NAME", "Zoë's App".to_owned()),
        ],
    )
}

/// Sends `message`, which `server` must accept with 250, and returns what it received.
async fn delivered(mailer: &Mailer, server: &Aiosmtpd, message: lettre::Message) -> Received {
    let report = mailer.send(message).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.code(), 250);
    server
        .next_message(Duration::from_secs(10))
        .expect("aiosmtpd received the message")
}

async fn delivers_a_verification_email(mode: Mode) {
    let Some(server) = Aiosmtpd::start(mode, USER, PASSWORD) else {
        return;
    };
    let mailer = Mailer::new(&password_config(&server, mode, PASSWORD)).unwrap();
    let message = mailer
        .verification_email(
            "Jürgen Müller <juergen@example.org>",
            "Zoë's App",
            "https://app.example.com/verify?token=abc123",
        )
        .unwrap();
    let received = delivered(&mailer, &server, message).await;
    assert_eq!(received.mail_from, USER);
    assert_eq!(received.rcpt_tos, ["juergen@example.org"]);
    assert_eq!(received.auth_user.as_deref(), Some(USER));
    assert!(received.tls, "the message must arrive encrypted");
    let data = received.data.replace("\r\n", "\n");
    assert!(
        data.contains("Subject: Confirm your email for =?utf-8?b?"),
        "UTF-8 subject is RFC 2047 encoded: {data}"
    );
    assert!(
        data.contains("From: =?utf-8?"),
        "UTF-8 display name is encoded: {data}"
    );
    assert!(
        data.contains("text/plain") && data.contains("text/html"),
        "{data}"
    );
    // Quoted-printable: `=` is written `=3D`.
    assert!(
        data.contains("https://app.example.com/verify?token=3Dabc123"),
        "{data}"
    );
    assert!(data.contains("Hello J=C3=BCrgen M=C3=BCller,"), "{data}");
    assert!(!data.contains(PASSWORD));

    let wrong = Mailer::new(&password_config(&server, mode, "not-the-password")).unwrap();
    let error = wrong
        .send(
            wrong
                .message()
                .to("x@example.org".parse().unwrap())
                .body(String::from("x"))
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (error.stage(), error.code()),
        (Stage::Auth, Some(535)),
        "{error}"
    );
    assert_eq!(error.attempts(), 1, "a refused login is not retried");
    assert!(server.next_message(Duration::from_millis(300)).is_none());
}

#[tokio::test]
async fn starttls_with_auth() {
    delivers_a_verification_email(Mode::StartTls).await;
}

#[tokio::test]
async fn implicit_tls_with_auth() {
    delivers_a_verification_email(Mode::Implicit).await;
}

/// Fuzz finding 8: a quoted local part and a second recipient, given to `Email`, both reach an
/// independent server, in the envelope and in the one `To` header Python reads back.
#[tokio::test]
async fn a_quoted_local_part_and_a_second_recipient_both_arrive() {
    let Some(server) = Aiosmtpd::start(Mode::StartTls, USER, PASSWORD) else {
        return;
    };
    let mailer = Mailer::new(&password_config(&server, Mode::StartTls, PASSWORD)).unwrap();
    let email = mailconf_smtp::Email::new()
        .to("\"quoted local\"@example.com")
        .to("김민준 <minjun@example.com>")
        .subject("두 수신자")
        .text("둘 다 받아야 합니다.");
    mailer
        .send_email(email)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let received = server
        .next_message(Duration::from_secs(10))
        .expect("aiosmtpd received the message");
    assert_eq!(
        received.rcpt_tos,
        ["\"quoted local\"@example.com", "minjun@example.com"]
    );
    let Some(parsed) = mailconf_tests::mime_check::parse(received.data.as_bytes()) else {
        return;
    };
    parsed.assert_well_formed();
    assert_eq!(
        parsed.addresses("To"),
        ["\"quoted local\"@example.com", "minjun@example.com"]
    );
}

// ---------------------------------------------------------------------------------------------
// XOAUTH2: aiosmtpd checks each bearer through the loopback token endpoint's introspection.

const CLIENT_ID: &str = "interop-client";
const CLIENT_SECRET: &str = "Interop-Cl1ent-Secret";
const REFRESH_TOKEN: &str = "Interop-Refresh-Token";

/// aiosmtpd checking each bearer through `endpoint`'s introspection, and a `Mailer` that logs
/// in to it with XOAUTH2 as [`CLIENT_ID`] and `grant` (the grant's own variable and value).
/// `None` when aiosmtpd is missing (the skip is reported).
fn xoauth2_server_and_mailer(
    endpoint: &TokenEndpoint,
    grant: (&'static str, &str),
) -> Option<(Aiosmtpd, Mailer)> {
    let introspection = endpoint.introspection_url();
    let server = Aiosmtpd::start_with_xoauth2(Mode::StartTls, USER, PASSWORD, &introspection)?;
    let credential = [
        ("MAIL_OAUTH2_TOKEN_URL", endpoint.url()),
        ("MAIL_OAUTH2_CLIENT_ID", CLIENT_ID.to_owned()),
        (grant.0, grant.1.to_owned()),
    ];
    let mailer = Mailer::new(&config(&server, Mode::StartTls, &credential)).unwrap();
    Some((server, mailer))
}

async fn sends_and_is_logged_in(mailer: &Mailer, server: &Aiosmtpd, subject: &str) {
    let message = mailer
        .message()
        .to("rcpt@example.org".parse().unwrap())
        .subject(subject)
        .body(String::from("x"))
        .unwrap();
    let received = delivered(mailer, server, message).await;
    assert_eq!(received.auth_user.as_deref(), Some(USER));
    assert!(received.tls);
}

#[tokio::test]
async fn xoauth2_with_client_credentials_and_a_revoked_token() {
    let endpoint = TokenEndpoint::builder()
        .client(CLIENT_ID, CLIENT_SECRET)
        .start()
        .await
        .unwrap();
    let grant = ("MAIL_OAUTH2_CLIENT_SECRET", CLIENT_SECRET);
    let Some((server, mailer)) = xoauth2_server_and_mailer(&endpoint, grant) else {
        return;
    };
    sends_and_is_logged_in(&mailer, &server, "first").await;
    mailer.close_idle().await;
    // aiosmtpd refuses the revoked token with the error challenge, then 535: one new token.
    endpoint.revoke_all();
    sends_and_is_logged_in(&mailer, &server, "after revocation").await;
    assert_eq!(endpoint.requests(), 2);
}

#[tokio::test]
async fn xoauth2_with_a_rotating_refresh_token_across_expiry() {
    let endpoint = TokenEndpoint::builder()
        .client(CLIENT_ID, CLIENT_SECRET)
        .refresh_token(REFRESH_TOKEN, USER)
        .rotate_refresh_tokens(true)
        .lifetime(Duration::from_secs(1))
        .start()
        .await
        .unwrap();
    let grant = ("MAIL_OAUTH2_REFRESH_TOKEN", REFRESH_TOKEN);
    let Some((server, mailer)) = xoauth2_server_and_mailer(&endpoint, grant) else {
        return;
    };
    for n in 0..3 {
        sends_and_is_logged_in(&mailer, &server, &format!("send {n}")).await;
        mailer.close_idle().await;
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    assert_eq!(
        endpoint.requests(),
        3,
        "a token per expiry, the rotated refresh token used"
    );
}
