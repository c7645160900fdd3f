//! `SmtpConfig`: fastapi-mail's environment loads unchanged, and every rule between settings is
//! reported with the keys to change.

use std::time::Duration;

use mailconf_core::{Errors, MailConfig};
use mailconf_smtp::{Security, SmtpConfig, SmtpSettings};

#[path = "support/fastapi_mail.rs"]
mod fastapi_mail;
#[path = "support/reported.rs"]
mod reported;

use fastapi_mail::{FASTAPI_MAIL, with};
use reported::{hint_on, keys_and_codes};

/// Keys to remove (`None`) or set in fastapi-mail's environment.
type Changes = &'static [(&'static str, Option<&'static str>)];
/// The variables a load reports errors on, each with its code, in the report's order.
type KeysAndCodes = &'static [(&'static str, &'static str)];

fn errors(changes: &[(&'static str, Option<&'static str>)]) -> Errors {
    SmtpConfig::from_map(with(changes)).expect_err("should be rejected")
}

#[test]
fn a_working_fastapi_mail_environment_loads_unchanged() {
    let config = SmtpConfig::from_map(FASTAPI_MAIL).unwrap();
    let endpoint = config.endpoint();
    assert_eq!(endpoint.host.to_string(), "smtp.example.com");
    assert_eq!(endpoint.port.get(), 587);
    assert_eq!(endpoint.security, Security::StartTls);
    let creds = config.credentials().unwrap();
    assert_eq!(creds.username, "app@example.com");
    assert_eq!(creds.password.expose_secret(), "app-password-123");
    assert_eq!(config.sender().to_string(), "Example App <app@example.com>");
    assert_eq!(config.timeout(), Duration::from_secs(60));
    assert!(config.tls().validate_certs);
    assert_eq!(config.hello_name().unwrap().to_string(), "app.example.com");
    assert!(!config.suppress_send());
    assert_eq!(config.pool_size(), 10);
    let warnings: Vec<_> = config.warnings().into_iter().map(|w| w.code).collect();
    assert!(warnings.is_empty(), "{warnings:?}");
    // TEMPLATE_FOLDER is used, not noted as ignored: the Mailer reads it.
    assert_eq!(
        config.template_folder().as_deref(),
        Some(std::path::Path::new("./templates"))
    );
}

#[test]
fn the_old_fastapi_mail_keys_give_four_entries_with_rename_hints() {
    let e = errors(&[
        ("MAIL_STARTTLS", None),
        ("MAIL_SSL_TLS", None),
        ("MAIL_TLS", Some("true")),
        ("MAIL_SSL", Some("false")),
    ]);
    assert_eq!(e.len(), 4, "{e}");
    assert_eq!(
        e.get("MAIL_TLS").unwrap().message(),
        "MAIL_TLS was renamed to MAIL_STARTTLS"
    );
    assert_eq!(
        e.get("MAIL_SSL").unwrap().message(),
        "MAIL_SSL was renamed to MAIL_SSL_TLS"
    );
    assert_eq!(e.get("MAIL_TLS").unwrap().code(), "renamed_key");
    let starttls = e.get("MAIL_STARTTLS").unwrap();
    assert_eq!(starttls.code(), "missing");
    assert_eq!(
        starttls.hint().as_deref(),
        Some("MAIL_TLS was renamed to MAIL_STARTTLS: rename MAIL_TLS to MAIL_STARTTLS")
    );
    assert_eq!(
        hint_on(&e, "MAIL_SSL_TLS"),
        "MAIL_SSL was renamed to MAIL_SSL_TLS: rename MAIL_SSL to MAIL_SSL_TLS"
    );
}

#[test]
fn both_tls_flags_are_a_conflict() {
    let e = errors(&[("MAIL_SSL_TLS", Some("true"))]);
    assert_eq!(keys_and_codes(&e), [("MAIL_STARTTLS".into(), "conflict")]);
    let conflict = e.get("MAIL_STARTTLS").unwrap();
    assert_eq!(
        conflict.kind(),
        &mailconf_core::ErrorKind::Conflict {
            with: vec!["MAIL_SSL_TLS".into()]
        }
    );
    assert!(
        conflict
            .hint()
            .unwrap()
            .contains("port 465: MAIL_STARTTLS=false, MAIL_SSL_TLS=true")
    );
}

