//! [`TokenEndpoint`]: an OAuth2 token endpoint on loopback for tests, serving the three grants
//! a [`Mailer`](crate::Mailer) uses, with short-lived tokens, refresh-token rotation and the
//! error answers of the real providers; a [`DevServer`](super::DevServer) checks the bearer of
//! an `XOAUTH2` login against it ([`verifier`](TokenEndpoint::verifier)).
//!
//! The HTTP side is the least a token request needs (one `POST` per connection, a form body,
//! `Connection: close`): a test server, not a general one.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

const MAX_HEAD: usize = 16 * 1024;
const MAX_BODY: usize = 64 * 1024;

/// A loopback OAuth2 token endpoint for tests: the client-credentials, refresh-token and
/// JWT-bearer grants, short-lived tokens, refresh-token rotation, revocation and the error
/// answers of the real providers (`invalid_client` with `AADSTS7000215`…). A
/// [`DevServer`](super::DevServer) checks the bearer of an `XOAUTH2` login against it.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use std::time::Duration;
/// use mailconf_smtp::dev_server::{DevServer, TokenEndpoint};
///
/// let endpoint = TokenEndpoint::builder()
///     .client("app-id", "app-secret")
///     .lifetime(Duration::from_secs(5))
///     .start()
///     .await?;
/// let server = DevServer::builder().xoauth2(endpoint.verifier()).start().await?;
/// // MAIL_OAUTH2_TOKEN_URL = endpoint.url(), MAIL_OAUTH2_CLIENT_ID = app-id, …
/// # Ok(())
/// # }
/// ```
pub struct TokenEndpoint {
    addr: SocketAddr,
    state: Arc<Shared>,
    task: JoinHandle<()>,
}

/// Configures a [`TokenEndpoint`].
#[derive(Default)]
#[must_use = "a builder does nothing until `start` is awaited"]
pub struct TokenEndpointBuilder {
    clients: HashMap<String, String>,
    refresh_tokens: HashMap<String, String>,
    service_accounts: HashMap<String, String>,
    app_mailboxes: HashMap<String, String>,
    lifetime: Option<Duration>,
    rotate: bool,
}

impl fmt::Debug for TokenEndpointBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenEndpointBuilder")
            .field("clients", &self.clients.keys().collect::<Vec<_>>())
            .field("refresh_tokens", &self.refresh_tokens.len())
            .field(
                "service_accounts",
                &self.service_accounts.keys().collect::<Vec<_>>(),
            )
            .field("app_mailboxes", &self.app_mailboxes)
            .field("lifetime", &self.lifetime)
            .field("rotate", &self.rotate)
            .finish()
    }
}

impl TokenEndpointBuilder {
    /// A client (`client_id`, `client_secret`) allowed the client-credentials grant, and the
    /// refresh-token grant with a secret.
    pub fn client(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.clients.insert(id.into(), secret.into());
        self
    }

    /// A refresh token of `mailbox`'s user; the refresh-token grant accepts it (from a known
    /// client, with or without a secret).
    pub fn refresh_token(mut self, token: impl Into<String>, mailbox: impl Into<String>) -> Self {
        self.refresh_tokens.insert(token.into(), mailbox.into());
        self
    }

    /// A service account (`client_email`) whose assertions are checked with `public_key_pem`
    /// (RS256): the JWT-bearer grant.
    pub fn service_account(
        mut self,
        client_email: impl Into<String>,
        public_key_pem: impl Into<String>,
    ) -> Self {
        self.service_accounts
            .insert(client_email.into(), public_key_pem.into());
        self
    }

    /// The one mailbox the app-only tokens of client `id` may act as, as Exchange Online
    /// allows an app's service principal on the mailboxes it was given (`Add-MailboxPermission`);
    /// introspection names it as the token's `username`, which a server such as Dovecot's
    /// `oauth2` passdb compares with the login. Without one, an app-only token may act as any
    /// mailbox and introspection names none.
    pub fn app_mailbox(mut self, id: impl Into<String>, mailbox: impl Into<String>) -> Self {
        self.app_mailboxes.insert(id.into(), mailbox.into());
        self
    }

