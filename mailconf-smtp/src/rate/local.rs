//! The in-process limiter: governor paces, a log of send times counts each quota window.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use governor::clock::Clock;
use governor::{DefaultDirectRateLimiter, RateLimiter};
use tokio::time::Instant;

use super::RateLimits;

pub(crate) struct LocalLimiter {
    /// `None` above a billion per second, which is no pace at all.
    pacer: Option<DefaultDirectRateLimiter>,
    /// Empty for a single window: then a send costs one governor check, no lock.
    quotas: Mutex<Vec<QuotaLog>>,
    has_quotas: bool,
}

impl LocalLimiter {
    pub(crate) fn new(limits: &RateLimits) -> LocalLimiter {
        let quotas: Vec<QuotaLog> = limits
            .quotas()
            .iter()
            .map(|w| QuotaLog::new(w.messages.get() as usize, w.per))
            .collect();
        LocalLimiter {
            pacer: limits.pacing().quota().map(RateLimiter::direct),
            has_quotas: !quotas.is_empty(),
            quotas: Mutex::new(quotas),
        }
    }

    /// Takes a send if every window allows it now (`None`); otherwise how long to wait before
    /// asking again, and nothing is taken.
    pub(crate) fn try_acquire(&self) -> Option<Duration> {
        if !self.has_quotas {
            return self.pace();
        }
        // Quotas first, under the lock: a pacer token is taken only for a send that goes.
        let mut quotas = self.quotas.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        let ready = quotas.iter_mut().filter_map(|q| q.ready_at(now)).max();
        if let Some(at) = ready {
            return Some(at - now);
        }
        if let Some(wait) = self.pace() {
            return Some(wait);
        }
        for quota in quotas.iter_mut() {
            quota.record(now);
        }
        None
    }

    fn pace(&self) -> Option<Duration> {
        let pacer = self.pacer.as_ref()?;
        match pacer.check() {
            Ok(()) => None,
            Err(not_until) => Some(not_until.wait_time_from(pacer.clock().now())),
        }
    }

    /// Waits until every window allows a send, and takes it.
    pub(crate) async fn acquire(&self) {
        while let Some(wait) = self.try_acquire() {
            tokio::time::sleep(wait).await;
        }
    }
}

/// The send times still inside one quota window, oldest first.
struct QuotaLog {
    limit: usize,
    period: Duration,
    sent: VecDeque<Instant>,
}

impl QuotaLog {
    fn new(limit: usize, period: Duration) -> QuotaLog {
        QuotaLog {
            limit,
            period,
            sent: VecDeque::new(),
        }
    }

    /// `None` if one more send at `now` stays within the quota; else when it will.
    fn ready_at(&mut self, now: Instant) -> Option<Instant> {
        while self.sent.front().is_some_and(|&t| t + self.period <= now) {
            self.sent.pop_front();
        }
        // At most `limit` entries are ever kept, so the one that must leave is the oldest.
        (self.sent.len() >= self.limit)
            .then(|| self.sent[self.sent.len() - self.limit] + self.period)
    }

    fn record(&mut self, now: Instant) {
        self.sent.push_back(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailconf_core::FromValue;

    #[test]
    fn a_quota_counts_a_rolling_window() {
        let start = Instant::now();
        let at = |ms: u64| start + Duration::from_millis(ms);
        let mut log = QuotaLog::new(3, Duration::from_secs(10));
        for ms in [0, 1000, 2000] {
            assert_eq!(log.ready_at(at(ms)), None);
            log.record(at(ms));
        }
        // Full: the next one waits for the oldest to be 10 s old, not for a calendar boundary.
        assert_eq!(log.ready_at(at(5000)), Some(at(10_000)));
        assert_eq!(log.ready_at(at(9999)), Some(at(10_000)));
        assert_eq!(log.ready_at(at(10_000)), None);
        log.record(at(10_000));
        assert_eq!(log.ready_at(at(10_500)), Some(at(11_000)));
        assert_eq!(log.sent.len(), 3);
    }

    #[tokio::test]
    async fn every_window_holds_and_a_refused_send_takes_nothing() {
        // Pacing 1000/s with a burst of 11; the quota allows 5 per hour.
        let limiter = LocalLimiter::new(&RateLimits::from_value("1000/s,5/h").unwrap());
        for _ in 0..5 {
            assert_eq!(limiter.try_acquire(), None);
        }
        let wait = limiter.try_acquire().expect("the hourly quota is used up");
        assert!(wait > Duration::from_secs(3590), "{wait:?}");
        // Refusals did not consume pacer tokens: the burst left after 5 sends is still there.
        for _ in 0..100 {
            assert!(limiter.try_acquire().is_some());
        }
        let pacer = limiter.pacer.as_ref().unwrap();
        assert!(pacer.check().is_ok());
    }

    #[tokio::test]
    async fn a_single_window_paces_without_a_quota() {
        let limiter = LocalLimiter::new(&RateLimits::from_value("2/s").unwrap());
        assert_eq!(limiter.try_acquire(), None);
        let wait = limiter.try_acquire().expect("paced");
        assert!(
            wait > Duration::from_millis(400) && wait <= Duration::from_millis(500),
            "{wait:?}"
        );
    }
}
