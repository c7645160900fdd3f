//! The guard around saving and testing: the .env file keeps what is not the page's, file paths
//! stay inside --files-dir, the connection test cannot scan ports, wrong tokens are slowed
//! down, and a server echoing the password (even changed) does not show it. That admin actions
//! are logged without values is audit_log.rs's.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{StatusCode, header};
use common::{
    PASSWORD, Req, TOKEN, options, page_with_smtp, start_page_with, test_app, valid_settings, with,
};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const FOREIGN: &str = "# Application settings: hand-written, keep my comments.\n\
DATABASE_URL=postgres://app:pw@db/app\n\
\n\
export SECRET_KEY='k#y with spaces'   # used by sessions\n\
MAIL_SERVER=old.example.com\n\
MAIL_DEBUG=1\n\
# mail\n\
MAIL_PORT=25\n\
LOG_LEVEL=\"info\"\n\
MULTI_LINE=\"first\n\
second\"\n";

#[tokio::test]
async fn a_save_changes_only_the_mail_lines() {
    let dir = tempfile::tempdir().unwrap();
    let (app, env_file) = test_app(dir.path(), &[]);
    std::fs::write(&env_file, FOREIGN).unwrap();
    Req::post("/api/config", &valid_settings())
        .send(&app)
        .await
        .api(StatusCode::OK, true);
    let after = std::fs::read_to_string(&env_file).unwrap();
    let mail = |line: &&str| {
        ["MAIL_", "USE_CREDENTIALS", "VALIDATE_CERTS", "TIMEOUT"]
            .iter()
            .any(|p| line.starts_with(p))
    };
    let kept_before: Vec<&str> = FOREIGN.lines().filter(|l| !mail(l)).collect();
    let kept_after: Vec<&str> = after.lines().filter(|l| !mail(l)).collect();
    assert_eq!(kept_after, kept_before, "{after}");
    // The mail keys stand where they stood; new ones follow the file.
    let lines: Vec<&str> = after.lines().collect();
    assert_eq!(lines[4], "MAIL_SERVER='smtp.example.com'", "{after}");
    assert_eq!(lines[6], "MAIL_PORT='587'", "{after}");
    assert!(
        !after.contains("MAIL_DEBUG"),
        "a mail key the form cleared is removed"
    );
    let read: Vec<(String, String)> = dotenvy::from_path_iter(&env_file)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(read.contains(&("MAIL_PASSWORD".into(), PASSWORD.into())));
    assert!(read.contains(&("SECRET_KEY".into(), "k#y with spaces".into())));
}

#[tokio::test]
async fn concurrent_saves_never_interleave() {
    let dir = tempfile::tempdir().unwrap();
    let (app, env_file) = test_app(dir.path(), &[]);
    std::fs::write(&env_file, FOREIGN).unwrap();
    let saves = (0..12).map(|i| {
        let app = app.clone();
        let settings = with(
            valid_settings(),
            json!({"MAIL_FROM_NAME": format!("App {i}")}),
        );
        tokio::spawn(async move { Req::post("/api/config", &settings).send(&app).await })
    });
    for save in saves {
        save.await.unwrap().api(StatusCode::OK, true);
    }
    let after = std::fs::read_to_string(&env_file).unwrap();
    assert_eq!(after.matches("MAIL_FROM_NAME=").count(), 1, "{after}");
    assert!(after.starts_with("# Application settings"), "{after}");
    assert!(after.contains("DATABASE_URL=postgres://app:pw@db/app\n"));
}

#[tokio::test]
async fn a_password_file_outside_files_dir_is_never_read() {
    // The reproduction: MAIL_PASSWORD_FILE=/proc/self/environ sent the page's own environment
    // (with the admin token) as the SMTP password to an allowed host.
    let setup = page_with_smtp(&["127.0.0.1"]).await;
    let before = setup.smtp.connections_total();
    let secret_dir = setup.dir.path().join("secrets");
    std::fs::create_dir(&secret_dir).unwrap();
    let mut settings = json!({
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": setup.smtp.port(),
        "MAIL_STARTTLS": true, "MAIL_SSL_TLS": false, "USE_CREDENTIALS": true,
        "MAIL_USERNAME": "app@example.com", "MAIL_FROM": "app@example.com",
        "MAIL_CA_FILE": setup.ca_file.to_str().unwrap(),
    });
    let outside = setup.dir.path().join("../../etc/hostname");
    for path in [
        "/proc/self/environ".to_owned(),
        "/etc/passwd".to_owned(),
        "/no/such/file".to_owned(),
        outside.to_string_lossy().into_owned(),
    ] {
        settings["MAIL_PASSWORD_FILE"] = json!(path);
        for endpoint in ["/api/config/test", "/api/config"] {
            let reply = Req::post(endpoint, &settings)
                .send_to(setup.page.addr)
                .await;
            let error = reply.problem("MAIL_PASSWORD_FILE");
            assert_eq!(error["detail"], "file_not_allowed", "{error}");
            let message = error["message"].as_str().unwrap();
            assert_eq!(
                message,
                "this page accepts only files inside the folder it was started with (--files-dir)",
                "the same words for every path"
            );
            assert!(!reply.text.contains("environ") && !reply.text.contains("passwd"));
        }
    }
    assert_eq!(
        setup.smtp.connections_total(),
        before,
        "nothing was contacted"
    );
    assert!(!setup.env_file.exists());
}

