//! [`SendLimiter`]: the local limiter, or the Redis one with its failure policy.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::time::{Instant, sleep};

use super::local::LocalLimiter;
use super::redis::RedisLimiter;
use super::{RateLimits, RedisFailure, SharedLimit, settings};
use crate::metrics;

/// While Redis is down under the `local` policy, how long sends skip it before trying again,
/// so that each message does not pay a failed connect.
const RECHECK: Duration = Duration::from_secs(1);
const FIRST_BACKOFF: Duration = Duration::from_millis(50);
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// Decides when each message may go: every window of a [`RateLimits`] must allow it, in this
/// process or, with a [`SharedLimit`], across every process sharing its Redis key.
///
/// A [`Mailer`](crate::Mailer) builds and uses one itself; it is public for benchmarks and for
/// applications that limit other work by the same rules.
pub struct SendLimiter {
    local: LocalLimiter,
    shared: Option<Shared>,
}

struct Shared {
    redis: RedisLimiter,
    policy: RedisFailure,
    redacted_url: String,
    /// Set while Redis is failing, so the outage is logged once, not per message.
    down: AtomicBool,
    /// Under `local`, no new attempt before this.
    skip_until: std::sync::Mutex<Option<Instant>>,
}

/// The shared limit's Redis could not be reached and `MAIL_RATE_LIMIT_REDIS_FAILURE=fail`.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "the shared send limit's Redis (MAIL_RATE_LIMIT_REDIS_URL={url}) cannot be reached: {reason}; MAIL_RATE_LIMIT_REDIS_FAILURE=fail fails the send (wait would hold it until Redis is back, local would use this process's own limit)"
)]
pub struct LimitError {
    url: String,
    reason: String,
}

impl SendLimiter {
    /// A limiter in this process only.
    pub fn local(limits: &RateLimits) -> SendLimiter {
        SendLimiter {
            local: LocalLimiter::new(limits),
            shared: None,
        }
    }

    /// A limiter shared through Redis; nothing is connected until the first message. `Err`
    /// (with the reason, never the password) when the Redis client rejects the URL.
    pub fn shared(limits: &RateLimits, shared: &SharedLimit) -> Result<SendLimiter, String> {
        let redis = RedisLimiter::new(limits, shared).map_err(|e| {
            format!(
                "MAIL_RATE_LIMIT_REDIS_URL ({}) cannot be used: {}",
                shared.redacted_url(),
                e.category()
            )
        })?;
        Ok(SendLimiter {
            local: LocalLimiter::new(limits),
            shared: Some(Shared {
                redis,
                policy: shared.on_failure,
                redacted_url: settings::redacted(shared.url.expose_secret()),
                down: AtomicBool::new(false),
                skip_until: std::sync::Mutex::new(None),
            }),
        })
    }

    /// Waits until the message may go, takes it, and returns how long that took.
    pub async fn acquire(&self) -> Result<Duration, LimitError> {
        let started = Instant::now();
        match &self.shared {
            None => self.local.acquire().await,
            Some(shared) => self.acquire_shared(shared).await?,
        }
        let waited = started.elapsed();
        metrics::rate_limit_waited(waited);
        Ok(waited)
    }

    async fn acquire_shared(&self, shared: &Shared) -> Result<(), LimitError> {
        let mut backoff = FIRST_BACKOFF;
        loop {
            if shared.policy == RedisFailure::Local && shared.skipping() {
                self.local.acquire().await;
                return Ok(());
            }
            let reason = match shared.redis.try_acquire().await {
                Ok(None) => {
                    shared.up();
                    return Ok(());
                }
                Ok(Some(wait)) => {
                    shared.up();
                    sleep(wait).await;
                    continue;
                }
                Err(reason) => reason,
            };
            shared.failed(&reason);
            match shared.policy {
                RedisFailure::Fail => {
                    return Err(LimitError {
                        url: shared.redacted_url.clone(),
                        reason,
                    });
                }
                RedisFailure::Local => {
                    *shared
                        .skip_until
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner) =
                        Some(Instant::now() + RECHECK);
                    self.local.acquire().await;
                    return Ok(());
                }
                _ => {
                    sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }
}

impl Shared {
    fn skipping(&self) -> bool {
        let until = self
            .skip_until
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        until.is_some_and(|t| Instant::now() < t)
    }

    fn up(&self) {
        if self.down.swap(false, Ordering::Relaxed) {
            tracing::warn!(store = %self.redacted_url, "the shared send limit's Redis answers again");
        }
        metrics::rate_limit_store_up(true);
    }

    fn failed(&self, reason: &str) {
        metrics::rate_limit_store_error();
        metrics::rate_limit_store_up(false);
        if !self.down.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                store = %self.redacted_url,
                policy = %self.policy,
                "the shared send limit's Redis (MAIL_RATE_LIMIT_REDIS_URL) cannot be reached: {reason}; MAIL_RATE_LIMIT_REDIS_FAILURE={} applies",
                self.policy
            );
        }
    }
}
