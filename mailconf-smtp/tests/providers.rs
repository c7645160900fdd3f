//! `MAIL_PROVIDER`: a preset fills the server, port and TLS mode; explicit keys override it; a
//! port or mode the provider does not offer is reported; a known server is recognised.

use mailconf_core::{Errors, MailConfig};
use mailconf_smtp::{Provider, Security, SmtpConfig, SmtpSettings};

fn login(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut pairs = vec![
        ("MAIL_USERNAME", "app@gmail.com"),
        ("MAIL_PASSWORD", "app-password"),
        ("MAIL_FROM", "app@gmail.com"),
    ];
    pairs.extend_from_slice(extra);
    pairs
}

fn endpoint(extra: &[(&'static str, &'static str)]) -> (String, u16, Security) {
    let config = SmtpConfig::from_map(login(extra)).unwrap_or_else(|e| panic!("{e}"));
    let e = config.endpoint();
    (e.host.to_string(), e.port.get(), e.security)
}

fn errors(extra: &[(&'static str, &'static str)]) -> Errors {
    SmtpConfig::from_map(login(extra)).unwrap_err()
}

#[test]
fn a_preset_fills_server_port_and_tls_mode() {
    assert_eq!(
        endpoint(&[("MAIL_PROVIDER", "gmail")]),
        ("smtp.gmail.com".into(), 587, Security::StartTls)
    );
    assert_eq!(
        endpoint(&[("MAIL_PROVIDER", "ses:eu-west-1")]),
        (
            "email-smtp.eu-west-1.amazonaws.com".into(),
            587,
            Security::StartTls
        )
    );
    assert_eq!(
        endpoint(&[("MAIL_PROVIDER", "naver")]),
        ("smtp.naver.com".into(), 465, Security::ImplicitTls)
    );
}

#[test]
fn explicit_keys_override_the_preset() {
    // Another port the provider offers takes its mode from the table.
    assert_eq!(
        endpoint(&[("MAIL_PROVIDER", "gmail"), ("MAIL_PORT", "465")]),
        ("smtp.gmail.com".into(), 465, Security::ImplicitTls)
    );
    // The flags alone pick the provider's port for that mode.
    assert_eq!(
        endpoint(&[
            ("MAIL_PROVIDER", "gmail"),
            ("MAIL_STARTTLS", "false"),
            ("MAIL_SSL_TLS", "true")
        ]),
        ("smtp.gmail.com".into(), 465, Security::ImplicitTls)
    );
    assert_eq!(
        endpoint(&[("MAIL_PROVIDER", "sendgrid"), ("MAIL_PORT", "2525")]),
        ("smtp.sendgrid.net".into(), 2525, Security::StartTls)
    );
    let loaded = SmtpConfig::load_with_warnings(&mailconf_core::Sources::new().map(login(&[
        ("MAIL_PROVIDER", "zoho"),
        ("MAIL_SERVER", "smtp.zoho.eu"),
    ])))
    .unwrap();
    assert_eq!(loaded.value.endpoint().host.to_string(), "smtp.zoho.eu");
    let warnings = loaded.value.warnings();
    assert!(
        warnings.iter().any(|w| w.code == "provider_overridden"),
        "{warnings:?}"
    );
}

#[test]
fn a_port_the_provider_does_not_offer_is_a_contradiction() {
    let errors = errors(&[("MAIL_PROVIDER", "gmail"), ("MAIL_PORT", "25")]);
    let error = errors
        .get("MAIL_PROVIDER")
        .unwrap_or_else(|| panic!("{errors}"));
    assert_eq!(error.code(), "conflict");
    assert_eq!(
        error.message(),
        "Gmail is served on port 587 (STARTTLS), 465 (implicit TLS), not 25"
    );
    assert_eq!(
        error.hint().as_deref(),
        Some("set MAIL_PORT to one of these, or remove it to use the preset (587 STARTTLS)")
    );
    // A mode it does not speak on any port.
    let errors = errors_of_flags("daum", "true", "false");
    assert!(
        errors
            .to_string()
            .contains("Daum Mail (Kakao) offers no STARTTLS"),
        "{errors}"
    );
    // On a port that is not well known, the provider's own mode.
    let errors = self::errors(&[
        ("MAIL_PROVIDER", "ses:us-east-1"),
        ("MAIL_PORT", "2465"),
        ("MAIL_STARTTLS", "true"),
        ("MAIL_SSL_TLS", "false"),
    ]);
    assert!(
        errors
            .to_string()
            .contains("Amazon SES speaks implicit TLS on port 2465, but STARTTLS is configured"),
        "{errors}"
    );
}

