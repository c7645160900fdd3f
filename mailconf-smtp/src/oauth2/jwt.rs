//! A Google service account's assertion (RFC 7523): a JWT signed with the key of its JSON
//! key file, `sub` = the mailbox (domain-wide delegation), for the JWT-bearer grant.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use mailconf_core::{Message, Secret};
use serde::{Deserialize, Serialize};
use url::Url;

use super::error::{TokenError, TokenErrorKind};
use crate::providers::GOOGLE_OAUTH2;

/// A key file is a few KiB; more is not one.
const MAX_KEY_FILE: u64 = 64 * 1024;
/// Google accepts assertions valid for at most an hour.
const ASSERTION_LIFETIME: Duration = Duration::from_secs(3600);

/// The parts of the key file the grant uses (the file has more: project, client ID…).
#[derive(Deserialize)]
struct KeyFile {
    client_email: String,
    private_key: String,
    private_key_id: Option<String>,
    token_uri: Option<String>,
}

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    sub: &'a str,
    scope: &'a str,
    aud: &'a str,
    iat: u64,
    exp: u64,
}

/// The signed assertion and the endpoint to send it to.
pub(crate) struct Assertion {
    pub(crate) jwt: Secret<String>,
    pub(crate) token_url: Url,
}

fn key_error(path: &Path, reason: Message) -> TokenError {
    TokenError::new(
        TokenErrorKind::Key,
        Message::new("oauth2-key-unusable")
            .arg("path", path.display().to_string())
            .arg("reason", reason),
    )
}

/// Words that are not ours (an I/O or URL error's), shown as written.
fn quoted(e: impl std::fmt::Display) -> Message {
    Message::text(e.to_string())
}

/// Reads the key (again on every request, so that a rotated key file is picked up) and
/// signs an assertion for `mailbox`. `token_url` overrides the key's `token_uri`.
pub(crate) fn assertion(
    path: &Path,
    mailbox: &str,
    scope: &str,
    token_url: Option<&Url>,
) -> Result<Assertion, TokenError> {
    let meta = std::fs::metadata(path).map_err(|e| key_error(path, quoted(e)))?;
    if !meta.is_file() || meta.len() > MAX_KEY_FILE {
        return Err(key_error(
            path,
            Message::new("oauth2-not-a-small-file").arg("max", MAX_KEY_FILE),
        ));
    }
    let text = std::fs::read(path).map_err(|e| key_error(path, quoted(e)))?;
    // serde_json's message could quote the private key: only where.
    let key: KeyFile = serde_json::from_slice(&text).map_err(|e| {
        key_error(
            path,
            Message::new("oauth2-key-not-json")
                .arg("line", e.line())
                .arg("column", e.column()),
        )
    })?;
    let token_url = match (token_url, &key.token_uri) {
        (Some(url), _) => url.clone(),
        (None, Some(uri)) => Url::parse(uri).map_err(|e| {
            key_error(
                path,
                Message::new("oauth2-key-token-uri").arg("error", e.to_string()),
            )
        })?,
        (None, None) => {
            Url::parse(GOOGLE_OAUTH2.token_url).map_err(|e| key_error(path, quoted(e)))?
        }
    };
    let signing_key = EncodingKey::from_rsa_pem(key.private_key.as_bytes())
        .map_err(|_| key_error(path, Message::new("oauth2-key-not-rsa")))?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let claims = Claims {
        iss: &key.client_email,
        sub: mailbox,
        scope,
        aud: token_url.as_str(),
        iat: now,
        exp: now + ASSERTION_LIFETIME.as_secs(),
    };
    let mut header = Header::new(Algorithm::RS256);
    header.kid = key.private_key_id.clone();
    let jwt = jsonwebtoken::encode(&header, &claims, &signing_key).map_err(|e| {
        key_error(
            path,
            Message::new("oauth2-key-signing").arg("error", e.to_string()),
        )
    })?;
    Ok(Assertion {
        jwt: Secret::new(jwt),
        token_url,
    })
}
