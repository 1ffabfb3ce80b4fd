#!/usr/bin/env bash
# Schemathesis (property-based API testing from the OpenAPI document) against a live `dorsum serve`.
#
#   scripts/schemathesis.sh [OPENAPI_URL]
#
# With a URL (e.g. http://127.0.0.1:8080/api/v1/openapi.json) it tests that server. Without one it builds
# `dorsum`, starts `dorsum serve --bind 127.0.0.1:0` with a scratch SQLite store, tests it and stops it.
# Schemathesis is installed from PyPI into a venv under target/ the first time.
#
# Checks: every check except positive_data_acceptance. That one expects every schema-valid request to be
# accepted, but the API rejects some by design: an answer that is well formed but not to the question the
# interview asks at that point (409), a diary date in the future (422), a number outside the question's
# range (422). Failing checks that matter here: not_a_server_error (no 5xx), response_schema_conformance
# (no response breaks its schema), status_code_conformance, content_type_conformance, negative_data_rejection
# (invalid input is refused) and the header checks.
#
# Environment: SCHEMATHESIS_MAX_EXAMPLES (default 30 per operation), SCHEMATHESIS_SEED (default 1),
# SCHEMATHESIS_VENV (default target/schemathesis-venv), CARGO_TARGET_DIR (when it builds).
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="4.32.5"
VENV="${SCHEMATHESIS_VENV:-target/schemathesis-venv}"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-30}"
SEED="${SCHEMATHESIS_SEED:-1}"

if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$VERSION"; then
    echo "schemathesis.sh: installing schemathesis $VERSION into $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION"
fi

URL="${1:-}"
SERVER_PID=""
SCRATCH=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    if [ -n "$SCRATCH" ]; then rm -rf "$SCRATCH"; fi
}
trap cleanup EXIT

if [ -z "$URL" ]; then
    cargo build --quiet --bin dorsum
    BIN="${CARGO_TARGET_DIR:-target}/debug/dorsum"
    SCRATCH="$(mktemp -d)"
    DORSUM_DB="$SCRATCH/schemathesis.db" DORSUM_CARE= "$BIN" serve --bind 127.0.0.1:0 \
        >"$SCRATCH/out" 2>"$SCRATCH/err" &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        grep -q "listening on" "$SCRATCH/out" 2>/dev/null && break
        sleep 0.1
    done
    ADDR="$(grep -o 'http://[0-9.:]*' "$SCRATCH/out" || true)"
    [ -n "$ADDR" ] || { echo "schemathesis.sh: the server did not start:" >&2; cat "$SCRATCH/err" >&2; exit 1; }
    URL="$ADDR/api/v1/openapi.json"
fi

echo "schemathesis.sh: testing $URL (max $MAX_EXAMPLES examples per operation, seed $SEED)" >&2
# Run from a work folder under target/ so schemathesis's cache (.schemathesis/) stays out of the tree.
VENV="$(cd "$VENV" && pwd)"
WORK="target/schemathesis-work"
mkdir -p "$WORK"
cd "$WORK"
exec_args=(run "$URL"
    --checks all
    --exclude-checks positive_data_acceptance
    --max-examples "$MAX_EXAMPLES"
    --seed "$SEED"
    --generation-database none
    --workers 1
    --request-timeout 20
    --no-color)
"$VENV/bin/schemathesis" "${exec_args[@]}"
