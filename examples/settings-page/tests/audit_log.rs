//! Admin actions are logged with the keys they changed, never the values.
//!
//! Alone in its test binary: it captures `tracing` events with a thread-local subscriber, and
//! `tracing` caches each call site's interest globally. Run beside other tests (guard.rs did),
//! a call site first reached on another thread, where no subscriber listens, could be cached
//! as uninteresting, and an audit line went missing now and then under load.

mod common;

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use common::{PASSWORD, Req, test_app, valid_settings, with};
use serde_json::json;

/// Captures the `tracing` events of the current thread as text.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn admin_actions_are_logged_with_keys_never_values() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = test_app(dir.path(), &[]);
    Req::post("/api/config", &valid_settings())
        .send(&app)
        .await
        .api(StatusCode::OK, true);
    let renamed = with(
        valid_settings(),
        json!({"MAIL_FROM_NAME": "Renamed", "MAIL_PASSWORD": {"unchanged": true}}),
    );
    Req::post("/api/config", &renamed)
        .send(&app)
        .await
        .api(StatusCode::OK, true);
    Req::get("/api/config")
        .header("authorization", Some("Bearer wrong-token-guess"))
        .send(&app)
        .await;
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("settings_page::audit"))
        .collect();
    assert_eq!(lines.len(), 3, "{log}");
    assert!(
        lines[0].contains("action=\"save\"") || lines[0].contains("action=save"),
        "{log}"
    );
    assert!(
        lines[0].contains("MAIL_PASSWORD") && lines[0].contains("MAIL_SERVER"),
        "{log}"
    );
    assert!(lines[0].contains("client=in-process"), "{log}");
    assert!(
        lines[1].contains("keys=MAIL_FROM_NAME"),
        "only the changed key: {log}"
    );
    assert!(lines[2].contains("wrong_token"), "{log}");
    for value in [
        PASSWORD,
        "distinctive",
        "Renamed",
        "smtp.example.com",
        "wrong-token-guess",
    ] {
        assert!(!log.contains(value), "{value} in the log: {log}");
    }
}
