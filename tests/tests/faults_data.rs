//! Fault injection, the message: `Mailer` against the scripted peer when the connection drops
//! in the middle of the message or right after its final `.` (the one case that can deliver
//! twice: every copy must carry the same `Message-ID`, also for a message built without one),
//! when the reply to the final `.` is `4xx`, `5xx`, positive but not `2xx`, or never comes.
//! No message counts as sent unless the server answered `250` to it.

use std::time::Duration;

use mailconf_smtp::{Mailer, Stage};
use mailconf_tests::scripted::catalogue::{
    DROP_AFTER_DOT, DROP_AFTER_DOT_ALWAYS, DROP_MID_MESSAGE, END_354, STALL_AFTER_DOT,
};
use mailconf_tests::scripted::faults::PLAIN;
use mailconf_tests::scripted::{Act, Script, ScriptedPeer, Step, send, timed, within};

#[tokio::test]
async fn a_drop_in_the_middle_of_the_message_is_retried_and_delivered_once() {
    let out = DROP_MID_MESSAGE.run().await;
    let report = out.report();
    assert_eq!(report.attempts(), 2);
    assert_eq!(out.connections, 2);
    assert_eq!(out.received.len(), 1, "the cut-off copy is incomplete");
    assert_eq!(out.received[0].message_id, out.message_id);
}

#[tokio::test]
async fn a_drop_after_the_final_dot_is_retried_with_the_same_message_id() {
    let out = DROP_AFTER_DOT.run().await;
    let report = out.report();
    assert_eq!(report.attempts(), 2);
    // The server had the whole message before the connection broke: this is the duplicate
    // that at-least-once delivery allows. Both copies carry the same Message-ID, so the
    // receiving side can de-duplicate.
    let ids: Vec<_> = out.received.iter().map(|r| r.message_id.as_str()).collect();
    assert_eq!(ids, [out.message_id.as_str(), out.message_id.as_str()]);
    assert_eq!(
        out.received
            .iter()
            .map(|r| r.acknowledged)
            .collect::<Vec<_>>(),
        [false, true]
    );
    assert_eq!(report.message_id(), Some(out.message_id.as_str()));
}

#[tokio::test]
async fn a_message_without_a_message_id_gets_one_that_every_retry_keeps() {
    // lettre's own builder adds no Message-ID unless asked to; before the fix, the two copies
    // of this message could not be told to be one.
    let peer = DROP_AFTER_DOT.peer().await;
    let mailer = Mailer::new(&DROP_AFTER_DOT.settings(&peer)).unwrap();
    let message = lettre::Message::builder()
        .from("app@example.com".parse().unwrap())
        .to("rcpt@example.net".parse().unwrap())
        .subject("built with lettre")
        .body("Hello.\n".to_owned())
        .unwrap();
    assert!(message.headers().get_raw("Message-ID").is_none());
    let report = within(mailer.send(message)).await.unwrap();
    assert_eq!(report.attempts(), 2);
    let id = report.message_id().expect("the mailer adds a Message-ID");
    assert!(id.starts_with('<') && id.ends_with("@example.com>"), "{id}");
    tokio::time::sleep(Duration::from_millis(20)).await;
    let ids: Vec<_> = peer.received().into_iter().map(|r| r.message_id).collect();
    assert_eq!(ids, [id, id]);
}

#[tokio::test]
async fn a_drop_after_every_final_dot_is_an_error_though_copies_arrived() {
    let out = DROP_AFTER_DOT_ALWAYS.run().await;
    let err = out.err();
    assert_eq!(err.stage(), Stage::Data);
    assert_eq!(err.code(), None);
    assert_eq!(err.attempts(), 3);
    assert!(!err.is_permanent());
    assert_eq!(out.received.len(), 3);
    assert!(
        out.received
            .iter()
            .all(|r| r.message_id == out.message_id && !r.acknowledged)
    );
}

#[tokio::test]
async fn a_4xx_after_the_data_is_retried_and_a_5xx_is_not() {
    let script = Script::new(PLAIN).on(|n, step| match (n, step) {
        (0, Step::End) => Some(Act::reply(452, "4.3.1 Insufficient system storage")),
        (_, Step::End) => Some(Act::reply(554, "5.6.0 Message rejected as spam")),
        _ => None,
    });
    let peer = ScriptedPeer::start(script).await;
    let mailer = peer.mailer();
    let err = send(&mailer).await.unwrap_err();
    assert_eq!(err.stage(), Stage::Data);
    assert_eq!(err.code(), Some(554));
    assert_eq!(err.attempts(), 2);
    assert!(err.is_permanent());
    assert_eq!(peer.delivered(), 0);
    assert_eq!(peer.received().len(), 2, "the server read both copies");
}

#[tokio::test]
async fn a_positive_reply_that_is_not_2xx_after_the_data_is_not_success() {
    let out = END_354.run().await;
    let err = out.err();
    assert_eq!(err.stage(), Stage::Data);
    assert!(err.is_permanent());
    assert_eq!(err.attempts(), 1);
    assert!(err.message().contains("354"), "{err}");
}

#[tokio::test]
async fn a_server_that_goes_silent_during_delivery_is_bounded_by_the_timeout() {
    let peer = ScriptedPeer::start(STALL_AFTER_DOT.script()).await;
    let mailer = Mailer::new(&peer.settings().timeout(Duration::from_secs(1))).unwrap();
    let (result, elapsed) = timed(send(&mailer)).await;
    assert!(elapsed < Duration::from_millis(2500), "{elapsed:?}");
    let err = result.unwrap_err();
    assert!(err.is_timeout());
    assert_eq!(err.stage(), Stage::Data);
    assert!(err.hint().unwrap().contains("TIMEOUT"), "{err}");
    assert_eq!(mailer.open_connections(), 0);
}
