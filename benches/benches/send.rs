//! Messages per second over STARTTLS with AUTH to the loopback dev server: `Mailer` next to raw
//! lettre with the same pool size, and one connection per message.
//!
//! Run: `cargo bench -p benches --bench send`. Results: `docs/BENCHMARKS.md`.
//!
//! One iteration is one round: 16 tokio tasks each send 8 messages (128 in all) through one
//! shared client, and the round ends when every task is done. Every variant gets a fresh dev
//! server. After each variant a line on stderr gives the connections the server accepted (how
//! many SMTP sessions the client opened) and the process's CPU time per message, a figure that
//! load from other processes moves much less than throughput.
//!
//! lettre's `AsyncSmtpTransport` does not set `TCP_NODELAY`, so each of its messages waits for
//! a delayed ACK (about 40 ms on Linux) before the final `.` goes out; `lettre_conn4_nodelay`
//! drives the same lettre calls on `TCP_NODELAY` sockets to compare the `Mailer` without that.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use criterion::{BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group};
use criterion::{criterion_main, measurement::WallTime};
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{
    AsyncSmtpConnection, Certificate, CertificateStore, Tls, TlsParameters,
};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use mailconf_core::MailConfig;
use mailconf_smtp::dev_server::{DevServer, DevTls};
use mailconf_smtp::{Mailer, SmtpConfig};
use tokio::net::TcpStream;
use tokio::runtime::Runtime;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

const USER: &str = "bench";
const PASSWORD: &str = "bench-Pa55word";
/// Concurrent tasks sharing one client.
const TASKS: usize = 16;
/// Messages each task sends, one after the other, per round.
const PER_TASK: usize = 8;
/// Messages per round (one criterion iteration).
const ROUND: usize = TASKS * PER_TASK;
/// Connections kept by the pooled clients.
const POOL: usize = 4;

/// About 1 KiB of plain ASCII text, a typical transactional email.
const BODY: &str = "Hello,\r\n\r\nplease confirm your email address by opening the link below. \
It is valid for 24 hours; if you did not create an account, ignore this message and nothing \
will happen.\r\n\r\nhttps://app.example.com/confirm?token=0123456789abcdef0123456789abcdef\r\n\r\n\
Thanks,\r\nthe Example App team\r\n\r\n-- \r\nExample App, 1 Example Street, Example City. You \
receive this email because an account was created with this address on app.example.com. Our \
privacy policy explains which data we keep and for how long: \
https://app.example.com/privacy. To stop receiving these emails, delete your account from \
the settings page, or write to support@example.com and we will do it for you within a few \
days. This footer is long on purpose, so that the message is about one kilobyte, like most \
of the transactional messages an application sends: confirmations, password resets, \
receipts and notifications.\r\n";

// ---------------------------------------------------------------------------------------------
// The clients compared

/// Where the dev server of the current variant listens, and the CA that signed its certificate.
struct Target {
    port: u16,
    ca_pem: String,
}

#[derive(Clone)]
enum Client {
    /// One `Mailer` shared by every task: at most `POOL` sessions, reused.
    Mailer(Mailer),
    /// One lettre transport shared by every task, `PoolConfig::max_size(POOL)`.
    Lettre(AsyncSmtpTransport<Tokio1Executor>),
    /// The same lettre transport, with at most `POOL` sends in flight (a semaphore), so that it
    /// never needs more sessions than its pool keeps, like the `Mailer`.
    LettreCapped(AsyncSmtpTransport<Tokio1Executor>, Arc<Semaphore>),
    /// lettre's connection-level API on `TCP_NODELAY` sockets with the smallest pool that does
    /// what both pools do: at most `POOL` sessions, `NOOP` before reusing one.
    LettreNodelay(Arc<NodelayPool>),
    /// A new `Mailer` for every message (so a new session), dropped after the send.
    MailerPerMessage(Arc<SmtpConfig>),
    /// A new lettre transport for every message, dropped after the send.
    LettrePerMessage(Arc<Target>),
}

impl Client {
    async fn send(&self, message: Message) {
        match self {
            Client::Mailer(mailer) => {
                mailer.send(message).await.expect("Mailer::send");
            }
            Client::Lettre(transport) => {
                transport.send(message).await.expect("lettre send");
            }
            Client::LettreCapped(transport, in_flight) => {
                let _permit = in_flight
                    .acquire()
                    .await
                    .expect("the semaphore is never closed");
                transport.send(message).await.expect("lettre send");
            }
            Client::LettreNodelay(pool) => pool.send(message).await,
            Client::MailerPerMessage(config) => {
                let mailer = Mailer::new(&**config).expect("Mailer::new");
                mailer.send(message).await.expect("Mailer::send");
            }
            Client::LettrePerMessage(target) => {
                let transport = lettre_transport(target, 1);
                transport.send(message).await.expect("lettre send");
            }
        }
    }
}

