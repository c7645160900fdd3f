//! Other libraries' settings: each foreign key is reported with its library and the exact
//! fastapi-mail assignments that do the same, values translated (TLS flags with the port), and
//! never a secret; "did you mean" never guesses at them.

use mailconf_core::{Errors, MailConfig, Sources};
use mailconf_smtp::SmtpConfig;

#[path = "support/fastapi_mail.rs"]
mod fastapi_mail;
#[path = "support/samples.rs"]
mod samples;

use samples::SAMPLES;

fn errors_of(name: &str) -> Errors {
    SmtpConfig::load(&Sources::new().dotenv(samples::path(name))).unwrap_err()
}

/// The (code, hint) of the entry for `key`.
fn entry(errors: &Errors, key: &str) -> (&'static str, String) {
    let error = errors
        .get(key)
        .unwrap_or_else(|| panic!("no entry for {key}:\n{errors}"));
    (error.code(), error.hint().unwrap_or_default().to_owned())
}

fn assert_no_secret(errors: &Errors, secret: &str) {
    let text = errors.to_string();
    assert!(!text.contains(secret), "{text}");
    let debug = format!("{errors:?}");
    assert!(!debug.contains(secret), "{debug}");
}

#[test]
fn the_seeds_flask_flags_on_port_465_say_465_wants_implicit_tls() {
    let errors = errors_of("seed");
    for key in ["MAIL_USE_TLS", "MAIL_USE_SSL"] {
        let error = errors.get(key).unwrap();
        assert_eq!(
            error.kind(),
            &mailconf_core::ErrorKind::ForeignKey {
                dialect: "Flask-Mail"
            }
        );
        let hint = error.hint().unwrap();
        assert!(
            hint.starts_with("set MAIL_STARTTLS=False, MAIL_SSL_TLS=True instead: port 465 expects TLS from the first byte"),
            "{hint}"
        );
    }
    // The missing fastapi-mail flags point at the foreign keys, not at "required" alone.
    let (code, hint) = entry(&errors, "MAIL_STARTTLS");
    assert_eq!(code, "missing");
    assert!(
        hint.starts_with("MAIL_USE_TLS is set, but that is Flask-Mail's name: set MAIL_STARTTLS=False, MAIL_SSL_TLS=True"),
        "{hint}"
    );
    assert!(!errors.to_string().contains("did you mean"), "{errors}");
    assert_eq!(errors.len(), 4, "{errors}");
}

#[test]
fn flask_mail_keys_are_translated_one_by_one() {
    let errors = errors_of("flask");
    let expected = [
        (
            "MAIL_USE_TLS",
            "set MAIL_STARTTLS=True, MAIL_SSL_TLS=False instead",
        ),
        (
            "MAIL_USE_SSL",
            "set MAIL_STARTTLS=True, MAIL_SSL_TLS=False instead",
        ),
        (
            "MAIL_DEFAULT_SENDER",
            "set MAIL_FROM=Example App <app@example.com> instead",
        ),
        ("MAIL_SUPPRESS_SEND", "set SUPPRESS_SEND=0 instead"),
        (
            "MAIL_MAX_EMAILS",
            "remove MAIL_MAX_EMAILS: Flask-Mail's cap",
        ),
        (
            "MAIL_ASCII_ATTACHMENTS",
            "remove MAIL_ASCII_ATTACHMENTS: not needed",
        ),
    ];
    for (key, advice) in expected {
        let (code, hint) = entry(&errors, key);
        assert_eq!(code, "foreign_key", "{key}");
        assert!(hint.starts_with(advice), "{key}: {hint}");
        assert!(
            errors.get(key).unwrap().message().contains("Flask-Mail"),
            "{errors}"
        );
    }
    assert_no_secret(&errors, "flask-secret-1");
}

#[test]
fn django_keys_are_named_in_the_missing_settings() {
    let errors = errors_of("django");
    for (key, advice) in [
        (
            "MAIL_SERVER",
            "EMAIL_HOST is set, but that is Django's name: set MAIL_SERVER=smtp.example.com instead",
        ),
        (
            "MAIL_PORT",
            "EMAIL_PORT is set, but that is Django's name: set MAIL_PORT=465 instead",
        ),
        (
            "MAIL_SSL_TLS",
            "EMAIL_USE_SSL is set, but that is Django's name: set MAIL_STARTTLS=False, MAIL_SSL_TLS=True instead",
        ),
        (
            "MAIL_FROM",
            "DEFAULT_FROM_EMAIL is set, but that is Django's name: set MAIL_FROM=app@example.com instead",
        ),
    ] {
        assert_eq!(entry(&errors, key), ("missing", advice.to_owned()), "{key}");
    }
    assert_no_secret(&errors, "django-secret-2");
}

#[test]
fn laravel_keys_are_translated_with_references_resolved() {
    let errors = errors_of("laravel");
    for (key, advice) in [
        ("MAIL_HOST", "set MAIL_SERVER=smtp.example.com instead"),
        (
            "MAIL_ENCRYPTION",
            "set MAIL_STARTTLS=True, MAIL_SSL_TLS=False instead",
        ),
        ("MAIL_FROM_ADDRESS", "set MAIL_FROM=app@example.com instead"),
        (
            "MAIL_MAILER",
            "remove MAIL_MAILER: not needed: mailconf always sends over SMTP",
        ),
    ] {
        assert_eq!(
            entry(&errors, key),
            ("foreign_key", advice.to_owned()),
            "{key}"
        );
    }
    // Never "MAIL_HOST: did you mean MAIL_PORT?" or "MAIL_MAILER: did you mean MAIL_CA_FILE?".
    assert!(!errors.to_string().contains("did you mean"), "{errors}");
    assert_no_secret(&errors, "laravel-secret-3");
}

