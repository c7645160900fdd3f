//! fastapi-mail's `.env` spellings load into `SmtpConfig` as fastapi-mail reads them (pydantic's
//! rules, checked against fastapi-mail 1.6.8 itself by `compat_fastapi_mail.rs`).

use mailconf_core::MailConfig;
use mailconf_smtp::{Security, SmtpConfig, SmtpSettings};

/// A working STARTTLS configuration with these keys replaced.
fn env(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut env = vec![
        ("MAIL_USERNAME", "app@example.com"),
        ("MAIL_PASSWORD", "app-password"),
        ("MAIL_FROM", "app@example.com"),
        ("MAIL_PORT", "587"),
        ("MAIL_SERVER", "smtp.example.com"),
        ("MAIL_STARTTLS", "True"),
        ("MAIL_SSL_TLS", "False"),
    ];
    for (key, value) in changes {
        env.retain(|(k, _)| k != key);
        env.push((key, value));
    }
    env
}

fn load(changes: &[(&'static str, &'static str)]) -> SmtpConfig {
    SmtpConfig::from_map(env(changes)).unwrap_or_else(|e| panic!("{changes:?}:\n{e}"))
}

#[test]
fn short_boolean_spellings_select_the_tls_mode() {
    for (starttls, ssl_tls, port, security) in [
        ("t", "f", "587", Security::StartTls),
        ("Y", "N", "587", Security::StartTls),
        ("n", "y", "465", Security::ImplicitTls),
        ("F", "T", "465", Security::ImplicitTls),
    ] {
        let config = load(&[
            ("MAIL_STARTTLS", starttls),
            ("MAIL_SSL_TLS", ssl_tls),
            ("MAIL_PORT", port),
        ]);
        assert_eq!(config.security(), security, "{starttls}/{ssl_tls}");
    }
}

#[test]
fn ports_spelled_as_pydantic_reads_them() {
    for port in ["587.0", "+587", " 587 ", "587\r"] {
        let config = load(&[("MAIL_PORT", port)]);
        assert_eq!(config.endpoint().port.get(), 587, "{port:?}");
    }
    for (port, fastapi_mail_reads) in [("587.5", "refused"), ("5 87", "refused")] {
        assert!(
            SmtpConfig::from_map(env(&[("MAIL_PORT", port)])).is_err(),
            "{port:?} is {fastapi_mail_reads} by fastapi-mail too"
        );
    }
}

#[test]
fn a_timeout_spelled_as_a_pydantic_int() {
    let config = load(&[("TIMEOUT", "30.0")]);
    assert_eq!(config.timeout().as_secs(), 30);
}

#[test]
fn a_sender_with_spaces_around_it_is_the_address() {
    let config = load(&[("MAIL_FROM", "  app@example.com ")]);
    assert_eq!(config.sender().email.as_str(), "app@example.com");
}

#[test]
fn mail_from_with_a_display_name_gives_the_name() {
    let config = load(&[("MAIL_FROM", "Example App <app@example.com>")]);
    let sender = config.sender();
    assert_eq!(sender.name.as_deref(), Some("Example App"));
    assert_eq!(sender.email.as_str(), "app@example.com");
}

#[test]
fn mail_from_name_wins_only_when_the_names_agree_or_one_is_missing() {
    let config = load(&[
        ("MAIL_FROM", "<app@example.com>"),
        ("MAIL_FROM_NAME", "Shop"),
    ]);
    assert_eq!(config.sender().name.as_deref(), Some("Shop"));
    let same = load(&[
        ("MAIL_FROM", "Shop <app@example.com>"),
        ("MAIL_FROM_NAME", "Shop"),
    ]);
    assert_eq!(same.sender().to_string(), "Shop <app@example.com>");

    let errors = SmtpConfig::from_map(env(&[
        ("MAIL_FROM", "Shop <app@example.com>"),
        ("MAIL_FROM_NAME", "Other Shop"),
    ]))
    .unwrap_err();
    assert_eq!(errors.len(), 1, "{errors}");
    let conflict = errors.iter().next().unwrap();
    assert_eq!(conflict.code(), "conflict");
    assert!(
        ["MAIL_FROM", "MAIL_FROM_NAME"].contains(&conflict.key()),
        "{errors}"
    );
    assert!(conflict.message().contains("MAIL_FROM_NAME"), "{errors}");
}

#[test]
fn docker_service_names_load_with_a_warning() {
    let config = load(&[
        ("MAIL_SERVER", "mail_hog"),
        ("MAIL_PORT", "1025"),
        ("MAIL_STARTTLS", "False"),
        ("USE_CREDENTIALS", "False"),
    ]);
    assert_eq!(config.endpoint().host.to_string(), "mail_hog");
    let warning = config
        .warnings()
        .into_iter()
        .find(|w| w.code == "underscore_in_host")
        .expect("a warning about the `_`");
    assert_eq!(warning.key, "MAIL_SERVER");
    assert!(
        warning.message.to_string().contains("mail_hog"),
        "{warning}"
    );
}

#[test]
fn local_hostname_takes_rfc_5321_address_literals() {
    let v4 = load(&[("LOCAL_HOSTNAME", "[192.0.2.1]")]);
    assert_eq!(v4.hello_name().unwrap().to_string(), "192.0.2.1");
    let v6 = load(&[("LOCAL_HOSTNAME", "[IPv6:2001:db8::1]")]);
    assert_eq!(v6.hello_name().unwrap().to_string(), "2001:db8::1");
    assert!(v4.warnings().iter().all(|w| w.code != "underscore_in_host"));
}
