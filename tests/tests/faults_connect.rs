//! Fault injection, connecting and the life of a connection: `Mailer` against the scripted
//! peer when the greeting is `421`, when the server greets and then stalls, when it drops the
//! connection before the message, and when it closes a pooled session after a delivery.

use std::time::Duration;

use mailconf_smtp::{FailureKind, Stage};
use mailconf_tests::scripted::catalogue::{DROP_BEFORE_DATA, GREETING_421, STALL_AFTER_GREETING};
use mailconf_tests::scripted::faults::PLAIN;
use mailconf_tests::scripted::{Act, Script, ScriptedPeer, Step, send, timed};

#[tokio::test]
async fn a_421_greeting_is_retried_with_backoff_then_reported() {
    let peer = ScriptedPeer::start(GREETING_421.script()).await;
    let mailer = peer.mailer();
    let (result, elapsed) = timed(send(&mailer)).await;
    let err = result.unwrap_err();
    assert_eq!(err.stage(), Stage::Connect);
    assert_eq!(err.code(), Some(421));
    assert_eq!(err.kind(), FailureKind::Reply(421));
    assert!(err.is_transient() && !err.is_permanent());
    assert_eq!(err.attempts(), 3);
    assert!(
        err.to_string().contains("gave up after 3 attempts"),
        "{err}"
    );
    // 200 ms, then 400 ms between the attempts.
    assert!(elapsed >= Duration::from_millis(550), "{elapsed:?}");
    assert_eq!(peer.connections(), 3);
    assert_eq!(peer.delivered(), 0);
}

#[tokio::test]
async fn a_server_that_stalls_after_its_greeting_times_out_at_connect() {
    let out = STALL_AFTER_GREETING.run().await;
    out.assert_timed_out(Stage::Connect);
    // It greeted in plain text: the TLS mode is not the problem (the hint said so before the
    // mailer looked for the greeting's first byte).
    let hint = out.err().hint().unwrap();
    assert!(hint.contains("did not answer EHLO"), "{hint}");
    assert!(!hint.contains("MAIL_SSL_TLS"), "{hint}");
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let peer = ScriptedPeer::start(DROP_BEFORE_DATA.script()).await;
    let mailer = peer.mailer();
    let report = send(&mailer).await.unwrap();
    assert_eq!(
        (report.attempts(), peer.delivered(), peer.connections()),
        (2, 1, 2),
        "attempts, copies delivered, connections"
    );
}

#[tokio::test]
async fn a_pooled_session_closed_by_the_server_is_replaced_without_an_error() {
    let script = Script::new(PLAIN).at(Step::End, Act::reply_then_close(250, "2.0.0 Ok: queued"));
    let peer = ScriptedPeer::start(script).await;
    let mailer = peer.mailer();
    for _ in 0..2 {
        assert_eq!(send(&mailer).await.unwrap().attempts(), 1);
    }
    assert_eq!(peer.delivered(), 2);
    assert_eq!(peer.connections(), 2);
}
