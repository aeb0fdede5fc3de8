#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ one after another, each for SECONDS (default 600).
#
#   scripts/fuzz.sh [SECONDS] [TARGET…]      # default: every target in fuzz/Cargo.toml
#
# Needs only the stable toolchain: cargo-fuzz's nightly-only flags are enabled with
# RUSTC_BOOTSTRAP=1. Installs cargo-fuzz when it is missing. Runs under `nice -n 19` with one
# libFuzzer job, so it yields the CPU to builds. Per target it prints the run time, libFuzzer's
# final executions count and the crashes (saved in fuzz/artifacts/TARGET/).
#
# Corpora: fuzz/corpus/TARGET (committed, small, read only) seeds a working corpus in
# fuzz/target/corpus/TARGET (git-ignored; grows across runs). Extra read-only seed
# directories: FUZZ_EXTRA_SEEDS=/path (its TARGET/ subdirectory is used when present).
# More libFuzzer flags: FUZZ_FLAGS="-max_len=100000".
# To turn a run's corpus into a small committed one: scripts/fuzz.sh --merge TARGET.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/fuzz"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz…" >&2
    cargo install cargo-fuzz --locked
fi

all_targets() { cargo fuzz list; }

# Build once, then run the binaries directly (`cargo fuzz run` would rebuild whenever a source
# changed in between).
nice -n 19 cargo fuzz build -s none >&2
bin="target/$(rustc -vV | sed -n 's/^host: //p')/release"

if [[ "${1:-}" == "--merge" ]]; then
    shift
    merge=("$@")
    [[ ${#merge[@]} -eq 0 ]] && mapfile -t merge < <(all_targets)
    for t in "${merge[@]}"; do
        mkdir -p "corpus/$t" "target/corpus/$t"
        tmp=$(mktemp -d)
        nice -n 19 "$bin/$t" "$tmp" "corpus/$t" "target/corpus/$t" \
            -merge=1 -max_len="${FUZZ_MERGE_MAX_LEN:-65536}" >/dev/null 2>&1
        rm -rf "corpus/$t" && mv "$tmp" "corpus/$t"
        echo "$t: $(ls "corpus/$t" | wc -l) inputs, $(du -sh "corpus/$t" | cut -f1)"
    done
    exit 0
fi

secs=${1:-600}
[[ $# -gt 0 ]] && shift
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && mapfile -t targets < <(all_targets)

status=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "target/corpus/$t" "artifacts/$t"
    seeds=("corpus/$t")
    if [[ -n "${FUZZ_EXTRA_SEEDS:-}" && -d "$FUZZ_EXTRA_SEEDS/$t" ]]; then
        seeds+=("$FUZZ_EXTRA_SEEDS/$t")
    elif [[ -n "${FUZZ_EXTRA_SEEDS:-}" && -d "$FUZZ_EXTRA_SEEDS" ]]; then
        seeds+=("$FUZZ_EXTRA_SEEDS")
    fi
    log="target/fuzz-$t.log"
    before=$(ls "artifacts/$t" | wc -l)
    start=$(date +%s)
    # -timeout: one input taking longer than 10 s is a finding (a hang); -rss_limit_mb: so is
    # more than 2 GiB of memory. -fork=1 with -ignore_*: one process, and the run goes on after
    # a finding (each is saved in fuzz/artifacts/TARGET/) for the whole time.
    set +e
    nice -n 19 "$bin/$t" "target/corpus/$t" "${seeds[@]}" -artifact_prefix="artifacts/$t/" \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -print_final_stats=1 ${FUZZ_FLAGS:-} >"$log" 2>&1
    rc=$?
    set -e
    took=$(($(date +%s) - start))
    # Fork mode's status lines: "#EXECS: cov: … oom/timeout/crash: a/b/c time: …".
    execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
    otc=$(grep -oE 'oom/timeout/crash: [0-9/]+' "$log" | tail -1 | cut -d' ' -f2)
    after=$(ls "artifacts/$t" | wc -l)
    echo "$t: ${took}s, ${execs:-?} executions, oom/timeout/crash ${otc:-?}, exit $rc, $((after - before)) new finding(s) in fuzz/artifacts/$t (log: fuzz/$log)"
    if [[ $rc -ne 0 || $after -gt $before ]]; then status=1; fi
done
exit $status
