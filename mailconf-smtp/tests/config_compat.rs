//! `SmtpConfig::load_compat(.., Compat::FastapiMail)`: what fastapi-mail 1.6 refuses on top of
//! mailconf's rules, with its reason and the fix. The differential test
//! (tests/tests/compat_fastapi_mail.rs) holds these rules to fastapi-mail itself.

use mailconf_core::{MailConfig, Sources};
use mailconf_smtp::{Compat, SmtpConfig};

#[path = "support/fastapi_mail.rs"]
mod fastapi_mail;
#[path = "support/reported.rs"]
mod reported;

use fastapi_mail::with;
use reported::{hint_on, keys_and_codes};

fn refused(changes: &[(&'static str, Option<&'static str>)]) -> Vec<(String, &'static str)> {
    let sources = Sources::new().env_vars(with(changes));
    assert!(
        SmtpConfig::load(&sources).is_ok(),
        "mailconf alone loads {changes:?}"
    );
    keys_and_codes(&SmtpConfig::load_compat(&sources, Compat::FastapiMail).unwrap_err())
}

#[test]
fn a_config_fastapi_mail_loads_passes() {
    let sources = Sources::new().env_vars(with(&[("TEMPLATE_FOLDER", Some("."))]));
    let loaded = SmtpConfig::load_compat(&sources, Compat::FastapiMail).unwrap();
    assert_eq!(loaded.value.security(), mailconf_smtp::Security::StartTls);
}

#[test]
fn what_fastapi_mail_refuses_is_refused_with_its_reason() {
    // The key set, its value, and the detail fastapi-mail's refusal gets, reported on that key.
    for (key, value, detail) in [
        ("SUPPRESS_SEND", "true", "fastapi_mail_int_flag"),
        ("suppress_send", "yes", "fastapi_mail_int_flag"),
        ("MAIL_DEBUG", "on", "fastapi_mail_int_flag"),
        ("TIMEOUT", "30s", "fastapi_mail_timeout"),
        ("MAIL_FROM", "app@shop.local", "fastapi_mail_sender"),
        ("MAIL_FROM", "app@localhost", "fastapi_mail_sender"),
        (
            "TEMPLATE_FOLDER",
            "/nonexistent/templates",
            "fastapi_mail_template_folder",
        ),
    ] {
        // TEMPLATE_FOLDER must exist for fastapi-mail: "." unless the case sets its own.
        let changes = [("TEMPLATE_FOLDER", Some(".")), (key, Some(value))];
        assert_eq!(
            refused(&changes),
            [(key.to_owned(), detail)],
            "{key}={value}"
        );
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
    assert_eq!(errors.get("MAIL_USERNAME").unwrap().code(), "missing");
    let hint = hint_on(&errors, "MAIL_USERNAME");
    assert!(
        hint.contains("even with USE_CREDENTIALS=False: set it, empty (MAIL_USERNAME=)"),
        "{hint}"
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
