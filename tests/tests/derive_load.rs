//! Loading derived settings from maps, JSON and `.env` files: values, defaults, nesting,
//! validation hooks and every problem at once.

use std::io::Write as _;
use std::time::Duration;

use mailconf_core::{DefaultValue, ErrorKind, Errors, MailConfig, Origin, Sources};
use mailconf_tests::fixtures::{App, MailSettings, VALID_MAIL};
use mailconf_tests::vars::replacing;

fn codes(errors: &Errors) -> Vec<(String, &'static str)> {
    errors
        .iter()
        .map(|e| (e.key().to_owned(), e.code()))
        .collect()
}

#[test]
fn loads_from_a_map_with_defaults() {
    let s = MailSettings::from_map(VALID_MAIL).unwrap();
    assert_eq!(s.username.to_string(), "me@example.com");
    assert_eq!(s.password.expose_secret(), "hunter2-secret");
    assert_eq!(s.from.to_string(), "noreply@example.com");
    assert_eq!(s.port.get(), 587);
    assert_eq!(s.server.to_string(), "smtp.example.com");
    assert!(s.starttls);
    assert!(!s.ssl_tls);
    assert!(s.use_credentials);
    assert_eq!(s.from_name, None);
}

#[test]
fn loads_from_json_with_typed_values() {
    let json = r#"{
        "MAIL_USERNAME": "me@example.com", "MAIL_PASSWORD": "pw", "MAIL_FROM": "a@b.example",
        "MAIL_PORT": 465, "MAIL_STARTTLS": false, "MAIL_SSL_TLS": true,
        "USE_CREDENTIALS": false, "MAIL_FROM_NAME": "Mail bot"
    }"#;
    let s = MailSettings::from_json(json).unwrap();
    assert_eq!(s.port.get(), 465);
    assert!(s.ssl_tls && !s.starttls && !s.use_credentials);
    assert_eq!(s.from_name.as_deref(), Some("Mail bot"));
}

#[test]
fn loads_from_a_dotenv_file_and_names_its_lines() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(file, "# mail").unwrap();
    for (key, value) in VALID_MAIL {
        writeln!(file, "{key}={value}").unwrap();
    }
    writeln!(file, "MAIL_PORT=0").unwrap();
    let errors = MailSettings::load(&Sources::new().dotenv(file.path())).unwrap_err();
    assert_eq!(codes(&errors), [("MAIL_PORT".to_owned(), "invalid_value")]);
    let error = errors.get("MAIL_PORT").unwrap();
    assert_eq!(error.detail(), Some("invalid_port"));
    assert_eq!(
        error.origin(),
        Some(&Origin::DotEnv {
            path: file.path().to_owned(),
            line: 7
        })
    );
    assert_eq!(error.field(), "port");
}

#[test]
fn reports_every_problem_at_once() {
    let errors = MailSettings::from_map([
        ("MAIL_USERNAME", "not-an-email"),
        ("MAIL_PORT", "99999"),
        ("MAIL_STARTTLS", "maybe"),
        ("MAIL_SSL_TLS", "false"),
    ])
    .unwrap_err();
    let mut found = codes(&errors);
    found.sort();
    let expected = [
        ("MAIL_FROM", "missing"),
        ("MAIL_PASSWORD", "missing"),
        ("MAIL_PORT", "invalid_value"),
        ("MAIL_STARTTLS", "invalid_value"),
        ("MAIL_USERNAME", "invalid_value"),
    ];
    assert_eq!(found, expected.map(|(k, c)| (k.to_owned(), c)), "{errors}");
    assert_eq!(errors.config_name(), "MailSettings");
    assert!(
        errors
            .get("MAIL_PASSWORD")
            .unwrap()
            .hint()
            .unwrap()
            .contains("MAIL_PASSWORD")
    );
}

#[test]
fn option_fields_may_be_unset_or_empty() {
    let with_name = VALID_MAIL.into_iter().chain([("MAIL_FROM_NAME", "Bot")]);
    assert_eq!(
        MailSettings::from_map(with_name)
            .unwrap()
            .from_name
            .as_deref(),
        Some("Bot")
    );
    let empty = VALID_MAIL.into_iter().chain([("MAIL_FROM_NAME", "")]);
    assert_eq!(MailSettings::from_map(empty).unwrap().from_name, None);
}

