//! A private Postfix (Debian's `postfix`) with Dovecot SASL (`dovecot-core`), started on
//! 127.0.0.1 for the real-MTA tests.
//!
//! One instance serves every test of a test binary ([`Postfix::shared`]); an instance whose
//! Dovecot also checks `XOAUTH2` bearers against a token endpoint's introspection is started
//! with [`Postfix::start_with_oauth2`]. Each lives in its own
//! directory under the system's temp dir: `postfix -c DIR` with its own `main.cf`/`master.cf`,
//! queue, data directory and maildirs, and `dovecot -c FILE` with its own `base_dir` and a
//! passwd-file. The system's `/etc/postfix` and `/etc/dovecot` are neither read nor changed.
//!
//! Four listeners on free high ports ([`Ports`]): plain SMTP without AUTH (as on port 25),
//! submission with STARTTLS required and `smtpd_tls_auth_only=yes`, submissions with
//! `smtpd_tls_wrappermode=yes`, and a plain listener limited to one message per client per hour
//! (`smtpd_client_message_rate_limit` through anvil). Certificates come from a throw-away CA
//! ([`DevCertificates`]). Mail to `inbox-*@example.test` is delivered into a Maildir that
//! [`Postfix::wait_for_message`] reads; other recipients are refused at `RCPT`.
//!
//! Stopping does not depend on this process ending cleanly: a watchdog shell waits for the end
//! of its stdin, which the kernel closes when the test binary exits for any reason, then stops
//! both daemons and removes the directory. A directory left by a run whose watchdog died too is
//! cleaned up by the next start.
//!
//! `scripts/setup/30-postfix.sh` installs the packages. Without them (or without root, which
//! Postfix's master needs) [`Postfix::shared`] prints `SKIPPED: ...` and returns `None`; under
//! CI (`CI` set) it panics instead.

mod config;

use std::net::{Ipv4Addr, TcpStream};
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use mailconf_smtp::dev_server::DevCertificates;

/// The domain the instance delivers locally.
pub const DOMAIN: &str = "example.test";
/// The only account Dovecot knows; also a mailbox.
pub const LOGIN: &str = "sender@example.test";
/// Its password.
pub const PASSWORD: &str = "Postfix-Pa55word-4c1e";

const POSTFIX: &str = "/usr/sbin/postfix";
const DOVECOT: &str = "/usr/sbin/dovecot";

/// The instance's listeners, all on 127.0.0.1.
#[derive(Debug, Clone, Copy)]
pub struct Ports {
    /// Plain SMTP, no AUTH offered (like port 25).
    pub plain: u16,
    /// STARTTLS required, AUTH only after it (like 587).
    pub submission: u16,
    /// Implicit TLS (like 465).
    pub submissions: u16,
    /// Plain, no AUTH, one message per client per hour: the second gets `450 4.7.1`.
    pub rate_limited: u16,
}

/// A running private Postfix + Dovecot. See the [module docs](self).
pub struct Postfix {
    root: PathBuf,
    ports: Ports,
    ca_file: PathBuf,
    other_ca_file: PathBuf,
    versions: (String, String),
    watchdog: Child,
    /// Closed when the process exits (or on drop), which makes the watchdog stop everything.
    watchdog_stdin: Option<ChildStdin>,
}

impl std::fmt::Debug for Postfix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Postfix")
            .field("root", &self.root)
            .field("ports", &self.ports)
            .finish_non_exhaustive()
    }
}

