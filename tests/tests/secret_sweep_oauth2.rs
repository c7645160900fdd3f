//! Secret sweep for the OAuth2 settings: a client secret and a refresh token, set through the
//! environment or `_FILE` variables, and every access token the test endpoint issues, must not
//! appear in anything the library prints or logs (TRACE, `log` records included).
//!
//! As `secret_sweep.rs`, on `mailconf_tests::sweep`: each case runs in a child process (this
//! test binary again, running `oauth2_sweep_child`) that loads `SmtpConfig`, prints its
//! `Debug`, warnings and errors, sends through a `Mailer` logging in with XOAUTH2 to a dev
//! server that checks the bearer against a loopback `TokenEndpoint` (accepted, or refused:
//! wrong secret, revoked token), and the parent searches the whole output for the secrets raw and base64-encoded, and for any issued token
//! (they all start with `TokenEndpoint::TOKEN_PREFIX`).

use std::net::Ipv4Addr;
use std::time::Duration;

use mailconf_core::{MailConfig, Sources};
use mailconf_smtp::dev_server::{DevServer, DevTls, TokenEndpoint};
use mailconf_smtp::{SmtpConfig, SmtpSettings};
use mailconf_tests::sweep;

const MAILBOX: &str = "sweep@example.com";
const CLIENT_ID: &str = "sweep-client";
const SECRET: &str = "0auth-Cl1ent#Secret:Zq";
const REFRESH: &str = "0auth-Refr3sh/Token+Zq";
const DONE: &str = "OAUTH2-SWEEP-CHILD-DONE";

/// (grant, variant): `Ok` sends, `Wrong` is refused (secret or revoked token), `Broken` has
/// many mistakes with the secrets still set.
const CASES: [(&str, &str); 6] = [
    ("client", "Ok"),
    ("client", "Wrong"),
    ("refresh", "Ok"),
    ("refresh", "Wrong"),
    ("file", "Ok"),
    ("client", "Broken"),
];

#[test]
fn the_oauth2_secrets_and_tokens_appear_in_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let outputs = sweep::run_cases(&CASES, |&(grant, variant), port| {
        sweep::child_command("oauth2_sweep_child")
            .env("MAILCONF_OAUTH2_SWEEP", format!("{grant}/{variant}"))
            .env("MAILCONF_SWEEP_PORT", port.to_string())
            .env("MAILCONF_SWEEP_DIR", dir.path())
            .output()
            .unwrap()
    });
    let forms = forbidden_forms();
    for ((grant, variant), output) in CASES.iter().zip(outputs) {
        let case = format!("{grant}/{variant}");
        let all = sweep::finished(&case, &output, DONE);
        sweep::assert_none_in(&case, &all, &forms);
        // The capture works: the token step, the login and the delivery are logged; a refused
        // token request with the endpoint's error.
        if case.ends_with("Ok") {
            assert!(
                all.contains("AUTH XOAUTH2 [credentials redacted]"),
                "{case}:\n{all}"
            );
            assert!(
                all.contains("> MAIL FROM"),
                "{case}: no delivery logged:\n{all}"
            );
        }
        if case.ends_with("Wrong") {
            assert!(
                all.contains("OAuth2 token (oauth2_token)"),
                "{case}:\n{all}"
            );
            assert!(all.contains("AADSTS"), "{case}:\n{all}");
        }
    }
}

/// The secrets raw and in base64 at each alignment, and the prefix of every issued token raw
/// and inside the XOAUTH2 blob (`auth=Bearer at-`).
fn forbidden_forms() -> Vec<(&'static str, String)> {
    let mut forms = vec![
        ("the client secret", SECRET.to_owned()),
        ("the refresh token", REFRESH.to_owned()),
        ("an access token", TokenEndpoint::TOKEN_PREFIX.to_owned()),
    ];
    let in_blob = format!("auth=Bearer {}", TokenEndpoint::TOKEN_PREFIX);
    for (what, text) in [
        ("the client secret in base64", SECRET),
        ("the refresh token in base64", REFRESH),
        ("an access token in an XOAUTH2 blob", in_blob.as_str()),
    ] {
        forms.extend(
            sweep::base64_inside(text.as_bytes())
                .into_iter()
                .map(|form| (what, form)),
        );
    }
    forms
}

/// The child's side: does nothing unless started by the parent.
#[test]
fn oauth2_sweep_child() {
    sweep::child("MAILCONF_OAUTH2_SWEEP", DONE, |case| async move {
        oauth2_sweep(&case).await;
    });
}

