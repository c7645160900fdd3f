//! The page as a real server on 127.0.0.1:0, and the connection test against mailconf's dev
//! SMTP server.

mod common;

use std::path::Path;

use axum::http::StatusCode;
use common::{PASSWORD, Req, start_page, valid_settings};
use mailconf_smtp::dev_server::{DevServer, DevTls};
use serde_json::{Value, json};

/// Settings for the dev server: STARTTLS on its port, trusting its CA.
fn dev_settings(server: &DevServer, ca_file: &Path, password: &str) -> Value {
    json!({
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": server.port(),
        "MAIL_STARTTLS": true,
        "MAIL_SSL_TLS": false,
        "USE_CREDENTIALS": true,
        "MAIL_USERNAME": "app@example.com",
        "MAIL_PASSWORD": password,
        "MAIL_FROM": "app@example.com",
        "MAIL_CA_FILE": ca_file.to_str().unwrap(),
        "TIMEOUT": "10s",
    })
}

async fn dev_server() -> DevServer {
    DevServer::builder()
        .tls(DevTls::StartTls)
        .user("app@example.com", PASSWORD)
        .start()
        .await
        .unwrap()
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

    let foreign = Req::post("/api/config", &valid_settings())
        .header("origin", Some("http://attacker.example"))
        .send_to(page.addr)
        .await;
    assert_eq!(
        foreign.api(StatusCode::FORBIDDEN, false)["code"],
        "cross_origin"
    );
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
    let server = dev_server().await;
    let dir = tempfile::tempdir().unwrap();
    let ca_file = server.write_ca_file(dir.path()).unwrap();
    let page = start_page(&dir.path().join("mail.env"), &["127.0.0.1"]).await;

    let settings = dev_settings(&server, &ca_file, PASSWORD);
    let reply = Req::post("/api/config/test", &settings)
        .send_to(page.addr)
        .await;
    let body = reply.api(StatusCode::OK, true);
    assert_eq!(body["report"]["ok"], true, "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("STARTTLS") && message.contains("login accepted"),
        "{message}"
    );
    assert!(server.messages().is_empty(), "a test sends no mail");

    // After a save, the test works with the unchanged marker, merged from the saved file.
    Req::post("/api/config", &settings)
        .send_to(page.addr)
        .await
        .api(StatusCode::OK, true);
    let mut keep = settings.clone();
    keep["MAIL_PASSWORD"] = json!({"unchanged": true});
    let reply = Req::post("/api/config/test", &keep)
        .send_to(page.addr)
        .await;
    reply.api(StatusCode::OK, true);
    server.shutdown().await;
}

#[tokio::test]
async fn a_failed_test_says_where_without_the_password() {
    let server = dev_server().await;
    let dir = tempfile::tempdir().unwrap();
    let ca_file = server.write_ca_file(dir.path()).unwrap();
    let page = start_page(&dir.path().join("mail.env"), &["127.0.0.1"]).await;

    // The wrong password holds the real one, so an echo of either would be caught.
    let wrong = format!("{PASSWORD}-wrong");
    let settings = dev_settings(&server, &ca_file, &wrong);
    let reply = Req::post("/api/config/test", &settings)
        .send_to(page.addr)
        .await;
    let body = reply.api(StatusCode::BAD_GATEWAY, false);
    assert_eq!(body["code"], "probe_failed");
    let failed: Vec<&Value> = body["report"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["ok"] == false)
        .collect();
    assert_eq!(failed[0]["name"], "login", "{body}");
    assert!(body["error"].as_str().unwrap().contains("login"), "{body}");
    server.shutdown().await;
}

#[tokio::test]
async fn a_refused_host_is_never_contacted() {
    let server = dev_server().await;
    let dir = tempfile::tempdir().unwrap();
    let ca_file = server.write_ca_file(dir.path()).unwrap();
    let page = start_page(&dir.path().join("mail.env"), &["smtp.example.com"]).await;

    let settings = dev_settings(&server, &ca_file, PASSWORD);
    let reply = Req::post("/api/config/test", &settings)
        .send_to(page.addr)
        .await;
    let body = reply.api(StatusCode::FORBIDDEN, false);
    assert!(
        body["error"].as_str().unwrap().contains("127.0.0.1"),
        "{body}"
    );
    assert_eq!(server.connections_total(), 0);
    server.shutdown().await;
}
