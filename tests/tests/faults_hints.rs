//! Hints that point at the real cause, with the scripted peer: a relay refusal after a
//! successful login, a server that offers neither AUTH nor STARTTLS, and a temporary failure
//! that says it was temporary and how many attempts were made.

use mailconf_smtp::{Mailer, Security, Stage};
use mailconf_tests::scripted::{Act, Script, ScriptedPeer, Step, USER, send};

const PASSWORD: &str = "Relay-Pa55word";

#[tokio::test]
async fn a_relay_refusal_after_a_login_does_not_say_log_in() {
    let script = Script::new(&["AUTH PLAIN LOGIN"]).login(USER, PASSWORD).at(
        Step::Rcpt,
        Act::reply(554, "5.7.1 <rcpt@example.net>: Relay access denied"),
    );
    let peer = ScriptedPeer::start(script).await;
    let mailer = Mailer::new(&peer.settings().login(PASSWORD)).unwrap();
    let err = send(&mailer).await.unwrap_err();
    assert_eq!((err.stage(), err.code()), (Stage::Rcpt, Some(554)));
    assert!(
        peer.commands().iter().any(|c| c.starts_with("AUTH PLAIN ")),
        "the login happened: {:?}",
        peer.commands()
    );
    let hint = err.hint().expect("a hint");
    assert!(!hint.contains("log in"), "{hint}");
    assert!(hint.contains("although the login succeeded"), "{hint}");
    assert!(hint.contains("MAIL_FROM"), "{hint}");

    // Without a login, logging in is the advice.
    let peer = ScriptedPeer::start(Script::new(&[]).at(
        Step::Rcpt,
        Act::reply(554, "5.7.1 <rcpt@example.net>: Relay access denied"),
    ))
    .await;
    let err = send(&peer.mailer()).await.unwrap_err();
    assert!(err.hint().unwrap().contains("log in"), "{err}");
}

#[tokio::test]
async fn no_auth_and_no_starttls_does_not_advise_starttls() {
    // Plain text on loopback with a login, against a server that offers neither.
    let peer = ScriptedPeer::start(Script::new(&["8BITMIME"])).await;
    let settings = peer.settings().login(PASSWORD);
    assert_eq!(settings.security, Security::Plain);
    let err = send(&Mailer::new(&settings).unwrap()).await.unwrap_err();
    assert_eq!(err.stage(), Stage::Auth);
    let hint = err.hint().expect("a hint");
    assert!(!hint.contains("set MAIL_STARTTLS=true and"), "{hint}");
    assert!(hint.contains("USE_CREDENTIALS=false"), "{hint}");
    assert!(hint.contains("submission port"), "{hint}");

    // A server that offers STARTTLS (and AUTH only after it) still gets the STARTTLS advice.
    let peer = ScriptedPeer::start(Script::new(&["STARTTLS"])).await;
    let err = send(&Mailer::new(&peer.settings().login(PASSWORD)).unwrap())
        .await
        .unwrap_err();
    assert!(
        err.hint().unwrap().contains("set MAIL_STARTTLS=true"),
        "{err}"
    );
}

#[tokio::test]
async fn a_temporary_failure_says_so_with_its_attempts() {
    let script = Script::new(&[]).at(Step::Rcpt, Act::reply(451, "4.3.0 try again later"));
    let peer = ScriptedPeer::start(script).await;
    let err = send(&peer.mailer()).await.unwrap_err();
    assert_eq!((err.attempts(), err.is_permanent()), (3, false));
    let text = err.to_string();
    assert!(
        text.contains("temporary failure, gave up after 3 attempts"),
        "{text}"
    );

    let peer =
        ScriptedPeer::start(Script::new(&[]).at(Step::Rcpt, Act::reply(550, "5.1.1 no"))).await;
    let text = send(&peer.mailer()).await.unwrap_err().to_string();
    assert!(text.contains("permanent failure (1 attempt)"), "{text}");
}
