//! Fault injection, login: `Mailer` against the scripted peer, which checks the login of
//! `AUTH PLAIN` and `AUTH LOGIN`. The mechanism chosen from what the server offers, `535`
//! (permanent, with a hint), and a reply that echoes the password, which must be redacted.

use mailconf_smtp::{Mailer, Stage};
use mailconf_tests::scripted::{Act, Script, ScriptedPeer, Step, USER, send};

const PASSWORD: &str = "Ech0ed-Pa55word";

async fn peer(auth: &'static str) -> ScriptedPeer {
    ScriptedPeer::start(Script::new(&[auth]).login(USER, PASSWORD)).await
}

#[tokio::test]
async fn auth_login_is_used_when_it_is_the_only_mechanism() {
    let peer = peer("AUTH LOGIN").await;
    let settings = peer.settings().login(PASSWORD);
    let mailer = Mailer::new(&settings).unwrap();
    send(&mailer).await.unwrap();
    assert!(
        peer.commands().contains(&"AUTH LOGIN".to_owned()),
        "{:?}",
        peer.commands()
    );
    assert_eq!(peer.delivered(), 1);

    let mailer = Mailer::new(&settings.login("wrong")).unwrap();
    let err = send(&mailer).await.unwrap_err();
    assert_eq!(
        (err.stage(), err.code(), err.attempts()),
        (Stage::Auth, Some(535), 1)
    );
    assert!(err.hint().unwrap().contains("app password"));
    assert_eq!(peer.delivered(), 1);
}

#[tokio::test]
async fn auth_plain_is_preferred_when_offered() {
    let peer = peer("AUTH LOGIN PLAIN").await;
    let mailer = Mailer::new(&peer.settings().login(PASSWORD)).unwrap();
    send(&mailer).await.unwrap();
    assert!(peer.commands().iter().any(|c| c.starts_with("AUTH PLAIN ")));
    assert!(!peer.commands().iter().any(|c| c.starts_with("AUTH LOGIN")));
    assert_eq!(peer.delivered(), 1);
}

#[tokio::test]
async fn a_password_echoed_by_the_server_is_redacted() {
    let echo = format!("5.7.8 password {PASSWORD} is not {PASSWORD}");
    let script = Script::new(&["AUTH PLAIN"]).at(Step::Auth, Act::Reply(535, echo.into()));
    let peer = ScriptedPeer::start(script).await;
    let mailer = Mailer::new(&peer.settings().login(PASSWORD)).unwrap();
    let err = send(&mailer).await.unwrap_err();
    assert_eq!(err.message(), "5.7.8 password [redacted] is not [redacted]");
    for text in [err.to_string(), format!("{err:?}"), format!("{mailer:?}")] {
        assert!(!text.contains(PASSWORD), "password leaked: {text}");
    }
}
