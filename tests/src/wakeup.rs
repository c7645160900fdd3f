//! How late timers fire on this machine while a rate test runs, so that its lower bound on the
//! achieved rate is what the limiter owes rather than what an idle machine would manage.
//!
//! A sender told to wait sleeps until its turn. If it wakes up late by more than the limit's
//! tolerance ([`RateLimit::tolerance`](mailconf_smtp::RateLimit::tolerance)), the excess is lost
//! for good: catching it up would be a burst beyond the bound the limiter promises. So on a
//! machine whose timers fire late by `e` on average beyond the tolerance, a limiter of interval
//! `i` can deliver at most `1 / (i + e)`; on an idle machine `e` is zero and that is the limit.
//! [`WakeUps`] measures `e` with the same kind of sleep the limiters use, during the run.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

/// A task sleeping one interval after another, recording how late each wake-up was.
pub struct WakeUps {
    stop: Arc<AtomicBool>,
    late: Arc<Mutex<Vec<Duration>>>,
}

impl WakeUps {
    /// Measures on the current tokio runtime: the wake-ups of senders on this runtime are late
    /// by as much, busy workers included.
    ///
    /// # Panics
    /// Outside a tokio runtime.
    #[must_use]
    pub fn spawn(every: Duration) -> WakeUps {
        let probe = WakeUps {
            stop: Arc::new(AtomicBool::new(false)),
            late: Arc::new(Mutex::new(Vec::new())),
        };
        tokio::spawn(measure(
            every,
            Arc::clone(&probe.stop),
            Arc::clone(&probe.late),
        ));
        probe
    }

    /// Measures on a thread with a runtime of its own, for senders in other processes: how
    /// late the machine wakes a sleeping program.
    ///
    /// # Panics
    /// When the thread or its runtime cannot be started.
    #[must_use]
    pub fn on_own_thread(every: Duration) -> WakeUps {
        let probe = WakeUps {
            stop: Arc::new(AtomicBool::new(false)),
            late: Arc::new(Mutex::new(Vec::new())),
        };
        let (stop, late) = (Arc::clone(&probe.stop), Arc::clone(&probe.late));
        std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .expect("a runtime")
                .block_on(measure(every, stop, late));
        });
        probe
    }

    /// Stops measuring; what was measured so far.
    ///
    /// # Panics
    /// If the measuring task panicked.
    #[must_use]
    pub fn stop(&self) -> Lateness {
        self.stop.store(true, Ordering::Relaxed);
        Lateness(self.late.lock().unwrap().clone())
    }
}

impl Drop for WakeUps {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

async fn measure(every: Duration, stop: Arc<AtomicBool>, late: Arc<Mutex<Vec<Duration>>>) {
    while !stop.load(Ordering::Relaxed) {
        let due = Instant::now() + every;
        tokio::time::sleep_until(due).await;
        late.lock().unwrap().push(Instant::now() - due);
    }
}

/// How late the wake-ups of a [`WakeUps`] were.
#[derive(Debug, Clone)]
pub struct Lateness(Vec<Duration>);

impl Lateness {
    /// The mean of what each wake-up was late beyond `tolerance`: the time a paced sender
    /// loses per message on this machine.
    #[must_use]
    pub fn mean_excess(&self, tolerance: Duration) -> Duration {
        let excess: Duration = self.0.iter().map(|l| l.saturating_sub(tolerance)).sum();
        let count = u32::try_from(self.0.len()).unwrap_or(u32::MAX).max(1);
        excess / count
    }

    /// The most messages per second a limiter pacing one per `interval` with this `tolerance`
    /// can deliver while timers are this late: `1 / (interval + mean excess)`.
    #[must_use]
    pub fn achievable_rate(&self, interval: Duration, tolerance: Duration) -> f64 {
        1.0 / (interval + self.mean_excess(tolerance)).as_secs_f64()
    }

    /// The slowest wake-up.
    #[must_use]
    pub fn max(&self) -> Duration {
        self.0.iter().max().copied().unwrap_or_default()
    }

    /// How many wake-ups were measured.
    #[must_use]
    pub fn samples(&self) -> usize {
        self.0.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lateness_beyond_the_tolerance_slows_the_pace() {
        let ms = Duration::from_millis;
        let lateness = Lateness(vec![ms(2), ms(14), ms(30), ms(0)]);
        // Beyond 10 ms: 0 + 4 + 20 + 0 over 4 wake-ups.
        assert_eq!(lateness.mean_excess(ms(10)), ms(6));
        let rate = lateness.achievable_rate(ms(44), ms(10));
        assert!((rate - 20.0).abs() < 1e-9, "{rate}");
        assert_eq!(Lateness(vec![]).mean_excess(ms(10)), Duration::ZERO);
        assert_eq!(lateness.max(), ms(30));
    }
}
