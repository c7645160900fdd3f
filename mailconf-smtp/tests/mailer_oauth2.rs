//! The Mailer logging in with XOAUTH2, from `SmtpConfig` settings, against the dev server that
//! checks each bearer with the loopback `TokenEndpoint`: every grant, tokens that expire
//! mid-run, the single flight, a revoked token, and the endpoint's refusals.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use mailconf_core::MailConfig;
use mailconf_smtp::dev_server::{DevServer, TokenEndpoint, TokenEndpointBuilder};
use mailconf_smtp::{FailureKind, Mailer, SmtpConfig, Stage};
use support::{WAIT, never_sent, simple, within};

const MAILBOX: &str = "app@example.com";
const CLIENT_ID: &str = "test-client";
const CLIENT_SECRET: &str = "Cl1ent-S3cret-value";
const REFRESH_TOKEN: &str = "Refr3sh-T0ken-value";
const SERVICE_ACCOUNT: &str = "mailer@project.iam.example";

type Settings = Vec<(&'static str, String)>;

/// A token endpoint that knows the test client.
fn endpoint() -> TokenEndpointBuilder {
    TokenEndpoint::builder().client(CLIENT_ID, CLIENT_SECRET)
}

/// A STARTTLS dev server taking XOAUTH2 checked by `endpoint`, and its CA file in `dir`.
async fn xoauth2_server(endpoint: &TokenEndpoint, dir: &Path) -> (DevServer, String) {
    let server = DevServer::builder()
        .xoauth2(endpoint.verifier())
        .start()
        .await
        .unwrap();
    let ca = server.write_ca_file(dir).unwrap();
    (server, ca.display().to_string())
}

/// The settings for `server`, sending as the mailbox, then `extra`.
fn config(server: &DevServer, ca: String, extra: Settings) -> SmtpConfig {
    let mut map: Settings = vec![
        ("MAIL_SERVER", "localhost".into()),
        ("MAIL_PORT", server.port().to_string()),
        ("MAIL_STARTTLS", "true".into()),
        ("MAIL_SSL_TLS", "false".into()),
        ("MAIL_USERNAME", MAILBOX.into()),
        ("MAIL_FROM", MAILBOX.into()),
        ("MAIL_CA_FILE", ca),
    ];
    map.extend(extra);
    SmtpConfig::from_map(map).unwrap()
}

/// The token endpoint `builder` makes, a dev server checking its tokens, and a Mailer with a
/// `TIMEOUT` of 10 s and the settings `grant` gives for that endpoint.
struct Run {
    dir: tempfile::TempDir,
    endpoint: TokenEndpoint,
    server: DevServer,
    mailer: Mailer,
}

async fn start(
    builder: TokenEndpointBuilder,
    grant: impl FnOnce(&TokenEndpoint, &Path) -> Settings,
) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let endpoint = builder.start().await.unwrap();
    let (server, ca) = xoauth2_server(&endpoint, dir.path()).await;
    let mut settings = vec![("TIMEOUT", "10s".to_owned())];
    settings.extend(grant(&endpoint, dir.path()));
    let mailer = Mailer::new(&config(&server, ca, settings)).unwrap();
    Run {
        dir,
        endpoint,
        server,
        mailer,
    }
}

fn client_credentials(endpoint: &TokenEndpoint, _: &Path) -> Settings {
    vec![
        ("MAIL_OAUTH2_TOKEN_URL", endpoint.url()),
        ("MAIL_OAUTH2_CLIENT_ID", CLIENT_ID.into()),
        ("MAIL_OAUTH2_CLIENT_SECRET", CLIENT_SECRET.into()),
    ]
}

impl Run {
    /// Sends one more message: the `n`th the server has, from the mailbox, over TLS.
    async fn sends(&self, n: usize) {
        let mailer = &self.mailer;
        let report = within(mailer.send(simple(mailer, "oauth2"))).await.unwrap();
        assert_eq!(report.code(), 250);
        let got = self.server.wait_for_messages(n, WAIT).await;
        assert_eq!(got.len(), n);
        assert_eq!(got[n - 1].auth_user.as_deref(), Some(MAILBOX));
        assert!(got[n - 1].tls);
    }
}

#[tokio::test]
async fn client_credentials_log_in_and_the_token_is_cached() {
    let run = start(endpoint(), client_credentials).await;
    run.sends(1).await;
    // A new session (the idle one closed) logs in with the cached token.
    run.mailer.close_idle().await;
    run.sends(2).await;
    assert_eq!(run.endpoint.requests(), 1);
}

