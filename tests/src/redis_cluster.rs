//! A private Redis Cluster (Debian's `redis-server` and `redis-cli`): three masters with
//! `--cluster-enabled yes` on free 127.0.0.1 ports, joined with `redis-cli --cluster create`,
//! their files in a temporary directory. For the test that a shared send limit works against a
//! Cluster, where every key one script touches must hash to one slot.
//!
//! `scripts/setup/40-redis.sh` (and so CI) installs both programs. Where one is missing,
//! [`RedisCluster::start`] says loudly that the test did not run and returns `None`; under CI
//! (`CI` set) it fails instead.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const MASTERS: usize = 3;

/// Three running cluster masters; killed when dropped.
pub struct RedisCluster {
    cli: PathBuf,
    nodes: Vec<Node>,
    dir: tempfile::TempDir,
}

struct Node {
    child: Child,
    port: u16,
}

impl RedisCluster {
    /// Starts the masters, creates the cluster over them and waits until every node reports
    /// `cluster_state:ok`; `None` (after saying so) when `redis-server` or `redis-cli` is not
    /// installed outside CI.
    ///
    /// # Panics
    /// When a program is missing under CI, or the cluster does not come up within 30 seconds.
    #[must_use]
    pub fn start() -> Option<RedisCluster> {
        let (Some(server), Some(cli)) = (crate::redis::binary(), cli()) else {
            crate::skip::missing(
                "the Redis Cluster rate-limit test",
                "no redis-server or redis-cli (scripts/setup/40-redis.sh installs them)",
            );
            return None;
        };
        let dir = tempfile::tempdir().expect("temporary directory");
        let ports = crate::ports::free_ports(2 * MASTERS);
        let nodes = ports
            .chunks(2)
            .map(|pair| Node::start(&server, dir.path(), pair[0], pair[1]))
            .collect();
        let cluster = RedisCluster { cli, nodes, dir };
        cluster.create();
        Some(cluster)
    }

    /// The seed URLs, separated by commas, as `MAIL_RATE_LIMIT_REDIS_URL` takes them.
    #[must_use]
    pub fn urls(&self) -> String {
        self.nodes
            .iter()
            .map(|n| format!("redis://127.0.0.1:{}", n.port))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// `redis-cli -c` (following redirections) against the first node, for checks from tests.
    ///
    /// # Panics
    /// When redis-cli cannot be run or fails.
    #[must_use]
    pub fn cli(&self, args: &[&str]) -> String {
        let port = self.nodes[0].port.to_string();
        let out = self.run_cli(&["-c", "-h", "127.0.0.1", "-p", &port], args);
        assert!(out.status.success(), "redis-cli {args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// The port of the master that serves `key`'s slot (from `CLUSTER KEYSLOT` and the slot
    /// ranges of `CLUSTER NODES`).
    ///
    /// # Panics
    /// When the cluster does not answer or no master serves the slot.
    #[must_use]
    pub fn port_serving(&self, key: &str) -> u16 {
        let slot: u16 = self.cli(&["CLUSTER", "KEYSLOT", key]).parse().unwrap();
        let nodes = self.cli(&["CLUSTER", "NODES"]);
        // `<id> 127.0.0.1:PORT@BUS flags master - ping pong epoch connected 0-5460 …`
        nodes
            .lines()
            .find_map(|line| {
                let fields: Vec<&str> = line.split_whitespace().collect();
                let port = fields.get(1)?.split(['@', ':']).nth(1)?.parse().ok()?;
                let serves = fields.iter().skip(8).any(|range| {
                    let (low, high) = range.split_once('-').unwrap_or((range, range));
                    matches!((low.parse::<u16>(), high.parse::<u16>()),
                        (Ok(low), Ok(high)) if (low..=high).contains(&slot))
                });
                serves.then_some(port)
            })
            .unwrap_or_else(|| panic!("no master serves slot {slot} of {key}: {nodes}"))
    }

    /// The ports of the masters.
    #[must_use]
    pub fn ports(&self) -> Vec<u16> {
        self.nodes.iter().map(|n| n.port).collect()
    }

    fn run_cli(&self, connect: &[&str], args: &[&str]) -> Output {
        Command::new(&self.cli)
            .args(connect)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run redis-cli")
    }

    fn create(&self) {
        let addresses: Vec<String> = self
            .nodes
            .iter()
            .map(|n| format!("127.0.0.1:{}", n.port))
            .collect();
        let deadline = Instant::now() + Duration::from_secs(30);
        for node in &self.nodes {
            while !self.answers(node.port) {
                assert!(
                    Instant::now() < deadline,
                    "cluster node {} did not answer; {}",
                    node.port,
                    self.logs()
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let mut create = vec!["--cluster", "create"];
        create.extend(addresses.iter().map(String::as_str));
        create.extend(["--cluster-replicas", "0", "--cluster-yes"]);
        let out = self.run_cli(&[], &create);
        assert!(
            out.status.success(),
            "redis-cli --cluster create failed: {}{}; {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            self.logs()
        );
        for node in &self.nodes {
            loop {
                let out = self.run_cli(
                    &["-h", "127.0.0.1", "-p", &node.port.to_string()],
                    &["CLUSTER", "INFO"],
                );
                if String::from_utf8_lossy(&out.stdout).contains("cluster_state:ok") {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "the cluster did not reach cluster_state:ok; {}",
                    self.logs()
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }

    fn answers(&self, port: u16) -> bool {
        let out = self.run_cli(&["-h", "127.0.0.1", "-p", &port.to_string()], &["PING"]);
        out.status.success() && String::from_utf8_lossy(&out.stdout).contains("PONG")
    }

    fn logs(&self) -> String {
        self.nodes
            .iter()
            .map(|n| {
                let log = self.dir.path().join(n.port.to_string()).join("redis.log");
                format!(
                    "log of {}: {}",
                    n.port,
                    std::fs::read_to_string(log).unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Node {
    fn start(server: &Path, dir: &Path, port: u16, bus_port: u16) -> Node {
        let dir = dir.join(port.to_string());
        std::fs::create_dir(&dir).expect("node directory");
        let child = Command::new(server)
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .args([
                "--cluster-enabled",
                "yes",
                "--cluster-port",
                &bus_port.to_string(),
            ])
            .args(["--cluster-config-file", "nodes.conf"])
            .args(["--cluster-node-timeout", "5000"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .arg("--dir")
            .arg(&dir)
            .arg("--logfile")
            .arg(dir.join("redis.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server");
        Node { child, port }
    }
}

impl Drop for RedisCluster {
    fn drop(&mut self) {
        for node in &mut self.nodes {
            let _ = node.child.kill();
            let _ = node.child.wait();
        }
    }
}

fn cli() -> Option<PathBuf> {
    crate::redis::program("MAILCONF_REDIS_CLI", "redis-cli")
}
