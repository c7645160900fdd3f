//! A settings struct implemented by hand against the core traits (no derive): the runtime half
//! of mailconf must be complete on its own.

use std::io::Write;
use std::process::Command;
use std::time::Duration;

use mailconf_core::{
    DefaultValue, EmailAddress, FieldSchema, Loader, MailConfig, Origin, Port, Schema, Secret,
    Sources,
};

#[derive(Debug)]
struct Mail {
    username: EmailAddress,
    password: Secret<String>,
    port: Port,
    starttls: bool,
    timeout: Duration,
    from_name: Option<String>,
}

const fn value_field(
    field: &'static str,
    name: &'static str,
    type_name: &'static str,
) -> FieldSchema {
    FieldSchema {
        type_name,
        ..FieldSchema::value(field, name)
    }
}

static SCHEMA: Schema = Schema {
    doc: "Outgoing mail.",
    ..Schema::new(
        "Mail",
        "MAIL_",
        &[
            FieldSchema {
                doc: "SMTP login.",
                ..value_field("username", "USERNAME", "email address")
            },
            FieldSchema {
                secret: true,
                ..value_field("password", "PASSWORD", "string")
            },
            FieldSchema {
                default: DefaultValue::Text("587"),
                json_type: "integer",
                ..value_field("port", "PORT", "port")
            },
            FieldSchema {
                renamed_from: &["MAIL_TLS"],
                json_type: "boolean",
                ..value_field("starttls", "STARTTLS", "boolean")
            },
            FieldSchema {
                absolute: true,
                default: DefaultValue::Text("60"),
                ..value_field("timeout", "TIMEOUT", "duration")
            },
            FieldSchema {
                optional: true,
                ..value_field("from_name", "FROM_NAME", "string")
            },
        ],
    )
};

impl MailConfig for Mail {
    fn schema() -> &'static Schema {
        &SCHEMA
    }

    fn load_from(loader: &mut Loader<'_>) -> Option<Self> {
        let f = SCHEMA.fields;
        let username = loader.value(&f[0], None, None);
        let password = loader.value(&f[1], None, None);
        let port = loader.value(&f[2], None, None);
        let starttls = loader.value(&f[3], None, None);
        let timeout = loader.value(&f[4], None, None);
        let from_name = loader.value(&f[5], None, None);
        let value = (|| {
            Some(Mail {
                username: username?,
                password: password?,
                port: port?,
                starttls: starttls?,
                timeout: timeout?,
                from_name: from_name?,
            })
        })();
        loader.finish(value, None)
    }
}

const GOOD: [(&str, &str); 4] = [
    ("MAIL_USERNAME", "app@example.com"),
    ("MAIL_PASSWORD", "correct-horse"),
    ("MAIL_STARTTLS", "yes"),
    ("MAIL_FROM_NAME", "Example App"),
];

#[test]
fn loads_from_a_map_with_defaults() {
    let mail = Mail::from_map(GOOD).unwrap();
    assert_eq!(mail.username.as_str(), "app@example.com");
    assert_eq!(mail.password.expose_secret(), "correct-horse");
    assert_eq!(mail.port.get(), 587);
    assert!(mail.starttls);
    assert_eq!(mail.timeout, Duration::from_secs(60));
    assert_eq!(mail.from_name.as_deref(), Some("Example App"));
}

#[test]
fn loads_from_json_with_typed_values() {
    let json = r#"{"MAIL_USERNAME": "app@example.com", "MAIL_PASSWORD": "pw", "MAIL_PORT": 2525,
                   "MAIL_STARTTLS": false, "TIMEOUT": 5, "MAIL_FROM_NAME": null}"#;
    let mail = Mail::from_json(json).unwrap();
    assert_eq!(mail.port.get(), 2525);
    assert!(!mail.starttls);
    assert_eq!(mail.timeout, Duration::from_secs(5));
    assert_eq!(mail.from_name, None);
}

