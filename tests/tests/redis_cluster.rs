//! The send limit shared through a real Redis Cluster (three masters of Debian's redis-server
//! on loopback): the `{KEY}` hash tag keeps every key of one limit in one slot, so the script
//! runs there; limits with other keys land on other masters, and the client follows them.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mailconf_core::{FromValue, Secret};
use mailconf_smtp::{RateLimits, RedisFailure, SendLimiter, SharedLimit};
use mailconf_tests::redis::goes_now;
use mailconf_tests::redis_cluster::RedisCluster;
use tokio::time::timeout;

fn limiter(cluster: &RedisCluster, limits: &str, key: &str) -> SendLimiter {
    let shared = SharedLimit {
        url: Secret::new(cluster.urls()),
        key: key.to_owned(),
        on_failure: RedisFailure::Fail,
        cluster: true,
    };
    SendLimiter::shared(&RateLimits::from_value(limits).unwrap(), &shared).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quotas_are_shared_through_a_cluster_on_every_master() {
    let Some(cluster) = RedisCluster::start() else {
        return;
    };
    // Keys whose limits live on different masters: every master must serve one.
    let mut keys: Vec<(String, u16)> = Vec::new();
    for i in 0.. {
        let key = format!("app-{i}");
        let port = cluster.port_serving(&format!("mailconf:{{{key}}}:pace"));
        if keys.iter().all(|(_, p)| *p != port) {
            keys.push((key, port));
        }
        if keys.len() == cluster.ports().len() {
            break;
        }
        assert!(i < 1000, "no keys on every master");
    }
    for (key, port) in &keys {
        // Two limiters, two connections to the cluster: two processes, as far as Redis knows.
        let (a, b) = (
            limiter(&cluster, "1000/s,5/h", key),
            limiter(&cluster, "1000/s,5/h", key),
        );
        for limiter in [&a, &b, &a, &b, &a] {
            assert!(
                goes_now(limiter).await,
                "{key}: within the hourly quota of 5"
            );
        }
        assert!(!goes_now(&a).await, "{key}: the 6th send must wait");
        assert!(!goes_now(&b).await, "{key}: on every limiter of the key");
        // The quota's sorted set sits on the master that serves the tag's slot, next to the
        // pace key (which expires within milliseconds at 1000/s).
        let quota = format!("mailconf:{{{key}}}:quota:3600s");
        assert_eq!(cluster.port_serving(&quota), *port);
        assert_eq!(cluster.cli(&["ZCARD", &quota]), "5", "{key}");
    }
    let served: HashSet<u16> = keys.iter().map(|(_, port)| *port).collect();
    assert_eq!(served.len(), 3, "the limits spread over the masters");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tasks_with_their_own_connections_share_one_pace() {
    let Some(cluster) = RedisCluster::start() else {
        return;
    };
    const RATE: u32 = 10;
    const TOTAL: u32 = 21;
    let limiters: Vec<Arc<SendLimiter>> = (0..4)
        .map(|_| Arc::new(limiter(&cluster, &format!("{RATE}/s"), "paced")))
        .collect();
    let taken = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = limiters
        .iter()
        .map(|limiter| {
            let (limiter, taken) = (Arc::clone(limiter), Arc::clone(&taken));
            tokio::spawn(async move {
                let mut mine = 0;
                while taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < TOTAL {
                    limiter.acquire().await.unwrap();
                    mine += 1;
                }
                mine
            })
        })
        .collect();
    let mut per_task = Vec::new();
    for task in tasks {
        per_task.push(
            timeout(Duration::from_secs(30), task)
                .await
                .unwrap()
                .unwrap(),
        );
    }
    let took = started.elapsed();
    assert_eq!(per_task.iter().sum::<u32>(), TOTAL);
    assert!(
        per_task.iter().filter(|n| **n > 0).count() >= 2,
        "the limiters took turns: {per_task:?}"
    );
    // GCRA on the shared key: the first at once, then one per 100 ms, less its 10 ms of
    // tolerance. Four limiters each with their own pace would be done in a quarter of it.
    let floor = Duration::from_millis(u64::from(TOTAL - 1) * 1000 / u64::from(RATE) - 10);
    assert!(
        took >= floor,
        "took {took:?}, the shared 10/s allows no less than {floor:?}"
    );
}
