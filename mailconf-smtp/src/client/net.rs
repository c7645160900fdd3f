//! Name lookup, the TCP connection, the EHLO name and the login mechanisms, as a send and a
//! probe both use them.

use std::net::SocketAddr;

use lettre::transport::smtp::authentication::Mechanism;
use lettre::transport::smtp::extension::ClientId;
use mailconf_core::Host;
use tokio::net::TcpStream;

use super::failure::Failure;
use crate::Stage;

/// PLAIN first: one round trip, and what nearly every server offers.
pub(crate) const MECHANISMS: &[Mechanism] = &[Mechanism::Plain, Mechanism::Login];

/// The name sent with EHLO.
pub(crate) fn client_id(host: Host) -> ClientId {
    match host {
        Host::Domain(name) => ClientId::Domain(name),
        Host::Ipv4(ip) => ClientId::Ipv4(ip),
        Host::Ipv6(ip) => ClientId::Ipv6(ip),
    }
}

/// The addresses of `host`; a name without any is an error too.
pub(crate) async fn resolve(host: &str, port: u16) -> Result<Vec<SocketAddr>, Failure> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| Failure::dns(format!("cannot resolve {host}: {e}")))?
        .collect();
    if addrs.is_empty() {
        return Err(Failure::dns(format!("{host} has no address")));
    }
    Ok(addrs)
}

/// A TCP connection to the first of `addrs` that accepts; otherwise the last one's error.
pub(crate) async fn tcp_connect(addrs: &[SocketAddr]) -> Result<(TcpStream, SocketAddr), Failure> {
    let mut last_error = None;
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(stream) => return Ok((stream, *addr)),
            Err(e) => last_error = Some((*addr, e)),
        }
    }
    match last_error {
        Some((addr, e)) => {
            let detail = format!("cannot connect to {addr}: {e}");
            Err(Failure::io(Stage::Connect, &e, detail))
        }
        None => Err(Failure::dns("no address to connect to".to_owned())),
    }
}
