//! The `XOAUTH2` login of a session, for the Mailer and the probe alike: a token from the
//! [`TokenSource`], lettre's `Mechanism::Xoauth2`, and (the Mailer's) one more token when the
//! server refuses a cached one.

use std::fmt;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::response::Response;
use mailconf_core::Secret;

use super::dialogue;
use super::{Failure, Progress};
use crate::Stage;
use crate::oauth2::TokenSource;

/// The empty line that answers a server's error challenge (RFC 7628 3.2.3): the server then
/// sends its final reply (`535`).
struct EmptyResponse;

impl fmt::Display for EmptyResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\r\n")
    }
}

/// Logs `conn` in as the source's mailbox. A `535` to a token that came from the cache (it may
/// have been revoked, or the clock is off) gets one new token and one more try; a `535` to a
/// token just fetched is final.
pub(crate) async fn login(
    conn: &mut AsyncSmtpConnection,
    source: &TokenSource,
    progress: &mut Progress,
) -> Result<Response, Failure> {
    progress.stage = Stage::OAuth2Token;
    let mut lease = source.token().await.map_err(|e| Failure::token(&e))?;
    progress.stage = Stage::Auth;
    if !conn
        .server_info()
        .supports_auth_mechanism(Mechanism::Xoauth2)
    {
        return Err(Failure::client(
            Stage::Auth,
            "No compatible authentication mechanism was found: the server does not offer AUTH XOAUTH2",
        ));
    }
    loop {
        match once(conn, source.mailbox(), &lease.token).await {
            Ok(reply) => return Ok(reply),
            Err(failure) if !lease.fresh && failure.code() == Some(535) => {
                tracing::debug!(
                    grant = source.grant().name(),
                    "the server refused the cached OAuth2 token; getting a new one"
                );
                source.refused(&lease.token).await;
                progress.stage = Stage::OAuth2Token;
                let next = source.token().await.map_err(|e| Failure::token(&e))?;
                progress.stage = Stage::Auth;
                // A token file that still holds the refused token: nothing new to try.
                if next.token.expose_secret() == lease.token.expose_secret() {
                    return Err(failure);
                }
                lease = next;
                lease.fresh = true;
            }
            Err(failure) => return Err(failure),
        }
    }
}

/// One `AUTH XOAUTH2` with `token`.
pub(crate) async fn once(
    conn: &mut AsyncSmtpConnection,
    mailbox: &str,
    token: &Secret<String>,
) -> Result<Response, Failure> {
    dialogue::auth(Mechanism::Xoauth2);
    let credentials = Credentials::new(mailbox.to_owned(), token.expose_secret().clone());
    match conn.auth(&[Mechanism::Xoauth2], &credentials).await {
        Ok(reply) => {
            dialogue::received(&reply);
            Ok(reply)
        }
        // A refusal comes as a 334 challenge carrying the error (Gmail, Exchange Online), which
        // lettre does not answer for XOAUTH2: the empty line gets the server's final reply.
        Err(e) if e.status().is_none() && (e.is_client() || e.is_response()) => {
            match conn.command(EmptyResponse).await {
                Err(final_reply) => Err(Failure::smtp(Stage::Auth, &final_reply)),
                Ok(_) => Err(Failure::smtp(Stage::Auth, &e)),
            }
        }
        Err(e) => Err(Failure::smtp(Stage::Auth, &e)),
    }
}