#[test]
fn starttls_on_port_465_names_the_hang_and_the_fix() {
    let e = errors(&[("MAIL_PORT", Some("465"))]);
    assert_eq!(keys_and_codes(&e), [("MAIL_PORT".into(), "conflict")]);
    let error = e.get("MAIL_PORT").unwrap();
    assert!(error.message().contains("hangs"), "{error}");
    assert_eq!(
        error.hint().as_deref(),
        Some(
            "for port 465 set MAIL_STARTTLS=false, MAIL_SSL_TLS=true; to keep STARTTLS use MAIL_PORT=587"
        )
    );
}

#[test]
fn plain_text_on_port_465_names_the_hang_too() {
    // Port 465 waits for a TLS handshake whether STARTTLS or no TLS at all is configured.
    let e = errors(&[
        ("MAIL_PORT", Some("465")),
        ("MAIL_STARTTLS", Some("false")),
        ("MAIL_SSL_TLS", Some("false")),
        ("MAIL_ALLOW_INSECURE_AUTH", Some("true")),
    ]);
    let error = e.get("MAIL_PORT").unwrap_or_else(|| panic!("{e}"));
    assert!(error.message().contains("no TLS is configured"), "{error}");
    assert!(error.message().contains("hangs"), "{error}");
    assert_eq!(
        error.hint().as_deref(),
        Some(
            "for port 465 set MAIL_STARTTLS=false, MAIL_SSL_TLS=true; to stay in plain text use MAIL_PORT=25"
        )
    );
}

#[test]
fn implicit_tls_on_587_or_25_names_the_handshake_error() {
    for port in ["587", "25"] {
        let e = errors(&[
            ("MAIL_PORT", Some(port)),
            ("MAIL_STARTTLS", Some("false")),
            ("MAIL_SSL_TLS", Some("true")),
        ]);
        let error = e.get("MAIL_PORT").unwrap_or_else(|| panic!("{e}"));
        assert!(
            error.message().contains("InvalidContentType")
                && error.message().contains("wrong version number"),
            "{error}"
        );
        assert!(
            error
                .hint()
                .unwrap()
                .contains("MAIL_STARTTLS=true, MAIL_SSL_TLS=false")
        );
    }
    // The usual pairs and unusual ports pass.
    SmtpConfig::from_map(with(&[
        ("MAIL_PORT", Some("465")),
        ("MAIL_STARTTLS", Some("false")),
        ("MAIL_SSL_TLS", Some("true")),
    ]))
    .unwrap();
    SmtpConfig::from_map(with(&[("MAIL_PORT", Some("2525"))])).unwrap();
}

#[test]
fn credentials_required_unless_turned_off() {
    let e = errors(&[("MAIL_USERNAME", None), ("MAIL_PASSWORD", None)]);
    assert_eq!(
        keys_and_codes(&e),
        [
            ("MAIL_USERNAME".into(), "missing"),
            ("MAIL_PASSWORD".into(), "missing")
        ]
    );
    assert!(
        e.get("MAIL_PASSWORD")
            .unwrap()
            .hint()
            .unwrap()
            .contains("USE_CREDENTIALS=false")
    );
    let config = SmtpConfig::from_map(with(&[
        ("MAIL_USERNAME", None),
        ("MAIL_PASSWORD", None),
        ("USE_CREDENTIALS", Some("false")),
    ]))
    .unwrap();
    assert!(config.credentials().is_none());
}

