//! Sending: suppression, rate limit, timeout, retries, and the connection test.

use std::sync::PoisonError;
use std::time::Duration;

use lettre::Message;
use lettre::address::Envelope;
use lettre::message::header::MessageId;
use lettre::transport::smtp::commands::{Noop, Quit};
use lettre::transport::smtp::response::Response;
use tokio::time::{Instant, sleep, timeout, timeout_at};

use super::deliver::transaction;
use super::error::{SendError, Stage};
use super::pool::Session;
use super::report::SendReport;
use super::well_formed;
use super::{Inner, Mailer};
use crate::client::dialogue;
use crate::client::{Failure, Progress};

/// Attempts per message, the first included.
const MAX_ATTEMPTS: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_secs(2);

impl Mailer {
    /// Sends `message` to the recipients of its envelope (`To`, `Cc`, `Bcc`).
    ///
    /// Returns once the server has answered `2xx` to the end of the message. Temporary
    /// failures (`4xx` replies, dropped connections) are retried up to 3 attempts in all, with
    /// a back-off of 200 ms, then 400 ms; `5xx` replies and configuration problems are not.
    /// As with any SMTP client, a connection lost after the whole message went out but before
    /// the server's answer arrived is retried too, which can rarely deliver it twice; every
    /// copy carries the same `Message-ID` (one is added if the message has none).
    ///
    /// The timeout (`TIMEOUT`) bounds everything after the rate limit lets the message go:
    /// waiting for a free connection, connect, TLS, login, delivery, back-off and retries.
    /// Waiting for the rate limit is not counted, so a burst is slowed down, not failed.
    ///
    /// Every message goes out well-formed, however it was built: a missing `Date`,
    /// `MIME-Version` or `Content-Type` is added (`text/plain; charset=utf-8` for a text body,
    /// such as lettre's `.body(String)`, which sets none), headers already set are kept, and a
    /// message with a line over 998 octets (only possible with a body pre-encoded by hand) is
    /// refused at the [`Setup`](Stage::Setup) stage before anything is sent.
    ///
    /// Under `SUPPRESS_SEND` the message is recorded (see [`suppressed`](Self::suppressed)),
    /// completed as it would have been sent, and nothing is sent.
    pub async fn send(&self, mut message: Message) -> Result<SendReport, SendError> {
        let inner = &*self.inner;
        // Every copy a retry may deliver carries the same Message-ID, so receivers can
        // de-duplicate; a message built without one (lettre's own builder) gets one here.
        if message.headers().get_raw("Message-ID").is_none() {
            let id = self.new_message_id();
            message.headers_mut().set(MessageId::from(id));
        }
        // Whoever built it, what goes out is well-formed MIME (see `well_formed`).
        if let Err(malformed) = well_formed::complete(&mut message) {
            return Err(inner.error(Failure::client(Stage::Setup, malformed.to_string()), 0));
        }
        let message_id = message.headers().get_raw("Message-ID").map(str::to_owned);
        if inner.suppress {
            inner
                .suppressed
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(message);
            tracing::debug!("SUPPRESS_SEND: message recorded, not sent");
            crate::metrics::suppressed();
            return Ok(SendReport {
                code: 250,
                reply: "recorded, not sent (SUPPRESS_SEND)".to_owned(),
                attempts: 0,
                message_id,
                suppressed: true,
            });
        }
        let envelope = message.envelope().clone();
        let bytes = message.formatted();
        drop(message);

        let mut deadline = None;
        let mut backoff = FIRST_BACKOFF;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let failure = match inner.attempt(&envelope, &bytes, &mut deadline).await {
                Ok(reply) => {
                    tracing::debug!(attempts, code = %reply.code(), "message accepted");
                    crate::metrics::sent(inner.since_released(deadline));
                    return Ok(SendReport {
                        code: u16::from(reply.code()),
                        reply: reply.message().collect::<Vec<_>>().join(" "),
                        attempts,
                        message_id,
                        suppressed: false,
                    });
                }
                Err(failure) => failure,
            };
            dialogue::failed(&failure, inner.password.as_ref());
            let time_left = deadline.is_some_and(|d| Instant::now() + backoff < d);
            if failure.kind.is_permanent() || attempts >= MAX_ATTEMPTS || !time_left {
                let error = inner.error(failure, attempts);
                let took = deadline.map(|d| inner.since_released(Some(d)));
                crate::metrics::failed(
                    error.stage(),
                    error.is_permanent(),
                    error.is_timeout(),
                    took,
                );
                return Err(error);
            }
            tracing::debug!(
                attempts,
                stage = %failure.stage,
                code = ?failure.code(),
                "temporary failure, retrying"
            );
            crate::metrics::retried();
            sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    /// Checks the settings against the server: connect, TLS, login and `NOOP`, within the
    /// timeout. The session is kept for the next send. Under `SUPPRESS_SEND` nothing is
    /// contacted and the result is `Ok`.
    pub async fn test_connection(&self) -> Result<(), SendError> {
        let inner = &*self.inner;
        if inner.suppress {
            return Ok(());
        }
        let deadline = Instant::now() + inner.timeout;
        let mut progress = Progress::default();
        let test = async {
            let _slot = inner.pool.slot().await.ok_or_else(shut_down)?;
            let conn = inner.connector.open(&mut progress, deadline).await?;
            let mut session = inner.pool.track(conn);
            progress.stage = Stage::Connect;
            dialogue::exchange(&mut session, Stage::Connect, Noop).await?;
            inner.pool.put_idle(session);
            Ok::<(), Failure>(())
        };
        let failure = match timeout_at(deadline, test).await {
            Ok(Ok(())) => return Ok(()),
            Ok(Err(mut failure)) => {
                failure.progress = progress;
                failure
            }
            Err(_) => Failure::timeout(progress, inner.timeout),
        };
        dialogue::failed(&failure, inner.password.as_ref());
        Err(inner.error(failure, 1))
    }

    /// Politely ends every idle session (`QUIT`), e.g. before the program exits. Sessions in
    /// use are not affected; later sends open new ones.
    pub async fn close_idle(&self) {
        let inner = &*self.inner;
        let sessions = inner.pool.drain_idle();
        let quit_all = async {
            for mut session in sessions {
                dialogue::sent(&Quit);
                if let Ok(reply) = session.command(Quit).await {
                    dialogue::received(&reply);
                }
            }
        };
        // Sessions whose server does not answer in time are simply dropped (closed).
        let _ = timeout(inner.timeout, quit_all).await;
    }
}

impl Inner {
    /// One attempt; `deadline` is set when the first attempt passes the rate limit.
    async fn attempt(
        &self,
        envelope: &Envelope,
        message: &[u8],
        deadline: &mut Option<Instant>,
    ) -> Result<Response, Failure> {
        let mut progress = Progress::default();
        let deadline = match *deadline {
            None => {
                if let Some(limiter) = &self.limiter {
                    limiter.acquire().await.map_err(limit_failure)?;
                }
                *deadline.insert(Instant::now() + self.timeout)
            }
            Some(deadline) => {
                if let Some(limiter) = &self.limiter {
                    match timeout_at(deadline, limiter.acquire()).await {
                        Ok(Ok(_)) => {}
                        Ok(Err(e)) => return Err(limit_failure(e)),
                        Err(_) => return Err(Failure::timeout(progress, self.timeout)),
                    }
                }
                deadline
            }
        };
        let delivery = self.deliver(envelope, message, &mut progress, deadline);
        match timeout_at(deadline, delivery).await {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(mut failure)) => {
                failure.progress = progress;
                Err(failure)
            }
            Err(_) => Err(Failure::timeout(progress, self.timeout)),
        }
    }