    /// How long an access token lasts, as `expires_in` says (default one hour).
    pub fn lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = Some(lifetime);
        self
    }

    /// Whether each refresh-token grant answers with a new refresh token and retires the old
    /// one, as Microsoft's endpoint does (default `false`).
    pub fn rotate_refresh_tokens(mut self, rotate: bool) -> Self {
        self.rotate = rotate;
        self
    }

    /// Binds `127.0.0.1:0` and serves on a task of the current tokio runtime.
    pub async fn start(self) -> io::Result<TokenEndpoint> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Shared {
            config: self,
            addr,
            requests: AtomicU64::new(0),
            introspections: AtomicU64::new(0),
            issued: Mutex::new(Issued::default()),
        });
        let serving = Arc::clone(&state);
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let state = Arc::clone(&serving);
                tokio::spawn(async move {
                    let _ = serve(tcp, &state).await;
                });
            }
        });
        Ok(TokenEndpoint { addr, state, task })
    }
}

struct Shared {
    config: TokenEndpointBuilder,
    addr: SocketAddr,
    requests: AtomicU64,
    introspections: AtomicU64,
    issued: Mutex<Issued>,
}

#[derive(Default)]
struct Issued {
    /// Access token → (mailbox it may act as, `None` for app-only; expiry).
    tokens: HashMap<String, (Option<String>, Instant)>,
    /// Refresh tokens issued by rotation → mailbox.
    refresh: HashMap<String, String>,
    /// Refresh tokens retired by rotation.
    retired: Vec<String>,
    /// The answer to give to the next requests instead of a token, and how many times.
    failures: Vec<(u16, String)>,
    counter: u64,
}

impl Shared {
    fn issued(&self) -> MutexGuard<'_, Issued> {
        self.issued.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl TokenEndpoint {
    /// How every access token it issues starts, so that a test can search its output for any
    /// of them (`tests/tests/secret_sweep_oauth2.rs`).
    pub const TOKEN_PREFIX: &'static str = "mcAT~";

    /// Starts configuring one.
    pub fn builder() -> TokenEndpointBuilder {
        TokenEndpointBuilder::default()
    }

    /// The token URL (`http://127.0.0.1:PORT/token`; any path is served).
    pub fn url(&self) -> String {
        format!("http://{}/token", self.addr)
    }

    /// Its token introspection URL (RFC 7662, `POST token=…`), for servers that check a
    /// bearer through it (the aiosmtpd interop suite, Dovecot's `oauth2` passdb): it answers
    /// `{"active": true, "username": mailbox, "exp": …}` for a current token, else
    /// `{"active": false}`. Introspections are not counted in [`requests`](Self::requests), but in
    /// [`introspections`](Self::introspections).
    pub fn introspection_url(&self) -> String {
        format!("http://{}/introspect", self.addr)
    }

    /// Token requests answered so far, failed ones included.
    pub fn requests(&self) -> u64 {
        self.state.requests.load(Ordering::SeqCst)
    }

    /// Introspection requests answered so far: how often a server checked a bearer here.
    pub fn introspections(&self) -> u64 {
        self.state.introspections.load(Ordering::SeqCst)
    }

    /// Whether `token` is a current token that may act as `mailbox` (an app-only token may
    /// act as any).
    pub fn accepts(&self, mailbox: &str, token: &str) -> bool {
        accepts(&self.state, mailbox, token)
    }

    /// A check for [`DevServerBuilder::xoauth2`](super::DevServerBuilder::xoauth2).
    pub fn verifier(&self) -> impl Fn(&str, &str) -> bool + Send + Sync + 'static {
        let state = Arc::clone(&self.state);
        move |mailbox: &str, token: &str| accepts(&state, mailbox, token)
    }

    /// A token for `mailbox` lasting `lifetime`, issued without a grant, as a sidecar that keeps
    /// `MAIL_ACCESS_TOKEN_FILE` fresh would have fetched it. Not counted in
    /// [`requests`](Self::requests).
    pub fn issue(&self, mailbox: &str, lifetime: Duration) -> String {
        issue(&self.state, Some(mailbox.to_owned()), lifetime)
    }

    /// Makes every token issued so far invalid, as a revocation or a key rollover would.
    pub fn revoke_all(&self) {
        self.state.issued().tokens.clear();
    }

    /// Answers the next request with HTTP `status` and the JSON `body`, instead of a token.
    pub fn fail_next(&self, status: u16, body: impl Into<String>) {
        self.state.issued().failures.push((status, body.into()));
    }

