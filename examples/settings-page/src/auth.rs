//! Who may call the API: the admin token, a trusted `Host`, and a same-origin `Origin` for
//! requests that change state.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use crate::routes::ApiError;
use crate::{AppState, OptionsError};

/// Shorter tokens can be guessed over the network.
const MIN_TOKEN_LEN: usize = 16;

/// The admin token.
pub(crate) struct Token(String);

impl Token {
    pub(crate) fn new(token: String) -> Result<Token, OptionsError> {
        if token.chars().count() < MIN_TOKEN_LEN {
            return Err(OptionsError(format!(
                "the admin token (--token or SETTINGS_PAGE_TOKEN) must be at least {MIN_TOKEN_LEN} characters; generate one with: openssl rand -hex 24"
            )));
        }
        // Such a token could not be sent in an Authorization header.
        if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(OptionsError(
                "the admin token must not contain spaces or control characters".to_owned(),
            ));
        }
        Ok(Token(token))
    }

    /// Constant time, so response timing does not reveal how much of a guess was right.
    fn matches(&self, given: &str) -> bool {
        self.0.as_bytes().ct_eq(given.as_bytes()).into()
    }
}

/// The `Host` values the page answers to. Checking it defeats DNS rebinding: a hostile page
/// whose name is re-pointed at 127.0.0.1 still sends its own name as `Host`.
pub(crate) struct Access {
    bound: SocketAddr,
    /// Authorities (`host[:port]`, lower case) of the extra origins.
    extra: Vec<String>,
}

impl Access {
    pub(crate) fn new(bound: SocketAddr, origins: &[String]) -> Result<Access, OptionsError> {
        let extra = origins
            .iter()
            .map(|origin| {
                parse_origin(origin).ok_or_else(|| {
                    OptionsError(format!(
                        "--origin {origin:?} is not an origin: write it like https://mail-admin.example.com (scheme, host and an optional port, no path)"
                    ))
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Access { bound, extra })
    }

    fn trusted_host(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        if self.extra.contains(&host) {
            return true;
        }
        let Some((name, port)) = split_authority(&host) else {
            return false;
        };
        if port.unwrap_or(80) != self.bound.port() {
            return false;
        }
        let bound = self.bound.ip();
        match name.parse::<IpAddr>() {
            // A name-less address cannot be re-pointed by DNS, so any address of this machine
            // is fine when listening on all of them.
            Ok(ip) => ip == bound || bound.is_unspecified(),
            Err(_) => name == "localhost" && (bound.is_loopback() || bound.is_unspecified()),
        }
    }
}

/// `scheme://authority` with nothing after it, as browsers send `Origin`; the authority in lower
/// case. `None` for anything else, including `null`.
fn parse_origin(origin: &str) -> Option<String> {
    let (scheme, authority) = origin.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let authority = authority.strip_suffix('/').unwrap_or(authority);
    if authority.is_empty() || authority.contains(['/', '?', '#', '@']) {
        return None;
    }
    Some(authority.to_ascii_lowercase())
}

/// `host[:port]` → (host without IPv6 brackets, port).
fn split_authority(authority: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        match after {
            "" => (ip, None),
            _ => (ip, Some(after.strip_prefix(':')?)),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (authority, None),
        }
    };
    if name.is_empty() {
        return None;
    }
    let port = match port {
        Some(p) => Some(p.parse().ok()?),
        None => None,
    };
    Some((name, port))
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim_start())
}

/// Runs before every `/api/` handler, and before any body is read.
pub(crate) async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let access = &state.inner.access;
    let headers = request.headers();
    match bearer(headers) {
        None => {
            return unauthorized(
                "missing_token",
                "this API needs the admin token: send Authorization: Bearer <token>",
            );
        }
        Some(given) if !state.inner.token.matches(given) => {
            return unauthorized("wrong_token", "the admin token is not correct");
        }
        Some(_) => {}
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|a| a.as_str().to_owned()));
    let Some(host) = host.filter(|h| access.trusted_host(h)) else {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "untrusted_host",
            "the Host header names neither the address this page listens on nor an --origin given at start-up",
        )
        .into_response();
    };
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
        let same = origin
            .and_then(parse_origin)
            .is_some_and(|authority| authority == host.to_ascii_lowercase());
        if !same {
            let message = match origin {
                None => "refused: a request that changes settings must carry an Origin header (browsers send it; scripts must set it to this page's origin)".to_owned(),
                Some(o) => format!(
                    "refused: cross-origin request from {o:?}; settings can only be changed from this page's own origin"
                ),
            };
            return ApiError::new(StatusCode::FORBIDDEN, "cross_origin", message).into_response();
        }
    }
    next.run(request).await
}

fn unauthorized(code: &'static str, message: &str) -> Response {
    let mut response = ApiError::new(StatusCode::UNAUTHORIZED, code, message).into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        axum::http::HeaderValue::from_static("Bearer realm=\"settings-page\""),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(bound: &str) -> Access {
        Access::new(
            bound.parse().unwrap(),
            &["https://Mail-Admin.example.com".to_owned()],
        )
        .unwrap()
    }

    #[test]
    fn hosts_of_a_loopback_listener() {
        let a = access("127.0.0.1:8088");
        assert!(a.trusted_host("127.0.0.1:8088"));
        assert!(a.trusted_host("LOCALHOST:8088"));
        assert!(a.trusted_host("mail-admin.example.com"));
        assert!(!a.trusted_host("127.0.0.1:8089"));
        assert!(!a.trusted_host("127.0.0.2:8088"));
        assert!(!a.trusted_host("evil.example:8088"));
        assert!(!a.trusted_host("127.0.0.1"));
        assert!(!a.trusted_host(""));
        assert!(!a.trusted_host(":8088"));
    }

    #[test]
    fn hosts_of_an_all_addresses_listener() {
        let a = access("[::]:80");
        assert!(a.trusted_host("192.0.2.7"));
        assert!(a.trusted_host("[2001:db8::1]:80"));
        assert!(!a.trusted_host("rebound.example"));
    }

    #[test]
    fn origins() {
        assert_eq!(
            parse_origin("http://127.0.0.1:80"),
            Some("127.0.0.1:80".into())
        );
        assert_eq!(parse_origin("https://A.example/"), Some("a.example".into()));
        assert_eq!(parse_origin("null"), None);
        assert_eq!(parse_origin("file://x"), None);
        assert_eq!(parse_origin("http://a.example/path"), None);
        assert_eq!(parse_origin("http://user@a.example"), None);
    }

    #[test]
    fn tokens() {
        assert!(Token::new("short".into()).is_err());
        assert!(Token::new("sixteen chars!!!".into()).is_err());
        let t = Token::new("0123456789abcdef".into()).unwrap();
        assert!(t.matches("0123456789abcdef"));
        assert!(!t.matches("0123456789abcdeF"));
        assert!(!t.matches("0123456789abcdef0"));
        assert!(!t.matches(""));
    }
}
