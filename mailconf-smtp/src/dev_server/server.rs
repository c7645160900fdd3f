//! The running server: its handle and the accept loop.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{broadcast, oneshot};
use tokio::task::{JoinHandle, JoinSet};

use super::builder::Settings;
use super::mailbox::Mailbox;
use super::{DevServerBuilder, DevTls, ReceivedMessage, session};

/// File name used by [`DevServer::write_ca_file`].
const CA_FILE_NAME: &str = "dev-ca.pem";

/// A running development SMTP server that keeps every message it receives.
///
/// Start one with [`DevServer::builder`]. It stops on [`shutdown`](Self::shutdown) or when
/// dropped; either way it stops listening and closes every open connection.
pub struct DevServer {
    addr: SocketAddr,
    tls: DevTls,
    ca_pem: String,
    mailbox: Arc<Mailbox>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for DevServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DevServer")
            .field("addr", &self.addr)
            .field("tls", &self.tls)
            .field("connections_open", &self.connections_open())
            .finish_non_exhaustive()
    }
}

impl DevServer {
    /// A builder with the defaults described on [`DevServerBuilder`].
    pub fn builder() -> DevServerBuilder {
        DevServerBuilder::default()
    }

    pub(super) fn spawn(
        listener: TcpListener,
        settings: Arc<Settings>,
        ca_pem: String,
    ) -> io::Result<Self> {
        let addr = listener.local_addr()?;
        let tls = settings.tls;
        let mailbox = Arc::new(Mailbox::new());
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(accept_loop(
            listener,
            settings,
            Arc::clone(&mailbox),
            stopped,
        ));
        Ok(Self {
            addr,
            tls,
            ca_pem,
            mailbox,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The address the server listens on (with the real port when bound to port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The TLS mode the server was started with.
    pub fn tls(&self) -> DevTls {
        self.tls
    }

    /// The throw-away CA certificate (PEM) a client must trust to verify this server.
    ///
    /// The server certificate is valid for `localhost`, `127.0.0.1` and `::1`.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// Writes [`ca_pem`](Self::ca_pem) to `dir/dev-ca.pem` (replacing it) and returns the path,
    /// for clients that read their trust roots from a file.
    pub fn write_ca_file(&self, dir: &Path) -> io::Result<PathBuf> {
        let path = dir.join(CA_FILE_NAME);
        std::fs::write(&path, &self.ca_pem)?;
        Ok(path)
    }

    /// Every message received so far, oldest first.
    pub fn messages(&self) -> Vec<ReceivedMessage> {
        self.mailbox.messages()
    }

    /// Waits until at least `n` messages have been received, or until `timeout` has passed,
    /// and returns all messages received so far (fewer than `n` on timeout).
    pub async fn wait_for_messages(&self, n: usize, timeout: Duration) -> Vec<ReceivedMessage> {
        self.mailbox.wait_for(n, timeout).await
    }

    /// A stream of messages received from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<ReceivedMessage> {
        self.mailbox.subscribe()
    }

    /// How many connections have been accepted since start.
    pub fn connections_total(&self) -> usize {
        self.mailbox.connections_total()
    }

    /// How many connections are open right now.
    pub fn connections_open(&self) -> usize {
        self.mailbox.connections_open()
    }

    /// The largest number of connections that were open at the same time.
    pub fn max_concurrent_connections(&self) -> usize {
        self.mailbox.max_concurrent()
    }

    /// Stops accepting, closes every open connection and waits until all of that is done, so
    /// a connection attempt made after this returns is refused.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        // Drop cannot wait; aborting drops the listener and the `JoinSet`, which aborts every
        // connection task.
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

async fn accept_loop(
    listener: TcpListener,
    settings: Arc<Settings>,
    mailbox: Arc<Mailbox>,
    mut stop: oneshot::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((tcp, peer)) => {
                    let guard = mailbox.connection_opened();
                    let settings = Arc::clone(&settings);
                    let mailbox = Arc::clone(&mailbox);
                    connections.spawn(async move {
                        let _guard = guard;
                        // A failed connection (reset, bad TLS, timeout) only concerns its client.
                        let _ = session::serve(tcp, peer, settings, mailbox).await;
                    });
                }
                // Accept errors are usually transient (out of file descriptors, connection
                // aborted before accept); pause instead of spinning or giving up.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            },
            // Reaps finished connections so the set does not grow for the server's lifetime.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    connections.shutdown().await;
}
