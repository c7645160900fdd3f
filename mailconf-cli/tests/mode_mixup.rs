//! STARTTLS settings against an implicit-TLS port: the server waits for a TLS `ClientHello`,
//! the client for a greeting. `probe` (step limit 10 s) and a send (`TIMEOUT` 60 s) must both
//! find out in seconds, name the stage and give the settings that fix it.

mod support;

use std::process::Output;
use std::time::{Duration, Instant};

use mailconf_core::MailConfig;
use mailconf_smtp::dev_server::DevTls;
use mailconf_smtp::{FailureKind, Mailer, SmtpConfig, Stage};
use support::{Dev, mailconf, text};

const USER: &str = "app@example.com";
const PASSWORD: &str = "Mixup-Pa55word-0b7";
/// Well under the 10 s step limit and the 60 s TIMEOUT, generous for a loaded machine.
const FAST: Duration = Duration::from_secs(6);

fn implicit_dev_server() -> Dev {
    Dev::start(DevTls::Implicit, USER, PASSWORD)
}

/// STARTTLS settings for the dev server, with the default TIMEOUT (60 s).
fn starttls_settings(dev: &Dev) -> Vec<(&'static str, String)> {
    vec![
        ("MAIL_SERVER", "127.0.0.1".to_owned()),
        ("MAIL_PORT", dev.server.port().to_string()),
        ("MAIL_STARTTLS", "true".to_owned()),
        ("MAIL_SSL_TLS", "false".to_owned()),
        ("MAIL_USERNAME", USER.to_owned()),
        ("MAIL_PASSWORD", PASSWORD.to_owned()),
        ("MAIL_FROM", USER.to_owned()),
        ("MAIL_CA_FILE", dev.ca_file.display().to_string()),
    ]
}

fn run(dev: &Dev, args: &[&str]) -> (Output, Duration) {
    let started = Instant::now();
    let out = mailconf()
        .envs(starttls_settings(dev))
        .args(args)
        .timeout(Duration::from_secs(90))
        .output()
        .unwrap();
    (out, started.elapsed())
}

const FIX: &str = "MAIL_STARTTLS=false, MAIL_SSL_TLS=true";

#[test]
fn probe_finds_the_mix_up_well_before_the_step_timeout() {
    let dev = implicit_dev_server();
    let (out, elapsed) = run(&dev, &["probe"]);
    let human = text(&out);
    assert_eq!(out.status.code(), Some(1), "{human}");
    assert!(human.contains("at most 10s per step"), "{human}");
    assert!(elapsed < FAST, "took {elapsed:?}:\n{human}");
    assert!(human.contains("✗ greeting"), "{human}");
    assert!(human.contains("answered with a TLS handshake"), "{human}");
    let port = dev.server.port();
    assert!(
        human.contains(&format!(
            "Advice: port {port} speaks implicit TLS (TLS from the first byte): set {FIX}"
        )),
        "{human}"
    );
    assert!(
        human.contains("login"),
        "the other mode is probed through: {human}"
    );
}

#[test]
fn send_test_finds_the_mix_up_well_before_the_timeout() {
    let dev = implicit_dev_server();
    let (out, elapsed) = run(&dev, &["send-test", "--to", "rcpt@example.net"]);
    let human = text(&out);
    assert_eq!(out.status.code(), Some(1), "{human}");
    assert!(elapsed < FAST, "took {elapsed:?}:\n{human}");
    assert!(
        human.contains("Not sent: the connect stage failed"),
        "{human}"
    );
    assert!(human.contains(&format!("set {FIX}")), "{human}");
    assert!(human.contains("permanent failure (1 attempt)"), "{human}");
    assert!(dev.server.messages().is_empty());
}

#[test]
fn the_mailer_reports_the_stage_and_the_fix() {
    let dev = implicit_dev_server();
    let config = SmtpConfig::from_map(starttls_settings(&dev)).unwrap();
    let mailer = Mailer::new(&config).unwrap();
    let started = Instant::now();
    let err = dev.runtime.block_on(mailer.test_connection()).unwrap_err();
    assert!(started.elapsed() < FAST, "{:?}", started.elapsed());
    assert_eq!(err.stage(), Stage::Connect);
    assert_eq!(err.kind(), FailureKind::TlsMode, "{err}");
    assert!(err.is_permanent() && !err.is_timeout(), "{err}");
    assert!(err.hint().unwrap().contains("implicit TLS"), "{err}");

    // Configured right, the same server works: the check did not break the normal path.
    let mut right = starttls_settings(&dev);
    right.retain(|(k, _)| !k.ends_with("TLS"));
    right.extend([
        ("MAIL_STARTTLS", "false".to_owned()),
        ("MAIL_SSL_TLS", "true".to_owned()),
    ]);
    let mailer = Mailer::new(&SmtpConfig::from_map(right).unwrap()).unwrap();
    dev.runtime.block_on(mailer.test_connection()).unwrap();
}
