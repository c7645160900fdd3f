//! `Email::inline_css` (feature `inline-css`): the `<style>` rules of an HTML body rendered from
//! a template end up in `style=` attributes of the message as Python's `email` reads it; what
//! cannot be inlined (`@media`, a linked stylesheet) is kept, never fetched.

use mailconf_smtp::email::Email;
use mailconf_smtp::templates::Templates;
use mailconf_tests::mime_check;
use serde_json::json;

const LAYOUT: &str = "<html><head>\
    <link rel=\"stylesheet\" href=\"https://cdn.example.com/mail.css\">\
    <style>h1 { color: #1a73e8 } .button { background: #06c; color: #fff }\
    @media (max-width: 600px) { h1 { font-size: 18px } }</style></head>\
    <body><h1>{{ name }}님, 환영합니다</h1>\
    <a class=\"button\" href=\"{{ link }}\">시작하기</a></body></html>";

fn welcome(inline: bool) -> Email {
    let templates = Templates::from_sources([("welcome.html", LAYOUT)]).unwrap();
    let email = Email::new()
        .to("김민준 <minjun@example.com>")
        .subject("환영합니다")
        .template(
            "welcome.html",
            &json!({"name": "김민준", "link": "https://example.com/s"}),
        );
    let email = if inline { email.inline_css() } else { email };
    email.render(Some(&templates)).unwrap()
}

/// The HTML part of `email` as Python's `email` reads it, or `None` when Python is missing.
fn html_part(email: Email) -> Option<String> {
    let from = "App <app@example.com>".parse().unwrap();
    let message = email.build(from, "<1@example.com>").unwrap();
    let parsed = mime_check::parse(&message.formatted())?;
    parsed.assert_well_formed();
    let html = parsed
        .parts
        .iter()
        .find(|p| p.content_type == "text/html")
        .and_then(|p| p.text.clone());
    Some(html.unwrap_or_else(|| panic!("no HTML part: {parsed:?}")))
}

#[test]
fn style_rules_of_a_rendered_template_become_style_attributes() {
    let Some(html) = html_part(welcome(true)) else {
        return;
    };
    assert!(
        html.contains("<h1 style=\"color: #1a73e8;\">김민준님, 환영합니다</h1>"),
        "{html}"
    );
    assert!(
        html.contains("class=\"button\" href=\"https://example.com/s\" style=\"background: #06c;color: #fff;\"")
            || html.contains("style=\"background: #06c; color: #fff;\""),
        "{html}"
    );
    // Kept as they were: the media query in a <style>, the link unfetched.
    assert!(html.contains("@media (max-width: 600px)"), "{html}");
    assert!(
        html.contains("<link rel=\"stylesheet\" href=\"https://cdn.example.com/mail.css\">"),
        "{html}"
    );
}

#[test]
fn without_the_option_the_html_is_left_as_rendered() {
    let Some(html) = html_part(welcome(false)) else {
        return;
    };
    assert!(html.contains("<h1>김민준님, 환영합니다</h1>"), "{html}");
    assert!(!html.contains("style=\""), "{html}");
}

#[test]
fn a_rule_that_does_not_parse_is_left_out_as_a_browser_leaves_it_out() {
    // CSS's own error handling (a browser skips the rule and reads on): the valid rule before
    // it is still inlined, and the message is built.
    let message = Email::new()
        .to("minjun@example.com")
        .html("<style>p { color: #c00; } q[ { x }</style><p>경고</p>")
        .inline_css()
        .build("app@example.com".parse().unwrap(), "<1@example.com>")
        .unwrap_or_else(|e| panic!("{e}"));
    let Some(parsed) = mime_check::parse(&message.formatted()) else {
        return;
    };
    let html = parsed
        .parts
        .iter()
        .find_map(|p| p.text.as_deref().filter(|_| p.content_type == "text/html"))
        .unwrap_or_else(|| panic!("{parsed:?}"));
    assert!(
        html.contains("<p style=\"color: #c00;\">경고</p>"),
        "{html}"
    );
}
