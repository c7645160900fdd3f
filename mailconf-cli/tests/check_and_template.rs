//! `mailconf check` and `mailconf template`, run as a real process.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use support::{assert_has, entry, example_starttls, mailconf, opens_with, run, stdout};

const PASSWORD: &str = "Distinctive-Pa55word-7f3a";

fn good(cmd: &mut Command) -> &mut Command {
    example_starttls(cmd, PASSWORD)
}

#[test]
fn check_accepts_good_settings_and_shows_where_each_came_from() {
    let text = opens_with(
        run(
            good(&mut mailconf()).env("VALIDATE_CERTS", "false"),
            &["check"],
        ),
        0,
        "Settings OK: smtp.example.com:587 with STARTTLS",
    );
    assert_has(
        &text,
        &[
            "MAIL_PASSWORD            = [redacted]  (environment)",
            "TIMEOUT                  = 60  (default)",
            "1 warning:\n  - VALIDATE_CERTS: certificate checks are off",
        ],
    );
    assert!(!text.contains(PASSWORD));
}

#[test]
fn check_reports_every_problem_with_exit_status_1() {
    let mut cmd = mailconf();
    let broken = good(&mut cmd)
        .env_remove("MAIL_STARTTLS")
        .env("MAIL_TLS", "true")
        .env("MAIL_PORT", "99999")
        .env("MAIL_SSL_TLS", "true");
    let text = opens_with(run(broken, &["check"]), 1, "3 problems in SmtpConfig:");
    assert_has(
        &text,
        &[
            "MAIL_PORT: the port is above 65535",
            "MAIL_TLS: MAIL_TLS was renamed to MAIL_STARTTLS",
            "MAIL_STARTTLS: required, but not set",
        ],
    );
    assert!(!text.contains(PASSWORD));
}

#[test]
fn check_json_has_a_stable_shape() {
    let ok = good(&mut mailconf())
        .args(["check", "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(
        v["endpoint"],
        serde_json::json!({"host": "smtp.example.com", "port": 587, "security": "start_tls"})
    );
    assert_eq!(v["errors"], serde_json::json!([]));
    let password = entry(&v, "settings", "MAIL_PASSWORD");
    assert_eq!(password["value"], "[redacted]");
    assert_eq!(password["origin"]["source"], "env");

    let bad = good(&mut mailconf())
        .env("MAIL_PORT", "abc")
        .args(["--json", "check"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(v["ok"], false);
    let e = &v["errors"][0];
    for field in [
        "key", "field", "code", "detail", "message", "hint", "origin", "input",
    ] {
        assert!(e.get(field).is_some(), "{field} missing in {e}");
    }
    assert_eq!(
        (e["key"].as_str(), e["detail"].as_str(), e["input"].as_str()),
        (Some("MAIL_PORT"), Some("invalid_port"), Some("abc"))
    );
    assert!(!String::from_utf8_lossy(&bad.stdout).contains(PASSWORD));
}

#[test]
fn check_reads_an_env_file_that_the_environment_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app.env");
    std::fs::write(
        &file,
        format!("MAIL_PORT=465\nMAIL_PASSWORD='{PASSWORD}'\n"),
    )
    .unwrap();
    let out = good(&mut mailconf())
        .env_remove("MAIL_PASSWORD")
        .args(["check", "--env-file"])
        .arg(&file)
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "the environment's MAIL_PORT=587 wins: {text}"
    );
    assert!(
        text.contains(&format!(
            "MAIL_PASSWORD            = [redacted]  ({} line 2)",
            file.display()
        )),
        "{text}"
    );
    assert!(!text.contains(PASSWORD));
}

#[test]
fn usage_errors_exit_with_2() {
    assert_eq!(
        mailconf().arg("frobnicate").output().unwrap().status.code(),
        Some(2)
    );
    assert_eq!(
        mailconf()
            .args(["template", "yaml"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn templates_are_well_formed() {
    let env = stdout(&mailconf().args(["template", "env"]).output().unwrap());
    assert!(env.contains("\nMAIL_FROM=\n"), "{env}");
    assert!(
        env.contains("# formerly MAIL_TLS") || env.contains("formerly MAIL_TLS"),
        "{env}"
    );
    // Every uncommented line is KEY=value and parses as a .env file.
    for line in env.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        assert!(
            line.split_once('=')
                // Digits too: MAIL_OAUTH2_CLIENT_ID.
                .is_some_and(|(k, _)| k
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')),
            "{line}"
        );
    }

    let schema: Value = serde_json::from_slice(
        &mailconf()
            .args(["template", "json-schema"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["properties"]["MAIL_PORT"]["maximum"], 65535);
    assert_eq!(schema["properties"]["MAIL_PASSWORD"]["writeOnly"], true);
    assert_eq!(schema["properties"]["USE_CREDENTIALS"]["default"], true);
    assert!(
        schema["required"]
            .as_array()
            .unwrap()
            .contains(&Value::from("MAIL_FROM"))
    );

    // A good settings object, as a form would post it, satisfies the schema's constraints
    // (every one this schema uses: types, required keys, no unknown keys, port range).
    let good = serde_json::json!({
        "MAIL_USERNAME": "app@example.com", "MAIL_PASSWORD": "x", "MAIL_FROM": "app@example.com",
        "MAIL_PORT": 587, "MAIL_SERVER": "smtp.example.com", "MAIL_STARTTLS": true,
        "MAIL_SSL_TLS": false, "USE_CREDENTIALS": true, "TIMEOUT": "30s", "MAIL_FROM_NAME": null,
    });
    assert_eq!(violations(&schema, &good), Vec::<String>::new());
    let bad = serde_json::json!({"MAIL_PORT": 70000, "MAIL_STARTTLS": "yes", "MAIL_TLS": true});
    assert_eq!(
        violations(&schema, &bad),
        [
            "MAIL_PORT above maximum",
            "MAIL_STARTTLS is not boolean or null",
            "MAIL_TLS is not a property",
            "MAIL_FROM is required"
        ]
    );

    let md = stdout(&mailconf().args(["template", "markdown"]).output().unwrap());
    assert!(
        md.starts_with("| Variable | Type | Default | Description |"),
        "{md}"
    );
    assert!(
        md.contains("| `MAIL_FROM` | mailbox (Name &lt;address&gt;) | **required** |"),
        "{md}"
    );
}

/// The constraints of the JSON Schema that `template json-schema` prints, checked for `object`.
fn violations(schema: &Value, object: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let properties = schema["properties"].as_object().unwrap();
    for (key, value) in object.as_object().unwrap() {
        let Some(property) = properties.get(key) else {
            if schema["additionalProperties"] == false {
                out.push(format!("{key} is not a property"));
            }
            continue;
        };
        let types: Vec<&str> = match &property["type"] {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let type_ok = types.iter().any(|t| match *t {
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            _ => false,
        });
        if !type_ok {
            out.push(format!("{key} is not {}", types.join(" or ")));
        }
        if let (Some(n), Some(max)) = (value.as_f64(), property["maximum"].as_f64())
            && n > max
        {
            out.push(format!("{key} above maximum"));
        }
    }
    for required in schema["required"].as_array().unwrap() {
        let key = required.as_str().unwrap();
        if object.get(key).is_none() {
            out.push(format!("{key} is required"));
        }
    }
    out
}
