#!/usr/bin/env bash
# ./x bench: the benchmark suite (docs/PERFORMANCE.md). Installs what it needs when missing (jq,
# GNU time, a venv with DuckDB under bench-data/.venv, @duckdb/duckdb-wasm in bench/browser), builds
# the CLI (release) and the site, then runs bench/run.py. Not part of ./x test: it takes minutes.
#   ./x bench [--sizes 10k,100k,1m] [--formats ocore-json,…] [--browser-sizes 10k,100k,1m]
#             [--skip-native] [--skip-browser] [--runs N] [--no-build]
#   ./x bench --smoke      = --sizes 10k --browser-sizes 10k --runs 3
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

DUCKDB_VERSION=2.0.0
build=1 browser=1 args=()
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    --smoke) args+=(--sizes 10k --browser-sizes 10k --runs 3) ;;
    --skip-browser) browser=0; args+=("$a") ;;
    -h | --help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$a") ;;
  esac
done

step() { printf '\n==> %s\n' "$*" >&2; }
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "bench: needs root: $*" >&2; exit 1; fi
}

missing=()
command -v jq >/dev/null || missing+=(jq)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  step "bench: apt-get install ${missing[*]}"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

venv=bench-data/.venv
if ! "$venv/bin/python" -c "import duckdb, sys; sys.exit(duckdb.__version__ != '$DUCKDB_VERSION')" 2>/dev/null; then
  step "bench: python venv with duckdb==$DUCKDB_VERSION in $venv"
  mkdir -p bench-data
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "duckdb==$DUCKDB_VERSION"
fi

if [ "$browser" = 1 ]; then
  stamp=bench/browser/node_modules/.auditlens-lock-sha256
  sum=$(sha256sum bench/browser/package-lock.json | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
    step "bench: npm ci in bench/browser (@duckdb/duckdb-wasm)"
    (cd bench/browser && npm ci --no-audit --no-fund)
    echo "$sum" >"$stamp"
  fi
fi

if [ "$build" = 1 ]; then
  step "bench: cargo build --release -p auditlens-cli"
  cargo build --release -p auditlens-cli
  if [ "$browser" = 1 ]; then
    step "bench: ./x build (the site the browser run measures)"
    ./x build
  fi
fi

step "bench: bench/run.py ${args[*]}"
exec "$venv/bin/python" bench/run.py "${args[@]}"
