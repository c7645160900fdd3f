//! `mailconf send-test` sends well-formed MIME: with a Korean sender name, subject and
//! recipient name, what the dev server received parses with no defects in Python's `email`
//! (policy=default), declares UTF-8 text, and reads back as written. (Through Postfix:
//! interop_postfix.rs.)

use std::time::Duration;

use assert_cmd::Command;
use mailconf_smtp::dev_server::{DevServer, DevTls};
use mailconf_tests::mime_check;

const LOGIN: &str = "sender@example.com";
const SECRET: &str = "SendTest-Mime-Pa55-31f0";

#[test]
fn send_test_with_a_korean_sender_name_is_utf8_text() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime
        .block_on(
            DevServer::builder()
                .tls(DevTls::StartTls)
                .user(LOGIN, SECRET)
                .start(),
        )
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca = server.write_ca_file(dir.path()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mailconf"))
        .env_clear()
        .env("MAIL_SERVER", "127.0.0.1")
        .env("MAIL_PORT", server.port().to_string())
        .env("MAIL_STARTTLS", "true")
        .env("MAIL_SSL_TLS", "false")
        .env("MAIL_USERNAME", LOGIN)
        .env("MAIL_PASSWORD", SECRET)
        .env("MAIL_FROM", LOGIN)
        .env("MAIL_FROM_NAME", "김민준 쇼핑몰")
        .env("MAIL_CA_FILE", &ca)
        .env("TIMEOUT", "10s")
        .args([
            "send-test",
            "--to",
            "김서연 <seoyeon@example.org>",
            "--subject",
            "메일 설정 확인",
        ])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");

    let received = runtime.block_on(server.wait_for_messages(1, Duration::from_secs(10)));
    assert_eq!(received.len(), 1, "{text}");
    let Some(parsed) = mime_check::parse(&received[0].data) else {
        return;
    };
    parsed.assert_well_formed();
    assert_eq!(parsed.header("Subject"), Some("메일 설정 확인"));
    assert_eq!(
        parsed.header("From"),
        Some("김민준 쇼핑몰 <sender@example.com>")
    );
    assert_eq!(parsed.header("To"), Some("김서연 <seoyeon@example.org>"));
    let body = parsed
        .plain_parts()
        .next()
        .and_then(|p| p.text.clone())
        .unwrap();
    assert!(
        body.contains("Sender: 김민준 쇼핑몰 <sender@example.com>"),
        "{body}"
    );
}
