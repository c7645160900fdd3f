//! `mailconf dev-server --web ADDR`: a browser inbox of the caught messages, on loopback only.
//!
//! The page lists the messages (new ones appear without a reload: it polls the JSON API) and
//! shows one's HTML in a sandboxed iframe whose Content-Security-Policy allows no script and no
//! network access (inline images are rewritten to data: URLs), its text part, its headers, its
//! raw source, and its attachments for download. `GET /api/messages` is the list as JSON.

mod view;

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use mailconf_smtp::dev_server::ReceivedMessage;

use view::Caught;

const PAGE: &str = include_str!("page.html");
const SCRIPT: &str = include_str!("app.js");

/// The page may load its own script and call its own API, nothing else.
const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; \
                        connect-src 'self'; frame-src 'self'; img-src 'self'";
/// A message's HTML: no script, no network, no forms; only inline styles and data: images.
const MESSAGE_CSP: &str = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; \
                           font-src data:; sandbox";

/// Why `--web` takes only a loopback address.
pub fn not_loopback(addr: SocketAddr) -> mailconf_core::Message {
    mailconf_core::Message::new("cli-inbox-not-loopback").arg("addr", addr.to_string())
}

/// At most this many messages are kept; the oldest go first.
const KEEP: usize = 1000;

/// The caught messages, shared by the SMTP side and the web side.
#[derive(Clone, Default)]
pub struct Inbox {
    messages: Arc<RwLock<Vec<Caught>>>,
}

impl Inbox {
    /// Keeps a message the dev server received.
    pub fn push(&self, message: &ReceivedMessage) {
        let mut messages = self
            .messages
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let id = messages.last().map_or(1, |m| m.id + 1);
        if messages.len() >= KEEP {
            messages.remove(0);
        }
        messages.push(Caught {
            id,
            received: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            mail_from: message.mail_from.clone(),
            rcpt_to: message.rcpt_to.clone(),
            data: message.data.clone(),
        });
    }

    fn get(&self, id: u64) -> Option<Caught> {
        self.messages
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .find(|m| m.id == id)
            .cloned()
    }

    fn all(&self) -> Vec<Caught> {
        self.messages
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

/// Binds `addr` (a loopback address) and serves the inbox in the background; returns the
/// address it listens on.
pub async fn serve(addr: SocketAddr, inbox: Inbox) -> std::io::Result<SocketAddr> {
    if !addr.ip().is_loopback() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            not_loopback(addr).to_string(),
        ));
    }
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let app = Router::new()
        .route("/", get(page))
        .route("/app.js", get(script))
        .route("/api/messages", get(list))
        .route("/api/messages/{id}", get(detail))
        .route("/api/messages/{id}/html", get(html))
        .route("/api/messages/{id}/raw", get(raw))
        .route("/api/messages/{id}/attachments/{index}", get(attachment))
        .with_state(inbox);
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            eprintln!("error: the web inbox stopped: {e}");
        }
    });
    Ok(local)
}

fn with_headers(body: impl IntoResponse, headers: &[(header::HeaderName, &str)]) -> Response {
    let mut response = body.into_response();
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_str(value) {
            response.headers_mut().insert(name.clone(), value);
        }
    }
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

async fn page() -> Response {
    with_headers(
        PAGE,
        &[
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, PAGE_CSP),
        ],
    )
}

async fn script() -> Response {
    with_headers(
        SCRIPT,
        &[(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
    )
}

async fn list(State(inbox): State<Inbox>) -> Json<Vec<view::Summary>> {
    Json(inbox.all().iter().rev().map(Caught::summary).collect())
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "no such message").into_response()
}

async fn detail(State(inbox): State<Inbox>, Path(id): Path<u64>) -> Response {
    inbox
        .get(id)
        .map_or_else(not_found, |m| Json(m.detail()).into_response())
}

async fn html(State(inbox): State<Inbox>, Path(id): Path<u64>) -> Response {
    match inbox.get(id).and_then(|m| m.html()) {
        Some(html) => with_headers(
            html,
            &[
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CONTENT_SECURITY_POLICY, MESSAGE_CSP),
            ],
        ),
        None => not_found(),
    }
}

async fn raw(State(inbox): State<Inbox>, Path(id): Path<u64>) -> Response {
    match inbox.get(id) {
        Some(m) => with_headers(
            m.data,
            &[(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        ),
        None => not_found(),
    }
}

async fn attachment(State(inbox): State<Inbox>, Path((id, index)): Path<(u64, usize)>) -> Response {
    match inbox.get(id).and_then(|m| m.attachment(index)) {
        Some((name, content_type, bytes)) => {
            let disposition = format!(
                "attachment; filename=\"{}\"; filename*=UTF-8''{}",
                ascii_fallback(&name),
                percent_encode(&name)
            );
            with_headers(
                bytes,
                &[
                    (header::CONTENT_TYPE, &content_type),
                    (header::CONTENT_DISPOSITION, &disposition),
                ],
            )
        }
        None => not_found(),
    }
}

fn ascii_fallback(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// RFC 5987 `attr-char`s kept, every other byte percent-encoded.
fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
