//! `Mailer::verification_email` on the template engine: the default templates shipped in
//! mailconf-smtp render (Korean included) into well-formed MIME as Python's `email` reads it;
//! a `verification_email.html` in `TEMPLATE_FOLDER` replaces them; a broken one stops the
//! start-up with its file and line.

use std::path::Path;
use std::time::Duration;

use mailconf_core::MailConfig;
use mailconf_smtp::dev_server::{DevServer, DevTls};
use mailconf_smtp::{Mailer, MailerError, SmtpConfig, TemplateError};
use mailconf_tests::mime_check;

fn config(port: u16, folder: Option<&Path>) -> SmtpConfig {
    SmtpConfig::from_map(
        mailconf_tests::dev_settings::plain_dev_settings(port)
            .into_iter()
            .chain(folder.map(|f| ("TEMPLATE_FOLDER", f.display().to_string()))),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Sends the verification email to 김서연 for 쇼핑몰 and returns what Python's `email` read.
async fn sent(folder: Option<&Path>) -> Option<mime_check::Parsed> {
    let server = DevServer::builder()
        .tls(DevTls::None)
        .start()
        .await
        .unwrap();
    let mailer = Mailer::new(&config(server.port(), folder)).unwrap_or_else(|e| panic!("{e}"));
    let message = mailer
        .verification_email(
            "김서연 <seoyeon@example.org>",
            "쇼핑몰 & <Co>",
            "https://example.com/c?t=1&u=2",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    mailer.send(message).await.unwrap_or_else(|e| panic!("{e}"));
    let received = server.wait_for_messages(1, Duration::from_secs(10)).await;
    assert_eq!(received.len(), 1);
    let parsed = mime_check::parse(&received[0].data)?;
    parsed.assert_well_formed();
    Some(parsed)
}

fn part<'a>(parsed: &'a mime_check::Parsed, content_type: &str) -> &'a str {
    parsed
        .parts
        .iter()
        .find(|p| p.content_type == content_type)
        .and_then(|p| p.text.as_deref())
        .unwrap_or_else(|| panic!("no {content_type} part in {parsed:?}"))
}

#[tokio::test]
async fn the_default_template_renders_korean_into_well_formed_mime() {
    let Some(parsed) = sent(None).await else {
        return;
    };
    assert_eq!(parsed.parts[0].content_type, "multipart/alternative");
    assert_eq!(
        parsed.header("Subject"),
        Some("Confirm your email for 쇼핑몰 & <Co>")
    );
    let text = part(&parsed, "text/plain");
    assert!(text.starts_with("Hello 김서연,\n"), "{text}");
    assert!(text.contains("for 쇼핑몰 & <Co> by opening"), "{text}");
    assert!(text.contains("\nhttps://example.com/c?t=1&u=2\n"), "{text}");
    let html = part(&parsed, "text/html");
    assert!(html.contains("<p>Hello 김서연,</p>"), "{html}");
    assert!(html.contains("쇼핑몰 &amp; &lt;Co&gt;"), "{html}");
    assert!(
        html.contains("<a href=\"https://example.com/c?t=1&amp;u=2\">"),
        "{html}"
    );
}

#[tokio::test]
async fn an_html_override_in_template_folder_replaces_the_default() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("verification_email.html"),
        "<html><head><title>{% block subject %}{{ app_name }} 이메일 인증{% endblock %}</title></head>\n\
         <body><p>{{ name }}님, 안녕하세요.</p>\n\
         <p><a href=\"{{ link }}\">{{ email }} 주소 확인하기</a></p></body></html>\n",
    )
    .unwrap();
    // Another template of the folder is not mistaken for it.
    std::fs::write(folder.path().join("welcome.html"), "<p>{{ x }}</p>").unwrap();
    let Some(parsed) = sent(Some(folder.path())).await else {
        return;
    };
    assert_eq!(parsed.parts[0].content_type, "multipart/alternative");
    assert_eq!(parsed.header("Subject"), Some("쇼핑몰 & <Co> 이메일 인증"));
    let html = part(&parsed, "text/html");
    assert!(html.contains("<p>김서연님, 안녕하세요.</p>"), "{html}");
    assert!(
        html.contains(
            "<a href=\"https://example.com/c?t=1&amp;u=2\">seoyeon@example.org 주소 확인하기</a>"
        ),
        "{html}"
    );
    assert!(!html.contains("Confirm my email address"), "{html}");
    // No verification_email.txt in the folder: the text part comes from the override's HTML,
    // not from the default text.
    let text = part(&parsed, "text/plain");
    assert!(text.contains("김서연님, 안녕하세요."), "{text}");
    assert!(!text.contains("Please confirm"), "{text}");
}

#[tokio::test]
async fn a_text_override_alone_makes_a_text_email_with_the_default_subject() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("verification_email.txt"),
        "{{ name }}님, {{ app_name }} 가입을 확인하려면 여기를 여세요: {{ link }}\n",
    )
    .unwrap();
    let Some(parsed) = sent(Some(folder.path())).await else {
        return;
    };
    assert_eq!(parsed.parts.len(), 1, "{parsed:?}");
    assert_eq!(
        parsed.header("Subject"),
        Some("Confirm your email for 쇼핑몰 & <Co>")
    );
    assert_eq!(
        part(&parsed, "text/plain"),
        "김서연님, 쇼핑몰 & <Co> 가입을 확인하려면 여기를 여세요: https://example.com/c?t=1&u=2"
    );
}

/// The mailer's start-up error for a folder holding `verification_email.html` = `source`.
fn start_up_error(source: &str) -> MailerError {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("verification_email.html"), source).unwrap();
    Mailer::new(&config(2525, Some(folder.path()))).unwrap_err()
}

#[test]
fn a_broken_override_stops_the_start_up_with_file_and_line() {
    let error = start_up_error("<p>Hello {{ name }},</p>\n<p>{{ link }</p>\n");
    let MailerError::Templates(TemplateError::Syntax { name, line, .. }) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(
        (name.as_str(), *line),
        ("verification_email.html", 2),
        "{error}"
    );
    assert!(
        error.to_string().contains("verification_email.html line 2"),
        "{error}"
    );

    // It parses, but uses a variable the verification email does not give: also at start-up,
    // not at the first sign-up.
    let error = start_up_error("<p>Hello {{ name }},</p>\n<p>{{ user.first_name }}</p>\n");
    let MailerError::Templates(TemplateError::Undefined {
        variable,
        name,
        line,
    }) = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(
        (variable.as_str(), name.as_str(), *line),
        ("user.first_name", "verification_email.html", 2),
        "{error}"
    );
}
