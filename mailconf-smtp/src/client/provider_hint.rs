//! What the big providers answer when they refuse, and what fixes it: matched on the reply
//! (its enhanced status code and words, which the providers document) or on the provider
//! recognised from the server's name (providers.rs).

use super::failure::Failure;
use super::hint::Context;
use crate::Provider;

/// The "see OAuth2" pointer: the settings for it are their own feature (XOAUTH2).
const OAUTH2: &str = "OAuth2 (XOAUTH2)";

/// A provider's own reason for a refused login, if the reply or the server says which.
pub(super) fn auth(failure: &Failure, cx: &Context) -> Option<String> {
    let detail = failure.detail.as_str();
    let provider = Provider::recognise(&cx.host.to_string()).map(|p| p.id);
    let code = failure.code();
    if code == Some(534) && detail.contains("5.7.9") {
        return Some(format!(
            "Google wants an app password (2-Step Verification is on for this account): create one in the Google Account's security settings (App passwords) and set it as MAIL_PASSWORD, or use {OAUTH2}"
        ));
    }
    if code == Some(535)
        && detail.contains("5.7.8")
        && (detail.contains("Username and Password not accepted")
            || matches!(provider, Some("gmail" | "google-workspace")))
    {
        return Some(format!(
            "Google refused the login: the account password is not accepted for SMTP; set MAIL_PASSWORD to an app password (it needs 2-Step Verification; not available under Advanced Protection), or use {OAUTH2}"
        ));
    }
    if detail.contains("5.7.139") {
        return Some(format!(
            "Microsoft 365 has SMTP AUTH turned off for this mailbox or tenant (security defaults): an administrator enables Authenticated SMTP for the mailbox, or the application uses {OAUTH2}"
        ));
    }
    if detail.contains("5.7.30") || detail.contains("Basic authentication is not supported") {
        return Some(format!(
            "Microsoft 365 no longer accepts a password for SMTP (basic authentication is retired): use {OAUTH2} with an app registered in Entra ID"
        ));
    }
    if !matches!(code, Some(535 | 534)) {
        return None;
    }
    match provider? {
        "sendgrid" if cx.username.as_deref() != Some("apikey") => Some(
            "SendGrid's login is literally apikey: set MAIL_USERNAME=apikey and MAIL_PASSWORD to an API key with Mail Send permission".to_owned(),
        ),
        "sendgrid" => Some(
            "SendGrid refused the API key: check that MAIL_PASSWORD is a current API key with Mail Send permission".to_owned(),
        ),
        "naver" => Some(
            "Naver refused the login: SMTP must be enabled in Naver Mail's settings (환경설정 > POP3/IMAP 설정, SMTP 사용); with 2-step verification, set MAIL_PASSWORD to an application password".to_owned(),
        ),
        "daum" => Some(
            "Daum refused the login: SMTP must be enabled in Daum Mail's settings (환경설정 > IMAP/POP3, IMAP/SMTP 사용); with 2-step verification, set MAIL_PASSWORD to an application password".to_owned(),
        ),
        "microsoft365" | "outlook" => Some(format!(
            "Microsoft refused the login: check MAIL_USERNAME (the full address) and MAIL_PASSWORD, and that SMTP AUTH is enabled for the mailbox; basic authentication is being retired: {OAUTH2}"
        )),
        "ses" => Some(
            "Amazon SES refused the login: MAIL_USERNAME and MAIL_PASSWORD must be SES SMTP credentials of the same region as the server, not an AWS access key".to_owned(),
        ),
        _ => None,
    }
}

/// Amazon SES in its sandbox refuses addresses that are not verified.
pub(super) fn envelope(failure: &Failure) -> Option<String> {
    let detail = failure.detail.as_str();
    (failure.code() == Some(554) && detail.contains("Email address is not verified")).then(|| {
        "Amazon SES refuses an address that is not verified: in the sandbox, verify the sender and every recipient (or their domains) in the SES console, or request production access".to_owned()
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use mailconf_core::{FromValue, Host};

    use super::*;
    use crate::client::Progress;
    use crate::{FailureKind, Security, Stage};

    fn refused(host: &str, username: &str, code: u16, detail: &str) -> Option<String> {
        let failure = Failure {
            stage: Stage::Auth,
            kind: FailureKind::Reply(code),
            io: None,
            detail: detail.to_owned(),
            progress: Progress::default(),
        };
        let cx = Context {
            host: Host::from_value(host).unwrap(),
            port: 587,
            security: Security::StartTls,
            timeout: Duration::from_secs(30),
            validate_certs: true,
            ca_file: false,
            login: true,
            username: Some(username.to_owned()),
        };
        auth(&failure, &cx)
    }

    #[test]
    fn providers_known_by_their_server_get_their_own_advice() {
        let bad = "5.7.8 Authentication failed: Bad username / password";
        let sendgrid = refused("smtp.sendgrid.net", "app@example.com", 535, bad).unwrap();
        assert!(sendgrid.contains("MAIL_USERNAME=apikey"), "{sendgrid}");
        let key = refused("smtp.sendgrid.net", "apikey", 535, bad).unwrap();
        assert!(key.contains("API key"), "{key}");
        assert!(!key.contains("MAIL_USERNAME=apikey"), "{key}");
        let naver = refused(
            "smtp.naver.com",
            "me",
            535,
            "5.7.1 Username and Password not accepted",
        )
        .unwrap();
        assert!(
            naver.contains("SMTP must be enabled in Naver Mail"),
            "{naver}"
        );
        let daum = refused("smtp.daum.net", "me", 535, "Authentication failed").unwrap();
        assert!(daum.contains("SMTP must be enabled in Daum Mail"), "{daum}");
        // An unknown server keeps the generic advice.
        assert_eq!(
            refused("smtp.example.com", "me", 535, "Authentication failed"),
            None
        );
    }
}
