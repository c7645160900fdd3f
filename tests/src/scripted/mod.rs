//! A scripted SMTP peer for fault injection: a server on `127.0.0.1` that answers like a
//! well-behaved one except where its [`Script`] says otherwise, per [`Step`] of the
//! conversation and per connection. It can reply any code (`421` greeting, `4xx`/`5xx` at
//! `MAIL`, `RCPT` or after the message), close the connection at any step (in the middle of the
//! message, or after its final `.`), stall, advertise `STARTTLS` and then refuse it, stall in
//! the handshake or answer garbage, and check or echo the login of `AUTH PLAIN` and
//! `AUTH LOGIN`. It counts connections, records every command line, and every message it read
//! with its `Message-ID` and whether it accepted it.
//!
//! - [`script`]: [`Step`], [`Act`] and [`Script`], what the peer says;
//! - [`peer`]: [`ScriptedPeer`], the listener and its counters;
//! - [`client`]: [`PeerSettings`] and helpers for the `Mailer` under test;
//! - [`faults`] and [`catalogue`]: the fault scenarios of docs/RELIABILITY.md, measured.
//!
//! It speaks no TLS: the TLS faults need only the client's first bytes.

mod auth;
pub mod catalogue;
pub mod client;
pub mod faults;
pub mod peer;
pub mod script;
mod session;

pub use client::{PeerSettings, STEP, USER, message, send, timed, within};
pub use faults::{Outcome, Scenario};
pub use peer::{Received, ScriptedPeer};
pub use script::{Act, Script, Step};
pub use session::{CLIENT_HELLO, NOT_TLS};
