//! What the send limiter costs per message: in this process (governor, plus the quota log for a
//! second window) next to the Redis one (one `EVALSHA` round trip to a private redis-server
//! on loopback), with limits so high that no message ever waits.
//!
//! Run: `cargo bench -p benches --bench limiter`. Results: `docs/BENCHMARKS.md`. The
//! Redis variants need `redis-server` (scripts/setup/40-redis.sh installs it; the bench says so
//! and skips them without it).
//!
//! After each variant it prints on stderr the CPU time per message of this process and of the
//! redis-server, which other processes' load barely moves, unlike the wall-clock time of a
//! round trip on a busy machine.

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
    /// Timed acquires, and the CPU time this process and the store's used during them.
    timed: u64,
    cpu_own: Duration,
    cpu_store: Duration,
    /// The redis-server's pid, if any.
    store: Option<String>,
}

impl<F: FnMut() -> SendLimiter> Reused<F> {
    fn new(make: F) -> Self {
        Reused {
            make,
            current: None,
            used: 0,
            timed: 0,
            cpu_own: Duration::ZERO,
            cpu_store: Duration::ZERO,
            store: None,
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
            let cpu_before = self.cpu();
            total += rt.block_on(async {
                let started = Instant::now();
                for _ in 0..n {
                    limiter.acquire().await.expect("the limit store answers");
                }
                started.elapsed()
            });
            let cpu_after = self.cpu();
            self.cpu_own += cpu_after.0 - cpu_before.0;
            self.cpu_store += cpu_after.1 - cpu_before.1;
            self.used += n;
            self.timed += n;
            left -= n;
        }
        total
    }

    fn cpu(&self) -> (Duration, Duration) {
        (
            cpu_time("self"),
            self.store.as_deref().map_or(Duration::ZERO, cpu_time),
        )
    }

    /// Prints the CPU time per timed message.
    fn print_cpu(&self, name: &str) {
        if self.timed == 0 {
            return; // filtered out on the command line
        }
        let messages = u32::try_from(self.timed.max(1)).unwrap_or(u32::MAX);
        eprintln!(
            "{name}: {} messages timed; CPU per message: this process {:.2?}, redis-server {:.2?}",
            self.timed,
            self.cpu_own / messages,
            self.cpu_store / messages,
        );
    }
}

/// CPU time (user + system) a process has used so far, from `/proc/PID/stat` (clock ticks of
/// 10 ms, `USER_HZ` = 100 on Linux); zero where there is no `/proc`.
fn cpu_time(pid: &str) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces): state is the 3rd field, utime the
    // 14th and stime the 15th.
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<u64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse().ok())
        .collect();
    Duration::from_millis(fields.iter().sum::<u64>() * 10)
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
        reused.print_cpu(name);
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
        reused.store = Some(redis.child.id().to_string());
        group.bench_function(name, |b| {
            b.iter_custom(|iters| reused.acquire_many(&rt, iters));
        });
        reused.print_cpu(name);
    }
    group.finish();
}

criterion_group!(benches, limiter);
criterion_main!(benches);
