//! Provider-aware hints, each with the provider's documented reply recorded in the scripted
//! peer: Gmail's app-password refusals, Microsoft 365's SMTP AUTH off and basic authentication
//! retired (pointing at OAuth2), and Amazon SES's sandbox.

use mailconf_smtp::{Mailer, Stage};
use mailconf_tests::scripted::{Act, Script, ScriptedPeer, Step, USER, send};

const PASSWORD: &str = "Provider-Pa55word";

async fn hint_at(step: Step, code: u16, reply: &'static str) -> (Stage, Option<u16>, String) {
    hint_from(None, USER, step, code, reply).await
}

/// The hint for `reply` from a peer standing in for the preset `provider` (`MAIL_PROVIDER`),
/// logged in as `user`.
async fn hint_from(
    provider: Option<&str>,
    user: &str,
    step: Step,
    code: u16,
    reply: &'static str,
) -> (Stage, Option<u16>, String) {
    let script = Script::new(&["AUTH PLAIN LOGIN"])
        .login(user, PASSWORD)
        .at(step, Act::reply(code, reply));
    let peer = ScriptedPeer::start(script).await;
    let mut settings = peer.settings().login_as(user, PASSWORD);
    if let Some(name) = provider {
        settings = settings.provider(name);
    }
    let mailer = Mailer::new(&settings).unwrap();
    let err = send(&mailer).await.unwrap_err();
    (
        err.stage(),
        err.code(),
        err.hint().unwrap_or_default().to_owned(),
    )
}

/// Gmail's and Microsoft 365's documented refusals of a password at AUTH, each with what its
/// hint must begin with ("" when any start will do) and say.
const REFUSED_LOGINS: &[(&str, u16, &str, &str, &[&str])] = &[
    (
        "Gmail refusing the account password",
        535,
        "5.7.8 Username and Password not accepted. For more information, go to\n5.7.8  https://support.google.com/mail/?p=BadCredentials",
        "Google refused the login",
        &["app password", "2-Step Verification", "OAuth2 (XOAUTH2)"],
    ),
    (
        "Gmail with 2-Step Verification",
        534,
        "5.7.9 Application-specific password required. For more information, go to\n5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor",
        "Google wants an app password",
        &[],
    ),
    (
        "Microsoft 365 with SMTP AUTH off",
        535,
        "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
        "",
        &["SMTP AUTH turned off", "OAuth2 (XOAUTH2)"],
    ),
    (
        "Microsoft 365 without basic authentication",
        550,
        "5.7.30 Basic authentication is not supported for Client Submission.",
        "",
        &["no longer accepts a password", "OAuth2 (XOAUTH2)"],
    ),
];

#[tokio::test]
async fn a_refused_password_gets_the_providers_way_out() {
    for &(case, code, reply, begins, says) in REFUSED_LOGINS {
        let (stage, got_code, hint) = hint_at(Step::Auth, code, reply).await;
        assert_eq!((stage, got_code), (Stage::Auth, Some(code)), "{case}");
        assert!(hint.starts_with(begins), "{case}: {hint}");
        for part in says {
            assert!(hint.contains(part), "{case}: {part:?} missing in {hint}");
        }
    }
}

#[tokio::test]
async fn amazon_ses_in_the_sandbox_says_to_verify_the_addresses() {
    for step in [Step::Rcpt, Step::End] {
        let (_, code, hint) = hint_at(
            step,
            554,
            "Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: rcpt@example.net",
        )
        .await;
        assert_eq!(code, Some(554), "{step:?}");
        assert!(hint.contains("sandbox"), "{step:?}: {hint}");
        assert!(
            hint.contains("verify the sender and every recipient"),
            "{step:?}: {hint}"
        );
    }
}

#[tokio::test]
async fn sendgrid_wants_apikey_as_the_user_name() {
    // SendGrid's documented answer to a login that is not an API key.
    let reply =
        "Authentication failed: The provided authorization grant is invalid, expired, or revoked";
    let (stage, code, hint) = hint_from(Some("sendgrid"), USER, Step::Auth, 535, reply).await;
    assert_eq!((stage, code), (Stage::Auth, Some(535)));
    assert!(hint.contains("MAIL_USERNAME=apikey"), "{hint}");

    let (_, _, hint) = hint_from(Some("sendgrid"), "apikey", Step::Auth, 535, reply).await;
    assert!(hint.starts_with("SendGrid refused the API key"), "{hint}");
    assert!(!hint.contains("MAIL_USERNAME=apikey"), "{hint}");
}

#[tokio::test]
async fn naver_and_daum_say_smtp_must_be_enabled_in_the_web_settings() {
    for (provider, name, setting) in [
        ("naver", "Naver", "SMTP 사용"),
        ("daum", "Daum", "IMAP/SMTP 사용"),
    ] {
        let (stage, code, hint) = hint_from(
            Some(provider),
            USER,
            Step::Auth,
            535,
            "5.7.8 Username and Password not accepted",
        )
        .await;
        assert_eq!((stage, code), (Stage::Auth, Some(535)), "{provider}");
        assert!(
            hint.starts_with(&format!("{name} refused the login")),
            "{hint}"
        );
        assert!(hint.contains(setting), "{provider}: {hint}");
    }
}

#[tokio::test]
async fn without_a_provider_a_refused_login_gets_no_provider_hint() {
    // The same replies from a server that is no known provider: the hint must not guess one.
    let (_, _, hint) = hint_from(
        None,
        USER,
        Step::Auth,
        535,
        "Authentication failed: The provided authorization grant is invalid, expired, or revoked",
    )
    .await;
    for provider in ["SendGrid", "Naver", "Daum"] {
        assert!(!hint.contains(provider), "{hint}");
    }
}
