//! Loading from the real process environment.
//!
//! Every crate forbids `unsafe`, and `std::env::set_var` is unsafe, so each test re-runs this
//! test binary as a child process with exactly the variables under test. The child test returns
//! at once unless the marker variable is set; when it is, it loads the settings and prints the
//! outcome as one JSON line for the parent to check.

use std::process::Command;

use mailconf_core::MailConfig;
use mailconf_tests::fixtures::{MailSettings, VALID_MAIL};
use mailconf_tests::vars::replacing;
use serde_json::{Value, json};

const MARKER: &str = "MAILCONF_TEST_CHILD";
const RESULT: &str = "MAILCONF_RESULT=";

/// Runs the child test with only `vars` in its environment and returns what it printed.
fn load_in_child(vars: &[(&str, &str)]) -> Value {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_loads_mail_settings_from_env",
            "--nocapture",
            "--test-threads=1",
        ])
        .env_clear()
        .env(MARKER, "1")
        .envs(vars.iter().copied())
        .output()
        .unwrap();
    let stdout = mailconf_tests::text::succeeded(&output, "the child");
    let line = stdout
        .lines()
        .find_map(|l| l.split_once(RESULT).map(|(_, json)| json))
        .unwrap_or_else(|| panic!("no result in:\n{stdout}"));
    serde_json::from_str(line).unwrap()
}

#[test]
fn child_loads_mail_settings_from_env() {
    if std::env::var_os(MARKER).is_none() {
        return;
    }
    let result = match MailSettings::from_env() {
        Ok(s) => json!({
            "ok": {
                "username": s.username.to_string(),
                "port": s.port.get(),
                "server": s.server.to_string(),
                "starttls": s.starttls,
                "use_credentials": s.use_credentials,
                "from_name": s.from_name,
            }
        }),
        Err(errors) => json!({ "errors": errors, "report": errors.to_string() }),
    };
    println!("{RESULT}{result}");
}

/// The errors a child's load reported, whose keys and codes must be `expected`, in order; the
/// child's result in the panic message when it loaded.
fn errors_of<'a>(result: &'a Value, expected: &[(&str, &str)]) -> &'a [Value] {
    let errors = result["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("expected errors: {result}"));
    let summary: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e["key"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(summary, expected, "{}", result["report"]);
    errors
}

#[test]
fn loads_from_the_process_environment() {
    let mut vars = VALID_MAIL.to_vec();
    vars.extend([
        ("MAIL_PORT", "2525"),
        ("USE_CREDENTIALS", "no"),
        ("PATH", "/usr/bin"),
        ("HOME", "/root"),
    ]);
    let result = load_in_child(&vars);
    let ok = &result["ok"];
    assert_eq!(ok["username"], "me@example.com", "{result}");
    assert_eq!(ok["port"], 2525);
    assert_eq!(ok["server"], "smtp.example.com");
    assert_eq!(ok["starttls"], true);
    assert_eq!(ok["use_credentials"], false);
    assert_eq!(ok["from_name"], Value::Null);
}

#[test]
fn the_old_fastapi_mail_environment_gives_exactly_four_problems() {
    let vars = [
        ("MAIL_USERNAME", "me@example.com"),
        ("MAIL_PASSWORD", "hunter2-secret"),
        ("MAIL_FROM", "noreply@example.com"),
        ("MAIL_PORT", "587"),
        ("MAIL_SERVER", "smtp.example.com"),
        ("MAIL_TLS", "true"),
        ("MAIL_SSL", "false"),
    ];
    let result = load_in_child(&vars);
    let errors = errors_of(
        &result,
        &[
            ("MAIL_TLS", "renamed_key"),
            ("MAIL_STARTTLS", "missing"),
            ("MAIL_SSL", "renamed_key"),
            ("MAIL_SSL_TLS", "missing"),
        ],
    );
    assert_eq!(
        errors[0]["message"],
        "MAIL_TLS was renamed to MAIL_STARTTLS"
    );
    assert_eq!(errors[0]["hint"], "rename MAIL_TLS to MAIL_STARTTLS");
    assert_eq!(errors[0]["origin"]["source"], "env");
    assert_eq!(
        errors[1]["hint"],
        "MAIL_TLS was renamed to MAIL_STARTTLS: rename MAIL_TLS to MAIL_STARTTLS"
    );
    assert_eq!(errors[2]["message"], "MAIL_SSL was renamed to MAIL_SSL_TLS");
    assert_eq!(
        errors[3]["hint"],
        "MAIL_SSL was renamed to MAIL_SSL_TLS: rename MAIL_SSL to MAIL_SSL_TLS"
    );
    assert!(!result["report"].as_str().unwrap().contains("hunter2"));
}

#[test]
fn a_typo_in_the_environment_is_reported_but_unrelated_variables_are_not() {
    let vars = replacing(
        &VALID_MAIL,
        "MAIL_PASSWORD",
        &[
            ("MAIL_PASWORD", "hunter2-secret"),
            ("PATH", "/usr/bin"),
            ("DATABASE_URL", "postgres://x"),
        ],
    );
    let result = load_in_child(&vars);
    let errors = errors_of(
        &result,
        &[
            ("MAIL_PASSWORD", "missing"),
            ("MAIL_PASWORD", "unknown_key"),
        ],
    );
    assert_eq!(
        errors[0]["hint"],
        "MAIL_PASWORD is set: did you mean MAIL_PASSWORD?"
    );
    assert_eq!(errors[1]["hint"], "did you mean MAIL_PASSWORD?");
    assert!(!result.to_string().contains("hunter2"));
}

#[test]
fn a_secret_can_come_from_a_file_named_in_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("password");
    std::fs::write(&path, "from-a-file\n").unwrap();
    let path = path.to_str().unwrap();
    let vars = replacing(
        &VALID_MAIL,
        "MAIL_PASSWORD",
        &[("MAIL_PASSWORD_FILE", path), ("MAIL_PORT", "0")],
    );
    let result = load_in_child(&vars);
    // The port error proves the load ran; the password came from the file without a problem.
    errors_of(&result, &[("MAIL_PORT", "invalid_value")]);
}
