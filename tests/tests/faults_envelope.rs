//! Fault injection, the envelope: `Mailer` against the scripted peer when `MAIL FROM` or
//! `RCPT TO` is refused. A `4xx` is retried on a fresh connection, persistently up to three
//! attempts and only while the timeout allows; a `5xx` is not. Also: 8-bit content needs the
//! server's `8BITMIME`.

use std::time::Duration;

use mailconf_smtp::{Mailer, Stage};
use mailconf_tests::scripted::catalogue::{RCPT_452_ALWAYS, RCPT_550};
use mailconf_tests::scripted::faults::PLAIN;
use mailconf_tests::scripted::{Act, Script, ScriptedPeer, Step, send, timed, within};

#[tokio::test]
async fn a_4xx_at_rcpt_is_retried_on_a_fresh_connection() {
    let script =
        Script::new(PLAIN).once_at(Step::Rcpt, Act::reply(451, "4.7.1 Greylisted, try again"));
    let peer = ScriptedPeer::start(script).await;
    let mailer = peer.mailer();
    let report = send(&mailer).await.unwrap();
    assert_eq!(report.attempts(), 2);
    assert_eq!(report.code(), 250);
    assert_eq!(report.reply(), "2.0.0 Ok: queued");
    assert_eq!(peer.delivered(), 1);
    assert_eq!(peer.connections(), 2, "the failed session is not reused");
}

#[tokio::test]
async fn a_persistent_452_at_rcpt_is_retried_three_times_then_reported() {
    let out = RCPT_452_ALWAYS.run().await;
    let err = out.err();
    assert_eq!((err.stage(), err.code()), (Stage::Rcpt, Some(452)));
    assert!(!err.is_permanent() && !err.is_timeout());
    assert_eq!(err.attempts(), 3);
    assert_eq!(out.connections, 3, "each retry on a fresh connection");
    assert!(out.received.is_empty());
    // Back-offs of 200 and 400 ms.
    assert!(
        out.elapsed >= Duration::from_millis(550),
        "{:?}",
        out.elapsed
    );
}

#[tokio::test]
async fn a_5xx_at_rcpt_is_not_retried() {
    let peer = ScriptedPeer::start(RCPT_550.script()).await;
    let mailer = peer.mailer();
    let err = send(&mailer).await.unwrap_err();
    assert_eq!(err.stage(), Stage::Rcpt);
    assert_eq!(err.code(), Some(550));
    assert!(err.is_permanent());
    assert_eq!(err.attempts(), 1);
    assert_eq!(err.message(), "5.1.1 No such user");
    assert_eq!(peer.connections(), 1);
    assert_eq!(peer.delivered(), 0);
}

#[tokio::test]
async fn retries_stop_when_the_timeout_would_run_out() {
    let script = Script::new(PLAIN).at(Step::Rcpt, Act::reply(451, "4.7.1 Try again later"));
    let peer = ScriptedPeer::start(script).await;
    // Attempt 2 starts after the 200 ms back-off; a third would need 400 ms more.
    let settings = peer.settings().timeout(Duration::from_millis(500));
    let mailer = Mailer::new(&settings).unwrap();
    let (result, elapsed) = timed(send(&mailer)).await;
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    let err = result.unwrap_err();
    assert_eq!(err.code(), Some(451));
    assert_eq!(
        err.attempts(),
        2,
        "a third attempt would start after the timeout"
    );
    assert_eq!(peer.connections(), 2);
}

#[tokio::test]
async fn mail_from_refused_names_the_sender_setting() {
    let refusal = Act::reply(553, "5.7.1 Sender address rejected: not owned by user");
    let peer = ScriptedPeer::start(Script::new(PLAIN).at(Step::Mail, refusal)).await;
    let mailer = peer.mailer();
    let err = send(&mailer).await.unwrap_err();
    assert_eq!(
        (err.stage(), err.code(), err.attempts()),
        (Stage::MailFrom, Some(553), 1)
    );
    assert!(err.hint().unwrap().contains("MAIL_FROM"), "{err}");
}

#[tokio::test]
async fn eight_bit_content_needs_8bitmime() {
    let peer = ScriptedPeer::start(Script::new(&[])).await;
    let mailer = peer.mailer();
    let body = lettre::message::Body::new_with_encoding(
        "Grüße\n".to_owned(),
        lettre::message::header::ContentTransferEncoding::EightBit,
    )
    .unwrap();
    let message = mailer
        .message()
        .to("rcpt@example.net".parse().unwrap())
        .body(body)
        .unwrap();
    let err = within(mailer.send(message)).await.unwrap_err();
    assert_eq!(err.stage(), Stage::MailFrom);
    assert!(err.message().contains("8BITMIME"), "{err}");
    assert!(err.is_permanent());
    assert_eq!(peer.delivered(), 0);
}
