use std::fmt;
use std::num::NonZeroU32;
use std::time::Duration;

use mailconf_core::{FromValue, Invalid};

/// A send-rate limit such as `100/min` or `5/s` (`MAIL_RATE_LIMIT`), so a burst of sign-ups
/// does not get the server's IP blacklisted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Messages allowed per `per`.
    pub messages: NonZeroU32,
    /// The period.
    pub per: Duration,
}

impl RateLimit {
    /// The time between two messages when sending at the limit.
    pub fn interval(self) -> Duration {
        self.per / self.messages.get()
    }
}

impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.per.as_secs() {
            1 => "s",
            60 => "min",
            _ => "h",
        };
        write!(f, "{}/{unit}", self.messages)
    }
}

impl FromValue for RateLimit {
    const TYPE_NAME: &'static str = "rate (messages/s, /min or /h)";

    fn from_value(raw: &str) -> Result<Self, Invalid> {
        let hint = "write it like 5/s, 100/min or 1000/h";
        let invalid = |message: &str| Invalid::new("invalid_rate", message).with_hint(hint);
        let (count, unit) = raw
            .split_once('/')
            .ok_or_else(|| invalid("expected a count and a period"))?;
        let messages = count
            .trim()
            .parse::<u32>()
            .ok()
            .and_then(NonZeroU32::new)
            .ok_or_else(|| invalid("the count must be a whole number above 0"))?;
        let secs = match unit.trim().to_ascii_lowercase().as_str() {
            "s" | "sec" | "second" => 1,
            "m" | "min" | "minute" => 60,
            "h" | "hour" => 3600,
            _ => return Err(invalid("unknown period")),
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
    }

    #[test]
    fn rejects_zero_missing_parts_and_unknown_periods() {
        for bad in ["0/s", "100", "/s", "x/min", "5/day", "-1/s", ""] {
            assert_eq!(
                RateLimit::from_value(bad).unwrap_err().code,
                "invalid_rate",
                "{bad}"
            );
        }
    }
}
