//! `mailconf check`'s options: unknown keys shown as warnings and refused with `--strict`;
//! `--compat fastapi-mail` adds what fastapi-mail refuses.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use support::{assert_has, example_starttls, mailconf, opens_with, run};

/// Working settings, and `MAIL_TO`, which another program of the same environment reads.
fn mailconf_with_mail_to() -> Command {
    let mut cmd = mailconf();
    example_starttls(&mut cmd, "pw-7f3a").env("MAIL_TO", "ops@example.com");
    cmd
}

#[test]
fn check_shows_an_unknown_key_as_a_warning_and_passes() {
    let (code, text) = run(&mut mailconf_with_mail_to(), &["check"]);
    assert_eq!(code, Some(0), "{text}");
    assert_has(
        &text,
        &["1 warning:\n  - MAIL_TO: not a known setting: ignored (set in environment)"],
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
    fn settings(cmd: &mut Command) -> &mut Command {
        cmd.env("SUPPRESS_SEND", "true")
            .env("TEMPLATE_FOLDER", "/nonexistent/templates")
            .env_remove("MAIL_TO")
    }
    let (code, _) = run(settings(&mut mailconf_with_mail_to()), &["check"]);
    assert_eq!(code, Some(0), "mailconf itself loads them");

    let compat = ["check", "--compat", "fastapi-mail"];
    let text = opens_with(
        run(settings(&mut mailconf_with_mail_to()), &compat),
        1,
        "2 problems in SmtpConfig:",
    );
    assert_has(
        &text,
        &[
            "SUPPRESS_SEND: fastapi-mail refuses this SUPPRESS_SEND",
            "write SUPPRESS_SEND=1 or SUPPRESS_SEND=0",
            "TEMPLATE_FOLDER: fastapi-mail refuses this TEMPLATE_FOLDER",
        ],
    );
}

#[test]
fn check_reads_and_shows_a_key_in_another_case() {
    let mut cmd = mailconf_with_mail_to();
    cmd.env_remove("MAIL_SERVER")
        .env("mail_server", "relay.example.com");
    let text = opens_with(
        run(&mut cmd, &["check"]),
        0,
        "Settings OK: relay.example.com:587",
    );
    assert_has(
        &text,
        &[
            "MAIL_SERVER              = relay.example.com (as mail_server)  (environment)",
            "  - mail_server: read as MAIL_SERVER: names are matched whatever their case",
        ],
    );
}
