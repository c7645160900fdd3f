//! The limiter kept in Redis: one Lua script decides atomically, on Redis's own clock, for every
//! process that uses the same key.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use redis::aio::{ConnectionLike, MultiplexedConnection};
use redis::cluster::ClusterClient;
use redis::cluster_async::ClusterConnection;
use redis::{AsyncConnectionConfig, Client, RedisError, Script};

use super::{RateLimits, SharedLimit};

/// One round trip to Redis should take a millisecond; a store slower than this counts as
/// unreachable, and the failure policy decides.
const REDIS_TIMEOUT: Duration = Duration::from_secs(1);

/// GCRA for the pacing window, then a sorted set of send times per quota window (a rolling
/// window, counted exactly). Nothing is written unless every window allows the send, so a
/// refused call takes nothing. Times are integer microseconds from `TIME`, so clocks of the
/// client machines never matter; `%d` keeps them exact (Lua's `tostring` would round them).
///
/// KEYS: the pacing key, then one key per quota window.
/// ARGV: interval µs, tolerance µs, a member unique to this call, then (period µs, limit) per
/// quota window. Returns 0 when granted, else the µs to wait before asking again.
const SCRIPT: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local wait = 0
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
if tat - now > tolerance then wait = tat - tolerance - now end
for i = 2, #KEYS do
  local period = tonumber(ARGV[2 + 2 * i - 2])
  local limit = tonumber(ARGV[3 + 2 * i - 2])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', string.format('%d', now - period))
  local count = redis.call('ZCARD', KEYS[i])
  if count >= limit then
    local oldest = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
    local w = tonumber(oldest[2]) + period - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return math.ceil(wait) end
local next_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%d', next_tat), 'PX', math.ceil((next_tat - now) / 1000) + 1)
for i = 2, #KEYS do
  local period = tonumber(ARGV[2 + 2 * i - 2])
  redis.call('ZADD', KEYS[i], string.format('%d', now), ARGV[3])
  redis.call('PEXPIRE', KEYS[i], math.ceil(period / 1000))
end
return 0
";

enum Target {
    Single(Box<Client>),
    Cluster(Box<ClusterClient>),
}

#[derive(Clone)]
enum Conn {
    Single(MultiplexedConnection),
    Cluster(ClusterConnection),
}

pub(crate) struct RedisLimiter {
    target: Target,
    /// Dropped after an error, so the next call connects afresh.
    conn: tokio::sync::Mutex<Option<Conn>>,
    script: Script,
    keys: Vec<String>,
    /// ARGV without the member: interval, tolerance, then the quota pairs.
    args: Vec<u64>,
    member_prefix: String,
    calls: AtomicU64,
    /// Only to scrub it from error texts.
    passwords: Mutex<Vec<String>>,
}

impl RedisLimiter {
    pub(crate) fn new(
        limits: &RateLimits,
        shared: &SharedLimit,
    ) -> Result<RedisLimiter, RedisError> {
        let urls: Vec<&str> = shared
            .url
            .expose_secret()
            .split(',')
            .map(str::trim)
            .collect();
        let target = if shared.cluster {
            Target::Cluster(Box::new(
                ClusterClient::builder(urls.clone())
                    .connection_timeout(REDIS_TIMEOUT)
                    .response_timeout(REDIS_TIMEOUT)
                    .build()?,
            ))
        } else {
            Target::Single(Box::new(Client::open(urls[0])?))
        };
        let passwords = urls
            .iter()
            .filter_map(|u| url::Url::parse(u).ok()?.password().map(str::to_owned))
            .filter(|p| p.len() >= 3)
            .collect();
        // The hash tag puts every key of one limit in one Cluster slot, as a script requires.
        let tag = format!("mailconf:{{{}}}", shared.key);
        let pacing = limits.pacing();
        let interval = micros(pacing.interval()).max(1);
        let mut keys = vec![format!("{tag}:pace")];
        let mut args = vec![interval, micros(pacing.tolerance())];
        for quota in limits.quotas() {
            keys.push(format!("{tag}:quota:{}s", quota.per.as_secs()));
            args.extend([micros(quota.per), u64::from(quota.messages.get())]);
        }
        Ok(RedisLimiter {
            target,
            conn: tokio::sync::Mutex::new(None),
            script: Script::new(SCRIPT),
            keys,
            args,
            member_prefix: format!("{:016x}", fastrand::u64(..)),
            calls: AtomicU64::new(0),
            passwords: Mutex::new(passwords),
        })
    }

    /// Takes a send if every window allows it now (`None`), else how long to wait.
    pub(crate) async fn try_acquire(&self) -> Result<Option<Duration>, String> {
        let mut conn = self.connection().await.map_err(|e| self.scrub(&e))?;
        let member = format!(
            "{}-{}",
            self.member_prefix,
            self.calls.fetch_add(1, Ordering::Relaxed)
        );
        let mut invocation = self.script.prepare_invoke();
        for key in &self.keys {
            invocation.key(key);
        }
        invocation.arg(self.args[0]).arg(self.args[1]).arg(&member);
        for arg in &self.args[2..] {
            invocation.arg(*arg);
        }
        let outcome: Result<u64, RedisError> = match &mut conn {
            Conn::Single(c) => invoke(&invocation, c).await,
            Conn::Cluster(c) => invoke(&invocation, c).await,
        };
        match outcome {
            Ok(0) => Ok(None),
            Ok(wait) => Ok(Some(Duration::from_micros(wait))),
            Err(e) => {
                *self.conn.lock().await = None;
                Err(self.scrub(&e))
            }
        }
    }

    async fn connection(&self) -> Result<Conn, RedisError> {
        let mut slot = self.conn.lock().await;
        if let Some(conn) = &*slot {
            return Ok(conn.clone());
        }
        let conn = match &self.target {
            Target::Single(client) => {
                let config = AsyncConnectionConfig::new()
                    .set_connection_timeout(Some(REDIS_TIMEOUT))
                    .set_response_timeout(Some(REDIS_TIMEOUT));
                Conn::Single(
                    client
                        .get_multiplexed_async_connection_with_config(&config)
                        .await?,
                )
            }
            Target::Cluster(client) => Conn::Cluster(client.get_async_connection().await?),
        };
        *slot = Some(conn.clone());
        Ok(conn)
    }

    fn scrub(&self, error: &RedisError) -> String {
        let mut text = error.to_string();
        for password in self
            .passwords
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
            text = text.replace(password.as_str(), "[redacted]");
        }
        text
    }
}

async fn invoke(
    invocation: &redis::ScriptInvocation<'_>,
    conn: &mut (impl ConnectionLike + Send),
) -> Result<u64, RedisError> {
    invocation.invoke_async(conn).await
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}
