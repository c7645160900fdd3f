//! Opening one authenticated SMTP session: resolve, TCP, greeting, TLS, login.
//!
//! For plain and STARTTLS connections the TCP connection is made here, so a refused connection
//! (stage Connect) is told apart from a server that never greets (the TLS-mode mix-up). For
//! implicit TLS, lettre does TCP and the handshake in one call.

use std::net::SocketAddr;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::Starttls;
use lettre::transport::smtp::extension::{ClientId, Extension};
use tokio::time::Instant;

use super::error::Stage;
use crate::client::dialogue;
use crate::client::{Failure, FirstWords, MECHANISMS, Progress, first_words, resolve, tcp_connect};

/// How the connection is protected, with the TLS parameters where TLS is used.
pub(super) enum Mode {
    Plain,
    /// STARTTLS is required: a server that does not offer it is refused (lettre's
    /// `Tls::Required`, never `Opportunistic`).
    StartTls(TlsParameters),
    Implicit(TlsParameters),
}

/// How a session logs in.
pub(super) enum Login {
    /// Not at all (`USE_CREDENTIALS=false`).
    None,
    /// AUTH PLAIN or LOGIN with a password.
    Password(Credentials),
    /// AUTH XOAUTH2 with an OAuth2 access token.
    #[cfg(feature = "oauth2")]
    OAuth2(Box<crate::oauth2::TokenSource>),
}

impl Login {
    pub(super) fn is_some(&self) -> bool {
        !matches!(self, Login::None)
    }
}

pub(super) struct Connector {
    pub(super) host: String,
    pub(super) port: u16,
    pub(super) mode: Mode,
    pub(super) hello: ClientId,
    pub(super) login: Login,
}

impl Connector {
    /// Opens a session, logged in if there are credentials; `progress` records each step
    /// so that a timeout can say where it struck.
    pub(super) async fn open(
        &self,
        progress: &mut Progress,
        deadline: Instant,
    ) -> Result<AsyncSmtpConnection, Failure> {
        progress.stage = Stage::Connect;
        let addrs = self.resolve().await?;
        let mut conn = match &self.mode {
            Mode::Implicit(tls) => {
                let remaining = deadline.saturating_duration_since(Instant::now());
                let conn = AsyncSmtpConnection::connect_tokio1(
                    addrs.as_slice(),
                    Some(remaining),
                    &self.hello,
                    Some(tls.clone()),
                    None,
                )
                .await
                .map_err(|e| Failure::implicit_connect(&e))?;
                progress.tcp_connected = true;
                progress.greeted = true;
                dialogue::note(format_args!(
                    "connected with TLS to {}:{}; EHLO: {}",
                    self.host,
                    self.port,
                    conn.server_info()
                ));
                conn
            }
            Mode::Plain | Mode::StartTls(_) => self.open_plain(&addrs, progress).await?,
        };
        tracing::debug!(host = %self.host, port = self.port, "SMTP session opened");
        if let Mode::StartTls(tls) = &self.mode {
            progress.stage = Stage::Tls;
            // lettre refuses when STARTTLS is not advertised: the session is dropped, nothing
            // is ever sent in plain text.
            dialogue::sent(&Starttls);
            conn.starttls(tls.clone(), &self.hello)
                .await
                .map_err(|e| Failure::smtp(Stage::Tls, &e))?;
            dialogue::note(format_args!(
                "TLS established; EHLO: {}",
                conn.server_info()
            ));
            tracing::debug!(host = %self.host, "STARTTLS done");
        }
        progress.starttls_offered = Some(conn.server_info().supports_feature(Extension::StartTls));
        #[cfg(feature = "oauth2")]
        if let Login::OAuth2(source) = &self.login {
            crate::client::xoauth2::login(&mut conn, source, progress).await?;
            tracing::debug!(host = %self.host, "logged in with XOAUTH2");
        }
        if let Login::Password(credentials) = &self.login {
            progress.stage = Stage::Auth;
            if let Some(mechanism) = conn.server_info().get_auth_mechanism(MECHANISMS) {
                dialogue::auth(mechanism);
            }
            let reply = conn
                .auth(MECHANISMS, credentials)
                .await
                .map_err(|e| Failure::smtp(Stage::Auth, &e))?;
            dialogue::received(&reply);
            tracing::debug!(host = %self.host, "logged in");
        }
        Ok(conn)
    }

    async fn resolve(&self) -> Result<Vec<SocketAddr>, Failure> {
        resolve(&self.host, self.port).await
    }

    async fn open_plain(
        &self,
        addrs: &[SocketAddr],
        progress: &mut Progress,
    ) -> Result<AsyncSmtpConnection, Failure> {
        let (tcp, addr) = tcp_connect(addrs).await?;
        // SMTP is lock-step request/reply; Nagle would only add latency.
        let _ = tcp.set_nodelay(true);
        progress.tcp_connected = true;
        // lettre reads the greeting and does EHLO in one call. The greeting's first byte tells
        // a server that never speaks first (an implicit-TLS port) from one that greets and then
        // stalls, so a timeout's hint does not blame the TLS mode for the latter; a port that
        // stays silent but answers TLS on a second connection is reported at once.
        let mut spoke = false;
        let first = async { spoke = tcp.peek(&mut [0u8; 1]).await.is_ok_and(|n| n > 0) };
        if first_words(first, addr, &self.host).await == FirstWords::WaitsForTls {
            return Err(Failure::waits_for_tls(addr));
        }
        progress.greeted = spoke;
        let conn = AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello)
            .await
            .map_err(|e| Failure::smtp(Stage::Connect, &e))?;
        progress.greeted = true;
        dialogue::note(format_args!(
            "connected to {addr}; EHLO: {}",
            conn.server_info()
        ));
        Ok(conn)
    }
}
