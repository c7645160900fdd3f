use std::fmt;
use std::time::Duration;

use mailconf_core::{FromValue, Invalid, Message};

use super::RateLimit;

/// The most messages a quota window may count: the limiters remember one timestamp per
/// message of such a window (in memory locally, in a sorted set in Redis).
pub const MAX_QUOTA_MESSAGES: u32 = 1_000_000;

/// `MAIL_RATE_LIMIT`: one or several windows that must all hold, such as `14/s,50000/day`.
///
/// The window with the shortest period **paces** the sends: one message per
/// [`interval`](RateLimit::interval), with a burst of a few at high rates (a token bucket,
/// GCRA). Every longer window is a **quota**: at most that many messages in any rolling
/// period of that length, counted exactly. So `14/s,50000/day` sends at up to 14 a second
/// until 50000 have gone within the last 24 hours, then waits until the oldest of them is
/// 24 hours old.
///
/// ```
/// use mailconf_core::FromValue;
/// use mailconf_smtp::RateLimits;
///
/// let limits = RateLimits::from_value("50000/day, 14/s").unwrap();
/// assert_eq!(limits.to_string(), "14/s,50000/day");
/// assert_eq!(limits.pacing().to_string(), "14/s");
/// assert_eq!(limits.quotas().len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    /// Sorted by period, shortest first; no two with the same period.
    windows: Vec<RateLimit>,
}

impl RateLimits {
    /// The limits of `windows`, shortest period first. `Err` (with the reason) when there is
    /// none, when two have the same period, or when a quota window counts more than
    /// [`MAX_QUOTA_MESSAGES`].
    pub fn new(mut windows: Vec<RateLimit>) -> Result<RateLimits, Invalid> {
        windows.sort_by_key(|w| w.per);
        if windows.is_empty() {
            return Err(invalid(Message::new("rate-limits-empty")));
        }
        if let Some(pair) = windows.windows(2).find(|pair| pair[0].per == pair[1].per) {
            return Err(invalid(
                Message::new("rate-limits-same-period")
                    .arg("first", pair[0].to_string())
                    .arg("second", pair[1].to_string()),
            ));
        }
        if let Some(big) = windows[1..]
            .iter()
            .find(|w| w.messages.get() > MAX_QUOTA_MESSAGES)
        {
            return Err(invalid(
                Message::new("rate-limits-too-many")
                    .arg("limit", big.to_string())
                    .arg("max", MAX_QUOTA_MESSAGES),
            )
            .with_hint(Message::new("rate-limits-too-many-hint")));
        }
        Ok(RateLimits { windows })
    }

    /// Every window, shortest period first.
    pub fn windows(&self) -> &[RateLimit] {
        &self.windows
    }

    /// The window that paces the sends: the one with the shortest period.
    pub fn pacing(&self) -> RateLimit {
        self.windows[0]
    }

    /// The longer windows, counted as quotas over a rolling period.
    pub fn quotas(&self) -> &[RateLimit] {
        &self.windows[1..]
    }

    /// The longest period: how long a quota remembers a message.
    pub fn longest_period(&self) -> Duration {
        self.windows.last().map_or(Duration::ZERO, |w| w.per)
    }
}

impl From<RateLimit> for RateLimits {
    fn from(window: RateLimit) -> RateLimits {
        RateLimits {
            windows: vec![window],
        }
    }
}

fn invalid(message: Message) -> Invalid {
    Invalid::new("invalid_rate", message).with_hint(Message::new("rate-limits-hint"))
}

impl fmt::Display for RateLimits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, window) in self.windows.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{window}")?;
        }
        Ok(())
    }
}

impl FromValue for RateLimits {
    const TYPE_NAME: &'static str =
        "rate (messages/s, /min, /h or /day; several separated by commas)";

    fn from_value(raw: &str) -> Result<Self, Invalid> {
        let windows = raw
            .split(',')
            .map(|part| {
                RateLimit::from_value(part).map_err(|mut e| {
                    if raw.contains(',') {
                        e.message = Message::new("rate-limits-in-part")
                            .arg("part", part.trim())
                            .arg("reason", e.message);
                    }
                    e
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        RateLimits::new(windows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_windows_sorted_shortest_first() {
        let limits = RateLimits::from_value(" 50000/day ,14/s,1000/h").unwrap();
        assert_eq!(limits.to_string(), "14/s,1000/h,50000/day");
        assert_eq!(limits.pacing(), RateLimit::from_value("14/s").unwrap());
        assert_eq!(limits.quotas().len(), 2);
        assert_eq!(limits.longest_period(), Duration::from_secs(86_400));
        assert_eq!(RateLimits::from_value(&limits.to_string()), Ok(limits));
        assert_eq!(
            RateLimits::from_value("100/min").unwrap().to_string(),
            "100/min"
        );
    }

    #[test]
    fn rejects_empty_parts_repeated_periods_and_huge_quotas() {
        let bad = [
            "",
            "14/s,",
            ",14/s",
            "14/s,,1/day",
            "14/s,10/s",
            "1/min,2/m",
        ];
        crate::test_support::assert_rejects::<RateLimits>(&bad, "invalid_rate");
        let e = RateLimits::from_value("14/s,x/day").unwrap_err();
        assert!(e.message.to_string().contains("in `x/day`"), "{e}");
        let e = RateLimits::from_value("14/s,10/s").unwrap_err();
        assert!(e.message.to_string().contains("same period"), "{e}");
        // A pacing window is a token bucket and remembers nothing per message: any size is fine.
        assert!(RateLimits::from_value("5000000/s").is_ok());
        let e = RateLimits::from_value("14/s,5000000/day").unwrap_err();
        assert!(e.hint.unwrap().to_string().contains("shorter period"));
    }
}
