#!/usr/bin/env bash
# Install test dependencies, then run the whole suite on SQLite and on PostgreSQL.
# Extra arguments go to pytest. CINEDOC_TEST_WORKERS sets pytest-xdist's -n (default 2; 0 = no xdist).
# The last line printed is "N passed, M failed[, K skipped]" summed over both runs.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install.sh --test

# The dependency direction (audience -> streaming -> catalogue -> rights, the kernel importing no context) is checked
# by import-linter's contracts (.importlinter) before any test runs: an upward import fails CI here.
echo "[test] ===== import contracts ====="
if ! .venv/bin/lint-imports; then
    echo "[test] the import contracts are broken (see above)"
    echo "0 passed, 1 failed"
    exit 1
fi

workers="${CINEDOC_TEST_WORKERS:-2}"
xdist=()
if .venv/bin/python -c 'import xdist' >/dev/null 2>&1; then
    # loadfile keeps a module's tests on one worker, so module-scoped fixtures
    # (databases, servers) are built once per module rather than once per worker.
    xdist=(-n "$workers" --dist loadfile)
else
    echo "[test] pytest-xdist not installed; running serially"
fi

logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT

total_passed=0
total_failed=0
total_skipped=0
status=0

# count WORD LINE: the number before WORD in a pytest summary line, or 0.
count() { grep -oE "[0-9]+ $1" <<<"$2" | head -n1 | cut -d' ' -f1 || true; }

run_suite() {
    local db=$1 log="$logdir/$1.log" rc summary passed failed errors skipped
    shift
    echo "[test] ===== CINEDOC_TEST_DATABASE=$db ====="
    set +e
    CINEDOC_TEST_DATABASE=$db .venv/bin/python -m pytest -q -p no:cacheprovider "${xdist[@]}" "$@" 2>&1 \
        | tee "$log"
    rc=${PIPESTATUS[0]}
    set -e
    # pytest's closing line, e.g. "2 failed, 40 passed, 1 skipped, 3 warnings in 9.87s";
    # colour codes are stripped in case PY_COLORS/--color=yes is in effect.
    summary=$(sed -E 's/\x1b\[[0-9;]*m//g' "$log" | grep -E ' in [0-9.]+s( \([0-9:]+\))?( =+)?$' | tail -n1 || true)
    passed=$(count passed "$summary")
    failed=$(count failed "$summary")
    errors=$(count 'errors?' "$summary")
    skipped=$(count skipped "$summary")
    passed=${passed:-0} failed=${failed:-0} errors=${errors:-0} skipped=${skipped:-0}
    # Collection/setup errors are failures too.
    failed=$((failed + errors))
    if [ "$rc" -ne 0 ]; then
        status=1
        if [ "$failed" -eq 0 ]; then
            # Exit 5 (no tests collected), interrupted run or internal error: nothing was
            # counted as failed, but the run did fail, so count it once.
            echo "[test] $db: pytest exited with status $rc without reporting a failed test"
            failed=1
        fi
    fi
    echo "[test] $db: $passed passed, $failed failed, $skipped skipped (pytest exit $rc)"
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    total_skipped=$((total_skipped + skipped))
}

run_suite sqlite "$@"
run_suite postgresql "$@"

line="$total_passed passed, $total_failed failed"
if [ "$total_skipped" -gt 0 ]; then
    line="$line, $total_skipped skipped"
fi
echo "$line"
exit "$status"
