//! Who may call the API: the admin token, a trusted `Host`, and a same-origin `Origin` for
//! requests that change state.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use mailconf_core::Message;
use subtle::ConstantTimeEq;

use crate::audit::{self, Client};
use crate::routes::ApiError;
use crate::{AppState, OptionsError};

/// Wrong tokens a client may send in a row before it must wait; then one more per
/// 60 / this many seconds.
const WRONG_TOKENS_PER_MINUTE: u32 = 5;

/// Slows down guessing the token: after [`WRONG_TOKENS_PER_MINUTE`] wrong tokens a client is
/// answered `429` (with `Retry-After`) until its quota refills, whatever token it sends, so
/// the answers tell it nothing meanwhile.
pub(crate) struct Throttle {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    blocked: Mutex<HashMap<IpAddr, Instant>>,
}

impl Throttle {
    pub(crate) fn new() -> Throttle {
        let per_minute = NonZeroU32::new(WRONG_TOKENS_PER_MINUTE).expect("a non-zero constant");
        Throttle {
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute)),
            blocked: Mutex::new(HashMap::new()),
        }
    }

    fn blocked_map(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, Instant>> {
        // A panic while holding it cannot leave the map inconsistent: keep using it.
        self.blocked.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How long `client` must still wait, if it is blocked.
    fn wait(&self, client: IpAddr) -> Option<Duration> {
        let now = Instant::now();
        let mut blocked = self.blocked_map();
        blocked.retain(|_, until| *until > now);
        blocked.get(&client).map(|until| *until - now)
    }

    /// Counts a wrong token; `Err` with the wait once the client is over its quota.
    fn wrong_token(&self, client: IpAddr) -> Result<(), Duration> {
        if self.limiter.len() > 4096 {
            self.limiter.retain_recent();
        }
        match self.limiter.check_key(&client) {
            Ok(()) => Ok(()),
            Err(not_until) => {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                self.blocked_map().insert(client, Instant::now() + wait);
                Err(wait)
            }
        }
    }
}

fn too_many(wait: Duration) -> Response {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let seconds = seconds.max(1);
    let mut response = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
        Message::new("page-api-too-many").arg("seconds", seconds),
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

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
pub(crate) async fn guard(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let access = &state.inner.access;
    let client = Client(
        request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_canonical()),
    );
    let key = client.0.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let throttle = &state.inner.throttle;
    if let Some(wait) = throttle.wait(key) {
        return too_many(wait);
    }
    let headers = request.headers();
    match bearer(headers) {
        None => {
            return unauthorized("missing_token", Message::new("page-api-missing-token"));
        }
        Some(given) if !state.inner.token.matches(given) => {
            audit::refused(&client, "wrong_token");
            if let Err(wait) = throttle.wrong_token(key) {
                return too_many(wait);
            }
            return unauthorized("wrong_token", Message::new("page-api-wrong-token"));
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
            Message::new("page-api-untrusted-host"),
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
                None => Message::new("page-api-no-origin"),
                Some(o) => Message::new("page-api-cross-origin").arg("origin", format!("{o:?}")),
            };
            return ApiError::new(StatusCode::FORBIDDEN, "cross_origin", message).into_response();
        }
    }
    request.extensions_mut().insert(client);
    next.run(request).await
}

fn unauthorized(code: &'static str, message: Message) -> Response {
    let mut response = ApiError::new(StatusCode::UNAUTHORIZED, code, message).into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"settings-page\""),
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
