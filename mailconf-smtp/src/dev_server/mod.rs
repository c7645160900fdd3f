//! A loopback SMTP server that catches mail, for tests and local development.
//!
//! [`DevServer`] accepts mail on `127.0.0.1` (by default on an ephemeral port) and keeps every
//! message in memory, so a test can send through a real SMTP client and then assert on what
//! arrived: envelope, headers, body, who logged in and whether the connection was encrypted.
//!
//! SMTP commands are parsed by the [`mailin`] state machine; this module owns the socket, the
//! STARTTLS upgrade and implicit TLS, the AUTH policy and the resource limits.
//!
//! TLS uses a throw-away certificate authority generated at start-up. Its certificate is
//! available from [`DevServer::ca_pem`]; the server certificate it signs is valid for
//! `localhost`, `127.0.0.1` and `::1`, so a client that trusts that CA can verify the server
//! normally instead of disabling certificate checks.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use std::time::Duration;
//! use mailconf_smtp::dev_server::{DevServer, DevTls};
//!
//! let server = DevServer::builder()
//!     .tls(DevTls::StartTls)
//!     .user("app", "s3cret")
//!     .start()
//!     .await?;
//! // Send to 127.0.0.1:{server.port()}, trusting server.ca_pem() for the name "localhost" ...
//! let caught = server.wait_for_messages(1, Duration::from_secs(5)).await;
//! assert_eq!(caught.len(), 1);
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! Limits, so a misbehaving client cannot exhaust memory or hold a connection forever: a
//! command line may be 16 KiB and a message line 64 KiB (longer lines get `500` and the
//! connection is closed), a message may be 10 MiB by default (`552`), and every line must
//! arrive within the idle timeout, 60 s by default (`421`).
//!
//! Known gaps inherited from `mailin`: the null reverse path `MAIL FROM:<>` and `MAIL`/`RCPT`
//! parameters other than `BODY=7BIT|8BITMIME` are rejected as syntax errors, and a rejected
//! message (`552`) ends the connection because `mailin` cannot leave its DATA state after one.
//!
//! Passwords live only in the server's user table and are never logged. `mailin` logs every
//! line it is given at `log` TRACE level (target `mailin`), so the connection loop checks the
//! password of an AUTH exchange itself and hands `mailin` the exchange without it: the TRACE
//! log shows `AUTH PLAIN` with `\0user\0` only, and a dash in place of an AUTH LOGIN password
//! (tests/tests/secret_sweep.rs in the workspace checks this).
#![warn(missing_docs)]

mod builder;
mod certs;
mod handler;
mod mailbox;
mod message;
mod server;
mod session;
#[cfg(feature = "oauth2")]
mod token_endpoint;
mod xoauth2;

pub use builder::DevServerBuilder;
pub use certs::DevCertificates;
pub use message::ReceivedMessage;
pub use server::DevServer;
#[cfg(feature = "oauth2")]
pub use token_endpoint::{TokenEndpoint, TokenEndpointBuilder};

/// How a [`DevServer`] protects its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DevTls {
    /// Plaintext only; STARTTLS is not offered.
    None,
    /// Plaintext greeting, upgraded with STARTTLS (the submission-port style, usually 587).
    StartTls,
    /// TLS from the first byte (the submissions-port style, usually 465).
    Implicit,
}
