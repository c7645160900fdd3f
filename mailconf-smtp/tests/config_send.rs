//! From environment-style settings to a delivered message: `SmtpConfig` (with `MAIL_CA_FILE`)
//! drives `Mailer` against the dev server in every TLS mode, and the TLS-mode mix-ups that the
//! port rules cannot see (a non-standard port) fail within `TIMEOUT` with the fix named.

use std::time::{Duration, Instant};

use mailconf_core::MailConfig;
use mailconf_smtp::dev_server::{DevServer, DevTls};
use mailconf_smtp::{Mailer, SendError, SmtpConfig, Stage};

const USER: &str = "app@example.com";
const PASSWORD: &str = "Config-Send-Pa55";

async fn server(tls: DevTls) -> DevServer {
    DevServer::builder()
        .tls(tls)
        .user(USER, PASSWORD)
        .allow_auth_without_tls(tls == DevTls::None)
        .start()
        .await
        .unwrap()
}

fn config(
    server: &DevServer,
    dir: &std::path::Path,
    starttls: bool,
    ssl_tls: bool,
    timeout: &str,
) -> SmtpConfig {
    let ca_file = server.write_ca_file(dir).unwrap();
    SmtpConfig::from_map([
        ("MAIL_SERVER", "127.0.0.1".to_owned()),
        ("MAIL_PORT", server.port().to_string()),
        ("MAIL_STARTTLS", starttls.to_string()),
        ("MAIL_SSL_TLS", ssl_tls.to_string()),
        ("MAIL_USERNAME", USER.to_owned()),
        ("MAIL_PASSWORD", PASSWORD.to_owned()),
        ("MAIL_FROM", USER.to_owned()),
        ("MAIL_FROM_NAME", "Ünïcødé App".to_owned()),
        ("MAIL_CA_FILE", ca_file.display().to_string()),
        ("TIMEOUT", timeout.to_owned()),
    ])
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Sends a short message that must fail, well within 10 s.
async fn send_failing(mailer: &Mailer) -> SendError {
    let message = mailer
        .message()
        .to("user@example.org".parse().unwrap())
        .body(String::from("x"))
        .unwrap();
    tokio::time::timeout(Duration::from_secs(10), mailer.send(message))
        .await
        .expect("bounded by TIMEOUT")
        .unwrap_err()
}

#[tokio::test]
async fn delivers_in_every_tls_mode_trusting_the_ca_file() {
    for (tls, starttls, ssl_tls, encrypted) in [
        (DevTls::None, false, false, false),
        (DevTls::StartTls, true, false, true),
        (DevTls::Implicit, false, true, true),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let server = server(tls).await;
        let mailer = Mailer::new(&config(&server, dir.path(), starttls, ssl_tls, "10s")).unwrap();
        let message = mailer
            .verification_email(
                "user@example.org",
                "Ünïcødé App",
                "https://example.com/v?t=1",
            )
            .unwrap();
        let report = tokio::time::timeout(Duration::from_secs(20), mailer.send(message))
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("{tls:?}: {e}"));
        assert_eq!(report.code(), 250);
        let received = server.wait_for_messages(1, Duration::from_secs(5)).await;
        let m = &received[0];
        assert_eq!(
            (m.tls, m.auth_user.as_deref()),
            (encrypted, Some(USER)),
            "{tls:?}"
        );
        assert_eq!(m.rcpt_to, ["user@example.org"]);
        assert!(
            m.header("From").unwrap().starts_with("=?utf-8?"),
            "{:?}",
            m.header("From")
        );
    }
}

#[tokio::test]
async fn starttls_against_an_implicit_tls_port_fails_within_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(DevTls::Implicit).await;
    let mailer = Mailer::new(&config(&server, dir.path(), true, false, "2s")).unwrap();
    let started = Instant::now();
    let error = send_failing(&mailer).await;
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(4), "took {elapsed:?}");
    assert!(error.is_timeout(), "{error}");
    assert!(
        error
            .hint()
            .unwrap_or_default()
            .contains("MAIL_SSL_TLS=true"),
        "{error}"
    );
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn implicit_tls_against_a_starttls_port_fails_at_once_naming_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(DevTls::StartTls).await;
    let mailer = Mailer::new(&config(&server, dir.path(), false, true, "2s")).unwrap();
    let error = send_failing(&mailer).await;
    assert_eq!(error.stage(), Stage::Tls, "{error}");
    assert!(
        error
            .hint()
            .unwrap_or_default()
            .contains("MAIL_STARTTLS=true"),
        "{error}"
    );
    assert!(!error.to_string().contains(PASSWORD));
    assert!(server.messages().is_empty());
}
