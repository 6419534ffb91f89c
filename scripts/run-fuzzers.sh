#!/usr/bin/env bash
# Runs every libFuzzer target in DIR for SECONDS each, with its seed corpus from
# fuzz/corpus/<name>/ when there is one. Fails if any target finds a crash.
set -euo pipefail
dir=$1; seconds=${2:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
status=0
for target in "$dir"/fuzz_*; do
  [ -x "$target" ] || continue
  name=$(basename "$target")
  work=$(mktemp -d)
  seeds=()
  [ -d "$root/fuzz/corpus/$name" ] && seeds=("$root/fuzz/corpus/$name")
  echo "== $name for ${seconds}s"
  if ! "$target" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=0 \
       -artifact_prefix="$work/" "$work" "${seeds[@]}" > "$work/log" 2>&1; then
    tail -40 "$work/log"; echo "FUZZ FAILURE: $name"; status=1
  else
    grep -E '^#[0-9]+.*DONE' "$work/log" | tail -1 || true
  fi
  rm -rf "$work"
done
exit $status
