//! `mailconf probe` as a real process against servers this test starts on 127.0.0.1: the dev
//! server and aiosmtpd in both TLS modes, configured right and the wrong way round, a closed
//! port, a server that never greets, and a wrong password.

mod support;

use std::net::TcpListener;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use mailconf_smtp::dev_server::DevTls;
use mailconf_tests::aiosmtpd::{Aiosmtpd, Mode};
use serde_json::Value;
use support::{
    Dev, IMPLICIT, STARTTLS, assert_has, json, loopback, mailconf, names, output_with, step, text,
};

const USER: &str = "app@example.com";
const PASSWORD: &str = "Probe-Pa55word-d41c";

fn dev(tls: DevTls) -> Dev {
    Dev::start(tls, USER, PASSWORD)
}

/// `mailconf probe` with the settings of a server on 127.0.0.1:`port` plus `extra`.
fn probe(port: u16, ca_file: Option<&Path>, extra: &[(&str, &str)], args: &[&str]) -> Output {
    loopback(&mut mailconf(), port, USER, PASSWORD)
        .envs(ca_file.map(|f| ("MAIL_CA_FILE", f)))
        .envs(extra.iter().copied())
        .arg("probe")
        .args(args)
        .output()
        .unwrap()
}

/// [`probe`], which must fail within 5 seconds: its output.
fn fails_fast(port: u16, ca_file: Option<&Path>, extra: &[(&str, &str)], args: &[&str]) -> String {
    let started = Instant::now();
    let out = probe(port, ca_file, extra, args);
    let human = text(&out);
    assert_eq!(out.status.code(), Some(1), "{human}");
    assert!(started.elapsed() < Duration::from_secs(5), "{human}");
    human
}

#[test]
fn dev_server_with_starttls_right_and_wrong_way_round() {
    let dev = dev(DevTls::StartTls);
    let port = dev.server.port();

    let out = probe(port, Some(&dev.ca_file), &STARTTLS, &[]);
    let human = text(&out);
    assert_eq!(out.status.code(), Some(0), "{human}");
    assert_eq!(human.matches('✓').count(), 7, "{human}");
    assert!(!human.contains('✗'), "{human}");
    assert_has(
        &human,
        &[
            "AUTH mechanisms: PLAIN, LOGIN",
            "STARTTLS: offered",
            "Result: every step passed",
        ],
    );

    let report = json(&probe(port, Some(&dev.ca_file), &STARTTLS, &["--json"]));
    assert_eq!(report["ok"], true, "{report:#}");
    assert_eq!(
        names(&report),
        [
            "dns", "tcp", "greeting", "ehlo", "starttls", "login", "quit"
        ]
    );
    assert_eq!(
        report["server"]["auth_mechanisms"],
        serde_json::json!(["PLAIN", "LOGIN"])
    );
    assert_eq!(report["server"]["starttls"], true);
    assert_eq!(report["detected"], "start_tls");
    assert!(
        step(&report, "ehlo")["detail"]
            .as_str()
            .unwrap()
            .contains("STARTTLS")
    );
    assert_eq!(report["advice"], Value::Null);

    // Implicit TLS against a STARTTLS port fails fast (the server greets in plain text).
    let human = fails_fast(port, Some(&dev.ca_file), &IMPLICIT, &[]);
    assert_has(
        &human,
        &[
            "Trying STARTTLS on the same port",
            &format!(
                "Advice: port {port} speaks plain SMTP with STARTTLS: set MAIL_STARTTLS=true, MAIL_SSL_TLS=false"
            ),
        ],
    );
    let report = json(&probe(port, Some(&dev.ca_file), &IMPLICIT, &["--json"]));
    assert_eq!(
        (report["ok"].as_bool(), report["detected"].as_str()),
        (Some(false), Some("start_tls"))
    );
    assert_eq!(report["steps"][2]["name"], "tls");
    assert_eq!(report["steps"][2]["ok"], false);
    assert_eq!(
        step(&report, "login")["ok"],
        true,
        "the login works in the right mode"
    );
}

#[test]
fn a_mode_mix_up_is_explained_in_korean() {
    let dev = dev(DevTls::StartTls);
    let port = dev.server.port();
    let korean = output_with(
        loopback(&mut mailconf(), port, USER, PASSWORD)
            .env("MAIL_CA_FILE", &dev.ca_file)
            .envs(IMPLICIT)
            .env("LANG", "ko_KR.UTF-8")
            .arg("probe"),
        1,
    );
    assert_has(
        &korean,
        &[
            "같은 포트에서 STARTTLS 방식을 시도합니다",
            &format!(
                "조언: {port}번 포트의 방식은 STARTTLS를 쓰는 평문 SMTP입니다: MAIL_STARTTLS=true, MAIL_SSL_TLS=false로 설정하세요"
            ),
            "결과: 실패",
        ],
    );
    // The steps' details are what the network and the server said; the rest is Korean.
    let ours: String = korean
        .lines()
        .filter(|line| !line.trim_start().starts_with(['✓', '✗']))
        .collect::<Vec<_>>()
        .join("\n");
    let left = mailconf_tests::korean::english_left(&ours, &[]);
    assert!(left.is_empty(), "English left: {left:?}\n{korean}");
}

