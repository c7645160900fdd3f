//! The page and its API in Korean (issue 17): the browser's `Accept-Language` decides unless the
//! visitor chose with the switch (`/?lang=…`, kept in a cookie); the words are Korean with no
//! English sentence left, and the API keeps `code`, `key` and `field` as in English.

mod common;

use axum::Router;
use axum::http::{StatusCode, header};
use common::{PASSWORD, Req, page_with_smtp, test_app, valid_settings, with};
use mailconf_tests::korean::{assert_korean, english_left, hangul};
use serde_json::{Value, json};

const KOREAN_BROWSER: &str = "ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7";
const ENGLISH_BROWSER: &str = "en-US,en;q=0.9,ko;q=0.8";

/// `GET /` with these headers: the page's language (`<html lang>`) and the reply.
async fn page(app: &Router, headers: &[(&str, &str)]) -> (String, common::Reply) {
    page_at(app, "/", headers).await
}

async fn page_at(app: &Router, path: &str, headers: &[(&str, &str)]) -> (String, common::Reply) {
    let mut req = Req::get(path).header("authorization", None);
    for (name, value) in headers {
        req = req.header(name, Some(value));
    }
    let reply = req.send(app).await;
    assert_eq!(reply.status, StatusCode::OK);
    let lang = reply
        .text
        .split("<html lang=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned();
    (lang, reply)
}

fn cookie_of(reply: &common::Reply) -> Option<String> {
    reply
        .headers
        .get(header::SET_COOKIE)
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
}

#[tokio::test]
async fn the_page_follows_accept_language_with_q_values() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = test_app(dir.path(), &[]);
    for (accept, want) in [
        (KOREAN_BROWSER, "ko"),
        ("ko", "ko"),
        ("ko-KR", "ko"),
        (ENGLISH_BROWSER, "en"),
        ("en;q=0.5, ko;q=0.8", "ko"),
        ("ko;q=0.2, en;q=0.8", "en"),
        ("fr-FR, de;q=0.9", "en"),
        ("ko;q=0", "en"),
    ] {
        let (lang, reply) = page(&app, &[("accept-language", accept)]).await;
        assert_eq!(lang, want, "{accept}");
        assert_eq!(cookie_of(&reply), None, "only a choice is remembered");
        let vary = reply.headers[header::VARY].to_str().unwrap();
        assert!(vary.contains("Accept-Language"), "{vary}");
    }
    let (lang, reply) = page(&app, &[]).await;
    assert_eq!(lang, "en");
    assert!(reply.text.contains("<h1>SMTP settings</h1>"));
    let (_, reply) = page(&app, &[("accept-language", KOREAN_BROWSER)]).await;
    assert!(reply.text.contains("<h1>SMTP 설정</h1>"), "{}", reply.text);
    assert!(reply.text.contains("설정 저장"));
}

