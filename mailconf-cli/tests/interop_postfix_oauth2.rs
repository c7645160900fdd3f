//! `mailconf send-test` and `probe` logging in with XOAUTH2 to a real MTA, for each grant: a
//! private Postfix whose Dovecot checks every bearer with its `oauth2` passdb, by RFC 7662
//! introspection against the loopback token endpoint this suite starts (see
//! `mailconf_tests::postfix`). So a server nobody here wrote takes mailconf's XOAUTH2, and
//! refuses a token that it should: one the endpoint never issued, one that has expired, one
//! for another mailbox.
//!
//! Its own test binary, apart from `interop_postfix.rs`: the instance is configured with this
//! binary's token endpoint, and the password suite keeps a Dovecot without the `oauth2` passdb.

mod support;

use std::process::Output;
use std::sync::OnceLock;
use std::time::Duration;

use mailconf_smtp::dev_server::TokenEndpoint;
use mailconf_tests::postfix::{LOGIN, Postfix};
use serde_json::Value;
use support::oauth2::{self, Settings, Target};
use support::{IMPLICIT, STARTTLS, json, names, step};
use tokio::runtime::Runtime;

/// The token endpoint (on its runtime) and the Postfix that introspects its tokens, shared by
/// the tests of this binary.
struct Suite {
    endpoint: TokenEndpoint,
    postfix: Postfix,
    dir: tempfile::TempDir,
    _runtime: Runtime,
}

fn suite() -> Option<&'static Suite> {
    static SUITE: OnceLock<Option<Suite>> = OnceLock::new();
    SUITE
        .get_or_init(|| {
            let runtime = Runtime::new().unwrap();
            let endpoint = runtime.block_on(oauth2::endpoint(LOGIN).start()).unwrap();
            let postfix = Postfix::start_with_oauth2(&endpoint.introspection_url())?;
            Some(Suite {
                endpoint,
                postfix,
                dir: tempfile::tempdir().unwrap(),
                _runtime: runtime,
            })
        })
        .as_ref()
}

/// The settings of `grant` (a name of `support::oauth2::grants`).
fn grant(suite: &Suite, name: &str) -> Settings {
    oauth2::grant(&suite.endpoint, suite.dir.path(), LOGIN, name)
}

/// `mailconf ARGS` logging in as `LOGIN` on `port` in `mode`, with `settings`: its output, and
/// all of it as text, in which no secret or token is.
fn mailconf(
    suite: &Suite,
    port: u16,
    mode: &[(&str, &str)],
    settings: &Settings,
    args: &[&str],
) -> (Output, String) {
    let target = Target {
        host: "127.0.0.1",
        port,
        ca_file: suite.postfix.ca_file(),
        mailbox: LOGIN,
    };
    oauth2::run(&target, mode, settings, &[], args)
}

/// `send-test --json` to a fresh inbox with `settings`: the JSON report, the inbox, and all the
/// output (for the secret checks).
fn send_test(
    suite: &Suite,
    port: u16,
    mode: &[(&str, &str)],
    settings: &Settings,
    label: &str,
) -> (Value, String, String) {
    let to = suite.postfix.new_inbox(label);
    let (out, all) = mailconf(
        suite,
        port,
        mode,
        settings,
        &["send-test", "--json", "--to", &to],
    );
    (json(&out), to, all)
}

/// `send-test` with `grant`'s settings delivers, after a login that Postfix logged as XOAUTH2
/// by `LOGIN`.
fn delivers(grant_name: &str, port: fn(&Postfix) -> u16, mode: &[(&str, &str)]) {
    let Some(suite) = suite() else {
        return;
    };
    let postfix = &suite.postfix;
    let settings = grant(suite, grant_name);
    let label = format!("xoauth2-{}", grant_name.replace('_', "-"));
    let (report, to, all) = send_test(suite, port(postfix), mode, &settings, &label);
    let logs = || format!("{all}\n{}\n{}", postfix.log(), postfix.dovecot_log());
    assert_eq!(report["ok"], true, "{grant_name}: {}", logs());
    assert_eq!(report["code"], 250, "{report:#}");
    let message = postfix.wait_for_message(&to, Duration::from_secs(20));
    assert!(
        message.is_some(),
        "{grant_name}: nothing delivered\n{}",
        logs()
    );
    // Postfix logs how the client that queued the message logged in.
    let reply = report["reply"].as_str().unwrap();
    let queue_id = reply.rsplit(' ').next().unwrap();
    let login = format!(
        "{queue_id}: client=localhost[127.0.0.1], sasl_method=XOAUTH2, sasl_username={LOGIN}"
    );
    assert!(
        postfix.log().contains(&login),
        "{grant_name}: no {login:?}\n{}",
        logs()
    );
}

