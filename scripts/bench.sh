#!/usr/bin/env bash
# Benchmarks okra on generated sites of the given sizes (objectives):
# `okra check` and `okra build` as whole processes, median wall time and peak
# memory over RUNS runs; Hugo on the same content when `hugo` is installed,
# with the ratios; the rebuild of `okra serve` and the diagnostics of `okra
# lsp` after one edit on the largest site of at most 10,000 objectives; and
# the site's search in headless Chromium on the largest site.
#
#   scripts/bench.sh [SIZE...]        default: 1000 10000
#   RUNS=7 BENCH_DIR=/dev/shm/okra-bench scripts/bench.sh 1000 10000 100000
#
# Sites come from ../shared/bench/gen_site.py. Output goes to a tmpfs
# (/dev/shm) by default, which keeps a noisy disk out of the figures.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
runs=${RUNS:-5}
work=${BENCH_DIR:-/dev/shm/okra-bench}
gen=../shared/bench/gen_site.py
okra=$PWD/target/dist/okra

cargo build --profile dist --quiet
mkdir -p "$work"

# Runs a command RUNS times; prints "median-seconds median-cpu-seconds
# peak-MiB", CPU seconds being user and system time together.
measure() {
  local times=() cpus=() peak=0 stats wall user system kb
  stats=$(mktemp)
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S %M" -o "$stats" "$@" >/dev/null 2>&1 || true
    read -r wall user system kb < <(tail -n 1 "$stats")
    times+=("$wall")
    cpus+=("$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.2f", u + s }')")
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  rm -f "$stats"
  echo "$(median "${times[@]}") $(median "${cpus[@]}") $((peak / 1024))"
}

median() {
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

printf '%-8s %-12s %10s %10s %10s\n' objectives command "median s" "CPU s" "peak MiB"
for n in "${sizes[@]}"; do
  site=$work/okra-$n
  [ -d "$site" ] || python3 "$gen" --docs "$n" --out "$site" >/dev/null 2>&1
  read -r check_s check_cpu check_m < <(measure "$okra" check "$site")
  read -r build_s build_cpu build_m < <(measure "$okra" build "$site" -o "$work/out-$n")
  printf '%-8s %-12s %10s %10s %10s\n' "$n" "okra check" "$check_s" "$check_cpu" "$check_m"
  printf '%-8s %-12s %10s %10s %10s\n' "$n" "okra build" "$build_s" "$build_cpu" "$build_m"
  if command -v hugo >/dev/null; then
    hsite=$work/hugo-$n
    [ -d "$hsite" ] || python3 "$gen" --docs "$n" --out "$hsite" --flavor hugo >/dev/null 2>&1
    read -r hugo_s hugo_cpu hugo_m < <(measure hugo --quiet -s "$hsite" -d "$work/hugo-out-$n")
    printf '%-8s %-12s %10s %10s %10s\n' "$n" "hugo" "$hugo_s" "$hugo_cpu" "$hugo_m"
    awk -v b="$build_s" -v bc="$build_cpu" -v c="$check_s" -v h="$hugo_s" -v hc="$hugo_cpu" \
      'BEGIN { printf "%-8s build/hugo %.2f (CPU %.2f), check/hugo %.2f\n", "", b / h, bc / hc, c / h }'
  fi
done

serve_size=
for n in "${sizes[@]}"; do
  [ "$n" -le 10000 ] && serve_size=$n
done
if [ -n "$serve_size" ]; then
  printf '%-8s ' "$serve_size"
  python3 scripts/serve_bench.py "$work/okra-$serve_size" "${runs}"
  printf '%-8s ' "$serve_size"
  python3 scripts/lsp_bench.py "$work/okra-$serve_size"
fi

largest=${sizes[-1]}
if command -v node >/dev/null && [ -d tests/browser/node_modules/playwright-core ]; then
  node tests/browser/search-bench.mjs "$work/out-$largest"
else
  echo "search: skipped (run npm ci --prefix tests/browser and install chromium)"
fi
