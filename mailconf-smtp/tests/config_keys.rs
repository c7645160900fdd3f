//! Which keys `SmtpConfig` reads, as fastapi-mail (pydantic-settings) reads them: names in any
//! case, unknown keys a warning unless they are a near miss or another library's key, an old
//! name next to its new one ignored with a warning.

use mailconf_core::{MailConfig, Sources, Warning};
use mailconf_smtp::{SmtpConfig, SmtpSettings};

#[path = "support/fastapi_mail.rs"]
mod fastapi_mail;

use fastapi_mail::{FASTAPI_MAIL, with};

fn codes(warnings: &[Warning]) -> Vec<(&str, &'static str)> {
    warnings.iter().map(|w| (w.key.as_str(), w.code)).collect()
}

fn load(pairs: Vec<(&'static str, &'static str)>) -> (SmtpConfig, Vec<Warning>) {
    let loaded = SmtpConfig::load_with_warnings(&Sources::new().map(pairs)).unwrap();
    (loaded.value, loaded.warnings)
}

#[test]
fn an_unrelated_unknown_key_is_a_warning_and_the_config_loads() {
    let (_, warnings) = load(with(&[("MAIL_TO", Some("ops@example.com"))]));
    assert_eq!(codes(&warnings), [("MAIL_TO", "unknown_key")]);
    assert!(
        warnings[0].message.to_string().contains("ignored"),
        "{}",
        warnings[0]
    );
    // `load` logs it instead of returning it, and still loads.
    SmtpConfig::from_map(with(&[("MAIL_TO", Some("ops@example.com"))])).unwrap();
}

#[test]
fn deny_unknown_makes_every_unknown_key_an_error() {
    let sources = Sources::new()
        .map(with(&[("MAIL_TO", Some("ops@example.com"))]))
        .deny_unknown();
    let errors = SmtpConfig::load(&sources).unwrap_err();
    let error = errors.get("MAIL_TO").unwrap();
    assert_eq!(error.code(), "unknown_key");
    assert_eq!(
        error.hint().as_deref(),
        Some("remove MAIL_TO: SmtpConfig reads no such setting")
    );
}

#[test]
fn a_near_miss_stays_an_error() {
    let errors = SmtpConfig::from_map(with(&[("MAIL_PASWORD", Some("x"))])).unwrap_err();
    let error = errors.get("MAIL_PASWORD").unwrap();
    assert_eq!(error.code(), "unknown_key");
    assert_eq!(error.hint().as_deref(), Some("did you mean MAIL_PASSWORD?"));
    // The prefix put on a key that has none is a near miss too.
    let errors = SmtpConfig::from_map(with(&[("MAIL_TIMEOUT", Some("30"))])).unwrap_err();
    assert_eq!(
        errors.get("MAIL_TIMEOUT").unwrap().hint().as_deref(),
        Some("did you mean TIMEOUT?")
    );
}

#[test]
fn another_librarys_key_is_an_error_naming_what_to_set() {
    for (key, dialect, instead) in [
        ("MAIL_USE_TLS", "Flask-Mail", "MAIL_STARTTLS"),
        ("MAIL_DEFAULT_SENDER", "Flask-Mail", "MAIL_FROM"),
        ("MAIL_ENCRYPTION", "Laravel", "MAIL_SSL_TLS"),
        ("mail_use_ssl", "Flask-Mail", "MAIL_SSL_TLS"),
    ] {
        let errors = SmtpConfig::from_map(with(&[(key, Some("true"))])).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors}");
        let error = errors.get(key).unwrap();
        assert_eq!(error.code(), "foreign_key", "{key}");
        assert_eq!(
            error.kind(),
            &mailconf_core::ErrorKind::ForeignKey { dialect }
        );
        assert!(error.hint().unwrap().contains(instead), "{error}");
    }
}

#[test]
fn an_old_key_next_to_its_new_name_is_ignored_with_a_warning() {
    let (config, warnings) = load(with(&[("MAIL_TLS", Some("false"))]));
    assert_eq!(codes(&warnings), [("MAIL_TLS", "renamed_key")]);
    assert_eq!(
        warnings[0].message,
        "MAIL_TLS was renamed to MAIL_STARTTLS, which is set: MAIL_TLS is ignored"
    );
    assert_eq!(
        warnings[0]
            .hint
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("remove MAIL_TLS")
    );
    // MAIL_STARTTLS=True is what is used, as in fastapi-mail.
    assert_eq!(
        config.endpoint().security,
        mailconf_smtp::Security::StartTls
    );
}