#[test]
fn later_layers_override_earlier_ones_and_keep_their_origin() {
    let dir = tempfile::tempdir().unwrap();
    let env_file = dir.path().join(".env");
    std::fs::write(&env_file, "# mail\nMAIL_PORT=2525\nMAIL_STARTTLS=on\n").unwrap();
    let sources = Sources::new()
        .map(GOOD)
        .dotenv(&env_file)
        .json(r#"{"MAIL_FROM_NAME": "From JSON"}"#);
    let mail = Mail::load(&sources).unwrap();
    assert_eq!(mail.port.get(), 2525);
    assert_eq!(mail.from_name.as_deref(), Some("From JSON"));
    assert_eq!(
        sources.get("MAIL_PORT").unwrap().origin(),
        &Origin::DotEnv {
            path: env_file,
            line: 2
        }
    );
    assert_eq!(sources.get("MAIL_USERNAME").unwrap().origin(), &Origin::Map);
}

#[test]
fn reads_a_secret_from_a_file_named_by_the_file_variable() {
    let mut pw = tempfile::NamedTempFile::new().unwrap();
    writeln!(pw, "from-a-file").unwrap();
    let path = pw.path().to_str().unwrap().to_owned();
    let mut pairs: Vec<(&str, &str)> = GOOD
        .iter()
        .copied()
        .filter(|(k, _)| *k != "MAIL_PASSWORD")
        .collect();
    pairs.push(("MAIL_PASSWORD_FILE", &path));
    let mail = Mail::from_map(pairs.clone()).unwrap();
    assert_eq!(
        mail.password.expose_secret(),
        "from-a-file",
        "one trailing newline trimmed"
    );

    // Both set is a conflict; an unreadable file is an error naming the path.
    pairs.push(("MAIL_PASSWORD", "inline"));
    let errors = Mail::from_map(pairs).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors}");
    let conflict = errors.iter().next().unwrap();
    assert_eq!(conflict.code(), "conflict");
    assert!(
        conflict.message().contains("MAIL_PASSWORD_FILE"),
        "{conflict}"
    );

    let missing: Vec<(&str, &str)> = GOOD
        .iter()
        .copied()
        .filter(|(k, _)| *k != "MAIL_PASSWORD")
        .chain([("MAIL_PASSWORD_FILE", "/nonexistent/secret/pw")])
        .collect();
    let errors = Mail::from_map(missing).unwrap_err();
    let e = errors
        .get("MAIL_PASSWORD_FILE")
        .expect("keyed by the variable that named the file");
    assert_eq!(e.code(), "file_unreadable");
    assert!(e.message().contains("/nonexistent/secret/pw"), "{e}");
}

