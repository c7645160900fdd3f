//! `mailconf check`'s options: unknown keys shown as warnings and refused with `--strict`;
//! `--compat fastapi-mail` adds what fastapi-mail refuses.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use support::{example_starttls, mailconf, stdout};

/// Working settings, and `MAIL_TO`, which another program of the same environment reads.
fn mailconf_with_mail_to() -> Command {
    let mut cmd = mailconf();
    example_starttls(&mut cmd, "pw-7f3a").env("MAIL_TO", "ops@example.com");
    cmd
}

#[test]
fn check_shows_an_unknown_key_as_a_warning_and_passes() {
    let out = mailconf_with_mail_to().arg("check").output().unwrap();
    let text = stdout(&out);
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

#[test]
fn check_compat_fastapi_mail_adds_what_fastapi_mail_refuses() {
    let settings = |cmd: &mut Command| {
        cmd.env("SUPPRESS_SEND", "true")
            .env("TEMPLATE_FOLDER", "/nonexistent/templates")
            .env_remove("MAIL_TO");
    };
    let mut plain = mailconf_with_mail_to();
    settings(&mut plain);
    let out = plain.arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "mailconf itself loads them");

    let mut compat = mailconf_with_mail_to();
    settings(&mut compat);
    let out = compat
        .args(["check", "--compat", "fastapi-mail"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.starts_with("2 problems in SmtpConfig:"), "{text}");
    assert!(
        text.contains("SUPPRESS_SEND: fastapi-mail refuses this SUPPRESS_SEND"),
        "{text}"
    );
    assert!(
        text.contains("write SUPPRESS_SEND=1 or SUPPRESS_SEND=0"),
        "{text}"
    );
    assert!(
        text.contains("TEMPLATE_FOLDER: fastapi-mail refuses this TEMPLATE_FOLDER"),
        "{text}"
    );
}

#[test]
fn check_reads_and_shows_a_key_in_another_case() {
    let out = mailconf_with_mail_to()
        .env_remove("MAIL_SERVER")
        .env("mail_server", "relay.example.com")
        .arg("check")
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.starts_with("Settings OK: relay.example.com:587"),
        "{text}"
    );
    assert!(
        text.contains(
            "MAIL_SERVER              = relay.example.com (as mail_server)  (environment)"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "  - mail_server: read as MAIL_SERVER: names are matched whatever their case"
        ),
        "{text}"
    );
}