impl Postfix {
    /// The instance shared by the tests of this binary, started on first use; `None` (after
    /// `SKIPPED: ...` on stderr) when Postfix or Dovecot is not installed, outside CI.
    ///
    /// # Panics
    /// When they are missing under CI, or when the instance does not start.
    #[must_use]
    pub fn shared() -> Option<&'static Postfix> {
        static SHARED: OnceLock<Option<Postfix>> = OnceLock::new();
        SHARED.get_or_init(|| Postfix::start(None)).as_ref()
    }

    /// An instance of its own whose Dovecot also takes `XOAUTH2` (and `OAUTHBEARER`) logins,
    /// checking each bearer through the RFC 7662 endpoint at `introspection_url` (a
    /// `TokenEndpoint`'s) with its `oauth2` passdb; `None` as for [`shared`](Self::shared).
    /// It stops when dropped or when the test binary exits.
    ///
    /// # Panics
    /// As [`shared`](Self::shared).
    #[must_use]
    pub fn start_with_oauth2(introspection_url: &str) -> Option<Postfix> {
        Postfix::start(Some(introspection_url))
    }

    fn start(oauth2: Option<&str>) -> Option<Postfix> {
        if let Some(missing) = missing_requirement() {
            crate::skip::missing(
                "the Postfix interoperability tests",
                &format!("{missing}; they run as root"),
            );
            return None;
        }
        let base = std::env::temp_dir().join("mailconf-postfix");
        std::fs::create_dir_all(&base).expect("create the instances' directory");
        clean_stale(&base);
        let mut last_error = String::new();
        // A free port can be taken by someone else before Postfix binds it: try fresh ones.
        for _ in 0..3 {
            match Postfix::try_start(&base, oauth2) {
                Ok(postfix) => {
                    eprintln!(
                        "Postfix suite: Postfix {}, Dovecot {}, on 127.0.0.1 ports {:?}",
                        postfix.versions.0, postfix.versions.1, postfix.ports
                    );
                    return Some(postfix);
                }
                Err(e) => last_error = e,
            }
        }
        panic!("the private Postfix instance did not start: {last_error}");
    }

    fn try_start(base: &Path, oauth2: Option<&str>) -> Result<Postfix, String> {
        let root = tempfile::Builder::new()
            .prefix(&format!("{}-", std::process::id()))
            .tempdir_in(base)
            .map_err(|e| e.to_string())?
            .keep();
        let (watchdog, watchdog_stdin) = watchdog(&root)?;
        let [plain, submission, submissions, rate_limited] = crate::ports::free_ports(4)[..] else {
            unreachable!("free_ports(4) returns four ports")
        };
        let ports = Ports {
            plain,
            submission,
            submissions,
            rate_limited,
        };
        let certs = DevCertificates::generate().map_err(|e| e.to_string())?;
        let other = DevCertificates::generate().map_err(|e| e.to_string())?;
        let owner = postfix_owner()?;
        write_files(&root, ports, owner, &certs, oauth2)?;
        let ca_file = root.join("ca.pem");
        let other_ca_file = root.join("other-ca.pem");
        write(&ca_file, certs.ca_pem())?;
        write(&other_ca_file, other.ca_pem())?;

        let start_log = root.join("start.log");
        let failed = |e: String| {
            format!(
                "{e}\n{}\n{}\n{}",
                log(&start_log),
                log(&root.join("dovecot/dovecot.log")),
                log(&root.join("postfix.log"))
            )
        };
        run(
            Command::new(DOVECOT)
                .arg("-c")
                .arg(root.join("dovecot/dovecot.conf")),
            &start_log,
        )
        .map_err(failed)?;
        run(
            Command::new(POSTFIX)
                .arg("-c")
                .arg(root.join("postfix"))
                .arg("start"),
            &start_log,
        )
        .map_err(failed)?;
        for port in [
            ports.plain,
            ports.submission,
            ports.submissions,
            ports.rate_limited,
        ] {
            wait_listening(port).map_err(|e| format!("{e}\n{}", log(&root.join("postfix.log"))))?;
        }
        Ok(Postfix {
            versions: (
                output(Command::new("/usr/sbin/postconf").args(["-d", "-h", "mail_version"])),
                output(Command::new(DOVECOT).arg("--version")),
            ),
            root,
            ports,
            ca_file,
            other_ca_file,
            watchdog,
            watchdog_stdin: Some(watchdog_stdin),
        })
    }

    /// The listeners.
    #[must_use]
    pub fn ports(&self) -> Ports {
        self.ports
    }

    /// PEM of the CA that signed the server's certificate (valid for `localhost` and
    /// `127.0.0.1`).
    #[must_use]
    pub fn ca_file(&self) -> &Path {
        &self.ca_file
    }

    /// PEM of another CA, which did not sign the server's certificate.
    #[must_use]
    pub fn untrusted_ca_file(&self) -> &Path {
        &self.other_ca_file
    }

    /// Postfix's version (`postconf -d mail_version`).
    #[must_use]
    pub fn postfix_version(&self) -> &str {
        &self.versions.0
    }

    /// Dovecot's version (`dovecot --version`).
    #[must_use]
    pub fn dovecot_version(&self) -> &str {
        &self.versions.1
    }

    /// A fresh deliverable address, `inbox-NAME-N@example.test`.
    /// `name` is lower-case letters, digits and `-`.
    #[must_use]
    pub fn new_inbox(&self, name: &str) -> String {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        format!("inbox-{name}-{n}@{DOMAIN}")
    }

    /// Waits up to `timeout` for the first message delivered to `address` (one of
    /// [`new_inbox`](Self::new_inbox)'s), and returns it as stored in the Maildir.
    #[must_use]
    pub fn wait_for_message(&self, address: &str, timeout: Duration) -> Option<Vec<u8>> {
        let until = Instant::now() + timeout;
        loop {
            if let Some(first) = self.messages_to(address).into_iter().next() {
                return Some(first);
            }
            if Instant::now() >= until {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// How many messages `address` has received so far.
    #[must_use]
    pub fn message_count(&self, address: &str) -> usize {
        self.messages_to(address).len()
    }

    /// The messages delivered to `address`, oldest first: the shared inbox Maildir's files
    /// with the `Delivered-To` header the virtual agent adds.
    fn messages_to(&self, address: &str) -> Vec<Vec<u8>> {
        let inbox = self.root.join("mail").join(DOMAIN).join("inbox");
        let wanted = format!("Delivered-To: {address}");
        let mut found: Vec<(std::time::SystemTime, PathBuf, Vec<u8>)> = ["new", "cur"]
            .iter()
            .filter_map(|d| std::fs::read_dir(inbox.join(d)).ok())
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|e| {
                let bytes = std::fs::read(e.path()).ok()?;
                let time = e.metadata().and_then(|m| m.modified()).ok()?;
                let head_end = bytes
                    .windows(2)
                    .position(|w| w == b"\n\n")
                    .unwrap_or(bytes.len());
                let head = String::from_utf8_lossy(&bytes[..head_end]);
                head.lines()
                    .any(|l| l == wanted)
                    .then(|| (time, e.path(), bytes))
            })
            .collect();
        found.sort();
        found.into_iter().map(|(_, _, bytes)| bytes).collect()
    }

    /// Postfix's log so far (for failure messages).
    #[must_use]
    pub fn log(&self) -> String {
        log(&self.root.join("postfix.log"))
    }

    /// Dovecot's log so far (for failure messages).
    #[must_use]
    pub fn dovecot_log(&self) -> String {
        log(&self.root.join("dovecot/dovecot.log"))
    }
}

/// Why the instance cannot run here, if it cannot.
fn missing_requirement() -> Option<String> {
    for (path, package) in [(POSTFIX, "postfix"), (DOVECOT, "dovecot-core")] {
        if !Path::new(path).exists() {
            return Some(format!("{path} not found (Debian package {package})"));
        }
    }
    let uid = std::fs::metadata("/proc/self").map_or(u32::MAX, |m| m.uid());
    (uid != 0).then(|| "Postfix's master must be started as root".to_owned())
}

fn postfix_owner() -> Result<config::Owner, String> {
    let id = |flag: &str| -> Result<u32, String> {
        output(Command::new("id").args([flag, "postfix"]))
            .parse()
            .map_err(|_| "no `postfix` user (is the postfix package installed?)".to_owned())
    };
    Ok(config::Owner {
        uid: id("-u")?,
        gid: id("-g")?,
    })
}

fn write_files(
    root: &Path,
    ports: Ports,
    owner: config::Owner,
    certs: &DevCertificates,
    oauth2: Option<&str>,
) -> Result<(), String> {
    // Postfix's daemons run as `postfix`: they must reach the queue, the SASL socket and the
    // maildirs under this directory.
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| e.to_string())?;
    for dir in [
        "postfix",
        "queue",
        "data",
        "mail",
        "dovecot/run",
        "dovecot/state",
    ] {
        std::fs::create_dir_all(root.join(dir)).map_err(|e| e.to_string())?;
    }
    for dir in ["data", "mail"] {
        std::os::unix::fs::chown(root.join(dir), Some(owner.uid), Some(owner.gid))
            .map_err(|e| format!("chown {dir}: {e}"))?;
    }
    write(&root.join("postfix/main.cf"), &config::main_cf(root, owner))?;
    write(&root.join("postfix/master.cf"), &config::master_cf(ports))?;
    write(&root.join("postfix/vmailbox"), &config::vmailbox())?;
    write(&root.join("postfix/server.pem"), certs.server_pem())?;
    write(&root.join("postfix/server.key"), certs.server_key_pem())?;
    std::fs::set_permissions(
        root.join("postfix/server.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .map_err(|e| e.to_string())?;
    write(
        &root.join("dovecot/dovecot.conf"),
        &config::dovecot_conf(root, oauth2.is_some()),
    )?;
    if let Some(url) = oauth2 {
        write(
            &root.join("dovecot/oauth2.conf.ext"),
            &config::oauth2_conf(url),
        )?;
    }
    write(&root.join("dovecot/users"), &config::dovecot_users())?;
    std::fs::write(root.join("owner"), std::process::id().to_string()).map_err(|e| e.to_string())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("write {}: {e}", path.display()))
}

/// The shell that stops both daemons and removes `root` once its stdin ends. It ignores the
/// signals a Ctrl-C or a test runner's time-out send to the whole process group.
const STOP_SCRIPT: &str = r#"
trap '' INT TERM HUP
root="$1"
cat >/dev/null
/usr/sbin/postfix -c "$root/postfix" stop >/dev/null 2>&1
if [ -s "$root/dovecot/run/master.pid" ]; then kill "$(cat "$root/dovecot/run/master.pid")" 2>/dev/null; fi
i=0
while [ $i -lt 50 ]; do
  alive=
  [ -s "$root/data/master.lock" ] && kill -0 "$(tr -d ' ' <"$root/data/master.lock")" 2>/dev/null && alive=1
  [ -s "$root/dovecot/run/master.pid" ] && kill -0 "$(cat "$root/dovecot/run/master.pid")" 2>/dev/null && alive=1
  [ -z "$alive" ] && break
  sleep 0.1; i=$((i+1))
done
rm -rf "$root"
"#;

fn watchdog(root: &Path) -> Result<(Child, ChildStdin), String> {
    let mut child = Command::new("/bin/sh")
        .args(["-c", STOP_SCRIPT, "mailconf-postfix-stop"])
        .arg(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("start the watchdog: {e}"))?;
    let stdin = child.stdin.take().ok_or("the watchdog has no stdin")?;
    Ok((child, stdin))
}

/// Stops and removes instances whose test process is gone (and whose watchdog died with it).
fn clean_stale(base: &Path) {
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let root = entry.path();
        let owner = std::fs::read_to_string(root.join("owner")).unwrap_or_default();
        let alive = owner
            .trim()
            .parse::<u32>()
            .is_ok_and(|pid| Path::new(&format!("/proc/{pid}")).exists());
        if alive {
            continue;
        }
        // Its stdin is already at its end: the script stops and removes at once.
        let _ = Command::new("/bin/sh")
            .args(["-c", STOP_SCRIPT, "mailconf-postfix-stop"])
            .arg(&root)
            .stdin(Stdio::null())
            .status();
    }
}

/// Runs a command that starts a daemon. Its output goes to `log`, not to a pipe: the daemon
/// inherits the descriptors and would keep a pipe open for as long as it runs.
fn run(command: &mut Command, log: &Path) -> Result<(), String> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|e| format!("{}: {e}", log.display()))?;
    let status = command
        .stdin(Stdio::null())
        .stdout(file.try_clone().map_err(|e| e.to_string())?)
        .stderr(file)
        .status()
        .map_err(|e| format!("{command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed ({status})"))
    }
}

fn output(command: &mut Command) -> String {
    command
        .stdin(Stdio::null())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn wait_listening(port: u16) -> Result<(), String> {
    let until = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
        if Instant::now() >= until {
            return Err(format!("nothing listens on 127.0.0.1:{port}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

fn log(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| format!("({}: {e})", path.display()))
}

impl Drop for Postfix {
    fn drop(&mut self) {
        // The shared instance lives in a static, which is never dropped: the watchdog stops it
        // when the process exits. This covers an instance a test owns.
        drop(self.watchdog_stdin.take());
        let _ = self.watchdog.wait();
    }
}
