//! The page's `--metrics`: how an application wires its own exporter so that the metrics the
//! `Mailer` records are scraped.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mailconf_core::MailConfig;
use mailconf_smtp::dev_server::{DevServer, DevTls};
use mailconf_smtp::{Mailer, SmtpConfig};
use mailconf_tests::dev_settings::{hello, plain_dev_settings};
use mailconf_tests::ports::free_port;
use mailconf_tests::scrape::metrics_text;

fn free_addr() -> SocketAddr {
    (Ipv4Addr::LOCALHOST, free_port()).into()
}

fn scrape(addr: SocketAddr) -> Option<String> {
    metrics_text(addr.port())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_that_installs_the_exporter_serves_the_mailers_metrics() {
    let addr = free_addr();
    settings_page::serve_metrics(addr).unwrap();
    let again = settings_page::serve_metrics(free_addr()).unwrap_err();
    assert!(again.contains("--metrics"), "{again}");

    let server = DevServer::builder()
        .tls(DevTls::None)
        .start()
        .await
        .unwrap();
    let config = SmtpConfig::from_map(plain_dev_settings(server.port())).unwrap();
    let mailer = Mailer::new(&config).unwrap();
    let message = hello(&mailer, "rcpt@example.net", "metrics".to_owned());
    mailer.send(message).await.unwrap();

    let text = tokio::task::spawn_blocking(move || scrape(addr))
        .await
        .unwrap()
        .expect("the exporter answers");
    assert!(
        text.lines().any(|l| l == "mailconf_messages_sent_total 1"),
        "{text}"
    );
    // The buckets the page asks for, not the exporter's summary default.
    assert!(
        text.contains("mailconf_send_duration_seconds_bucket{le=\"0.001\"}"),
        "{text}"
    );
    assert!(!text.contains("example.net") && !text.contains("example.com"));
}

#[test]
fn the_binary_serves_metrics_with_the_option_and_says_when_it_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let page = |metrics: SocketAddr| {
        Command::new(env!("CARGO_BIN_EXE_settings-page"))
            .arg("--env-file")
            .arg(dir.path().join("mail.env"))
            .args(["--bind", "127.0.0.1:0", "--metrics", &metrics.to_string()])
            .env("SETTINGS_PAGE_TOKEN", "a-token-of-sixteen-chars")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let addr = free_addr();
    let mut child = page(addr);
    let deadline = Instant::now() + Duration::from_secs(20);
    let served = loop {
        if let Some(text) = scrape(addr) {
            break text;
        }
        assert!(child.try_wait().unwrap().is_none(), "the page exited");
        assert!(Instant::now() < deadline, "no metrics on {addr}");
        std::thread::sleep(Duration::from_millis(50));
    };
    // Nothing sent yet: an empty exposition, but a real exporter on the address given.
    assert!(!served.contains("example"), "{served}");

    // The address is taken now: the page refuses to start rather than run without them.
    let out = page(addr).wait_with_output().unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot serve metrics") && stderr.contains("--metrics"),
        "{stderr}"
    );
}
