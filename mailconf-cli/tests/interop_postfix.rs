//! The `mailconf` binary against a real MTA: a private Postfix with Dovecot SASL (see
//! `mailconf_tests::postfix`). `check`, `probe` in both TLS modes and each mode against the
//! other port, `send-test` in both modes with the message read back from the Maildir and parsed
//! with Python's `email`, and the failures real servers produce: wrong password, a CA that did
//! not sign the certificate, a recipient refused at RCPT, a 4xx rate limit.

mod support;

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use mailconf_tests::mime_check;
use mailconf_tests::postfix::{LOGIN, PASSWORD, Postfix};
use serde_json::Value;
use support::{IMPLICIT, STARTTLS, assert_has, json, loopback, names, step, text};

const PLAIN: [(&str, &str); 3] = [
    ("MAIL_STARTTLS", "false"),
    ("MAIL_SSL_TLS", "false"),
    ("USE_CREDENTIALS", "false"),
];

/// `mailconf ARGS` with the settings of the instance's `port`, `ca`, plus `extra`.
fn mailconf(port: u16, ca: &Path, extra: &[(&str, &str)], args: &[&str]) -> Output {
    loopback(&mut support::mailconf(), port, LOGIN, PASSWORD)
        .env("MAIL_FROM_NAME", "김민준 쇼핑몰")
        .env("MAIL_CA_FILE", ca)
        .env("TIMEOUT", "10s")
        .envs(extra.iter().copied())
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn check_accepts_the_settings_of_each_listener() {
    let Some(postfix) = Postfix::shared() else {
        return;
    };
    let ports = postfix.ports();
    for (port, mode) in [
        (ports.submission, &STARTTLS[..]),
        (ports.submissions, &IMPLICIT[..]),
        (ports.plain, &PLAIN[..]),
    ] {
        let out = mailconf(port, postfix.ca_file(), mode, &["check", "--json"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        let report = json(&out);
        assert_eq!(report["ok"], true, "{report:#}");
    }
}

/// `mailconf probe --json` against `port` in `mode`, which must pass: its report.
fn probe_passes(postfix: &Postfix, port: u16, mode: &[(&str, &str)]) -> Value {
    let out = mailconf(port, postfix.ca_file(), mode, &["probe", "--json"]);
    let report = json(&out);
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    report
}

#[test]
fn probe_passes_in_the_right_mode_on_each_port() {
    let Some(postfix) = Postfix::shared() else {
        return;
    };
    let ports = postfix.ports();
    let report = probe_passes(postfix, ports.submission, &STARTTLS);
    assert_eq!(
        names(&report),
        [
            "dns", "tcp", "greeting", "ehlo", "starttls", "login", "quit"
        ]
    );
    assert_eq!(report["detected"], "start_tls");
    assert_eq!(report["server"]["starttls"], true);
    // smtpd_tls_auth_only: AUTH is only offered after STARTTLS.
    assert!(
        !step(&report, "ehlo")["detail"]
            .as_str()
            .unwrap()
            .contains("AUTH"),
        "{report:#}"
    );
    assert_eq!(
        report["server"]["auth_mechanisms"],
        serde_json::json!(["PLAIN", "LOGIN"]),
        "{report:#}"
    );

    let report = probe_passes(postfix, ports.submissions, &IMPLICIT);
    assert_eq!(
        names(&report),
        ["dns", "tcp", "tls", "greeting", "ehlo", "login", "quit"]
    );
    assert_eq!(report["detected"], "implicit_tls");

    let out = mailconf(ports.submission, postfix.ca_file(), &STARTTLS, &["probe"]);
    let human = text(&out);
    assert!(human.contains("Result: every step passed"), "{human}");
    assert!(
        human.contains("Postfix") || human.contains("ESMTP"),
        "{human}"
    );
}

#[test]
fn probe_in_the_other_mode_says_what_the_port_speaks() {
    let Some(postfix) = Postfix::shared() else {
        return;
    };
    let ports = postfix.ports();
    // The port, the flags of the mode it does not speak, what the probe detects, whether the
    // TLS step is the one that failed (an implicit-TLS handshake against a plain greeting), and
    // the flags the advice sets.
    for (port, wrong_mode, detected, tls_ok, advised) in [
        (
            ports.submission,
            IMPLICIT,
            "start_tls",
            false,
            ["MAIL_STARTTLS=true", "MAIL_SSL_TLS=false"],
        ),
        (
            ports.submissions,
            STARTTLS,
            "implicit_tls",
            true,
            ["MAIL_SSL_TLS=true", "MAIL_STARTTLS=false"],
        ),
    ] {
        let out = mailconf(port, postfix.ca_file(), &wrong_mode, &["probe", "--json"]);
        let report = json(&out);
        assert_eq!(out.status.code(), Some(1), "{detected}: {report:#}");
        assert_eq!(report["ok"], false, "{detected}: {report:#}");
        assert_eq!(report["detected"], detected, "{report:#}");
        assert_eq!(step(&report, "tls")["ok"], tls_ok, "{detected}: {report:#}");
        assert_eq!(step(&report, "login")["ok"], true, "{detected}: {report:#}");
        assert_has(report["advice"].as_str().unwrap(), &advised);
    }
}

#[test]
fn probe_with_a_wrong_password_fails_the_login_with_535() {
    let Some(postfix) = Postfix::shared() else {
        return;
    };
    let extra = [
        STARTTLS[0],
        STARTTLS[1],
        ("MAIL_PASSWORD", "not-the-password"),
    ];
    let out = mailconf(
        postfix.ports().submission,
        postfix.ca_file(),
        &extra,
        &["probe"],
    );
    let human = text(&out);
    assert_eq!(out.status.code(), Some(1), "{human}");
    assert_has(&human, &["✗ login", "[535]"]);
    assert!(!human.contains("not-the-password"), "{human}");
}

#[test]
fn probe_with_a_ca_that_did_not_sign_the_certificate_fails_at_tls() {
    let Some(postfix) = Postfix::shared() else {
        return;
    };
    let out = mailconf(
        postfix.ports().submissions,
        postfix.untrusted_ca_file(),
        &IMPLICIT,
        &["probe", "--json"],
    );
    let report = json(&out);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    let tls = step(&report, "tls");
    assert_eq!(tls["ok"], false, "{report:#}");
    // Both throw-away CAs have the same name, so rustls finds "the" issuer and then rejects
    // its signature (BadSignature); a CA with another name gives UnknownIssuer.
    let detail = tls["detail"].as_str().unwrap();
    assert!(detail.contains("invalid peer certificate"), "{report:#}");
    assert!(
        tls["hint"].as_str().unwrap().contains("MAIL_CA_FILE"),
        "{report:#}"
    );
    assert!(
        report["advice"].as_str().unwrap().contains("MAIL_CA_FILE"),
        "{report:#}"
    );
}

/// `send-test` to a fresh inbox in `mode`; the message must arrive, well-formed.
fn send_test_delivers(port: u16, mode: &[(&str, &str)], label: &str) {
    let Some(postfix) = Postfix::shared() else {
        return;
    };
    let to = postfix.new_inbox(label);
    let recipient = format!("김서연 <{to}>");
    let out = mailconf(
        port,
        postfix.ca_file(),
        mode,
        &[
            "send-test",
            "--json",
            "--to",
            &recipient,
            "--subject",
            "설정 확인 메일",
        ],
    );
    let report = json(&out);
    assert_eq!(out.status.code(), Some(0), "{report:#}\n{}", postfix.log());
    assert_eq!(report["ok"], true);
    assert_eq!(report["code"], 250);
    assert!(
        report["reply"].as_str().unwrap().contains("queued as"),
        "{report:#}"
    );

    let raw = postfix
        .wait_for_message(&to, Duration::from_secs(20))
        .unwrap_or_else(|| panic!("nothing delivered to {to}\n{}", postfix.log()));
    let Some(parsed) = mime_check::parse(&raw) else {
        return;
    };
    parsed.assert_well_formed();
    assert_eq!(parsed.header("Subject"), Some("설정 확인 메일"));
    assert_eq!(
        parsed.header("From"),
        Some(format!("김민준 쇼핑몰 <{LOGIN}>").as_str())
    );
    assert_eq!(parsed.header("To"), Some(recipient.as_str()));
    assert_eq!(parsed.header("Message-ID"), report["message_id"].as_str());
    let body = parsed
        .plain_parts()
        .next()
        .and_then(|p| p.text.clone())
        .unwrap();
    // The body repeats the sender, name included: it must read back as written.
    assert!(body.contains("김민준 쇼핑몰"), "{body}");
}

#[test]
fn send_test_delivers_with_starttls() {
    let Some(postfix) = Postfix::shared() else {
        return;
    };
    send_test_delivers(postfix.ports().submission, &STARTTLS, "cli-starttls");
}

#[test]
fn send_test_delivers_with_implicit_tls() {
    let Some(postfix) = Postfix::shared() else {
        return;
    };
    send_test_delivers(postfix.ports().submissions, &IMPLICIT, "cli-implicit");
}

/// `send-test --json` that must fail; returns the JSON report.
fn send_test_fails(port: u16, ca: &Path, extra: &[(&str, &str)], to: &str) -> Value {
    let out = mailconf(port, ca, extra, &["send-test", "--json", "--to", to]);
    let report = json(&out);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    assert_eq!(report["ok"], false, "{report:#}");
    report
}

#[test]
fn send_test_with_a_wrong_password_fails_at_auth() {
    let Some(postfix) = Postfix::shared() else {
        return;
    };
    let to = postfix.new_inbox("cli-wrong-password");
    let extra = [
        STARTTLS[0],
        STARTTLS[1],
        ("MAIL_PASSWORD", "not-the-password"),
    ];
    let report = send_test_fails(postfix.ports().submission, postfix.ca_file(), &extra, &to);
    assert_eq!(report["stage"], "auth", "{report:#}");
    assert_eq!(report["code"], 535, "{report:#}");
    assert_eq!(report["permanent"], true, "{report:#}");
    assert!(
        report["hint"].as_str().is_some_and(|h| !h.is_empty()),
        "{report:#}"
    );
    assert!(!report.to_string().contains("not-the-password"));
    assert_eq!(postfix.message_count(&to), 0);
}

#[test]
fn send_test_with_an_untrusted_ca_fails_at_tls() {
    let Some(postfix) = Postfix::shared() else {
        return;
    };
    let to = postfix.new_inbox("cli-untrusted");
    let report = send_test_fails(
        postfix.ports().submission,
        postfix.untrusted_ca_file(),
        &STARTTLS,
        &to,
    );
    assert_eq!(report["stage"], "tls", "{report:#}");
    assert!(
        report["hint"]
            .as_str()
            .is_some_and(|h| h.contains("MAIL_CA_FILE")),
        "{report:#}"
    );
}

#[test]
fn send_test_to_an_unknown_recipient_is_refused_at_rcpt() {
    let Some(postfix) = Postfix::shared() else {
        return;
    };
    let report = send_test_fails(
        postfix.ports().submission,
        postfix.ca_file(),
        &STARTTLS,
        "nobody@example.test",
    );
    assert_eq!(report["stage"], "rcpt", "{report:#}");
    assert_eq!(report["code"], 550, "{report:#}");
    assert!(
        report["message"].as_str().unwrap().contains("User unknown"),
        "{report:#}"
    );
    assert_eq!(report["permanent"], true, "{report:#}");
    assert_eq!(report["attempts"], 1, "a 5xx is not retried: {report:#}");
}

#[test]
fn send_test_over_the_rate_limit_gets_a_temporary_refusal() {
    let Some(postfix) = Postfix::shared() else {
        return;
    };
    let port = postfix.ports().rate_limited;
    let to = postfix.new_inbox("cli-rate");
    let out = mailconf(
        port,
        postfix.ca_file(),
        &PLAIN,
        &["send-test", "--json", "--to", &to],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        postfix
            .wait_for_message(&to, Duration::from_secs(20))
            .is_some()
    );

    // One message per hour: the second is refused with 450 at MAIL FROM, and retried.
    let report = send_test_fails(port, postfix.ca_file(), &PLAIN, &to);
    assert_eq!(report["stage"], "mail_from", "{report:#}");
    assert_eq!(report["code"], 450, "{report:#}");
    assert_eq!(report["permanent"], false, "{report:#}");
    assert_eq!(report["attempts"], 3, "{report:#}");
    assert!(
        report["message"]
            .as_str()
            .unwrap()
            .contains("too much mail"),
        "{report:#}"
    );
    assert_eq!(postfix.message_count(&to), 1);
}
