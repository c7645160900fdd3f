//! A token endpoint's answer (RFC 6749 5.1 and 5.2), read with the `oauth2` crate's own
//! response types: a pure function from status and body to a token or a keyed error, which
//! never panics and never quotes the body (it may hold a token).

use std::fmt;
use std::time::Duration;

use mailconf_core::{Message, Secret};
use oauth2::TokenResponse as _;
use oauth2::basic::{BasicErrorResponse, BasicTokenResponse, BasicTokenType};

use super::error::{TokenError, TokenErrorKind};

/// An access token, with how long it lasts and the refresh token that replaces the old one
/// when the endpoint rotates it. `Debug` shows neither token.
#[derive(Clone)]
pub struct AccessToken {
    pub(crate) secret: Secret<String>,
    /// Lifetime from the response's `expires_in`; `None` when the endpoint gave none (the
    /// token is then used until the server refuses it).
    pub expires_in: Option<Duration>,
    pub(crate) refresh_token: Option<Secret<String>>,
}

impl AccessToken {
    /// The token, for the `XOAUTH2` exchange.
    pub fn secret(&self) -> &Secret<String> {
        &self.secret
    }

    /// Whether the endpoint sent a new refresh token.
    pub fn rotates_refresh_token(&self) -> bool {
        self.refresh_token.is_some()
    }

    /// Built from the `oauth2` crate's response (the client-credentials and refresh-token
    /// grants), checked as [`parse_token_response`] checks a body.
    pub(crate) fn from_response(response: &BasicTokenResponse) -> Result<Self, TokenError> {
        if *response.token_type() != BasicTokenType::Bearer {
            return Err(TokenError::new(
                TokenErrorKind::Malformed,
                Message::new("oauth2-not-bearer"),
            ));
        }
        let token = response.access_token().secret();
        // The token goes into the XOAUTH2 blob between ^A separators.
        if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(TokenError::new(
                TokenErrorKind::Malformed,
                Message::new("oauth2-bad-access-token"),
            ));
        }
        Ok(AccessToken {
            secret: Secret::new(token.clone()),
            expires_in: response.expires_in(),
            refresh_token: response
                .refresh_token()
                .map(|r| Secret::new(r.secret().clone())),
        })
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("secret", &self.secret)
            .field("expires_in", &self.expires_in)
            .field("refresh_token", &self.refresh_token)
            .finish()
    }
}

/// Reads a token endpoint's answer: HTTP `status` and `body`.
///
/// A `2xx` with a Bearer token is the token; an error body (`error`, `error_description`) is
/// a [`TokenErrorKind::Refused`] whose [`TokenError::setting`] and [`TokenError::hint`] say
/// what to change (Microsoft's `AADSTS` codes included); anything else is
/// [`TokenErrorKind::Malformed`]. Never panics, and no part of the body but the endpoint's
/// `error` and `error_description` appears in the error.
///
/// ```
/// use mailconf_smtp::oauth2::{TokenErrorKind, parse_token_response};
///
/// let token = parse_token_response(200, br#"{"access_token":"t0k","token_type":"Bearer","expires_in":3599}"#)?;
/// assert_eq!(token.expires_in.map(|d| d.as_secs()), Some(3599));
///
/// let refused = parse_token_response(
///     401,
///     br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}"#,
/// )
/// .unwrap_err();
/// assert_eq!(refused.kind(), TokenErrorKind::Refused);
/// assert_eq!(refused.setting(), "MAIL_OAUTH2_CLIENT_SECRET");
/// # Ok::<(), mailconf_smtp::oauth2::TokenError>(())
/// ```
pub fn parse_token_response(status: u16, body: &[u8]) -> Result<AccessToken, TokenError> {
    if (200..300).contains(&status) {
        return match serde_json::from_slice::<BasicTokenResponse>(body) {
            Ok(response) => AccessToken::from_response(&response),
            Err(e) => Err(not_a_token(status, &e)),
        };
    }
    match serde_json::from_slice::<BasicErrorResponse>(body) {
        Ok(error) => Err(TokenError::refused(Some(status), &error)),
        Err(_) => Err(TokenError::new(
            TokenErrorKind::Malformed,
            Message::new("oauth2-no-error-body").arg("status", status),
        )
        .with_status(status)),
    }
}

