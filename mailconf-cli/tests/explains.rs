//! Errors and output that point at the real cause, run as a real process: a DER `MAIL_CA_FILE`,
//! `MAIL_URL` shown but for its password, a temporary failure that says so, and
//! `dev-server`'s settings loading as a `.env` file that `check` accepts.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command as StdCommand, Stdio};

mod support;

use assert_cmd::Command;
use base64::Engine as _;
use mailconf_smtp::dev_server::DevCertificates;
use mailconf_tests::scripted::{Act, Script, ScriptedPeer, Step};
use support::{assert_has, entry, example_starttls, json, mailconf, output_with, text};

const PASSWORD: &str = "Explain-Pa55word-91c";

fn starttls(cmd: &mut Command) -> &mut Command {
    example_starttls(cmd, PASSWORD)
}

/// The DER bytes of the first certificate of `pem`.
fn der(pem: &str) -> Vec<u8> {
    let body: String = pem
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN CERTIFICATE"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}

#[test]
fn a_der_ca_file_is_named_as_der_with_the_conversion() {
    let dir = tempfile::tempdir().unwrap();
    let certs = DevCertificates::generate().unwrap();
    let der_file = dir.path().join("ca.der");
    std::fs::write(&der_file, der(certs.ca_pem())).unwrap();

    let out = starttls(&mut mailconf())
        .env("MAIL_CA_FILE", &der_file)
        .arg("check")
        .output()
        .unwrap();
    let human = text(&out);
    assert_eq!(out.status.code(), Some(1), "{human}");
    let command = format!(
        "openssl x509 -inform der -in {0} -out {0}.pem",
        der_file.display()
    );
    assert_has(
        &human,
        &["MAIL_CA_FILE", "not PEM (DER detected)", &command],
    );
    assert!(!human.contains("UTF-8"), "{human}");

    // The same certificate as PEM is accepted: the file was the only problem.
    let pem_file = dir.path().join("ca.pem");
    std::fs::write(&pem_file, certs.ca_pem()).unwrap();
    let out = starttls(&mut mailconf())
        .env("MAIL_CA_FILE", &pem_file)
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn check_shows_mail_url_but_its_password() {
    let url = format!("smtp://app%40example.com:{PASSWORD}@smtp.example.com:587?tls=required");
    let human = output_with(
        mailconf()
            .env("MAIL_URL", &url)
            .env("MAIL_FROM", "app@example.com")
            .arg("check"),
        0,
    );
    assert!(
        human.contains(
            "= smtp://app%40example.com:[redacted]@smtp.example.com:587?tls=required  (environment)"
        ),
        "{human}"
    );
    assert!(!human.contains(PASSWORD), "{human}");

    let out = mailconf()
        .env("MAIL_URL", &url)
        .env("MAIL_FROM", "app@example.com")
        .args(["check", "--json"])
        .output()
        .unwrap();
    let report = json(&out);
    let shown = entry(&report, "settings", "MAIL_URL");
    assert_eq!(
        shown["value"],
        "smtp://app%40example.com:[redacted]@smtp.example.com:587?tls=required"
    );
    assert!(!text(&out).contains(PASSWORD));
}

#[test]
fn a_temporary_failure_says_it_was_temporary_and_how_often_it_was_tried() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let script = Script::new(&[]).at(Step::Rcpt, Act::reply(451, "4.7.1 try again later"));
    let peer = runtime.block_on(ScriptedPeer::start(script));
    let human = output_with(
        mailconf()
            .env("MAIL_SERVER", "127.0.0.1")
            .env("MAIL_PORT", peer.port().to_string())
            .env("MAIL_STARTTLS", "false")
            .env("MAIL_SSL_TLS", "false")
            .env("USE_CREDENTIALS", "false")
            .env("MAIL_FROM", "app@example.com")
            .args(["send-test", "--to", "rcpt@example.net"]),
        1,
    );
    assert_has(
        &human,
        &[
            "reply code: 451",
            "temporary failure, gave up after 3 attempts",
        ],
    );
    assert_eq!(peer.connections(), 3, "{human}");
}

/// Kills the server even when an assertion fails.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `mailconf dev-server` with `args` and returns it with the settings lines it prints.
fn dev_server_settings(args: &[&str], dir: &std::path::Path) -> (Running, String) {
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_mailconf"))
        .args(["dev-server", "--port", "0", "--out"])
        .arg(dir)
        .args(args)
        .env_clear()
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Running(child);
    let mut settings = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if line.starts_with("Waiting for messages") {
            break;
        }
        // Everything after "Point your application at it" is meant for a .env file.
        if let Some(setting) = line.strip_prefix("  ") {
            settings.push_str(setting);
            settings.push('\n');
        }
    }
    (server, settings)
}

#[test]
fn dev_server_output_as_a_dotenv_file_passes_check() {
    for args in [
        &["--tls", "starttls"][..],
        &["--tls", "implicit"],
        &[
            "--tls",
            "none",
            "--user",
            "dev@example.com",
            "--password",
            PASSWORD,
        ],
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (server, settings) = dev_server_settings(args, dir.path());
        assert!(settings.contains("MAIL_FROM="), "{args:?}: {settings}");
        assert!(!settings.contains(PASSWORD), "{settings}");
        let env_file = dir.path().join(".env");
        std::fs::write(&env_file, &settings).unwrap();
        let out = mailconf()
            .arg("--env-file")
            .arg(&env_file)
            .arg("check")
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}\n.env:\n{settings}\ncheck:\n{}",
            text(&out)
        );
        drop(server);
    }
}
