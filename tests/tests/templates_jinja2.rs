//! Templates (`TEMPLATE_FOLDER`) render exactly as Python's Jinja2 renders them: a folder of
//! fastapi-mail-style templates (a base layout with `{% extends %}`, loops, filters, a list as
//! `body`) compared byte for byte; data holding `<script>` escaped; a missing variable an error
//! naming it; a syntax error reported with file and line when the templates load; and a
//! templated message arriving at the dev server as multipart/alternative without defects.

use std::time::Duration;

use mailconf_core::MailConfig;
use mailconf_smtp::dev_server::{DevServer, DevTls};
use mailconf_smtp::email::Email;
use mailconf_smtp::templates::{TemplateError, Templates};
use mailconf_smtp::{Mailer, MailerError, SmtpConfig};
use mailconf_tests::{jinja2, mime_check};
use serde_json::{Value, json};

fn order_data() -> Value {
    json!({
        "app_name": "김씨네 과일가게",
        "order_id": "A-1004",
        "customer": {"name": "김민준", "login": "kim min-jun"},
        "items": [
            {"name": "사과 & 배 <세트>", "qty": 2},
            {"name": "\"제철\" 귤", "qty": 1},
            {"name": "O'Brien's 잼", "qty": 3},
        ],
        "note": "<script>alert('x')</script> 문 앞에 / 두세요",
        "link": "https://example.com/orders/A-1004?a=1&b=2",
    })
}

fn digest_data() -> Value {
    json!([
        {"title": "봄 신상품 소개", "author": "이서연"},
        {"title": "hello <b>world</b>"},
    ])
}

fn templates() -> Templates {
    Templates::from_folder(jinja2::fixture_folder()).unwrap_or_else(|e| panic!("{e}"))
}

/// Python's subject block as mailconf gives it: entities decoded, on one line.
fn one_line(html_subject: &str) -> String {
    html_subject
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn html_templates_render_as_jinja2_renders_them() {
    let templates = templates();
    for (name, data) in [
        ("emails/order.html", order_data()),
        ("emails/digest.html", digest_data()),
    ] {
        let Some(python) = jinja2::render(&jinja2::fixture_folder(), name, &["base.html"], &data)
        else {
            return;
        };
        let ours = templates
            .render_pair(Some(name), None, &data)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ours.html.as_deref(), Some(python.output.as_str()), "{name}");
        assert_eq!(
            ours.subject,
            python.subject.as_deref().map(one_line),
            "{name}"
        );
    }
}

#[test]
fn text_templates_are_not_html_escaped_as_in_jinja2() {
    let data = order_data();
    let Some(python) = jinja2::render(&jinja2::fixture_folder(), "emails/order.txt", &[], &data)
    else {
        return;
    };
    let ours = templates()
        .render_pair(None, Some("emails/order.txt"), &data)
        .unwrap();
    assert_eq!(ours.text, python.output);
    assert!(ours.text.contains("사과 & 배 <세트>"), "{}", ours.text);
}

#[test]
fn script_in_data_is_escaped_in_html() {
    let rendered = templates()
        .render("emails/order.html", &order_data())
        .unwrap();
    let html = rendered.html.unwrap();
    assert!(!html.contains("<script>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
        "{html}"
    );
    // The sibling emails/order.txt is the text part, unescaped.
    assert!(
        rendered.text.contains("<script>alert('x')</script>"),
        "{}",
        rendered.text
    );
    assert_eq!(
        rendered.subject.as_deref(),
        Some("김민준님, 주문 A-1004 확인")
    );
}

#[test]
fn a_missing_variable_is_an_error_naming_it_and_the_template() {
    let mut data = order_data();
    data["customer"].as_object_mut().unwrap().remove("name");
    let error = templates().render("emails/order.html", &data).unwrap_err();
    let TemplateError::Undefined { variable, name, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(variable, "customer.name", "{error}");
    assert_eq!(name, "emails/order.html", "{error}");
    assert!(error.to_string().contains("customer.name"), "{error}");

    let error = templates()
        .render("emails/digest.html", &json!({"x": 1}))
        .unwrap_err();
    assert!(error.to_string().contains("`body`"), "{error}");
    let error = templates()
        .render("emails/digest.html", &json!("text"))
        .unwrap_err();
    assert!(matches!(error, TemplateError::Data { .. }), "{error}");
    let error = templates()
        .render("emails/nope.html", &json!({}))
        .unwrap_err();
    assert!(error.to_string().contains("emails/order.html"), "{error}");
}

#[test]
fn a_syntax_error_stops_loading_with_file_and_line() {
    let folder = jinja2::fixture_folder().join("../broken");
    let error = Templates::from_folder(&folder).unwrap_err();
    let TemplateError::Syntax { name, line, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!((name.as_str(), *line), ("bad.html", 4), "{error}");
    // Through the settings: the Mailer does not start.
    let config = SmtpConfig::from_map(
        mailconf_tests::dev_settings::plain_dev_settings(2525)
            .into_iter()
            .chain([("TEMPLATE_FOLDER", folder.display().to_string())]),
    )
    .unwrap();
    let error = Mailer::new(&config).unwrap_err();
    assert!(
        matches!(error, MailerError::Templates(TemplateError::Syntax { .. })),
        "{error}"
    );
    assert!(error.to_string().contains("bad.html line 4"), "{error}");
}

#[tokio::test]
async fn a_templated_email_arrives_as_multipart_alternative() {
    let server = DevServer::builder()
        .tls(DevTls::None)
        .start()
        .await
        .unwrap();
    let folder = jinja2::fixture_folder();
    let config = SmtpConfig::from_map(
        mailconf_tests::dev_settings::plain_dev_settings(server.port())
            .into_iter()
            .chain([("TEMPLATE_FOLDER", folder.display().to_string())]),
    )
    .unwrap();
    let mailer = Mailer::new(&config).unwrap();
    let data = order_data();
    let email = Email::new()
        .to("김민준 <minjun@example.com>")
        .template("emails/order.html", &data);
    mailer
        .send_email(email)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let received = server.wait_for_messages(1, Duration::from_secs(10)).await;
    assert_eq!(received.len(), 1);
    server.shutdown().await;
    let Some(parsed) = mime_check::parse_templated(&received[0].data, "김민준님, 주문 A-1004 확인")
    else {
        return;
    };
    let Some(html) = jinja2::render(&folder, "emails/order.html", &["base.html"], &data) else {
        return;
    };
    let Some(text) = jinja2::render(&folder, "emails/order.txt", &[], &data) else {
        return;
    };
    assert_eq!(parsed.parts[1].text.as_deref(), Some(text.output.as_str()));
    assert_eq!(parsed.parts[2].text.as_deref(), Some(html.output.as_str()));
}
