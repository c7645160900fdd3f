//! Secrets never show: not in `Display`, `Debug` or JSON of errors, nor in templates.

use std::io::Write as _;

use mailconf_core::{Errors, MailConfig, Origin, REDACTED};
use mailconf_tests::fixtures::{MailSettings, VALID_MAIL, Vault};

const CANARY: &str = "hunter2-canary";

fn assert_hidden(errors: &Errors) {
    let shown = [
        errors.to_string(),
        format!("{errors:?}"),
        format!("{errors:#?}"),
        serde_json::to_string(errors).unwrap(),
    ];
    for text in shown {
        assert!(!text.contains(CANARY), "the secret leaked:\n{text}");
        assert!(
            !text.contains("canary"),
            "part of the secret leaked:\n{text}"
        );
    }
}

#[test]
fn a_bad_secret_value_is_redacted_in_every_output() {
    let errors = Vault::from_map([("VAULT_PASSWORD", "pw"), ("VAULT_PORT", CANARY)]).unwrap_err();
    let error = errors.get("VAULT_PORT").unwrap();
    assert_eq!(error.detail(), Some("invalid_port"));
    assert_eq!(error.input().map(|i| i.as_str()), Some(REDACTED));
    assert!(errors.to_string().contains(REDACTED), "{errors}");
    assert_hidden(&errors);
}

#[test]
fn a_renamed_secret_key_does_not_show_its_value() {
    let errors =
        Vault::from_map([("VAULT_PASSWORD", "pw"), ("VAULT_OLD_PORT", CANARY)]).unwrap_err();
    assert_eq!(errors.get("VAULT_OLD_PORT").unwrap().code(), "renamed_key");
    assert_hidden(&errors);
    // Next to the new name it is a warning, which shows no value either.
    let sources = mailconf_core::Sources::new().map([
        ("VAULT_PASSWORD", "pw"),
        ("VAULT_PORT", "25"),
        ("VAULT_OLD_PORT", CANARY),
    ]);
    let loaded = Vault::load_with_warnings(&sources).unwrap();
    let shown = format!("{:?} {}", loaded.warnings, loaded.warnings[0]);
    assert!(!shown.contains("canary"), "{shown}");
}

#[test]
fn a_misspelled_secret_key_does_not_show_its_value() {
    let errors = Vault::from_map([("VAULT_PASWORD", CANARY), ("VAULT_PORT", "25")]).unwrap_err();
    assert_eq!(errors.get("VAULT_PASWORD").unwrap().code(), "unknown_key");
    assert_hidden(&errors);
}

#[test]
fn loaded_secrets_debug_as_redacted() {
    let vault = Vault::from_map([
        ("VAULT_PASSWORD", CANARY),
        ("VAULT_PORT", "25"),
        ("VAULT_TOKEN", CANARY),
    ])
    .unwrap();
    assert_eq!(vault.password.expose_secret(), CANARY);
    assert!(!format!("{vault:?}").contains(CANARY));
    let mail = MailSettings::from_map(VALID_MAIL).unwrap();
    assert!(!format!("{mail:?}").contains("hunter2"));
}

#[test]
fn secrets_are_marked_in_the_schema_and_left_blank_in_templates() {
    let secret: Vec<(&str, bool)> = Vault::schema()
        .fields
        .iter()
        .map(|f| (f.field, f.secret))
        .collect();
    assert_eq!(
        secret,
        [("password", true), ("port", true), ("token", true)]
    );
    let example = Vault::schema().env_example();
    assert!(example.contains("\nVAULT_PASSWORD=\n"), "{example}");
    assert!(example.contains("VAULT_PASSWORD_FILE"), "{example}");
}

#[test]
fn a_secret_is_read_from_its_file_variable() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(file, "{CANARY}").unwrap();
    let path = file.path().to_str().unwrap();
    let vault = Vault::from_map([("VAULT_PASSWORD_FILE", path), ("VAULT_PORT", "25")]).unwrap();
    assert_eq!(
        vault.password.expose_secret(),
        CANARY,
        "one trailing newline is removed"
    );

    let errors = Vault::from_map([
        ("VAULT_PASSWORD_FILE", "/nonexistent/pw"),
        ("VAULT_PORT", "x"),
    ])
    .unwrap_err();
    let unreadable = errors.get("VAULT_PASSWORD_FILE").unwrap();
    assert_eq!(unreadable.code(), "file_unreadable");
    assert_eq!(unreadable.field(), "password");
    assert!(
        errors.get("VAULT_PORT").is_some(),
        "other problems are still reported: {errors}"
    );
}

#[test]
fn an_invalid_secret_from_a_file_is_redacted_and_names_the_file() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(file, "{CANARY}").unwrap();
    let path = file.path().to_str().unwrap();
    let errors =
        Vault::from_map([("VAULT_PASSWORD", "pw"), ("VAULT_PORT_FILE", path)]).unwrap_err();
    let error = errors.get("VAULT_PORT").unwrap();
    assert_eq!(
        error.origin(),
        Some(&Origin::SecretFile {
            path: file.path().to_owned(),
            via: "VAULT_PORT_FILE".into()
        })
    );
    assert_hidden(&errors);
}

#[test]
fn setting_a_secret_and_its_file_variable_is_a_conflict() {
    let errors = Vault::from_map([
        ("VAULT_PASSWORD", CANARY),
        ("VAULT_PASSWORD_FILE", "/x"),
        ("VAULT_PORT", "25"),
    ])
    .unwrap_err();
    assert_eq!(errors.iter().next().unwrap().code(), "conflict", "{errors}");
    assert_hidden(&errors);
}
