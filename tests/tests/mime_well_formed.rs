//! Every message `Mailer::send` sends is well-formed MIME, whoever built it: what the dev server
//! received is parsed with Python's `email` (policy=default), an independent strict reader,
//! with Korean in the sender's name, the subject and the body. (The same against Postfix's
//! Maildir: interop_postfix.rs; through `mailconf send-test`: mailconf-cli's tests.)

use std::time::Duration;

use lettre::Message;
use lettre::message::{MultiPart, SinglePart};
use mailconf_core::MailConfig;
use mailconf_smtp::dev_server::DevServer;
use mailconf_smtp::{Mailer, SmtpConfig, Stage};
use mailconf_tests::dev_settings::starttls_dev_server;
use mailconf_tests::mime_check;

const LOGIN: &str = "app@example.com";
const SECRET: &str = "Mime-Pa55word-7d2a";
const SUBJECT: &str = "비밀번호 재설정 안내";
const BODY: &str = "안녕하세요, 김민준 님.\n아래 링크로 비밀번호를 재설정하세요.\n";

async fn server_and_mailer() -> (DevServer, Mailer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (server, mut settings) = starttls_dev_server(LOGIN, SECRET, dir.path()).await;
    settings.extend([
        ("MAIL_FROM_NAME", "김민준 쇼핑몰".to_owned()),
        ("TIMEOUT", "10s".to_owned()),
    ]);
    let config = SmtpConfig::from_map(settings).unwrap_or_else(|e| panic!("{e}"));
    let mailer = Mailer::new(&config).unwrap();
    (server, mailer, dir)
}

/// Sends `message` and returns what Python's `email` read on the server's side, checked
/// well-formed (the property every test here is about); `None` when Python is missing.
async fn sent_and_parsed(
    server: &DevServer,
    mailer: &Mailer,
    message: Message,
) -> Option<mime_check::Parsed> {
    let report = mailer.send(message).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.code(), 250);
    let received = server.wait_for_messages(1, Duration::from_secs(10)).await;
    assert_eq!(received.len(), 1);
    let parsed = mime_check::parse(&received[0].data)?;
    parsed.assert_well_formed();
    Some(parsed)
}

/// A message from `mailer` to zoe@example.org with the Korean subject; a test adds the body.
fn to_zoe(mailer: &Mailer) -> lettre::message::MessageBuilder {
    mailer
        .message()
        .to("zoe@example.org".parse().unwrap())
        .subject(SUBJECT)
}

fn korean_text(parsed: &mime_check::Parsed) -> Option<String> {
    parsed.plain_parts().next().and_then(|p| p.text.clone())
}

#[tokio::test]
async fn a_string_body_from_mailer_message_is_utf8_text() {
    let (server, mailer, _dir) = server_and_mailer().await;
    let message = mailer
        .message()
        .to("수신자 <zoe@example.org>".parse().unwrap())
        .subject(SUBJECT)
        .body(BODY.to_owned())
        .unwrap();
    let Some(parsed) = sent_and_parsed(&server, &mailer, message).await else {
        return;
    };
    assert_eq!(parsed.header("Subject"), Some(SUBJECT));
    assert_eq!(
        parsed.header("From"),
        Some("김민준 쇼핑몰 <app@example.com>")
    );
    assert_eq!(korean_text(&parsed).as_deref(), Some(BODY));
}

#[tokio::test]
async fn a_bare_lettre_message_is_completed() {
    let (server, mailer, _dir) = server_and_mailer().await;
    // Built without the mailer: no Message-ID, no MIME-Version, no Content-Type.
    let message = Message::builder()
        .from("김민준 <app@example.com>".parse().unwrap())
        .to("zoe@example.org".parse().unwrap())
        .subject(SUBJECT)
        .body(BODY.repeat(40))
        .unwrap();
    let Some(parsed) = sent_and_parsed(&server, &mailer, message).await else {
        return;
    };
    assert_eq!(
        korean_text(&parsed).as_deref(),
        Some(BODY.repeat(40).as_str())
    );
}

#[tokio::test]
async fn a_long_line_is_encoded_not_sent_as_is() {
    let (server, mailer, _dir) = server_and_mailer().await;
    let line = format!("{}\n", "한국어 긴 줄 ".repeat(200));
    assert!(line.len() > 998);
    let message = to_zoe(&mailer).body(line.clone()).unwrap();
    let Some(parsed) = sent_and_parsed(&server, &mailer, message).await else {
        return;
    };
    assert_eq!(korean_text(&parsed).as_deref(), Some(line.as_str()));
}

#[tokio::test]
async fn multipart_and_single_parts_are_left_as_built() {
    let (server, mailer, _dir) = server_and_mailer().await;
    let message = to_zoe(&mailer)
        .multipart(MultiPart::alternative_plain_html(
            BODY.to_owned(),
            format!("<p>{BODY}</p>"),
        ))
        .unwrap();
    let Some(parsed) = sent_and_parsed(&server, &mailer, message).await else {
        return;
    };
    assert_eq!(parsed.parts[0].content_type, "multipart/alternative");
    assert_eq!(korean_text(&parsed).as_deref(), Some(BODY));

    let html = to_zoe(&mailer)
        .singlepart(SinglePart::html(format!("<p>{BODY}</p>")))
        .unwrap();
    mailer.send(html).await.unwrap();
    let received = server.wait_for_messages(2, Duration::from_secs(10)).await;
    let Some(parsed) = mime_check::parse(&received[1].data) else {
        return;
    };
    parsed.assert_well_formed();
    assert_eq!(parsed.parts[0].content_type, "text/html");
}

#[tokio::test]
async fn the_verification_email_is_well_formed() {
    let (server, mailer, _dir) = server_and_mailer().await;
    let message = mailer
        .verification_email(
            "김서연 <seoyeon@example.org>",
            "쇼핑몰",
            "https://example.com/c?t=1",
        )
        .unwrap();
    let Some(parsed) = sent_and_parsed(&server, &mailer, message).await else {
        return;
    };
    assert!(korean_text(&parsed).unwrap().contains("Hello 김서연,"));
}

#[tokio::test]
async fn a_pre_encoded_overlong_line_is_refused_before_sending() {
    use lettre::message::Body;
    use lettre::message::header::ContentTransferEncoding;

    let (server, mailer, _dir) = server_and_mailer().await;
    let body = Body::dangerous_pre_encoded(vec![b'a'; 1500], ContentTransferEncoding::Binary);
    let message = mailer
        .message()
        .to("zoe@example.org".parse().unwrap())
        .subject("long")
        .body(body)
        .unwrap();
    let error = mailer.send(message).await.unwrap_err();
    assert_eq!(error.stage(), Stage::Setup, "{error}");
    assert!(error.message().contains("998"), "{error}");
    assert_eq!(server.connections_total(), 0, "nothing may be sent");
}
