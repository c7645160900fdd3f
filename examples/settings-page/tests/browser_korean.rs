//! The page in a headless Chromium whose language is Korean (issue 17): labels, help texts,
//! the provider choice, validation errors and the connection-test diagnosis in Korean, no
//! English sentence left on the form, and the language switch (kept across a reload). The
//! connection test runs against mailconf's dev SMTP server on loopback.
//!
//! Headless Chromium here has no CJK font: the screenshots show boxes, so the test reads text.
//! Needs Debian's `chromium` and `chromium-driver`: SKIPPED without them, failing under CI.

mod common;

use common::browser::{
    assert_values, click, fill, open_page, press, screenshot, select, set, text, text_of, wait_for,
    wait_for_text,
};
use common::{PASSWORD, TOKEN};
use fantoccini::{Client, Locator};
use mailconf_tests::korean::{english_left, hangul};

async fn script(client: &Client, code: &str) -> serde_json::Value {
    client.execute(code, vec![]).await.unwrap()
}

/// English sentences in the form as displayed (the Advanced section opened first), allowing
/// the provider names of the Provider choice, which are names.
async fn english_on_the_form(client: &Client) -> Vec<String> {
    script(
        client,
        "const d = document.getElementById('advanced'); if (d) d.open = true; return null;",
    )
    .await;
    let names = script(
        client,
        "return Array.from(document.querySelectorAll('#field-PROVIDER_PRESET option')).slice(1).map((o) => o.text).join(' ');",
    )
    .await;
    let names = names.as_str().unwrap_or_default().to_owned();
    let names: Vec<&str> = names.split([' ', '(', ')', '.']).collect();
    // What is displayed, and what is shown on an empty input or under the pointer.
    let shown = script(
        client,
        "const main = document.querySelector('main');
         const attrs = Array.from(main.querySelectorAll('[placeholder], [title]'))
           .map((e) => (e.getAttribute('placeholder') || '') + '\\n' + (e.getAttribute('title') || ''));
         return main.innerText + '\\n' + attrs.join('\\n');",
    )
    .await;
    english_left(shown.as_str().unwrap(), &names)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_in_korean_in_headless_chromium() {
    let Some((setup, client, driver)) = open_page(Some("ko-KR,ko")).await else {
        return;
    };
    let smtp_port = setup.smtp.port().to_string();

    // A Korean browser gets the Korean page, the token form included.
    let lang = script(&client, "return document.documentElement.lang;").await;
    assert_eq!(lang, "ko");
    assert_eq!(text_of(&client, "#login h2").await, "관리자 토큰");
    set(&client, "token", TOKEN).await;
    click(&client, Locator::Css("#token-form button[type=submit]")).await;
    wait_for(&client, "#field-MAIL_SERVER").await;
    screenshot(&client, "ko-00-form.png").await;

    // Labels, help texts, the Encryption choice and the provider choice.
    assert_eq!(text_of(&client, "#group-server legend").await, "서버");
    assert_eq!(text_of(&client, "#group-login legend").await, "로그인");
    let server = text(&client, "wrap-MAIL_SERVER").await;
    assert!(server.contains("SMTP 서버 호스트 이름"), "{server}");
    let tls_help = text(&client, "desc-TLS").await;
    assert!(
        tls_help.contains("암시적 TLS는 첫 바이트부터"),
        "{tls_help}"
    );
    assert!(tls_help.contains("587"), "ports from the table: {tls_help}");
    assert_eq!(text(&client, "save").await, "설정 저장");
    assert_eq!(text(&client, "test").await, "연결 테스트");
    select(&client, "field-PROVIDER_PRESET", "naver").await;
    assert_values(
        &client,
        &[
            ("field-MAIL_SERVER", "smtp.naver.com"),
            ("field-MAIL_PORT", "465"),
        ],
    )
    .await;
    let note = text(&client, "desc-PROVIDER_PRESET").await;
    assert!(note.contains("애플리케이션 비밀번호"), "{note}");
    select(&client, "field-PROVIDER_PRESET", "").await;
    let left = english_on_the_form(&client).await;
    assert!(left.is_empty(), "English left on the form: {left:?}");

    // Validation errors: no server, STARTTLS on 465, a sender that is not an address.
    fill(
        &client,
        &[
            ("field-MAIL_SERVER", ""),
            ("field-MAIL_PORT", "465"),
            ("field-MAIL_USERNAME", "app@example.com"),
            ("field-MAIL_PASSWORD", PASSWORD),
            ("field-MAIL_FROM", "not-an-address"),
        ],
    )
    .await;
    select(&client, "field-TLS", "start_tls").await;
    let summary = press(&client, "save", "error").await;
    assert!(summary.contains("문제 3개"), "{summary}");
    assert_eq!(
        text(&client, "err-MAIL_SERVER").await,
        "서버: 필수 항목입니다"
    );
    let port_error = text(&client, "err-MAIL_PORT").await;
    assert!(
        hangul(&port_error) && port_error.contains("465"),
        "{port_error}"
    );
    let from_error = text(&client, "err-MAIL_FROM").await;
    assert!(hangul(&from_error), "{from_error}");
    let left = english_on_the_form(&client).await;
    assert!(left.is_empty(), "English left with the errors: {left:?}");
    screenshot(&client, "ko-01-errors.png").await;

    // The connection test's diagnosis: implicit TLS against the dev server's STARTTLS port.
    fill(
        &client,
        &[
            ("field-MAIL_SERVER", "127.0.0.1"),
            ("field-MAIL_PORT", &smtp_port),
            ("field-MAIL_FROM", "app@example.com"),
        ],
    )
    .await;
    set(
        &client,
        "field-MAIL_CA_FILE",
        setup.ca_file.to_str().unwrap(),
    )
    .await;
    select(&client, "field-TLS", "implicit_tls").await;
    let summary = press(&client, "test", "error").await;
    let lead = text_of(&client, "#summary h2").await;
    assert!(
        lead.starts_with("이 포트의 서버는 STARTTLS 방식인데 암호화가 암시적 TLS(으)로"),
        "{lead}"
    );
    assert_eq!(text(&client, "apply-fix").await, "STARTTLS 사용");
    let steps = text_of(&client, "#summary .steps").await;
    assert!(steps.contains("TCP 연결"), "{steps}");
    assert!(!summary.contains("Use STARTTLS"), "{summary}");
    // The whole diagnosis, its steps too; what the server or TLS library said is quoted.
    let left = english_left(&summary, &[]);
    assert!(
        left.is_empty(),
        "English left in the diagnosis: {left:?}\n{summary}"
    );
    screenshot(&client, "ko-02-diagnosis.png").await;
    click(&client, Locator::Id("apply-fix")).await;
    assert_values(&client, &[("field-TLS", "start_tls")]).await;
    click(&client, Locator::Id("test")).await;
    wait_for_text(&client, "summary", "연결 테스트를 통과했습니다").await;
    assert!(
        text(&client, "summary")
            .await
            .contains("로그인도 성공했습니다")
    );
    assert!(setup.smtp.messages().is_empty());

    // The switch: English for this Korean browser, kept across a reload, and back.
    click(&client, Locator::Id("lang-en")).await;
    wait_for(&client, "#field-MAIL_SERVER").await;
    assert_eq!(text_of(&client, "#group-server legend").await, "Server");
    client.refresh().await.unwrap();
    wait_for(&client, "#field-MAIL_SERVER").await;
    assert_eq!(text(&client, "save").await, "Save settings");
    let lang = script(&client, "return document.documentElement.lang;").await;
    assert_eq!(lang, "en");
    // The check can fail: the English form is English.
    assert!(!english_on_the_form(&client).await.is_empty());
    screenshot(&client, "ko-03-switched-to-english.png").await;
    click(&client, Locator::Id("lang-ko")).await;
    wait_for(&client, "#field-MAIL_SERVER").await;
    assert_eq!(text(&client, "save").await, "설정 저장");

    client.close().await.unwrap();
    drop(driver);
    setup.smtp.shutdown().await;
}
