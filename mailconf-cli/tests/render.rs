//! `mailconf render` and `mailconf send-test --template`: a fastapi-mail-style template folder
//! (tests/support/templates/fastapi) rendered with --data given inline or as @FILE, printed or
//! sent to the dev server as a well-formed multipart/alternative message.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use mailconf_smtp::dev_server::DevTls;
use mailconf_tests::mime_check;
use serde_json::Value;
use support::{Dev, STARTTLS, loopback, mailconf, stdout, stdout_with};

const LOGIN: &str = "sender@example.com";
const SECRET: &str = "Render-Pa55word-41c7";

fn folder() -> PathBuf {
    mailconf_tests::jinja2::fixture_folder()
}

const DATA: &str = r#"{"app_name": "과일가게", "order_id": "A-7", "customer": {"name": "김민준", "login": "minjun"},
 "items": [{"name": "사과", "qty": 2}], "note": "<script>x</script>", "link": "https://example.com/o/7"}"#;

#[test]
fn render_prints_subject_text_and_html() {
    let text = stdout_with(
        mailconf().env("TEMPLATE_FOLDER", folder()).args([
            "render",
            "emails/order.html",
            "--data",
            DATA,
        ]),
        0,
    );
    assert!(
        text.starts_with("Subject: 김민준님, 주문 A-7 확인\n"),
        "{text}"
    );
    assert!(
        text.contains("----- text -----\n김민준님, 주문 A-7을(를) 확인했습니다."),
        "{text}"
    );
    assert!(text.contains("----- HTML -----\n<!DOCTYPE html>"), "{text}");
    assert!(text.contains("&lt;script&gt;x&lt;/script&gt;"), "{text}");

    // --data @FILE, --folder, --json.
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join("data.json");
    std::fs::write(&data_file, r#"[{"title": "첫 글", "author": "이서연"}]"#).unwrap();
    let out = mailconf()
        .args(["--json", "render", "emails/digest.html", "--folder"])
        .arg(folder())
        .arg("--data")
        .arg(format!("@{}", data_file.display()))
        .output()
        .unwrap();
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["ok"], true, "{json}");
    assert_eq!(json["subject"], "오늘의 글 1편");
    assert!(
        json["html"]
            .as_str()
            .unwrap()
            .contains("<li>첫 글 &mdash; 이서연</li>"),
        "{json}"
    );
    assert!(json["text"].as_str().unwrap().contains("첫 글"), "{json}");
}

#[test]
fn render_reports_a_missing_variable_and_bad_data() {
    // The --data given (none: TEMPLATE_FOLDER unset too) and what the error says.
    let cases = [
        (
            Some(r#"{"app_name": "x"}"#),
            "undefined variable `customer.name`",
        ),
        (Some("{not json"), "--data is not JSON"),
        (None, "TEMPLATE_FOLDER"),
    ];
    for (data, needle) in cases {
        let mut cmd = mailconf();
        cmd.args(["render", "emails/order.html"]);
        match data {
            Some(data) => cmd.env("TEMPLATE_FOLDER", folder()).args(["--data", data]),
            None => cmd.env_remove("TEMPLATE_FOLDER"),
        };
        let out = cmd.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(needle), "{err}");
    }
}

#[test]
fn send_test_sends_a_template() {
    let dev = Dev::start(DevTls::StartTls, LOGIN, SECRET);
    let (runtime, server, ca) = (&dev.runtime, &dev.server, &dev.ca_file);
    let mut cmd = mailconf();
    loopback(&mut cmd, server.port(), LOGIN, SECRET)
        .envs(STARTTLS)
        .env("MAIL_CA_FILE", ca)
        .env("TIMEOUT", "10s")
        .env("TEMPLATE_FOLDER", folder())
        .args(["send-test", "--to", "김민준 <minjun@example.com>"])
        .args(["--template", "emails/order.html", "--data", DATA]);
    let out = cmd.output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let received = runtime.block_on(server.wait_for_messages(1, Duration::from_secs(10)));
    assert_eq!(received.len(), 1, "{text}");
    // Checked as it is parsed; nothing else to read from it here.
    let _ = mime_check::parse_templated(&received[0].data, "김민준님, 주문 A-7 확인");
}
