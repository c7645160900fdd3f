//! Fault injection, TLS: `Mailer` against the scripted peer when the server stalls in the
//! handshake (implicit TLS, and after `STARTTLS`: it reads the `ClientHello` and never
//! answers), and when it advertises `STARTTLS` and then refuses it (`454`) or answers it with
//! garbage. None of them may end in plain text or outlast the timeout.

use mailconf_smtp::Stage;
use mailconf_tests::scripted::CLIENT_HELLO;
use mailconf_tests::scripted::catalogue::{
    IMPLICIT_STALL_IN_HANDSHAKE, STARTTLS_454, STARTTLS_GARBAGE_HANDSHAKE, STARTTLS_GARBAGE_REPLY,
    STARTTLS_STALL_IN_HANDSHAKE,
};
use mailconf_tests::scripted::faults::FAULT_TIMEOUT;

#[tokio::test]
async fn a_server_that_stalls_in_the_implicit_tls_handshake_times_out() {
    // lettre connects and shakes hands in one call: the stage is Connect.
    let out = IMPLICIT_STALL_IN_HANDSHAKE.run().await;
    out.assert_timed_out(Stage::Connect);
    assert_eq!(out.commands, [CLIENT_HELLO], "TLS from the first byte");
}

#[tokio::test]
async fn a_server_that_stalls_in_the_starttls_handshake_times_out_at_tls() {
    let out = STARTTLS_STALL_IN_HANDSHAKE.run().await;
    out.assert_timed_out(Stage::Tls);
    assert_eq!(out.commands.last().map(String::as_str), Some(CLIENT_HELLO));
}

#[tokio::test]
async fn starttls_refused_with_454_is_retried_and_never_falls_back_to_plain_text() {
    let out = STARTTLS_454.run().await;
    let err = out.err();
    assert_eq!((err.stage(), err.code()), (Stage::Tls, Some(454)));
    assert!(!err.is_permanent(), "454 is a temporary refusal");
    assert_eq!(err.attempts(), 3);
    assert!(out.received.is_empty());
}

#[tokio::test]
async fn garbage_in_place_of_the_tls_handshake_fails_at_tls_without_retry() {
    let out = STARTTLS_GARBAGE_HANDSHAKE.run().await;
    let err = out.err();
    assert_eq!(err.stage(), Stage::Tls, "{err}");
    assert!(err.is_permanent(), "{err}");
    assert!(!err.is_timeout());
    assert_eq!(err.attempts(), 1);
    assert!(out.elapsed < FAULT_TIMEOUT, "{:?}", out.elapsed);
}

#[tokio::test]
async fn garbage_in_place_of_the_reply_to_starttls_is_bounded_by_the_timeout() {
    // lettre keeps reading until a reply parses: only the timeout ends it.
    let out = STARTTLS_GARBAGE_REPLY.run().await;
    out.assert_timed_out(Stage::Tls);
    assert!(out.received.is_empty());
}
