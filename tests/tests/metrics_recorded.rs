//! What a `Mailer` records through the `metrics` facade, read back through a real exporter
//! (Prometheus's, installed as an application would): each counter, histogram and gauge of
//! `mailconf_smtp::metrics` moves when it should, with its labels, and no address, subject or
//! password shows. One test, because a process has one recorder.

use std::time::Duration;

use mailconf_core::MailConfig;
use mailconf_smtp::dev_server::{DevServer, DevTls};
use mailconf_smtp::metrics::{self, SECONDS_BUCKETS};
use mailconf_smtp::{Mailer, SmtpConfig, Stage};
use mailconf_tests::dev_settings::{hello, plain_dev_settings};
use mailconf_tests::redis::RedisServer;
use mailconf_tests::scripted::{Act, Script, ScriptedPeer, Step, send};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// The value of the series `name` (with its labels, as rendered) in the exposition; 0 when
/// it is not there yet.
fn value(handle: &PrometheusHandle, series: &str) -> f64 {
    handle
        .render()
        .lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or(0.0)
}

fn dev_mailer(server: &DevServer, extra: &[(&'static str, String)]) -> Mailer {
    let mut map = plain_dev_settings(server.port());
    map.extend(extra.iter().cloned());
    Mailer::new(&SmtpConfig::from_map(map).unwrap()).unwrap()
}

fn message(mailer: &Mailer, n: u32) -> lettre::Message {
    hello(
        mailer,
        "secret-rcpt@example.net",
        format!("private subject {n}"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_metric_moves_with_bounded_labels_and_no_private_data() {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), &SECONDS_BUCKETS)
        .unwrap()
        .install_recorder()
        .unwrap();
    let sent = metrics::SENT;
    let waited = format!("{}_count", metrics::RATE_LIMIT_WAIT_SECONDS);

    // Three messages at 5/s through a pool of 2: sent, timed, and two of them waited.
    let server = DevServer::builder()
        .tls(DevTls::None)
        .start()
        .await
        .unwrap();
    let mailer = dev_mailer(
        &server,
        &[
            ("MAIL_RATE_LIMIT", "5/s".to_owned()),
            ("MAIL_POOL_SIZE", "2".to_owned()),
        ],
    );
    let started = std::time::Instant::now();
    for n in 0..3 {
        mailer.send(message(&mailer, n)).await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    assert_eq!(value(&handle, sent), 3.0);
    assert_eq!(
        value(&handle, &format!("{}_count", metrics::SEND_SECONDS)),
        3.0
    );
    assert_eq!(value(&handle, &waited), 3.0, "one wait per message");
    // 200 ms apart: the 2nd and 3rd waited that long less the time the sends before them took,
    // which a loaded machine stretches, so only the bounds are certain: some waiting was
    // recorded, and no more than the sends took in all.
    let wait_sum = value(
        &handle,
        &format!("{}_sum", metrics::RATE_LIMIT_WAIT_SECONDS),
    );
    assert!(
        wait_sum > 0.0 && wait_sum < elapsed,
        "{wait_sum} of {elapsed} s"
    );
    assert!(
        value(
            &handle,
            &format!("{}_bucket{{le=\"0.25\"}}", metrics::RATE_LIMIT_WAIT_SECONDS)
        ) >= 3.0,
        "{}",
        handle.render()
    );
    assert_eq!(
        value(&handle, metrics::POOL_OPEN),
        1.0,
        "one session, reused"
    );
    assert_eq!(value(&handle, metrics::POOL_IN_USE), 0.0);
    mailer.close_idle().await;
    assert_eq!(value(&handle, metrics::POOL_OPEN), 0.0);

    // A temporary refusal, then acceptance: one retry, one more sent.
    let peer =
        ScriptedPeer::start(Script::new(&[]).once_at(Step::Rcpt, Act::reply(451, "later"))).await;
    send(&peer.mailer()).await.unwrap();
    assert_eq!(value(&handle, metrics::RETRIED), 1.0);
    assert_eq!(value(&handle, sent), 4.0);

    // A permanent refusal of the recipient: failed, by stage and kind.
    let peer =
        ScriptedPeer::start(Script::new(&[]).at(Step::Rcpt, Act::reply(550, "no such"))).await;
    let error = send(&peer.mailer()).await.unwrap_err();
    assert_eq!(error.stage(), Stage::Rcpt);
    let failed_rcpt = format!("{}{{stage=\"rcpt\",kind=\"permanent\"}}", metrics::FAILED);
    assert_eq!(value(&handle, &failed_rcpt), 1.0, "{}", handle.render());
    assert_eq!(value(&handle, sent), 4.0);

    // The shared limit's store: errors counted and the gauge down while Redis is away, up
    // again after.
    if let Some(mut redis) = RedisServer::start() {
        let mailer = dev_mailer(
            &server,
            &[
                ("MAIL_RATE_LIMIT", "100/s".to_owned()),
                ("MAIL_RATE_LIMIT_REDIS_URL", redis.url()),
                ("MAIL_RATE_LIMIT_REDIS_FAILURE", "fail".to_owned()),
            ],
        );
        mailer.send(message(&mailer, 10)).await.unwrap();
        assert_eq!(value(&handle, metrics::RATE_LIMIT_STORE_UP), 1.0);
        redis.kill();
        let error = mailer.send(message(&mailer, 11)).await.unwrap_err();
        assert_eq!(error.stage(), Stage::Setup);
        let setup = format!("{}{{stage=\"setup\",kind=\"permanent\"}}", metrics::FAILED);
        assert_eq!(value(&handle, &setup), 1.0, "{}", handle.render());
        assert!(value(&handle, metrics::RATE_LIMIT_STORE_ERRORS) >= 1.0);
        assert_eq!(value(&handle, metrics::RATE_LIMIT_STORE_UP), 0.0);
        redis.restart();
        mailer.send(message(&mailer, 12)).await.unwrap();
        assert_eq!(value(&handle, metrics::RATE_LIMIT_STORE_UP), 1.0);
    }

    server.wait_for_messages(3, Duration::from_secs(10)).await;
    let text = handle.render();
    for private in ["example.net", "example.com", "private subject", "127.0.0.1"] {
        assert!(!text.contains(private), "{private} in the metrics: {text}");
    }
    // Every label value comes from a closed set.
    for line in text.lines().filter(|l| l.starts_with(metrics::FAILED)) {
        let labels = line.split(['{', '}']).nth(1).unwrap_or_default();
        for pair in labels.split(',') {
            let (key, value) = pair.split_once('=').unwrap();
            let value = value.trim_matches('"');
            let allowed: &[&str] = match key {
                "stage" => &[
                    "setup",
                    "connect",
                    "tls",
                    "auth",
                    "mail_from",
                    "rcpt",
                    "data",
                ],
                "kind" => &["permanent", "temporary", "timeout"],
                other => panic!("unexpected label {other}"),
            };
            assert!(allowed.contains(&value), "{line}");
        }
    }
}
