//! Secret sweep for the OAuth2 settings: a client secret and a refresh token, set through the
//! environment or `_FILE` variables, and every access token the test endpoint issues, must not
//! appear in anything the library prints or logs (TRACE, `log` records included).
//!
//! As `secret_sweep.rs`: each case runs in a child process (this test binary again, running
//! `oauth2_sweep_child`) that loads `SmtpConfig`, prints its `Debug`, warnings and errors, sends
//! through a `Mailer` logging in with XOAUTH2 to a dev server that checks the bearer against a
//! loopback `TokenEndpoint` (accepted, or refused: wrong secret, revoked token), and the parent
//! searches the whole output for the secrets raw and base64-encoded, and for any issued token
//! (they all start with `TokenEndpoint::TOKEN_PREFIX`).

use std::net::Ipv4Addr;
use std::process::{Command, Output};

use mailconf_core::{MailConfig, Sources};
use mailconf_smtp::dev_server::{DevServer, DevTls, TokenEndpoint};
use mailconf_smtp::{Mailer, SmtpConfig, SmtpSettings};
use mailconf_tests::ports::free_ports;

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
    let ports = free_ports(CASES.len());
    let outputs: Vec<(String, Output)> = std::thread::scope(|scope| {
        let handles: Vec<_> = CASES
            .iter()
            .zip(&ports)
            .map(|(&(grant, variant), &port)| {
                let dir = dir.path();
                scope.spawn(move || {
                    let case = format!("{grant}/{variant}");
                    let mut command = Command::new(std::env::current_exe().unwrap());
                    command
                        .args([
                            "--exact",
                            "oauth2_sweep_child",
                            "--nocapture",
                            "--test-threads=1",
                        ])
                        .env_clear()
                        .env("MAILCONF_OAUTH2_SWEEP", &case)
                        .env("MAILCONF_SWEEP_PORT", port.to_string())
                        .env("MAILCONF_SWEEP_DIR", dir);
                    if let Ok(path) = std::env::var("PATH") {
                        command.env("PATH", path);
                    }
                    (case, command.output().unwrap())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let forms = forbidden_forms();
    for (case, output) in outputs {
        let all = format!(
            "{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            output.status.success() && all.contains(DONE),
            "{case}: the child failed:\n{all}"
        );
        for (what, form) in &forms {
            if let Some(at) = all.find(form.as_str()) {
                let start = at.saturating_sub(300);
                let start = (0..=start)
                    .rev()
                    .find(|i| all.is_char_boundary(*i))
                    .unwrap_or(0);
                panic!(
                    "{case}: {what} ({form}) is in the output:\n...{}",
                    &all[start..(at + 100).min(all.len())]
                );
            }
        }
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
        for offset in 0..3 {
            let mut bytes = vec![0u8; offset];
            bytes.extend_from_slice(text.as_bytes());
            let encoded = base64(&bytes);
            let skip = if offset == 0 { 0 } else { 4 };
            let keep = (offset + text.len()) / 3 * 4;
            forms.push((what, encoded[skip..keep].to_owned()));
        }
    }
    forms
}

fn base64(input: &[u8]) -> String {
    use lettre::message::Body;
    use lettre::message::header::ContentTransferEncoding;
    let body = Body::new_with_encoding(input.to_vec(), ContentTransferEncoding::Base64).unwrap();
    String::from_utf8(body.into_vec())
        .unwrap()
        .replace("\r\n", "")
}

/// The child's side: does nothing unless started by the parent.
#[test]
fn oauth2_sweep_child() {
    let Ok(case) = std::env::var("MAILCONF_OAUTH2_SWEEP") else {
        return;
    };
    tracing_log::LogTracer::init().unwrap();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(std::io::stdout)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(sweep(&case));
    println!("{DONE}");
}

async fn sweep(case: &str) {
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
            // A sidecar's token: the one the endpoint issues to the refresh token.
            let token_file = dir.join(format!("token-{port}"));
            let token = token_for(&endpoint).await;
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
    let mailer = Mailer::new(&config).unwrap();
    println!("{mailer:?}");
    let message = mailer
        .verification_email("New <new@example.net>", "Sweep", "https://example.com/c")
        .unwrap();
    match mailer.send(message).await {
        Ok(report) => {
            assert_eq!(variant, "Ok");
            println!("{report:?}");
        }
        Err(err) => {
            assert_eq!(variant, "Wrong", "{err}");
            println!("{err}\n{err:#?}\n{:?}", err.hint());
        }
    }
    match mailer.test_connection().await {
        Ok(()) => println!("connection test passed"),
        Err(err) => println!("{err}\n{err:?}"),
    }
    for message in server.messages() {
        println!("{message:?}");
    }
    mailer.close_idle().await;
    server.shutdown().await;
}

/// A token from the endpoint, as a sidecar would fetch it, for the token file case.
async fn token_for(endpoint: &TokenEndpoint) -> String {
    use std::io::{Read, Write};
    let body = format!(
        "grant_type=refresh_token&client_id={CLIENT_ID}&refresh_token={}",
        url_encode(REFRESH)
    );
    let addr = endpoint
        .url()
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let answer = tokio::task::spawn_blocking(move || {
        let mut tcp = std::net::TcpStream::connect(addr).unwrap();
        write!(
            tcp,
            "POST /token HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        tcp.read_to_string(&mut answer).unwrap();
        answer
    })
    .await
    .unwrap();
    let json: serde_json::Value =
        serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    json["access_token"].as_str().unwrap().to_owned()
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
