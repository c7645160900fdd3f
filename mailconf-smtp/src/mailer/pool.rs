//! Idle authenticated sessions for reuse, and the cap on sessions open at once.
//!
//! A sender holds a slot (a semaphore permit) from before it takes or opens a session until
//! after it has put the session back or dropped it. Sessions are only ever put back while
//! their slot is held, so idle plus in-use sessions never exceed the number of slots.

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use lettre::transport::smtp::client::AsyncSmtpConnection;
use tokio::sync::{Semaphore, SemaphorePermit};

/// Servers close idle sessions after a while (often 60 s or 5 min); one idle longer than this
/// is not worth a NOOP round trip to find out.
const MAX_IDLE: Duration = Duration::from_secs(30);

pub(super) struct Pool {
    slots: Semaphore,
    idle: Mutex<Vec<Idle>>,
    open: Arc<AtomicUsize>,
}

struct Idle {
    session: Session,
    since: Instant,
}

/// An open session, counted in [`Pool::open`] until dropped (dropping closes the socket).
pub(super) struct Session {
    conn: AsyncSmtpConnection,
    counted: Counted,
}

/// Counts a session in [`Pool::open`] and the pool gauges (crate::metrics) while it lives.
struct Counted {
    open: Arc<AtomicUsize>,
    /// Out of the idle stack, carrying a message.
    in_use: bool,
}

impl Counted {
    fn set_in_use(&mut self, in_use: bool) {
        if self.in_use != in_use {
            self.in_use = in_use;
            crate::metrics::pool_in_use(if in_use { 1.0 } else { -1.0 });
        }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.open.fetch_sub(1, Ordering::Relaxed);
        crate::metrics::pool_open(-1.0);
        self.set_in_use(false);
    }
}

impl Pool {
    pub(super) fn new(size: usize) -> Pool {
        Pool {
            slots: Semaphore::new(size.clamp(1, Semaphore::MAX_PERMITS)),
            idle: Mutex::new(Vec::new()),
            open: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Waits for a free slot; hold it for as long as a session is taken or being opened.
    /// `None` only if the semaphore was closed, which this pool never does.
    pub(super) async fn slot(&self) -> Option<SemaphorePermit<'_>> {
        self.slots.acquire().await.ok()
    }

    /// The most recently used idle session, dropping stale ones on the way.
    pub(super) fn take_idle(&self) -> Option<Session> {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        while let Some(entry) = idle.pop() {
            if entry.since.elapsed() < MAX_IDLE {
                let mut session = entry.session;
                session.counted.set_in_use(true);
                return Some(session);
            }
        }
        None
    }

    /// Keeps a healthy session for the next sender; call while still holding the slot.
    pub(super) fn put_idle(&self, mut session: Session) {
        session.counted.set_in_use(false);
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        // Stale sessions deeper in the stack would otherwise keep their sockets until reached.
        idle.retain(|entry| entry.since.elapsed() < MAX_IDLE);
        idle.push(Idle {
            session,
            since: Instant::now(),
        });
    }

    /// Every idle session, to close them.
    pub(super) fn drain_idle(&self) -> Vec<Session> {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        idle.drain(..).map(|entry| entry.session).collect()
    }

    /// Starts counting a freshly opened session.
    pub(super) fn track(&self, conn: AsyncSmtpConnection) -> Session {
        self.open.fetch_add(1, Ordering::Relaxed);
        crate::metrics::pool_open(1.0);
        let mut counted = Counted {
            open: Arc::clone(&self.open),
            in_use: false,
        };
        counted.set_in_use(true);
        Session { conn, counted }
    }

    /// Sessions open now, idle or in use.
    pub(super) fn open(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }
}

impl Deref for Session {
    type Target = AsyncSmtpConnection;

    fn deref(&self) -> &AsyncSmtpConnection {
        &self.conn
    }
}

impl DerefMut for Session {
    fn deref_mut(&mut self) -> &mut AsyncSmtpConnection {
        &mut self.conn
    }
}
