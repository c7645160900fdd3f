//! OAuth2 login (SASL `XOAUTH2`): the settings ([`OAuth2Login`], from `MAIL_OAUTH2_*` and
//! `MAIL_ACCESS_TOKEN_FILE`) always; the token machinery (fetching, caching and refreshing
//! tokens for a [`Mailer`](crate::Mailer)) with the `oauth2` feature.
//!
//! Microsoft 365 stops taking passwords for SMTP AUTH (`550 5.7.30`), and Google Workspace
//! takes none from apps: both want an access token that expires within about an hour. lettre
//! sends `XOAUTH2` but leaves getting the token to the caller; this module gets it.

use std::fmt;
use std::path::PathBuf;

use mailconf_core::Secret;
use url::Url;

pub(crate) mod settings;

#[cfg(feature = "oauth2")]
mod error;
#[cfg(feature = "oauth2")]
mod fetch;
#[cfg(feature = "oauth2")]
mod jwt;
#[cfg(feature = "oauth2")]
mod response;
#[cfg(feature = "oauth2")]
mod source;

#[cfg(feature = "oauth2")]
pub use error::{TokenError, TokenErrorKind};
#[cfg(feature = "oauth2")]
pub use response::{AccessToken, parse_token_response};
#[cfg(feature = "oauth2")]
pub(crate) use source::TokenSource;

/// An `XOAUTH2` login: the mailbox, and where its access tokens come from.
#[derive(Debug, Clone)]
pub struct OAuth2Login {
    /// The mailbox to log in as (`MAIL_USERNAME`): the `user=` of the `XOAUTH2` exchange, and
    /// the `sub` of a service account's assertion.
    pub mailbox: String,
    /// How to get a token.
    pub grant: Grant,
}

/// How an access token is obtained. `Debug` never shows a secret.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Grant {
    /// The client-credentials grant: an app-only token (Microsoft 365's `SMTP.SendAsApp`).
    ClientCredentials {
        /// The token endpoint.
        token_url: Url,
        /// The application (client) ID.
        client_id: String,
        /// The client secret.
        client_secret: Secret<String>,
        /// The scope asked for, if any.
        scope: Option<String>,
    },
    /// The refresh-token grant: a user's token, renewed with the refresh token (which the
    /// endpoint may rotate: the newest one is kept for the next refresh).
    RefreshToken {
        /// The token endpoint.
        token_url: Url,
        /// The application (client) ID.
        client_id: String,
        /// The client secret, for a confidential client.
        client_secret: Option<Secret<String>>,
        /// The refresh token.
        refresh_token: Secret<String>,
        /// The scope asked for, if any.
        scope: Option<String>,
    },
    /// A Google service account's JWT-bearer grant (RFC 7523), acting as the mailbox through
    /// domain-wide delegation.
    ServiceAccount {
        /// The service account's JSON key.
        key_file: PathBuf,
        /// Overrides the key's `token_uri`.
        token_url: Option<Url>,
        /// The scope asked for.
        scope: String,
    },
    /// A token kept fresh by something else, read again whenever the file changes.
    TokenFile {
        /// The file.
        path: PathBuf,
    },
}

impl Grant {
    /// The grant's name as `probe` and the errors show it: `client_credentials`,
    /// `refresh_token`, `jwt_bearer` or `token_file`.
    pub fn name(&self) -> &'static str {
        match self {
            Grant::ClientCredentials { .. } => "client_credentials",
            Grant::RefreshToken { .. } => "refresh_token",
            Grant::ServiceAccount { .. } => "jwt_bearer",
            Grant::TokenFile { .. } => "token_file",
        }
    }

    /// The setting that selects this grant, for messages.
    pub fn setting(&self) -> &'static str {
        match self {
            Grant::ClientCredentials { .. } => "MAIL_OAUTH2_CLIENT_SECRET",
            Grant::RefreshToken { .. } => "MAIL_OAUTH2_REFRESH_TOKEN",
            Grant::ServiceAccount { .. } => "MAIL_OAUTH2_SERVICE_ACCOUNT_FILE",
            Grant::TokenFile { .. } => "MAIL_ACCESS_TOKEN_FILE",
        }
    }
}

impl fmt::Display for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
