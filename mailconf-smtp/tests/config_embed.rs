//! `SmtpConfig` embedded in an application's own settings struct: every name it reads, and
//! every name its errors mention, is fastapi-mail's name under the embedding prefix.

use std::time::Duration;

use mailconf_core::{Errors, MailConfig};
use mailconf_smtp::{Security, SmtpConfig, SmtpSettings};

#[path = "support/fastapi_mail.rs"]
mod fastapi_mail;
#[path = "support/reported.rs"]
mod reported;

use fastapi_mail::{FASTAPI_MAIL, with};
use reported::{hint_on, keys_and_codes};

/// Embedded without a prefix: the variables are exactly fastapi-mail's.
#[derive(MailConfig, Debug)]
struct Plain {
    #[mailconf(flatten)]
    mail: SmtpConfig,
    #[mailconf(env = "DATABASE_URL")]
    database_url: String,
}

/// Embedded with a prefix: every variable of `SmtpConfig` gets `APP_` in front.
#[derive(MailConfig, Debug)]
struct Prefixed {
    #[mailconf(flatten(prefix = "APP_"))]
    mail: SmtpConfig,
}

/// The same names through the outer struct's own prefix.
#[derive(MailConfig, Debug)]
#[mailconf(prefix = "APP_")]
struct OuterPrefix {
    #[mailconf(flatten)]
    mail: SmtpConfig,
}

/// [`FASTAPI_MAIL`] with these changes, every key under `APP_`.
fn app_env(changes: &[(&'static str, Option<&'static str>)]) -> Vec<(String, &'static str)> {
    with(changes)
        .into_iter()
        .map(|(k, v)| (format!("APP_{k}"), v))
        .collect()
}

fn prefixed_errors(changes: &[(&'static str, Option<&'static str>)]) -> Errors {
    Prefixed::from_map(app_env(changes)).expect_err("should be rejected")
}

/// Every variable an entry answers to, `_FILE` variants included.
fn every_name<T: MailConfig>() -> Vec<String> {
    let mut names = Vec::new();
    for entry in T::schema().entries() {
        names.extend(entry.names().all().map(|(name, _)| name.into_owned()));
    }
    names.sort();
    names
}

#[test]
fn without_a_prefix_the_names_are_fastapi_mails() {
    let mut env: Vec<(&str, &str)> = FASTAPI_MAIL.to_vec();
    env.push(("DATABASE_URL", "postgres://db"));
    let plain = Plain::from_map(env).unwrap();
    assert_eq!(plain.database_url, "postgres://db");
    assert_eq!(plain.mail.endpoint().security, Security::StartTls);
    assert_eq!(plain.mail.timeout(), Duration::from_secs(60));

    let mut expected = every_name::<SmtpConfig>();
    expected.push("DATABASE_URL".into());
    expected.sort();
    assert_eq!(every_name::<Plain>(), expected);
}

#[test]
fn with_a_prefix_every_name_is_under_it() {
    let plain = every_name::<SmtpConfig>();
    let expected: Vec<String> = plain.iter().map(|k| format!("APP_{k}")).collect();
    assert_eq!(every_name::<Prefixed>(), expected);
    assert_eq!(every_name::<OuterPrefix>(), expected);
    for name in [
        "APP_TIMEOUT",
        "APP_MAIL_TLS",
        "APP_CERT_BUNDLE",
        "APP_MAIL_PASSWORD_FILE",
    ] {
        assert!(expected.iter().any(|k| k == name), "{name}: {expected:?}");
    }

    let config = Prefixed::from_map(app_env(&[("TIMEOUT", Some("5"))])).unwrap();
    assert_eq!(config.mail.timeout(), Duration::from_secs(5));
    assert_eq!(config.mail.endpoint().host.to_string(), "smtp.example.com");
    assert!(config.mail.credentials().is_some());
    let outer = OuterPrefix::from_map(app_env(&[])).unwrap();
    assert_eq!(outer.mail.pool_size(), 10);
}

