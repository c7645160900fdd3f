//! Telling a port that waits for TLS from a server that is slow to greet, in about 2 s instead
//! of the whole timeout.
//!
//! A STARTTLS (or plain) client on an implicit-TLS port waits for a greeting that never comes,
//! while the server waits for a TLS `ClientHello`: both sit until a timeout. When a port stays
//! silent for [`QUIET`], a second connection offers it a TLS handshake; if that is answered,
//! the mode is wrong and the caller reports it at once. Until then, and if the handshake is
//! not answered, the first connection keeps waiting for its greeting as before.

// `AsyncNetworkStream` is public but deprecated ("not meant to be public"); it runs lettre's
// own rustls handshake on a connection of ours, which is all the check needs.
#![allow(deprecated)]

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use lettre::transport::smtp::client::{AsyncNetworkStream, TlsParameters};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// How long a server may stay silent after the TCP connection before the check. Servers
/// greet within milliseconds; one that waits for a DNS lookup of the client can take a second.
pub(crate) const QUIET: Duration = Duration::from_secs(2);

/// A bound for the check's handshake, which the caller's own timeout may cut shorter.
const HANDSHAKE: Duration = Duration::from_secs(5);

/// What the server did after the TCP connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FirstWords {
    /// `first` completed: the server spoke (or hung up); the caller reads on as usual.
    Spoke,
    /// Silent for [`QUIET`] while a second connection was answered with a TLS handshake.
    WaitsForTls,
}

/// Waits for `first` (the server's first bytes); after [`QUIET`] of silence, also asks `addr`
/// whether it speaks TLS, as `host`. Returns as soon as either tells.
pub(crate) async fn first_words(
    first: impl Future<Output = ()>,
    addr: SocketAddr,
    host: &str,
) -> FirstWords {
    tokio::pin!(first);
    if timeout(QUIET, &mut first).await.is_ok() {
        return FirstWords::Spoke;
    }
    tokio::select! {
        () = &mut first => FirstWords::Spoke,
        tls = answers_tls(addr, host) => {
            if tls {
                FirstWords::WaitsForTls
            } else {
                first.await;
                FirstWords::Spoke
            }
        }
    }
}

/// Whether a new connection to `addr` completes a TLS handshake (any certificate goes: only
/// the protocol matters, and nothing is sent over it) or is refused with a TLS alert.
async fn answers_tls(addr: SocketAddr, host: &str) -> bool {
    let Ok(parameters) = TlsParameters::builder(host.to_owned())
        .dangerous_accept_invalid_certs(true)
        .dangerous_accept_invalid_hostnames(true)
        .build_rustls()
    else {
        return false;
    };
    let handshake = async {
        let tcp = TcpStream::connect(addr).await.ok()?;
        let mut stream = AsyncNetworkStream::use_existing_tokio1(Box::new(tcp));
        Some(match stream.upgrade_tls(parameters).await {
            Ok(()) => true,
            // An alert is a TLS server declining this client (a client certificate, say).
            Err(e) => e.to_string().contains("alert"),
        })
    };
    let answered = timeout(HANDSHAKE, handshake).await;
    tracing::debug!(%addr, answered = ?answered, "TLS check of a silent port");
    matches!(answered, Ok(Some(true)))
}
