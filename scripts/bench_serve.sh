#!/usr/bin/env bash
# Benchmark (not a test): wrk against POST /api/v1/assess on loopback, release build.
#
#   scripts/bench_serve.sh [DURATION_S] [CONNECTIONS] [WRK_THREADS]      (defaults 20 32 1)
#
# Starts `dorsum serve --bind 127.0.0.1:0` with a scratch store and RUST_LOG=${RUST_LOG:-warn} (set
# RUST_LOG=info to include the per-request access log), then runs wrk twice for the same duration:
#   1. one body: a free-text opener (the first /assess call of an interview: intake, engine, next question);
#   2. rotating bodies: 8 different requests (openers of several kinds, explicit evidence, and a replay
#      with 2 answers), so nothing benefits from one repeated input.
# There is no response cache: every request runs the intake, the engine and the interview's next step.
# Prints wrk's report and a SUMMARY line per run with requests/s, p99 (ms) and the server's CPU time per
# request (user + system from /proc, which does not depend on what else the machine is running).
# Needs wrk (Debian package; installed with apt-get if missing and we are root).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-20}"
CONNECTIONS="${2:-32}"
THREADS="${3:-1}"

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
    else
        echo "bench_serve.sh: wrk is not installed (apt-get install wrk)" >&2
        exit 1
    fi
fi

cargo build --release --quiet --bin dorsum
BIN="${CARGO_TARGET_DIR:-target}/release/dorsum"
tmp="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

RUST_LOG="${RUST_LOG:-warn}" DORSUM_DB="$tmp/bench.db" DORSUM_CARE= "$BIN" serve --bind 127.0.0.1:0 \
    >"$tmp/out" 2>"$tmp/err" &
SERVER_PID=$!
for _ in $(seq 1 100); do
    grep -q "listening on" "$tmp/out" 2>/dev/null && break
    sleep 0.1
done
ADDR="$(grep -o 'http://[0-9.:]*' "$tmp/out")"
URL="$ADDR/api/v1/assess"

# A replay with two answers, built from the server's own questions.
python3 - "$URL" > "$tmp/bodies.json" <<'PY'
import json, sys, urllib.request
url = sys.argv[1]
def post(body):
    req = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))
bodies = [
    {"age": 35, "sex": "male", "text": "Sore lower back for 3 days after lifting boxes at work, no pain down the legs"},
    {"age": 62, "sex": "female", "text": "Pain between my shoulder blades for two weeks, worse at night, I have lost weight"},
    {"age": 28, "sex": "female", "text": "Stiff neck since yesterday after sleeping awkwardly, turning my head hurts"},
    {"age": 45, "sex": "male", "text": "Shooting pain down my left leg to the foot with pins and needles, started after gardening"},
    {"age": 71, "sex": "male", "text": "Sudden tearing pain in my back going through to my tummy, I feel faint"},
    {"age": 40, "sex": "female", "evidence": [{"id": "loc_lower_back", "present": True}, {"id": "fever", "present": False}]},
    {"age": 19, "sex": "male", "text": "my back hurts"},
]
start = dict(bodies[0])
answers = []
for _ in range(2):
    r = post(dict(start, answers=answers))
    q = r["next_question"]
    a = "no" if q["kind"] == "yes_no" else (q.get("min", 0) if q["kind"] == "number" else "none")
    answers.append({"options": [o["id"] for o in q["options"]], "answer": a})
bodies.append(dict(start, answers=answers))
for b in bodies:
    r = post(b)
    assert "triage" in r, r
print(json.dumps(bodies))
PY

cat > "$tmp/one.lua" <<EOF2
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))[0]))' "$tmp/bodies.json")]]
EOF2
{
    echo 'wrk.method = "POST"'
    echo 'wrk.headers["Content-Type"] = "application/json"'
    echo 'local bodies = {'
    python3 -c 'import json,sys
for b in json.load(open(sys.argv[1])): print("  [[" + json.dumps(b) + "]],")' "$tmp/bodies.json"
    echo '}'
    echo 'local i = 0'
    echo 'request = function() i = i % #bodies + 1; return wrk.format(nil, nil, nil, bodies[i]) end'
} > "$tmp/rotate.lua"

# Server CPU time (user + system, clock ticks) so far: per-request cost independent of other load.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }

summary() {
    python3 - "$1" "$2" "$3" "$(getconf CLK_TCK)" <<'PY'
import re, sys
name, path, ticks, hz = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
t = open(path).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", t)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
errors = re.search(r"Socket errors: (.*)", t)
total = int(re.search(r"(\d+) requests in", t).group(1))
cpu_us = ticks / hz * 1e6 / total
print(f"SUMMARY {name} requests_per_s={rps:.0f} p99_ms={p99:.2f} server_cpu_us_per_request={cpu_us:.0f} non_2xx={bad.group(1) if bad else 0}"
      + (f" socket_errors=[{errors.group(1)}]" if errors else ""))
PY
}

echo "server: $ADDR (release, RUST_LOG=${RUST_LOG:-warn}); wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency; $(nproc) cores"
echo "== one body =="
t0=$(cpu_ticks)
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$tmp/one.lua" "$URL" | tee "$tmp/one.txt"
t1=$(cpu_ticks)
echo "== 8 rotating bodies =="
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$tmp/rotate.lua" "$URL" | tee "$tmp/rotate.txt"
t2=$(cpu_ticks)
echo "other processes using CPU at the end (top):"
top -bn1 | sed -n '8,11p'
summary one_body "$tmp/one.txt" $((t1 - t0))
summary rotating "$tmp/rotate.txt" $((t2 - t1))
