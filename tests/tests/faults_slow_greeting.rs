//! The TLS-mode check of a silent port (about 2 s after connect) must not mistake a server that
//! is merely slow to greet for an implicit-TLS port: it answers the check's TLS handshake with
//! plain text, and the session goes on as configured.

use std::time::{Duration, Instant};

use mailconf_smtp::{Mailer, Security};
use mailconf_tests::scripted::{PeerSettings, within};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const DELAY: Duration = Duration::from_millis(2500);

/// A plain SMTP server that greets only after [`DELAY`], then answers EHLO, NOOP and QUIT.
async fn slow_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(session(stream));
        }
    });
    port
}

async fn session(stream: TcpStream) {
    let (read, mut write) = stream.into_split();
    tokio::time::sleep(DELAY).await;
    if write.write_all(b"220 slow.test ESMTP\r\n").await.is_err() {
        return;
    }
    let mut lines = BufReader::new(read).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-slow.test\r\n250 8BITMIME\r\n",
            "QUIT" => b"221 bye\r\n",
            "NOOP" => b"250 ok\r\n",
            _ => b"500 what\r\n",
        };
        if write.write_all(reply).await.is_err() || verb == "QUIT" {
            return;
        }
    }
}

#[tokio::test]
async fn a_slow_greeting_is_waited_for_and_not_taken_for_implicit_tls() {
    let port = slow_server().await;
    let settings = PeerSettings::new(port, Security::Plain).timeout(Duration::from_secs(20));
    let mailer = Mailer::new(&settings).unwrap();
    let started = Instant::now();
    within(mailer.test_connection())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(started.elapsed() >= DELAY, "{:?}", started.elapsed());
}
