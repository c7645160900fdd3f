//! `SmtpConfig::load_compat(.., Compat::FastapiMail)`: what fastapi-mail 1.6 refuses on top of
//! mailconf's rules, with its reason and the fix. The differential test
//! (tests/tests/compat_fastapi_mail.rs) holds these rules to fastapi-mail itself.

use mailconf_core::{MailConfig, Sources};
use mailconf_smtp::{Compat, SmtpConfig};

#[path = "support/fastapi_mail.rs"]
mod fastapi_mail;

use fastapi_mail::with;

fn refused(changes: &[(&'static str, Option<&'static str>)]) -> Vec<(String, &'static str)> {
    let sources = Sources::new().env_vars(with(changes));
    assert!(
        SmtpConfig::load(&sources).is_ok(),
        "mailconf alone loads {changes:?}"
    );
    let errors = SmtpConfig::load_compat(&sources, Compat::FastapiMail).unwrap_err();
    errors
        .iter()
        .map(|e| (e.key().to_owned(), e.detail().unwrap_or(e.code())))
        .collect()
}

#[test]
fn a_config_fastapi_mail_loads_passes() {
    let sources = Sources::new().env_vars(with(&[("TEMPLATE_FOLDER", Some("."))]));
    let loaded = SmtpConfig::load_compat(&sources, Compat::FastapiMail).unwrap();
    assert_eq!(loaded.value.security(), mailconf_smtp::Security::StartTls);
}

#[test]
fn what_fastapi_mail_refuses_is_refused_with_its_reason() {
    let folder = [("TEMPLATE_FOLDER", Some("."))];
    for (change, key, detail) in [
        (
            ("SUPPRESS_SEND", Some("true")),
            "SUPPRESS_SEND",
            "fastapi_mail_int_flag",
        ),
        (
            ("suppress_send", Some("yes")),
            "suppress_send",
            "fastapi_mail_int_flag",
        ),
        (
            ("MAIL_DEBUG", Some("on")),
            "MAIL_DEBUG",
            "fastapi_mail_int_flag",
        ),
        (("TIMEOUT", Some("30s")), "TIMEOUT", "fastapi_mail_timeout"),
        (
            ("MAIL_FROM", Some("app@shop.local")),
            "MAIL_FROM",
            "fastapi_mail_sender",
        ),
        (
            ("MAIL_FROM", Some("app@localhost")),
            "MAIL_FROM",
            "fastapi_mail_sender",
        ),
        (
            ("TEMPLATE_FOLDER", Some("/nonexistent/templates")),
            "TEMPLATE_FOLDER",
            "fastapi_mail_template_folder",
        ),
    ] {
        let changes = [folder[0], change];
        assert_eq!(refused(&changes), [(key.to_owned(), detail)], "{change:?}");
    }
}

#[test]
fn fastapi_mail_needs_the_login_keys_even_without_a_login() {
    let changes = [
        ("TEMPLATE_FOLDER", Some(".")),
        ("USE_CREDENTIALS", Some("False")),
        ("MAIL_USERNAME", None),
        ("MAIL_PASSWORD", None),
        ("MAIL_STARTTLS", Some("False")),
        ("MAIL_SERVER", Some("localhost")),
        ("MAIL_PORT", Some("1025")),
    ];
    let sources = Sources::new().env_vars(with(&changes));
    let errors = SmtpConfig::load_compat(&sources, Compat::FastapiMail).unwrap_err();
    assert_eq!(errors.len(), 2, "{errors}");
    let username = errors.get("MAIL_USERNAME").unwrap();
    assert_eq!(username.code(), "missing");
    assert!(
        username
            .hint()
            .unwrap()
            .contains("even with USE_CREDENTIALS=False: set it, empty (MAIL_USERNAME=)"),
        "{username}"
    );
}

#[test]
fn mailconfs_own_error_on_a_key_is_not_repeated() {
    // A unit is mailconf's too when negative: one error for TIMEOUT, not two.
    let sources = Sources::new().env_vars(with(&[
        ("TEMPLATE_FOLDER", Some(".")),
        ("TIMEOUT", Some("-5s")),
    ]));
    let errors = SmtpConfig::load_compat(&sources, Compat::FastapiMail).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors}");
}

#[test]
fn a_password_read_from_a_file_is_one_fastapi_mail_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret");
    std::fs::write(&path, "file-held-secret").unwrap();
    let path: &'static str = Box::leak(path.to_str().unwrap().to_owned().into_boxed_str());
    let sources = Sources::new().env_vars(with(&[
        ("TEMPLATE_FOLDER", Some(".")),
        ("MAIL_PASSWORD", None),
        ("MAIL_PASSWORD_FILE", Some(path)),
    ]));
    assert!(
        SmtpConfig::load(&sources).is_ok(),
        "mailconf reads the file"
    );
    let errors = SmtpConfig::load_compat(&sources, Compat::FastapiMail).unwrap_err();
    let password = errors
        .get("MAIL_PASSWORD")
        .expect("fastapi-mail's own error");
    assert_eq!(
        password.hint().as_deref(),
        Some("fastapi-mail does not read MAIL_PASSWORD_FILE: set MAIL_PASSWORD itself"),
        "{password}"
    );
    assert!(!errors.to_string().contains("file-held-secret"), "{errors}");

    // MAIL_USERNAME is no secret: mailconf has no MAIL_USERNAME_FILE either, so the hint is
    // fastapi-mail's rule, not a file variable neither library reads.
    let sources = Sources::new().env_vars(with(&[
        ("TEMPLATE_FOLDER", Some(".")),
        ("USE_CREDENTIALS", Some("False")),
        ("MAIL_USERNAME", None),
        ("MAIL_USERNAME_FILE", Some(path)),
        ("MAIL_STARTTLS", Some("False")),
        ("MAIL_SERVER", Some("localhost")),
        ("MAIL_PORT", Some("1025")),
    ]));
    let errors = SmtpConfig::load_compat(&sources, Compat::FastapiMail).unwrap_err();
    let username = errors.get("MAIL_USERNAME").unwrap();
    let hint = username.hint().unwrap();
    assert!(!hint.contains("_FILE"), "{hint}");
}
