#!/usr/bin/env bash
# Instructions per message, Mailer against raw lettre on TCP_NODELAY sockets (docs/BENCHMARKS.md,
# "Instructions per message"). Wall-clock throughput on a shared 2-core machine moves by ±20 %
# between runs; instruction counts do not, so this is how the 5 % goal is checked.
#
# Runs the send benchmark's `mailer_pool4` and `lettre_conn4_nodelay` variants under
# `valgrind --tool=callgrind` (client and dev server, one process), each twice with criterion's
# `--profile-time` (20 s and 60 s of valgrind time), and divides the difference in instructions
# by the difference in messages sent, so that start-up (certificates, TLS handshakes) cancels
# out. Needs valgrind (Debian package `valgrind`). About 6 minutes once the bench is built.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
bench=$(cargo bench -p benches --bench send --no-run --message-format=json 2>/dev/null \
  | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
[ -x "$bench" ] || { echo "could not build the send benchmark" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One run: prints "<instructions> <messages>".
run() {
  local variant=$1 seconds=$2 log="$work/$1-$2.log"
  valgrind --tool=callgrind --callgrind-out-file="$work/$1-$2.out" \
    "$bench" --bench --profile-time "$seconds" "$variant\$" >"$log" 2>&1
  local refs messages
  # The last count is the benchmark process's own (criterion may start a short child first).
  refs=$(grep 'Collected :' "$log" | tail -n 1 | awk '{ print $NF }')
  messages=$(sed -n "s/^$variant: \([0-9]*\) messages.*/\1/p" "$log")
  echo "$refs $messages"
}

for variant in mailer_pool4 lettre_conn4_nodelay; do
  (
    read -r short_refs short_msgs < <(run "$variant" 20)
    read -r long_refs long_msgs < <(run "$variant" 60)
    awk -v v="$variant" -v a="$short_refs" -v b="$long_refs" -v m="$short_msgs" -v n="$long_msgs" \
      'BEGIN { printf "%s: %d and %d messages; %.0f instructions per message (client + server)\n", v, m, n, (b - a) / (n - m) }'
  ) &
done
wait