struct NodelayPool {
    target: Arc<Target>,
    tls: TlsParameters,
    hello: ClientId,
    credentials: Credentials,
    slots: Semaphore,
    idle: Mutex<Vec<AsyncSmtpConnection>>,
}

impl NodelayPool {
    fn new(target: Arc<Target>) -> NodelayPool {
        NodelayPool {
            tls: tls_parameters(&target),
            target,
            hello: ClientId::default(),
            credentials: Credentials::new(USER.to_owned(), PASSWORD.to_owned()),
            slots: Semaphore::new(POOL),
            idle: Mutex::new(Vec::new()),
        }
    }

    async fn send(&self, message: Message) {
        let _slot = self.slots.acquire().await.expect("never closed");
        let mut conn = loop {
            let idle = self.lock().pop();
            match idle {
                Some(mut conn) => {
                    if conn.test_connected().await {
                        break conn;
                    }
                }
                None => break self.open().await,
            }
        };
        conn.send(message.envelope(), &message.formatted())
            .await
            .expect("lettre connection send");
        self.lock().push(conn);
    }

    async fn open(&self) -> AsyncSmtpConnection {
        let tcp = TcpStream::connect(("127.0.0.1", self.target.port))
            .await
            .expect("connect");
        tcp.set_nodelay(true).expect("TCP_NODELAY");
        let mut conn = AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello)
            .await
            .expect("greeting");
        conn.starttls(self.tls.clone(), &self.hello)
            .await
            .expect("STARTTLS");
        conn.auth(&[Mechanism::Plain, Mechanism::Login], &self.credentials)
            .await
            .expect("AUTH");
        conn
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<AsyncSmtpConnection>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Trust only the dev server's CA, for the name `localhost`.
fn tls_parameters(target: &Target) -> TlsParameters {
    let ca = Certificate::from_pem(target.ca_pem.as_bytes()).expect("the dev server's CA");
    TlsParameters::builder("localhost".to_owned())
        .add_root_certificate(ca)
        .certificate_store(CertificateStore::None)
        .build_rustls()
        .expect("TLS parameters")
}

/// Raw lettre with the same server, TLS trust, credentials and pool size as the `Mailer`.
fn lettre_transport(target: &Target, pool: u32) -> AsyncSmtpTransport<Tokio1Executor> {
    let tls = tls_parameters(target);
    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(target.port)
        .tls(Tls::Required(tls))
        .credentials(Credentials::new(USER.to_owned(), PASSWORD.to_owned()))
        .pool_config(PoolConfig::new().max_size(pool))
        .timeout(Some(Duration::from_secs(30)))
        .build()
}

/// The `Mailer`'s settings, loaded the way an application loads them.
fn smtp_config(port: u16, ca_file: &std::path::Path, pool: usize) -> SmtpConfig {
    let port = port.to_string();
    let pool = pool.to_string();
    let ca_file = ca_file.to_str().expect("a UTF-8 temporary path");
    SmtpConfig::from_map([
        ("MAIL_SERVER", "127.0.0.1"),
        ("MAIL_PORT", port.as_str()),
        ("MAIL_STARTTLS", "true"),
        ("MAIL_SSL_TLS", "false"),
        ("MAIL_USERNAME", USER),
        ("MAIL_PASSWORD", PASSWORD),
        ("MAIL_FROM", "app@example.com"),
        ("MAIL_FROM_NAME", "Example App"),
        ("MAIL_CA_FILE", ca_file),
        ("MAIL_POOL_SIZE", pool.as_str()),
        ("TIMEOUT", "30"),
    ])
    .expect("the benchmark settings load")
}

/// Numbers the messages of the whole run, for unique `Message-ID`s.
static SERIAL: AtomicUsize = AtomicUsize::new(0);

/// The same message for every client, built inside the timed round (as an application would).
/// Every message carries its own `Message-ID`, as an application that wants receivers to
/// de-duplicate sets one, so the `Mailer` adds none and both clients send the same bytes.
fn message(from: &Mailbox, to: &Mailbox, task: usize, n: usize) -> Message {
    let serial = SERIAL.fetch_add(1, Ordering::Relaxed);
    Message::builder()
        .from(from.clone())
        .to(to.clone())
        .message_id(Some(format!("<bench-{serial}@app.example.com>")))
        .subject(format!("Confirm your email ({task}-{n})"))
        .header(ContentType::TEXT_PLAIN)
        .body(BODY.to_owned())
        .expect("a valid message")
}

/// One round: `TASKS` tasks each send `PER_TASK` messages through `client`.
async fn round(client: &Client, sent: &Arc<AtomicUsize>) {
    let from: Mailbox = "Example App <app@example.com>".parse().expect("sender");
    let to: Mailbox = "Zoe <zoe@example.com>".parse().expect("recipient");
    let mut tasks = JoinSet::new();
    for task in 0..TASKS {
        let (client, sent, from, to) = (client.clone(), Arc::clone(sent), from.clone(), to.clone());
        tasks.spawn(async move {
            for n in 0..PER_TASK {
                client.send(message(&from, &to, task, n)).await;
                sent.fetch_add(1, Ordering::Relaxed);
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("a sending task panicked");
    }
}

// ---------------------------------------------------------------------------------------------

/// The dev server runs on its own runtime, the clients on another, like two processes would.
struct Rig {
    server_rt: Runtime,
    client_rt: Runtime,
}

fn runtime(name: &str) -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(name)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Benchmarks one client against a fresh server, then prints what the server saw.
fn variant<F, Fut>(group: &mut BenchmarkGroup<'_, WallTime>, rig: &Rig, name: &str, make: F)
where
    F: FnOnce(Arc<Target>, &std::path::Path) -> Fut,
    Fut: Future<Output = Client>,
{
    let server = rig
        .server_rt
        .block_on(
            DevServer::builder()
                .tls(DevTls::StartTls)
                .user(USER, PASSWORD)
                .start(),
        )
        .expect("start the dev server");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let ca_file = server.write_ca_file(dir.path()).expect("write the CA file");
    let target = Arc::new(Target {
        port: server.port(),
        ca_pem: server.ca_pem().to_owned(),
    });
    let client = rig.client_rt.block_on(make(target, &ca_file));
    let sent = Arc::new(AtomicUsize::new(0));
    let mut cpu = Some(Duration::ZERO);

    group.bench_function(name, |b| {
        b.iter_custom(|rounds| {
            let cpu_before = process_cpu();
            let elapsed = rig.client_rt.block_on(async {
                let start = Instant::now();
                for _ in 0..rounds {
                    round(&client, &sent).await;
                }
                start.elapsed()
            });
            cpu = match (cpu, cpu_before, process_cpu()) {
                (Some(total), Some(before), Some(after)) => {
                    Some(total + after.saturating_sub(before))
                }
                _ => None,
            };
            elapsed
        })
    });

    // lettre's pool spawns its clean-up when dropped, so drop it inside the runtime.
    rig.client_rt.block_on(async move { drop(client) });
    let sent = sent.load(Ordering::Relaxed);
    if sent == 0 {
        // Filtered out on the command line.
        rig.server_rt.block_on(server.shutdown());
        return;
    }
    let received = rig
        .server_rt
        .block_on(server.wait_for_messages(sent, Duration::from_secs(10)))
        .len();
    assert_eq!(received, sent, "{name}: every message sent was received");
    let connections = server.connections_total();
    let cpu = cpu.map_or_else(
        || "unknown".to_owned(),
        |cpu| format!("{:.0} µs", cpu.as_secs_f64() * 1e6 / sent as f64),
    );
    eprintln!(
        "{name}: {sent} messages over {connections} connections ({:.1} per connection), \
         at most {} open at once; CPU per message (client + server): {cpu}",
        sent as f64 / connections.max(1) as f64,
        server.max_concurrent_connections(),
    );
    rig.server_rt.block_on(server.shutdown());
}

/// CPU time used so far by the threads of this process (both runtimes and criterion's), from
/// Linux's `/proc/self/task/*/schedstat`; `None` elsewhere. Unlike wall time, it hardly moves
/// when other processes compete for the cores.
fn process_cpu() -> Option<Duration> {
    let mut nanos = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let schedstat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        nanos += schedstat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(nanos))
}

fn send(c: &mut Criterion) {
    let rig = Rig {
        server_rt: runtime("dev-server"),
        client_rt: runtime("client"),
    };
    let mut group = c.benchmark_group("send_starttls_auth_16_tasks");
    group
        .throughput(Throughput::Elements(ROUND as u64))
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));

    variant(&mut group, &rig, "mailer_pool4", |target, ca_file| {
        let config = smtp_config(target.port, ca_file, POOL);
        async move { Client::Mailer(Mailer::new(&config).expect("Mailer::new")) }
    });
    variant(&mut group, &rig, "lettre_pool4", |target, _| async move {
        Client::Lettre(lettre_transport(&target, POOL as u32))
    });
    variant(
        &mut group,
        &rig,
        "lettre_pool4_4_in_flight",
        |target, _| async move {
            Client::LettreCapped(
                lettre_transport(&target, POOL as u32),
                Arc::new(Semaphore::new(POOL)),
            )
        },
    );
    variant(
        &mut group,
        &rig,
        "lettre_conn4_nodelay",
        |target, _| async move { Client::LettreNodelay(Arc::new(NodelayPool::new(target))) },
    );
    variant(&mut group, &rig, "mailer_per_message", |target, ca_file| {
        let config = smtp_config(target.port, ca_file, 1);
        async move { Client::MailerPerMessage(Arc::new(config)) }
    });
    variant(
        &mut group,
        &rig,
        "lettre_per_message",
        |target, _| async move { Client::LettrePerMessage(target) },
    );
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
}

criterion_group! {
    name = benches;
    config = config();
    targets = send
}
criterion_main!(benches);