    /// Stops serving.
    pub fn shutdown(self) {
        self.task.abort();
    }
}

impl Drop for TokenEndpoint {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl fmt::Debug for TokenEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenEndpoint")
            .field("url", &self.url())
            .field("requests", &self.requests())
            .finish_non_exhaustive()
    }
}

fn accepts(state: &Shared, mailbox: &str, token: &str) -> bool {
    let issued = state.issued();
    issued
        .tokens
        .get(token)
        .is_some_and(|(for_mailbox, expiry)| {
            Instant::now() < *expiry
                && for_mailbox
                    .as_deref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(mailbox))
        })
}

/// RFC 7662's answer for `token`. An app-only token has no user: `username` is absent.
fn introspect(state: &Shared, token: &str) -> String {
    let issued = state.issued();
    match issued.tokens.get(token) {
        Some((mailbox, expiry)) if Instant::now() < *expiry => {
            let left = expiry.saturating_duration_since(Instant::now()).as_secs();
            let exp = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
                + left;
            let mut answer = serde_json::json!({ "active": true, "exp": exp });
            if let Some(mailbox) = mailbox {
                answer["username"] = serde_json::Value::String(mailbox.clone());
            }
            answer.to_string()
        }
        _ => r#"{"active":false}"#.to_owned(),
    }
}

async fn serve(tcp: TcpStream, state: &Shared) -> io::Result<()> {
    let mut io = BufReader::new(tcp);
    let mut head = String::new();
    let mut content_length = 0usize;
    loop {
        let mut line = String::new();
        if io.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        head.push_str(&line);
        if head.len() > MAX_HEAD {
            return respond(&mut io, 431, "{}").await;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            content_length = value.trim().parse().unwrap_or(usize::MAX);
        }
    }
    if !head.starts_with("POST ") {
        return respond(
            &mut io,
            405,
            r#"{"error":"invalid_request","error_description":"POST only"}"#,
        )
        .await;
    }
    if content_length > MAX_BODY {
        return respond(&mut io, 413, "{}").await;
    }
    let mut body = vec![0; content_length];
    io.read_exact(&mut body).await?;
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let path = head.split_ascii_whitespace().nth(1).unwrap_or_default();
    if path.ends_with("/introspect") {
        state.introspections.fetch_add(1, Ordering::SeqCst);
        let answer = introspect(state, form.get("token").map_or("", String::as_str));
        return respond(&mut io, 200, &answer).await;
    }
    state.requests.fetch_add(1, Ordering::SeqCst);
    let (status, answer) = grant(state, &form);
    respond(&mut io, status, &answer).await
}

async fn respond(io: &mut BufReader<TcpStream>, status: u16, body: &str) -> io::Result<()> {
    let reason = if status == 200 { "OK" } else { "Error" };
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nCache-Control: no-store\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    io.get_mut().write_all(response.as_bytes()).await?;
    io.get_mut().shutdown().await
}

fn error(status: u16, code: &str, description: &str) -> (u16, String) {
    let body = serde_json::json!({ "error": code, "error_description": description });
    (status, body.to_string())
}