#[tokio::test]
async fn a_password_file_inside_files_dir_is_used() {
    let setup = page_with_smtp(&["127.0.0.1"]).await;
    let password_file = setup.dir.path().join("smtp-password");
    std::fs::write(&password_file, PASSWORD).unwrap();
    let settings = json!({
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": setup.smtp.port(),
        "MAIL_STARTTLS": true, "MAIL_SSL_TLS": false, "USE_CREDENTIALS": true,
        "MAIL_USERNAME": "app@example.com", "MAIL_FROM": "app@example.com",
        "MAIL_CA_FILE": setup.ca_file.to_str().unwrap(),
        "MAIL_PASSWORD_FILE": password_file.to_str().unwrap(),
    });
    let reply = Req::post("/api/config/test", &settings)
        .send_to(setup.page.addr)
        .await;
    let body = reply.api(StatusCode::OK, true);
    assert!(body["message"].as_str().unwrap().contains("login accepted"));
}

/// A TCP listener that counts the connections it receives.
async fn counting_listener() -> (u16, Arc<Mutex<usize>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = Arc::new(Mutex::new(0));
    let counted = count.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            *counted.lock().unwrap() += 1;
            let _ = socket.write_all(b"SSH-2.0-OpenSSH_9.2\r\n").await;
        }
    });
    (port, count)
}

#[tokio::test]
async fn the_connection_test_cannot_scan_ports() {
    // The reproduction: refused, silent and non-SMTP ports of an allowed host told apart.
    let dir = tempfile::tempdir().unwrap();
    let page = start_page_with(options(&dir.path().join("mail.env"), &["127.0.0.1"])).await;
    let (open_port, connections) = counting_listener().await;
    let closed_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut answers = Vec::new();
    for port in [open_port, closed_port] {
        let settings = with(
            valid_settings(),
            json!({"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port}),
        );
        let reply = Req::post("/api/config/test", &settings)
            .send_to(page.addr)
            .await;
        let body = reply
            .refused(StatusCode::FORBIDDEN, "port_not_allowed")
            .clone();
        assert_eq!(body["key"], "MAIL_PORT");
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .contains(&format!("--allow-port {port}"))
        );
        answers.push(
            body["error"]
                .as_str()
                .unwrap()
                .replace(&port.to_string(), "N"),
        );
    }
    assert_eq!(answers[0], answers[1], "open and closed ports answer alike");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(*connections.lock().unwrap(), 0, "nothing was contacted");
}

#[tokio::test]
async fn wrong_tokens_are_rate_limited_per_client() {
    let dir = tempfile::tempdir().unwrap();
    let page = start_page_with(options(&dir.path().join("mail.env"), &[])).await;
    let wrong = format!("Bearer {TOKEN}-guess");
    for _ in 0..5 {
        Req::get("/api/config")
            .header("authorization", Some(&wrong))
            .send_to(page.addr)
            .await
            .refused(StatusCode::UNAUTHORIZED, "wrong_token");
    }
    let reply = Req::get("/api/config")
        .header("authorization", Some(&wrong))
        .send_to(page.addr)
        .await;
    reply.refused(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts");
    let retry: u64 = reply.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    // While blocked, even the right token tells nothing: a guess cannot be confirmed.
    Req::get("/api/config")
        .send_to(page.addr)
        .await
        .refused(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts");
}

/// A plain-text SMTP server whose refusal echoes the password with one byte changed.
async fn echoing_server() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 echo.test ESMTP\r\n").await;
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    let reply = if upper.starts_with("EHLO") {
                        "250-echo.test\r\n250 AUTH PLAIN LOGIN\r\n".to_owned()
                    } else if upper.starts_with("AUTH") {
                        let altered = PASSWORD.replace('Q', "q").replace("Zk27", "Zk28");
                        format!("535 5.7.8 wrong password: {altered}\r\n")
                    } else if upper.starts_with("QUIT") {
                        "221 bye\r\n".to_owned()
                    } else {
                        "250 ok\r\n".to_owned()
                    };
                    if write.write_all(reply.as_bytes()).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    port
}

#[tokio::test]
async fn a_server_echoing_the_password_changed_does_not_show_it() {
    let port = echoing_server().await;
    let dir = tempfile::tempdir().unwrap();
    let page = start_page_with(common::Options {
        allow_ports: vec![port],
        ..options(&dir.path().join("mail.env"), &["127.0.0.1"])
    })
    .await;
    let settings = with(
        valid_settings(),
        json!({"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_STARTTLS": false,
               "MAIL_SSL_TLS": false, "MAIL_ALLOW_INSECURE_AUTH": true}),
    );
    let reply = Req::post("/api/config/test", &settings)
        .send_to(page.addr)
        .await;
    assert_eq!(reply.status, StatusCode::BAD_GATEWAY, "{}", reply.text);
    assert!(
        reply.text.contains("535") || reply.text.contains("not shown"),
        "{}",
        reply.text
    );
    for fragment in ["distinctive", "never-echoed", "Zk28", "9xq"] {
        assert!(!reply.text.contains(fragment), "{fragment}: {}", reply.text);
    }
}
