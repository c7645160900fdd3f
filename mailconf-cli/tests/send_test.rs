//! `mailconf send-test` as a real process: the message must arrive at the server the test
//! started (the dev server, aiosmtpd), well-formed MIME with a Korean sender name, subject and
//! recipient name (parsed with no defects by Python's `email`, policy=default; through Postfix:
//! interop_postfix.rs), and a refused login must fail at the auth stage.

mod support;

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;
use mailconf_smtp::dev_server::DevTls;
use mailconf_tests::aiosmtpd::{Aiosmtpd, Mode};
use mailconf_tests::mime_check;
use serde_json::Value;
use support::{Dev, IMPLICIT, STARTTLS, assert_has, loopback, mailconf, stdout, stdout_with};

const LOGIN: &str = "sender@example.com";
const SECRET: &str = "SendTest-Pa55word-90be";

/// `mailconf send-test` with the settings of a TLS server on 127.0.0.1:`port`.
fn send_test_command(port: u16, implicit: bool, ca: &Path, password: &str) -> Command {
    let mut cmd = mailconf();
    loopback(&mut cmd, port, LOGIN, password)
        .envs(if implicit { IMPLICIT } else { STARTTLS })
        .env("MAIL_FROM_NAME", "Send Test")
        .env("MAIL_CA_FILE", ca)
        .env("TIMEOUT", "10s")
        .arg("send-test");
    cmd
}

/// `mailconf send-test ARGS` with the settings of a TLS server on 127.0.0.1:`port`.
fn send_test(port: u16, implicit: bool, ca: &Path, password: &str, args: &[&str]) -> Output {
    send_test_command(port, implicit, ca, password)
        .args(args)
        .output()
        .unwrap()
}

/// `mailconf send-test --json` to x@example.org: the exit code and the JSON report.
fn send_test_json(port: u16, implicit: bool, ca: &Path, password: &str) -> (Option<i32>, Value) {
    let out = send_test(
        port,
        implicit,
        ca,
        password,
        &["--json", "--to", "x@example.org"],
    );
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

#[test]
fn dev_server_receives_the_test_message() {
    let dev = Dev::start(DevTls::StartTls, LOGIN, SECRET);
    let (runtime, server, ca) = (&dev.runtime, &dev.server, &dev.ca_file);

    let out = send_test(
        server.port(),
        false,
        ca,
        SECRET,
        &[
            "--to",
            "Zoë <zoe@example.org>",
            "--subject",
            "Hello from send-test",
        ],
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.starts_with("Sent to "), "{text}");
    assert!(text.contains("server reply: 250 "), "{text}");

    let received = runtime.block_on(server.wait_for_messages(1, Duration::from_secs(10)));
    assert_eq!(received.len(), 1, "{text}");
    let message = &received[0];
    assert_eq!(message.mail_from, LOGIN);
    assert_eq!(message.rcpt_to, ["zoe@example.org"]);
    assert_eq!(message.subject().as_deref(), Some("Hello from send-test"));
    assert_eq!(message.auth_user.as_deref(), Some(LOGIN));
    assert!(message.tls);
    let id = message.header("Message-ID").unwrap();
    assert!(
        text.contains(&format!("Message-ID: {id}")),
        "{id} in {text}"
    );

    let (code, v) = send_test_json(server.port(), false, ca, SECRET);
    assert_eq!(code, Some(0), "{v:#}");
    assert_eq!(
        (v["ok"].as_bool(), v["code"].as_u64()),
        (Some(true), Some(250)),
        "{v:#}"
    );
    assert!(
        v["message_id"].as_str().unwrap().ends_with("@example.com>"),
        "{v:#}"
    );
    let received = runtime.block_on(server.wait_for_messages(2, Duration::from_secs(10)));
    assert_eq!(
        received[1].subject().as_deref(),
        Some("mailconf test message")
    );
}

#[test]
fn a_refused_login_fails_at_the_auth_stage() {
    let dev = Dev::start(DevTls::Implicit, LOGIN, SECRET);
    let (server, ca) = (&dev.server, &dev.ca_file);
    let wrong = "Wrong-Pa55word-17aa";

    let (code, v) = send_test_json(server.port(), true, ca, wrong);
    assert_eq!(code, Some(1), "{v:#}");
    assert_eq!(
        (v["stage"].as_str(), v["code"].as_u64()),
        (Some("auth"), Some(535)),
        "{v:#}"
    );
    assert!(
        v["hint"].as_str().unwrap().contains("app password"),
        "{v:#}"
    );

    let out = send_test(server.port(), true, ca, wrong, &["--to", "x@example.org"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_has(&text, &["the login (AUTH) stage failed", "reply code: 535"]);
    assert!(!text.contains(wrong), "{text}");

    // In Korean: the same stage and code, the hint and verdict in Korean (issue 17); only the
    // server's own reply stays as the server wrote it.
    let korean = stdout_with(
        send_test_command(server.port(), true, ca, wrong)
            .env("MAILCONF_LANG", "ko")
            .args(["--to", "x@example.org"]),
        1,
    );
    assert_has(
        &korean,
        &[
            "로그인(AUTH) 단계에서 실패했습니다",
            "응답 코드: 535",
            "도움말: ",
        ],
    );
    assert!(!korean.contains(wrong), "{korean}");
    let ours: String = korean
        .lines()
        .filter(|line| !line.trim_start().starts_with("메시지:"))
        .collect::<Vec<_>>()
        .join("\n");
    let left = mailconf_tests::korean::english_left(&ours, &[]);
    assert!(left.is_empty(), "English left: {left:?}\n{korean}");
    assert!(server.messages().is_empty());
}

#[test]
fn a_bad_recipient_or_subject_is_a_usage_error() {
    let ca = Path::new("/nonexistent");
    for args in [
        &["--to", "not an address"][..],
        &["--to", "a@example.org", "--subject", "two\nlines"],
        &[],
    ] {
        let out = send_test(1, false, ca, SECRET, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stdout(&out));
    }
}

#[test]
fn aiosmtpd_receives_the_test_message_in_both_modes() {
    for (mode, implicit) in [(Mode::StartTls, false), (Mode::Implicit, true)] {
        let Some(server) = Aiosmtpd::start(mode, LOGIN, SECRET) else {
            return;
        };
        let out = send_test(
            server.port(),
            implicit,
            server.ca_file(),
            SECRET,
            &["--to", "rcpt@example.org", "--subject", "aiosmtpd check"],
        );
        assert_eq!(out.status.code(), Some(0), "{mode:?}: {}", stdout(&out));
        let received = server
            .next_message(Duration::from_secs(10))
            .expect("aiosmtpd received the message");
        assert_eq!(received.rcpt_tos, ["rcpt@example.org"]);
        assert_eq!(received.auth_user.as_deref(), Some(LOGIN));
        assert!(received.tls);
        assert!(
            received.data.contains("Subject: aiosmtpd check"),
            "{}",
            received.data
        );
    }
}

#[test]
fn send_test_with_a_korean_sender_name_is_utf8_text() {
    let dev = Dev::start(DevTls::StartTls, LOGIN, SECRET);
    let text = stdout_with(
        send_test_command(dev.port(), false, &dev.ca_file, SECRET)
            .env("MAIL_FROM_NAME", "김민준 쇼핑몰")
            .args([
                "--to",
                "김서연 <seoyeon@example.org>",
                "--subject",
                "메일 설정 확인",
            ]),
        0,
    );

    let received = dev
        .runtime
        .block_on(dev.server.wait_for_messages(1, Duration::from_secs(10)));
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
