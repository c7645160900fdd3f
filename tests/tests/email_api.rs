//! `Email`, mailconf's message API, end to end: built with Korean in every part, sent by the
//! `Mailer` to the dev server, and read back by Python's `email` (policy=default), an
//! independent strict parser: headers, recipients, parts, attachment names and bytes.

use std::time::Duration;

use mailconf_core::MailConfig;
use mailconf_smtp::dev_server::{DevServer, DevTls, ReceivedMessage};
use mailconf_smtp::email::{Attachment, Email, EmailError, Field};
use mailconf_smtp::{Mailer, SmtpConfig};
use mailconf_tests::mime_check;

const SUBJECT: &str = "3월 주문 내역 안내";
const TEXT: &str = "안녕하세요, 김민준 님.\n3월 주문 내역을 첨부합니다.\n";
const HTML: &str = "<p>안녕하세요, <b>김민준</b> 님.</p><p>3월 주문 내역을 첨부합니다.</p>\
                    <img src=\"cid:logo@example.com\" alt=\"로고\">";
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0x00,
];

async fn server_and_mailer(extra: &[(&str, &str)]) -> (DevServer, Mailer) {
    let server = DevServer::builder()
        .tls(DevTls::None)
        .start()
        .await
        .unwrap();
    let mut settings = mailconf_tests::dev_settings::plain_dev_settings(server.port());
    settings.push(("MAIL_FROM_NAME", "김민준 쇼핑몰".to_owned()));
    for (k, v) in extra {
        settings.push((k, (*v).to_owned()));
    }
    let config = SmtpConfig::from_map(settings).unwrap_or_else(|e| panic!("{e}"));
    (server, Mailer::new(&config).unwrap())
}

async fn send(server: &DevServer, mailer: &Mailer, email: Email) -> ReceivedMessage {
    let report = mailer
        .send_email(email)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.code(), 250);
    let mut received = server.wait_for_messages(1, Duration::from_secs(10)).await;
    assert_eq!(received.len(), 1);
    received.remove(0)
}

/// An email with Korean in every part: two To, a Cc, a Bcc, a Reply-To, subject, text, HTML
/// with an inline image, the file at `report` and a PDF attached, a custom header.
fn korean_email(report: &std::path::Path) -> Email {
    Email::new()
        .to([
            "김민준 <minjun@example.com>",
            "이서연 <seoyeon@example.org>",
        ])
        .cc("박지훈 <jihoon@example.net>")
        .bcc("감사팀 <audit@example.com>")
        .reply_to("고객센터 <help@example.com>")
        .subject(SUBJECT)
        .text(TEXT)
        .html(HTML)
        .inline("logo@example.com", Attachment::new("로고.png", PNG))
        .attach(Attachment::from_path(report))
        .attach(Attachment::new("영수증.bin", vec![0u8, 1, 2, 255]).content_type("application/pdf"))
        .header("X-Campaign", "봄 세일")
}

