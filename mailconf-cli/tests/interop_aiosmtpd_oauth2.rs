//! `mailconf send-test` logging in with XOAUTH2 to aiosmtpd, an SMTP server in Python that
//! nobody here wrote, for each grant: aiosmtpd (`tests/support/aiosmtpd_server.py`) checks
//! every bearer by RFC 7662 introspection against the loopback token endpoint the test starts,
//! over STARTTLS with its own test CA. A token the endpoint issued and then revoked is
//! refused, with an error that names the setting to change. No secret or token appears in the
//! output.
//!
//! Each test has its own endpoint and aiosmtpd, so that the counts it asserts are its own.
//! Where aiosmtpd is not installed (scripts/test-all.sh installs it), the tests say SKIPPED
//! and pass, except under CI, where they fail.

mod support;

use std::process::Output;
use std::time::Duration;

use mailconf_smtp::dev_server::TokenEndpoint;
use mailconf_tests::aiosmtpd::{Aiosmtpd, Mode};
use support::oauth2::{self, Settings, Target};
use support::{STARTTLS, json};
use tokio::runtime::Runtime;

const MAILBOX: &str = "app@example.com";
/// aiosmtpd's password, which mailconf is never given: only an XOAUTH2 login can succeed.
const PASSWORD: &str = "Aiosmtpd-Unused-Pa55word";
const TO: &str = "rcpt@example.org";

/// A token endpoint (on its runtime) and an aiosmtpd that introspects its tokens.
struct Suite {
    endpoint: TokenEndpoint,
    server: Aiosmtpd,
    dir: tempfile::TempDir,
    _runtime: Runtime,
}

impl Suite {
    /// `None` when aiosmtpd is missing (after saying SKIPPED; under CI it fails instead).
    fn start() -> Option<Suite> {
        let runtime = Runtime::new().unwrap();
        let endpoint = runtime.block_on(oauth2::endpoint(MAILBOX).start()).unwrap();
        let introspection = endpoint.introspection_url();
        let server =
            Aiosmtpd::start_with_xoauth2(Mode::StartTls, MAILBOX, PASSWORD, &introspection)?;
        Some(Suite {
            endpoint,
            server,
            dir: tempfile::tempdir().unwrap(),
            _runtime: runtime,
        })
    }

    /// The settings of the grant `name`.
    fn grant(&self, name: &str) -> Settings {
        oauth2::grant(&self.endpoint, self.dir.path(), MAILBOX, name)
    }

    /// `mailconf send-test` (with `json`, `--json`) to aiosmtpd with `grant`: its output and
    /// all of it as text, in which no secret or token is.
    fn send_test(&self, grant: &Settings, json: bool) -> (Output, String) {
        let target = Target {
            host: "127.0.0.1",
            port: self.server.port(),
            ca_file: self.server.ca_file(),
            mailbox: MAILBOX,
        };
        let mut args = vec!["send-test", "--to", TO];
        args.extend(json.then_some("--json"));
        oauth2::run(&target, &STARTTLS, grant, &[], &args)
    }
}

/// `send-test` with the grant `name` succeeds: aiosmtpd received the message over TLS from
/// `MAILBOX`, logged in with a token it checked at the endpoint, after `requests` token
/// requests.
fn delivers(name: &str, requests: u64) {
    let Some(suite) = Suite::start() else {
        return;
    };
    let (out, all) = suite.send_test(&suite.grant(name), true);
    assert!(out.status.success(), "{name}: {all}");
    let report = json(&out);
    assert_eq!(report["ok"], true, "{name}: {report:#}");
    assert_eq!(report["code"], 250, "{name}: {report:#}");
    let received = suite
        .server
        .next_message(Duration::from_secs(10))
        .unwrap_or_else(|| panic!("{name}: aiosmtpd received nothing\n{all}"));
    // aiosmtpd records a login only when the endpoint called the bearer active for it.
    assert_eq!(received.auth_user.as_deref(), Some(MAILBOX), "{name}");
    assert!(
        suite.endpoint.introspections() > 0,
        "{name}: aiosmtpd never asked the endpoint"
    );
    assert_eq!(received.mail_from, MAILBOX, "{name}");
    assert_eq!(received.rcpt_tos, [TO], "{name}");
    assert!(received.tls, "{name}: the message must arrive encrypted");
    oauth2::assert_no_secret(&received.data);
    assert_eq!(
        suite.endpoint.requests(),
        requests,
        "{name}: token requests"
    );
}

#[test]
fn send_test_logs_in_to_aiosmtpd_with_client_credentials() {
    delivers("client_credentials", 1);
}

#[test]
fn send_test_logs_in_to_aiosmtpd_with_a_refresh_token() {
    delivers("refresh_token", 1);
}

#[test]
fn send_test_logs_in_to_aiosmtpd_with_a_service_account() {
    delivers("jwt_bearer", 1);
}

#[test]
fn send_test_logs_in_to_aiosmtpd_with_an_access_token_file() {
    // A sidecar keeps the file fresh: mailconf asks the endpoint for nothing.
    delivers("token_file", 0);
}

#[test]
fn a_revoked_token_is_refused_naming_the_token_file() {
    let Some(suite) = Suite::start() else {
        return;
    };
    let grant = suite.grant("token_file");
    let file = &grant[0].1;
    let token = std::fs::read_to_string(file).unwrap();
    // The endpoint issued the token in the file; revoked, its introspection says inactive.
    suite.endpoint.revoke_all();

    let (out, all) = suite.send_test(&grant, true);
    assert_eq!(out.status.code(), Some(1), "{all}");
    let report = json(&out);
    assert_eq!(report["ok"], false, "{report:#}");
    assert_eq!(report["stage"], "auth", "{report:#}");
    assert_eq!(report["code"], 535, "{report:#}");
    let hint = report["hint"].as_str().unwrap_or_default();
    assert!(hint.contains("MAIL_ACCESS_TOKEN_FILE"), "{report:#}");
    assert!(
        suite.endpoint.introspections() > 0,
        "aiosmtpd never asked the endpoint"
    );

    // The same refusal as a person reads it.
    let (out, all) = suite.send_test(&grant, false);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("535"), "{all}");
    assert!(all.contains("MAIL_ACCESS_TOKEN_FILE"), "{all}");
    for shown in [&report.to_string(), &all] {
        assert!(!shown.contains(token.trim()), "{shown}");
    }
    assert!(
        suite
            .server
            .next_message(Duration::from_millis(300))
            .is_none(),
        "a refused login delivered nothing"
    );
    assert_eq!(suite.endpoint.requests(), 0);
}
