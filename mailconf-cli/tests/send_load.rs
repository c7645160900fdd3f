//! `mailconf send-test --count` as real processes: the report, a send limit shared by several
//! processes through a real Redis (the acceptance of issue 16, measured at the dev server),
//! and `--metrics` moving while they run.

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mailconf_core::FromValue;
use mailconf_smtp::RateLimit;
use mailconf_smtp::dev_server::{DevServer, DevTls};
use mailconf_tests::ports::free_port;
use mailconf_tests::redis::RedisServer;
use mailconf_tests::redis_cluster::RedisCluster;
use mailconf_tests::scrape::{metric_value, metrics_text};
use mailconf_tests::wakeup::WakeUps;
use serde_json::Value;

/// `mailconf send-test --to rcpt@example.net --json ARGS` for a plain dev server on `port`.
fn send_test(port: u16, env: &[(&str, String)], args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mailconf"));
    command
        .env_clear()
        .env("MAIL_SERVER", "127.0.0.1")
        .env("MAIL_PORT", port.to_string())
        .env("MAIL_STARTTLS", "false")
        .env("MAIL_SSL_TLS", "false")
        .env("USE_CREDENTIALS", "false")
        .env("MAIL_FROM", "load@example.com")
        .env("MAIL_POOL_SIZE", "2")
        .env("TIMEOUT", "20s")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .args(["send-test", "--to", "rcpt@example.net", "--json"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn report(child: Child) -> Value {
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "send-test failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

/// A plain dev server in its own runtime, recording when each message arrived.
struct Catcher {
    server: DevServer,
    arrivals: Arc<Mutex<Vec<Instant>>>,
    _runtime: tokio::runtime::Runtime,
}

impl Catcher {
    fn start() -> Catcher {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime
            .block_on(DevServer::builder().tls(DevTls::None).start())
            .unwrap();
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        let mut received = server.subscribe();
        let log = Arc::clone(&arrivals);
        runtime.spawn(async move {
            // A lagging receiver would miss arrivals: `wait_for` counts them against the
            // mailbox, so none goes unnoticed.
            while received.recv().await.is_ok() {
                log.lock().unwrap().push(Instant::now());
            }
        });
        Catcher {
            server,
            arrivals,
            _runtime: runtime,
        }
    }

    /// Every message arrived once: distinct subjects and Message-IDs.
    fn assert_exactly(&self, total: usize) {
        let got = self.server.messages();
        let ids: HashSet<_> = got.iter().filter_map(|m| m.header("Message-ID")).collect();
        assert_eq!(
            (got.len(), ids.len()),
            (total, total),
            "lost or duplicated messages"
        );
    }

    /// Waits until `total` messages arrived, then checks each arrived once and that every
    /// arrival was timed.
    fn wait_for(&self, total: usize) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.arrivals.lock().unwrap().len() < total && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(200));
        self.assert_exactly(total);
        assert_eq!(self.arrivals.lock().unwrap().len(), total, "arrivals timed");
    }

    /// How many messages have arrived.
    fn arrived(&self) -> usize {
        self.arrivals.lock().unwrap().len()
    }

    /// Waits until at least `n` messages have arrived.
    fn wait_until(&self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.arrived() < n {
            assert!(Instant::now() < deadline, "fewer than {n} messages in 30 s");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Messages per second over the middle 80% of the arrivals, and that span.
    ///
    /// The first tenth is the start: processes starting at different moments and opening
    /// their sessions. The last tenth is the end, where the processes that drew fewer turns
    /// finish last with less demand. In between every process has messages under way and the
    /// limit alone sets the pace; its bound, `rate × (t + 10 ms) + 1` messages over any `t`,
    /// leaves only the difference of two send latencies as noise.
    fn steady_rate(&self) -> (f64, Duration) {
        let times = self.arrivals.lock().unwrap();
        let (from, to) = (times.len() / 10, times.len() - 1 - times.len() / 10);
        let span = times[to] - times[from];
        let rate = (to - from) as f64 / span.as_secs_f64();
        eprintln!("arrivals {from} to {to}: {rate:.2}/s over {span:.2?}");
        (rate, span)
    }
}

#[test]
fn count_sends_every_message_and_reports_rate_latency_and_failures() {
    let catcher = Catcher::start();
    let child = send_test(
        catcher.server.port(),
        &[],
        &["--count", "6", "--concurrency", "3"],
    )
    .spawn()
    .unwrap();
    let report = report(child);
    assert_eq!(report["ok"], true, "{report:#}");
    assert_eq!(
        (report["sent"].as_u64(), report["failed"].as_u64()),
        (Some(6), Some(0))
    );
    assert_eq!(report["retries"].as_u64(), Some(0));
    assert!(
        report["rate_per_second"].as_f64().unwrap() > 0.0,
        "{report:#}"
    );
    let latency = &report["latency_ms"];
    assert!(latency["p50"].as_f64().unwrap() <= latency["max"].as_f64().unwrap());
    std::thread::sleep(Duration::from_millis(200));
    catcher.assert_exactly(6);
}

#[test]
fn count_reports_failures_by_stage_and_exits_1() {
    // Nothing listens on this port: every message fails at the connect stage.
    let out = send_test(free_port(), &[], &["--count", "3", "--concurrency", "2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (report["sent"].as_u64(), report["failed"].as_u64()),
        (Some(0), Some(3))
    );
    assert_eq!(
        report["failures_by_stage"]["connect"].as_u64(),
        Some(3),
        "{report:#}"
    );
    assert_eq!(report["first_error"]["stage"], "connect");
}

/// The value of an unlabelled metric in Prometheus text, fetched with a plain HTTP GET.
fn scrape(port: u16, metric: &str) -> Option<f64> {
    let text = metrics_text(port)?;
    assert!(
        !text.contains("example.net") && !text.contains("example.com"),
        "an address in the metrics: {text}"
    );
    metric_value(&text, metric)
}

/// Polls `metric` on `port` until it is above `above`, while `running` says the run is on.
fn scrape_above(port: u16, metric: &str, above: f64, running: &mut dyn FnMut() -> bool) -> f64 {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        assert!(running(), "the run ended before {metric} passed {above}");
        if let Some(value) = scrape(port, metric).filter(|v| *v > above) {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "{metric} did not pass {above} within 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Several `send-test --count` processes at once.
struct Run<'a> {
    processes: usize,
    each: usize,
    env: &'a [(&'a str, String)],
    /// The first process serves metrics on this port.
    metrics: Option<u16>,
}

/// Starts the processes, scrapes the first one's metrics while they run (when asked), and
/// returns the time until the last one finished, after checking each sent all its messages.
fn run_processes(catcher: &Catcher, run: &Run<'_>) -> Duration {
    let started = Instant::now();
    let count = run.each.to_string();
    let metrics_addr = run.metrics.map(|port| format!("127.0.0.1:{port}"));
    // Four under way per process over four sessions: more than the limit needs, so that the
    // limit, not the speed of a busy machine, sets the pace.
    let mut env = vec![("MAIL_POOL_SIZE", "4".to_owned())];
    env.extend(run.env.iter().cloned());
    let mut children: Vec<Child> = (0..run.processes)
        .map(|i| {
            let mut args = vec!["--count", &count, "--concurrency", "4"];
            if let (0, Some(addr)) = (i, &metrics_addr) {
                args.extend(["--metrics", addr]);
            }
            send_test(catcher.server.port(), &env, &args)
                .spawn()
                .unwrap()
        })
        .collect();
    if let Some(port) = run.metrics {
        // curl during the run: the sent counter moves between two scrapes of a live process.
        let first = &mut children[0];
        let mut running = || first.try_wait().unwrap().is_none();
        let metric = "mailconf_messages_sent_total";
        let one = scrape_above(port, metric, 0.0, &mut running);
        let two = scrape_above(port, metric, one, &mut running);
        assert!(two > one && one > 0.0, "{one} then {two}");
    }
    for child in children {
        assert_eq!(report(child)["sent"].as_u64(), Some(run.each as u64));
    }
    started.elapsed()
}

/// Runs `processes` × `each` sends with `env` and checks that a limit of `rate` per second
/// shared `how` held across them: the run took at least (messages − 1) / rate, the burst being
/// one message.
fn assert_limit_held(
    catcher: &Catcher,
    (processes, each): (usize, usize),
    env: &[(&str, String)],
    rate: f64,
    how: &str,
) {
    let took = run_processes(
        catcher,
        &Run {
            processes,
            each,
            env,
            metrics: None,
        },
    );
    catcher.wait_for(processes * each);
    let floor = Duration::from_secs_f64((processes * each - 1) as f64 / rate);
    assert!(
        took >= floor,
        "took {took:?}, the limit shared {how} allows no less than {floor:?}"
    );
}

const RATE: f64 = 30.0;
const PROCESSES: usize = 3;
/// 390 messages at 30/s: 13 s in all, the middle 80% of it 10.4 s.
const EACH: usize = 130;

#[test]
fn processes_sharing_a_redis_limit_hold_it_together() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let total = PROCESSES * EACH;
    let catcher = Catcher::start();
    let limit = RateLimit::from_value(&format!("{RATE}/s").replace(".0", "")).unwrap();
    let wake_ups = WakeUps::on_own_thread(limit.interval());
    let shared = [
        ("MAIL_RATE_LIMIT", limit.to_string()),
        ("MAIL_RATE_LIMIT_REDIS_URL", redis.url()),
        ("MAIL_RATE_LIMIT_KEY", "acceptance".to_owned()),
    ];
    let together = run_processes(
        &catcher,
        &Run {
            processes: PROCESSES,
            each: EACH,
            env: &shared,
            metrics: Some(free_port()),
        },
    );
    catcher.wait_for(total);
    // The limit holds across processes: at least total / R − burst, the burst being one
    // message at 30/s.
    let floor = Duration::from_secs_f64((total - 1) as f64 / RATE);
    assert!(
        together >= floor,
        "took {together:?}, the shared limit allows no less than {floor:?}"
    );
    // And measured where the mail arrives, within ±5% of R over more than 10 s: never above,
    // and below only by what late timers of a busy machine cost (nothing on an idle one).
    let lateness = wake_ups.stop();
    let owed = lateness.achievable_rate(limit.interval(), limit.tolerance());
    let (rate, span) = catcher.steady_rate();
    eprintln!("the limiter owes {owed:.2}/s on this machine now");
    assert!(span >= Duration::from_secs(10), "measured over {span:?}");
    assert!(
        rate <= RATE * 1.05 && rate >= owed * 0.95,
        "arrived at {rate:.2}/s for a limit of {RATE}/s over {span:?}; with timers late by \
         {:?} on average beyond the tolerance (at most {:?}, {} wake-ups) the limiter owes \
         {owed:.2}/s",
        lateness.mean_excess(limit.tolerance()),
        lateness.max(),
        lateness.samples()
    );

    // Without Redis each process has its own 30/s: together about PROCESSES times the rate,
    // so about 1/PROCESSES of the time.
    let catcher = Catcher::start();
    let alone = run_processes(
        &catcher,
        &Run {
            processes: PROCESSES,
            each: EACH,
            env: &shared[..1],
            metrics: None,
        },
    );
    catcher.wait_for(total);
    let own_floor = Duration::from_secs_f64((EACH - 1) as f64 / RATE);
    assert!(
        alone >= own_floor,
        "took {alone:?}, each process's own limit allows no less than {own_floor:?}"
    );
    let (rate, span) = catcher.steady_rate();
    let most = PROCESSES as f64 * RATE;
    assert!(
        rate > most - RATE && rate <= most * 1.05,
        "without Redis {PROCESSES} processes of {RATE}/s arrived at {rate:.2}/s over {span:?} \
         (with Redis the run took {together:?}, without {alone:?})"
    );
}

#[test]
fn processes_share_a_limit_through_a_redis_cluster() {
    let Some(cluster) = RedisCluster::start() else {
        return;
    };
    const RATE: usize = 10;
    let (processes, each) = (2, 15);
    let catcher = Catcher::start();
    let env = [
        ("MAIL_RATE_LIMIT", format!("{RATE}/s")),
        ("MAIL_RATE_LIMIT_REDIS_URL", cluster.urls()),
        ("MAIL_RATE_LIMIT_REDIS_CLUSTER", "true".to_owned()),
        ("MAIL_RATE_LIMIT_KEY", "cluster-acceptance".to_owned()),
    ];
    // 30 messages at a shared 10/s: no less than 2.9 s; each process alone would take 1.4 s.
    assert_limit_held(
        &catcher,
        (processes, each),
        &env,
        RATE as f64,
        "through the cluster",
    );
}

/// Processes whose shared Redis is killed mid-run hold their mail (the default policy, `wait`)
/// and, once it is back, send every message exactly once.
#[test]
fn processes_hold_mail_while_the_shared_redis_is_down_and_lose_none() {
    let Some(mut redis) = RedisServer::start() else {
        return;
    };
    let (processes, each, sessions) = (2, 40, 2);
    let catcher = Catcher::start();
    let env = [
        ("MAIL_POOL_SIZE", sessions.to_string()),
        ("MAIL_RATE_LIMIT", "20/s".to_owned()),
        ("MAIL_RATE_LIMIT_REDIS_URL", redis.url()),
        ("MAIL_RATE_LIMIT_KEY", "outage".to_owned()),
    ];
    let count = each.to_string();
    let concurrency = sessions.to_string();
    let children: Vec<Child> = (0..processes)
        .map(|_| {
            let args = ["--count", &count, "--concurrency", &concurrency];
            send_test(catcher.server.port(), &env, &args)
                .spawn()
                .unwrap()
        })
        .collect();
    catcher.wait_until(15);
    redis.kill();
    let at_kill = catcher.arrived();
    std::thread::sleep(Duration::from_secs(2));
    // Only messages the limit let go before the kill may still arrive: one per session.
    let during = catcher.arrived() - at_kill;
    assert!(
        during <= processes * sessions,
        "{during} messages went out in the 2 s the limit was unknown"
    );
    redis.restart();
    for child in children {
        let report = report(child);
        assert_eq!(
            (report["sent"].as_u64(), report["failed"].as_u64()),
            (Some(each as u64), Some(0)),
            "{report:#}"
        );
    }
    catcher.wait_for(processes * each);
}

/// `rediss://`: the shared limit over TLS (rustls), the server's certificate checked against
/// the roots the standard way sets (`SSL_CERT_FILE`); an untrusted certificate is an error
/// naming the setting, and nothing is sent.
#[test]
fn processes_share_a_limit_over_tls_and_check_the_certificate() {
    let Some(redis) = RedisServer::start_tls() else {
        return;
    };
    let (processes, each, rate) = (2, 8, 10.0);
    let mut env = vec![
        ("MAIL_RATE_LIMIT", format!("{rate}/s")),
        ("MAIL_RATE_LIMIT_REDIS_URL", redis.tls_url()),
        ("MAIL_RATE_LIMIT_KEY", "tls".to_owned()),
        ("MAIL_RATE_LIMIT_REDIS_FAILURE", "fail".to_owned()),
    ];

    let catcher = Catcher::start();
    let out = send_test(catcher.server.port(), &env, &["--count", "2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let untrusted: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(untrusted["failed"].as_u64(), Some(2), "{untrusted:#}");
    let message = untrusted["first_error"]["message"].as_str().unwrap();
    assert!(
        message.contains("MAIL_RATE_LIMIT_REDIS_URL=rediss://localhost:")
            && message.to_lowercase().contains("certificate"),
        "{message}"
    );
    assert_eq!(catcher.arrived(), 0);

    env.push(("SSL_CERT_FILE", redis.ca_file().display().to_string()));
    assert_limit_held(&catcher, (processes, each), &env, rate, "over TLS");
}