#[tokio::test]
async fn the_switch_is_remembered_and_beats_the_browser() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = test_app(dir.path(), &[]);
    // The switch is on the page, in both languages, the current one marked.
    let (_, reply) = page(&app, &[("accept-language", KOREAN_BROWSER)]).await;
    assert!(
        reply
            .text
            .contains(r#"<a id="lang-en" href="/?lang=en" lang="en" hreflang="en">English</a>"#),
        "{}",
        reply.text
    );
    assert!(
        reply
            .text
            .contains(r#"href="/?lang=ko" lang="ko" hreflang="ko" aria-current="true">한국어</a>"#)
    );
    // A Korean browser chooses English.
    let (lang, reply) = page_at(&app, "/?lang=en", &[("accept-language", KOREAN_BROWSER)]).await;
    assert_eq!(lang, "en");
    let cookie = cookie_of(&reply).expect("the choice is remembered");
    assert_eq!(cookie, "settings_page_lang=en");
    let set = reply.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(set.contains("Path=/") && set.contains("Max-Age="), "{set}");
    // Later visits keep it, whatever the browser asks for.
    let (lang, _) = page(
        &app,
        &[("accept-language", KOREAN_BROWSER), ("cookie", &cookie)],
    )
    .await;
    assert_eq!(lang, "en");
    // An English browser chooses Korean.
    let (lang, reply) = page_at(&app, "/?lang=ko", &[("accept-language", ENGLISH_BROWSER)]).await;
    assert_eq!(lang, "ko");
    let cookie = cookie_of(&reply).unwrap();
    let (lang, _) = page(
        &app,
        &[("accept-language", ENGLISH_BROWSER), ("cookie", &cookie)],
    )
    .await;
    assert_eq!(lang, "ko");
    // The API follows the choice too.
    let reply = Req::post("/api/config", &json!({}))
        .header("accept-language", Some(ENGLISH_BROWSER))
        .header("cookie", Some(&cookie))
        .send(&app)
        .await;
    reply.refused(StatusCode::UNPROCESSABLE_ENTITY, "invalid_settings");
    assert!(
        hangul(reply.json["error"].as_str().unwrap()),
        "{}",
        reply.text
    );
    // A language the page does not have chooses nothing.
    let (lang, reply) = page_at(&app, "/?lang=fr", &[("accept-language", KOREAN_BROWSER)]).await;
    assert_eq!((lang.as_str(), cookie_of(&reply)), ("ko", None));
}

/// (key, code, field) of each problem, and the problems themselves.
fn problems(reply: &common::Reply) -> (Vec<(Value, Value, Value)>, Vec<Value>) {
    reply.api(StatusCode::UNPROCESSABLE_ENTITY, false);
    let list = reply.json["errors"].as_array().unwrap().clone();
    let ids = list
        .iter()
        .map(|e| (e["key"].clone(), e["code"].clone(), e["field"].clone()))
        .collect();
    (ids, list)
}

#[tokio::test]
async fn api_errors_in_korean_keep_codes_keys_and_fields() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = test_app(dir.path(), &[]);
    // STARTTLS and implicit TLS both on, 465 with STARTTLS, no server, a sender that is not an
    // address, a file path the page does not accept.
    let broken = with(
        valid_settings(),
        json!({
            "MAIL_SERVER": null, "MAIL_PORT": 465, "MAIL_SSL_TLS": true,
            "MAIL_FROM": "not-an-address", "MAIL_CA_FILE": "/etc/hostname",
        }),
    );
    for path in ["/api/config", "/api/config/test"] {
        let english = Req::post(path, &broken).send(&app).await;
        let korean = Req::post(path, &broken)
            .header("accept-language", Some(KOREAN_BROWSER))
            .send(&app)
            .await;
        let (english_ids, english_list) = problems(&english);
        let (korean_ids, korean_list) = problems(&korean);
        assert!(english_ids.len() >= 4, "{}", english.text);
        assert_eq!(english_ids, korean_ids, "{path}");
        let title = korean.json["error"].as_str().unwrap();
        assert_korean(title, &[], path);
        for (en, ko) in english_list.iter().zip(&korean_list) {
            for part in ["message", "hint"] {
                let Some(text) = ko[part].as_str() else {
                    continue;
                };
                assert_ne!(en[part], ko[part], "{part} of {}", ko["key"]);
                assert_korean(text, &[], &format!("{part} of {}", ko["key"]));
            }
        }
    }
}

#[tokio::test]
async fn refusals_in_korean_keep_their_codes() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = test_app(dir.path(), &[]);
    let korean = |req: Req| req.header("accept-language", Some("ko"));
    let cases = [
        (
            korean(Req::get("/api/config").header("authorization", None)),
            StatusCode::UNAUTHORIZED,
            "missing_token",
        ),
        (
            korean(Req::get("/api/config").header("authorization", Some("Bearer wrong"))),
            StatusCode::UNAUTHORIZED,
            "wrong_token",
        ),
        (
            korean(Req::post("/api/config", &valid_settings()).header("origin", None)),
            StatusCode::FORBIDDEN,
            "cross_origin",
        ),
        (
            korean(Req::post("/api/config", &json!([]))),
            StatusCode::BAD_REQUEST,
            "not_an_object",
        ),
        (
            korean(Req::get("/api/nothing")),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            // Allowed by nothing: the page was started without --allow-host.
            korean(Req::post("/api/config/test", &valid_settings())),
            StatusCode::FORBIDDEN,
            "host_not_allowed",
        ),
    ];
    for (req, status, code) in cases {
        let reply = req.send(&app).await;
        let json = reply.refused(status, code);
        let error = json["error"].as_str().unwrap();
        assert_korean(error, &[], code);
    }
}

/// Every word of the Korean page: its HTML's text, the words its script shows, and the labels,
/// modes and provider notes the schema gives the form.
#[tokio::test]
async fn no_english_sentence_is_left_on_the_korean_page() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = test_app(dir.path(), &[]);
    let (_, reply) = page(&app, &[("accept-language", KOREAN_BROWSER)]).await;
    let (html, words) = split_words(&reply.text);
    let mut texts: Vec<String> = visible_text(&html);
    let words: Value = serde_json::from_str(&words).unwrap();
    assert_eq!(words["lang"], "ko");
    let words = words["words"].as_object().unwrap();
    assert!(words.len() > 100, "{}", words.len());
    texts.extend(words.values().map(|w| w.as_str().unwrap().to_owned()));
    let schema = Req::get("/api/schema")
        .header("accept-language", Some(KOREAN_BROWSER))
        .send(&app)
        .await;
    let schema = schema.json_of(StatusCode::OK);
    for said in schema["x-labels"].as_object().unwrap().values() {
        texts.push(said["label"].as_str().unwrap().to_owned());
        texts.push(said["help"].as_str().unwrap().to_owned());
        texts.push(said["placeholder"].as_str().unwrap().to_owned());
    }
    for mode in schema["x-tls-modes"].as_array().unwrap() {
        texts.push(mode["name"].as_str().unwrap().to_owned());
    }
    for provider in schema["x-providers"].as_array().unwrap() {
        texts.push(provider["note"].as_str().unwrap().to_owned());
    }
    assert!(texts.len() > 200, "{}", texts.len());
    let mut left = Vec::new();
    for text in &texts {
        let found = english_left(text, &[]);
        if !found.is_empty() {
            left.push(format!("{found:?} in {text:?}"));
        }
    }
    assert!(left.is_empty(), "English left:\n{}", left.join("\n"));
    // The check can fail: the English page is English.
    let (_, english) = page(&app, &[]).await;
    let english_text = visible_text(&split_words(&english.text).0).join("\n");
    assert!(!english_left(&english_text, &[]).is_empty());
}