#[test]
fn a_login_over_plain_text_is_refused_except_on_loopback_or_when_allowed() {
    let plain = [("MAIL_STARTTLS", Some("false")), ("MAIL_PORT", Some("25"))];
    let e = errors(&plain);
    let error = e.iter().next().unwrap();
    assert_eq!(
        (error.key(), error.code()),
        ("MAIL_STARTTLS", "conflict"),
        "{e}"
    );
    assert!(error.message().contains("unencrypted to smtp.example.com"));
    assert!(
        error
            .hint()
            .unwrap()
            .contains("MAIL_ALLOW_INSECURE_AUTH=true")
    );

    // An empty flag is not false: `MAIL_STARTTLS=` once loaded as "no TLS" and sent the
    // password in clear text past this rule. It is refused as set but empty.
    for flag in ["MAIL_STARTTLS", "MAIL_SSL_TLS"] {
        let e = errors(&[(flag, Some("")), ("MAIL_PORT", Some("25"))]);
        let error = e.get(flag).unwrap_or_else(|| panic!("{e}"));
        assert_eq!(
            (error.message().as_str(), error.detail()),
            ("set but empty", Some("empty_value"))
        );
        assert!(!e.to_string().contains("app-password-123"), "{e}");
    }

    for host in ["localhost", "127.0.0.1", "::1"] {
        SmtpConfig::from_map(with(&[plain[0], plain[1], ("MAIL_SERVER", Some(host))])).unwrap();
    }
    let allowed = SmtpConfig::from_map(with(&[
        plain[0],
        plain[1],
        ("MAIL_ALLOW_INSECURE_AUTH", Some("true")),
    ]))
    .unwrap();
    assert!(
        allowed
            .warnings()
            .iter()
            .any(|w| w.code == "insecure_auth_allowed")
    );
    // Without a login there is nothing to protect.
    SmtpConfig::from_map(with(&[
        plain[0],
        plain[1],
        ("USE_CREDENTIALS", Some("false")),
    ]))
    .unwrap();
}

#[test]
fn unchecked_certificates_and_a_foreign_sender_are_warnings() {
    let config = SmtpConfig::from_map(with(&[
        ("VALIDATE_CERTS", Some("false")),
        ("MAIL_FROM", Some("news@other.example")),
        ("TEMPLATE_FOLDER", None),
    ]))
    .unwrap();
    let warnings = config.warnings();
    let codes: Vec<_> = warnings.iter().map(|w| (w.key.as_str(), w.code)).collect();
    assert_eq!(
        codes,
        [
            ("VALIDATE_CERTS", "certificates_not_checked"),
            ("MAIL_FROM", "from_domain_mismatch")
        ]
    );
    assert!(!config.tls().validate_certs);
    assert!(
        warnings[1].message.to_string().contains("other.example")
            && warnings[1].message.to_string().contains("example.com")
    );
    let json = serde_json::to_value(&warnings).unwrap();
    assert_eq!(json[0]["code"], "certificates_not_checked");
}

/// Changes to fastapi-mail's environment that are wrong in several ways at once, and what the
/// load reports: every bad value and every rule whose inputs loaded, keyed and in order.
const REPORTED_TOGETHER: &[(&str, Changes, KeysAndCodes)] = &[
    (
        "field errors and rule inputs",
        &[
            ("MAIL_PORT", Some("99999")),
            ("MAIL_FROM", Some("not-an-address")),
            ("MAIL_SERVER", Some("smtp://smtp.example.com")),
            ("MAIL_STARTTLS", Some("maybe")),
        ],
        &[
            ("MAIL_PORT", "invalid_port"),
            ("MAIL_SERVER", "invalid_host"),
            ("MAIL_STARTTLS", "invalid_bool"),
            ("MAIL_FROM", "invalid_email"),
        ],
    ),
    (
        "a bad value elsewhere does not hide a TLS/port mix-up",
        &[
            ("MAIL_PORT", Some("465")),
            ("MAIL_POOL_SIZE", Some("70000")),
            ("TIMEOUT", Some("soon")),
        ],
        &[
            ("MAIL_PORT", "conflict"),
            ("TIMEOUT", "invalid_duration"),
            ("MAIL_POOL_SIZE", "out_of_range"),
        ],
    ),
    (
        // The TLS/port rule needs neither the server nor anything else that failed.
        "an invalid server does not hide STARTTLS on 465",
        &[
            ("MAIL_SERVER", Some("smtp://smtp.example.com")),
            ("MAIL_PORT", Some("465")),
        ],
        &[("MAIL_SERVER", "invalid_host"), ("MAIL_PORT", "conflict")],
    ),
    (
        "a rule that needs a field that failed is skipped, not reported wrongly",
        &[("MAIL_PORT", Some("none")), ("MAIL_SSL_TLS", Some("true"))],
        &[("MAIL_PORT", "invalid_port"), ("MAIL_STARTTLS", "conflict")],
    ),
    (
        "a bad value elsewhere does not hide the sender names' conflict",
        &[
            ("MAIL_FROM", Some("Other <app@example.com>")),
            ("MAIL_POOL_SIZE", Some("0")),
            ("MAIL_PASSWORD", None),
        ],
        &[
            ("MAIL_PASSWORD", "missing"),
            ("MAIL_POOL_SIZE", "invalid_pool_size"),
            ("MAIL_FROM", "conflict"),
        ],
    ),
    (
        "a display name with a line break",
        &[("MAIL_FROM_NAME", Some("App\r\nBcc: victim@example.com"))],
        &[("MAIL_FROM_NAME", "invalid_name")],
    ),
];