#[tokio::test]
async fn korean_in_every_part_arrives_well_formed() {
    let (server, mailer) = server_and_mailer(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    let report_path = dir.path().join("주문내역.csv");
    std::fs::write(&report_path, "상품,수량\n사과,3\n배,2\n").unwrap();
    // A header name must be ASCII: refused, naming the header.
    let refused = korean_email(&report_path).header("X-캠페인-Id", "x");
    let error = mailer.compose(refused).unwrap_err();
    assert!(
        matches!(&error, EmailError::Header { name, .. } if name == "X-캠페인-Id"),
        "{error}"
    );
    assert_eq!(error.field(), Some(Field::Header));

    let received = send(&server, &mailer, korean_email(&report_path)).await;
    assert_eq!(
        received.rcpt_to,
        [
            "minjun@example.com",
            "seoyeon@example.org",
            "jihoon@example.net",
            "audit@example.com"
        ]
    );
    let raw = String::from_utf8_lossy(&received.data);
    assert!(
        !raw.contains("audit@example.com"),
        "Bcc must not be written:\n{raw}"
    );
    assert_eq!(raw.matches("\r\nTo:").count(), 1, "one To header:\n{raw}");

    let Some(parsed) = mime_check::parse(&received.data) else {
        return;
    };
    parsed.assert_well_formed();
    assert_eq!(parsed.header("Subject"), Some(SUBJECT));
    assert_eq!(
        parsed.header("From"),
        Some("김민준 쇼핑몰 <app@example.com>")
    );
    assert_eq!(
        parsed.header("To"),
        Some("김민준 <minjun@example.com>, 이서연 <seoyeon@example.org>")
    );
    assert_eq!(parsed.header("Cc"), Some("박지훈 <jihoon@example.net>"));
    assert_eq!(
        parsed.header("Reply-To"),
        Some("고객센터 <help@example.com>")
    );
    assert_eq!(parsed.header("X-Campaign"), Some("봄 세일"));
    assert_eq!(parsed.header("Bcc"), None);
    let types: Vec<&str> = parsed
        .parts
        .iter()
        .map(|p| p.content_type.as_str())
        .collect();
    assert_eq!(
        types,
        [
            "multipart/mixed",
            "multipart/related",
            "multipart/alternative",
            "text/plain",
            "text/html",
            "image/png",
            "text/csv",
            "application/pdf"
        ]
    );
    assert_eq!(parsed.parts[3].text.as_deref(), Some(TEXT));
    assert_eq!(parsed.parts[4].text.as_deref(), Some(HTML));
    let logo = parsed.attachment("로고.png").expect("the inline image");
    assert_eq!(logo.content_id.as_deref(), Some("<logo@example.com>"));
    assert_eq!(logo.payload.as_deref(), Some(PNG));
    let csv = parsed
        .attachment("주문내역.csv")
        .expect("the CSV by its Korean name");
    assert_eq!(csv.charset.as_deref(), Some("utf-8"));
    assert_eq!(csv.text.as_deref(), Some("상품,수량\n사과,3\n배,2\n"));
    let bin = parsed.attachment("영수증.bin").expect("the PDF");
    assert_eq!(bin.payload.as_deref(), Some(&[0u8, 1, 2, 255][..]));
    server.shutdown().await;
}

/// Fuzz finding 8 (fuzz/corpus/message/regression-quoted-local-recipient-dropped): with lettre's builder,
/// adding a second recipient dropped a first one with a quoted local part. `Email` writes every
/// `To` recipient in one header and takes the envelope from the recipients as given. (The dev
/// server's SMTP parser refuses quoted local parts in `RCPT TO`; the delivery itself is tested
/// against aiosmtpd in interop_aiosmtpd.rs.)
#[tokio::test]
async fn a_quoted_local_part_and_a_second_recipient_are_both_kept() {
    let (server, mailer) = server_and_mailer(&[]).await;
    let email = Email::new()
        .to("\"quoted local\"@example.com")
        .to("김민준 <minjun@example.com>")
        .subject("두 수신자")
        .text("둘 다 받아야 합니다.");
    let message = mailer.compose(email).unwrap_or_else(|e| panic!("{e}"));
    let both = ["\"quoted local\"@example.com", "minjun@example.com"];
    let addresses: Vec<lettre::Address> = both.iter().map(|a| a.parse().unwrap()).collect();
    assert_eq!(message.envelope().to(), addresses);
    server.shutdown().await;
    let Some(parsed) = mime_check::parse(&message.formatted()) else {
        return;
    };
    parsed.assert_well_formed();
    assert_eq!(parsed.addresses("To"), both);
}

#[tokio::test]
async fn html_alone_gets_a_readable_text_alternative() {
    let (server, mailer) = server_and_mailer(&[]).await;
    let email = Email::new()
        .to("minjun@example.com")
        .subject("HTML만")
        .html("<h1>환영합니다</h1><p>가입을 <a href=\"https://example.com/c?t=1\">확인</a>해 주세요.</p>");
    let received = send(&server, &mailer, email).await;
    let Some(parsed) = mime_check::parse(&received.data) else {
        return;
    };
    parsed.assert_well_formed();
    assert_eq!(parsed.parts[0].content_type, "multipart/alternative");
    let text = parsed
        .plain_parts()
        .next()
        .and_then(|p| p.text.clone())
        .unwrap();
    assert!(text.contains("환영합니다"), "{text}");
    assert!(text.contains("https://example.com/c?t=1"), "{text}");
    assert!(!text.contains("<p>"), "{text}");
    server.shutdown().await;
}

#[test]
fn builder_errors_name_the_field() {
    let from = lettre::message::Mailbox::new(None, "app@example.com".parse().unwrap());
    let build = |email: Email| email.build(from.clone(), "<1@example.com>").unwrap_err();
    let cases: Vec<(Email, Field)> = vec![
        (Email::new().to("not an address").text("x"), Field::To),
        (
            Email::new().to("a@example.com").cc("@").text("x"),
            Field::Cc,
        ),
        (
            Email::new().to("a@example.com").bcc("a b@c").text("x"),
            Field::Bcc,
        ),
        (
            Email::new().to("a@example.com").reply_to("x").text("x"),
            Field::ReplyTo,
        ),
        (Email::new().text("x"), Field::To),
        (
            Email::new()
                .to("a@example.com")
                .subject("a\r\nBcc: x@example.com")
                .text("x"),
            Field::Subject,
        ),
        (
            Email::new()
                .to("a@example.com")
                .text("x")
                .attach(Attachment::from_path("/nonexistent/파일.pdf")),
            Field::Attachment,
        ),
        (
            Email::new()
                .to("a@example.com")
                .text("x")
                .inline("logo", Attachment::new("a.png", PNG)),
            Field::InlineImage,
        ),
        (
            Email::new()
                .to("a@example.com")
                .html("<img src=\"cid:other\">")
                .inline("logo", Attachment::new("a.png", PNG)),
            Field::InlineImage,
        ),
        (
            Email::new()
                .to("a@example.com")
                .text("x")
                .header("Subject", "again"),
            Field::Header,
        ),
        (
            Email::new()
                .to("a@example.com")
                .text("x")
                .header("X-Ok", "a\nb"),
            Field::Header,
        ),
    ];
    for (email, field) in cases {
        let error = build(email);
        assert_eq!(error.field(), Some(field), "{error}");
        assert!(!error.to_string().is_empty());
    }
    let error = build(
        Email::new()
            .to("a@example.com")
            .text("x")
            .attach(Attachment::from_path("/nonexistent/파일.pdf")),
    );
    assert!(
        error.to_string().contains("/nonexistent/파일.pdf"),
        "{error}"
    );
    assert!(matches!(
        build(Email::new().to("a@example.com")),
        EmailError::NoBody
    ));
}