fn submission(postfix: &Postfix) -> u16 {
    postfix.ports().submission
}

fn submissions(postfix: &Postfix) -> u16 {
    postfix.ports().submissions
}

#[test]
fn send_test_logs_in_to_dovecot_with_client_credentials() {
    delivers("client_credentials", submission, &STARTTLS);
}

#[test]
fn send_test_logs_in_to_dovecot_with_a_refresh_token() {
    delivers("refresh_token", submission, &STARTTLS);
}

#[test]
fn send_test_logs_in_to_dovecot_with_a_service_account() {
    delivers("jwt_bearer", submissions, &IMPLICIT);
}

#[test]
fn send_test_logs_in_to_dovecot_with_an_access_token_file() {
    delivers("token_file", submission, &STARTTLS);
}

#[test]
fn probe_shows_the_token_step_and_dovecots_xoauth2() {
    let Some(suite) = suite() else {
        return;
    };
    let settings = grant(suite, "client_credentials");
    let port = suite.postfix.ports().submission;
    let (out, _) = mailconf(suite, port, &STARTTLS, &settings, &["probe", "--json"]);
    let report = json(&out);
    assert_eq!(
        report["ok"],
        true,
        "{report:#}\n{}",
        suite.postfix.dovecot_log()
    );
    assert_eq!(
        names(&report),
        [
            "dns",
            "tcp",
            "greeting",
            "ehlo",
            "starttls",
            "oauth2_token",
            "login",
            "quit"
        ],
        "{report:#}"
    );
    let token = step(&report, "oauth2_token")["detail"].as_str().unwrap();
    assert!(token.contains("client_credentials"), "{report:#}");
    let login = step(&report, "login")["detail"].as_str().unwrap();
    assert!(login.contains("XOAUTH2"), "{report:#}");
    let mechanisms = report["server"]["auth_mechanisms"].as_array().unwrap();
    assert!(mechanisms.iter().any(|m| m == "XOAUTH2"), "{report:#}");
}

/// `send-test` with the access token file holding `token` fails at the login, with a 535 and a
/// hint naming `setting`; nothing is delivered and the token is not shown.
fn refused(suite: &Suite, token: &str, mailbox_setting: &str, label: &str) {
    let file = suite.dir.path().join(format!("{label}.token"));
    std::fs::write(&file, token).unwrap();
    let settings = vec![("MAIL_ACCESS_TOKEN_FILE", file.display().to_string())];
    let port = suite.postfix.ports().submission;
    let (report, to, all) = send_test(suite, port, &STARTTLS, &settings, label);
    assert_eq!(report["ok"], false, "{report:#}");
    assert_eq!(report["stage"], "auth", "{report:#}");
    assert_eq!(report["code"], 535, "{report:#}");
    let hint = report["hint"].as_str().unwrap_or_default();
    assert!(hint.contains(mailbox_setting), "{label}: {report:#}");
    assert!(!all.contains(token), "{all}");
    assert_eq!(suite.postfix.message_count(&to), 0);
}

#[test]
fn a_token_the_endpoint_never_issued_is_refused_naming_the_token_file() {
    let Some(suite) = suite() else {
        return;
    };
    let unknown = format!("{}0~0123456789abcdef", TokenEndpoint::TOKEN_PREFIX);
    refused(suite, &unknown, "MAIL_ACCESS_TOKEN_FILE", "xoauth2-unknown");
}

#[test]
fn an_expired_token_is_refused_naming_the_token_file() {
    let Some(suite) = suite() else {
        return;
    };
    let token = suite.endpoint.issue(LOGIN, Duration::from_secs(1));
    std::thread::sleep(Duration::from_millis(1200));
    refused(suite, &token, "MAIL_ACCESS_TOKEN_FILE", "xoauth2-expired");
}

#[test]
fn a_token_for_another_mailbox_is_refused_naming_the_username() {
    let Some(suite) = suite() else {
        return;
    };
    // Current, but Dovecot compares the introspection's username with the login.
    let token = suite
        .endpoint
        .issue("someone-else@example.test", Duration::from_secs(3600));
    refused(suite, &token, "MAIL_USERNAME", "xoauth2-other-mailbox");
}
