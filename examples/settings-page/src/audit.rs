//! The audit log: every admin action, who did it, which keys it changed; never a value.
//!
//! Records are `tracing` events with the target `settings_page::audit`, so that they go wherever
//! the binary's subscriber sends logs (standard error by default).

use std::fmt;
use std::net::IpAddr;

/// Who sent a request: the peer address of the connection (`None` in-process, without a
/// socket). Set by the guard on every API request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Client(pub(crate) Option<IpAddr>);

impl fmt::Display for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(ip) => write!(f, "{ip}"),
            None => f.write_str("in-process"),
        }
    }
}

/// Records `action` by `client`; `keys` are the variable names concerned, never their values.
pub(crate) fn record(client: &Client, action: &str, keys: &[&str]) {
    let keys = if keys.is_empty() {
        "(none)".to_owned()
    } else {
        keys.join(",")
    };
    tracing::info!(target: "settings_page::audit", client = %client, action, keys = %keys, "admin action");
}

/// Records a refused request (a wrong token, a rate limit), with the reason's code.
pub(crate) fn refused(client: &Client, code: &str) {
    tracing::warn!(target: "settings_page::audit", client = %client, action = "refused", code, "refused request");
}