#[test]
fn an_unknown_key_suggests_the_setting_it_misspells() {
    let vars = replacing(&VALID_MAIL, "MAIL_PASSWORD", &[("MAIL_PASWORD", "x")]);
    let errors = MailSettings::from_map(vars).unwrap_err();
    let unknown = errors.get("MAIL_PASWORD").unwrap();
    assert_eq!(unknown.code(), "unknown_key");
    assert_eq!(
        unknown.hint().as_deref(),
        Some("did you mean MAIL_PASSWORD?")
    );
    let missing = errors.get("MAIL_PASSWORD").unwrap();
    assert_eq!(missing.code(), "missing");
    assert_eq!(
        missing.hint().as_deref(),
        Some("MAIL_PASWORD is set: did you mean MAIL_PASSWORD?")
    );
    assert_eq!(errors.len(), 2, "{errors}");
}

#[test]
fn a_renamed_key_is_reported_with_its_new_name() {
    let vars = replacing(&VALID_MAIL, "MAIL_STARTTLS", &[("MAIL_TLS", "true")]);
    let errors = MailSettings::from_map(vars).unwrap_err();
    let error = errors.get("MAIL_TLS").unwrap();
    assert_eq!(
        error.kind(),
        &ErrorKind::RenamedKey {
            new_key: "MAIL_STARTTLS".into()
        }
    );
    assert_eq!(error.message(), "MAIL_TLS was renamed to MAIL_STARTTLS");
    assert_eq!(
        error.hint().as_deref(),
        Some("rename MAIL_TLS to MAIL_STARTTLS")
    );
}

#[test]
fn a_renamed_key_next_to_its_new_name_is_ignored_with_a_warning() {
    let pairs = VALID_MAIL.into_iter().chain([("MAIL_TLS", "false")]);
    let loaded = MailSettings::load_with_warnings(&Sources::new().map(pairs)).unwrap();
    let [warning] = loaded.warnings.as_slice() else {
        panic!("one warning: {:?}", loaded.warnings);
    };
    assert_eq!(
        (warning.key.as_str(), warning.code),
        ("MAIL_TLS", "renamed_key")
    );
    assert_eq!(
        warning.hint.as_ref().map(ToString::to_string).as_deref(),
        Some("remove MAIL_TLS")
    );
}

const APP_VALID: [(&str, &str); 3] = [
    ("APP_OUT_MAIL_FROM", "a@b.example"),
    ("APP_OUT_MAIL_SMTP_SERVER_HOST", "smtp.example.com"),
    ("APP_SERVER_HOST", "backup.example.com"),
];

#[test]
fn flattened_prefixes_compose_through_two_levels() {
    let app = App::from_map(APP_VALID).unwrap();
    assert_eq!(app.outgoing.from.to_string(), "a@b.example");
    assert_eq!(app.outgoing.smtp.host.to_string(), "smtp.example.com");
    assert_eq!(app.outgoing.smtp.port.get(), 25);
    assert_eq!(app.backup.host.to_string(), "backup.example.com");
    assert_eq!(app.timeout, Duration::from_secs(5));
    assert_eq!(app.idle, Duration::from_secs(60));
    assert_eq!(app.retries, 0);
    assert!(!app.started);

    let keys: Vec<String> = App::schema().entries().into_iter().map(|e| e.key).collect();
    assert_eq!(
        keys,
        [
            "APP_OUT_MAIL_FROM",
            "APP_OUT_MAIL_SMTP_SERVER_HOST",
            "APP_OUT_MAIL_SMTP_SERVER_PORT",
            "APP_OUT_MAIL_SMTP_SERVER_TLS",
            "APP_SERVER_HOST",
            "APP_SERVER_PORT",
            "APP_SERVER_TLS",
            "APP_TIMEOUT",
            "APP_IDLE",
            "APP_RETRIES",
        ]
    );
}

#[test]
fn nested_problems_are_named_by_their_full_variable_and_field_path() {
    let errors = App::from_map([
        ("APP_OUT_MAIL_SMTP_SERVER_PORT", "x"),
        ("APP_SERVER_PORT", "0"),
    ])
    .unwrap_err();
    let mut found: Vec<(&str, &str, &str)> = errors
        .iter()
        .map(|e| (e.key(), e.field(), e.code()))
        .collect();
    found.sort_unstable();
    assert_eq!(
        found,
        [
            ("APP_OUT_MAIL_FROM", "outgoing.from", "missing"),
            (
                "APP_OUT_MAIL_SMTP_SERVER_HOST",
                "outgoing.smtp.host",
                "missing"
            ),
            (
                "APP_OUT_MAIL_SMTP_SERVER_PORT",
                "outgoing.smtp.port",
                "invalid_value"
            ),
            ("APP_SERVER_HOST", "backup.host", "missing"),
            ("APP_SERVER_PORT", "backup.port", "invalid_value"),
        ],
        "{errors}"
    );
}

