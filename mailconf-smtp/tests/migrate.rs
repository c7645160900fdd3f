//! `migrate::rewrite`: foreign keys become fastapi-mail's, every other byte stays.

use mailconf_core::{MailConfig, Sources};
use mailconf_smtp::SmtpConfig;
use mailconf_smtp::migrate::{MigrateError, rewrite};

#[path = "support/samples.rs"]
mod samples;

use samples::{SAMPLES, Sample};

/// The lines of `before` that hold no key of `foreign`, in order, are lines of `after`.
fn kept_in_order(before: &str, after: &str, foreign: &[&str]) {
    let mut rest = after.split_inclusive('\n');
    for line in before.split_inclusive('\n') {
        if foreign.iter().any(|k| line.starts_with(&format!("{k}="))) {
            continue;
        }
        assert!(
            rest.any(|l| l == line),
            "{line:?} is not kept in order:\n{after}"
        );
    }
}

#[test]
fn every_sample_migrates_to_settings_that_load() {
    for Sample {
        name,
        foreign,
        password: secret,
    } in SAMPLES
    {
        let before = samples::text(name);
        let migration = rewrite(&before).unwrap_or_else(|e| panic!("{name}: {e}"));
        kept_in_order(&before, &migration.text, foreign);
        let changed: Vec<&str> = migration.changes.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(changed, foreign, "{name}");
        // The secret is copied into the file, and nowhere else.
        assert!(
            migration.text.contains(secret),
            "{name}: {}",
            migration.text
        );
        for change in &migration.changes {
            assert!(!change.to_string().contains(secret), "{name}: {change}");
        }
        let loaded = SmtpConfig::load(&Sources::new().dotenv_str(".env", &migration.text))
            .unwrap_or_else(|e| panic!("{name}:\n{}\n{e}", migration.text));
        use mailconf_smtp::SmtpSettings;
        assert_eq!(
            loaded.credentials().unwrap().password.expose_secret(),
            secret,
            "{name}"
        );
        // A second run finds nothing to do.
        let again = rewrite(&migration.text).unwrap();
        assert!(again.changes.is_empty(), "{name}: {:?}", again.changes);
        assert_eq!(again.text, migration.text);
    }
}

/// The sample file `name` rewritten; its text holds each of `expected`.
fn rewritten(name: &str, expected: &[&str]) -> mailconf_smtp::migrate::Migration {
    let migration = rewrite(&samples::text(name)).unwrap();
    for piece in expected {
        assert!(
            migration.text.contains(piece),
            "{name}: {piece:?} not in\n{}",
            migration.text
        );
    }
    migration
}

#[test]
fn the_seed_gets_the_flags_port_465_needs() {
    let migration = rewritten(
        "seed",
        &[
            "MAIL_SERVER=smtp.example.com\nMAIL_STARTTLS='False'\nMAIL_SSL_TLS='True'\nUSE_CREDENTIALS=True\n",
        ],
    );
    assert_eq!(
        migration.changes[1].action,
        "removed: the settings it stands for are set already"
    );
}

#[test]
fn renamed_keys_keep_their_value_as_written_and_laravel_references_resolve() {
    let migration = rewritten(
        "laravel",
        &[
            "\nMAIL_FROM=\"${MAIL_USERNAME}\"\n",
            "# mailconf migrate: Laravel's MAIL_MAILER, commented out: not needed: mailconf always sends over SMTP\n# MAIL_MAILER=smtp\n",
        ],
    );
    let config = SmtpConfig::load(&Sources::new().dotenv_str(".env", &migration.text)).unwrap();
    use mailconf_smtp::SmtpSettings;
    let sender = config.sender();
    assert_eq!(sender.email.to_string(), "app@example.com");
    assert_eq!(sender.name.as_deref(), Some("Example Shop"));
}

#[test]
fn line_ends_export_and_a_last_line_without_a_break_are_kept() {
    let before =
        "export MAIL_HOST=smtp.example.com\r\nMAIL_PORT=587\r\n# note\r\nMAIL_ENCRYPTION=tls";
    let migration = rewrite(before).unwrap();
    assert_eq!(
        migration.text,
        "export MAIL_SERVER=smtp.example.com\r\nMAIL_PORT=587\r\n# note\r\nMAIL_STARTTLS='True'\r\nMAIL_SSL_TLS='False'"
    );
}

#[test]
fn a_django_key_next_to_its_mail_key_is_left_for_django() {
    let before = "EMAIL_HOST=smtp.django.example\nMAIL_SERVER=smtp.example.com\n";
    let migration = rewrite(before).unwrap();
    assert!(migration.changes.is_empty());
    assert_eq!(migration.text, before);
}

#[test]
fn what_cannot_be_translated_is_an_error_naming_the_key_and_never_the_value() {
    let before = "MAIL_MAILER=ses\nMAILER_DSN=sendmail://default\nSMTP_PASS=p\n";
    match rewrite(before) {
        Err(MigrateError::Untranslatable(refused)) => {
            let keys: Vec<&str> = refused.iter().map(|r| r.key.as_str()).collect();
            assert_eq!(keys, ["MAIL_MAILER", "MAILER_DSN"]);
        }
        other => panic!("{other:?}"),
    }
    let error = rewrite("MAIL_SERVER=x\nthis is not a line ' secret-value\n").unwrap_err();
    assert!(matches!(error, MigrateError::Unreadable(_)), "{error:?}");
    assert!(!error.to_string().contains("secret-value"), "{error}");
}

#[test]
fn a_file_with_nothing_foreign_is_returned_unchanged() {
    let before = "# fastapi-mail\nMAIL_SERVER=smtp.example.com\nMAIL_STARTTLS=True\n";
    let migration = rewrite(before).unwrap();
    assert!(migration.changes.is_empty());
    assert_eq!(migration.text, before);
}
