#!/usr/bin/env bash
# Time `dorsum assess --jsonl` over N distinct synthetic cases (default 10,000), release build, no caching.
# Needs hyperfine (Debian: apt-get install hyperfine) and, for instruction counts, valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo build --release -q -p dorsum
bin=target/release/dorsum
python3 scripts/gen_bench_cases.py "$n" > "$tmp/cases.jsonl"
: > "$tmp/empty.jsonl"
echo "cases: $(wc -l < "$tmp/cases.jsonl") distinct, output bytes: $($bin assess --jsonl < "$tmp/cases.jsonl" | wc -c)"
hyperfine -N --warmup 2 --runs 10 --export-json "$tmp/full.json" "sh -c '$bin assess --jsonl < $tmp/cases.jsonl > /dev/null'"
hyperfine -N --warmup 3 --runs 20 --export-json "$tmp/empty.json" "sh -c '$bin assess --jsonl < $tmp/empty.jsonl > /dev/null'"
python3 - "$tmp/full.json" "$tmp/empty.json" "$n" <<'PY'
import json, sys
full = json.load(open(sys.argv[1]))["results"][0]
empty = json.load(open(sys.argv[2]))["results"][0]
n = int(sys.argv[3])
for k in ("mean", "min"):
    print(f"per assessment ({k}, start-up subtracted): {(full[k] - empty[k]) / n * 1e6:.1f} µs")
PY
if command -v valgrind > /dev/null; then
  head -1000 "$tmp/cases.jsonl" > "$tmp/k.jsonl"
  a=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null $bin assess --jsonl < "$tmp/empty.jsonl" 2>&1 >/dev/null | sed -n 's/.*Collected : //p')
  b=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null $bin assess --jsonl < "$tmp/k.jsonl" 2>&1 >/dev/null | sed -n 's/.*Collected : //p')
  echo "instructions per assessment (callgrind, 1,000 cases, start-up subtracted): $(( (b - a) / 1000 ))"
fi
