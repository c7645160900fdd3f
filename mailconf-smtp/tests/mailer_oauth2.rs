//! The Mailer logging in with XOAUTH2, from `SmtpConfig` settings, against the dev server that
//! checks each bearer with the loopback `TokenEndpoint`: every grant, tokens that expire
//! mid-run, the single flight, a revoked token, and the endpoint's refusals.

mod support;

use std::sync::Arc;
use std::time::Duration;

use mailconf_core::MailConfig;
use mailconf_smtp::dev_server::{DevServer, DevTls, TokenEndpoint};
use mailconf_smtp::{FailureKind, Mailer, SmtpConfig, Stage};
use support::{WAIT, simple, within};

const MAILBOX: &str = "app@example.com";
const CLIENT_ID: &str = "test-client";
const CLIENT_SECRET: &str = "Cl1ent-S3cret-value";
const REFRESH_TOKEN: &str = "Refr3sh-T0ken-value";
const SERVICE_ACCOUNT: &str = "mailer@project.iam.example";

/// A dev server taking XOAUTH2 checked by `endpoint`, and the settings for it plus `extra`.
async fn setup(
    endpoint: &TokenEndpoint,
    dir: &tempfile::TempDir,
    extra: &[(&str, String)],
) -> (DevServer, Mailer) {
    let server = DevServer::builder()
        .tls(DevTls::StartTls)
        .xoauth2(endpoint.verifier())
        .start()
        .await
        .unwrap();
    let ca = server.write_ca_file(dir.path()).unwrap();
    let mut map: Vec<(String, String)> = vec![
        ("MAIL_SERVER".into(), "localhost".into()),
        ("MAIL_PORT".into(), server.port().to_string()),
        ("MAIL_STARTTLS".into(), "true".into()),
        ("MAIL_SSL_TLS".into(), "false".into()),
        ("MAIL_USERNAME".into(), MAILBOX.into()),
        ("MAIL_FROM".into(), MAILBOX.into()),
        ("MAIL_CA_FILE".into(), ca.display().to_string()),
        ("TIMEOUT".into(), "10s".into()),
    ];
    map.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    let config = SmtpConfig::from_map(map).unwrap();
    (server, Mailer::new(&config).unwrap())
}

fn client_credentials(endpoint: &TokenEndpoint) -> Vec<(&'static str, String)> {
    vec![
        ("MAIL_OAUTH2_TOKEN_URL", endpoint.url()),
        ("MAIL_OAUTH2_CLIENT_ID", CLIENT_ID.into()),
        ("MAIL_OAUTH2_CLIENT_SECRET", CLIENT_SECRET.into()),
    ]
}

async fn sends(mailer: &Mailer, server: &DevServer, n: usize) {
    let report = within(mailer.send(simple(mailer, "oauth2"))).await.unwrap();
    assert_eq!(report.code(), 250);
    let got = server.wait_for_messages(n, WAIT).await;
    assert_eq!(got.len(), n);
    assert_eq!(got[n - 1].auth_user.as_deref(), Some(MAILBOX));
    assert!(got[n - 1].tls);
}

#[tokio::test]
async fn client_credentials_log_in_and_the_token_is_cached() {
    let dir = tempfile::tempdir().unwrap();
    let endpoint = TokenEndpoint::builder()
        .client(CLIENT_ID, CLIENT_SECRET)
        .start()
        .await
        .unwrap();
    let (server, mailer) = setup(&endpoint, &dir, &client_credentials(&endpoint)).await;
    sends(&mailer, &server, 1).await;
    // A new session (the idle one closed) logs in with the cached token.
    mailer.close_idle().await;
    sends(&mailer, &server, 2).await;
    assert_eq!(endpoint.requests(), 1);
}

