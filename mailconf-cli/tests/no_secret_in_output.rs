//! The password never reaches the output: with a distinctive password given through the
//! environment, a `--env-file` and a percent-encoded `MAIL_URL`, every subcommand runs (with the
//! right password, a wrong one, and broken settings) and neither stdout nor stderr shows it.

mod support;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command as StdCommand, Output, Stdio};
use std::sync::mpsc::channel;
use std::time::Duration;

use mailconf_smtp::dev_server::DevTls;
use support::{Dev, mailconf};

const USER: &str = "app@example.com";
const PASSWORD: &str = "Zq9-Distinctive-Pw!";
const WRONG: &str = "Wr0ng-Distinctive-Pw?";

/// Every form a password could take in the output.
fn forms(password: &str) -> [String; 2] {
    [password.to_owned(), encode(password)]
}

/// Percent-encodes what is not unreserved in a URL's user-info.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Debug, Clone, Copy)]
enum Channel {
    Env,
    EnvFile,
    Url,
}

/// The settings of the dev server on `port`, with `password` given through `channel`, plus
/// the global arguments that channel needs.
fn settings(
    channel: Channel,
    port: u16,
    ca: &str,
    password: &str,
    dir: &std::path::Path,
) -> (Vec<(String, String)>, Vec<String>) {
    let mut env = vec![
        ("MAIL_FROM".to_owned(), USER.to_owned()),
        ("MAIL_CA_FILE".to_owned(), ca.to_owned()),
    ];
    let separate = [
        ("MAIL_SERVER", "127.0.0.1".to_owned()),
        ("MAIL_PORT", port.to_string()),
        ("MAIL_STARTTLS", "true".to_owned()),
        ("MAIL_SSL_TLS", "false".to_owned()),
        ("MAIL_USERNAME", USER.to_owned()),
    ];
    let mut args = Vec::new();
    match channel {
        Channel::Url => env.push((
            "MAIL_URL".to_owned(),
            format!(
                "smtp://{}:{}@127.0.0.1:{port}?tls=required",
                encode(USER),
                encode(password)
            ),
        )),
        Channel::Env | Channel::EnvFile => {
            env.extend(separate.map(|(k, v)| (k.to_owned(), v)));
            if let Channel::Env = channel {
                env.push(("MAIL_PASSWORD".to_owned(), password.to_owned()));
            } else {
                let name = if password == PASSWORD {
                    "right.env"
                } else {
                    "wrong.env"
                };
                let file = dir.join(name);
                std::fs::write(&file, format!("MAIL_PASSWORD='{password}'\n")).unwrap();
                args = vec!["--env-file".to_owned(), file.display().to_string()];
            }
        }
    }
    (env, args)
}

fn run(env: &[(String, String)], global: &[String], args: &[&str]) -> Output {
    mailconf()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .args(global)
        .args(args)
        .output()
        .unwrap()
}

fn assert_clean(what: &str, stdout: &[u8], stderr: &[u8]) {
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(stdout),
        String::from_utf8_lossy(stderr)
    );
    for secret in forms(PASSWORD).iter().chain(&forms(WRONG)) {
        assert!(
            !text.contains(secret.as_str()),
            "{what} shows {secret}:\n{text}"
        );
    }
}

/// Runs `dev-server` until it says it listens, then stops it.
fn dev_server_briefly(env: &[(String, String)], global: &[String]) {
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_mailconf"))
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .args(global)
        .args([
            "dev-server",
            "--port",
            "0",
            "--user",
            USER,
            "--password",
            PASSWORD,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = channel();
    let reader = std::thread::spawn(move || {
        let mut seen = Vec::new();
        while stdout.read_until(b'\n', &mut seen).is_ok_and(|n| n > 0) {
            if seen.ends_with(b"(Ctrl-C to stop)...\n") {
                let _ = tx.send(());
            }
        }
        seen
    });
    let started = rx.recv_timeout(Duration::from_secs(10));
    let _ = child.kill();
    let _ = child.wait();
    let seen = reader.join().unwrap();
    let mut stderr = Vec::new();
    let _ = child.stderr.take().unwrap().read_to_end(&mut stderr);
    assert!(
        started.is_ok(),
        "dev-server did not start: {}",
        String::from_utf8_lossy(&stderr)
    );
    assert_clean("dev-server", &seen, &stderr);
}

#[test]
fn no_subcommand_shows_the_password() {
    let dev = Dev::start(DevTls::StartTls, USER, PASSWORD);
    let dir = tempfile::tempdir().unwrap();
    let ca = dev.ca_file.display().to_string();
    let port = dev.port();

    for channel in [Channel::Env, Channel::EnvFile, Channel::Url] {
        let (env, global) = settings(channel, port, &ca, PASSWORD, dir.path());
        let (wrong_env, wrong_global) = settings(channel, port, &ca, WRONG, dir.path());
        let expect = |env: &[(String, String)], global: &[String], args: &[&str], code| {
            let out = run(env, global, args);
            let what = format!("{channel:?} {args:?}");
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert_eq!(out.status.code(), Some(code), "{what}: {stdout}");
            assert_clean(&what, &out.stdout, &out.stderr);
        };
        for args in [
            &["check"][..],
            &["check", "--json"],
            &["template", "env"],
            &["template", "json-schema"],
            &["template", "markdown"],
        ] {
            expect(&env, &global, args, 0);
        }
        let to = "someone@example.org";
        for args in [
            &["probe"][..],
            &["probe", "--json"],
            &["send-test", "--to", to],
            &["send-test", "--json", "--to", to],
        ] {
            expect(&env, &global, args, 0);
            expect(&wrong_env, &wrong_global, args, 1);
        }

        // Broken settings: the reports of check, probe (with and without the TLS-mode
        // fallback) and send-test. An empty `MAIL_STARTTLS=` once loaded as "no TLS".
        let broken: [(&str, &str); 3] = match channel {
            Channel::Url => [("MAIL_PORT", "25"), ("TIMEOUT", "x"), ("MAIL_STARTTLS", "")],
            _ => [
                ("MAIL_SSL_TLS", "true"),
                ("MAIL_PORT", "abc"),
                ("MAIL_STARTTLS", ""),
            ],
        };
        for (key, value) in broken {
            let mut env = env.clone();
            env.retain(|(k, _)| k != key);
            env.push((key.to_owned(), value.to_owned()));
            for args in [
                &["check"][..],
                &["check", "--json"],
                &["probe"],
                &["probe", "--json"],
                &["send-test", "--to", to],
            ] {
                expect(&env, &global, args, 1);
            }
        }

        dev_server_briefly(&env, &global);
    }
    let delivered = dev
        .runtime
        .block_on(dev.server.wait_for_messages(6, Duration::from_secs(10)));
    assert_eq!(delivered.len(), 6, "two test messages per channel arrived");
}
