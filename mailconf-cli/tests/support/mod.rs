//! What the CLI's test suites share: the `mailconf` binary with a clean environment and the
//! settings of a server on loopback, its output as text or JSON, the steps of a probe report,
//! and a dev server with a login and its CA file. Each suite uses a part of it.
#![allow(dead_code)]

pub mod oauth2;

use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;
use mailconf_smtp::dev_server::{DevServer, DevTls};
use serde_json::Value;
use tokio::runtime::Runtime;

/// fastapi-mail's flags for STARTTLS and for implicit TLS.
pub const STARTTLS: [(&str, &str); 2] = [("MAIL_STARTTLS", "true"), ("MAIL_SSL_TLS", "false")];
pub const IMPLICIT: [(&str, &str); 2] = [("MAIL_STARTTLS", "false"), ("MAIL_SSL_TLS", "true")];

/// The `mailconf` binary with an empty environment, stopped after 60 s so that a bug fails
/// the test instead of hanging the suite.
pub fn mailconf() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mailconf"));
    cmd.env_clear().timeout(Duration::from_secs(60));
    cmd
}

/// The settings of a server on 127.0.0.1:`port` that `user` logs in to and sends as.
pub fn loopback<'c>(
    cmd: &'c mut Command,
    port: u16,
    user: &str,
    password: &str,
) -> &'c mut Command {
    cmd.env("MAIL_SERVER", "127.0.0.1")
        .env("MAIL_PORT", port.to_string())
        .env("MAIL_USERNAME", user)
        .env("MAIL_PASSWORD", password)
        .env("MAIL_FROM", user)
}

/// Valid STARTTLS settings for smtp.example.com, which no test contacts.
pub fn example_starttls<'c>(cmd: &'c mut Command, password: &str) -> &'c mut Command {
    cmd.env("MAIL_USERNAME", "app@example.com")
        .env("MAIL_PASSWORD", password)
        .env("MAIL_FROM", "app@example.com")
        .env("MAIL_PORT", "587")
        .env("MAIL_SERVER", "smtp.example.com")
        .envs(STARTTLS)
}

/// Runs `cmd` with `args`: its exit code and its standard output.
pub fn run(cmd: &mut Command, args: &[&str]) -> (Option<i32>, String) {
    let out = cmd.args(args).output().unwrap();
    (out.status.code(), stdout(&out))
}

/// The output of a [`run`], which must have exited with `code` and begin with `start`.
pub fn opens_with((status, text): (Option<i32>, String), code: i32, start: &str) -> String {
    assert_eq!(status, Some(code), "{text}");
    assert!(text.starts_with(start), "{text}");
    text
}

/// Runs `cmd`, which must exit with `code`: its standard output, then standard error.
pub fn output_with(cmd: &mut Command, code: i32) -> String {
    let out = cmd.output().unwrap();
    let text = text(&out);
    assert_eq!(out.status.code(), Some(code), "{text}");
    text
}

/// Runs `cmd`, which must exit with `code`: its standard output.
pub fn stdout_with(cmd: &mut Command, code: i32) -> String {
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(code), "{}", text(&out));
    stdout(&out)
}

// The workspace tests' assertion, one place for both; not every suite uses it.
#[allow(unused_imports)]
pub use mailconf_tests::text::assert_has;

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Standard output, then standard error.
pub fn text(out: &Output) -> String {
    stdout(out) + &stderr(out)
}

pub fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
}

/// The entry for `key` in the list `list` (`"settings"` or `"errors"`) of a `check --json`
/// report.
pub fn entry<'a>(report: &'a Value, list: &str, key: &str) -> &'a Value {
    report[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} list: {report:#}"))
        .iter()
        .find(|e| e["key"] == key)
        .unwrap_or_else(|| panic!("no {key} in {list}: {report:#}"))
}

/// The last step called `name` of a `probe --json` report.
pub fn step<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no {name} step: {report:#}"))
}

/// The names of the steps of a `probe --json` report, in order.
pub fn names(report: &Value) -> Vec<&str> {
    let steps = report["steps"].as_array().unwrap();
    steps.iter().map(|s| s["name"].as_str().unwrap()).collect()
}

/// A dev server with one login, on its own runtime, and its CA in a file; the server is
/// dropped (stopped) before the runtime.
pub struct Dev {
    pub server: DevServer,
    pub runtime: Runtime,
    _dir: tempfile::TempDir,
    pub ca_file: PathBuf,
}

impl Dev {
    pub fn start(tls: DevTls, user: &str, password: &str) -> Dev {
        let runtime = Runtime::new().unwrap();
        let server = runtime
            .block_on(DevServer::builder().tls(tls).user(user, password).start())
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let ca_file = server.write_ca_file(dir.path()).unwrap();
        Dev {
            server,
            runtime,
            _dir: dir,
            ca_file,
        }
    }

    pub fn port(&self) -> u16 {
        self.server.port()
    }
}
