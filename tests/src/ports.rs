//! Free loopback ports for the servers the tests start.

use std::net::{Ipv4Addr, TcpListener};

/// `count` ports free on 127.0.0.1 a moment ago, held open together so that no two are the same.
///
/// # Panics
/// When no port can be bound.
#[must_use]
pub fn free_ports(count: usize) -> Vec<u16> {
    let listeners: Vec<TcpListener> = (0..count)
        .map(|_| TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a free port on 127.0.0.1"))
        .collect();
    listeners
        .iter()
        .map(|l| l.local_addr().expect("local address").port())
        .collect()
}

/// One port free on 127.0.0.1 a moment ago.
///
/// # Panics
/// As [`free_ports`].
#[must_use]
pub fn free_port() -> u16 {
    free_ports(1)[0]
}