#[tokio::test]
async fn a_refresh_token_is_used_and_its_rotation_followed() {
    let dir = tempfile::tempdir().unwrap();
    let endpoint = TokenEndpoint::builder()
        .client(CLIENT_ID, CLIENT_SECRET)
        .refresh_token(REFRESH_TOKEN, MAILBOX)
        .rotate_refresh_tokens(true)
        .lifetime(Duration::from_secs(1))
        .start()
        .await
        .unwrap();
    let settings = [
        ("MAIL_OAUTH2_TOKEN_URL", endpoint.url()),
        ("MAIL_OAUTH2_CLIENT_ID", CLIENT_ID.to_owned()),
        ("MAIL_OAUTH2_REFRESH_TOKEN", REFRESH_TOKEN.to_owned()),
    ];
    let (server, mailer) = setup(&endpoint, &dir, &settings).await;
    for n in 1..=3 {
        sends(&mailer, &server, n).await;
        mailer.close_idle().await;
        // Past the token's 1 s lifetime: the next send refreshes, with the rotated token (the
        // first one is retired, so reusing it would fail).
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    assert_eq!(endpoint.requests(), 3);
}

#[tokio::test]
async fn a_service_account_signs_a_jwt_for_the_mailbox() {
    let dir = tempfile::tempdir().unwrap();
    let public = include_str!("data/oauth2/test-service-account.pub");
    let private = include_str!("data/oauth2/test-service-account.key");
    let endpoint = TokenEndpoint::builder()
        .service_account(SERVICE_ACCOUNT, public)
        .start()
        .await
        .unwrap();
    let key = serde_json::json!({
        "type": "service_account",
        "client_email": SERVICE_ACCOUNT,
        "private_key_id": "k1",
        "private_key": private,
        "token_uri": endpoint.url(),
    });
    let key_file = dir.path().join("key.json");
    std::fs::write(&key_file, key.to_string()).unwrap();
    let settings = [(
        "MAIL_OAUTH2_SERVICE_ACCOUNT_FILE",
        key_file.display().to_string(),
    )];
    let (server, mailer) = setup(&endpoint, &dir, &settings).await;
    sends(&mailer, &server, 1).await;
    assert_eq!(endpoint.requests(), 1);
}

#[tokio::test]
async fn an_access_token_file_is_read_again_when_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let endpoint = TokenEndpoint::builder()
        .client(CLIENT_ID, CLIENT_SECRET)
        .start()
        .await
        .unwrap();
    // A sidecar's job, done here with the endpoint: fetch a token, write it to the file.
    let fetch = || async {
        let body = format!(
            "grant_type=client_credentials&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}"
        );
        let url = endpoint.url();
        let response = post(&url, &body).await;
        let json: serde_json::Value = serde_json::from_str(&response).unwrap();
        json["access_token"].as_str().unwrap().to_owned()
    };
    let file = dir.path().join("token");
    std::fs::write(&file, format!("{}\n", fetch().await)).unwrap();
    let settings = [("MAIL_ACCESS_TOKEN_FILE", file.display().to_string())];
    let (server, mailer) = setup(&endpoint, &dir, &settings).await;
    sends(&mailer, &server, 1).await;
    // The old token stops working; the sidecar writes a new one.
    endpoint.revoke_all();
    mailer.close_idle().await;
    std::fs::write(&file, fetch().await).unwrap();
    sends(&mailer, &server, 2).await;
}

/// The least HTTP client a test needs: one POST on loopback, the body of the answer.
async fn post(url: &str, body: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "POST /token HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    tcp.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    tcp.read_to_string(&mut response).await.unwrap();
    response.split("\r\n\r\n").nth(1).unwrap().to_owned()
}

#[tokio::test]
async fn a_hundred_sends_at_expiry_make_one_token_request() {
    let dir = tempfile::tempdir().unwrap();
    let endpoint = TokenEndpoint::builder()
        .client(CLIENT_ID, CLIENT_SECRET)
        .lifetime(Duration::from_secs(2))
        .start()
        .await
        .unwrap();
    let mut settings = client_credentials(&endpoint);
    settings.push(("MAIL_POOL_SIZE", "100".into()));
    let (server, mailer) = setup(&endpoint, &dir, &settings).await;
    sends(&mailer, &server, 1).await;
    assert_eq!(endpoint.requests(), 1);
    mailer.close_idle().await;
    // The token expires; 100 sends, each opening its own session, all need a new one.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let mailer = Arc::new(mailer);
    let sends: Vec<_> = (0..100)
        .map(|i| {
            let mailer = Arc::clone(&mailer);
            tokio::spawn(async move {
                let message = simple(&mailer, &format!("burst {i}"));
                within(mailer.send(message)).await
            })
        })
        .collect();
    for send in sends {
        send.await.unwrap().unwrap();
    }
    assert_eq!(server.wait_for_messages(101, WAIT).await.len(), 101);
    assert_eq!(endpoint.requests(), 2, "one request for the 100 sends");
}

