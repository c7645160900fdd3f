//! What the derive records about a struct, and the documents made from it.

use mailconf_core::{DefaultValue, FieldKind, MailConfig};
use mailconf_tests::fixtures::{App, MailSettings};
use mailconf_tests::text::assert_has;

#[test]
fn the_schema_holds_names_docs_and_defaults() {
    let schema = MailSettings::schema();
    assert_eq!(schema.name, "MailSettings");
    assert_eq!(
        schema.doc,
        "Outgoing mail.\n\nThe struct of the crate documentation, as fastapi-mail users know it."
    );
    assert_eq!(schema.prefix, "MAIL_");
    assert!(!schema.allow_unknown);
    let rows: Vec<_> = schema
        .fields
        .iter()
        .map(|f| (f.field, f.name, f.absolute, f.default, f.optional, f.secret))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "username",
                "USERNAME",
                false,
                DefaultValue::None,
                false,
                false
            ),
            (
                "password",
                "PASSWORD",
                false,
                DefaultValue::None,
                false,
                true
            ),
            ("from", "FROM", false, DefaultValue::None, false, false),
            (
                "port",
                "PORT",
                false,
                DefaultValue::Text("587"),
                false,
                false
            ),
            (
                "server",
                "SERVER",
                false,
                DefaultValue::Text("smtp.example.com"),
                false,
                false
            ),
            (
                "starttls",
                "STARTTLS",
                false,
                DefaultValue::None,
                false,
                false
            ),
            (
                "ssl_tls",
                "SSL_TLS",
                false,
                DefaultValue::None,
                false,
                false
            ),
            (
                "use_credentials",
                "USE_CREDENTIALS",
                true,
                DefaultValue::Text("true"),
                false,
                false
            ),
            (
                "from_name",
                "FROM_NAME",
                false,
                DefaultValue::None,
                true,
                false
            ),
        ]
    );
    let field = |name: &str| schema.fields.iter().find(|f| f.field == name).unwrap();
    assert_eq!(field("username").doc, "SMTP login.");
    assert_eq!(field("username").type_name, "email address");
    assert_eq!(field("port").type_name, "port");
    assert_eq!(field("port").json_type, "integer");
    assert_eq!(field("starttls").renamed_from, ["MAIL_TLS"]);
    assert!(matches!(field("port").kind, FieldKind::Value));
    let keys: Vec<String> = schema.entries().into_iter().map(|e| e.key).collect();
    assert_eq!(
        keys,
        [
            "MAIL_USERNAME",
            "MAIL_PASSWORD",
            "MAIL_FROM",
            "MAIL_PORT",
            "MAIL_SERVER",
            "MAIL_STARTTLS",
            "MAIL_SSL_TLS",
            "USE_CREDENTIALS",
            "MAIL_FROM_NAME"
        ]
    );
}

#[test]
fn flattened_fields_point_at_the_nested_schema() {
    let outgoing = App::schema()
        .fields
        .iter()
        .find(|f| f.field == "outgoing")
        .unwrap();
    let FieldKind::Flatten { prefix, schema } = outgoing.kind else {
        panic!("not flattened")
    };
    assert_eq!(prefix, "OUT_");
    assert_eq!(schema().name, "Outgoing");
    assert_eq!(
        (outgoing.type_name, outgoing.json_type, outgoing.doc),
        ("settings", "object", "Outgoing mail.")
    );
}

#[test]
fn the_env_example_documents_every_setting() {
    let example = MailSettings::schema().env_example();
    for expected in [
        "# Outgoing mail.\n",
        "# SMTP login.\n# (email address; required)\nMAIL_USERNAME=\n",
        "MAIL_PASSWORD=\n",
        "MAIL_PORT=587\n",
        "MAIL_SERVER=smtp.example.com\n",
        "formerly MAIL_TLS",
        "USE_CREDENTIALS=true\n",
        "# MAIL_FROM_NAME=\n",
    ] {
        assert!(
            example.contains(expected),
            "missing {expected:?} in:\n{example}"
        );
    }
}

#[test]
fn the_json_schema_types_every_setting() {
    let schema = MailSettings::schema().json_schema();
    assert_eq!(schema["title"], "MailSettings");
    let props = &schema["properties"];
    assert_eq!(props["MAIL_PORT"]["type"], "integer");
    assert_eq!(props["MAIL_PORT"]["default"], 587);
    assert_eq!(props["USE_CREDENTIALS"]["default"], true);
    assert_eq!(props["MAIL_PASSWORD"]["writeOnly"], true);
    assert_eq!(
        props["MAIL_FROM_NAME"]["type"],
        serde_json::json!(["string", "null"])
    );
    assert_eq!(props["MAIL_USERNAME"]["description"], "SMTP login.");
    assert_eq!(
        props["MAIL_STARTTLS"]["x-renamed-from"],
        serde_json::json!(["MAIL_TLS"])
    );
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        required,
        [
            "MAIL_USERNAME",
            "MAIL_PASSWORD",
            "MAIL_FROM",
            "MAIL_STARTTLS",
            "MAIL_SSL_TLS"
        ]
    );
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn the_markdown_table_lists_every_setting() {
    let table = MailSettings::schema().markdown();
    assert_has(
        &table,
        &[
            "| `MAIL_PORT` | port | 587 | The SMTP port. |",
            "| `MAIL_USERNAME` | email address | **required** | SMTP login. |",
            "| `MAIL_PASSWORD` | string (secret) |",
            "Formerly `MAIL_TLS`.",
        ],
    );
    assert_eq!(table.lines().count(), 2 + 9);
}

#[test]
fn expression_defaults_show_their_code() {
    let example = App::schema().env_example();
    assert_has(
        &example,
        &[
            "# APP_TIMEOUT=  (default: computed by `Duration::from_secs(5)`)",
            "APP_IDLE=1m\n",
        ],
    );
    let table = App::schema().markdown();
    assert!(table.contains("`Default::default()`"), "{table}");
}
