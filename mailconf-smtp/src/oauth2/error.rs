//! Why no token could be had: the endpoint's own `error` and `error_description`, the setting
//! to change, and a hint. The words are the catalog's (`oauth2-*` in mailconf-messages), so
//! that they show in the user's language; which hint goes with which error is this module's
//! table.

use std::fmt;

use mailconf_core::{Lang, Message};
use oauth2::basic::BasicErrorResponse;

use super::Grant;

/// What went wrong getting a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenErrorKind {
    /// The endpoint answered with an OAuth2 error (`invalid_client`, `invalid_grant`…).
    Refused,
    /// The endpoint could not be reached, or did not answer in time.
    Unreachable,
    /// The endpoint answered something that is neither a Bearer token nor an OAuth2 error.
    Malformed,
    /// The service account key (`MAIL_OAUTH2_SERVICE_ACCOUNT_FILE`) cannot be used.
    Key,
    /// The access token file (`MAIL_ACCESS_TOKEN_FILE`) cannot be read or holds no token.
    TokenFile,
}

/// A failed token request (stage `oauth2_token` of a send). Never holds a token or secret:
/// of the endpoint's answer, only `error` and `error_description` are kept.
#[derive(Debug, Clone)]
pub struct TokenError {
    kind: TokenErrorKind,
    message: Message,
    status: Option<u16>,
    error: Option<String>,
    description: Option<String>,
    grant: Option<&'static str>,
}

/// The longest `error_description` kept; Microsoft's carry a trace ID and a timestamp.
const MAX_DESCRIPTION: usize = 400;

impl TokenError {
    pub(crate) fn new(kind: TokenErrorKind, message: Message) -> TokenError {
        TokenError {
            kind,
            message,
            status: None,
            error: None,
            description: None,
            grant: None,
        }
    }

    /// An OAuth2 error response.
    pub(crate) fn refused(status: Option<u16>, response: &BasicErrorResponse) -> TokenError {
        let error = printable(response.error().as_ref(), 100);
        let description = response
            .error_description()
            .map(|d| printable(d, MAX_DESCRIPTION))
            .filter(|d| !d.is_empty());
        let id = match (status, &description) {
            (Some(_), Some(_)) => "oauth2-refused-http-described",
            (Some(_), None) => "oauth2-refused-http",
            (None, Some(_)) => "oauth2-refused-described",
            (None, None) => "oauth2-refused",
        };
        let mut message = Message::new(id).arg("error", &error);
        if let Some(status) = status {
            message = message.arg("status", status);
        }
        if let Some(description) = &description {
            message = message.arg("description", description);
        }
        TokenError {
            kind: TokenErrorKind::Refused,
            message,
            status,
            error: Some(error),
            description,
            grant: None,
        }
    }

    pub(crate) fn with_status(mut self, status: u16) -> TokenError {
        self.status = Some(status);
        self
    }

    /// Names the grant that was tried, for [`setting`](Self::setting) and the hint.
    pub(crate) fn with_grant(mut self, grant: &Grant) -> TokenError {
        self.grant = Some(grant.name());
        self
    }

    /// Replaces every occurrence of `secret` (an endpoint might echo one).
    pub(crate) fn scrub(mut self, secret: &str) -> TokenError {
        if secret.len() >= 4 {
            let mut scrub = |text: String| text.replace(secret, mailconf_core::REDACTED);
            self.message = self.message.map_text(&mut scrub);
            self.description = self.description.map(&mut scrub);
            self.error = self.error.map(&mut scrub);
        }
        self
    }