#[tokio::test]
async fn a_revoked_cached_token_is_replaced_without_a_failed_send() {
    let dir = tempfile::tempdir().unwrap();
    let endpoint = TokenEndpoint::builder()
        .client(CLIENT_ID, CLIENT_SECRET)
        .start()
        .await
        .unwrap();
    let (server, mailer) = setup(&endpoint, &dir, &client_credentials(&endpoint)).await;
    sends(&mailer, &server, 1).await;
    mailer.close_idle().await;
    // Still within its lifetime, but the server refuses it (535): one more token, one retry.
    endpoint.revoke_all();
    sends(&mailer, &server, 2).await;
    assert_eq!(endpoint.requests(), 2);
}

#[tokio::test]
async fn a_wrong_client_secret_is_an_oauth2_token_error_naming_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let endpoint = TokenEndpoint::builder()
        .client(CLIENT_ID, "the-right-one")
        .start()
        .await
        .unwrap();
    let (_server, mailer) = setup(&endpoint, &dir, &client_credentials(&endpoint)).await;
    let err = within(mailer.send(simple(&mailer, "x"))).await.unwrap_err();
    assert_eq!(err.stage(), Stage::OAuth2Token);
    assert_eq!(err.kind(), FailureKind::OAuth2Token { transient: false });
    assert_eq!(err.attempts(), 1, "a refused secret is not retried");
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("invalid_client"), "{shown}");
    assert!(shown.contains("AADSTS7000215"), "{shown}");
    assert!(
        err.hint().unwrap().contains("MAIL_OAUTH2_CLIENT_SECRET"),
        "{shown}"
    );
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
}

#[tokio::test]
async fn the_endpoints_error_text_is_escaped_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let endpoint = TokenEndpoint::builder()
        .client(CLIENT_ID, CLIENT_SECRET)
        .start()
        .await
        .unwrap();
    endpoint.fail_next(
        400,
        r#"{"error":"invalid_request","error_description":"bad\u0000request\u001b[2J\r\nTrace ID: 7"}"#,
    );
    let (_server, mailer) = setup(&endpoint, &dir, &client_credentials(&endpoint)).await;
    let err = within(mailer.send(simple(&mailer, "x"))).await.unwrap_err();
    assert_eq!(err.stage(), Stage::OAuth2Token);
    let message = err.message();
    assert!(
        message.contains(r"invalid_request: bad\u{0}request\u{1b}[2J Trace ID: 7"),
        "{message}"
    );
    assert!(!format!("{err}").chars().any(char::is_control), "{err:?}");
}

#[tokio::test]
async fn an_unreachable_endpoint_is_a_transient_oauth2_token_error() {
    let dir = tempfile::tempdir().unwrap();
    let endpoint = TokenEndpoint::builder().start().await.unwrap();
    // A port nothing listens on: bound, then closed.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/token", closed.local_addr().unwrap());
    drop(closed);
    let settings = [
        ("MAIL_OAUTH2_TOKEN_URL", url),
        ("MAIL_OAUTH2_CLIENT_ID", CLIENT_ID.to_owned()),
        ("MAIL_OAUTH2_CLIENT_SECRET", CLIENT_SECRET.to_owned()),
        ("TIMEOUT", "3s".to_owned()),
    ];
    let (_server, mailer) = setup(&endpoint, &dir, &settings).await;
    let err = within(mailer.send(simple(&mailer, "x"))).await.unwrap_err();
    assert_eq!(err.stage(), Stage::OAuth2Token);
    assert!(err.is_transient(), "{err}");
    assert!(err.attempts() > 1, "retried: {err}");
    assert!(
        err.hint().unwrap().contains("MAIL_OAUTH2_TOKEN_URL"),
        "{err}"
    );
    assert!(!format!("{err} {err:?}").contains(CLIENT_SECRET));
}

