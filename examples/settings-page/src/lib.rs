//! A settings page for mailconf's SMTP settings (fastapi-mail's `MAIL_*` variables).
//!
//! [`app`] is the whole web application: the page (HTML, CSS and JavaScript compiled into the
//! binary), the JSON Schema the form is generated from, and a JSON API that validates settings
//! with mailconf (every problem at once), saves them atomically to a `.env` file, and probes
//! the SMTP server they describe. The `settings-page` binary only parses options and serves it.
//!
//! Access control: every `/api/` request needs the admin token (`Authorization: Bearer ...`),
//! a trusted `Host`, and for `POST` a same-origin `Origin`; wrong tokens are rate-limited per
//! client. Probes reach only allow-listed hosts on SMTP ports, file-path settings only files in
//! `--files-dir`. Every admin action is logged (target `settings_page::audit`) without values.
//! The password is written to the `.env` file and never sent back.
//!
//! The page and the API's messages are in English or Korean: the visitor's choice (the page's
//! switch, `/?lang=ko`, kept in a cookie) over the browser's `Accept-Language`.

mod audit;
mod auth;
mod files;
mod lang;
mod metrics;
mod probe;
mod redact;
mod routes;
mod store;

use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::middleware::{from_fn, from_fn_with_state, map_response};
use axum::response::Response;
use axum::routing::{get, post};
use tokio::net::TcpListener;

pub use metrics::serve_metrics;

/// Largest request body accepted; larger ones get `413`. Settings are a few hundred bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// How the page is started: the command-line options of the binary.
#[derive(Clone)]
pub struct Options {
    /// The `.env` file the settings are saved to (created on the first save).
    pub env_file: PathBuf,
    /// The admin token every `/api/` request must present; at least 16 characters.
    pub token: String,
    /// The only SMTP hosts `POST /api/config/test` may contact, as host names or IP addresses.
    pub allow_hosts: Vec<String>,
    /// Extra origins (such as `https://mail-admin.example.com`) the page is reached under,
    /// e.g. behind a reverse proxy; the bound address is always accepted.
    pub origins: Vec<String>,
    /// The folder file-path settings (`MAIL_PASSWORD_FILE`, `MAIL_CA_FILE`, …) from the form
    /// must name a file in; `None`: the form cannot set them.
    pub files_dir: Option<PathBuf>,
    /// Ports the connection test may contact besides the SMTP ports 25, 465, 587 and 2525.
    pub allow_ports: Vec<u16>,
}

// The token stays out of logs and panic messages.
impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("env_file", &self.env_file)
            .field("token", &"[redacted]")
            .field("allow_hosts", &self.allow_hosts)
            .field("origins", &self.origins)
            .field("files_dir", &self.files_dir)
            .field("allow_ports", &self.allow_ports)
            .finish()
    }
}

/// Options that cannot be used, with what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionsError(String);

impl fmt::Display for OptionsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OptionsError {}

/// Everything the handlers share; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    token: auth::Token,
    access: auth::Access,
    store: store::Store,
    allow: probe::AllowList,
    ports: probe::Ports,
    files: files::FilesDir,
    throttle: auth::Throttle,
}

impl AppState {
    /// Checks `options` for the server listening on `bound`. The address decides which `Host`
    /// and `Origin` headers are accepted, so pass the listener's real address (after binding
    /// port 0, its `local_addr`).
    pub fn new(options: Options, bound: SocketAddr) -> Result<AppState, OptionsError> {
        let token = auth::Token::new(options.token)?;
        let access = auth::Access::new(bound, &options.origins)?;
        let allow = probe::AllowList::new(&options.allow_hosts)?;
        let files = files::FilesDir::new(options.files_dir.as_deref())?;
        if options.env_file.as_os_str().is_empty() {
            return Err(OptionsError("--env-file must name a file".to_owned()));
        }
        Ok(AppState {
            inner: Arc::new(Inner {
                token,
                access,
                store: store::Store::new(options.env_file),
                allow,
                ports: probe::Ports::new(&options.allow_ports),
                files,
                throttle: auth::Throttle::new(),
            }),
        })
    }
}

impl fmt::Debug for AppState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppState")
            .field("env_file", &self.inner.store.path())
            .field("allow_hosts", &self.inner.allow)
            .finish_non_exhaustive()
    }
}

/// The web application: the page at `/`, its assets, and the JSON API under `/api/`.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/schema", get(routes::schema))
        .route("/config", get(routes::get_config).post(routes::save_config))
        .route("/config/test", post(routes::test_config))
        .fallback(routes::api_not_found)
        .method_not_allowed_fallback(routes::api_method_not_allowed)
        .layer(from_fn_with_state(state.clone(), auth::guard))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(from_fn(routes::localize))
        .layer(map_response(no_store));
    Router::new()
        .route("/", get(routes::index))
        .route("/app.js", get(routes::script))
        .route("/words.js", get(routes::words))
        .route("/style.css", get(routes::style))
        .route("/favicon.ico", get(routes::favicon))
        .nest("/api", api)
        .fallback(routes::not_found)
        .layer(map_response(security_headers))
        .with_state(state)
}

/// Serves [`app`] on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The peer address identifies the client for the audit log and the rate limit.
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
}

/// No inline script or style can run (an injected value cannot become code), the page cannot
/// be framed, and no URL leaks through `Referer`.
async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    response
}

/// API answers hold settings: no cache may keep them.
async fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
