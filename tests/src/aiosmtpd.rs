//! aiosmtpd, an independent SMTP server written in Python, started on 127.0.0.1 for
//! interoperability tests.
//!
//! `scripts/test-all.sh` (and so CI) installs it into `target/test-venv`. Where it is not
//! installed, [`Aiosmtpd::start`] says loudly that the test did not run and returns `None`;
//! under CI (`CI` set) it fails instead, so a missing install step cannot pass silently.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use mailconf_smtp::dev_server::DevCertificates;
use serde_json::Value;

/// The TLS mode of the listener.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Plain text, then STARTTLS (required before AUTH).
    StartTls,
    /// TLS from the first byte.
    Implicit,
}

/// One message as aiosmtpd received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The envelope sender.
    pub mail_from: String,
    /// The envelope recipients.
    pub rcpt_tos: Vec<String>,
    /// Who logged in.
    pub auth_user: Option<String>,
    /// Whether the connection was encrypted.
    pub tls: bool,
    /// The message as received.
    pub data: String,
}

/// A running aiosmtpd; stopped when dropped.
pub struct Aiosmtpd {
    child: Child,
    /// Closing it makes the server exit, even if this process dies first.
    stdin: Option<ChildStdin>,
    port: u16,
    ca_file: PathBuf,
    messages: Receiver<Received>,
    _dir: tempfile::TempDir,
}

impl Aiosmtpd {
    /// Starts aiosmtpd on 127.0.0.1 requiring the login `user`/`password`, or returns `None`
    /// (after saying so on stderr) when it is not installed outside CI.
    ///
    /// # Panics
    /// When aiosmtpd is missing under CI, or does not start.
    #[must_use]
    pub fn start(mode: Mode, user: &str, password: &str) -> Option<Aiosmtpd> {
        Aiosmtpd::start_with(mode, user, password, None)
    }

    /// As [`start`](Self::start), also offering `AUTH XOAUTH2` whose bearer tokens it checks
    /// through the RFC 7662 endpoint at `introspection_url` (a `TokenEndpoint`'s).
    ///
    /// # Panics
    /// As [`start`](Self::start).
    #[must_use]
    pub fn start_with_xoauth2(
        mode: Mode,
        user: &str,
        password: &str,
        introspection_url: &str,
    ) -> Option<Aiosmtpd> {
        Aiosmtpd::start_with(mode, user, password, Some(introspection_url))
    }

    fn start_with(
        mode: Mode,
        user: &str,
        password: &str,
        introspection_url: Option<&str>,
    ) -> Option<Aiosmtpd> {
        let Some(python) = python() else {
            crate::skip::missing(
                "the aiosmtpd interoperability test",
                "no aiosmtpd in target/test-venv",
            );
            return None;
        };
        let dir = tempfile::tempdir().expect("temporary directory");
        let certs = DevCertificates::generate().expect("test certificates");
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).expect("write certificate");
            path
        };
        let ca_file = write("ca.pem", certs.ca_pem());
        let cert = write("server.pem", certs.server_pem());
        let key = write("server.key", certs.server_key_pem());
        let mode_arg = match mode {
            Mode::StartTls => "starttls",
            Mode::Implicit => "implicit",
        };
        let mut child = Command::new(python)
            .arg(script())
            .args([mode_arg, path_str(&cert), path_str(&key), user, password])
            .args(introspection_url)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start aiosmtpd");
        let stdin = child.stdin.take();
        let lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
        let (port_tx, port_rx) = channel();
        let (message_tx, messages) = channel();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                if let Some(port) = line.strip_prefix("PORT ") {
                    let _ = port_tx.send(port.trim().parse::<u16>().ok());
                } else if let Some(json) = line.strip_prefix("MESSAGE ")
                    && let Ok(v) = serde_json::from_str::<Value>(json)
                {
                    let _ = message_tx.send(received(&v));
                }
            }
        });
        let port = port_rx
            .recv_timeout(Duration::from_secs(30))
            .ok()
            .flatten()
            .expect("aiosmtpd printed no port");
        Some(Aiosmtpd {
            child,
            stdin,
            port,
            ca_file,
            messages,
            _dir: dir,
        })
    }

    /// The port it listens on, on 127.0.0.1.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A PEM file with the CA that signed its certificate (valid for `localhost` and
    /// `127.0.0.1`).
    #[must_use]
    pub fn ca_file(&self) -> &Path {
        &self.ca_file
    }

    /// Waits up to `timeout` for the next message.
    #[must_use]
    pub fn next_message(&self, timeout: Duration) -> Option<Received> {
        self.messages.recv_timeout(timeout).ok()
    }
}

impl Drop for Aiosmtpd {
    fn drop(&mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.flush();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn received(v: &Value) -> Received {
    let text = |key: &str| v[key].as_str().unwrap_or_default().to_owned();
    Received {
        mail_from: text("mail_from"),
        rcpt_tos: v["rcpt_tos"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_str().map(str::to_owned))
            .collect(),
        auth_user: v["auth_user"].as_str().map(str::to_owned),
        tls: v["tls"].as_bool().unwrap_or(false),
        data: text("data"),
    }
}

/// The venv's Python, if aiosmtpd is installed there.
fn python() -> Option<PathBuf> {
    crate::venv::python_with("MAILCONF_AIOSMTPD_PYTHON", "aiosmtpd")
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("support/aiosmtpd_server.py")
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}
