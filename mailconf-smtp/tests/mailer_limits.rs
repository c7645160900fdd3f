//! `Mailer` limits against the loopback dev server: rate limit, pool cap, suppression,
//! Message-IDs, and the blocking wrapper.

mod support;

use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use mailconf_smtp::dev_server::DevTls;
use mailconf_smtp::{BlockingMailer, Mailer, RateLimit, Security, Stage};
use support::*;

// ---------------------------------------------------------------------------------------------
// rate limit, pool, suppression

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rate_limit_holds_across_concurrent_tasks() {
    let (server, mut settings) = plain_server().await;
    settings.rate_limit = Some(
        RateLimit {
            messages: NonZeroU32::new(20).unwrap(),
            per: Duration::from_secs(1),
        }
        .into(),
    );
    let mailer = Mailer::new(&settings).unwrap();

    let started = Instant::now();
    let tasks: Vec<_> = (0..5)
        .map(|task| {
            let mailer = mailer.clone();
            tokio::spawn(async move {
                for i in 0..2 {
                    let message = simple(&mailer, &format!("task {task} message {i}"));
                    within(mailer.send(message)).await.unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = started.elapsed();
    // 10 messages at 20/s: the first goes at once, then one every 50 ms.
    assert!(
        elapsed >= Duration::from_millis(430),
        "took only {elapsed:?}"
    );
    assert_eq!(server.wait_for_messages(10, WAIT).await.len(), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pool_never_opens_more_than_pool_size_connections() {
    let (server, mut settings) = plain_server().await;
    settings.pool_size = 2;
    let mailer = Mailer::new(&settings).unwrap();

    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let mailer = mailer.clone();
            tokio::spawn(async move {
                let report = within(mailer.send(simple(&mailer, &format!("pooled {i}")))).await;
                let open = mailer.open_connections();
                (report.map(|r| r.code()), open)
            })
        })
        .collect();
    for task in tasks {
        let (code, open) = task.await.unwrap();
        assert_eq!(code.unwrap(), 250);
        assert!(open <= 2, "{open} sessions open");
    }
    assert_eq!(server.wait_for_messages(12, WAIT).await.len(), 12);
    assert!(server.max_concurrent_connections() <= 2);
    assert!(server.connections_total() <= 2, "sessions are reused");
    assert!(mailer.open_connections() <= 2);

    within(mailer.close_idle()).await;
    assert_eq!(mailer.open_connections(), 0);
}

#[tokio::test]
async fn suppress_send_records_and_sends_nothing() {
    let server = dev_server(DevTls::None).await;
    let mut settings = Settings::new(server.port(), Security::Plain);
    settings.suppress = true;
    let mailer = Mailer::new(&settings).unwrap();

    let message = mailer
        .verification_email("new@example.net", "Example", "https://example.com/c")
        .unwrap();
    let report = within(mailer.send(message)).await.unwrap();
    assert!(report.is_suppressed());
    assert_eq!(report.attempts(), 0);
    within(mailer.test_connection()).await.unwrap();

    let recorded = mailer.suppressed();
    assert_eq!(recorded.len(), 1);
    let raw = String::from_utf8(recorded[0].formatted()).unwrap();
    assert!(
        raw.contains("Subject: Confirm your email for Example"),
        "{raw}"
    );
    assert_eq!(
        recorded[0].headers().get_raw("Message-ID"),
        report.message_id()
    );
    assert_eq!(server.connections_total(), 0);
}

#[test]
fn message_ids_are_fresh_and_use_the_sender_domain() {
    let mailer = Mailer::new(&Settings::new(2525, Security::Plain)).unwrap();
    let id = |m: lettre::Message| m.headers().get_raw("Message-ID").unwrap().to_owned();
    let a = id(simple(&mailer, "a"));
    let b = id(simple(&mailer, "b"));
    assert_ne!(a, b);
    assert!(a.starts_with('<') && a.ends_with("@example.com>"), "{a}");
    assert_eq!(mailer.sender().to_string(), "Example App <app@example.com>");
}

#[test]
fn bad_recipients_and_links_are_errors() {
    let mailer = Mailer::new(&Settings::new(2525, Security::Plain)).unwrap();
    assert!(
        mailer
            .verification_email("not an address", "App", "https://example.com")
            .is_err()
    );
    assert!(
        mailer
            .verification_email("a@example.com", "App", "javascript:alert(1)")
            .is_err()
    );
    assert!(
        mailer
            .verification_email("a@example.com", "App\r\nBcc: x@evil.test", "https://e.com")
            .is_err()
    );
}

// ---------------------------------------------------------------------------------------------
// the blocking wrapper

#[test]
fn blocking_mailer_sends_from_a_plain_thread_and_refuses_inside_a_runtime() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(dev_server(DevTls::Implicit));
    let dir = tempfile::tempdir().unwrap();
    let settings = trusting(&server, Security::ImplicitTls, &dir);

    let sender = settings.clone();
    let report = std::thread::spawn(move || {
        let mailer = BlockingMailer::new(&sender).unwrap();
        mailer.test_connection().unwrap();
        let message = mailer
            .verification_email("Zoë <zoe@example.net>", "App", "https://example.com/c")
            .unwrap();
        mailer.send(message)
    })
    .join()
    .unwrap()
    .unwrap();
    assert_eq!(report.code(), 250);
    assert_eq!(runtime.block_on(server.wait_for_messages(1, WAIT)).len(), 1);

    let mailer = BlockingMailer::new(&settings).unwrap();
    runtime.block_on(async {
        let message = mailer
            .message()
            .to("x@example.net".parse().unwrap())
            .body(String::new())
            .unwrap();
        let err = mailer.send(message).unwrap_err();
        assert_eq!(err.stage(), Stage::Setup);
        assert_eq!(err.attempts(), 0);
        assert!(err.hint().unwrap().contains("await"), "{err}");
        assert!(mailer.test_connection().is_err());
        // Dropping it here must not panic either (its runtime shuts down in the background).
        drop(mailer);
    });
    assert_eq!(server.messages().len(), 1);
}

#[test]
fn mailer_is_clone_send_sync() {
    fn check<T: Clone + Send + Sync + 'static>() {}
    check::<Mailer>();
    fn check_send<T: Send + Sync>() {}
    check_send::<BlockingMailer>();
}