#[test]
fn dev_server_with_implicit_tls_right_and_wrong_way_round() {
    let dev = dev(DevTls::Implicit);
    let port = dev.server.port();

    let report = json(&probe(port, Some(&dev.ca_file), &IMPLICIT, &["--json"]));
    assert_eq!(report["ok"], true, "{report:#}");
    assert_eq!(
        names(&report),
        ["dns", "tcp", "tls", "greeting", "ehlo", "login", "quit"]
    );
    assert_eq!(
        report["server"]["auth_mechanisms"],
        serde_json::json!(["PLAIN", "LOGIN"])
    );
    assert_eq!(report["server"]["encrypted"], true);
    assert_eq!(report["detected"], "implicit_tls");

    // STARTTLS against an implicit-TLS port: no greeting comes, the other mode answers.
    let human = fails_fast(port, Some(&dev.ca_file), &STARTTLS, &["--timeout", "1s"]);
    assert_has(
        &human,
        &[
            "✗ greeting",
            "no greeting within 1s",
            "Trying implicit TLS on the same port",
            &format!(
                "Advice: port {port} speaks implicit TLS (TLS from the first byte): set MAIL_STARTTLS=false, MAIL_SSL_TLS=true"
            ),
        ],
    );
}

#[test]
fn an_untrusted_certificate_is_not_mistaken_for_a_mode_mix_up() {
    let dev = dev(DevTls::Implicit);
    let out = probe(dev.server.port(), None, &IMPLICIT, &["--json"]);
    let report = json(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        names(&report),
        ["dns", "tcp", "tls"],
        "no other mode is tried"
    );
    assert!(
        step(&report, "tls")["detail"]
            .as_str()
            .unwrap()
            .contains("UnknownIssuer")
    );
    assert_eq!(report["detected"], "implicit_tls");
    assert!(
        report["advice"].as_str().unwrap().contains("MAIL_CA_FILE"),
        "{report:#}"
    );
}

#[test]
fn rejected_tls_flags_are_probed_anyway_and_urls_get_url_advice() {
    let dev = dev(DevTls::Implicit);
    let port = dev.server.port();

    // Both flags on: the rules reject it, the probe still finds out what the port speaks.
    let both = [("MAIL_STARTTLS", "true"), ("MAIL_SSL_TLS", "true")];
    let out = probe(port, Some(&dev.ca_file), &both, &["--timeout", "2s"]);
    let human = text(&out);
    assert_eq!(out.status.code(), Some(1), "{human}");
    assert!(human.starts_with("1 problem in SmtpConfig:"), "{human}");
    assert_has(
        &human,
        &[
            "Probing anyway",
            "set MAIL_STARTTLS=false, MAIL_SSL_TLS=true",
        ],
    );
    let report = json(&probe(
        port,
        Some(&dev.ca_file),
        &both,
        &["--json", "--timeout", "2s"],
    ));
    assert_eq!(
        (report["ok"].as_bool(), report["config_ok"].as_bool()),
        (Some(false), Some(false))
    );
    assert_eq!(report["errors"][0]["key"], "MAIL_STARTTLS");
    assert_eq!(report["configured"], Value::Null);
    assert_eq!(report["detected"], "implicit_tls");

    // Anything else wrong: reported like `check`, nothing is probed.
    let out = probe(
        port,
        Some(&dev.ca_file),
        &[("MAIL_FROM", "not-an-address")],
        &[],
    );
    let human = text(&out);
    assert_eq!(out.status.code(), Some(1), "{human}");
    assert!(
        human.contains("MAIL_FROM") && !human.contains("Probing"),
        "{human}"
    );

    // MAIL_URL with STARTTLS against the implicit port: the advice names the scheme.
    let url = format!("smtp://app%40example.com:{PASSWORD}@127.0.0.1:{port}?tls=required");
    let out = mailconf()
        .env("MAIL_URL", url)
        .env("MAIL_FROM", USER)
        .env("MAIL_CA_FILE", &dev.ca_file)
        .args(["probe", "--json", "--timeout", "1s"])
        .output()
        .unwrap();
    let report = json(&out);
    assert_eq!(out.status.code(), Some(1));
    let advice = report["advice"].as_str().unwrap();
    assert!(
        advice.contains(&format!("MAIL_URL=smtps://user:password@host:{port}")),
        "{advice}"
    );
}

