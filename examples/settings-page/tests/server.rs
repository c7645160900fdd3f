//! The page as a real server on 127.0.0.1:0, and the connection test against mailconf's dev
//! SMTP server.

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, Reply, Req, WithSmtp, page_with_smtp, start_page, valid_settings};
use serde_json::{Value, json};

/// Settings for the dev server: STARTTLS on its port, trusting its CA.
fn dev_settings(setup: &WithSmtp, password: &str) -> Value {
    json!({
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": setup.smtp.port(),
        "MAIL_STARTTLS": true,
        "MAIL_SSL_TLS": false,
        "USE_CREDENTIALS": true,
        "MAIL_USERNAME": "app@example.com",
        "MAIL_PASSWORD": password,
        "MAIL_FROM": "app@example.com",
        "MAIL_CA_FILE": setup.ca_file.to_str().unwrap(),
        "TIMEOUT": "10s",
    })
}

/// Runs the page's connection test with `settings`.
async fn connection_test(setup: &WithSmtp, settings: &Value) -> Reply {
    Req::post("/api/config/test", settings)
        .send_to(setup.page.addr)
        .await
}

#[tokio::test]
async fn the_page_and_api_work_over_a_real_socket() {
    let dir = tempfile::tempdir().unwrap();
    let env_file = dir.path().join("mail.env");
    let page = start_page(&env_file, &[]).await;

    let index = Req::get("/")
        .header("authorization", None)
        .send_to(page.addr)
        .await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(index.text.contains("/app.js"));

    Req::get("/api/schema")
        .send_to(page.addr)
        .await
        .json_of(StatusCode::OK);
    Req::post("/api/config", &valid_settings())
        .send_to(page.addr)
        .await
        .api(StatusCode::OK, true);
    let config = Req::get("/api/config").send_to(page.addr).await;
    assert_eq!(config.api(StatusCode::OK, true)["password_set"], true);

    Req::post("/api/config", &valid_settings())
        .header("origin", Some("http://attacker.example"))
        .send_to(page.addr)
        .await
        .refused(StatusCode::FORBIDDEN, "cross_origin");
    let no_token = Req::get("/api/config")
        .header("authorization", None)
        .send_to(page.addr)
        .await;
    no_token.api(StatusCode::UNAUTHORIZED, false);

    let big = json!({"MAIL_FROM_NAME": "x".repeat(65 * 1024)});
    let reply = Req::post("/api/config", &big).send_to(page.addr).await;
    reply.api(StatusCode::PAYLOAD_TOO_LARGE, false);
}

#[tokio::test]
async fn the_test_passes_against_an_allow_listed_dev_server() {
    let setup = page_with_smtp(&["127.0.0.1"]).await;

    let settings = dev_settings(&setup, PASSWORD);
    let reply = connection_test(&setup, &settings).await;
    let body = reply.api(StatusCode::OK, true);
    assert_eq!(body["report"]["ok"], true, "{body}");
    // The probe connects to the addresses the allow-list check vetted, not to a new lookup.
    let dns = &body["report"]["steps"][0];
    assert_eq!(dns["name"], "dns", "{body}");
    assert_eq!(dns["detail"], "127.0.0.1: 127.0.0.1 (given, not looked up)");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("STARTTLS") && message.contains("login accepted"),
        "{message}"
    );
    assert!(setup.smtp.messages().is_empty(), "a test sends no mail");

    // After a save, the test works with the unchanged marker, merged from the saved file.
    Req::post("/api/config", &settings)
        .send_to(setup.page.addr)
        .await
        .api(StatusCode::OK, true);
    let mut keep = settings.clone();
    keep["MAIL_PASSWORD"] = json!({"unchanged": true});
    connection_test(&setup, &keep)
        .await
        .api(StatusCode::OK, true);
    setup.smtp.shutdown().await;
}

#[tokio::test]
async fn a_failed_test_says_where_without_the_password() {
    let setup = page_with_smtp(&["127.0.0.1"]).await;

    // The wrong password holds the real one, so an echo of either would be caught.
    let wrong = format!("{PASSWORD}-wrong");
    let reply = connection_test(&setup, &dev_settings(&setup, &wrong)).await;
    let body = reply.refused(StatusCode::BAD_GATEWAY, "probe_failed");
    let failed: Vec<&Value> = body["report"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["ok"] == false)
        .collect();
    assert_eq!(failed[0]["name"], "login", "{body}");
    assert!(body["error"].as_str().unwrap().contains("login"), "{body}");
    setup.smtp.shutdown().await;
}

#[tokio::test]
async fn a_refused_host_is_never_contacted() {
    let setup = page_with_smtp(&["smtp.example.com"]).await;

    let reply = connection_test(&setup, &dev_settings(&setup, PASSWORD)).await;
    let body = reply.refused(StatusCode::FORBIDDEN, "host_not_allowed");
    assert!(
        body["error"].as_str().unwrap().contains("127.0.0.1"),
        "{body}"
    );
    assert_eq!(setup.smtp.connections_total(), 0);
    setup.smtp.shutdown().await;
}
