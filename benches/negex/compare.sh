#!/usr/bin/env bash
# Negation benchmark: Dorsum vs medspaCy 1.3.1 (ConText) vs negspacy 1.1.0 (NegEx)
# on the public NegEx annotated kit (BRIEF §6).
#
#   bash benches/negex/compare.sh [KIT_FILE]
#
# Run from the repo root. Creates two Python venvs under target/negex-venvs/ (git-ignored;
# reused on later runs), installed from PyPI with the machine's python3. The peers run
# offline: spacy.blank("en") only, no downloaded language model; the condition span is given
# to each tool directly and each tool's default rules are used.
#
# Environment overrides: PYTHON (default python3), NEGEX_VENV_DIR (default target/negex-venvs),
# NEGEX_KIT (default /work/shared/benchmarks/negex/rsAnnotations-1-120-random.txt, else
# ../shared/benchmarks/negex/...), NEGEX_PIN_CPU (default 0: run every tool pinned to this CPU
# with taskset when available; set to "" to disable pinning).
set -euo pipefail

script_start=$(date +%s.%N)
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

kit="${1:-${NEGEX_KIT:-}}"
if [[ -z "$kit" ]]; then
  for cand in /work/shared/benchmarks/negex/rsAnnotations-1-120-random.txt \
              ../shared/benchmarks/negex/rsAnnotations-1-120-random.txt; do
    if [[ -f "$cand" ]]; then kit="$cand"; break; fi
  done
fi
if [[ -z "$kit" || ! -f "$kit" ]]; then
  echo "compare.sh: NegEx kit not found (give its path as the first argument)" >&2
  exit 2
fi
kit="$(cd "$(dirname "$kit")" && pwd)/$(basename "$kit")"

python="${PYTHON:-python3}"
venvs="${NEGEX_VENV_DIR:-$root/target/negex-venvs}"
out="$venvs/results"
mkdir -p "$venvs" "$out"

# Single-threaded runs: no BLAS/OpenMP pools, and pin every tool to one CPU if possible.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMEXPR_NUM_THREADS=1
export RAYON_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false PYTHONHASHSEED=0
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ inside benches/negex/
# No hub / model downloads at run time.
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
pin_cpu="${NEGEX_PIN_CPU-0}"
pin=()
if [[ -n "$pin_cpu" ]] && command -v taskset >/dev/null 2>&1 && taskset -c "$pin_cpu" true 2>/dev/null; then
  pin=(taskset -c "$pin_cpu")
fi

# --- 1. Python venvs (idempotent: reused while their marker matches the requested specs) ---
MEDSPACY_SPECS=("medspacy==1.3.1")
NEGSPACY_SPECS=("negspacy==1.1.0" "spacy==3.8.18")

ensure_venv() { # name spec...
  local name="$1"; shift
  local dir="$venvs/$name"
  local want
  want="$("$python" -c 'import sys; print(sys.version.split()[0])') $*"
  if [[ -x "$dir/bin/python" && -f "$dir/.installed" && "$(cat "$dir/.installed")" == "$want" ]]; then
    echo "[setup] reusing venv $dir ($*)" >&2
    return 0
  fi
  echo "[setup] creating venv $dir: pip install $*" >&2
  rm -rf "$dir"
  "$python" -m venv "$dir"
  local t0; t0=$(date +%s)
  "$dir/bin/python" -m pip install --disable-pip-version-check --no-input -q "$@" \
    > "$venvs/$name.pip.log" 2>&1 || {
      echo "[setup] pip install $* FAILED; tail of $venvs/$name.pip.log:" >&2
      tail -n 40 "$venvs/$name.pip.log" >&2
      exit 1
    }
  "$dir/bin/python" -m pip freeze --disable-pip-version-check > "$dir/freeze.txt"
  echo "$want" > "$dir/.installed"
  echo "[setup] $name installed in $(( $(date +%s) - t0 )) s" >&2
}

ensure_venv medspacy "${MEDSPACY_SPECS[@]}"
ensure_venv negspacy "${NEGSPACY_SPECS[@]}"

# --- 2. Peers -----------------------------------------------------------------------------
for tool in medspacy negspacy; do
  echo "[run] $tool" >&2
  "${pin[@]}" "$venvs/$tool/bin/python" "$here/run_peer.py" --tool "$tool" "$kit" > "$out/$tool.json"
done

# --- 3. Dorsum ----------------------------------------------------------------------------
dorsum_txt="$out/dorsum.txt"
# Keep the release binary current (a no-op when it is fresh); failure only means the fallback below.
if [[ -d crates/dorsum ]]; then
  echo "[build] cargo build --release -q -p dorsum" >&2
  cargo build --release -q -p dorsum || echo "[build] WARNING: building the dorsum binary failed" >&2
fi
if [[ -x target/release/dorsum ]] && target/release/dorsum bench negex --help >/dev/null 2>&1; then
  dorsum_how="target/release/dorsum bench negex"
  echo "[run] dorsum: $dorsum_how $kit" >&2
  "${pin[@]}" target/release/dorsum bench negex "$kit" > "$dorsum_txt"
else
  dorsum_how="cargo run --release -q -p dorsum-intake --example negex"
  echo "[run] dorsum: $dorsum_how -- $kit" >&2
  # Build first (unpinned, may use both cores), then the timed run is pinned like the peers.
  cargo build --release -q -p dorsum-intake --example negex
  "${pin[@]}" cargo run --release -q -p dorsum-intake --example negex -- "$kit" > "$dorsum_txt"
fi

# --- 4. Table -----------------------------------------------------------------------------
script_end=$(date +%s.%N)
"$python" "$here/table.py" --kit "$kit" --dorsum "$dorsum_txt" --dorsum-how "$dorsum_how" \
  --peer "$out/medspacy.json" --peer "$out/negspacy.json" \
  --pinned "${pin[*]:-none}" \
  --elapsed "$(awk -v a="$script_start" -v b="$script_end" 'BEGIN{printf "%.1f", b-a}')"
