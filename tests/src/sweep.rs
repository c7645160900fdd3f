//! The secret sweeps' harness (`tests/secret_sweep.rs`, `tests/secret_sweep_oauth2.rs`): each
//! case runs in a child process, the test binary again running one test, so that its
//! environment is its own and a global `tracing` subscriber can record everything at TRACE
//! level, `log` records included (the dev server's `mailin` logs every SMTP line through
//! `log`). The parent then searches the child's whole output for every form a secret could
//! take.

use std::future::Future;
use std::process::{Command, Output};

use crate::ports::free_ports;

/// This test binary again, to run only the test `child_test`, with an empty environment but
/// `PATH`.
///
/// # Panics
/// When the test binary's path is unknown.
#[must_use]
pub fn child_command(child_test: &str) -> Command {
    let mut command = Command::new(std::env::current_exe().expect("the test binary's path"));
    command
        .args(["--exact", child_test, "--nocapture", "--test-threads=1"])
        .env_clear();
    if let Ok(path) = std::env::var("PATH") {
        command.env("PATH", path);
    }
    command
}

/// `run(case, port)` for every case at once, each on its own thread with its own free loopback
/// port; the outputs, in the order of `cases`.
///
/// # Panics
/// When a `run` panics.
pub fn run_cases<C: Sync>(cases: &[C], run: impl Fn(&C, u16) -> Output + Sync) -> Vec<Output> {
    let ports = free_ports(cases.len());
    let run = &run;
    std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .iter()
            .zip(ports)
            .map(|(case, port)| scope.spawn(move || run(case, port)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a sweep case's thread"))
            .collect()
    })
}

/// The child's side of a sweep: when the variable `case_var` is set (the parent started this
/// process), runs `sweep` with its value on a two-thread runtime, every `tracing` event at
/// TRACE and every `log` record written to standard output, then prints `done`. Does nothing
/// when the test runs as itself.
///
/// # Panics
/// When a global logger or subscriber is already set, or `sweep` panics.
pub fn child<F: Future<Output = ()>>(case_var: &str, done: &str, sweep: impl FnOnce(String) -> F) {
    let Ok(case) = std::env::var(case_var) else {
        return;
    };
    tracing_log::LogTracer::init().expect("the only logger");
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(std::io::stdout)
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(sweep(case));
    println!("{done}");
}

/// The child's send: a `Mailer` for `config` sends a verification email, then runs the
/// connection test, printing each one's `Debug` and `Display` (and the error's hint) for the
/// parent to search. Whether the send was meant to succeed is `variant`'s: `"Ok"` sends,
/// `"Wrong"` is refused.
///
/// # Panics
/// When the send's outcome is not `variant`'s; `check` panics as the caller wants for a refusal.
pub async fn send_and_print(
    config: &mailconf_smtp::SmtpConfig,
    variant: &str,
    check: impl FnOnce(&mailconf_smtp::SendError),
) -> mailconf_smtp::Mailer {
    let mailer = mailconf_smtp::Mailer::new(config).expect("a mailer for the settings");
    println!("{mailer:?}");
    let message = mailer
        .verification_email(
            "New User <new@example.net>",
            "Sweep",
            "https://example.com/c?t=1",
        )
        .expect("a verification email");
    match mailer.send(message).await {
        Ok(report) => {
            assert_eq!(variant, "Ok");
            println!("{report:?}");
        }
        Err(err) => {
            assert_eq!(variant, "Wrong", "{err}");
            check(&err);
            println!("{err}\n{err:#?}\n{:?}", err.hint());
        }
    }
    match mailer.test_connection().await {
        Ok(()) => println!("connection test passed"),
        Err(err) => println!("{err}\n{err:?}"),
    }
    mailer
}

/// The child's standard output and error together, after checking that it succeeded and
/// printed `done` at its end.
///
/// # Panics
/// When the child failed, naming `case` and showing its output.
#[must_use]
pub fn finished(case: &str, output: &Output, done: &str) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let all = format!("{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success() && stdout.contains(done),
        "{case}: the child failed:\n{all}"
    );
    all
}

/// Fails if any of `forms` (what it is, the text) is in `output`.
///
/// # Panics
/// At the first form found, naming `case` and showing the output around it.
pub fn assert_none_in(case: &str, output: &str, forms: &[(&str, String)]) {
    for (what, form) in forms {
        if let Some(at) = output.find(form.as_str()) {
            let start = output[..at]
                .char_indices()
                .rev()
                .nth(300)
                .map_or(0, |(i, _)| i);
            let end = (at + form.len() + 100).min(output.len());
            let end = (end..=output.len())
                .find(|i| output.is_char_boundary(*i))
                .unwrap_or(output.len());
            panic!(
                "{case}: {what} ({form}) is in the output:\n...{}",
                &output[start..end]
            );
        }
    }
}

/// Standard base64 with padding (RFC 4648), from lettre's MIME body encoder with its 76-column
/// line breaks taken out: encoded independently of the dev server, which decodes what lettre
/// sends with its own code, and without a copy of that code here.
///
/// # Panics
/// Never: any bytes can be base64-encoded.
#[must_use]
pub fn base64(input: &[u8]) -> String {
    use lettre::message::Body;
    use lettre::message::header::ContentTransferEncoding;

    let body = Body::new_with_encoding(input.to_vec(), ContentTransferEncoding::Base64)
        .expect("any bytes can be base64-encoded");
    String::from_utf8(body.into_vec())
        .expect("base64 is ASCII")
        .replace("\r\n", "")
}

/// `text` inside any longer base64 text, at each of the three alignments: the groups made of
/// its bytes alone.
#[must_use]
pub fn base64_inside(text: &[u8]) -> Vec<String> {
    (0..3)
        .map(|offset| {
            let mut bytes = vec![0u8; offset];
            bytes.extend_from_slice(text);
            let encoded = base64(&bytes);
            let skip = if offset == 0 { 0 } else { 4 };
            let keep = (offset + text.len()) / 3 * 4;
            encoded[skip..keep].to_owned()
        })
        .collect()
}