/// serde_json's message may quote a value of the body: only where and what kind.
pub(crate) fn not_a_token(status: u16, e: &serde_json::Error) -> TokenError {
    let id = match e.classify() {
        serde_json::error::Category::Io => "oauth2-body-unreadable",
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            "oauth2-body-not-json"
        }
        serde_json::error::Category::Data => "oauth2-body-no-token",
    };
    TokenError::new(
        TokenErrorKind::Malformed,
        Message::new(id)
            .arg("status", status)
            .arg("line", e.line())
            .arg("column", e.column()),
    )
    .with_status(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bearer_token_with_its_lifetime() {
        let t = parse_token_response(
            200,
            br#"{"access_token":"abc.def","token_type":"bearer","expires_in":60,"refresh_token":"r2"}"#,
        )
        .unwrap();
        assert_eq!(t.secret().expose_secret(), "abc.def");
        assert_eq!(t.expires_in, Some(Duration::from_secs(60)));
        assert!(t.rotates_refresh_token());
        let shown = format!("{t:?}");
        assert!(
            !shown.contains("abc.def") && !shown.contains("r2"),
            "{shown}"
        );
    }

    #[test]
    fn bodies_that_are_not_tokens_are_keyed_errors_without_the_body() {
        for (status, body) in [
            (200, &b"not json sEcReT"[..]),
            (200, br#"{"access_token":"sEcReT"}"#),
            (200, br#"{"access_token":"sEcReT","token_type":"mac"}"#),
            (200, br#"{"access_token":"sEc ReT","token_type":"Bearer"}"#),
            (200, br#"{"access_token":"","token_type":"Bearer"}"#),
            (
                200,
                br#"{"access_token":"x","token_type":"Bearer","expires_in":"sEcReT"}"#,
            ),
            (500, b"<html>sEcReT</html>"),
            (400, br#"{"access_token":"sEcReT"}"#),
            (200, b""),
            (0, b"\xff\xfe"),
        ] {
            let e = parse_token_response(status, body).unwrap_err();
            assert_eq!(e.kind(), TokenErrorKind::Malformed, "{status} {body:?}");
            let shown = format!("{e} {e:?} {}", e.hint());
            assert!(
                !shown.contains("sEcReT") && !shown.contains("sEc ReT"),
                "{shown}"
            );
            assert!(e.setting().starts_with("MAIL_"), "{e:?}");
        }
    }

    #[test]
    fn error_bodies_name_the_setting_to_change() {
        let cases = [
            (
                r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent..."}"#,
                "MAIL_OAUTH2_CLIENT_SECRET",
                "secret",
            ),
            (
                r#"{"error":"invalid_request","error_description":"AADSTS90002: Tenant 'contoso.example' not found."}"#,
                "MAIL_OAUTH2_TENANT",
                "tenant",
            ),
            (
                r#"{"error":"invalid_grant","error_description":"AADSTS65001: The user or administrator has not consented to use the application"}"#,
                "MAIL_OAUTH2_CLIENT_ID",
                "consent",
            ),
            (r#"{"error":"invalid_scope"}"#, "MAIL_OAUTH2_SCOPE", "scope"),
            (
                r#"{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"#,
                "MAIL_OAUTH2_REFRESH_TOKEN",
                "refresh token",
            ),
            (
                r#"{"error":"unauthorized_client","error_description":"Client is unauthorized to retrieve access tokens using this method"}"#,
                "MAIL_OAUTH2_CLIENT_ID",
                "delegation",
            ),
        ];
        for (body, setting, in_hint) in cases {
            let e = parse_token_response(400, body.as_bytes()).unwrap_err();
            assert_eq!(e.kind(), TokenErrorKind::Refused, "{body}");
            assert_eq!(e.setting(), setting, "{body}");
            assert!(e.hint().contains(in_hint), "{body}: {}", e.hint());
            assert!(e.to_string().contains(e.error_code().unwrap()), "{e}");
        }
    }
}