fn errors_of_flags(provider: &'static str, starttls: &'static str, ssl: &'static str) -> Errors {
    errors(&[
        ("MAIL_PROVIDER", provider),
        ("MAIL_STARTTLS", starttls),
        ("MAIL_SSL_TLS", ssl),
    ])
}

#[test]
fn a_provider_and_a_url_conflict_and_a_bad_name_is_refused() {
    let errors = self::errors(&[
        ("MAIL_PROVIDER", "gmail"),
        ("MAIL_URL", "smtps://smtp.gmail.com"),
    ]);
    assert_eq!(
        errors.get("MAIL_URL").unwrap().code(),
        "conflict",
        "{errors}"
    );
    let errors = errors_of_flags("gmial", "true", "false");
    let error = errors.get("MAIL_PROVIDER").unwrap();
    assert_eq!(error.code(), "invalid_value");
    assert!(error.hint().unwrap().contains("gmail"), "{error}");
    let errors = self::errors(&[("MAIL_PROVIDER", "ses")]);
    assert!(
        errors
            .get("MAIL_PROVIDER")
            .unwrap()
            .hint()
            .unwrap()
            .contains("ses:eu-west-1"),
        "{errors}"
    );
}

#[test]
fn a_known_server_on_a_port_it_does_not_offer_is_a_warning() {
    let config = SmtpConfig::from_map(login(&[
        ("MAIL_SERVER", "smtp.gmail.com"),
        ("MAIL_PORT", "25"),
        ("MAIL_STARTTLS", "true"),
        ("MAIL_SSL_TLS", "false"),
    ]))
    .unwrap();
    let warning = config
        .warnings()
        .into_iter()
        .find(|w| w.code == "provider_port")
        .expect("a provider_port warning");
    assert_eq!(warning.key, "MAIL_PORT");
    assert!(warning.message.to_string().contains("Gmail"), "{warning}");
}

#[test]
fn every_preset_loads_with_the_mode_its_port_needs() {
    for provider in Provider::all() {
        let name = if provider.needs_region() {
            format!("{}:us-east-1", provider.id)
        } else {
            provider.id.to_owned()
        };
        let name: &'static str = Box::leak(name.into_boxed_str());
        let (_, port, security) = endpoint(&[("MAIL_PROVIDER", name)]);
        assert_eq!(port, provider.preset().port, "{name}");
        assert_eq!(security, provider.preset().security, "{name}");
        if let Some(expected) = Security::for_port(port) {
            assert_eq!(security, expected, "{name}");
        }
        for offer in provider.ports {
            let port: &'static str = Box::leak(offer.port.to_string().into_boxed_str());
            let (_, _, security) = endpoint(&[("MAIL_PROVIDER", name), ("MAIL_PORT", port)]);
            assert_eq!(security, offer.security, "{name} {port}");
        }
    }
}

#[test]
fn the_configured_provider_reaches_the_mailer_for_its_hints() {
    // A relay's own name does not tell the provider; MAIL_PROVIDER does.
    let config = SmtpConfig::from_map(login(&[
        ("MAIL_PROVIDER", "sendgrid"),
        ("MAIL_SERVER", "relay.internal.example"),
    ]))
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(config.provider().map(|p| p.id), Some("sendgrid"));
    let plain = SmtpConfig::from_map(login(&[
        ("MAIL_SERVER", "smtp.sendgrid.net"),
        ("MAIL_PORT", "587"),
        ("MAIL_STARTTLS", "true"),
        ("MAIL_SSL_TLS", "false"),
    ]))
    .unwrap_or_else(|e| panic!("{e}"));
    // Not configured: left to recognition from the server's name.
    assert_eq!(plain.provider().map(|p| p.id), None);
}