    /// What went wrong, and with which grant, as a catalog message to show in any language
    /// (`Display` shows it in English).
    pub fn message(&self) -> Message {
        match self.grant {
            Some(grant) => Message::new("oauth2-error-grant")
                .arg("error", self.message.clone())
                .arg("grant", grant),
            None => self.message.clone(),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> TokenErrorKind {
        self.kind
    }

    /// The endpoint's HTTP status, when it answered.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The endpoint's `error` (`invalid_client`…), when it sent one.
    pub fn error_code(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The endpoint's `error_description`, when it sent one.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The grant that was tried (`client_credentials`, `refresh_token`, `jwt_bearer`,
    /// `token_file`), when known.
    pub fn grant(&self) -> Option<&'static str> {
        self.grant
    }

    /// Whether a later try can help: the endpoint unreachable or temporarily failing.
    pub fn is_transient(&self) -> bool {
        match self.kind {
            TokenErrorKind::Unreachable => true,
            TokenErrorKind::Refused | TokenErrorKind::Malformed => {
                self.status.is_some_and(|s| s >= 500 || s == 429)
                    || matches!(
                        self.error.as_deref(),
                        Some("temporarily_unavailable" | "server_error")
                    )
            }
            TokenErrorKind::Key | TokenErrorKind::TokenFile => false,
        }
    }

    /// The setting to change: `MAIL_OAUTH2_CLIENT_SECRET` for a wrong secret,
    /// `MAIL_OAUTH2_TENANT` for an unknown tenant…
    pub fn setting(&self) -> &'static str {
        self.advice().0
    }

    /// What to do about it, in English.
    pub fn hint(&self) -> String {
        self.hint_message().render(Lang::En)
    }

    /// What to do about it, as a catalog message to show in any language.
    pub fn hint_message(&self) -> Message {
        self.advice().1
    }

    /// The setting and the hint, from Microsoft's `AADSTS` code when there is one, else from
    /// the OAuth2 `error`, else from the kind.
    fn advice(&self) -> (&'static str, Message) {
        const SECRET: &str = "MAIL_OAUTH2_CLIENT_SECRET";
        const CLIENT: &str = "MAIL_OAUTH2_CLIENT_ID";
        const URL: &str = "MAIL_OAUTH2_TOKEN_URL";
        const KEY: &str = "MAIL_OAUTH2_SERVICE_ACCOUNT_FILE";
        let jwt = self.grant == Some("jwt_bearer");
        match self.kind {
            TokenErrorKind::Unreachable => return (URL, Message::new("oauth2-hint-unreachable")),
            TokenErrorKind::Malformed => return (URL, Message::new("oauth2-hint-malformed")),
            TokenErrorKind::Key => return (KEY, Message::new("oauth2-hint-key")),
            TokenErrorKind::TokenFile => {
                return (
                    "MAIL_ACCESS_TOKEN_FILE",
                    Message::new("oauth2-hint-token-file"),
                );
            }
            TokenErrorKind::Refused => {}
        }
        if let Some(code) = self.aadsts() {
            let known = match code {
                "7000215" => Some((SECRET, "oauth2-hint-secret-wrong")),
                "7000222" => Some((SECRET, "oauth2-hint-secret-expired")),
                "90002" | "900023" => Some(("MAIL_OAUTH2_TENANT", "oauth2-hint-tenant-unknown")),
                "700016" => Some((CLIENT, "oauth2-hint-client-unknown")),
                "65001" => Some((CLIENT, "oauth2-hint-consent")),
                "70011" | "1002012" => Some(("MAIL_OAUTH2_SCOPE", "oauth2-hint-scope-invalid")),
                "700082" | "70008" | "50173" => {
                    Some(("MAIL_OAUTH2_REFRESH_TOKEN", "oauth2-hint-refresh-expired"))
                }
                _ => None,
            };
            if let Some((setting, hint)) = known {
                return (setting, Message::new(hint));
            }
            let (setting, hint) = self.by_error_code();
            return (
                setting,
                Message::new("oauth2-hint-aadsts")
                    .arg("code", code)
                    .arg("hint", Message::new(hint)),
            );
        }
        let (setting, hint) = self.by_error_code();
        (
            if jwt && setting != "MAIL_OAUTH2_SCOPE" && setting != URL {
                KEY
            } else {
                setting
            },
            Message::new(hint),
        )
    }

    /// The setting and the hint's catalog id for the OAuth2 `error`.
    fn by_error_code(&self) -> (&'static str, &'static str) {
        let jwt = self.grant == Some("jwt_bearer");
        match self.error.as_deref().unwrap_or("") {
            "invalid_client" => ("MAIL_OAUTH2_CLIENT_SECRET", "oauth2-hint-invalid-client"),
            "invalid_grant" if jwt => (
                "MAIL_OAUTH2_SERVICE_ACCOUNT_FILE",
                "oauth2-hint-assertion-refused",
            ),
            "invalid_grant" if self.grant == Some("client_credentials") => (
                "MAIL_OAUTH2_CLIENT_SECRET",
                "oauth2-hint-client-credentials-refused",
            ),
            "invalid_grant" => ("MAIL_OAUTH2_REFRESH_TOKEN", "oauth2-hint-refresh-expired"),
            "unauthorized_client" | "access_denied" | "consent_required" => {
                ("MAIL_OAUTH2_CLIENT_ID", "oauth2-hint-not-allowed")
            }
            "invalid_scope" => ("MAIL_OAUTH2_SCOPE", "oauth2-hint-scope-refused"),
            "unsupported_grant_type" => ("MAIL_OAUTH2_TOKEN_URL", "oauth2-hint-grant-unsupported"),
            "temporarily_unavailable" | "server_error" => {
                ("MAIL_OAUTH2_TOKEN_URL", "oauth2-hint-endpoint-failing")
            }
            _ => ("MAIL_OAUTH2_TOKEN_URL", "oauth2-hint-check-registration"),
        }
    }

    /// Microsoft's `AADSTS` number in the description (`AADSTS7000215: Invalid client…`).
    fn aadsts(&self) -> Option<&str> {
        let description = self.description.as_deref()?;
        let at = description.find("AADSTS")? + "AADSTS".len();
        let digits = description[at..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(&description[at..], |end| &description[at..at + end]);
        (!digits.is_empty()).then_some(digits)
    }
}

/// English.
impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message().render(Lang::En))
    }
}

