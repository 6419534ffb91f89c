#!/usr/bin/env bash
# Runs every libFuzzer target in DIR for SECONDS each, JOBS targets at a time
# (one per core by default), with its seed corpus from fuzz/corpus/<name>/ when
# there is one. Each target's result is printed whole when it ends, so the
# output of parallel runs does not interleave. Fails if any target finds a crash.
set -euo pipefail
dir=$1; seconds=${2:-20}; jobs=${3:-$(nproc)}
root=$(cd "$(dirname "$0")/.." && pwd)
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

# run_one TARGET: fuzz one target; its report goes to $results/<name>.log and
# its verdict to $results/<name>.failed when it found a crash.
run_one() {
  local target=$1 name work seeds=()
  name=$(basename "$target")
  work=$(mktemp -d)
  [ -d "$root/fuzz/corpus/$name" ] && seeds=("$root/fuzz/corpus/$name")
  {
    echo "== $name for ${seconds}s"
    if ! "$target" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=0 \
         -artifact_prefix="$work/" "$work" "${seeds[@]}" > "$work/log" 2>&1; then
      tail -40 "$work/log"; echo "FUZZ FAILURE: $name"; touch "$results/$name.failed"
    else
      grep -E '^#[0-9]+.*DONE' "$work/log" | tail -1 || true
    fi
  } > "$results/$name.log"
  cat "$results/$name.log"
  rm -rf "$work"
}

running=0
for target in "$dir"/fuzz_*; do
  [ -x "$target" ] || continue
  run_one "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait
if compgen -G "$results/*.failed" > /dev/null; then exit 1; fi
echo "every fuzz target ran ${seconds}s without a crash"
