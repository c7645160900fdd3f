#!/usr/bin/env bash
# The long fuzzing run: every target up to a number of executions, resumable, easy to leave
# running, with per-target figures for docs/RELIABILITY.md.
#
#   nice -n 19 scripts/fuzz-campaign.sh --jobs 2 &      # every target to 10 M executions
#   nice -n 19 scripts/fuzz-campaign.sh --runs 50000000 --hours 8 values url
#   scripts/fuzz-campaign.sh --stop     # ends the running chunks, merges the corpora, exits
#   scripts/fuzz-campaign.sh --report   # the per-target figures, as a Markdown table
#
# How it works:
# - Each target is fuzzed in chunks of at most --chunk seconds (default 900). After each chunk
#   one line goes to target/fuzz-campaign/log.tsv: executions, exec/s, coverage (cov/ft), the
#   scratch corpus's size, wall time, and the outcome. A target's executions so far are the sum
#   of its lines, so running the same command again resumes where the last run stopped; the
#   scratch corpus (target/fuzz-corpus/<target>) is kept, so coverage resumes too.
# - --jobs J fuzzes J targets at once, always the ones with the fewest executions so far.
# - A crash, timeout or out-of-memory ends that target for this run; the input is in
#   target/fuzz-artifacts/<target>/ and the fuzzer's log next to log.tsv. Fix it, commit the
#   input as a seed with a regression test, and run the campaign again.
# - At the end (goal reached, --hours passed, --stop, Ctrl-C or SIGTERM) each target's scratch
#   corpus is minimised into the committed seeds (`-set_cover_merge=1 -use_counters=0`): only
#   the fewest inputs that reach every edge it reaches are copied (skip with --no-merge). A signal ends the running
#   chunks at once; libFuzzer still prints their figures, so no execution goes unrecorded.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/fuzz-common.sh

state="target/fuzz-campaign"
log="$state/log.tsv"
stop_file="$state/STOP"
header=$'utc_end\tcommit\ttarget\texecutions\texec_per_s\tcov\tft\tcorpus_files\tcorpus_bytes\twall_s\toutcome'

