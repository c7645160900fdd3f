//! `mailconf dev-server` as a real process: another process sends to it; it prints the message
//! and writes an .eml file.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use lettre::{Message, SmtpTransport, Transport};
use serde_json::Value;

/// Kills the server even when an assertion fails.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn catches_a_message_from_another_process() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mailconf"))
        .args([
            "dev-server",
            "--port",
            "0",
            "--tls",
            "none",
            "--json",
            "--out",
        ])
        .arg(dir.path())
        .env_clear()
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let server = Running(child);

    let listening: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(listening["event"], "listening");
    assert_eq!(listening["settings"]["USE_CREDENTIALS"], "false");
    assert_eq!(listening["settings"]["MAIL_STARTTLS"], "false");
    let port = listening["port"].as_u64().unwrap() as u16;
    assert!(std::path::Path::new(listening["settings"]["MAIL_CA_FILE"].as_str().unwrap()).exists());

    let message = Message::builder()
        .from("App <app@example.com>".parse().unwrap())
        .to("user@example.com".parse().unwrap())
        .subject("Hello from another process")
        .body("Hi!".to_owned())
        .unwrap();
    let transport = SmtpTransport::builder_dangerous("127.0.0.1")
        .port(port)
        .timeout(Some(Duration::from_secs(10)))
        .build();
    transport.send(&message).unwrap();

    let event: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(event["event"], "message");
    assert_eq!(event["mail_from"], "app@example.com");
    assert_eq!(event["rcpt_to"], serde_json::json!(["user@example.com"]));
    assert_eq!(event["subject"], "Hello from another process");
    let saved = std::fs::read_to_string(event["file"].as_str().unwrap()).unwrap();
    assert!(
        saved.contains("Subject: Hello from another process"),
        "{saved}"
    );
    drop(server);
}
