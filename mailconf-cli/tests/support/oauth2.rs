//! The OAuth2 side of the CLI's XOAUTH2 suites (`send_test_oauth2.rs` against the dev server,
//! `interop_postfix_oauth2.rs` against Postfix and Dovecot, `interop_aiosmtpd_oauth2.rs`
//! against aiosmtpd): one client, one refresh token and one service account on a loopback
//! `TokenEndpoint`, the settings of each grant, and `mailconf` run with them.

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use mailconf_smtp::dev_server::{TokenEndpoint, TokenEndpointBuilder};

pub const CLIENT_ID: &str = "cli-client";
pub const CLIENT_SECRET: &str = "Cli-Cl1ent-Secret-7d1";
pub const REFRESH_TOKEN: &str = "Cli-Refresh-Token-2f9";
pub const SERVICE_ACCOUNT: &str = "cli@project.iam.example";
const PRIVATE_KEY: &str =
    include_str!("../../../mailconf-smtp/tests/data/oauth2/test-service-account.key");

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
        "private_key": PRIVATE_KEY,
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

/// The settings of the grant `name` (one of [`grants`]), its files in `dir/name`.
pub fn grant(endpoint: &TokenEndpoint, dir: &Path, mailbox: &str, name: &str) -> Settings {
    let dir = dir.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    grants(endpoint, &dir, mailbox)
        .into_iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no grant {name}"))
        .1
}

/// A server on loopback that `mailconf` logs in to with XOAUTH2: where it listens, the CA that
/// signed its certificate, and the mailbox (`MAIL_USERNAME`, and `MAIL_FROM`).
pub struct Target<'a> {
    pub host: &'a str,
    pub port: u16,
    pub ca_file: &'a Path,
    pub mailbox: &'a str,
}

/// `mailconf ARGS` logging in to `target` in `mode` (`STARTTLS` or `IMPLICIT`) with `grant`
/// and `env`: its output, and the whole of it as text, in which no secret or token may be.
#[track_caller]
pub fn run(
    target: &Target,
    mode: &[(&str, &str)],
    grant: &Settings,
    env: &[(&str, &str)],
    args: &[&str],
) -> (Output, String) {
    let out = super::mailconf()
        .env("MAIL_SERVER", target.host)
        .env("MAIL_PORT", target.port.to_string())
        .env("MAIL_USERNAME", target.mailbox)
        .env("MAIL_FROM", target.mailbox)
        .env("MAIL_CA_FILE", target.ca_file)
        .env("TIMEOUT", "10s")
        .envs(mode.iter().copied())
        .envs(grant.iter().map(|(k, v)| (*k, v.as_str())))
        .envs(env.iter().copied())
        .args(args)
        .output()
        .unwrap();
    let all = super::text(&out);
    assert_no_secret(&all);
    (out, all)
}

/// Asserts that `out` holds no secret, no access token and no line of the service account's
/// private key.
#[track_caller]
pub fn assert_no_secret(out: &str) {
    for secret in [CLIENT_SECRET, REFRESH_TOKEN, TokenEndpoint::TOKEN_PREFIX] {
        assert!(!out.contains(secret), "{secret} in:\n{out}");
    }
    for line in PRIVATE_KEY.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!out.contains(line), "the private key's {line} in:\n{out}");
    }
}