    async fn deliver(
        &self,
        envelope: &Envelope,
        message: &[u8],
        progress: &mut Progress,
        deadline: Instant,
    ) -> Result<Response, Failure> {
        // Declared first so it is released last: after the session went back or was dropped.
        let _slot = self.pool.slot().await.ok_or_else(shut_down)?;
        let mut session = self.checkout(progress, deadline).await?;
        // On error the session is dropped, never reused: its state is unknown.
        let reply = transaction(&mut session, envelope, message, progress).await?;
        self.pool.put_idle(session);
        Ok(reply)
    }

    /// A live idle session, or a new one.
    async fn checkout(
        &self,
        progress: &mut Progress,
        deadline: Instant,
    ) -> Result<Session, Failure> {
        while let Some(mut session) = self.pool.take_idle() {
            // Servers drop idle sessions without telling; NOOP finds out for one round trip.
            if session.test_connected().await {
                progress.tcp_connected = true;
                progress.greeted = true;
                return Ok(session);
            }
            tracing::debug!("idle SMTP session was closed by the server; dropping it");
        }
        let conn = self.connector.open(progress, deadline).await?;
        Ok(self.pool.track(conn))
    }

    /// Time since the rate limit let the message go (the deadline is set then).
    fn since_released(&self, deadline: Option<Instant>) -> Duration {
        deadline.map_or(Duration::ZERO, |d| {
            Instant::now().saturating_duration_since(d - self.timeout)
        })
    }

    fn error(&self, failure: Failure, attempts: u32) -> SendError {
        let error = failure.into_error(attempts, &self.context, self.password.as_ref());
        tracing::debug!(stage = %error.stage(), code = ?error.code(), attempts, "send failed");
        error
    }
}

/// The shared limit's Redis is down and its policy is `fail`: the error names both settings.
fn limit_failure(error: crate::LimitError) -> Failure {
    Failure::client(Stage::Setup, error.to_string())
}

fn shut_down() -> Failure {
    Failure::client(Stage::Setup, "the mailer's connection pool is closed")
}
