//! Property: whatever the input and wherever it comes from, a secret's value never appears in the
//! Debug, Display or JSON of the loaded settings or of their errors.

use std::io::Write;

use mailconf_core::{DefaultValue, FieldSchema, Loader, MailConfig, Port, Schema, Secret, Sources};
use proptest::prelude::*;

#[derive(Debug)]
#[allow(dead_code)]
struct Login {
    password: Secret<String>,
    pin: Option<Secret<u16>>,
    port: Port,
}

const fn field(field: &'static str, name: &'static str, secret: bool) -> FieldSchema {
    FieldSchema {
        secret,
        ..FieldSchema::value(field, name)
    }
}

static SCHEMA: Schema = Schema::new(
    "Login",
    "MAIL_",
    &[
        FieldSchema {
            aliases: &["SMTP_PASSWORD"],
            renamed_from: &["MAIL_PASS"],
            ..field("password", "PASSWORD", true)
        },
        FieldSchema {
            optional: true,
            ..field("pin", "PIN", true)
        },
        field("port", "PORT", false),
    ],
);

impl MailConfig for Login {
    fn schema() -> &'static Schema {
        &SCHEMA
    }
    fn load_from(loader: &mut Loader<'_>) -> Option<Self> {
        let password = loader.value(&SCHEMA.fields[0], None, None);
        let pin = loader.value(&SCHEMA.fields[1], None, None);
        let port = loader.value(&SCHEMA.fields[2], None, None);
        let value = (|| {
            Some(Login {
                password: password?,
                pin: pin?,
                port: port?,
            })
        })();
        loader.finish(value, None)
    }
}

/// Where the secret is put.
#[derive(Debug, Clone, Copy)]
enum Place {
    Map,
    Json,
    DotEnv,
    File,
    Alias,
    Renamed,
    BothKeyAndAlias,
    Pin,
}

fn every_output(result: &Result<Login, mailconf_core::Errors>) -> Vec<String> {
    let mut out = vec![format!("{result:?}"), format!("{result:#?}")];
    if let Err(errors) = result {
        out.push(errors.to_string());
        out.push(serde_json::to_string(errors).unwrap());
        out.extend(errors.iter().map(|e| format!("{e} {e:?} {:?}", e.hint())));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_secret_never_appears_in_any_output(
        // A distinctive prefix keeps the secret from matching report text by chance.
        secret in "Zq[a-zA-Z0-9 !#%&()*+,./:;<=>?@^_|~-]{6,24}",
        place in prop_oneof![Just(Place::Map), Just(Place::Json), Just(Place::DotEnv), Just(Place::File),
            Just(Place::Alias), Just(Place::Renamed), Just(Place::BothKeyAndAlias), Just(Place::Pin)],
        port in prop_oneof![Just("587".to_string()), Just("0".to_string()), "[0-9a-z]{0,6}"],
    ) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pw");
        let dotenv = dir.path().join(".env");
        let mut pairs = vec![("MAIL_PORT".to_string(), port.clone())];
        let sources = match place {
            Place::Map => Sources::new().map(pairs.into_iter().chain([("MAIL_PASSWORD".into(), secret.clone())])),
            Place::Json => {
                let body = serde_json::json!({"MAIL_PASSWORD": secret, "MAIL_PORT": port}).to_string();
                Sources::new().json(&body)
            }
            Place::DotEnv => {
                std::fs::write(&dotenv, format!("MAIL_PORT={port}\nMAIL_PASSWORD='{secret}'\n")).unwrap();
                Sources::new().dotenv(&dotenv)
            }
            Place::File => {
                std::fs::File::create(&file).unwrap().write_all(secret.as_bytes()).unwrap();
                pairs.push(("MAIL_PASSWORD_FILE".into(), file.to_str().unwrap().into()));
                Sources::new().map(pairs)
            }
            Place::Alias => Sources::new().map(pairs.into_iter().chain([("SMTP_PASSWORD".into(), secret.clone())])),
            Place::Renamed => Sources::new().map(pairs.into_iter().chain([("MAIL_PASS".into(), secret.clone())])),
            Place::BothKeyAndAlias => Sources::new().map(pairs.into_iter().chain([
                ("MAIL_PASSWORD".into(), secret.clone()),
                ("SMTP_PASSWORD".into(), secret.clone()),
            ])),
            Place::Pin => Sources::new().map(pairs.into_iter().chain([
                ("MAIL_PASSWORD".into(), "x".into()),
                ("MAIL_PIN".into(), secret.clone()),
            ])),
        };
        let result = Login::load(&sources);
        for out in every_output(&result) {
            prop_assert!(!out.contains(&secret), "secret shown via {place:?}: {out}");
        }
    }
}

#[test]
fn a_secret_default_is_not_shown_in_any_template() {
    static WITH_DEFAULT: Schema = Schema {
        name: "WithDefault",
        doc: "",
        prefix: "",
        allow_unknown: false,
        deny_unknown: false,
        foreign_keys: &[],
        case_insensitive: false,
        fields: &[FieldSchema {
            default: DefaultValue::Text("Zq-default-secret"),
            ..field("token", "TOKEN", true)
        }],
    };
    let outputs = [
        WITH_DEFAULT.markdown(),
        WITH_DEFAULT.env_example(),
        WITH_DEFAULT.json_schema().to_string(),
    ];
    for out in &outputs {
        assert!(!out.contains("Zq-default-secret"), "{out}");
    }
    assert!(
        outputs[0].contains("| `TOKEN` | string (secret) | set (secret) |"),
        "{}",
        outputs[0]
    );
}