#[tokio::test]
async fn a_token_the_server_refuses_is_a_login_error() {
    let dir = tempfile::tempdir().unwrap();
    let endpoint = TokenEndpoint::builder()
        .client(CLIENT_ID, CLIENT_SECRET)
        .start()
        .await
        .unwrap();
    // The dev server checks tokens against another endpoint: none of these is valid there.
    let other = TokenEndpoint::builder().start().await.unwrap();
    let server = DevServer::builder()
        .xoauth2(other.verifier())
        .start()
        .await
        .unwrap();
    let ca = server.write_ca_file(dir.path()).unwrap();
    let mut map = vec![
        ("MAIL_SERVER", "localhost".to_owned()),
        ("MAIL_PORT", server.port().to_string()),
        ("MAIL_STARTTLS", "true".into()),
        ("MAIL_SSL_TLS", "false".into()),
        ("MAIL_USERNAME", MAILBOX.into()),
        ("MAIL_FROM", MAILBOX.into()),
        ("MAIL_CA_FILE", ca.display().to_string()),
    ];
    map.extend(client_credentials(&endpoint));
    let mailer = Mailer::new(&SmtpConfig::from_map(map).unwrap()).unwrap();
    let err = within(mailer.send(simple(&mailer, "x"))).await.unwrap_err();
    assert_eq!(err.stage(), Stage::Auth);
    assert_eq!(err.code(), Some(535));
    assert!(err.hint().unwrap().contains("MAIL_USERNAME"), "{err}");
    // A token just fetched and refused is final: no second request.
    assert_eq!(endpoint.requests(), 1);
}

#[tokio::test]
async fn the_probe_shows_the_token_step_and_the_grant() {
    use mailconf_smtp::diagnose::{StepName, Target, probe};

    let dir = tempfile::tempdir().unwrap();
    let endpoint = TokenEndpoint::builder()
        .client(CLIENT_ID, CLIENT_SECRET)
        .start()
        .await
        .unwrap();
    let server = DevServer::builder()
        .xoauth2(endpoint.verifier())
        .start()
        .await
        .unwrap();
    let ca = server.write_ca_file(dir.path()).unwrap();
    let settings = |secret: &str| {
        let mut map = vec![
            ("MAIL_SERVER", "localhost".to_owned()),
            ("MAIL_PORT", server.port().to_string()),
            ("MAIL_STARTTLS", "true".into()),
            ("MAIL_SSL_TLS", "false".into()),
            ("MAIL_USERNAME", MAILBOX.into()),
            ("MAIL_FROM", MAILBOX.into()),
            ("MAIL_CA_FILE", ca.display().to_string()),
        ];
        map.extend(client_credentials(&endpoint));
        map.retain(|(k, _)| *k != "MAIL_OAUTH2_CLIENT_SECRET");
        map.push(("MAIL_OAUTH2_CLIENT_SECRET", secret.to_owned()));
        SmtpConfig::from_map(map).unwrap()
    };
    let step = |report: &mailconf_smtp::diagnose::ProbeReport, name| {
        report
            .steps
            .iter()
            .find(|s| s.name == name)
            .cloned()
            .unwrap()
    };

    let report = within(probe(&Target::new(&settings(CLIENT_SECRET)), WAIT)).await;
    assert!(report.ok, "{report:?}");
    let token = step(&report, StepName::OAuth2Token);
    assert!(
        token.ok && token.detail.contains("client_credentials"),
        "{token:?}"
    );
    let login = step(&report, StepName::Login);
    assert!(login.ok && login.detail.contains("XOAUTH2"), "{login:?}");
    assert_eq!(
        serde_json::to_value(&token).unwrap()["name"],
        "oauth2_token"
    );

    let report = within(probe(&Target::new(&settings("wrong")), WAIT)).await;
    assert!(!report.ok);
    let token = step(&report, StepName::OAuth2Token);
    assert!(
        !token.ok && token.detail.contains("invalid_client"),
        "{token:?}"
    );
    assert!(
        token
            .hint
            .as_deref()
            .unwrap()
            .contains("MAIL_OAUTH2_CLIENT_SECRET"),
        "{token:?}"
    );
    assert!(!format!("{report:?}").contains("wrong\""));
}
