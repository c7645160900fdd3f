//! `Mailer` failures against the loopback dev server: login, the TLS-mode mix-ups,
//! certificates, refused connections.

mod support;

use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use mailconf_smtp::dev_server::{DevServer, DevTls};
use mailconf_smtp::{FailureKind, Mailer, Security, SendError, Stage};
use support::*;

// ---------------------------------------------------------------------------------------------
// failures: login, TLS mode, certificates

#[tokio::test]
async fn wrong_password_fails_at_auth_with_535_a_hint_and_no_retry() {
    let dir = tempfile::tempdir().unwrap();
    let server = dev_server(DevTls::StartTls).await;
    let settings = trusting(&server, Security::StartTls, &dir).login("wrong-password");
    let mailer = Mailer::new(&settings).unwrap();

    let err = never_sent(&mailer).await;
    assert_eq!(err.stage(), Stage::Auth);
    assert_eq!(err.code(), Some(535));
    assert_eq!(err.kind(), FailureKind::Reply(535));
    assert!(err.is_permanent() && !err.is_transient());
    assert!(!err.is_timeout());
    assert_eq!(err.attempts(), 1);
    assert!(err.hint().unwrap().contains("app password"), "{err}");
    assert!(err.to_string().contains("535"), "{err}");
    assert!(!err.to_string().contains("wrong-password"));
    assert_no_password(&err);

    let test = within(mailer.test_connection()).await.unwrap_err();
    assert_eq!((test.stage(), test.code()), (Stage::Auth, Some(535)));

    assert!(server.messages().is_empty());
    assert_eq!(server.connections_total(), 2, "one per call, no retries");
    assert_eq!(mailer.open_connections(), 0, "failed sessions are dropped");
}

/// A mailer in `security` mode against a dev server in `tls` mode (2 s timeout), and the error
/// of a send, which must come within `limit_ms`. The directory holds the server's CA file.
async fn mixed_up(
    tls: DevTls,
    security: Security,
    limit_ms: u64,
) -> (DevServer, Mailer, SendError, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (server, mailer) = mailer_for(tls, security, &dir).await;
    let started = Instant::now();
    let err = never_sent(&mailer).await;
    let elapsed = started.elapsed();
    assert!(
        elapsed < Duration::from_millis(limit_ms),
        "took {elapsed:?}: {err}"
    );
    (server, mailer, err, dir)
}

#[tokio::test]
async fn starttls_settings_against_an_implicit_tls_port_fail_within_the_timeout() {
    let (server, mailer, err, _dir) = mixed_up(DevTls::Implicit, Security::StartTls, 3500).await;
    assert!(err.is_timeout(), "{err}");
    assert_eq!(err.kind(), FailureKind::Timeout);
    assert!(err.is_transient() && !err.is_permanent());
    assert_eq!(err.stage(), Stage::Connect);
    assert_eq!(err.attempts(), 1);
    let hint = err.hint().unwrap();
    assert!(hint.contains("MAIL_SSL_TLS=true"), "{hint}");
    assert!(hint.contains("implicit TLS"), "{hint}");

    // The connection test is bounded the same way.
    let started = Instant::now();
    let err = within(mailer.test_connection()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(3500));
    assert!(err.is_timeout());
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn implicit_tls_settings_against_a_starttls_port_fail_fast_naming_the_fix() {
    let (server, _mailer, err, _dir) =
        mixed_up(DevTls::StartTls, Security::ImplicitTls, 2000).await;
    assert_eq!(err.stage(), Stage::Tls, "{err}");
    assert_eq!(err.kind(), FailureKind::Tls);
    assert!(err.is_permanent());
    assert_eq!(err.attempts(), 1);
    assert!(err.hint().unwrap().contains("MAIL_STARTTLS=true"), "{err}");
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn starttls_is_required_never_plain_text_when_the_server_does_not_offer_it() {
    // Everything a plain-text fallback would need is there: AUTH in clear, no TLS.
    let server = with_plain_login(DevTls::StartTls)
        .advertise_starttls(false)
        .start()
        .await
        .unwrap();
    let mailer =
        Mailer::new(&Settings::new(server.port(), Security::StartTls).login(PASSWORD)).unwrap();

    let err = never_sent(&mailer).await;
    assert_eq!(err.stage(), Stage::Tls, "{err}");
    assert_eq!(err.kind(), FailureKind::Refused);
    assert!(err.is_permanent());
    assert_eq!(err.attempts(), 1);
    assert!(err.hint().unwrap().contains("STARTTLS"), "{err}");
    assert!(err.hint().unwrap().contains("never falls back"), "{err}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn an_untrusted_certificate_fails_with_a_ca_hint_unless_validation_is_off() {
    let server = dev_server(DevTls::Implicit).await;
    let strict = Settings::new(server.port(), Security::ImplicitTls).login(PASSWORD);
    let mailer = Mailer::new(&strict).unwrap();
    let err = never_sent(&mailer).await;
    assert_eq!(err.stage(), Stage::Tls, "{err}");
    assert!(err.message().contains("UnknownIssuer"), "{err}");
    assert_eq!(err.kind(), FailureKind::Tls);
    assert!(err.hint().unwrap().contains("MAIL_CA_FILE"), "{err}");
    assert_eq!(err.attempts(), 1);
    assert!(server.messages().is_empty());

    let mut lax = strict.clone();
    lax.tls.validate_certs = false;
    let mailer = Mailer::new(&lax).unwrap();
    within(mailer.send(simple(&mailer, "accepted")))
        .await
        .unwrap();
    assert_eq!(server.wait_for_messages(1, WAIT).await.len(), 1);
}

#[tokio::test]
async fn no_auth_offered_in_plain_text_suggests_starttls() {
    // This server offers AUTH only after TLS, and it offers no TLS in this mode.
    let server = dev_server(DevTls::None).await;
    let mailer =
        Mailer::new(&Settings::new(server.port(), Security::Plain).login(PASSWORD)).unwrap();
    let err = never_sent(&mailer).await;
    assert_eq!(err.stage(), Stage::Auth);
    assert!(
        err.message()
            .contains("No compatible authentication mechanism"),
        "{err}"
    );
    assert!(err.hint().unwrap().contains("MAIL_STARTTLS=true"), "{err}");
    assert_no_password(&err);
}

#[tokio::test]
async fn connection_refused_names_server_and_port_after_retries() {
    let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mailer = Mailer::new(&Settings::new(port, Security::StartTls)).unwrap();
    let err = never_sent(&mailer).await;
    assert_eq!(err.stage(), Stage::Connect);
    assert_eq!(
        err.attempts(),
        3,
        "a refused connection may be a restart: retried"
    );
    assert_eq!(err.kind(), FailureKind::Network);
    assert!(err.is_transient() && !err.is_permanent());
    let hint = err.hint().unwrap();
    assert!(
        hint.contains("MAIL_SERVER") && hint.contains("MAIL_PORT"),
        "{hint}"
    );
    assert!(
        err.to_string().contains(&format!("127.0.0.1:{port}")),
        "{err}"
    );
}

#[test]
fn a_missing_ca_file_is_reported_with_its_path() {
    let settings = Settings::new(2525, Security::StartTls).ca(PathBuf::from("/nonexistent/ca.pem"));
    let err = Mailer::new(&settings).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/ca.pem"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "not a certificate").unwrap();
    let err = Mailer::new(&Settings::new(2525, Security::ImplicitTls).ca(empty)).unwrap_err();
    assert!(err.to_string().contains("no PEM certificate"), "{err}");
}
