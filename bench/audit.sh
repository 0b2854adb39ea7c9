#!/usr/bin/env bash
# Measures the end-to-end audit: generates a roll of N households (default
# 1,000,000) with cmd/rollgen, audits it with `entitle audit` (JSONL in,
# JSONL out, all cores), and prints households per second and peak RSS.
# Needs GNU time (/usr/bin/time; Debian package "time") and about 2.5 GB of
# temporary disk per million households.
#
#   bench/audit.sh            # 1,000,000 households
#   bench/audit.sh 100000
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/entitle" ./cmd/entitle
go build -o "$tmp/rollgen" ./cmd/rollgen
"$tmp/rollgen" -n "$n" -seed 1 -o "$tmp/roll.jsonl" -manifest "$tmp/manifest.json"
set +e
/usr/bin/time -f '%e %M' -o "$tmp/time" "$tmp/entitle" audit --as-of 2025-06-30 --compare-example-amounts \
  --progress never -o "$tmp/report.jsonl" "$tmp/roll.jsonl" 2>"$tmp/stderr"
code=$?
set -e
if [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then
  cat "$tmp/stderr"; exit "$code"
fi
read -r secs kb < <(tail -n 1 "$tmp/time")
tail -n 1 "$tmp/stderr"
awk -v n="$n" -v s="$secs" -v kb="$kb" -v cores="$(nproc)" 'BEGIN {
  printf "households: %d\nwall time: %.2f s\nhouseholds per second: %.0f (%d cores)\npeak RSS: %.0f MB\n", n, s, n / s, cores, kb / 1024 }'