#[test]
fn laravel_ssl_tls_and_null_follow_laravel_and_the_port() {
    let hint = |pairs: Vec<(&'static str, &'static str)>, key: &str| {
        let errors = SmtpConfig::from_map(pairs).unwrap_err();
        entry(&errors, key).1
    };
    let base = |extra: &[(&'static str, &'static str)]| {
        let mut pairs = vec![
            ("MAIL_FROM", "app@example.com"),
            ("USE_CREDENTIALS", "false"),
        ];
        pairs.extend_from_slice(extra);
        pairs
    };
    // "tls" on 465 is implicit TLS in Laravel too; "null" on a local catcher is plain text.
    assert!(
        hint(
            base(&[("MAIL_ENCRYPTION", "tls"), ("MAIL_PORT", "465")]),
            "MAIL_ENCRYPTION"
        )
        .starts_with("set MAIL_STARTTLS=False, MAIL_SSL_TLS=True instead")
    );
    assert_eq!(
        hint(
            base(&[("MAIL_ENCRYPTION", "null"), ("MAIL_PORT", "1025")]),
            "MAIL_ENCRYPTION"
        ),
        "set MAIL_STARTTLS=False, MAIL_SSL_TLS=False instead"
    );
    assert_eq!(
        hint(
            base(&[("MAIL_SCHEME", "smtps"), ("MAIL_PORT", "465")]),
            "MAIL_SCHEME"
        ),
        "set MAIL_STARTTLS=False, MAIL_SSL_TLS=True instead"
    );
    // No port: Laravel's own default, 587, is written too, with the mode that port speaks.
    let no_port = hint(base(&[("MAIL_ENCRYPTION", "tls")]), "MAIL_ENCRYPTION");
    assert_eq!(
        no_port,
        "set MAIL_STARTTLS=True, MAIL_SSL_TLS=False, MAIL_PORT=587 instead: Laravel connects to port 587 when none is set"
    );
    assert_eq!(
        hint(
            base(&[("MAIL_ENCRYPTION", "starttls-please")]),
            "MAIL_ENCRYPTION"
        ),
        "MAIL_ENCRYPTION=starttls-please is none of tls, ssl or null: port 587: MAIL_STARTTLS=true, MAIL_SSL_TLS=false; port 465: MAIL_STARTTLS=false, MAIL_SSL_TLS=true"
    );
}

#[test]
fn a_symfony_dsn_becomes_the_separate_settings_without_its_password() {
    let errors = errors_of("symfony");
    let (code, hint) = entry(&errors, "MAIL_SERVER");
    assert_eq!(code, "missing");
    assert_eq!(
        hint,
        "MAILER_DSN is set, but that is Symfony Mailer's name: set MAIL_SERVER=smtp.example.com, MAIL_PORT=465, MAIL_STARTTLS=False, MAIL_SSL_TLS=True, MAIL_USERNAME=app@example.com, MAIL_PASSWORD=<the password in MAILER_DSN> instead"
    );
    assert_no_secret(&errors, "symfony/secret-4");
    assert_no_secret(&errors, "symfony%2Fsecret-4");
}

#[test]
fn node_smtp_keys_are_named_in_the_missing_settings() {
    let errors = errors_of("node");
    assert_eq!(
        entry(&errors, "MAIL_SERVER").1,
        "SMTP_HOST is set, but that is Node.js (SMTP_*)'s name: set MAIL_SERVER=smtp.example.com instead"
    );
    let (_, hint) = entry(&errors, "MAIL_SSL_TLS");
    assert!(
        hint.contains("set MAIL_STARTTLS=True, MAIL_SSL_TLS=False instead"),
        "{hint}"
    );
    assert_no_secret(&errors, "node-secret-5");
}

#[test]
fn a_secret_under_a_foreign_name_is_never_shown() {
    let errors = SmtpConfig::from_map([
        ("EMAIL_HOST_PASSWORD", "hunter2-secret"),
        ("SMTP_PASS", "hunter3-secret"),
    ])
    .unwrap_err();
    let (code, hint) = entry(&errors, "EMAIL_HOST_PASSWORD");
    assert_eq!(code, "foreign_key");
    assert_eq!(
        hint,
        "set MAIL_PASSWORD=<the value of EMAIL_HOST_PASSWORD> instead"
    );
    assert_no_secret(&errors, "hunter2-secret");
    assert_no_secret(&errors, "hunter3-secret");
}

#[test]
fn every_foreign_key_in_a_map_is_explained_and_never_guessed_at() {
    use fastapi_mail::with;
    // Every key the samples set, and those of the same libraries that no sample sets.
    let unsampled = ["EMAIL_USE_TLS", "EMAIL_SSL_CERTFILE", "MAIL_SCHEME"];
    let sampled = SAMPLES
        .iter()
        .flat_map(|sample| sample.foreign.iter().copied());
    for key in sampled.chain(unsampled) {
        let errors = SmtpConfig::from_map(with(&[(key, Some("1"))])).unwrap_err();
        let error = errors.get(key).unwrap_or_else(|| panic!("{key}: {errors}"));
        assert_eq!(error.code(), "foreign_key", "{key}");
        assert!(!error.hint().unwrap().is_empty(), "{key}");
        assert!(
            !errors.to_string().contains("did you mean"),
            "{key}: {errors}"
        );
    }
}