impl std::error::Error for TokenError {}

/// The endpoint's `text` as it may be shown: at most `max` bytes, cut on a character boundary
/// (with `…`). Line breaks and tabs (Microsoft's descriptions put `\r\n` before their trace
/// ID) become one space; every other control character (C0, DEL, C1) and every invisible
/// format character (bidi overrides, zero-width characters) is written as its `\u{…}`
/// escape, so that what was sent stays readable and none of it reaches a terminal raw.
pub(crate) fn printable(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut escaped = String::new();
    for c in text.chars() {
        escaped.clear();
        if matches!(c, '\t' | '\n' | '\r') {
            if !out.ends_with(' ') {
                escaped.push(' ');
            }
        } else if c.is_control() || is_invisible_format(c) {
            escaped.extend(c.escape_unicode());
        } else {
            escaped.push(c);
        }
        if out.len() + escaped.len() > max {
            out.push('…');
            break;
        }
        out.push_str(&escaped);
    }
    out.trim().to_owned()
}

/// Unicode's invisible format characters that change how the text around them is shown
/// (general category Cf in use, and the line and paragraph separators).
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{61c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
    )
}

#[cfg(test)]
mod tests {
    use super::super::parse_token_response;

    #[test]
    fn the_endpoints_texts_are_escaped_and_bounded() {
        let long = "x".repeat(10_000);
        let body = serde_json::json!({
            "error": "invalid_client\u{0}\u{1b}[2J",
            "error_description": format!(
                "AADSTS7000215: Invalid client secret.\r\nTrace ID: 1\u{0}2\u{7f}\u{9b}31m \u{202e}txt.exe\u{200b}{long}"
            ),
        });
        let e = parse_token_response(401, body.to_string().as_bytes()).unwrap_err();
        let code = e.error_code().unwrap();
        assert_eq!(code, "invalid_client\\u{0}\\u{1b}[2J");
        let description = e.description().unwrap();
        assert!(
            description.starts_with(
                "AADSTS7000215: Invalid client secret. Trace ID: 1\\u{0}2\\u{7f}\\u{9b}31m \\u{202e}txt.exe\\u{200b}xxx"
            ),
            "{description}"
        );
        assert!(description.ends_with('…'), "{description}");
        assert!(
            description.len() <= 400 + '…'.len_utf8(),
            "{}",
            description.len()
        );
        let shown = format!("{e} {e:?} {}", e.hint());
        assert!(
            !shown
                .chars()
                .any(|c| c.is_control() || c == '\u{202e}' || c == '\u{200b}'),
            "{shown:?}"
        );
        // The code is still found in the escaped text.
        assert_eq!(e.setting(), "MAIL_OAUTH2_CLIENT_SECRET");
    }
}
