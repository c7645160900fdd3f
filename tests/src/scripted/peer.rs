//! The listener: accepts connections on `127.0.0.1`, serves each by the script, and counts
//! what it saw.

use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use mailconf_smtp::{Mailer, Security};
use tokio::net::TcpListener;

use super::client::PeerSettings;
use super::script::Script;
use super::session::serve;

/// One message the peer read up to its final `.`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The value of its `Message-ID` header (empty when it had none).
    pub message_id: String,
    /// Whether the peer answered `250` to it.
    pub acknowledged: bool,
}

/// What every connection of a peer saw.
#[derive(Default)]
pub(crate) struct Seen {
    connections: AtomicUsize,
    received: Mutex<Vec<Received>>,
    commands: Mutex<Vec<String>>,
}

impl Seen {
    pub(crate) fn command(&self, line: &str) {
        lock(&self.commands).push(line.to_owned());
    }

    pub(crate) fn message(&self, received: Received) {
        lock(&self.received).push(received);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A scripted SMTP server on `127.0.0.1`, running until the test's runtime ends.
pub struct ScriptedPeer {
    port: u16,
    seen: Arc<Seen>,
}

impl ScriptedPeer {
    /// Listens on an ephemeral port of `127.0.0.1` and serves every connection by `script`.
    ///
    /// # Panics
    /// When it cannot listen.
    pub async fn start(script: Script) -> ScriptedPeer {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let script = Arc::new(script);
        let seen = Arc::new(Seen::default());
        let state = Arc::clone(&seen);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let n = state.connections.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(n, stream, Arc::clone(&script), Arc::clone(&state)));
            }
        });
        ScriptedPeer { port, seen }
    }

    /// The port it listens on.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Settings for a `Mailer` that talks plain text to this peer (see [`PeerSettings::new`]).
    #[must_use]
    pub fn settings(&self) -> PeerSettings {
        PeerSettings::new(self.port, Security::Plain)
    }

    /// A `Mailer` with [`ScriptedPeer::settings`].
    ///
    /// # Panics
    /// Never with these settings.
    #[must_use]
    pub fn mailer(&self) -> Mailer {
        Mailer::new(&self.settings()).expect("a mailer for the peer")
    }

    /// The connections accepted so far.
    #[must_use]
    pub fn connections(&self) -> usize {
        self.seen.connections.load(Ordering::SeqCst)
    }

    /// Every message read up to its final `.`, in order, whether accepted or not.
    #[must_use]
    pub fn received(&self) -> Vec<Received> {
        lock(&self.seen.received).clone()
    }

    /// How many messages the peer accepted with `250`.
    #[must_use]
    pub fn delivered(&self) -> usize {
        lock(&self.seen.received)
            .iter()
            .filter(|r| r.acknowledged)
            .count()
    }

    /// Every command line read, in order, across connections (not the message, nor the
    /// client's lines inside the `AUTH` dialogue).
    #[must_use]
    pub fn commands(&self) -> Vec<String> {
        lock(&self.seen.commands).clone()
    }
}