#[test]
fn a_field_hook_reports_under_the_prefixed_variable() {
    let pairs = APP_VALID
        .into_iter()
        .chain([("APP_OUT_MAIL_SMTP_SERVER_PORT", "100")]);
    let errors = App::from_map(pairs).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors}");
    let error = errors.get("APP_OUT_MAIL_SMTP_SERVER_PORT").unwrap();
    assert_eq!(error.detail(), Some("port_100"));
    assert_eq!(error.field(), "outgoing.smtp.port");
    assert_eq!(error.hint().as_deref(), Some("use 587"));
    assert_eq!(error.input().map(|i| i.as_str()), Some("100"));
}

#[test]
fn a_struct_hook_names_fields_and_the_loader_finds_their_variables() {
    let pairs = APP_VALID.into_iter().chain([
        ("APP_OUT_MAIL_SMTP_SERVER_TLS", "true"),
        ("APP_SERVER_HOST", "forbidden.test"),
    ]);
    let errors = App::from_map(pairs).unwrap_err();
    assert_eq!(errors.len(), 2, "{errors}");
    let conflict = errors.get("APP_OUT_MAIL_SMTP_SERVER_TLS").unwrap();
    assert_eq!(
        conflict.kind(),
        &ErrorKind::Conflict {
            with: vec!["APP_OUT_MAIL_SMTP_SERVER_PORT".into()]
        }
    );
    assert_eq!(conflict.field(), "outgoing.smtp.tls");
    let invalid = errors.get("APP_SERVER_HOST").unwrap();
    assert_eq!(invalid.detail(), Some("forbidden_host"));
    assert_eq!(invalid.field(), "backup.host");
}

#[test]
fn a_struct_hook_runs_on_the_fields_that_loaded() {
    let backup = |changes: [(&'static str, &'static str); 2]| {
        let pairs = APP_VALID
            .into_iter()
            .filter(|(key, _)| *key != "APP_SERVER_HOST")
            .chain(changes);
        App::from_map(pairs).unwrap_err()
    };
    // An invalid host does not hide the TLS/port conflict, a rule that does not need the host.
    let errors = backup([("APP_SERVER_HOST", "bad host!"), ("APP_SERVER_TLS", "true")]);
    assert_eq!(
        codes(&errors),
        [
            ("APP_SERVER_HOST".to_owned(), "invalid_value"),
            ("APP_SERVER_TLS".to_owned(), "conflict")
        ],
        "{errors}"
    );
    // The port is invalid: the TLS/port rule is skipped, the host rule still runs.
    let errors = backup([
        ("APP_SERVER_HOST", "forbidden.test"),
        ("APP_SERVER_PORT", "x"),
    ]);
    assert_eq!(
        codes(&errors),
        [
            ("APP_SERVER_PORT".to_owned(), "invalid_value"),
            ("APP_SERVER_HOST".to_owned(), "invalid_value")
        ],
        "{errors}"
    );
}

#[test]
fn literal_and_expression_defaults_are_recorded_in_the_schema() {
    let field = |name: &str| {
        App::schema()
            .fields
            .iter()
            .find(|f| f.field == name)
            .unwrap()
    };
    assert_eq!(
        field("timeout").default,
        DefaultValue::Expr("Duration::from_secs(5)")
    );
    assert_eq!(field("idle").default, DefaultValue::Text("1m"));
    assert_eq!(
        field("retries").default,
        DefaultValue::Expr("Default::default()")
    );
    assert!(
        App::schema().fields.iter().all(|f| f.field != "started"),
        "skipped fields are not in the schema"
    );
}

