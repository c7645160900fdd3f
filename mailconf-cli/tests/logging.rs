//! The CLI logs: `MAIL_DEBUG=true` or `RUST_LOG` prints the SMTP dialogue on stderr, the real
//! binary against the dev server, and neither the password nor any base64 form of the login
//! ever appears in it.

mod support;

use std::process::Output;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use mailconf_smtp::dev_server::DevTls;
use support::{Dev, STARTTLS, assert_has, loopback, mailconf, stderr, text};

const USER: &str = "app@example.com";
const PASSWORD: &str = "Logged-Pa55word-e2d";
const WRONG: &str = "Wrong-Pa55word-57c";

fn dev() -> Dev {
    Dev::start(DevTls::StartTls, USER, PASSWORD)
}

fn send_test(dev: &Dev, password: &str, log: &[(&str, &str)]) -> Output {
    loopback(&mut mailconf(), dev.port(), USER, password)
        .envs(STARTTLS)
        .env("MAIL_CA_FILE", &dev.ca_file)
        .envs(log.iter().copied())
        .args(["send-test", "--to", "rcpt@example.net"])
        .output()
        .unwrap()
}

/// Every way the login could reach a log: the password, and the base64 of each AUTH PLAIN and
/// AUTH LOGIN payload (and of the password alone at any alignment inside one).
fn secret_forms(password: &str) -> Vec<String> {
    let mut forms = vec![password.to_owned(), STANDARD.encode(password)];
    for prefix in ["", "\0", USER] {
        let plain = format!("{prefix}\0{USER}\0{password}");
        forms.push(STANDARD.encode(plain));
    }
    for pad in ["", "x", "xx"] {
        let shifted = STANDARD.encode(format!("{pad}{password}"));
        // The middle of an encoding does not depend on what came before it.
        forms.push(shifted[4..shifted.len() - 4].to_owned());
    }
    forms
}

fn assert_no_secret(out: &Output, password: &str) {
    let all = text(out);
    for form in secret_forms(password) {
        assert!(!all.contains(&form), "{form:?} appears in:\n{all}");
    }
}

#[test]
fn mail_debug_shows_the_dialogue_without_the_login() {
    let dev = dev();
    let out = send_test(&dev, PASSWORD, &[("MAIL_DEBUG", "true")]);
    let log = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{log}");
    for line in [
        "C: STARTTLS",
        "TLS established; EHLO:",
        "C: AUTH PLAIN [credentials redacted]",
        "S: 235",
        &format!("C: MAIL FROM:<{USER}>"),
        "C: RCPT TO:<rcpt@example.net>",
        "C: DATA",
        "S: 354",
        "S: 250",
        "C: QUIT",
    ] {
        assert!(log.contains(line), "no {line:?} in:\n{log}");
    }
    assert!(log.contains("mailconf_smtp::dialogue"), "{log}");
    assert_no_secret(&out, PASSWORD);
    assert_eq!(dev.server.messages().len(), 1);

    // fastapi-mail's MAIL_DEBUG=1 too.
    let out = send_test(&dev, PASSWORD, &[("MAIL_DEBUG", "1")]);
    assert!(stderr(&out).contains("C: DATA"), "{}", stderr(&out));
}

#[test]
fn rust_log_shows_the_dialogue_and_a_refused_login_stays_secret() {
    let dev = dev();
    let out = send_test(
        &dev,
        WRONG,
        &[("RUST_LOG", "mailconf_smtp::dialogue=debug")],
    );
    let log = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{log}");
    assert_has(&log, &["C: AUTH PLAIN [credentials redacted]", "S: 535"]);
    assert_no_secret(&out, WRONG);
    assert_no_secret(&out, PASSWORD);

    // RUST_LOG at its most verbose: still no login anywhere.
    let out = send_test(&dev, PASSWORD, &[("RUST_LOG", "trace")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("C: RCPT TO:"), "{}", stderr(&out));
    assert_no_secret(&out, PASSWORD);
}

#[test]
fn without_mail_debug_or_rust_log_nothing_is_logged() {
    let dev = dev();
    for log in [&[][..], &[("MAIL_DEBUG", "false")]] {
        let out = send_test(&dev, PASSWORD, log);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(stderr(&out), "", "{log:?}");
    }
}