#[test]
fn every_problem_is_reported_and_none_hides_another() {
    for (case, changes, expected) in REPORTED_TOGETHER {
        let e = errors(changes);
        let reported = keys_and_codes(&e);
        let reported: Vec<_> = reported.iter().map(|(k, c)| (k.as_str(), *c)).collect();
        assert_eq!(reported, *expected, "{case}: {e}");
    }
}

#[test]
fn mail_url_replaces_the_separate_settings() {
    let base: Vec<_> = with(&[
        ("MAIL_SERVER", None),
        ("MAIL_PORT", None),
        ("MAIL_STARTTLS", None),
        ("MAIL_SSL_TLS", None),
        ("MAIL_USERNAME", None),
        ("MAIL_PASSWORD", None),
    ]);
    let load =
        |url: &'static str| SmtpConfig::from_map(base.iter().copied().chain([("MAIL_URL", url)]));

    let implicit = load("smtps://u%40example.com:p%40ss@smtp.example.com").unwrap();
    let endpoint = implicit.endpoint();
    assert_eq!(
        (endpoint.port.get(), endpoint.security),
        (465, Security::ImplicitTls)
    );
    let creds = implicit.credentials().unwrap();
    assert_eq!(
        (
            creds.username.as_str(),
            creds.password.expose_secret().as_str()
        ),
        ("u@example.com", "p@ss")
    );

    let starttls = load("smtp://u:pw@smtp.example.com?tls=required").unwrap();
    assert_eq!(
        (starttls.endpoint().port.get(), starttls.endpoint().security),
        (587, Security::StartTls)
    );

    let mismatch = load("smtp://u:pw@smtp.example.com:465?tls=required").unwrap_err();
    assert_eq!(keys_and_codes(&mismatch), [("MAIL_URL".into(), "conflict")]);

    let plain = load("smtp://u:s3cret-in-url@smtp.example.com").unwrap_err();
    assert!(plain.to_string().contains("unencrypted"), "{plain}");

    let bad = load("smtp://u:s3cret-in-url@smtp.example.com?tls=opportunistic").unwrap_err();
    assert_eq!(keys_and_codes(&bad), [("MAIL_URL".into(), "invalid_url")]);
    for out in [
        bad.to_string(),
        format!("{bad:?}"),
        serde_json::to_string(&bad).unwrap(),
    ] {
        assert!(!out.contains("s3cret-in-url"), "{out}");
    }
}

#[test]
fn mail_url_conflicts_with_the_separate_settings() {
    let e = errors(&[("MAIL_URL", Some("smtps://smtp.example.com"))]);
    let codes = keys_and_codes(&e);
    assert!(codes.contains(&("MAIL_URL".into(), "conflict")), "{e}");
    let conflict = e
        .iter()
        .find(|x| x.key() == "MAIL_URL" && x.message().contains("server, port"))
        .unwrap();
    assert_eq!(
        conflict.kind(),
        &mailconf_core::ErrorKind::Conflict {
            with: vec![
                "MAIL_SERVER".into(),
                "MAIL_PORT".into(),
                "MAIL_STARTTLS".into(),
                "MAIL_SSL_TLS".into()
            ]
        }
    );
}

