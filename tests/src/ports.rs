//! Free loopback ports for the servers the tests start.

use std::collections::BTreeSet;
use std::net::{Ipv4Addr, TcpListener};
use std::sync::{Mutex, PoisonError};

/// `count` ports free on 127.0.0.1 a moment ago, held open together so that no two are the same,
/// and never one this process was given before: two tests of one binary run at once, and the
/// kernel may give a port the first freed to the second before the first's server binds it
/// (seen as a metrics exporter that could not bind its "free" address).
///
/// # Panics
/// When no port can be bound.
#[must_use]
pub fn free_ports(count: usize) -> Vec<u16> {
    static GIVEN: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());
    let mut given = GIVEN.lock().unwrap_or_else(PoisonError::into_inner);
    let mut held = Vec::new();
    let mut ports = Vec::new();
    while ports.len() < count {
        let listener =
            TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a free port on 127.0.0.1");
        let port = listener.local_addr().expect("local address").port();
        if given.insert(port) {
            ports.push(port);
        }
        // Held until all are found, so that the kernel gives another one each time.
        held.push(listener);
    }
    ports
}

/// One port free on 127.0.0.1 a moment ago.
///
/// # Panics
/// As [`free_ports`].
#[must_use]
pub fn free_port() -> u16 {
    free_ports(1)[0]
}