/// The answer to one token request.
fn grant(state: &Shared, form: &HashMap<String, String>) -> (u16, String) {
    if let Some(failure) = {
        let mut issued = state.issued();
        (!issued.failures.is_empty()).then(|| issued.failures.remove(0))
    } {
        return failure;
    }
    let config = &state.config;
    let field = |name: &str| form.get(name).map(String::as_str);
    let client = || -> Result<(), (u16, String)> {
        let id = field("client_id").unwrap_or_default();
        match (config.clients.get(id), field("client_secret")) {
            (None, _) => Err(error(
                400,
                "unauthorized_client",
                &format!(
                    "AADSTS700016: Application with identifier '{id}' was not found in the directory."
                ),
            )),
            (Some(secret), Some(given)) if secret == given => Ok(()),
            (Some(_), Some(_)) => Err(error(
                401,
                "invalid_client",
                "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
            )),
            (Some(_), None) => Err(error(
                401,
                "invalid_client",
                "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
            )),
        }
    };
    let mailbox: Option<String>;
    let mut new_refresh = None;
    match field("grant_type").unwrap_or_default() {
        "client_credentials" => {
            if let Err(e) = client() {
                return e;
            }
            mailbox = config
                .app_mailboxes
                .get(field("client_id").unwrap_or_default())
                .cloned();
        }
        "refresh_token" => {
            let id = field("client_id").unwrap_or_default();
            if !config.clients.contains_key(id) {
                return error(
                    400,
                    "unauthorized_client",
                    &format!(
                        "AADSTS700016: Application with identifier '{id}' was not found in the directory."
                    ),
                );
            }
            if field("client_secret").is_some()
                && let Err(e) = client()
            {
                return e;
            }
            let given = field("refresh_token").unwrap_or_default();
            let mut issued = state.issued();
            let user = if issued.retired.iter().any(|r| r == given) {
                None
            } else {
                config
                    .refresh_tokens
                    .get(given)
                    .or_else(|| issued.refresh.get(given))
                    .cloned()
            };
            let Some(user) = user else {
                return error(
                    400,
                    "invalid_grant",
                    "AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.",
                );
            };
            if config.rotate {
                issued.counter += 1;
                let next = format!("mcRT~{}~{:016x}", issued.counter, fastrand::u64(..));
                issued.retired.push(given.to_owned());
                issued.refresh.insert(next.clone(), user.clone());
                new_refresh = Some(next);
            }
            mailbox = Some(user);
        }
        "urn:ietf:params:oauth:grant-type:jwt-bearer" => {
            match assertion(state, field("assertion").unwrap_or_default()) {
                Ok(sub) => mailbox = Some(sub),
                Err(e) => return e,
            }
        }
        other => {
            return error(
                400,
                "unsupported_grant_type",
                &format!("grant_type {other} is not supported"),
            );
        }
    }
    let lifetime = config.lifetime.unwrap_or(Duration::from_secs(3600));
    let token = issue(state, mailbox, lifetime);
    let mut body = serde_json::json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": lifetime.as_secs(),
    });
    if let Some(refresh) = new_refresh {
        body["refresh_token"] = serde_json::Value::String(refresh);
    }
    (200, body.to_string())
}

/// A new access token for `mailbox` (`None`: app-only), current for `lifetime`.
fn issue(state: &Shared, mailbox: Option<String>, lifetime: Duration) -> String {
    let mut issued = state.issued();
    issued.counter += 1;
    let token = format!(
        "{}{}~{:016x}",
        TokenEndpoint::TOKEN_PREFIX,
        issued.counter,
        fastrand::u64(..)
    );
    issued
        .tokens
        .insert(token.clone(), (mailbox, Instant::now() + lifetime));
    token
}

#[derive(Deserialize)]
struct Claims {
    iss: String,
    sub: String,
    scope: String,
}

/// Checks a service account's assertion: signature, issuer, audience (this endpoint),
/// expiry; returns the mailbox (`sub`).
fn assertion(state: &Shared, jwt: &str) -> Result<String, (u16, String)> {
    let invalid = |why: &str| error(400, "invalid_grant", why);
    let unverified: Claims = {
        let payload = jwt.split('.').nth(1).unwrap_or_default();
        let bytes = base64_url(payload).ok_or_else(|| invalid("Invalid JWT: not a JWT"))?;
        serde_json::from_slice(&bytes).map_err(|_| invalid("Invalid JWT: claims missing"))?
    };
    let key = state
        .config
        .service_accounts
        .get(&unverified.iss)
        .ok_or_else(|| error(401, "invalid_client", "The OAuth client was not found."))?;
    let key = DecodingKey::from_rsa_pem(key.as_bytes())
        .map_err(|_| invalid("the test endpoint's public key is not RSA PEM"))?;
    let mut validation = Validation::new(Algorithm::RS256);
    let url = format!("http://{}/token", state.addr);
    validation.set_audience(&[url.as_str()]);
    validation.set_issuer(&[unverified.iss.as_str()]);
    let claims = jsonwebtoken::decode::<Claims>(jwt, &key, &validation)
        .map_err(|_| invalid("Invalid JWT Signature."))?
        .claims;
    if claims.scope.split_whitespace().next().is_none() {
        return Err(error(400, "invalid_scope", "no scope"));
    }
    Ok(claims.sub)
}

fn base64_url(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .ok()
}
