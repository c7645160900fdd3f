//! One token request per grant: the client-credentials and refresh-token grants through the
//! `oauth2` crate, the JWT-bearer grant (which it lacks) as a form POST whose answer is read by
//! [`parse_token_response`](super::parse_token_response), and the token file.

use std::path::Path;
use std::time::Duration;

use mailconf_core::{Message, Secret};
use oauth2::basic::{BasicClient, BasicErrorResponse};
use oauth2::{
    AuthType, ClientId, ClientSecret, HttpClientError, RefreshToken, RequestTokenError, Scope,
    TokenUrl,
};
use url::Url;

use super::error::{TokenError, TokenErrorKind, printable};
use super::response::{AccessToken, not_a_token, parse_token_response};

type OAuthError = RequestTokenError<HttpClientError<reqwest::Error>, BasicErrorResponse>;

/// The HTTP client of every token request: rustls, no redirects (a token endpoint that
/// redirects is misconfigured, and following it could hand the secret to another host).
pub(crate) fn http_client(timeout: Duration) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .user_agent(concat!("mailconf-smtp/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| e.to_string())
}

fn scopes(scope: Option<&str>) -> impl Iterator<Item = Scope> + '_ {
    scope
        .into_iter()
        .flat_map(str::split_whitespace)
        .map(|s| Scope::new(s.to_owned()))
}

/// The client-credentials grant. The secret goes in the request body, which both Microsoft
/// and Google accept (`client_secret_post`).
pub(crate) async fn client_credentials(
    http: &reqwest::Client,
    token_url: &Url,
    client_id: &str,
    client_secret: &Secret<String>,
    scope: Option<&str>,
) -> Result<AccessToken, TokenError> {
    let client = BasicClient::new(ClientId::new(client_id.to_owned()))
        .set_client_secret(ClientSecret::new(client_secret.expose_secret().clone()))
        .set_auth_type(AuthType::RequestBody)
        .set_token_uri(TokenUrl::from_url(token_url.clone()));
    let response = client
        .exchange_client_credentials()
        .add_scopes(scopes(scope))
        .request_async(http)
        .await
        .map_err(from_oauth2)?;
    AccessToken::from_response(&response)
}

/// The refresh-token grant, for a public client too (no secret).
pub(crate) async fn refresh_token(
    http: &reqwest::Client,
    token_url: &Url,
    client_id: &str,
    client_secret: Option<&Secret<String>>,
    refresh_token: &Secret<String>,
    scope: Option<&str>,
) -> Result<AccessToken, TokenError> {
    let mut client = BasicClient::new(ClientId::new(client_id.to_owned()))
        .set_auth_type(AuthType::RequestBody)
        .set_token_uri(TokenUrl::from_url(token_url.clone()));
    if let Some(secret) = client_secret {
        client = client.set_client_secret(ClientSecret::new(secret.expose_secret().clone()));
    }
    let refresh = RefreshToken::new(refresh_token.expose_secret().clone());
    let response = client
        .exchange_refresh_token(&refresh)
        .add_scopes(scopes(scope))
        .request_async(http)
        .await
        .map_err(from_oauth2)?;
    AccessToken::from_response(&response)
}

/// The JWT-bearer grant (RFC 7523): `assertion` is a signed JWT.
pub(crate) async fn jwt_bearer(
    http: &reqwest::Client,
    token_url: &Url,
    assertion: &Secret<String>,
) -> Result<AccessToken, TokenError> {
    let form = [
        ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
        ("assertion", assertion.expose_secret().as_str()),
    ];
    let response = http
        .post(token_url.clone())
        .header(reqwest::header::ACCEPT, "application/json")
        .form(&form)
        .send()
        .await
        .map_err(|e| unreachable_error(&e))?;
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(|e| unreachable_error(&e))?;
    parse_token_response(status, &body)
}

/// The most a token file may hold: tokens are a few KiB at most (Microsoft's JWTs ~2-3 KiB).
const MAX_TOKEN_FILE: u64 = 64 * 1024;

/// The token in `path`: the whole file, surrounding whitespace removed.
pub(crate) fn token_file(path: &Path) -> Result<AccessToken, TokenError> {
    let fail = |reason: Message| {
        TokenError::new(
            TokenErrorKind::TokenFile,
            Message::new("oauth2-token-file-unusable")
                .arg("path", path.display().to_string())
                .arg("reason", reason),
        )
    };
    let io = |e: std::io::Error| fail(Message::text(e.to_string()));
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() || meta.len() > MAX_TOKEN_FILE {
        return Err(fail(
            Message::new("oauth2-not-a-small-file").arg("max", MAX_TOKEN_FILE),
        ));
    }
    let text = std::fs::read_to_string(path).map_err(io)?;
    let token = text.trim();
    if token.is_empty() {
        return Err(fail(Message::new("oauth2-token-file-empty")));
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(fail(Message::new("oauth2-token-file-chars")));
    }
    Ok(AccessToken {
        secret: Secret::new(token.to_owned()),
        expires_in: None,
        refresh_token: None,
    })
}

fn from_oauth2(error: OAuthError) -> TokenError {
    match error {
        RequestTokenError::ServerResponse(response) => TokenError::refused(None, &response),
        RequestTokenError::Request(HttpClientError::Reqwest(e)) => unreachable_error(&e),
        RequestTokenError::Request(e) => TokenError::new(
            TokenErrorKind::Unreachable,
            Message::new("oauth2-request-failed").arg("error", e.to_string()),
        ),
        RequestTokenError::Parse(e, _body) => not_a_token(200, e.inner()),
        // The oauth2 crate's words, which may quote the endpoint's Content-Type.
        RequestTokenError::Other(what) => TokenError::new(
            TokenErrorKind::Malformed,
            Message::new("oauth2-answer-unusable").arg("what", printable(&what, 200)),
        ),
    }
}

/// reqwest's error, without the URL (it is in the settings) and with its cause.
fn unreachable_error(e: &reqwest::Error) -> TokenError {
    let why = Message::new(if e.is_timeout() {
        "oauth2-why-timeout"
    } else if e.is_connect() {
        "oauth2-why-connect"
    } else if e.is_redirect() {
        "oauth2-why-redirect"
    } else {
        "oauth2-why-failed"
    });
    let mut cause = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    let message = if cause.is_empty() {
        Message::new("oauth2-unreachable").arg("why", why)
    } else {
        Message::new("oauth2-unreachable-cause")
            .arg("why", why)
            .arg("cause", cause)
    };
    let error = TokenError::new(TokenErrorKind::Unreachable, message);
    match e.status() {
        Some(status) => error.with_status(status.as_u16()),
        None => error,
    }
}
