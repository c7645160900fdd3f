//! Caught messages and connection counters, shared by the server handle and every connection.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::{broadcast, watch};

use super::ReceivedMessage;

/// Enough for a burst of messages while a subscriber is busy; a slower one sees `Lagged`.
const EVENT_CAPACITY: usize = 1024;

pub(super) struct Mailbox {
    messages: Mutex<Vec<ReceivedMessage>>,
    /// Number of messages so far, so waiters wake on change instead of polling.
    count: watch::Sender<usize>,
    events: broadcast::Sender<ReceivedMessage>,
    connections_total: AtomicUsize,
    connections_open: AtomicUsize,
    max_concurrent: AtomicUsize,
}

impl Mailbox {
    pub(super) fn new() -> Self {
        Self {
            messages: Mutex::new(Vec::new()),
            count: watch::Sender::new(0),
            events: broadcast::Sender::new(EVENT_CAPACITY),
            connections_total: AtomicUsize::new(0),
            connections_open: AtomicUsize::new(0),
            max_concurrent: AtomicUsize::new(0),
        }
    }

    /// Stores a message and returns its 1-based sequence number.
    pub(super) fn deliver(&self, message: ReceivedMessage) -> usize {
        let number = {
            let mut messages = self.lock();
            messages.push(message.clone());
            messages.len()
        };
        self.count.send_replace(number);
        // No subscriber is not an error: the message is still in `messages`.
        let _ = self.events.send(message);
        number
    }

    pub(super) fn messages(&self) -> Vec<ReceivedMessage> {
        self.lock().clone()
    }

    pub(super) fn subscribe(&self) -> broadcast::Receiver<ReceivedMessage> {
        self.events.subscribe()
    }

    pub(super) async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedMessage> {
        let mut count = self.count.subscribe();
        // The sender lives in `self`, so `wait_for` can only end by reaching `n` or timing out.
        let _ = tokio::time::timeout(timeout, count.wait_for(|c| *c >= n)).await;
        self.messages()
    }

    pub(super) fn connection_opened(self: &Arc<Self>) -> ConnectionGuard {
        self.connections_total.fetch_add(1, Ordering::SeqCst);
        let open = self.connections_open.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_concurrent.fetch_max(open, Ordering::SeqCst);
        ConnectionGuard(Arc::clone(self))
    }

    pub(super) fn connections_total(&self) -> usize {
        self.connections_total.load(Ordering::SeqCst)
    }

    pub(super) fn connections_open(&self) -> usize {
        self.connections_open.load(Ordering::SeqCst)
    }

    pub(super) fn max_concurrent(&self) -> usize {
        self.max_concurrent.load(Ordering::SeqCst)
    }

    fn lock(&self) -> MutexGuard<'_, Vec<ReceivedMessage>> {
        // A panic elsewhere while holding the lock cannot leave a half-pushed Vec, so the data
        // is still usable.
        self.messages.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Counts a connection as open for as long as it lives, including when its task is aborted.
pub(super) struct ConnectionGuard(Arc<Mailbox>);

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        self.0.connections_open.fetch_sub(1, Ordering::SeqCst);
    }
}
