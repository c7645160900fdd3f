//! `mailconf check` on the settings of other libraries: every entry names the foreign key, its
//! library and the assignments to set.

mod support;

use serde_json::Value;
use support::{entry, json, mailconf};

/// The sample `.env` files of other libraries, shared with mailconf-smtp's tests.
#[path = "../../mailconf-smtp/tests/support/samples.rs"]
mod samples;

use samples::SAMPLES;

fn check_json(name: &str) -> Value {
    let out = mailconf()
        .arg("--env-file")
        .arg(samples::path(name))
        .args(["check", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{name}");
    json(&out)
}

/// The hint of the entry for `key`.
fn hint<'a>(report: &'a Value, key: &str) -> &'a str {
    entry(report, "errors", key)["hint"].as_str().unwrap()
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
    let foreign = entry(&seed, "errors", "MAIL_USE_TLS");
    assert_eq!(foreign["code"], "foreign_key");
    assert!(foreign["message"].as_str().unwrap().contains("Flask-Mail"));
}

#[test]
fn migrate_prints_each_sample_rewritten_and_the_result_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    for name in SAMPLES.map(|sample| sample.name) {
        let out = mailconf()
            .arg("migrate")
            .arg("--env-file")
            .arg(samples::path(name))
            .output()
            .unwrap();
        let err = support::stderr(&out);
        assert_eq!(out.status.code(), Some(0), "{name}: {err}");
        assert!(err.contains("  - "), "{name}: {err}");
        for secret in SAMPLES.map(|sample| sample.password) {
            assert!(!err.contains(secret), "{name}: {err}");
        }
        let migrated = dir.path().join(format!("{name}.env"));
        std::fs::write(&migrated, &out.stdout).unwrap();
        let check = mailconf()
            .arg("--env-file")
            .arg(&migrated)
            .arg("check")
            .output()
            .unwrap();
        assert_eq!(
            check.status.code(),
            Some(0),
            "{name}:\n{}\n{}",
            support::stdout(&out),
            support::text(&check)
        );
    }
}

#[cfg(unix)]
#[test]
fn migrate_write_replaces_the_file_keeping_its_mode_after_a_backup() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    let original = std::fs::read_to_string(samples::path("laravel")).unwrap();
    std::fs::write(&path, &original).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = mailconf()
        .arg("migrate")
        .arg("--write")
        .arg("--env-file")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", support::text(&out));
    assert!(out.stdout.is_empty(), "{}", support::stdout(&out));
    assert!(support::stderr(&out).contains("wrote "));
    let rewritten = std::fs::read_to_string(&path).unwrap();
    assert!(
        rewritten.contains("MAIL_SERVER=smtp.example.com\n"),
        "{rewritten}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".env.bak")).unwrap(),
        original
    );
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // Nothing is left behind but the file and its backup.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn migrate_says_when_there_is_nothing_to_do_and_refuses_what_it_cannot_translate() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.env");
    std::fs::write(&plain, "MAIL_SERVER=smtp.example.com\n").unwrap();
    let out = mailconf()
        .args(["migrate", "--write", "--env-file"])
        .arg(&plain)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(support::stderr(&out).contains("nothing to migrate"));
    assert!(!dir.path().join("plain.env.bak").exists());

    let api = dir.path().join("api.env");
    std::fs::write(&api, "MAIL_MAILER=postmark\nPOSTMARK_TOKEN=tok-secret\n").unwrap();
    let out = mailconf()
        .args(["migrate", "--env-file"])
        .arg(&api)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = support::stderr(&out);
    assert!(
        err.contains("MAIL_MAILER (Laravel): MAIL_MAILER=postmark is not SMTP"),
        "{err}"
    );
    assert!(out.stdout.is_empty());

    let out = mailconf().arg("migrate").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(support::stderr(&out).contains("--env-file"));
}

#[test]
fn providers_lists_every_preset_and_json_is_machine_readable() {
    let out = mailconf().args(["providers", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    let providers = report["providers"].as_array().unwrap();
    let ids: Vec<&str> = providers
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    for id in [
        "gmail",
        "google-workspace",
        "outlook",
        "microsoft365",
        "yahoo",
        "icloud",
        "zoho",
        "fastmail",
        "ses",
        "sendgrid",
        "mailgun",
        "mailgun-eu",
        "postmark",
        "brevo",
        "mailjet",
        "naver",
        "daum",
    ] {
        assert!(ids.contains(&id), "{id}: {ids:?}");
    }
    for p in providers {
        assert!(p["host"].as_str().unwrap().contains('.'), "{p}");
        assert!(p["source"].as_str().unwrap().starts_with("https://"), "{p}");
        let first = &p["ports"][0];
        assert!(first["port"].as_u64().unwrap() > 0, "{p}");
        assert!(
            ["start_tls", "implicit_tls"].contains(&first["security"].as_str().unwrap()),
            "{p}"
        );
    }
    let sendgrid = providers.iter().find(|p| p["id"] == "sendgrid").unwrap();
    assert_eq!(sendgrid["username"], "apikey");

    let text = support::stdout(&mailconf().arg("providers").output().unwrap());
    for id in ids {
        assert!(text.contains(&format!("  {id}")), "{id}: {text}");
    }
}

#[test]
fn check_reports_a_port_the_provider_does_not_offer() {
    let out = mailconf()
        .env("MAIL_PROVIDER", "gmail")
        .env("MAIL_PORT", "25")
        .env("MAIL_USERNAME", "app@gmail.com")
        .env("MAIL_PASSWORD", "app-password")
        .env("MAIL_FROM", "app@gmail.com")
        .args(["check", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["errors"][0]["key"], "MAIL_PROVIDER", "{report:#}");
    assert_eq!(report["errors"][0]["code"], "conflict");
    let ok = mailconf()
        .env("MAIL_PROVIDER", "gmail")
        .env("MAIL_USERNAME", "app@gmail.com")
        .env("MAIL_PASSWORD", "app-password")
        .env("MAIL_FROM", "app@gmail.com")
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0), "{}", support::text(&ok));
    assert!(
        support::stdout(&ok).contains("smtp.gmail.com"),
        "{}",
        support::stdout(&ok)
    );
}
