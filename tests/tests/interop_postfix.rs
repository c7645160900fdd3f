//! The `Mailer` against a real MTA: a private Postfix with Dovecot SASL (see
//! `mailconf_tests::postfix`), in every TLS mode, with failures that real servers produce
//! (wrong password, unknown CA, recipient refused at RCPT, a 4xx rate limit). Delivered mail is
//! read back from the Maildir and parsed with Python's `email` (policy=default).

use std::time::Duration;

use mailconf_core::MailConfig;
use mailconf_smtp::{Mailer, SendError, SmtpConfig, Stage};
use mailconf_tests::mime_check;
use mailconf_tests::postfix::{LOGIN, PASSWORD, Postfix};

const WAIT: Duration = Duration::from_secs(20);

#[derive(Clone, Copy, Debug)]
enum Listener {
    Plain,
    Submission,
    Submissions,
    RateLimited,
}

/// Settings for `listener`, speaking `security` ("plain", "starttls" or "implicit"), with
/// `extra` settings on top.
fn config(
    postfix: &Postfix,
    listener: Listener,
    security: &str,
    extra: &[(&str, &str)],
) -> SmtpConfig {
    let ports = postfix.ports();
    let port = match listener {
        Listener::Plain => ports.plain,
        Listener::Submission => ports.submission,
        Listener::Submissions => ports.submissions,
        Listener::RateLimited => ports.rate_limited,
    };
    let (starttls, ssl_tls) = match security {
        "starttls" => ("true", "false"),
        "implicit" => ("false", "true"),
        _ => ("false", "false"),
    };
    let mut map: Vec<(String, String)> = [
        ("MAIL_SERVER", "127.0.0.1".to_owned()),
        ("MAIL_PORT", port.to_string()),
        ("MAIL_STARTTLS", starttls.to_owned()),
        ("MAIL_SSL_TLS", ssl_tls.to_owned()),
        ("MAIL_USERNAME", LOGIN.to_owned()),
        ("MAIL_PASSWORD", PASSWORD.to_owned()),
        ("MAIL_FROM", LOGIN.to_owned()),
        ("MAIL_FROM_NAME", "김민준 앱".to_owned()),
        ("MAIL_CA_FILE", postfix.ca_file().display().to_string()),
        ("TIMEOUT", "10s".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    if security == "plain" {
        map.push(("USE_CREDENTIALS".to_owned(), "false".to_owned()));
    }
    for (k, v) in extra {
        map.retain(|(key, _)| key != k);
        map.push(((*k).to_owned(), (*v).to_owned()));
    }
    SmtpConfig::from_map(map).unwrap_or_else(|e| panic!("{e:?}"))
}

async fn send_korean(mailer: &Mailer, to: &str) -> Result<mailconf_smtp::SendReport, SendError> {
    let message = mailer
        .message()
        .to(format!("수신자 <{to}>").parse().unwrap())
        .subject("안녕하세요, 설정 확인 메일입니다")
        .body("이 메일은 mailconf 테스트입니다.\n한국어 본문이 깨지지 않아야 합니다.\n".to_owned())
        .unwrap();
    mailer.send(message).await
}

/// A message sent by `Mailer` in `security` mode arrives in the Maildir, well-formed.
async fn delivers(listener: Listener, security: &str) {
    let Some(postfix) = Postfix::shared() else {
        return;
    };
    let mailer = Mailer::new(&config(postfix, listener, security, &[])).unwrap();
    let to = postfix.new_inbox(security);
    let report = send_korean(&mailer, &to)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", postfix.log()));
    assert_eq!(report.code(), 250, "{}", report.reply());
    assert!(report.reply().contains("queued as"), "{}", report.reply());

    let raw = postfix
        .wait_for_message(&to, WAIT)
        .unwrap_or_else(|| panic!("nothing delivered to {to}\n{}", postfix.log()));
    let text = String::from_utf8_lossy(&raw);
    if security == "plain" {
        assert!(!text.contains("Authenticated sender"), "{text}");
    } else {
        // Postfix records the TLS session and the SASL login in its Received header.
        assert!(text.contains("(using TLS"), "{text}");
    }
    let Some(parsed) = mime_check::parse(&raw) else {
        return;
    };
    parsed.assert_well_formed();
    assert_eq!(
        parsed.header("Subject"),
        Some("안녕하세요, 설정 확인 메일입니다")
    );
    assert_eq!(
        parsed.header("From"),
        Some(format!("김민준 앱 <{LOGIN}>").as_str())
    );
    assert_eq!(parsed.header("To"), Some(format!("수신자 <{to}>").as_str()));
    assert_eq!(parsed.header("Message-ID"), report.message_id());
    let body = parsed.plain_parts().next().and_then(|p| p.text.clone());
    assert_eq!(
        body.as_deref(),
        Some("이 메일은 mailconf 테스트입니다.\n한국어 본문이 깨지지 않아야 합니다.\n")
    );
}

#[tokio::test]
async fn mailer_delivers_through_submission_with_starttls() {
    delivers(Listener::Submission, "starttls").await;
}

#[tokio::test]
async fn mailer_delivers_through_submissions_with_implicit_tls() {
    delivers(Listener::Submissions, "implicit").await;
}

#[tokio::test]
async fn mailer_delivers_through_plain_smtp_without_login() {
    delivers(Listener::Plain, "plain").await;
}

#[tokio::test]
async fn a_wrong_password_fails_at_auth_with_535() {
    let Some(postfix) = Postfix::shared() else {
        return;
    };
    let extra = [("MAIL_PASSWORD", "not-the-password")];
    let mailer = Mailer::new(&config(postfix, Listener::Submission, "starttls", &extra)).unwrap();
    let to = postfix.new_inbox("wrong-password");
    let error = send_korean(&mailer, &to).await.unwrap_err();
    assert_eq!(error.stage(), Stage::Auth, "{error}");
    assert_eq!(error.code(), Some(535), "{error}");
    assert!(error.is_permanent(), "{error}");
    assert!(error.hint().is_some_and(|h| !h.is_empty()), "{error}");
    assert!(!error.to_string().contains("not-the-password"), "{error}");
    assert_eq!(postfix.message_count(&to), 0);
    // The connection test fails the same way.
    let error = mailer.test_connection().await.unwrap_err();
    assert_eq!(
        (error.stage(), error.code()),
        (Stage::Auth, Some(535)),
        "{error}"
    );
}

#[tokio::test]
async fn a_ca_that_did_not_sign_the_certificate_fails_at_tls() {
    let Some(postfix) = Postfix::shared() else {
        return;
    };
    let untrusted = postfix.untrusted_ca_file().display().to_string();
    for (listener, security) in [
        (Listener::Submission, "starttls"),
        (Listener::Submissions, "implicit"),
    ] {
        let extra = [("MAIL_CA_FILE", untrusted.as_str())];
        let mailer = Mailer::new(&config(postfix, listener, security, &extra)).unwrap();
        let error = mailer.test_connection().await.unwrap_err();
        assert_eq!(error.stage(), Stage::Tls, "{security}: {error}");
        assert!(
            error.message().contains("invalid peer certificate"),
            "{error}"
        );
        assert!(
            error.hint().is_some_and(|h| h.contains("MAIL_CA_FILE")),
            "{error}"
        );
    }
}

#[tokio::test]
async fn an_unknown_recipient_is_refused_at_rcpt_with_550() {
    let Some(postfix) = Postfix::shared() else {
        return;
    };
    let mailer = Mailer::new(&config(postfix, Listener::Submission, "starttls", &[])).unwrap();
    let error = send_korean(&mailer, "nobody@example.test")
        .await
        .unwrap_err();
    assert_eq!(error.stage(), Stage::Rcpt, "{error}");
    assert_eq!(error.code(), Some(550), "{error}");
    assert!(error.is_permanent());
    assert_eq!(error.attempts(), 1, "a 5xx is not retried");
    assert!(
        error
            .message()
            .contains("User unknown in virtual mailbox table"),
        "{error}"
    );
    // The session is still good for the next message.
    let to = postfix.new_inbox("after-rcpt");
    send_korean(&mailer, &to)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(postfix.wait_for_message(&to, WAIT).is_some());
}

#[tokio::test]
async fn the_rate_limit_gives_a_temporary_refusal_that_is_retried() {
    let Some(postfix) = Postfix::shared() else {
        return;
    };
    let mailer = Mailer::new(&config(postfix, Listener::RateLimited, "plain", &[])).unwrap();
    let to = postfix.new_inbox("rate");
    send_korean(&mailer, &to)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // One message per client per hour on this listener: the second gets 450 at MAIL FROM.
    let error = send_korean(&mailer, &to).await.unwrap_err();
    assert_eq!(error.stage(), Stage::MailFrom, "{error}");
    assert_eq!(error.code(), Some(450), "{error}");
    assert!(!error.is_permanent(), "{error}");
    assert_eq!(error.attempts(), 3, "a 4xx is retried: {error}");
    assert!(error.message().contains("too much mail"), "{error}");
    assert!(postfix.wait_for_message(&to, WAIT).is_some());
    assert_eq!(postfix.message_count(&to), 1);
}

/// A templated `Email` (TEMPLATE_FOLDER: the fastapi-mail-style fixture folder) delivered by
/// Postfix arrives as multipart/alternative that Python's `email` reads without defects, its
/// parts as Jinja2 renders the templates.
#[tokio::test]
async fn a_templated_email_arrives_through_postfix() {
    let Some(postfix) = Postfix::shared() else {
        return;
    };
    let folder = mailconf_tests::jinja2::fixture_folder();
    let folder_setting = folder.display().to_string();
    let extra = [("TEMPLATE_FOLDER", folder_setting.as_str())];
    let mailer = Mailer::new(&config(postfix, Listener::Submission, "starttls", &extra)).unwrap();
    let to = postfix.new_inbox("template");
    let data = serde_json::json!({
        "app_name": "과일가게", "order_id": "P-1",
        "customer": {"name": "김민준", "login": "minjun"},
        "items": [{"name": "사과 <특>", "qty": 2}, {"name": "배", "qty": 1}],
        "note": "<script>alert(1)</script>", "link": "https://example.com/o/1",
    });
    let email = mailconf_smtp::Email::new()
        .to(format!("수신자 <{to}>").as_str())
        .template("emails/order.html", &data);
    mailer
        .send_email(email)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", postfix.log()));
    let raw = postfix
        .wait_for_message(&to, WAIT)
        .unwrap_or_else(|| panic!("nothing delivered to {to}\n{}", postfix.log()));
    let Some(parsed) = mime_check::parse_templated(&raw, "김민준님, 주문 P-1 확인") else {
        return;
    };
    let Some(html) =
        mailconf_tests::jinja2::render(&folder, "emails/order.html", &["base.html"], &data)
    else {
        return;
    };
    assert_eq!(parsed.parts[2].text.as_deref(), Some(html.output.as_str()));
}