async fn oauth2_sweep(case: &str) {
    let (grant, variant) = case.split_once('/').unwrap();
    let port: u16 = std::env::var("MAILCONF_SWEEP_PORT")
        .unwrap()
        .parse()
        .unwrap();
    let dir = std::path::PathBuf::from(std::env::var("MAILCONF_SWEEP_DIR").unwrap());
    // `Wrong`: the endpoint knows another secret, or another refresh token.
    let wrong = variant == "Wrong";
    let endpoint = TokenEndpoint::builder()
        .client(
            CLIENT_ID,
            if wrong && grant == "client" {
                "another-secret"
            } else {
                SECRET
            },
        )
        .refresh_token(
            if wrong && grant == "refresh" {
                "another-token"
            } else {
                REFRESH
            },
            MAILBOX,
        )
        .rotate_refresh_tokens(true)
        .start()
        .await
        .unwrap();
    let server = DevServer::builder()
        .tls(DevTls::StartTls)
        .bind((Ipv4Addr::LOCALHOST, port).into())
        .xoauth2(endpoint.verifier())
        .start()
        .await
        .unwrap();
    let own_dir = dir.join(port.to_string());
    std::fs::create_dir_all(&own_dir).unwrap();
    let ca = server.write_ca_file(&own_dir).unwrap();
    let secret_file = dir.join(format!("secret-{port}"));
    std::fs::write(&secret_file, format!("{SECRET}\n")).unwrap();
    let mut map: Vec<(&str, String)> = vec![
        ("MAIL_SERVER", "localhost".into()),
        ("MAIL_PORT", port.to_string()),
        ("MAIL_STARTTLS", "true".into()),
        ("MAIL_SSL_TLS", "false".into()),
        ("MAIL_USERNAME", MAILBOX.into()),
        ("MAIL_FROM", MAILBOX.into()),
        ("MAIL_CA_FILE", ca.display().to_string()),
        ("MAIL_DEBUG", "true".into()),
        ("TIMEOUT", "5s".into()),
        ("MAIL_OAUTH2_TOKEN_URL", endpoint.url()),
        ("MAIL_OAUTH2_CLIENT_ID", CLIENT_ID.into()),
    ];
    match grant {
        "client" => map.push(("MAIL_OAUTH2_CLIENT_SECRET", SECRET.into())),
        "refresh" => {
            map.push((
                "MAIL_OAUTH2_CLIENT_SECRET_FILE",
                secret_file.display().to_string(),
            ));
            map.push(("MAIL_OAUTH2_REFRESH_TOKEN", REFRESH.into()));
        }
        _ => {
            // A sidecar's token, issued by the endpoint.
            let token_file = dir.join(format!("token-{port}"));
            let token = endpoint.issue(MAILBOX, Duration::from_secs(3600));
            std::fs::write(&token_file, token).unwrap();
            map.retain(|(k, _)| !k.starts_with("MAIL_OAUTH2"));
            map.push(("MAIL_ACCESS_TOKEN_FILE", token_file.display().to_string()));
        }
    }
    if variant == "Broken" {
        map.push(("MAIL_PASSWORD", SECRET.into()));
        map.push(("MAIL_OAUTH2_REFRESH_TOKEN", REFRESH.into()));
        map.push(("MAIL_OAUTH2_TENANT", "not/a tenant".into()));
        map.push((
            "MAIL_OAUTH2_SERVICE_ACCOUNT_FILE",
            "/nonexistent/key.json".into(),
        ));
        map.retain(|(k, _)| *k != "MAIL_OAUTH2_TOKEN_URL");
        map.push((
            "MAIL_OAUTH2_TOKEN_URL",
            "http://login.example.com/token".into(),
        ));
    }
    let loaded = SmtpConfig::load(&Sources::new().map(map));
    println!("{loaded:?}");
    let config = match loaded {
        Err(errors) => {
            assert_eq!(variant, "Broken", "{errors}");
            println!(
                "{errors}\n{errors:#?}\n{}",
                serde_json::to_string_pretty(&errors).unwrap()
            );
            assert!(errors.len() >= 3, "{errors}");
            server.shutdown().await;
            return;
        }
        Ok(config) => config,
    };
    println!(
        "{config:#?}\n{:?}\n{:?}",
        config.oauth2(),
        config.warnings()
    );
    let mailer = sweep::send_and_print(&config, variant, |_| {}).await;
    for message in server.messages() {
        println!("{message:?}");
    }
    mailer.close_idle().await;
    server.shutdown().await;
}
