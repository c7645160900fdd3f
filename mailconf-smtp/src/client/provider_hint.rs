//! What the big providers answer when they refuse, and what fixes it: matched on the reply
//! (its enhanced status code and words, which the providers document) or on the provider
//! (`MAIL_PROVIDER`, else recognised from the server's name: providers/).

use mailconf_core::Message;

use super::failure::Failure;
use super::hint::Context;

/// A refused XOAUTH2 login: the token was fetched, the server did not take it.
fn oauth2_auth(failure: &Failure, cx: &Context) -> Option<Message> {
    let detail = failure.detail.as_str();
    if detail.contains("5.7.139") {
        return Some(Message::new("hint-oauth2-smtp-auth-off"));
    }
    if detail.contains("No compatible authentication mechanism") {
        return Some(Message::new("hint-oauth2-no-xoauth2"));
    }
    if !matches!(failure.code(), Some(535 | 534 | 530 | 454)) {
        return None;
    }
    Some(Message::new(match cx.provider {
        Some("microsoft365" | "outlook") => "hint-oauth2-microsoft-refused",
        Some("gmail" | "google-workspace") => "hint-oauth2-google-refused",
        // Nothing here fetched the token: whatever writes the file is to be checked.
        _ if cx.oauth2 == Some("token_file") => "hint-oauth2-token-file-refused",
        _ => "hint-oauth2-refused",
    }))
}

/// A provider's own reason for a refused login, if the reply or the server says which.
pub(super) fn auth(failure: &Failure, cx: &Context) -> Option<Message> {
    if cx.oauth2.is_some() {
        return oauth2_auth(failure, cx);
    }
    let detail = failure.detail.as_str();
    let provider = cx.provider;
    let code = failure.code();
    if code == Some(534) && detail.contains("5.7.9") {
        return Some(Message::new("hint-google-app-password"));
    }
    if code == Some(535)
        && detail.contains("5.7.8")
        && match provider {
            Some(id) => matches!(id, "gmail" | "google-workspace"),
            // Google's wording, from a server we do not know (a relay in front of Gmail).
            None => detail.contains("Username and Password not accepted"),
        }
    {
        return Some(Message::new("hint-google-refused"));
    }
    if detail.contains("5.7.139") {
        return Some(Message::new("hint-microsoft-smtp-auth-off"));
    }
    if detail.contains("5.7.30") || detail.contains("Basic authentication is not supported") {
        return Some(Message::new("hint-microsoft-basic-auth-retired"));
    }
    if !matches!(code, Some(535 | 534)) {
        return None;
    }
    let id = match provider? {
        "sendgrid" if cx.username.as_deref() != Some("apikey") => "hint-sendgrid-username",
        "sendgrid" => "hint-sendgrid-key",
        "naver" => "hint-naver-refused",
        "daum" => "hint-daum-refused",
        "microsoft365" | "outlook" => "hint-microsoft-refused",
        "ses" => "hint-ses-refused",
        _ => return None,
    };
    Some(Message::new(id))
}

/// Amazon SES in its sandbox refuses addresses that are not verified.
pub(super) fn envelope(failure: &Failure) -> Option<Message> {
    let detail = failure.detail.as_str();
    (failure.code() == Some(554) && detail.contains("Email address is not verified"))
        .then(|| Message::new("hint-ses-not-verified"))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use mailconf_core::{FromValue, Host};

    use super::*;
    use crate::client::Progress;
    use crate::{FailureKind, Security, Stage};

    fn refused(host: &str, username: &str, code: u16, detail: &str) -> Option<String> {
        refused_with(host, username, code, detail, None)
    }

    fn refused_with(
        host: &str,
        username: &str,
        code: u16,
        detail: &str,
        oauth2: Option<&'static str>,
    ) -> Option<String> {
        refused_message_with(host, username, code, detail, oauth2).map(|m| m.to_string())
    }

    fn refused_message_with(
        host: &str,
        username: &str,
        code: u16,
        detail: &str,
        oauth2: Option<&'static str>,
    ) -> Option<Message> {
        let failure = Failure {
            stage: Stage::Auth,
            kind: FailureKind::Reply(code),
            io: None,
            detail: detail.to_owned(),
            progress: Progress::default(),
            hint: None,
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
            oauth2,
            provider: Context::provider_of(None, &Host::from_value(host).unwrap()),
        };
        auth(&failure, &cx)
    }

    #[test]
    fn microsofts_refusals_of_a_password_point_to_the_oauth2_settings() {
        let m365 = "smtp.office365.com";
        for (code, detail) in [
            (
                550,
                "5.7.30 Basic authentication is not supported for Client Submission",
            ),
            (
                535,
                "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.",
            ),
        ] {
            let hint = refused(m365, "a@contoso.example", code, detail).unwrap();
            for key in [
                "MAIL_OAUTH2_CLIENT_ID",
                "MAIL_OAUTH2_TENANT",
                "MAIL_OAUTH2_CLIENT_SECRET",
            ] {
                assert!(hint.contains(key), "{detail}: {hint}");
            }
        }
    }

    #[test]
    fn a_refused_token_gets_advice_for_xoauth2() {
        let m365 = "smtp.office365.com";
        let app = Some("client_credentials");
        let hint = refused_with(
            m365,
            "a@contoso.example",
            535,
            "5.7.3 Authentication unsuccessful",
            app,
        )
        .unwrap();
        assert!(
            hint.contains("New-ServicePrincipal") && hint.contains("MAIL_USERNAME"),
            "{hint}"
        );
        let hint = refused_with(
            m365,
            "a@c.example",
            535,
            "5.7.139 Authentication unsuccessful",
            app,
        )
        .unwrap();
        assert!(
            hint.contains("SMTP AUTH") && !hint.contains("MAIL_PASSWORD"),
            "{hint}"
        );
        let hint = refused_with(
            "smtp.gmail.com",
            "a@gmail.com",
            535,
            "5.7.8 Username and Password not accepted",
            app,
        )
        .unwrap();
        assert!(hint.contains("https://mail.google.com/"), "{hint}");
        let hint = refused_with("mail.example.com", "a@example.com", 535, "5.7.8 no", app).unwrap();
        assert!(hint.contains("MAIL_OAUTH2_SCOPE"), "{hint}");
        // A token from a file was fetched by something else: that is what to check.
        let file = Some("token_file");
        let hint =
            refused_with("mail.example.com", "a@example.com", 535, "5.7.8 no", file).unwrap();
        assert!(
            hint.contains("MAIL_ACCESS_TOKEN_FILE") && hint.contains("MAIL_USERNAME"),
            "{hint}"
        );
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