#[test]
fn reports_every_problem_at_once_with_keys_codes_origins_and_hints() {
    let dir = tempfile::tempdir().unwrap();
    let env_file = dir.path().join("prod.env");
    std::fs::write(&env_file, "MAIL_USERNAME=not-an-address\n\nMAIL_PORT=99999\nMAIL_PASWORD=hunter2-secret\nMAIL_TLS=true\n").unwrap();
    let errors = Mail::load(
        &Sources::new()
            .dotenv(&env_file)
            .json(r#"{"TIMEOUT": "10x"}"#),
    )
    .unwrap_err();
    let codes: Vec<_> = errors
        .iter()
        .map(|e| (e.key(), e.detail().unwrap_or(e.code())))
        .collect();
    assert_eq!(
        codes,
        [
            ("MAIL_USERNAME", "invalid_email"),
            ("MAIL_PASSWORD", "missing"),
            ("MAIL_PORT", "invalid_port"),
            ("MAIL_TLS", "renamed_key"),
            ("MAIL_STARTTLS", "missing"),
            ("TIMEOUT", "invalid_duration"),
            ("MAIL_PASWORD", "unknown_key"),
        ]
    );
    let port = errors.get("MAIL_PORT").unwrap();
    assert_eq!(
        port.origin(),
        Some(&Origin::DotEnv {
            path: env_file.clone(),
            line: 3
        })
    );
    assert_eq!(port.input().unwrap().as_str(), "99999");
    assert_eq!(errors.get("TIMEOUT").unwrap().origin(), Some(&Origin::Json));
    assert_eq!(
        errors.get("MAIL_PASSWORD").unwrap().hint().as_deref(),
        Some("MAIL_PASWORD is set: did you mean MAIL_PASSWORD?")
    );
    assert_eq!(
        errors.get("MAIL_PASWORD").unwrap().hint().as_deref(),
        Some("did you mean MAIL_PASSWORD?")
    );
    assert_eq!(
        errors.get("MAIL_STARTTLS").unwrap().hint().as_deref(),
        Some("MAIL_TLS was renamed to MAIL_STARTTLS: rename MAIL_TLS to MAIL_STARTTLS")
    );
    assert_eq!(
        errors.get("MAIL_TLS").unwrap().message(),
        "MAIL_TLS was renamed to MAIL_STARTTLS"
    );

    let report = errors.to_string();
    assert!(report.starts_with("7 problems in Mail:\n"), "{report}");
    assert!(
        report.contains(&format!("{} line 3", env_file.display())),
        "{report}"
    );
    // The mistyped key is not known to be secret, so its value shows; the real one never does.
    let json = serde_json::to_value(&errors).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 7);
    assert_eq!(json[2]["key"], "MAIL_PORT");
    assert_eq!(json[2]["code"], "invalid_value");
    assert_eq!(json[2]["detail"], "invalid_port");
    assert_eq!(json[2]["origin"]["source"], "dot_env");
    assert_eq!(json[2]["origin"]["line"], 3);
    assert_eq!(json[2]["input"], "99999");
}

#[test]
fn a_secret_input_is_redacted_in_errors() {
    #[derive(Debug)]
    struct Pin {
        #[allow(dead_code)]
        pin: Secret<u32>,
    }
    static PIN: Schema = Schema::new(
        "Pin",
        "",
        &[FieldSchema {
            secret: true,
            ..value_field("pin", "PIN", "integer")
        }],
    );
    impl MailConfig for Pin {
        fn schema() -> &'static Schema {
            &PIN
        }
        fn load_from(loader: &mut Loader<'_>) -> Option<Self> {
            let pin = loader.value(&PIN.fields[0], None, None);
            loader.finish(pin.map(|pin| Pin { pin }), None)
        }
    }
    let errors = Pin::from_map([("PIN", "12a4-very-secret")]).unwrap_err();
    let outputs = [
        errors.to_string(),
        format!("{errors:?}"),
        serde_json::to_string(&errors).unwrap(),
    ];
    for out in outputs {
        assert!(!out.contains("very-secret"), "{out}");
        assert!(out.contains("[redacted]"), "{out}");
    }
}

#[test]
fn loads_from_the_process_environment() {
    // The environment is process-wide and `set_var` is unsafe: run a child with its own.
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_from_env",
            "--nocapture",
            "--test-threads=1",
        ])
        .env_clear()
        .env("MAILCONF_CHILD", "1")
        .env("MAIL_USERNAME", "app@example.com")
        .env("MAIL_PASSWORD", "pw")
        .env("MAIL_STARTTLS", "true")
        .env("MAIL_PORT", "0")
        .env("MAIL_PASWORD", "typo")
        .env("MAIL_TO", "another program's")
        .env("PATH_UNRELATED", "x")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("CHILD 2 problems in Mail:"), "{stdout}");
    assert!(
        stdout.contains("MAIL_PORT: port 0 cannot be connected to; got \"0\" from environment"),
        "{stdout}"
    );
    assert!(
        stdout.contains("MAIL_PASWORD: not a known setting"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("PATH_UNRELATED"),
        "variables outside the prefix are not checked: {stdout}"
    );
}

#[test]
fn child_from_env() {
    if std::env::var_os("MAILCONF_CHILD").is_none() {
        return;
    }
    match Mail::from_env() {
        Ok(mail) => println!("CHILD ok {mail:?}"),
        Err(errors) => println!("CHILD {errors}"),
    }
}
