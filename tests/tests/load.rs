//! Load: many messages from many tasks through one `Mailer` (STARTTLS and AUTH to the dev
//! server, a small pool, a rate limit), checking three properties:
//!
//! 1. every message arrives exactly once (by `Message-ID`);
//! 2. the achieved rate is the configured limit, within a tolerance;
//! 3. the mailer never has more connections open than the pool size.
//!
//! The default suite sends 400 messages at 200/s (about 2 s). `load_full` sends 10,000 at
//! 500/s (`scripts/load-full.sh`; figures in docs/RELIABILITY.md).
//!
//! The rate is measured between completions, from the one that ends the first tenth of the run
//! to the last: the first sends queue behind the pool's TLS handshakes and logins, and then
//! complete in a burst, which says nothing about the limit. Over the rest the limiter alone
//! sets the pace. Above the limit the short run allows 8%: the limiter's burst (10 ms of
//! messages, plus one) and the spread of send latencies, over its 1.8 s span; the full run 5%.
//! Below, the same margin applies to what the limiter owes on this machine at this moment: a
//! sender that wakes up later than the limit's tolerance loses the excess for good (see
//! `mailconf_tests::wakeup`), so a busy machine delivers less than the limit through no fault
//! of the limiter, and an idle one must deliver the limit itself.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use mailconf_core::{FromValue, MailConfig};
use mailconf_smtp::{Mailer, RateLimit, SmtpConfig};
use mailconf_tests::dev_settings::starttls_dev_server;
use mailconf_tests::wakeup::WakeUps;

const USER: &str = "load@example.com";
const PASSWORD: &str = "L0ad-Pa55word";

struct Load {
    messages: usize,
    tasks: usize,
    /// Messages per second.
    rate: u32,
    pool: usize,
    /// Allowed relative deviation of the achieved rate.
    tolerance: f64,
}

/// What a run measured.
struct Figures {
    elapsed: Duration,
    achieved_rate: f64,
    max_concurrent: usize,
    connections_total: usize,
    slowest_send: Duration,
}

async fn run(load: &Load) -> Figures {
    let dir = tempfile::tempdir().unwrap();
    let (server, mut settings) = starttls_dev_server(USER, PASSWORD, dir.path()).await;
    settings.extend([
        ("MAIL_RATE_LIMIT", format!("{}/s", load.rate)),
        ("MAIL_POOL_SIZE", load.pool.to_string()),
        ("TIMEOUT", "30s".to_owned()),
    ]);
    let config = SmtpConfig::from_map(settings).unwrap_or_else(|e| panic!("{e}"));
    let mailer = Mailer::new(&config).unwrap();

    let limit = RateLimit::from_value(&format!("{}/s", load.rate)).unwrap();
    let wake_ups = WakeUps::spawn(limit.interval());
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..load.tasks)
        .map(|_| {
            let (mailer, next) = (mailer.clone(), Arc::clone(&next));
            let (total, pool) = (load.messages, load.pool);
            tokio::spawn(async move {
                let mut done = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        return done;
                    }
                    let message = mailer
                        .message()
                        .to(format!("user{i}@example.net").parse().unwrap())
                        .subject(format!("load {i}"))
                        .body(format!("message {i}\n"))
                        .unwrap();
                    let sent_at = Instant::now();
                    let report = mailer
                        .send(message)
                        .await
                        .unwrap_or_else(|e| panic!("message {i}: {e}"));
                    assert_eq!(report.code(), 250);
                    assert!(mailer.open_connections() <= pool);
                    let id = report.message_id().unwrap().to_owned();
                    done.push((Instant::now(), sent_at.elapsed(), id));
                }
            })
        })
        .collect();
    let mut completions = Vec::with_capacity(load.messages);
    for task in tasks {
        completions.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed();
    let lateness = wake_ups.stop();

    // 1. Every Message-ID arrived exactly once.
    let received = server
        .wait_for_messages(load.messages, Duration::from_secs(30))
        .await;
    assert_eq!(received.len(), load.messages, "messages lost or duplicated");
    let mut counts: HashMap<String, usize> = HashMap::new();
    for message in &received {
        let id = message.header("Message-ID").expect("a Message-ID");
        *counts.entry(id).or_default() += 1;
        assert!(message.tls && message.auth_user.as_deref() == Some(USER));
    }
    for (_, _, id) in &completions {
        assert_eq!(counts.get(id), Some(&1), "{id} not received exactly once");
    }
    assert_eq!(counts.len(), load.messages);

    // 2. The achieved rate.
    completions.sort_by_key(|(at, _, _)| *at);
    let from = load.messages / 10;
    let span = completions[load.messages - 1].0 - completions[from].0;
    let achieved_rate = (load.messages - 1 - from) as f64 / span.as_secs_f64();

    let figures = Figures {
        elapsed,
        achieved_rate,
        max_concurrent: server.max_concurrent_connections(),
        connections_total: server.connections_total(),
        slowest_send: completions.iter().map(|(_, d, _)| *d).max().unwrap(),
    };
    eprintln!(
        "load: {} messages, {} tasks, limit {}/s, pool {}: achieved {:.1}/s, elapsed {:.2?}, \
         {} connections at most, {} in all, slowest send {:.2?}, timers late beyond the \
         tolerance by {:.2?} on average",
        load.messages,
        load.tasks,
        load.rate,
        load.pool,
        figures.achieved_rate,
        figures.elapsed,
        figures.max_concurrent,
        figures.connections_total,
        figures.slowest_send,
        lateness.mean_excess(limit.tolerance()),
    );
    // Never above the limit; below it only by what late timers cost on a busy machine.
    let owed = lateness.achievable_rate(limit.interval(), limit.tolerance());
    let rate = f64::from(load.rate);
    assert!(
        achieved_rate <= rate * (1.0 + load.tolerance)
            && achieved_rate >= owed * (1.0 - load.tolerance),
        "achieved {achieved_rate:.1}/s against a limit of {rate}/s (±{}%); with timers late by \
         {:?} on average beyond the tolerance (at most {:?}, {} wake-ups) the limiter owes \
         {owed:.1}/s",
        load.tolerance * 100.0,
        lateness.mean_excess(limit.tolerance()),
        lateness.max(),
        lateness.samples()
    );

    // 3. Never more connections than the pool size.
    assert!(
        figures.max_concurrent <= load.pool,
        "{} connections open at once with a pool of {}",
        figures.max_concurrent,
        load.pool
    );
    mailer.close_idle().await;
    assert_eq!(mailer.open_connections(), 0);
    server.shutdown().await;
    figures
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_hundred_messages_from_32_tasks_at_200_per_second() {
    run(&Load {
        messages: 400,
        tasks: 32,
        rate: 200,
        pool: 4,
        tolerance: 0.08,
    })
    .await;
}

/// The full run of docs/RELIABILITY.md: `scripts/load-full.sh`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "about 20 s; run by scripts/load-full.sh"]
async fn load_full() {
    run(&Load {
        messages: 10_000,
        tasks: 32,
        rate: 500,
        pool: 4,
        tolerance: 0.05,
    })
    .await;
}
