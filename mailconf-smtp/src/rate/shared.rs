//! The Redis side of a [`SendLimiter`](super::SendLimiter): its failure policy, and the outage
//! logged once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::time::{Instant, sleep};

use super::local::LocalLimiter;
use super::redis::RedisLimiter;
use super::{LimitError, RateLimits, RedisFailure, SharedLimit, settings};
use crate::metrics;

/// While Redis is down under the `local` policy, how long sends skip it before trying again,
/// so that each message does not pay a failed connect.
const RECHECK: Duration = Duration::from_secs(1);
const FIRST_BACKOFF: Duration = Duration::from_millis(50);
const MAX_BACKOFF: Duration = Duration::from_secs(1);

pub(super) struct Shared {
    redis: RedisLimiter,
    policy: RedisFailure,
    redacted_url: String,
    /// Set while Redis is failing, so the outage is logged once, not per message.
    down: AtomicBool,
    /// Under `local`, no new attempt before this.
    skip_until: std::sync::Mutex<Option<Instant>>,
}

impl Shared {
    pub(super) fn new(limits: &RateLimits, shared: &SharedLimit) -> Result<Shared, String> {
        let redis = RedisLimiter::new(limits, shared).map_err(|e| {
            format!(
                "MAIL_RATE_LIMIT_REDIS_URL ({}) cannot be used: {}",
                shared.redacted_url(),
                e.category()
            )
        })?;
        Ok(Shared {
            redis,
            policy: shared.on_failure,
            redacted_url: settings::redacted(shared.url.expose_secret()),
            down: AtomicBool::new(false),
            skip_until: std::sync::Mutex::new(None),
        })
    }

    /// Takes a send from Redis, or from `local` when the policy says so.
    pub(super) async fn acquire(&self, local: &LocalLimiter) -> Result<(), LimitError> {
        let mut backoff = FIRST_BACKOFF;
        loop {
            if self.policy == RedisFailure::Local && self.skipping() {
                local.acquire().await;
                return Ok(());
            }
            let reason = match self.redis.try_acquire().await {
                Ok(None) => {
                    self.up();
                    return Ok(());
                }
                Ok(Some(wait)) => {
                    self.up();
                    sleep(wait).await;
                    continue;
                }
                Err(reason) => reason,
            };
            self.failed(&reason);
            match self.policy {
                RedisFailure::Fail => {
                    return Err(LimitError {
                        url: self.redacted_url.clone(),
                        reason,
                    });
                }
                RedisFailure::Local => {
                    *self
                        .skip_until
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner) =
                        Some(Instant::now() + RECHECK);
                    local.acquire().await;
                    return Ok(());
                }
                _ => {
                    sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }

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
