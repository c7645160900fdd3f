use std::fmt;
use std::num::NonZeroU32;
use std::time::Duration;

use mailconf_core::{FromValue, Invalid, Message};

/// One window of a send limit, such as `100/min`, `5/s` or `50000/day`: at most `messages`
/// per `per`. [`RateLimits`](super::RateLimits) (`MAIL_RATE_LIMIT`) holds one or several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Messages allowed per `per`.
    pub messages: NonZeroU32,
    /// The period.
    pub per: Duration,
}

/// How late a waiting sender may wake up without the achieved rate falling below the limit.
const WAKE_UP_TOLERANCE: Duration = Duration::from_millis(10);

impl RateLimit {
    /// The time between two messages when sending at the limit.
    pub fn interval(self) -> Duration {
        self.per / self.messages.get()
    }

    /// The quota of the mailer's limiter: one message per [`interval`](Self::interval), plus a
    /// burst of what [`WAKE_UP_TOLERANCE`] holds at this rate (none below 100/s).
    ///
    /// With no burst at all, every millisecond a sender wakes up late is lost for good: the
    /// load test measured 459/s for a limit of 500/s. The burst lets a late sender catch up,
    /// so over any period the count stays within `rate × (period + 10 ms) + 1`. `None` when
    /// the interval is zero (a limit above a billion per second), which is no limit.
    pub(crate) fn quota(self) -> Option<governor::Quota> {
        governor::Quota::with_period(self.interval()).map(|quota| quota.allow_burst(self.burst()))
    }

    /// How early a message may go before its turn (GCRA's delay tolerance): the continuous
    /// form of the burst, used by the Redis limiter. Senders there wake at the earliest allowed
    /// time, so any lateness within it is caught up rather than lost even where the burst is a
    /// single message; the bound stays `rate × (period + 10 ms) + 1`. A sender waking later
    /// than this loses the excess: catching it up would break that bound.
    ///
    /// ```
    /// use std::time::Duration;
    /// use mailconf_core::FromValue;
    /// use mailconf_smtp::RateLimit;
    ///
    /// let tolerance = |rate| RateLimit::from_value(rate).unwrap().tolerance();
    /// assert_eq!(tolerance("30/s"), Duration::from_millis(10));
    /// assert_eq!(tolerance("1/s"), Duration::ZERO, "a single message never goes early");
    /// ```
    pub fn tolerance(self) -> Duration {
        WAKE_UP_TOLERANCE.min(self.interval() * (self.messages.get() - 1))
    }

    /// How many messages may go at once: one, plus what [`WAKE_UP_TOLERANCE`] holds at this
    /// rate. The local and the Redis limiter both read it, so they pace alike.
    pub(crate) fn burst(self) -> NonZeroU32 {
        let extra = WAKE_UP_TOLERANCE.as_nanos() / self.interval().as_nanos().max(1);
        let burst = u32::try_from(extra.saturating_add(1))
            .unwrap_or(u32::MAX)
            .min(self.messages.get());
        NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN)
    }
}

impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.per.as_secs() {
            1 => "s",
            60 => "min",
            3600 => "h",
            _ => "day",
        };
        write!(f, "{}/{unit}", self.messages)
    }
}

impl FromValue for RateLimit {
    const TYPE_NAME: &'static str = "rate (messages/s, /min, /h or /day)";

    fn from_value(raw: &str) -> Result<Self, Invalid> {
        let invalid = |id: &'static str| {
            Invalid::new("invalid_rate", Message::new(id)).with_hint(Message::new("rate-hint"))
        };
        let (count, unit) = raw
            .split_once('/')
            .ok_or_else(|| invalid("rate-count-and-period"))?;
        let messages = count
            .trim()
            .parse::<u32>()
            .ok()
            .and_then(NonZeroU32::new)
            .ok_or_else(|| invalid("rate-count-positive"))?;
        let secs = match unit.trim().to_ascii_lowercase().as_str() {
            "s" | "sec" | "second" => 1,
            "m" | "min" | "minute" => 60,
            "h" | "hour" => 3600,
            "d" | "day" => 86_400,
            _ => return Err(invalid("rate-unknown-period")),
        };
        Ok(RateLimit {
            messages,
            per: Duration::from_secs(secs),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_counts_per_second_minute_and_hour() {
        let r = RateLimit::from_value("100/min").unwrap();
        assert_eq!((r.messages.get(), r.per), (100, Duration::from_secs(60)));
        assert_eq!(r.interval(), Duration::from_millis(600));
        assert_eq!(RateLimit::from_value("5/s").unwrap().to_string(), "5/s");
        assert_eq!(
            RateLimit::from_value("1000/hour").unwrap().per,
            Duration::from_secs(3600)
        );
        let daily = RateLimit::from_value("50000/day").unwrap();
        assert_eq!(daily.per, Duration::from_secs(86_400));
        assert_eq!(daily.to_string(), "50000/day");
        assert_eq!(
            RateLimit::from_value("7/d").unwrap(),
            RateLimit::from_value("7/day").unwrap()
        );
    }

    #[test]
    fn the_quota_allows_ten_milliseconds_of_lateness() {
        let burst = |text: &str| {
            RateLimit::from_value(text)
                .unwrap()
                .quota()
                .map(|q| q.burst_size().get())
        };
        assert_eq!(burst("100/min"), Some(1));
        assert_eq!(burst("5/s"), Some(1));
        assert_eq!(burst("200/s"), Some(3));
        assert_eq!(burst("500/s"), Some(6));
        assert_eq!(burst("4294967295/s"), None);
    }

    #[test]
    fn rejects_zero_missing_parts_and_unknown_periods() {
        for bad in ["0/s", "100", "/s", "x/min", "5/week", "-1/s", ""] {
            assert_eq!(
                RateLimit::from_value(bad).unwrap_err().code,
                "invalid_rate",
                "{bad}"
            );
        }
    }
}