#[test]
fn wrong_password_fails_the_login_with_535_and_a_hint() {
    let dev = dev(DevTls::StartTls);
    let out = probe(
        dev.server.port(),
        Some(&dev.ca_file),
        &[
            STARTTLS[0],
            STARTTLS[1],
            ("MAIL_PASSWORD", "not-the-password"),
        ],
        &[],
    );
    let human = text(&out);
    assert_eq!(out.status.code(), Some(1), "{human}");
    assert_has(&human, &["✗ login", "[535]", "app password", "✓ QUIT"]);
    assert!(!human.contains("not-the-password"), "{human}");
}

#[test]
fn a_closed_port_is_refused_quickly() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let human = fails_fast(port, None, &STARTTLS, &[]);
    assert_has(
        &human,
        &[
            "✗ TCP connect",
            "Connection refused",
            &format!("Advice: nothing accepts connections on 127.0.0.1:{port}"),
        ],
    );
    assert!(
        !human.contains("Trying implicit TLS"),
        "a refused port is not probed twice: {human}"
    );
}

#[test]
fn a_server_that_never_greets_times_out_at_the_greeting() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // Accepts and holds every connection, never writing a byte.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten().take(4) {
            held.push(stream);
        }
        std::thread::sleep(Duration::from_secs(30));
    });
    let started = Instant::now();
    let out = probe(port, None, &STARTTLS, &["--json", "--timeout", "1s"]);
    let elapsed = started.elapsed();
    let report = json(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(elapsed < Duration::from_secs(6), "{elapsed:?}");
    let greeting = &report["steps"][2];
    assert_eq!(
        (greeting["name"].as_str(), greeting["ok"].as_bool()),
        (Some("greeting"), Some(false))
    );
    let millis = greeting["millis"].as_u64().unwrap();
    assert!((900..3000).contains(&millis), "{millis}");
    assert!(
        greeting["detail"]
            .as_str()
            .unwrap()
            .contains("no greeting within 1s")
    );
    assert_eq!(
        step(&report, "tls")["ok"],
        false,
        "the other mode is tried and times out too"
    );
    let advice = report["advice"].as_str().unwrap();
    assert!(advice.contains("does not answer SMTP"), "{advice}");
}

/// Asserts that a `probe --json` report lists both mechanisms aiosmtpd offers for a login.
#[track_caller]
fn assert_plain_and_login(report: &Value) {
    let mechanisms = report["server"]["auth_mechanisms"].as_array().unwrap();
    assert!(
        mechanisms.contains(&"PLAIN".into()) && mechanisms.contains(&"LOGIN".into()),
        "{report:#}"
    );
}

fn aiosmtpd_probe(server: &Aiosmtpd, flags: &[(&str, &str); 2], args: &[&str]) -> Value {
    json(&probe(server.port(), Some(server.ca_file()), flags, args))
}

#[test]
fn aiosmtpd_in_both_modes_is_recognised_with_its_auth_mechanisms() {
    let Some(starttls) = Aiosmtpd::start(Mode::StartTls, USER, PASSWORD) else {
        return;
    };
    let report = aiosmtpd_probe(&starttls, &STARTTLS, &["--json"]);
    assert_eq!(report["ok"], true, "{report:#}");
    assert_eq!(report["detected"], "start_tls");
    assert_eq!(report["server"]["starttls"], true);
    assert_plain_and_login(&report);
    let wrong_way = aiosmtpd_probe(&starttls, &IMPLICIT, &["--json"]);
    assert_eq!(wrong_way["detected"], "start_tls", "{wrong_way:#}");
    assert!(
        wrong_way["advice"]
            .as_str()
            .unwrap()
            .contains("MAIL_STARTTLS=true, MAIL_SSL_TLS=false")
    );
    drop(starttls);

    let Some(implicit) = Aiosmtpd::start(Mode::Implicit, USER, PASSWORD) else {
        return;
    };
    let report = aiosmtpd_probe(&implicit, &IMPLICIT, &["--json"]);
    assert_eq!(report["ok"], true, "{report:#}");
    assert_eq!(report["detected"], "implicit_tls");
    assert_plain_and_login(&report);
    let wrong_way = aiosmtpd_probe(&implicit, &STARTTLS, &["--json", "--timeout", "1s"]);
    assert_eq!(wrong_way["detected"], "implicit_tls", "{wrong_way:#}");
    assert!(
        wrong_way["advice"]
            .as_str()
            .unwrap()
            .contains("MAIL_STARTTLS=false, MAIL_SSL_TLS=true")
    );
}
