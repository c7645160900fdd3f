//! `mailconf send-test --count` as real processes: the report, a send limit shared by several
//! processes through a real Redis (the acceptance of issue 16, measured at the dev server),
//! and `--metrics` moving while they run.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mailconf_smtp::dev_server::{DevServer, DevTls};
use mailconf_tests::redis::RedisServer;
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

fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    listener.local_addr().unwrap().port()
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

    /// Messages per second between the first and the last arrival.
    fn arrival_rate(&self) -> f64 {
        let times = self.arrivals.lock().unwrap();
        let span = *times.last().unwrap() - times[0];
        (times.len() - 1) as f64 / span.as_secs_f64()
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
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut text = String::new();
    stream.read_to_string(&mut text).ok()?;
    assert!(
        !text.contains("example.net") && !text.contains("example.com"),
        "an address in the metrics: {text}"
    );
    text.lines().find_map(|line| {
        line.strip_prefix(metric)?
            .strip_prefix(' ')?
            .trim()
            .parse()
            .ok()
    })
}

const RATE: f64 = 30.0;
const PROCESSES: usize = 3;
const EACH: usize = 110;

/// Runs PROCESSES `send-test --count EACH` at once; the first serves metrics on `metrics`.
/// Returns the time until the last one finished.
fn run_processes(catcher: &Catcher, env: &[(&str, String)], metrics: Option<u16>) -> Duration {
    let started = Instant::now();
    let count = EACH.to_string();
    let children: Vec<Child> = (0..PROCESSES)
        .map(|i| {
            let mut args = vec!["--count", &count, "--concurrency", "2"];
            let addr = metrics.map(|port| format!("127.0.0.1:{port}"));
            if let (0, Some(addr)) = (i, &addr) {
                args.extend(["--metrics", addr]);
                return send_test(catcher.server.port(), env, &args)
                    .spawn()
                    .unwrap();
            }
            send_test(catcher.server.port(), env, &args)
                .spawn()
                .unwrap()
        })
        .collect();
    if let Some(port) = metrics {
        // curl during the run: the sent counter moves between two scrapes.
        std::thread::sleep(Duration::from_secs(2));
        let first =
            scrape(port, "mailconf_messages_sent_total").expect("metrics served during the run");
        std::thread::sleep(Duration::from_millis(1500));
        let second = scrape(port, "mailconf_messages_sent_total").unwrap();
        assert!(
            second > first && first > 0.0,
            "sent counter did not move: {first} then {second}"
        );
    }
    for child in children {
        assert_eq!(report(child)["sent"].as_u64(), Some(EACH as u64));
    }
    started.elapsed()
}

#[test]
fn processes_sharing_a_redis_limit_hold_it_together() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let total = (PROCESSES * EACH) as f64;

    let catcher = Catcher::start();
    let shared = [
        ("MAIL_RATE_LIMIT", format!("{RATE}/s").replace(".0", "")),
        ("MAIL_RATE_LIMIT_REDIS_URL", redis.url()),
        ("MAIL_RATE_LIMIT_KEY", "acceptance".to_owned()),
    ];
    let together = run_processes(&catcher, &shared, Some(free_port()));
    std::thread::sleep(Duration::from_millis(200));
    catcher.assert_exactly(PROCESSES * EACH);
    // The limit holds across processes: at least (total − burst) / R, the burst being one
    // message at 30/s; and measured where the mail arrives, within ±5% of R over 11 s.
    let floor = Duration::from_secs_f64((total - 1.0) / RATE);
    assert!(
        together >= floor,
        "took {together:?}, the shared limit allows no less than {floor:?}"
    );
    let rate = catcher.arrival_rate();
    assert!(
        (rate - RATE).abs() <= RATE * 0.05,
        "arrived at {rate:.2}/s for a limit of {RATE}/s"
    );

    // Without Redis each process has its own 30/s: about 1/PROCESSES of the time.
    let catcher = Catcher::start();
    let alone = run_processes(&catcher, &shared[..1], None);
    catcher.assert_exactly(PROCESSES * EACH);
    let own_floor = Duration::from_secs_f64((EACH as f64 - 1.0) / RATE);
    assert!(
        alone >= own_floor,
        "took {alone:?}, each process's own limit allows no less than {own_floor:?}"
    );
    assert!(
        alone.as_secs_f64() < together.as_secs_f64() / PROCESSES as f64 * 1.75,
        "without Redis {alone:?}, with {together:?}: expected about 1/{PROCESSES}"
    );
}
