//! [`SendLimiter`]: the local limiter, or the Redis one with its failure policy.

use std::time::Duration;

use tokio::time::Instant;

use super::local::LocalLimiter;
#[cfg(feature = "redis")]
use super::shared::Shared;
use super::{RateLimits, SharedLimit};
use crate::metrics;

/// Decides when each message may go: every window of a [`RateLimits`] must allow it, in this
/// process or, with a [`SharedLimit`], across every process sharing its Redis key.
///
/// A [`Mailer`](crate::Mailer) builds and uses one itself; it is public for benchmarks and for
/// applications that limit other work by the same rules.
pub struct SendLimiter {
    local: LocalLimiter,
    #[cfg(feature = "redis")]
    shared: Option<Shared>,
}

/// The shared limit's Redis could not be reached and `MAIL_RATE_LIMIT_REDIS_FAILURE=fail`.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "the shared send limit's Redis (MAIL_RATE_LIMIT_REDIS_URL={url}) cannot be reached: {reason}; MAIL_RATE_LIMIT_REDIS_FAILURE=fail fails the send (wait would hold it until Redis is back, local would use this process's own limit)"
)]
pub struct LimitError {
    pub(super) url: String,
    pub(super) reason: String,
}

impl SendLimiter {
    /// A limiter in this process only.
    pub fn local(limits: &RateLimits) -> SendLimiter {
        SendLimiter {
            local: LocalLimiter::new(limits),
            #[cfg(feature = "redis")]
            shared: None,
        }
    }

    /// A limiter shared through Redis; nothing is connected until the first message. `Err`
    /// (with the reason, never the password) when the Redis client rejects the URL, or when
    /// this crate was built without its `redis` feature.
    pub fn shared(limits: &RateLimits, shared: &SharedLimit) -> Result<SendLimiter, String> {
        #[cfg(feature = "redis")]
        {
            Ok(SendLimiter {
                local: LocalLimiter::new(limits),
                shared: Some(Shared::new(limits, shared)?),
            })
        }
        #[cfg(not(feature = "redis"))]
        {
            let _ = limits;
            Err(format!(
                "MAIL_RATE_LIMIT_REDIS_URL ({}) cannot be used: mailconf-smtp was built without its `redis` feature",
                shared.redacted_url()
            ))
        }
    }

    /// Waits until the message may go, takes it, and returns how long that took.
    pub async fn acquire(&self) -> Result<Duration, LimitError> {
        let started = Instant::now();
        #[cfg(feature = "redis")]
        match &self.shared {
            None => self.local.acquire().await,
            Some(shared) => shared.acquire(&self.local).await?,
        }
        #[cfg(not(feature = "redis"))]
        self.local.acquire().await;
        let waited = started.elapsed();
        metrics::rate_limit_waited(waited);
        Ok(waited)
    }
}