#[test]
fn keys_match_whatever_their_case_with_a_note() {
    let lower: Vec<(String, &str)> = FASTAPI_MAIL
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), *v))
        .chain([("suppress_send".to_owned(), "1")])
        .filter(|(k, v)| k != "suppress_send" || *v == "1")
        .collect();
    let loaded = SmtpConfig::load_with_warnings(&Sources::new().map(lower)).unwrap();
    let config = loaded.value;
    assert_eq!(config.endpoint().host.to_string(), "smtp.example.com");
    assert_eq!(
        config.credentials().unwrap().password.expose_secret(),
        "app-password-123"
    );
    assert!(
        config.suppress_send(),
        "suppress_send=1 is read, not ignored"
    );
    let noted: Vec<&str> = loaded
        .warnings
        .iter()
        .filter(|w| w.code == "key_case")
        .map(|w| w.key.as_str())
        .collect();
    assert_eq!(noted.len(), FASTAPI_MAIL.len(), "{noted:?}");
    let server = loaded
        .warnings
        .iter()
        .find(|w| w.key == "mail_server")
        .unwrap();
    assert_eq!(
        server.hint.as_ref().map(ToString::to_string).as_deref(),
        Some("write it MAIL_SERVER")
    );
    // A lower-case unknown key under the prefix is still seen.
    let errors = SmtpConfig::from_map(with(&[("mail_servr", Some("x"))])).unwrap_err();
    assert_eq!(errors.get("mail_servr").unwrap().code(), "unknown_key");
}

#[test]
fn a_later_layer_overrides_an_earlier_one_whatever_the_case() {
    let sources = Sources::new()
        .map(FASTAPI_MAIL)
        .map([("mail_server", "relay.example.com")]);
    let loaded = SmtpConfig::load_with_warnings(&sources).unwrap();
    assert_eq!(
        loaded.value.endpoint().host.to_string(),
        "relay.example.com"
    );
    let ignored = loaded
        .warnings
        .iter()
        .find(|w| w.key == "MAIL_SERVER")
        .expect("the overridden spelling is named");
    assert_eq!(ignored.code, "key_case");
    assert!(
        ignored
            .message
            .to_string()
            .contains("mail_server is set too"),
        "{ignored}"
    );
}

#[test]
fn a_case_variant_of_a_secret_never_shows_its_value() {
    let mut pairs = with(&[("MAIL_PASSWORD", None)]);
    pairs.push(("Mail_Password", "Zq-secret-value"));
    pairs.push(("MAIL_PORT", "0"));
    let errors = SmtpConfig::from_map(pairs.clone()).unwrap_err();
    let sources = Sources::new().map(pairs);
    let warnings = match SmtpConfig::load_with_warnings(&sources) {
        Ok(_) => unreachable!("port 0 is refused"),
        Err(errors) => errors.warnings().to_vec(),
    };
    assert!(codes(&warnings).contains(&("Mail_Password", "key_case")));
    let outputs = [
        errors.to_string(),
        format!("{errors:?}"),
        serde_json::to_string(&errors).unwrap(),
        serde_json::to_string(&warnings).unwrap(),
        format!("{warnings:?}"),
    ];
    for out in outputs {
        assert!(!out.contains("Zq-secret"), "{out}");
    }
}

#[test]
fn a_django_key_outside_the_prefix_is_named_where_its_setting_is_missing() {
    let mut pairs = with(&[("MAIL_SERVER", None)]);
    pairs.push(("EMAIL_HOST", "smtp.example.com"));
    let text: String = pairs.iter().map(|(k, v)| format!("{k}='{v}'\n")).collect();
    let sources = Sources::new().dotenv_str(".env", &text);
    let errors = SmtpConfig::load(&sources).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors}");
    let missing = errors.get("MAIL_SERVER").unwrap();
    assert_eq!(missing.code(), "missing");
    assert_eq!(
        missing.hint().as_deref(),
        Some(
            "EMAIL_HOST is set, but that is Django's name: set MAIL_SERVER=smtp.example.com instead"
        )
    );
}
