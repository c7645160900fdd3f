//! `mailconf check` on unknown keys: shown as warnings, refused with `--strict`.

use assert_cmd::Command;
use serde_json::Value;

fn mailconf_with_mail_to() -> Command {
    let mut cmd = Command::cargo_bin("mailconf").unwrap();
    cmd.env_clear()
        .env("MAIL_USERNAME", "app@example.com")
        .env("MAIL_PASSWORD", "pw-7f3a")
        .env("MAIL_FROM", "app@example.com")
        .env("MAIL_PORT", "587")
        .env("MAIL_SERVER", "smtp.example.com")
        .env("MAIL_STARTTLS", "true")
        .env("MAIL_SSL_TLS", "false")
        .env("MAIL_TO", "ops@example.com");
    cmd
}

#[test]
fn check_shows_an_unknown_key_as_a_warning_and_passes() {
    let out = mailconf_with_mail_to().arg("check").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("1 warning:\n  - MAIL_TO: not a known setting: ignored (set in environment)"),
        "{text}"
    );
}

#[test]
fn check_strict_refuses_it() {
    let out = mailconf_with_mail_to()
        .args(["check", "--strict", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"][0]["key"], "MAIL_TO");
    assert_eq!(report["errors"][0]["code"], "unknown_key");
}
