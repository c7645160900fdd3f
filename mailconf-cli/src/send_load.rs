//! `mailconf send-test --count N --concurrency C`: N messages over one `Mailer`, to see what the
//! server and the rate limit allow; and `--metrics ADDR`, the Prometheus endpoint of any send.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Args;
use mailconf_core::{MailConfig, Mailbox, Sources};
use mailconf_smtp::metrics::{SECONDS_BUCKETS, stage_label};
use mailconf_smtp::{ComposeError, Mailer, Recipient, SendError, SmtpConfig, SmtpSettings};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};
use serde_json::{Value, json};

use crate::{Failed, check};

/// The load and metrics options of `mailconf send-test`.
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// Send this many messages over one mailer and report the achieved rate, latency
    /// percentiles, retries and failures.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub count: u32,
    /// How many messages are under way at once (with --count); the pool (MAIL_POOL_SIZE) and
    /// the rate limit (MAIL_RATE_LIMIT) still apply.
    #[arg(long, value_name = "C", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub concurrency: u32,
    /// Serve Prometheus metrics on this address while sending, such as 127.0.0.1:9464.
    #[arg(long, value_name = "ADDR")]
    pub metrics: Option<SocketAddr>,
}

impl LoadArgs {
    /// Whether this is a load run rather than one test message.
    pub fn is_load(&self) -> bool {
        self.count > 1 || self.concurrency > 1
    }
}

/// Serves `/metrics` (any path, in fact) in Prometheus text format on `addr`.
pub fn serve_metrics(addr: SocketAddr, json: bool) -> Result<(), Failed> {
    let installed = PrometheusBuilder::new()
        .with_http_listener(addr)
        .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), &SECONDS_BUCKETS)
        .and_then(PrometheusBuilder::install);
    installed.map_err(|e| {
        let message = format!("cannot serve metrics on {addr} (--metrics): {e}");
        if json {
            outln!(
                "{:#}",
                json!({"ok": false, "stage": "setup", "message": message})
            );
        } else {
            outln!("Not sent: {message}");
        }
        Failed
    })
}

/// What the run saw, shared by the senders.
#[derive(Default)]
struct Tally {
    sent: AtomicU32,
    failed: AtomicU32,
    retries: AtomicU64,
    latencies: std::sync::Mutex<Vec<Duration>>,
    failures: std::sync::Mutex<BTreeMap<&'static str, u32>>,
    first_error: std::sync::Mutex<Option<SendError>>,
}

pub async fn run(
    sources: &Sources,
    json: bool,
    lang: mailconf_core::Lang,
    to: &Mailbox,
    subject: &str,
    args: &LoadArgs,
) -> Result<(), Failed> {
    let Ok(config) = SmtpConfig::load(sources) else {
        return check::run(sources, json, lang).and(Err(Failed));
    };
    let endpoint = config.endpoint();
    let server = format!("{}:{}", endpoint.host, endpoint.port);
    let mailer = match Mailer::new(&config) {
        Ok(mailer) => mailer,
        Err(e) => {
            return Err(setup_failure(
                json,
                &server,
                &format!("cannot set up the mailer: {e}"),
            ));
        }
    };
    if config.suppress_send() {
        let reason = "SUPPRESS_SEND is on, so messages would be recorded, not sent; unset it to test delivery";
        return Err(setup_failure(json, &server, reason));
    }
    let recipient = to
        .into_mailbox()
        .map_err(|e| setup_failure(json, &server, &format!("cannot compose the message: {e}")))?;

    let tally = Arc::new(Tally::default());
    let next = Arc::new(AtomicU32::new(0));
    let started = Instant::now();
    let senders: Vec<_> = (0..args.concurrency.min(args.count))
        .map(|_| {
            let (mailer, tally, next) = (mailer.clone(), Arc::clone(&tally), Arc::clone(&next));
            let (recipient, subject, count) = (recipient.clone(), subject.to_owned(), args.count);
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        break;
                    }
                    let message = mailer
                        .message()
                        .to(recipient.clone())
                        .subject(format!("{subject} #{}", i + 1))
                        .body(format!(
                            "Message {} of {count} from `mailconf send-test --count`.\n",
                            i + 1
                        ))
                        .map_err(ComposeError::from);
                    let began = Instant::now();
                    let outcome = match message {
                        Ok(message) => mailer.send(message).await,
                        Err(e) => {
                            eprintln!("cannot compose message {}: {e}", i + 1);
                            tally.failed.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                    };
                    tally.record(began.elapsed(), outcome);
                }
            })
        })
        .collect();

    let progress = (!json && std::io::stderr().is_terminal())
        .then(|| tokio::spawn(show_progress(Arc::clone(&tally), args.count, started)));
    for sender in senders {
        let _ = sender.await;
    }
    let elapsed = started.elapsed();
    if let Some(progress) = progress {
        progress.abort();
        eprint!("\r\x1b[2K");
    }
    mailer.close_idle().await;

    let summary = tally.summary(elapsed, args, &server, &config);
    if json {
        outln!("{summary:#}");
    } else {
        print_text(&summary, to);
    }
    if tally.failed.load(Ordering::Relaxed) == 0 {
        Ok(())
    } else {
        Err(Failed)
    }
}