goal=10000000
chunk=900
jobs=1
hours=""
merge=1
targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) goal="$2"; shift 2 ;;
    --chunk) chunk="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --hours) hours="$2"; shift 2 ;;
    --no-merge) merge=0; shift ;;
    --stop)
      pid="$(cat "$state/campaign.pid" 2>/dev/null || true)"
      if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then echo "no campaign is running"; exit 0; fi
      echo "stopping the campaign (pid $pid); it records the running chunks and merges"
      kill -TERM "$pid"
      while kill -0 "$pid" 2>/dev/null; do sleep 1; done
      exit 0 ;;
    --report) report_only=1; shift ;;
    -h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [[ ${#targets[@]} -eq 0 ]]; then targets=("${FUZZ_TARGETS[@]}"); fi
mkdir -p "$state"
[[ -f "$log" ]] || echo "$header" >"$log"

# Executions recorded for a target, over every run so far.
executions() { awk -F'\t' -v t="$1" '$3 == t { s += $4 } END { print s + 0 }' "$log"; }

report() {
  echo "| target | executions | runs | wall time | exec/s (last) | cov | ft | corpus (scratch) | findings |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
  local t
  for t in "${targets[@]}"; do
    awk -F'\t' -v t="$t" -v goal="$goal" '
      $3 == t {
        n += $4; wall += $10; runs++; rate = $5; cov = $6; ft = $7; files = $8; bytes = $9
        if ($11 != "ok" && $11 != "stopped") { findings = findings (findings ? ", " : "") $11 }
      }
      END {
        if (!runs) { printf "| `%s` | 0 | 0 | | | | | | |\n", t; exit }
        printf "| `%s` | %\047d%s | %d | %dh %02dm | %\047d | %s | %s | %d files, %d KB | %s |\n",
          t, n, (n >= goal ? " ✓" : ""), runs, wall / 3600, (wall % 3600) / 60, rate, cov, ft,
          files, bytes / 1024, (findings ? findings : "none")
      }' "$log"
  done
}
if [[ -n "${report_only:-}" ]]; then report; exit 0; fi

exec 9>"$state/campaign.lock"
if ! flock -n 9; then echo "a campaign is already running (scripts/fuzz-campaign.sh --stop)" >&2; exit 1; fi
echo $$ >"$state/campaign.pid"
rm -f "$stop_file" "$state"/busy.* "$state"/failed.* "$state"/fuzzer.*
deadline=""
if [[ -n "$hours" ]]; then deadline=$(( $(date +%s) + $(awk -v h="$hours" 'BEGIN { printf "%d", h * 3600 }') )); fi

fuzz_build
commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!fuzz/corpus' || echo +)"

# Marks and returns the target with the fewest executions that is below the goal, not being
# fuzzed by another worker, and not failed in this run; nothing when there is none.
pick() {
  local best="" best_n="" t n
  {
    flock 8
    for t in "${targets[@]}"; do
      [[ -e "$state/busy.$t" || -e "$state/failed.$t" ]] && continue
      n="$(executions "$t")"
      (( n >= goal )) && continue
      if [[ -z "$best" ]] || (( n < best_n )); then best="$t" best_n="$n"; fi
    done
    if [[ -n "$best" ]]; then touch "$state/busy.$best"; fi
  } 8>"$state/pick.lock"
  echo "$best"
}

# One chunk of one target; appends its line to the log.
run_chunk() {
  local target="$1" worker="$2"
  local done_n remaining seconds started scratch artifacts chunk_log rc=0
  done_n="$(executions "$target")"
  remaining=$(( goal - done_n ))
  seconds="$chunk"
  if [[ -n "$deadline" ]]; then
    seconds=$(( deadline - $(date +%s) ))
    (( seconds > chunk )) && seconds="$chunk"
    (( seconds < 1 )) && return 0
  fi
  scratch="target/fuzz-corpus/$target"
  artifacts="target/fuzz-artifacts/$target"
  chunk_log="$state/$target.last.log"
  mkdir -p "$scratch" "$artifacts" "fuzz/corpus/$target"
  local before
  before="$(LC_ALL=C ls "$artifacts")"
  started="$(date +%s)"
  echo "==> $(date -u +%H:%M:%S) $target: $done_n executions so far; up to $remaining more or ${seconds}s"
  # shellcheck disable=SC2046 # the options are words
  "$FUZZ_BIN_DIR/$target" "$scratch" "fuzz/corpus/$target" $(fuzz_options "$target") \
    -runs="$remaining" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$artifacts/" >"$chunk_log" 2>&1 &
  local pid=$!
  echo "$pid" >"$state/fuzzer.$worker"
  # A trapped signal ends `wait` before the fuzzer does: wait for its final figures, then
  # take its exit status (bash keeps it).
  wait "$pid" || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  wait "$pid" || rc=$?
  rm -f "$state/fuzzer.$worker"
  local wall=$(( $(date +%s) - started ))
  local n rate last cov ft outcome new
  n="$(sed -n 's/^stat::number_of_executed_units: *//p' "$chunk_log" | tail -n 1)"
  last="$(grep -E '^#[0-9]+[[:space:]]' "$chunk_log" | tail -n 1 || true)"
  [[ -n "$n" ]] || n="$(sed -E -n 's/^#([0-9]+).*/\1/p' <<<"$last")"
  n="${n:-0}"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$chunk_log" | tail -n 1)"
  cov="$(sed -E -n 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")"
  ft="$(sed -E -n 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")"
  new="$(LC_ALL=C comm -13 <(echo "$before") <(LC_ALL=C ls "$artifacts") | tr '\n' ' ')"
  if [[ -n "$new" ]]; then
    outcome="FOUND: ${new% }"
    touch "$state/failed.$target"
    cp "$chunk_log" "$state/$target-$(date -u +%Y%m%dT%H%M%S).log"
  elif [[ $rc -eq 0 ]]; then
    outcome=ok
  elif [[ $rc -eq 72 ]]; then
    outcome=stopped # libFuzzer's exit code after SIGINT/SIGTERM
  else
    outcome="FAILED: exit $rc"
    touch "$state/failed.$target"
    cp "$chunk_log" "$state/$target-$(date -u +%Y%m%dT%H%M%S).log"
  fi
  local files bytes
  files="$(find "$scratch" -type f | wc -l)"
  bytes="$(du -sb "$scratch" | cut -f1)"
  {
    flock 8
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$commit" \
      "$target" "$n" "${rate:-0}" "${cov:-?}" "${ft:-?}" "$files" "$bytes" "$wall" "$outcome" >>"$log"
  } 8>"$state/pick.lock"
  echo "    $target: +$n executions ($(executions "$target") in all), ${rate:-?}/s, cov ${cov:-?} ft ${ft:-?}, $outcome"
}

worker() {
  local id="$1" target
  # A signal to the whole process group reaches the fuzzer too; record its chunk, then stop.
  trap 'touch "$stop_file"' INT TERM
  while [[ ! -e "$stop_file" ]]; do
    if [[ -n "$deadline" ]] && (( $(date +%s) >= deadline )); then break; fi
    target="$(pick)"
    [[ -n "$target" ]] || break
    run_chunk "$target" "$id"
    rm -f "$state/busy.$target"
  done
}

stop_all() {
  touch "$stop_file"
  local f
  for f in "$state"/fuzzer.*; do
    [[ -e "$f" ]] && kill -INT "$(cat "$f")" 2>/dev/null || true
  done
}
trap stop_all INT TERM

pids=()
for (( i = 1; i <= jobs; i++ )); do
  worker "$i" &
  pids+=($!)
done
for pid in "${pids[@]}"; do
  # `wait` returns early when a trapped signal arrives: wait until the worker is really gone.
  while kill -0 "$pid" 2>/dev/null; do wait "$pid" || true; done
done
trap - INT TERM

status=0
if compgen -G "$state/failed.*" >/dev/null; then status=1; fi
if [[ $merge -eq 1 ]]; then
  for t in "${targets[@]}"; do
    [[ -d "target/fuzz-corpus/$t" ]] || continue
    before="$(find "fuzz/corpus/$t" -type f | wc -l)"
    # shellcheck disable=SC2046
    # Set cover over edges (hit counts ignored): the fewest inputs that reach every edge the
    # scratch corpus reaches. A plain -merge=1 kept ~1,500 files per target after 20 minutes
    # (one per hit-count bucket); this keeps ~250. The scratch corpus keeps the rest.
    if "$FUZZ_BIN_DIR/$t" -set_cover_merge=1 -use_counters=0 "fuzz/corpus/$t" "target/fuzz-corpus/$t" \
        $(fuzz_options "$t") >"$state/$t.merge.log" 2>&1; then
      echo "==> merged $t: fuzz/corpus/$t has $(find "fuzz/corpus/$t" -type f | wc -l) files (was $before)"
    else
      echo "!! merging $t failed: $state/$t.merge.log"
      status=1
    fi
  done
fi
rm -f "$stop_file" "$state"/busy.* "$state/campaign.pid"
echo
report
exit "$status"
