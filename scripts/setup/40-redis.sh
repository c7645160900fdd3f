# Sourced by scripts/test-all.sh. Debian's redis-server, and redis-cli (redis-tools, which it
# depends on) to join a Redis Cluster, for the shared rate-limit tests (tests/tests/redis_*.rs,
# mailconf-cli/tests/send_load.rs). The tests start their own private instances on free loopback
# ports; the system service the package brings is stopped and disabled, so nothing listens on
# 6379 afterwards. Exports MAILCONF_REDIS_SERVER and MAILCONF_REDIS_CLI.
if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
    echo "==> installing redis-server (Debian) for the shared rate-limit tests"
    apt_install_redis() {
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o DPkg::Lock::Timeout=600 redis-server redis-tools >/dev/null
    }
    if ! apt_install_redis; then
      apt-get update -q -o DPkg::Lock::Timeout=600 >/dev/null && apt_install_redis || true
    fi
    # The package starts a system-wide server on 6379: the tests never use it.
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
      systemctl disable --now redis-server >/dev/null 2>&1 || true
    elif command -v service >/dev/null 2>&1; then
      service redis-server stop >/dev/null 2>&1 || true
      command -v update-rc.d >/dev/null 2>&1 && update-rc.d redis-server disable >/dev/null 2>&1 || true
    fi
  fi
fi
if command -v redis-server >/dev/null 2>&1; then
  export MAILCONF_REDIS_SERVER="$(command -v redis-server)"
else
  echo "==> redis-server not available: the Redis-backed tests will report SKIPPED (and fail under CI)"
fi
if command -v redis-cli >/dev/null 2>&1; then
  export MAILCONF_REDIS_CLI="$(command -v redis-cli)"
else
  echo "==> redis-cli not available: the Redis Cluster tests will report SKIPPED (and fail under CI)"
fi