impl Tally {
    fn record(&self, took: Duration, outcome: Result<mailconf_smtp::SendReport, SendError>) {
        lock(&self.latencies).push(took);
        match outcome {
            Ok(report) => {
                self.sent.fetch_add(1, Ordering::Relaxed);
                let retries = report.attempts().saturating_sub(1);
                self.retries
                    .fetch_add(u64::from(retries), Ordering::Relaxed);
            }
            Err(error) => {
                self.failed.fetch_add(1, Ordering::Relaxed);
                let retries = error.attempts().saturating_sub(1);
                self.retries
                    .fetch_add(u64::from(retries), Ordering::Relaxed);
                *lock(&self.failures)
                    .entry(stage_label(error.stage()))
                    .or_default() += 1;
                lock(&self.first_error).get_or_insert(error);
            }
        }
    }

    fn summary(
        &self,
        elapsed: Duration,
        args: &LoadArgs,
        server: &str,
        config: &SmtpConfig,
    ) -> Value {
        let mut latencies = lock(&self.latencies).clone();
        latencies.sort_unstable();
        let sent = self.sent.load(Ordering::Relaxed);
        let failed = self.failed.load(Ordering::Relaxed);
        let ms = |q: f64| percentile(&latencies, q).map(|d| round(d.as_secs_f64() * 1000.0));
        let secs = elapsed.as_secs_f64();
        let first_error = lock(&self.first_error).as_ref().map(|e| {
            json!({"stage": stage_label(e.stage()), "code": e.code(), "message": e.message(), "hint": e.hint()})
        });
        json!({
            "ok": failed == 0,
            "server": server,
            "count": args.count,
            "concurrency": args.concurrency,
            "sent": sent,
            "failed": failed,
            "retries": self.retries.load(Ordering::Relaxed),
            "elapsed_seconds": round(secs),
            "rate_per_second": round(f64::from(sent) / secs.max(1e-9)),
            "latency_ms": {"p50": ms(0.50), "p90": ms(0.90), "p99": ms(0.99), "max": ms(1.0)},
            "failures_by_stage": *lock(&self.failures),
            "first_error": first_error,
            "rate_limit": config.rate_limit().map(|l| l.to_string()),
            "shared_limit": config.shared_rate_limit().map(|s| s.redacted_url()),
        })
    }
}

fn print_text(summary: &Value, to: &Mailbox) {
    let field = |k: &str| summary[k].to_string();
    outln!(
        "Sent {} of {} messages to {to} through {} in {} s: {} messages/s",
        field("sent"),
        field("count"),
        summary["server"].as_str().unwrap_or("?"),
        field("elapsed_seconds"),
        field("rate_per_second"),
    );
    let limit = summary["rate_limit"].as_str().unwrap_or("none");
    let shared = summary["shared_limit"]
        .as_str()
        .map_or(String::new(), |url| format!(", shared through Redis {url}"));
    outln!(
        "  concurrency {}, rate limit {limit}{shared}",
        field("concurrency")
    );
    let l = &summary["latency_ms"];
    outln!(
        "  latency ms (per send, rate-limit wait included): p50 {}, p90 {}, p99 {}, max {}",
        l["p50"],
        l["p90"],
        l["p99"],
        l["max"]
    );
    outln!(
        "  retries {}, failures {}",
        field("retries"),
        field("failed")
    );
    if let Some(stages) = summary["failures_by_stage"]
        .as_object()
        .filter(|s| !s.is_empty())
    {
        let list: Vec<String> = stages.iter().map(|(k, v)| format!("{k} {v}")).collect();
        outln!("  failures by stage: {}", list.join(", "));
    }
    if let Some(first) = summary["first_error"].as_object() {
        outln!(
            "  first failure ({}): {}",
            first["stage"].as_str().unwrap_or("?"),
            first["message"].as_str().unwrap_or("")
        );
        if let Some(hint) = first["hint"].as_str() {
            outln!("  hint: {hint}");
        }
    }
}

/// A bar on the terminal (stderr), redrawn a few times a second.
async fn show_progress(tally: Arc<Tally>, count: u32, started: Instant) {
    const WIDTH: u32 = 30;
    loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let sent = tally.sent.load(Ordering::Relaxed);
        let failed = tally.failed.load(Ordering::Relaxed);
        let done = (sent + failed).min(count);
        let filled = (u64::from(done) * u64::from(WIDTH) / u64::from(count)) as usize;
        let rate = f64::from(sent) / started.elapsed().as_secs_f64().max(1e-9);
        eprint!(
            "\r[{}{}] {done}/{count} sent {sent}, failed {failed}, {rate:.1}/s ",
            "#".repeat(filled),
            ".".repeat(WIDTH as usize - filled)
        );
        let _ = std::io::stderr().flush();
    }
}

/// The nearest-rank percentile of sorted values; `q = 1.0` is the maximum.
fn percentile(sorted: &[Duration], q: f64) -> Option<Duration> {
    let last = sorted.len().checked_sub(1)?;
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let rank = ((q * sorted.len() as f64).ceil() as usize)
        .saturating_sub(1)
        .min(last);
    sorted.get(rank).copied()
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn setup_failure(json: bool, server: &str, message: &str) -> Failed {
    if json {
        outln!(
            "{:#}",
            json!({"ok": false, "stage": "setup", "server": server, "message": message})
        );
    } else {
        outln!("Not sent: {message}");
    }
    Failed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let values: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&values, 0.5), Some(Duration::from_millis(50)));
        assert_eq!(percentile(&values, 0.99), Some(Duration::from_millis(99)));
        assert_eq!(percentile(&values, 1.0), Some(Duration::from_millis(100)));
        assert_eq!(
            percentile(&values[..1], 0.5),
            Some(Duration::from_millis(1))
        );
        assert_eq!(percentile(&[], 0.5), None);
    }
}
