//! The OAuth2 side of the CLI's XOAUTH2 suites (`send_test_oauth2.rs` against the dev server,
//! `interop_postfix_oauth2.rs` against Postfix and Dovecot): one client, one refresh token and
//! one service account on a loopback `TokenEndpoint`, and the settings of each grant.

use std::path::Path;
use std::time::Duration;

use mailconf_smtp::dev_server::{TokenEndpoint, TokenEndpointBuilder};

pub const CLIENT_ID: &str = "cli-client";
pub const CLIENT_SECRET: &str = "Cli-Cl1ent-Secret-7d1";
pub const REFRESH_TOKEN: &str = "Cli-Refresh-Token-2f9";
pub const SERVICE_ACCOUNT: &str = "cli@project.iam.example";

/// The settings of one grant.
pub type Settings = Vec<(&'static str, String)>;

/// An endpoint that knows the client (whose app-only tokens act as `mailbox`), `mailbox`'s
/// refresh token and the service account.
pub fn endpoint(mailbox: &str) -> TokenEndpointBuilder {
    TokenEndpoint::builder()
        .client(CLIENT_ID, CLIENT_SECRET)
        .app_mailbox(CLIENT_ID, mailbox)
        .refresh_token(REFRESH_TOKEN, mailbox)
        .service_account(
            SERVICE_ACCOUNT,
            include_str!("../../../mailconf-smtp/tests/data/oauth2/test-service-account.pub"),
        )
}

/// The settings of each grant, named as `probe` names them: client credentials, refresh
/// token, the service account's JWT bearer (its key written in `dir`) and a token file (in
/// `dir`, holding a token the endpoint issued for `mailbox`, as a sidecar would write it).
pub fn grants(
    endpoint: &TokenEndpoint,
    dir: &Path,
    mailbox: &str,
) -> Vec<(&'static str, Settings)> {
    let url = endpoint.url();
    let key_file = dir.join("key.json");
    let key = serde_json::json!({
        "type": "service_account",
        "client_email": SERVICE_ACCOUNT,
        "private_key": include_str!("../../../mailconf-smtp/tests/data/oauth2/test-service-account.key"),
        "token_uri": url,
    });
    std::fs::write(&key_file, key.to_string()).unwrap();
    let token_file = dir.join("access-token");
    let token = endpoint.issue(mailbox, Duration::from_secs(3600));
    std::fs::write(&token_file, format!("{token}\n")).unwrap();
    vec![
        (
            "client_credentials",
            vec![
                ("MAIL_OAUTH2_TOKEN_URL", url.clone()),
                ("MAIL_OAUTH2_CLIENT_ID", CLIENT_ID.into()),
                ("MAIL_OAUTH2_CLIENT_SECRET", CLIENT_SECRET.into()),
            ],
        ),
        (
            "refresh_token",
            vec![
                ("MAIL_OAUTH2_TOKEN_URL", url),
                ("MAIL_OAUTH2_CLIENT_ID", CLIENT_ID.into()),
                ("MAIL_OAUTH2_REFRESH_TOKEN", REFRESH_TOKEN.into()),
            ],
        ),
        (
            "jwt_bearer",
            vec![(
                "MAIL_OAUTH2_SERVICE_ACCOUNT_FILE",
                key_file.display().to_string(),
            )],
        ),
        (
            "token_file",
            vec![("MAIL_ACCESS_TOKEN_FILE", token_file.display().to_string())],
        ),
    ]
}

/// Asserts that `out` holds no secret and no access token.
#[track_caller]
pub fn assert_no_secret(out: &str) {
    for secret in [CLIENT_SECRET, REFRESH_TOKEN, TokenEndpoint::TOKEN_PREFIX] {
        assert!(!out.contains(secret), "{secret} in:\n{out}");
    }
}
