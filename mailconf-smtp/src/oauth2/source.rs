//! The token a [`Mailer`](crate::Mailer) logs in with: fetched on first use, cached, fetched
//! again a little before it expires, one request at a time however many sends wait for it.

use std::time::{Duration, SystemTime};

use mailconf_core::Secret;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::error::TokenError;
use super::response::AccessToken;
use super::{Grant, OAuth2Login, fetch, jwt};

/// At most this long before its expiry a token is replaced, so that a session opened just
/// before it does not log in with a token about to lapse.
const MAX_MARGIN: Duration = Duration::from_secs(60);

pub(crate) struct TokenSource {
    login: OAuth2Login,
    http: reqwest::Client,
    /// Held across a request: the waiting senders are the single flight's passengers.
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    cached: Option<Cached>,
    /// The newest refresh token, when the endpoint rotated it.
    rotated: Option<Secret<String>>,
}

struct Cached {
    token: Secret<String>,
    /// When to fetch a new one; `None`: until the server refuses it.
    renew_at: Option<Instant>,
    /// The token file's modification time and length when it was read.
    file_stamp: Option<(SystemTime, u64)>,
}

/// A token to log in with, and whether it was just fetched (a refusal then is final).
pub(crate) struct Lease {
    pub(crate) token: Secret<String>,
    pub(crate) fresh: bool,
}

impl TokenSource {
    pub(crate) fn new(login: OAuth2Login, timeout: Duration) -> Result<TokenSource, String> {
        Ok(TokenSource {
            login,
            http: fetch::http_client(timeout)?,
            state: Mutex::new(State::default()),
        })
    }

    pub(crate) fn mailbox(&self) -> &str {
        &self.login.mailbox
    }

    pub(crate) fn grant(&self) -> &Grant {
        &self.login.grant
    }

    /// The cached token while it is good, else a new one.
    pub(crate) async fn token(&self) -> Result<Lease, TokenError> {
        let mut state = self.state.lock().await;
        if let Some(cached) = &state.cached
            && self.still_good(cached)
        {
            return Ok(Lease {
                token: cached.token.clone(),
                fresh: false,
            });
        }
        state.cached = None;
        let file_stamp = self.file_stamp();
        let token = self.fetch(&state).await?;
        if token.refresh_token.is_some() {
            state.rotated = token.refresh_token.clone();
        }
        let renew_at = token.expires_in.map(|lifetime| {
            let margin = (lifetime / 5).min(MAX_MARGIN);
            Instant::now() + lifetime.saturating_sub(margin)
        });
        tracing::debug!(
            grant = self.login.grant.name(),
            expires_in = ?token.expires_in,
            rotated = token.refresh_token.is_some(),
            "OAuth2 access token obtained"
        );
        state.cached = Some(Cached {
            token: token.secret.clone(),
            renew_at,
            file_stamp,
        });
        Ok(Lease {
            token: token.secret,
            fresh: true,
        })
    }

    /// The server refused `token`: forget it, unless another sender already replaced it.
    pub(crate) async fn refused(&self, token: &Secret<String>) {
        let mut state = self.state.lock().await;
        if state
            .cached
            .as_ref()
            .is_some_and(|c| c.token.expose_secret() == token.expose_secret())
        {
            state.cached = None;
        }
    }

    fn still_good(&self, cached: &Cached) -> bool {
        if let Grant::TokenFile { .. } = &self.login.grant {
            return cached.file_stamp.is_some() && cached.file_stamp == self.file_stamp();
        }
        cached.renew_at.is_none_or(|at| Instant::now() < at)
    }

    fn file_stamp(&self) -> Option<(SystemTime, u64)> {
        let Grant::TokenFile { path } = &self.login.grant else {
            return None;
        };
        let meta = std::fs::metadata(path).ok()?;
        Some((meta.modified().ok()?, meta.len()))
    }

    async fn fetch(&self, state: &State) -> Result<AccessToken, TokenError> {
        let grant = &self.login.grant;
        let result = match grant {
            Grant::ClientCredentials {
                token_url,
                client_id,
                client_secret,
                scope,
            } => {
                fetch::client_credentials(
                    &self.http,
                    token_url,
                    client_id,
                    client_secret,
                    scope.as_deref(),
                )
                .await
            }
            Grant::RefreshToken {
                token_url,
                client_id,
                client_secret,
                refresh_token,
                scope,
            } => {
                fetch::refresh_token(
                    &self.http,
                    token_url,
                    client_id,
                    client_secret.as_ref(),
                    state.rotated.as_ref().unwrap_or(refresh_token),
                    scope.as_deref(),
                )
                .await
            }
            Grant::ServiceAccount {
                key_file,
                token_url,
                scope,
            } => {
                let assertion =
                    jwt::assertion(key_file, &self.login.mailbox, scope, token_url.as_ref());
                match assertion {
                    Ok(a) => fetch::jwt_bearer(&self.http, &a.token_url, &a.jwt).await,
                    Err(e) => Err(e),
                }
            }
            Grant::TokenFile { path } => fetch::token_file(path),
        };
        result.map_err(|e| self.scrubbed(e.with_grant(grant), state))
    }

    /// No secret of the settings in an error, even if an endpoint echoed one.
    fn scrubbed(&self, mut error: TokenError, state: &State) -> TokenError {
        let mut secrets: Vec<&str> = Vec::new();
        match &self.login.grant {
            Grant::ClientCredentials { client_secret, .. } => {
                secrets.push(client_secret.expose_secret());
            }
            Grant::RefreshToken {
                client_secret,
                refresh_token,
                ..
            } => {
                secrets.extend(client_secret.as_ref().map(|s| s.expose_secret().as_str()));
                secrets.push(refresh_token.expose_secret());
            }
            Grant::ServiceAccount { .. } | Grant::TokenFile { .. } => {}
        }
        secrets.extend(state.rotated.as_ref().map(|s| s.expose_secret().as_str()));
        for secret in secrets {
            error = error.scrub(secret);
        }
        error
    }
}