/// The page without its words block, and the words block's JSON.
fn split_words(page: &str) -> (String, String) {
    let open = r#"<script type="application/json" id="words-json">"#;
    let (before, rest) = page.split_once(open).expect("the words block");
    let (words, after) = rest.split_once("</script>").unwrap();
    (format!("{before}{after}"), words.to_owned())
}

/// The text between tags and the values of `aria-label` and `title` attributes.
fn visible_text(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in html.split('<') {
        let (tag, text) = piece.split_once('>').unwrap_or(("", piece));
        for attr in ["aria-label=\"", "title=\""] {
            if let Some(value) = tag.split(attr).nth(1).and_then(|v| v.split('"').next()) {
                out.push(value.to_owned());
            }
        }
        let text = text.trim();
        if !text.is_empty() {
            out.push(text.replace("&#39;", "'").replace("&#34;", "\""));
        }
    }
    out
}

/// The connection test against mailconf's dev SMTP server on loopback, in Korean: the
/// diagnosis, the fix, every step's name, detail and hint, and the advice. What the server
/// said (its greeting, its extensions) is quoted as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_connection_test_in_korean() {
    let setup = page_with_smtp(&["127.0.0.1"]).await;
    let settings = json!({
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": setup.smtp.port(),
        "MAIL_STARTTLS": true,
        "MAIL_SSL_TLS": false,
        "MAIL_USERNAME": "app@example.com",
        "MAIL_PASSWORD": PASSWORD,
        "MAIL_FROM": "app@example.com",
        "MAIL_CA_FILE": setup.ca_file.to_str().unwrap(),
        "TIMEOUT": "10s",
    });
    let test = |settings: Value| {
        Req::post("/api/config/test", &settings)
            .header("accept-language", Some(KOREAN_BROWSER))
            .send_to(setup.page.addr)
    };
    // What the server or the TLS library said is quoted, which the check leaves out.
    let english_in = |text: &str| english_left(text, &[]);

    let passed = test(settings.clone()).await;
    let passed = passed.api(StatusCode::OK, true);
    let message = passed["message"].as_str().unwrap();
    assert!(message.contains("로그인도 성공했습니다"), "{message}");
    let steps = passed["report"]["steps"].as_array().unwrap();
    assert!(steps.len() >= 5, "{passed}");
    for step in steps {
        for part in ["label", "detail"] {
            let text = step[part].as_str().unwrap();
            assert!(english_in(text).is_empty(), "{part}: {text}");
        }
    }
    let labels: Vec<&str> = steps.iter().map(|s| s["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"TCP 연결"), "{labels:?}");
    assert!(
        steps
            .iter()
            .any(|s| s["detail"].as_str().unwrap().contains("에 연결했습니다"))
    );

    // Implicit TLS on the STARTTLS port: the diagnosis, its fix, the failed step and the advice.
    let wrong = with(
        settings,
        json!({"MAIL_STARTTLS": false, "MAIL_SSL_TLS": true}),
    );
    let failed = test(wrong).await;
    let failed = failed.refused(StatusCode::BAD_GATEWAY, "probe_failed");
    let error = failed["error"].as_str().unwrap();
    assert!(
        error.starts_with("이 포트의 서버는 STARTTLS 방식인데"),
        "{error}"
    );
    assert_eq!(failed["fix"]["label"], "STARTTLS 사용");
    let mut texts = vec![error, failed["fix"]["label"].as_str().unwrap()];
    for part in ["detail", "hint"] {
        if let Some(text) = failed[part].as_str() {
            texts.push(text);
        }
    }
    if let Some(advice) = failed["report"]["advice"].as_str() {
        texts.push(advice);
    }
    for step in failed["report"]["steps"].as_array().unwrap() {
        for part in ["label", "detail", "hint"] {
            if let Some(text) = step[part].as_str() {
                texts.push(text);
            }
        }
    }
    for text in texts {
        let left = english_in(text);
        assert!(left.is_empty(), "English left: {left:?} in {text}");
    }
    setup.smtp.shutdown().await;
}
