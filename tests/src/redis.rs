//! A private `redis-server` (Debian's) on a free 127.0.0.1 port, its files in a temporary
//! directory, for the shared rate-limit tests. It can be killed and restarted on the same port,
//! and can speak TLS too (a second port, certificates from a throw-away CA).
//!
//! `scripts/setup/40-redis.sh` (and so CI) installs it. Where it is missing,
//! [`RedisServer::start`] says loudly that the test did not run and returns `None`; under CI
//! (`CI` set) it fails instead.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mailconf_smtp::dev_server::DevCertificates;

/// A running redis-server; killed when dropped.
pub struct RedisServer {
    binary: PathBuf,
    child: Option<Child>,
    port: u16,
    password: Option<String>,
    /// The TLS port, when the server also speaks TLS.
    tls_port: Option<u16>,
    dir: tempfile::TempDir,
}

impl RedisServer {
    /// Starts a server without a password, or `None` (after saying so) when redis-server is
    /// not installed outside CI.
    ///
    /// # Panics
    /// When redis-server is missing under CI, or does not start.
    #[must_use]
    pub fn start() -> Option<RedisServer> {
        RedisServer::start_with(None)
    }

    /// Like [`start`](Self::start), requiring `password` (`requirepass`).
    ///
    /// # Panics
    /// As [`start`](Self::start).
    #[must_use]
    pub fn start_with(password: Option<&str>) -> Option<RedisServer> {
        RedisServer::launch(password, false)
    }

    /// Like [`start`](Self::start), also listening for TLS on a second port
    /// ([`tls_url`](Self::tls_url)) with a `localhost` certificate signed by a throw-away CA
    /// ([`ca_file`](Self::ca_file)).
    ///
    /// # Panics
    /// As [`start`](Self::start), or when the certificates cannot be written.
    #[must_use]
    pub fn start_tls() -> Option<RedisServer> {
        RedisServer::launch(None, true)
    }

    fn launch(password: Option<&str>, tls: bool) -> Option<RedisServer> {
        let Some(binary) = binary() else {
            crate::skip::missing(
                "the Redis-backed rate-limit test",
                "no redis-server (scripts/setup/40-redis.sh installs it)",
            );
            return None;
        };
        let ports = crate::ports::free_ports(2);
        let mut server = RedisServer {
            binary,
            child: None,
            port: ports[0],
            password: password.map(str::to_owned),
            tls_port: tls.then_some(ports[1]),
            dir: tempfile::tempdir().expect("temporary directory"),
        };
        if tls {
            let certs = DevCertificates::generate().expect("certificates");
            for (name, pem) in [
                ("ca.pem", certs.ca_pem()),
                ("server.pem", certs.server_pem()),
                ("server-key.pem", certs.server_key_pem()),
            ] {
                std::fs::write(server.dir.path().join(name), pem).expect("write a certificate");
            }
        }
        server.restart();
        Some(server)
    }

    /// `redis://[:password@]127.0.0.1:PORT`.
    #[must_use]
    pub fn url(&self) -> String {
        match &self.password {
            Some(p) => format!("redis://:{p}@127.0.0.1:{}", self.port),
            None => format!("redis://127.0.0.1:{}", self.port),
        }
    }

    /// `rediss://localhost:TLS_PORT`, for a server started with [`start_tls`](Self::start_tls).
    ///
    /// # Panics
    /// For a server without TLS.
    #[must_use]
    pub fn tls_url(&self) -> String {
        let port = self.tls_port.expect("a server started with start_tls");
        format!("rediss://localhost:{port}")
    }

    /// The CA certificate (PEM) the TLS port's certificate chains to.
    #[must_use]
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// The port it listens on.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Kills the server at once (SIGKILL): no goodbye to clients, like a crash.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port, with empty data (no persistence), and waits
    /// until it answers `PING`.
    ///
    /// # Panics
    /// When it does not answer within 10 seconds.
    pub fn restart(&mut self) {
        self.kill();
        let mut command = Command::new(&self.binary);
        command
            .args(["--bind", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .arg("--dir")
            .arg(self.dir.path())
            .arg("--logfile")
            .arg(self.dir.path().join("redis.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(password) = &self.password {
            command.args(["--requirepass", password]);
        }
        if let Some(port) = self.tls_port {
            let file = |name: &str| self.dir.path().join(name);
            command
                .args(["--tls-port", &port.to_string(), "--tls-auth-clients", "no"])
                .arg("--tls-cert-file")
                .arg(file("server.pem"))
                .arg("--tls-key-file")
                .arg(file("server-key.pem"))
                .arg("--tls-ca-cert-file")
                .arg(file("ca.pem"));
        }
        self.child = Some(command.spawn().expect("start redis-server"));
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.answers() {
            assert!(
                Instant::now() < deadline,
                "redis-server did not answer on port {}; its log: {}",
                self.port,
                std::fs::read_to_string(self.dir.path().join("redis.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn answers(&self) -> bool {
        let Ok(mut stream) = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
        let ping = match &self.password {
            Some(p) => format!("AUTH {p}\r\nPING\r\n"),
            None => "PING\r\n".to_owned(),
        };
        if stream.write_all(ping.as_bytes()).is_err() {
            return false;
        }
        let mut reply = Vec::new();
        let mut buf = [0u8; 64];
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 {
                break;
            }
            reply.extend_from_slice(&buf[..n]);
            if reply.windows(7).any(|w| w == b"+PONG\r\n") {
                return true;
            }
            if reply.starts_with(b"-") {
                return false;
            }
        }
        false
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `redis-server`, found as [`program`] finds it.
pub(crate) fn binary() -> Option<PathBuf> {
    program("MAILCONF_REDIS_SERVER", "redis-server")
}

/// The Redis program `name` (`redis-server`, `redis-cli`): the path in the variable `var` when
/// it is set (scripts/setup/40-redis.sh sets it), else the first of /usr/bin and /usr/local/bin
/// that holds it.
pub(crate) fn program(var: &str, name: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(var) {
        return Some(PathBuf::from(path));
    }
    ["/usr/bin", "/usr/local/bin"]
        .into_iter()
        .map(|dir| Path::new(dir).join(name))
        .find(|p| p.is_file())
}

/// Whether `acquire` goes through within a moment (else it is waiting for the limit).
///
/// # Panics
/// When the limiter fails instead of waiting.
pub async fn goes_now(limiter: &mailconf_smtp::SendLimiter) -> bool {
    match tokio::time::timeout(std::time::Duration::from_millis(300), limiter.acquire()).await {
        Ok(result) => {
            result.unwrap();
            true
        }
        Err(_) => false,
    }
}