#[test]
fn fields_named_like_generated_locals_load() {
    let s = mailconf_tests::fixtures::Shadowing::from_map([
        ("LOADER", "1"),
        ("FIELDS", "2"),
        ("VALUE", "3"),
        ("CHECK", "4"),
        ("STATIC", "5"),
    ])
    .unwrap();
    assert_eq!(
        (s.loader, s.fields, s.value, s.check, s.r#static, s.schema),
        (1, 2, 3, 4, 5, 7)
    );
}

mod required_unless {
    use mailconf_core::{MailConfig, Port};

    #[derive(MailConfig, Debug)]
    #[mailconf(prefix = "APP_")]
    struct Endpoint {
        url: Option<String>,
        #[mailconf(required_unless = "url")]
        host: Option<String>,
        #[mailconf(required_unless = "url")]
        port: Option<Port>,
        retries: u8,
    }

    #[test]
    fn either_the_url_or_the_separate_settings() {
        let by_url = Endpoint::from_map([("APP_URL", "x://h"), ("APP_RETRIES", "1")]).unwrap();
        assert_eq!(
            (
                by_url.url.as_deref(),
                by_url.host,
                by_url.port,
                by_url.retries
            ),
            (Some("x://h"), None, None, 1)
        );
        let separate =
            Endpoint::from_map([("APP_HOST", "h"), ("APP_PORT", "25"), ("APP_RETRIES", "1")])
                .unwrap();
        assert_eq!(separate.port.map(Port::get), Some(25));
    }

    #[test]
    fn missing_alternatives_are_reported_with_the_other_field_errors() {
        let errors = Endpoint::from_map([("APP_PORT", "0"), ("APP_RETRIES", "many")]).unwrap_err();
        let found: Vec<_> = errors
            .iter()
            .map(|e| (e.key(), e.detail().unwrap_or(e.code())))
            .collect();
        assert_eq!(
            found,
            [
                ("APP_HOST", "missing"),
                ("APP_PORT", "invalid_port"),
                ("APP_RETRIES", "invalid_integer")
            ]
        );
        assert_eq!(
            errors.get("APP_HOST").unwrap().hint().as_deref(),
            Some("set APP_HOST (string), or set APP_URL instead")
        );
        let md = Endpoint::schema().markdown();
        assert!(
            md.contains("| `APP_HOST` | string | **required** unless `APP_URL` is set |"),
            "{md}"
        );
    }
}

/// Hook settings under their own prefix, where another program adds keys of its own.
#[derive(mailconf_core::MailConfig, Debug)]
#[mailconf(prefix = "HOOK_", allow_unknown)]
struct Hook {
    url: Option<String>,
}

#[derive(mailconf_core::MailConfig, Debug)]
#[mailconf(prefix = "APP_")]
struct WithHook {
    name: String,
    #[mailconf(flatten)]
    hook: Hook,
}

#[test]
fn allow_unknown_on_a_flattened_struct_covers_its_own_prefix_only() {
    let loaded = WithHook::from_map([
        ("APP_NAME", "shop"),
        ("APP_HOOK_URL", "https://hooks.example.com"),
        ("APP_HOOK_RETRIES", "3"),
    ])
    .unwrap();
    assert_eq!(loaded.name, "shop");
    assert_eq!(
        loaded.hook.url.as_deref(),
        Some("https://hooks.example.com")
    );

    let errors = WithHook::from_map([
        ("APP_NAME", "shop"),
        ("APP_HOOK_RETRIES", "3"),
        ("APP_NAEM", "typo"),
    ])
    .unwrap_err();
    assert_eq!(
        codes(&errors),
        [("APP_NAEM".to_owned(), "unknown_key")],
        "{errors}"
    );
}

#[test]
fn the_json_schema_accepts_the_keys_a_flattened_allow_unknown_accepts() {
    let schema = WithHook::schema().json_schema();
    assert_eq!(schema["additionalProperties"], false, "{schema}");
    assert_eq!(
        schema["patternProperties"],
        serde_json::json!({"^APP_HOOK_": {}})
    );
    assert!(
        schema["properties"].get("APP_HOOK_URL").is_some(),
        "{schema}"
    );
}

/// A hook whose words name fields in braces, as `SmtpConfig`'s rules do.
#[derive(mailconf_core::MailConfig, Debug)]
#[mailconf(prefix = "BR_", validate = name_in_braces)]
struct Braces {
    #[mailconf(default = 25)]
    port: mailconf_core::Port,
}

fn name_in_braces(braces: &BracesPartial) -> Result<(), mailconf_core::Problems> {
    if braces.port.is_some_and(|port| port.get() == 1) {
        let error = mailconf_core::Problem::conflict(&["port"], "{port}, {nope} and {port")
            .with_hint("{}{port}}");
        return Err(error.into());
    }
    Ok(())
}

#[derive(mailconf_core::MailConfig, Debug)]
struct EmbedsBraces {
    #[mailconf(flatten(prefix = "X_"))]
    braces: Braces,
}

#[test]
fn a_hook_names_fields_in_braces_and_keeps_other_braces() {
    let errors = Braces::from_map([("BR_PORT", "1")]).unwrap_err();
    let error = errors.get("BR_PORT").unwrap();
    assert_eq!(error.message(), "BR_PORT, {nope} and {port");
    assert_eq!(error.hint().as_deref(), Some("{}BR_PORT}"));
    let errors = EmbedsBraces::from_map([("X_BR_PORT", "1")]).unwrap_err();
    let error = errors.get("X_BR_PORT").unwrap();
    assert_eq!(error.message(), "X_BR_PORT, {nope} and {port");
    let loaded = EmbedsBraces::from_map([("X_BR_PORT", "2")]).unwrap();
    assert_eq!(loaded.braces.port.get(), 2);
}
