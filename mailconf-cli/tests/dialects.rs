//! `mailconf check` on the settings of other libraries: every entry names the foreign key, its
//! library and the assignments to set.

mod support;

use std::path::PathBuf;

use serde_json::Value;
use support::{json, mailconf};

/// A sample `.env` of another library (shared with mailconf-smtp's tests).
pub fn dialect_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../mailconf-smtp/tests/data/dialects")
        .join(format!("{name}.env"))
}

fn check_json(name: &str) -> Value {
    let out = mailconf()
        .arg("--env-file")
        .arg(dialect_file(name))
        .args(["check", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{name}");
    json(&out)
}

/// The hint of the entry for `key`.
fn hint<'a>(report: &'a Value, key: &str) -> &'a str {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["key"] == key)
        .unwrap_or_else(|| panic!("no {key}: {report:#}"))["hint"]
        .as_str()
        .unwrap()
}

#[test]
fn check_names_each_foreign_key_its_library_and_the_equivalent() {
    for (file, key, expected) in [
        (
            "seed",
            "MAIL_USE_TLS",
            "set MAIL_STARTTLS=False, MAIL_SSL_TLS=True instead: port 465",
        ),
        (
            "flask",
            "MAIL_DEFAULT_SENDER",
            "set MAIL_FROM=Example App <app@example.com> instead",
        ),
        (
            "django",
            "MAIL_SERVER",
            "EMAIL_HOST is set, but that is Django's name: set MAIL_SERVER=smtp.example.com instead",
        ),
        (
            "laravel",
            "MAIL_FROM_ADDRESS",
            "set MAIL_FROM=app@example.com instead",
        ),
        (
            "symfony",
            "MAIL_SERVER",
            "MAILER_DSN is set, but that is Symfony Mailer's name: set MAIL_SERVER=smtp.example.com, MAIL_PORT=465",
        ),
        (
            "node",
            "MAIL_PORT",
            "SMTP_PORT is set, but that is Node.js (SMTP_*)'s name: set MAIL_PORT=587 instead",
        ),
    ] {
        let report = check_json(file);
        assert!(
            hint(&report, key).starts_with(expected),
            "{file}: {report:#}"
        );
        let text = report.to_string();
        assert!(!text.contains("did you mean"), "{file}: {text}");
        assert!(!text.contains("-secret-"), "{file}: {text}");
    }
    let seed = check_json("seed");
    let foreign = seed["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["key"] == "MAIL_USE_TLS")
        .unwrap();
    assert_eq!(foreign["code"], "foreign_key");
    assert!(foreign["message"].as_str().unwrap().contains("Flask-Mail"));
}
