# Sourced by scripts/test-all.sh. Debian's Postfix and Dovecot for the real-MTA suite
# (tests/src/postfix*.rs, tests/tests/interop_postfix*.rs, mailconf-cli/tests/interop_postfix*.rs; the XOAUTH2
# suite uses the `oauth2` passdb built into dovecot-core). The tests start their own private
# instances (`postfix -c DIR`, `dovecot -c FILE`) on loopback; this only installs the packages.
# The system's instances are neither configured ("No configuration") nor left running.
postfix_missing() {
  ! command -v /usr/sbin/postfix >/dev/null 2>&1 || ! command -v /usr/sbin/dovecot >/dev/null 2>&1
}
if postfix_missing; then
  if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    echo "==> postfix/dovecot missing and cannot be installed here (needs root and apt-get): the Postfix suite will report SKIPPED (and fail under CI)"
  else
    echo "==> installing postfix and dovecot-core (apt-get)"
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    # Keep the package scripts from starting the system's daemons; a policy already in place
    # (as in most containers) is left as it is.
    own_policy=""
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
      own_policy=1
    fi
    apt_install() {
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o DPkg::Lock::Timeout=600 postfix dovecot-core >/dev/null
    }
    if ! apt_install; then
      apt-get update -q -o DPkg::Lock::Timeout=600 >/dev/null || true
      apt_install || echo "==> apt-get could not install postfix/dovecot-core: the Postfix suite will report SKIPPED (and fail under CI)"
    fi
    [[ -n "$own_policy" ]] && rm -f /usr/sbin/policy-rc.d
    unset own_policy
    unset -f apt_install
  fi
fi
if ! postfix_missing; then
  # Should a package script have started the system's daemons anyway, stop them: the tests use
  # private instances only.
  if [[ -e /var/spool/postfix/pid/master.pid ]] && /usr/sbin/postfix status >/dev/null 2>&1; then
    /usr/sbin/postfix stop >/dev/null 2>&1 || true
  fi
  if [[ -e /run/dovecot/master.pid ]] && kill -0 "$(cat /run/dovecot/master.pid)" 2>/dev/null; then
    /usr/sbin/doveadm stop >/dev/null 2>&1 || true
  fi
fi
unset -f postfix_missing
