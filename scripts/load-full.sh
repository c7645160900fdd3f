#!/usr/bin/env bash
# The full load run of docs/RELIABILITY.md: 10,000 messages from 32 tasks through one Mailer
# (STARTTLS + AUTH to the dev server, pool of 4) at MAIL_RATE_LIMIT=500/s. Checks that every
# Message-ID arrives exactly once, that the achieved rate is within ±5% of the limit and that
# no more than 4 connections are ever open. About 25 s once built; prints the figures.
#
#   scripts/load-full.sh            # debug build, as the test suite
#   scripts/load-full.sh --release  # optimised build (more headroom above 500/s)
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo test -p mailconf-tests --test load "$@" -- --ignored --exact load_full --nocapture
