//! Send limits: `MAIL_RATE_LIMIT` (one or several windows), kept in this process or shared by
//! every process through Redis (`MAIL_RATE_LIMIT_REDIS_URL`, with the `redis` feature).

mod limiter;
mod limits;
mod local;
#[cfg(feature = "redis")]
mod redis;
mod settings;
#[cfg(feature = "redis")]
mod shared;
mod window;

pub use limiter::{LimitError, SendLimiter};
pub use limits::{MAX_QUOTA_MESSAGES, RateLimits};
pub(crate) use settings::RateSettings;
pub use settings::{RedisFailure, SharedLimit};
pub use window::RateLimit;