#[test]
fn ca_file_rate_limit_and_pool_size() {
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(
        &ca,
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let ca_text: &'static str = Box::leak(ca.to_str().unwrap().to_owned().into_boxed_str());
    let config = SmtpConfig::from_map(with(&[
        ("CERT_BUNDLE", Some(ca_text)),
        ("MAIL_RATE_LIMIT", Some("100/min")),
        ("MAIL_POOL_SIZE", Some("3")),
    ]))
    .unwrap();
    assert_eq!(config.tls().ca_file.as_deref(), Some(ca.as_path()));
    assert_eq!(config.rate_limit().unwrap().to_string(), "100/min");
    assert_eq!(config.pool_size(), 3);

    let e = errors(&[
        ("MAIL_CA_FILE", Some("/nonexistent/ca.pem")),
        ("MAIL_RATE_LIMIT", Some("fast")),
        ("MAIL_POOL_SIZE", Some("0")),
    ]);
    assert_eq!(
        keys_and_codes(&e),
        [
            ("MAIL_CA_FILE".into(), "file_unreadable"),
            ("MAIL_RATE_LIMIT".into(), "invalid_rate"),
            ("MAIL_POOL_SIZE".into(), "invalid_pool_size")
        ]
    );
    let both = errors(&[
        ("CERT_BUNDLE", Some(ca_text)),
        ("MAIL_CA_FILE", Some(ca_text)),
    ]);
    assert_eq!(keys_and_codes(&both)[0].1, "conflict");
}

#[test]
fn unknown_mail_keys_get_suggestions() {
    let e = errors(&[("MAIL_SERVR", Some("smtp.example.com"))]);
    assert_eq!(hint_on(&e, "MAIL_SERVR"), "did you mean MAIL_SERVER?");
}

#[test]
fn warnings_are_logged_through_tracing_when_the_config_loads() {
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    // A global subscriber, not `with_default`: with a thread-local one, another test loading a
    // config on another thread at the same moment can cache the warning's call site as
    // uninteresting, and the event is lost (seen as a flaky empty log).
    tracing::subscriber::set_global_default(subscriber)
        .expect("the only subscriber of this test binary");
    SmtpConfig::from_map(with(&[
        ("VALIDATE_CERTS", Some("false")),
        ("MAIL_TO", Some("ops@example.com")),
    ]))
    .unwrap();
    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("WARN")
            && log.contains("certificates_not_checked")
            && log.contains("VALIDATE_CERTS"),
        "{log}"
    );
    // The load's own warning too: an unknown key it ignores.
    assert!(
        log.contains("unknown_key") && log.contains("MAIL_TO"),
        "{log}"
    );
    assert!(!log.contains("app-password-123"), "{log}");
}

#[test]
fn smtp_advice_comes_from_smtp_fields() {
    let e = errors(&[
        ("MAIL_PORT", Some("0")),
        ("MAIL_SERVER", Some("smtp://smtp.example.com")),
    ]);
    let port = hint_on(&e, "MAIL_PORT");
    assert!(port.contains("587") && port.contains("465"), "{port}");
    let server = hint_on(&e, "MAIL_SERVER");
    assert!(server.contains("smtp.gmail.com"), "{server}");
}

#[test]
fn an_empty_tls_flag_or_port_is_set_but_empty() {
    // Read as false, `MAIL_STARTTLS=` sent the password in clear text past the plain-text rule.
    for key in [
        "MAIL_STARTTLS",
        "MAIL_SSL_TLS",
        "MAIL_PORT",
        "VALIDATE_CERTS",
        "USE_CREDENTIALS",
    ] {
        let e = errors(&[(key, Some(""))]);
        let error = e.get(key).unwrap_or_else(|| panic!("{key}: {e}"));
        assert_eq!(error.message(), "set but empty", "{e}");
        assert_eq!(error.detail(), Some("empty_value"), "{e}");
    }
    // An empty password is not a password: reported as set but empty, not loaded as "".
    let e = errors(&[("MAIL_PASSWORD", Some(""))]);
    let error = e.get("MAIL_PASSWORD").unwrap();
    assert_eq!(
        (error.code(), error.message().as_str()),
        ("missing", "set but empty")
    );
}