#[tokio::test]
async fn a_refresh_token_is_used_and_its_rotation_followed() {
    let builder = endpoint()
        .refresh_token(REFRESH_TOKEN, MAILBOX)
        .rotate_refresh_tokens(true)
        .lifetime(Duration::from_secs(1));
    let run = start(builder, |endpoint, _| {
        vec![
            ("MAIL_OAUTH2_TOKEN_URL", endpoint.url()),
            ("MAIL_OAUTH2_CLIENT_ID", CLIENT_ID.to_owned()),
            ("MAIL_OAUTH2_REFRESH_TOKEN", REFRESH_TOKEN.to_owned()),
        ]
    })
    .await;
    for n in 1..=3 {
        run.sends(n).await;
        run.mailer.close_idle().await;
        // Past the token's 1 s lifetime: the next send refreshes, with the rotated token (the
        // first one is retired, so reusing it would fail).
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    assert_eq!(run.endpoint.requests(), 3);
}

#[tokio::test]
async fn a_service_account_signs_a_jwt_for_the_mailbox() {
    let public = include_str!("data/oauth2/test-service-account.pub");
    let private = include_str!("data/oauth2/test-service-account.key");
    let builder = TokenEndpoint::builder().service_account(SERVICE_ACCOUNT, public);
    let run = start(builder, |endpoint, dir| {
        let key = serde_json::json!({
            "type": "service_account",
            "client_email": SERVICE_ACCOUNT,
            "private_key_id": "k1",
            "private_key": private,
            "token_uri": endpoint.url(),
        });
        let key_file = dir.join("key.json");
        std::fs::write(&key_file, key.to_string()).unwrap();
        vec![(
            "MAIL_OAUTH2_SERVICE_ACCOUNT_FILE",
            key_file.display().to_string(),
        )]
    })
    .await;
    run.sends(1).await;
    assert_eq!(run.endpoint.requests(), 1);
}

#[tokio::test]
async fn an_access_token_file_is_read_again_when_it_changes() {
    // A sidecar's job, done here by the endpoint: issue a token, write it to the file.
    let sidecar = |endpoint: &TokenEndpoint, file: &Path, end: &str| {
        let token = endpoint.issue(MAILBOX, Duration::from_secs(3600));
        std::fs::write(file, format!("{token}{end}")).unwrap();
    };
    let run = start(endpoint(), |endpoint, dir| {
        let file = dir.join("token");
        sidecar(endpoint, &file, "\n");
        vec![("MAIL_ACCESS_TOKEN_FILE", file.display().to_string())]
    })
    .await;
    run.sends(1).await;
    // The old token stops working; the sidecar writes a new one.
    run.endpoint.revoke_all();
    run.mailer.close_idle().await;
    sidecar(&run.endpoint, &run.dir.path().join("token"), "");
    run.sends(2).await;
}

#[tokio::test]
async fn a_hundred_sends_at_expiry_make_one_token_request() {
    let builder = endpoint().lifetime(Duration::from_secs(2));
    let run = start(builder, |endpoint, dir| {
        let mut settings = client_credentials(endpoint, dir);
        settings.push(("MAIL_POOL_SIZE", "100".into()));
        settings
    })
    .await;
    run.sends(1).await;
    assert_eq!(run.endpoint.requests(), 1);
    run.mailer.close_idle().await;
    // The token expires; 100 sends, each opening its own session, all need a new one.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let mailer = Arc::new(run.mailer);
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
    assert_eq!(run.server.wait_for_messages(101, WAIT).await.len(), 101);
    assert_eq!(run.endpoint.requests(), 2, "one request for the 100 sends");
}

#[tokio::test]
async fn a_revoked_cached_token_is_replaced_without_a_failed_send() {
    let run = start(endpoint(), client_credentials).await;
    run.sends(1).await;
    run.mailer.close_idle().await;
    // Still within its lifetime, but the server refuses it (535): one more token, one retry.
    run.endpoint.revoke_all();
    run.sends(2).await;
    assert_eq!(run.endpoint.requests(), 2);
}

#[tokio::test]
async fn a_wrong_client_secret_is_an_oauth2_token_error_naming_the_setting() {
    let builder = TokenEndpoint::builder().client(CLIENT_ID, "the-right-one");
    let run = start(builder, client_credentials).await;
    let err = never_sent(&run.mailer).await;
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
    let run = start(endpoint(), client_credentials).await;
    run.endpoint.fail_next(
        400,
        r#"{"error":"invalid_request","error_description":"bad\u0000request\u001b[2J\r\nTrace ID: 7"}"#,
    );
    let err = never_sent(&run.mailer).await;
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
    let run = start(TokenEndpoint::builder(), |_, _| {
        // A port nothing listens on: bound, then closed.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/token", closed.local_addr().unwrap());
        vec![
            ("MAIL_OAUTH2_TOKEN_URL", url),
            ("MAIL_OAUTH2_CLIENT_ID", CLIENT_ID.to_owned()),
            ("MAIL_OAUTH2_CLIENT_SECRET", CLIENT_SECRET.to_owned()),
            ("TIMEOUT", "3s".to_owned()),
        ]
    })
    .await;
    let err = never_sent(&run.mailer).await;
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
    let endpoint = endpoint().start().await.unwrap();
    // The dev server checks tokens against another endpoint: none of these is valid there.
    let other = TokenEndpoint::builder().start().await.unwrap();
    let (server, ca) = xoauth2_server(&other, dir.path()).await;
    let settings = client_credentials(&endpoint, dir.path());
    let mailer = Mailer::new(&config(&server, ca, settings)).unwrap();
    let err = never_sent(&mailer).await;
    assert_eq!(err.stage(), Stage::Auth);
    assert_eq!(err.code(), Some(535));
    assert!(err.hint().unwrap().contains("MAIL_USERNAME"), "{err}");
    // A token just fetched and refused is final: no second request.
    assert_eq!(endpoint.requests(), 1);
}

#[tokio::test]
async fn the_probe_shows_the_token_step_and_the_grant() {
    use mailconf_smtp::diagnose::{ProbeReport, Step, StepName, Target, probe};

    let dir = tempfile::tempdir().unwrap();
    let endpoint = endpoint().start().await.unwrap();
    let (server, ca) = xoauth2_server(&endpoint, dir.path()).await;
    let settings = |secret: &str| {
        let mut grant = client_credentials(&endpoint, dir.path());
        grant.retain(|(k, _)| *k != "MAIL_OAUTH2_CLIENT_SECRET");
        grant.push(("MAIL_OAUTH2_CLIENT_SECRET", secret.to_owned()));
        config(&server, ca.clone(), grant)
    };
    let step = |report: &ProbeReport, name| -> Step {
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

    let report = within(probe(&Target::new(&settings("Wr0ng-Secret-5e1")), WAIT)).await;
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
    assert!(!format!("{report:?}").contains("Wr0ng-Secret-5e1"));
}
