//! `mailconf send-test` and `mailconf probe` logging in with XOAUTH2, as real processes, for
//! each grant: the dev server checks every bearer against a loopback token endpoint this test
//! starts. No secret or token appears in the output.

mod support;

use std::time::Duration;

use mailconf_smtp::dev_server::{DevServer, TokenEndpoint};
use mailconf_tests::korean::english_left;
use std::process::Output;
use support::oauth2::{self, Settings, assert_no_secret};
use support::{STARTTLS, json, stdout, step};
use tokio::runtime::Runtime;

const MAILBOX: &str = "app@example.com";

struct Setup {
    runtime: Runtime,
    endpoint: TokenEndpoint,
    server: DevServer,
    dir: tempfile::TempDir,
    ca_file: std::path::PathBuf,
}

fn setup() -> Setup {
    let runtime = Runtime::new().unwrap();
    let endpoint = runtime
        .block_on(
            oauth2::endpoint(MAILBOX)
                .rotate_refresh_tokens(true)
                .start(),
        )
        .unwrap();
    let server = runtime
        .block_on(DevServer::builder().xoauth2(endpoint.verifier()).start())
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = server.write_ca_file(dir.path()).unwrap();
    Setup {
        runtime,
        endpoint,
        server,
        dir,
        ca_file,
    }
}

/// `mailconf ARGS` against the dev server with the settings of `grant` (and `env`): its
/// output, and the whole of it as text, in which no secret or token may be.
fn run(setup: &Setup, grant: &Settings, env: &[(&str, &str)], args: &[&str]) -> (Output, String) {
    let target = oauth2::Target {
        host: "localhost",
        port: setup.server.port(),
        ca_file: &setup.ca_file,
        mailbox: MAILBOX,
    };
    oauth2::run(&target, &STARTTLS, grant, env, args)
}

const SEND_TEST: &[&str] = &["send-test", "--to", "rcpt@example.org"];

fn grants(setup: &Setup) -> Vec<(&'static str, Settings)> {
    oauth2::grants(&setup.endpoint, setup.dir.path(), MAILBOX)
}

/// The client-credentials grant with a secret the endpoint does not know.
fn with_wrong_secret(mut grant: Settings) -> Settings {
    grant.retain(|(k, _)| *k != "MAIL_OAUTH2_CLIENT_SECRET");
    grant.push(("MAIL_OAUTH2_CLIENT_SECRET", "not-the-secret".into()));
    grant
}

#[test]
fn send_test_logs_in_with_xoauth2_for_each_grant() {
    let setup = setup();
    for (n, (grant, settings)) in grants(&setup).into_iter().enumerate() {
        let (out, all) = run(&setup, &settings, &[], SEND_TEST);
        assert_eq!(out.status.code(), Some(0), "{grant}: {all}");
        let received = setup.runtime.block_on(
            setup
                .server
                .wait_for_messages(n + 1, Duration::from_secs(10)),
        );
        assert_eq!(received.len(), n + 1, "{grant}: {all}");
        assert_eq!(received[n].auth_user.as_deref(), Some(MAILBOX), "{grant}");
    }
    // The rotating refresh token was used once, by one process, and the token file needs no
    // request: three token requests in all.
    assert_eq!(setup.endpoint.requests(), 3);
}

#[test]
fn probe_shows_the_token_step_and_a_wrong_secret_names_the_setting() {
    let setup = setup();
    let (_, settings) = grants(&setup).remove(0);
    let report = json(&run(&setup, &settings, &[], &["probe", "--json"]).0);
    let token = step(&report, "oauth2_token");
    assert_eq!(token["ok"], true, "{report}");
    assert!(
        token["detail"]
            .as_str()
            .unwrap()
            .contains("client_credentials"),
        "{report}"
    );
    assert_eq!(step(&report, "login")["ok"], true, "{report}");

    let (out, all) = run(&setup, &with_wrong_secret(settings), &[], SEND_TEST);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("oauth2_token"), "{all}");
    assert!(all.contains("AADSTS7000215"), "{all}");
    assert!(all.contains("MAIL_OAUTH2_CLIENT_SECRET"), "{all}");
    assert!(!all.contains("not-the-secret"), "{all}");
    assert_no_secret(&stdout(&out));
}

#[test]
fn probe_in_korean_tells_the_token_step_and_its_refusal_in_korean() {
    let setup = setup();
    let (_, settings) = grants(&setup).remove(0);
    let korean = [("MAILCONF_LANG", "ko")];
    let (_, out) = run(&setup, &settings, &korean, &["probe"]);
    assert!(
        out.contains("client_credentials grant로 액세스 토큰을 받았습니다"),
        "{out}"
    );
    assert!(
        out.contains(&format!("XOAUTH2 방식으로 {MAILBOX}(으)로 로그인했습니다")),
        "{out}"
    );
    for line in [line_of(&out, "OAuth2 token"), line_of(&out, "login")] {
        let left = english_left(line, &[]);
        assert!(left.is_empty(), "{left:?} in {line}");
    }

    let (_, out) = run(&setup, &with_wrong_secret(settings), &korean, &["probe"]);
    // The endpoint's own words (AADSTS…) are quoted as sent; ours are Korean.
    assert!(
        out.contains("토큰 엔드포인트가 요청을 거부했습니다: invalid_client: AADSTS7000215"),
        "{out}"
    );
    assert!(out.contains("(grant 방식: client_credentials)"), "{out}");
    assert!(
        out.contains("클라이언트 암호가 틀렸습니다")
            && out.contains("(설정: MAIL_OAUTH2_CLIENT_SECRET)"),
        "{out}"
    );
    assert!(!out.contains("not-the-secret"), "{out}");
    // Apart from the endpoint's own words, quoted as it sent them, the step and the advice are
    // Korean.
    let token = line_of(&out, "OAuth2 token");
    let quoted = token.find("AADSTS7000215").unwrap()..token.find("(grant").unwrap();
    assert!(
        !english_left(&token[quoted.clone()], &[]).is_empty(),
        "{token}"
    );
    let ours = format!("{}{}", &token[..quoted.start], &token[quoted.end..]);
    let advice = line_of(&out, "MAIL_OAUTH2_CLIENT_SECRET에");
    for line in [ours.as_str(), advice] {
        let left = english_left(line, &["Value"]);
        assert!(left.is_empty(), "{left:?} in {line}");
    }
}

/// The line of `out` that holds `what`.
fn line_of<'a>(out: &'a str, what: &str) -> &'a str {
    out.lines()
        .find(|l| l.contains(what))
        .unwrap_or_else(|| panic!("no {what:?} in {out}"))
}
