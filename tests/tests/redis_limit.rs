//! The send limit shared through a real Redis (Debian's redis-server, started privately on a
//! loopback port): atomic across limiters, keyed, password-protected, and each failure policy
//! when Redis is killed and restarted mid-run, counting what arrives at the dev server.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use mailconf_core::{FromValue, MailConfig, Secret};
use mailconf_smtp::dev_server::{DevServer, DevTls};
use mailconf_smtp::{
    Mailer, RateLimits, RedisFailure, SendLimiter, SharedLimit, SmtpConfig, Stage,
};
use mailconf_tests::dev_settings::{hello, plain_dev_settings};
use mailconf_tests::redis::{RedisServer, goes_now};
use tokio::time::timeout;

const HUNTER: &str = "Redis-Pa55word-f00d";

fn shared(url: String, key: &str, on_failure: RedisFailure) -> SharedLimit {
    SharedLimit {
        url: Secret::new(url),
        key: key.to_owned(),
        on_failure,
        cluster: false,
    }
}

#[tokio::test]
async fn limiters_with_one_key_share_every_window_and_other_keys_do_not() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let limits = RateLimits::from_value("1000/s,5/h").unwrap();
    let key = |k: &str| shared(redis.url(), k, RedisFailure::Fail);
    let (a, b) = (
        SendLimiter::shared(&limits, &key("app")).unwrap(),
        SendLimiter::shared(&limits, &key("app")).unwrap(),
    );
    for limiter in [&a, &b, &a, &b, &a] {
        assert!(goes_now(limiter).await, "within the hourly quota of 5");
    }
    assert!(
        !goes_now(&a).await,
        "the 6th send within the hour must wait"
    );
    assert!(
        !goes_now(&b).await,
        "and so must every limiter with the same key"
    );
    let other = SendLimiter::shared(&limits, &key("other-app")).unwrap();
    assert!(goes_now(&other).await, "another key is another limit");
}

#[tokio::test]
async fn the_password_comes_from_the_url_and_never_shows() {
    let Some(redis) = RedisServer::start_with(Some(HUNTER)) else {
        return;
    };
    let limits = RateLimits::from_value("100/s").unwrap();
    let good =
        SendLimiter::shared(&limits, &shared(redis.url(), "pw", RedisFailure::Fail)).unwrap();
    assert!(goes_now(&good).await);

    let wrong = format!("redis://:Wrong-{HUNTER}@127.0.0.1:{}", redis.port());
    let wrong = SendLimiter::shared(&limits, &shared(wrong, "pw", RedisFailure::Fail)).unwrap();
    let error = wrong.acquire().await.unwrap_err().to_string();
    assert!(!error.contains(HUNTER), "{error}");
    assert!(
        error.contains("MAIL_RATE_LIMIT_REDIS_URL=redis://127.0.0.1:"),
        "{error}"
    );
    assert!(
        error.contains("MAIL_RATE_LIMIT_REDIS_FAILURE=fail"),
        "{error}"
    );
}

/// A private Redis, a plain loopback dev server, and a mailer for it with a limit of 20/s
/// shared through that Redis under `key`, with the failure `policy`; `None` when Redis is
/// missing (the skip is reported).
async fn setup(policy: &str, key: &str) -> Option<(RedisServer, DevServer, Mailer)> {
    let redis = RedisServer::start()?;
    let server = DevServer::builder()
        .tls(DevTls::None)
        .start()
        .await
        .unwrap();
    let mut settings = plain_dev_settings(server.port());
    settings.extend([
        ("MAIL_POOL_SIZE", "4".to_owned()),
        ("MAIL_RATE_LIMIT", "20/s".to_owned()),
        ("MAIL_RATE_LIMIT_REDIS_URL", redis.url()),
        ("MAIL_RATE_LIMIT_KEY", key.to_owned()),
        ("MAIL_RATE_LIMIT_REDIS_FAILURE", policy.to_owned()),
    ]);
    let config = SmtpConfig::from_map(settings).unwrap();
    let mailer = Mailer::new(&config).unwrap();
    Some((redis, server, mailer))
}

fn message(mailer: &Mailer, n: u32) -> lettre::Message {
    hello(mailer, "rcpt@example.net", format!("load #{n}"))
}

/// Sends `total` messages from 4 tasks; every send must succeed.
fn send_all(mailer: &Mailer, total: u32) -> Vec<tokio::task::JoinHandle<()>> {
    let next = Arc::new(AtomicU32::new(0));
    (0..4)
        .map(|_| {
            let (mailer, next) = (mailer.clone(), Arc::clone(&next));
            tokio::spawn(async move {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= total {
                        break;
                    }
                    mailer.send(message(&mailer, n)).await.unwrap();
                }
            })
        })
        .collect()
}

/// Waits for every sender of [`send_all`], 30 s at most each; a failed send fails the test.
async fn all_finished(senders: Vec<tokio::task::JoinHandle<()>>) {
    for sender in senders {
        timeout(Duration::from_secs(30), sender)
            .await
            .expect("the sender finished within 30 s")
            .expect("every send succeeded");
    }
}

/// Every message arrived exactly once: `total` distinct subjects and Message-IDs.
async fn exactly_once(server: &DevServer, total: u32) {
    server
        .wait_for_messages(total as usize, Duration::from_secs(30))
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got = server.messages();
    assert_eq!(got.len(), total as usize, "messages lost or sent twice");
    let subjects: HashSet<_> = got.iter().filter_map(|m| m.subject()).collect();
    let ids: HashSet<_> = got.iter().filter_map(|m| m.header("Message-ID")).collect();
    assert_eq!(
        (subjects.len(), ids.len()),
        (total as usize, total as usize)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_policy_holds_mail_while_redis_is_down_and_loses_none() {
    let Some((mut redis, server, mailer)) = setup("wait", "wait-policy").await else {
        return;
    };
    let senders = send_all(&mailer, 60);

    let started = Instant::now();
    while server.messages().len() < 15 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "sending did not start"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    redis.kill();
    // Sends that passed the limit before the kill may still finish; then nothing goes.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let during = server.messages().len();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        server.messages().len(),
        during,
        "a message went out while the limit was unknown"
    );
    assert!(during < 60);

    redis.restart();
    all_finished(senders).await;
    exactly_once(&server, 60).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_policy_keeps_sending_at_the_local_limit() {
    let Some((mut redis, server, mailer)) = setup("local", "local-policy").await else {
        return;
    };
    redis.kill();
    let started = Instant::now();
    all_finished(send_all(&mailer, 11)).await;
    // 11 messages at this process's own 20/s: the first at once, then one every 50 ms.
    assert!(
        started.elapsed() >= Duration::from_millis(480),
        "{:?}",
        started.elapsed()
    );
    exactly_once(&server, 11).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fail_policy_fails_the_send_naming_the_settings() {
    let Some((mut redis, server, mailer)) = setup("fail", "fail-policy").await else {
        return;
    };
    mailer.send(message(&mailer, 0)).await.unwrap();
    redis.kill();
    let error = mailer.send(message(&mailer, 1)).await.unwrap_err();
    assert_eq!(error.stage(), Stage::Setup);
    assert!(
        error.message().contains("MAIL_RATE_LIMIT_REDIS_URL"),
        "{error}"
    );
    assert!(
        error
            .message()
            .contains("MAIL_RATE_LIMIT_REDIS_FAILURE=fail"),
        "{error}"
    );
    redis.restart();
    mailer.send(message(&mailer, 2)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        server.messages().len(),
        2,
        "the failed message must not have gone out"
    );
}