#[test]
fn a_prefixed_secret_is_read_from_its_prefixed_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("password");
    std::fs::write(&path, "from-a-file\n").unwrap();
    let mut env = app_env(&[("MAIL_PASSWORD", None)]);
    let path = path.to_str().unwrap().to_owned();
    let env: Vec<(String, String)> = env
        .drain(..)
        .map(|(k, v)| (k, v.to_owned()))
        .chain([("APP_MAIL_PASSWORD_FILE".to_owned(), path)])
        .collect();
    let config = Prefixed::from_map(env).unwrap();
    let password = config.mail.credentials().unwrap().password;
    assert_eq!(password.expose_secret(), "from-a-file");
}

#[test]
fn renamed_keys_and_hints_name_the_prefixed_variables() {
    let e = prefixed_errors(&[("MAIL_STARTTLS", None), ("MAIL_TLS", Some("true"))]);
    assert_eq!(
        keys_and_codes(&e),
        [
            ("APP_MAIL_TLS".into(), "renamed_key"),
            ("APP_MAIL_STARTTLS".into(), "missing"),
        ],
        "{e}"
    );
    assert_eq!(
        e.get("APP_MAIL_TLS").unwrap().message(),
        "APP_MAIL_TLS was renamed to APP_MAIL_STARTTLS"
    );
    assert_eq!(
        hint_on(&e, "APP_MAIL_STARTTLS"),
        "APP_MAIL_TLS was renamed to APP_MAIL_STARTTLS: rename APP_MAIL_TLS to APP_MAIL_STARTTLS"
    );

    let e = prefixed_errors(&[("MAIL_USERNAME", None), ("MAIL_PASSWORD", None)]);
    for key in ["APP_MAIL_USERNAME", "APP_MAIL_PASSWORD"] {
        let hint = hint_on(&e, key);
        assert!(hint.contains(key), "{hint}");
        assert!(hint.contains("APP_USE_CREDENTIALS=false"), "{hint}");
        assert!(
            !hint.contains(" MAIL_") && !hint.contains(" USE_"),
            "{hint}"
        );
    }
}

#[test]
fn rule_errors_name_the_prefixed_variables() {
    let e = prefixed_errors(&[("MAIL_PORT", Some("465"))]);
    assert_eq!(keys_and_codes(&e), [("APP_MAIL_PORT".into(), "conflict")]);
    assert_eq!(
        hint_on(&e, "APP_MAIL_PORT"),
        "for port 465 set APP_MAIL_STARTTLS=false, APP_MAIL_SSL_TLS=true; to keep STARTTLS use APP_MAIL_PORT=587"
    );
    let e = prefixed_errors(&[("MAIL_FROM", Some("Other <app@example.com>"))]);
    let conflict = e.get("APP_MAIL_FROM").unwrap();
    assert!(
        conflict
            .message()
            .starts_with("APP_MAIL_FROM has a display name and APP_MAIL_FROM_NAME"),
        "{conflict}"
    );
}

#[test]
fn did_you_mean_names_the_prefixed_variables() {
    let e = prefixed_errors(&[("MAIL_SERVR", Some("smtp.example.com"))]);
    assert_eq!(
        hint_on(&e, "APP_MAIL_SERVR"),
        "did you mean APP_MAIL_SERVER?"
    );
    let e = prefixed_errors(&[("MAIL_TIMEOUT", Some("5"))]);
    assert_eq!(hint_on(&e, "APP_MAIL_TIMEOUT"), "did you mean APP_TIMEOUT?");
}

#[test]
fn mail_timeout_is_taken_for_timeout() {
    let e = SmtpConfig::from_map(with(&[("MAIL_TIMEOUT", Some("5"))])).unwrap_err();
    assert_eq!(hint_on(&e, "MAIL_TIMEOUT"), "did you mean TIMEOUT?");
    let e = Plain::from_map(with(&[("MAIL_VALIDATE_CERTS", Some("false"))])).unwrap_err();
    assert_eq!(
        hint_on(&e, "MAIL_VALIDATE_CERTS"),
        "did you mean VALIDATE_CERTS?"
    );
}
