//! What the send limiter costs per message: in this process (governor, plus the quota log for a
//! second window) next to the Redis one (one `EVALSHA` round trip to a private redis-server
//! on loopback), with limits so high that no message ever waits.
//!
//! Run: `cargo bench -p benches --bench limiter`. Results: `docs/BENCHMARKS.md`. The
//! Redis variants need `redis-server` (scripts/setup/40-redis.sh installs it; the bench says so
//! and skips them without it).

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use mailconf_core::{FromValue, Secret};
use mailconf_smtp::{RateLimits, RedisFailure, SendLimiter, SharedLimit};
use tokio::runtime::Runtime;

/// A quota log holds at most this many messages before its limiter is replaced, so that no
/// message of the bench ever waits (the day window allows a million).
const CHUNK: u64 = 500_000;

const PACING: &str = "1000000000/s";
const PACING_AND_DAY: &str = "1000000000/s,1000000/day";

/// One limiter reused across criterion's calls (so a Redis connection and the script load are
/// paid once), replaced outside the timing once its quota log would fill.
struct Reused<F: FnMut() -> SendLimiter> {
    make: F,
    current: Option<SendLimiter>,
    used: u64,
}

impl<F: FnMut() -> SendLimiter> Reused<F> {
    fn new(make: F) -> Self {
        Reused {
            make,
            current: None,
            used: 0,
        }
    }

    /// Times `iters` acquires.
    fn acquire_many(&mut self, rt: &Runtime, iters: u64) -> Duration {
        let mut total = Duration::ZERO;
        let mut left = iters;
        while left > 0 {
            if self.current.is_none() || self.used >= CHUNK {
                let limiter = (self.make)();
                // Connect (and load the script) before the clock starts.
                rt.block_on(limiter.acquire())
                    .expect("the limit store answers");
                self.current = Some(limiter);
                self.used = 1;
            }
            let n = left.min(CHUNK - self.used);
            let limiter = self.current.as_ref().expect("just set");
            total += rt.block_on(async {
                let started = Instant::now();
                for _ in 0..n {
                    limiter.acquire().await.expect("the limit store answers");
                }
                started.elapsed()
            });
            self.used += n;
            left -= n;
        }
        total
    }
}

struct Redis {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Redis {
    fn start() -> Option<Redis> {
        let binary = std::env::var_os("MAILCONF_REDIS_SERVER")
            .map(PathBuf::from)
            .or_else(|| Some(PathBuf::from("/usr/bin/redis-server")).filter(|p| p.is_file()))?;
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let dir = tempfile::tempdir().ok()?;
        let child = Command::new(binary)
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(Redis {
            child,
            port,
            _dir: dir,
        })
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn limiter(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let mut group = c.benchmark_group("limiter");
    for (name, limits) in [
        ("local_pacing", PACING),
        ("local_pacing_day", PACING_AND_DAY),
    ] {
        let limits = RateLimits::from_value(limits).unwrap();
        let mut reused = Reused::new(|| SendLimiter::local(&limits));
        group.bench_function(name, |b| {
            b.iter_custom(|iters| reused.acquire_many(&rt, iters));
        });
    }
    let Some(redis) = Redis::start() else {
        eprintln!(
            "SKIPPED: the Redis limiter benchmarks: no redis-server (scripts/setup/40-redis.sh)"
        );
        return;
    };
    let mut key = 0u64;
    for (name, limits) in [
        ("redis_pacing", PACING),
        ("redis_pacing_day", PACING_AND_DAY),
    ] {
        let limits = RateLimits::from_value(limits).unwrap();
        let mut reused = Reused::new(|| {
            key += 1;
            let shared = SharedLimit {
                url: Secret::new(format!("redis://127.0.0.1:{}", redis.port)),
                key: format!("bench-{key}"),
                on_failure: RedisFailure::Fail,
                cluster: false,
            };
            SendLimiter::shared(&limits, &shared).unwrap()
        });
        group.bench_function(name, |b| {
            b.iter_custom(|iters| reused.acquire_many(&rt, iters));
        });
    }
    group.finish();
}

criterion_group!(benches, limiter);
criterion_main!(benches);
