#!/usr/bin/env bash
# The school-targets benchmark in one command: for each N, generate N synthetic schools (once,
# cached), then time baocao's full run, the bare calamine read (the floor) and the Python
# baseline, and write the table to bench/results.md. See bench/README.md.
#
#   bench/run.sh [--runs R] [--python-max N | --python-all | --no-python] [--seed S]
#                [--period YYYY-MM] [--no-build] [N ...]
#
# Default N: 500 2000 10000 50000. Environment: BENCH_CACHE (default ~/.cache/baocao-bench:
# generated data, the Python venv, the logs), CARGO_TARGET_DIR (default
# ~/.cache/baocao-bench-target), TARGETS (default <repo>/config/chi-tieu.toml).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${BENCH_CACHE:-$HOME/.cache/baocao-bench}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/baocao-bench-target}
TARGETS=${TARGETS:-$REPO/config/chi-tieu.toml}
SEED=42
PERIOD=2025-11
RUNS=9
PY_MAX=10000
PY_ALL=0
NO_PY=0
BUILD=1
NS=()

usage() {
    sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS=$2; shift 2 ;;
        --python-max) PY_MAX=$2; shift 2 ;;
        --python-all) PY_ALL=1; shift ;;
        --no-python) NO_PY=1; shift ;;
        --seed) SEED=$2; shift 2 ;;
        --period) PERIOD=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) usage 0 ;;
        -*) echo "unknown option $1" >&2; usage 64 ;;
        *) [[ $1 =~ ^[0-9]+$ ]] || { echo "N must be a number: $1" >&2; exit 64; }
           NS+=("$1"); shift ;;
    esac
done
[ ${#NS[@]} -gt 0 ] || NS=(500 2000 10000 50000)
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }
[ -f "$TARGETS" ] || { echo "targets file not found: $TARGETS" >&2; exit 1; }
mkdir -p "$CACHE"

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---- build ---------------------------------------------------------------------------------
BIN=$CARGO_TARGET_DIR/release/baocao
GEN=$CARGO_TARGET_DIR/release/examples/gen_schools
FLOOR=$CARGO_TARGET_DIR/release/examples/floor
if [ "$BUILD" = 1 ]; then
    log "building baocao, gen_schools, floor (release, target $CARGO_TARGET_DIR)"
    (cd "$REPO" && nice -n 10 cargo build --release --quiet \
        --bin baocao --example gen_schools --example floor)
fi
for b in "$BIN" "$GEN" "$FLOOR"; do
    [ -x "$b" ] || { echo "missing $b (run without --no-build)" >&2; exit 1; }
done

# ---- Python venv ---------------------------------------------------------------------------
want_python() { [ "$NO_PY" = 0 ] && { [ "$PY_ALL" = 1 ] || [ "$1" -le "$PY_MAX" ]; }; }
PY=$CACHE/venv/bin/python
need_py=0
for n in "${NS[@]}"; do if want_python "$n"; then need_py=1; fi; done
if [ "$need_py" = 1 ] && ! "$PY" -c 'import pandas, openpyxl, xlsxwriter, docx' 2>/dev/null; then
    log "installing the Python baseline's packages into $CACHE/venv"
    python3 -m venv "$CACHE/venv"
    "$CACHE/venv/bin/pip" install --quiet --upgrade pip
    "$CACHE/venv/bin/pip" install --quiet pandas openpyxl xlsxwriter python-docx
fi

# ---- configuration for one data set --------------------------------------------------------
# DIR/baocao.toml: the repo's config with relative paths made absolute and a [schools] section
# pointing at DIR/truong.csv and the targets ($2 = 1), or without it ($2 = 0).
make_config() {
    python3 - "$REPO/config/baocao.toml" "$1/baocao.toml" "$1/truong.csv" "$TARGETS" "$2" <<'PY'
import os, re, sys
src, dst, registry, targets, with_schools = sys.argv[1:6]
base = os.path.dirname(os.path.abspath(src))
header = re.compile(r'^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?\s*(#.*)?$')
path_key = re.compile(r'^(\s*(templates|guide|registry|targets)\s*=\s*")([^"]*)(".*)$')
ours = [f'registry = "{registry}"', f'targets = "{targets}"']
out, section, had_schools = [], None, False
for line in open(src, encoding="utf-8").read().splitlines():
    m = header.match(line)
    if m:
        section = m.group(1)
    if section == "schools":
        if with_schools != "1":
            continue
        if m:
            had_schools = True
            out.append(line)
            out.extend(ours)
            continue
        if re.match(r'^\s*(registry|targets)\s*=', line):
            continue
    p = path_key.match(line)
    if p and p.group(3) and not os.path.isabs(p.group(3)):
        line = p.group(1) + os.path.normpath(os.path.join(base, p.group(3))) + p.group(4)
    out.append(line)
if with_schools == "1" and not had_schools:
    out += ["", "# Added by bench/run.sh.", "[schools]"] + ours
open(dst, "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
}

# ---- timing --------------------------------------------------------------------------------
# timed LOGNAME cmd...: runs cmd under /usr/bin/time; sets WALL (s, to the millisecond), RSS
# (KiB), RC. The wall time is bash's clock around the command (EPOCHREALTIME, no process of
# its own): GNU time's %e counts hundredths, 5% of a 0.2 s run.
timed() {
    local name=$1; shift
    local tf t0 t1
    tf=$(mktemp)
    set +e
    t0=$EPOCHREALTIME
    /usr/bin/time -f '%M' -o "$tf" "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.err"
    RC=$?
    t1=$EPOCHREALTIME
    set -e
    RSS=$(tail -n 1 "$tf")
    WALL=$(awk -v a="${t0/,/.}" -v b="${t1/,/.}" 'BEGIN{ printf "%.3f", b - a }')
    rm -f "$tf"
}

# best_of NAME OK_CODES cmd...: RUNS runs; BEST = smallest wall time, PEAK = largest RSS.
best_of() {
    local name=$1 ok=$2; shift 2
    BEST=""; PEAK=0; LAST_RC=0
    for i in $(seq 1 "$RUNS"); do
        if [ "$name" = baocao ]; then rm -rf "$DIR/out"; fi
        timed "$name.$i" "$@"
        LAST_RC=$RC
        if [[ " $ok " != *" $RC "* ]]; then
            log "$name failed (exit $RC); see $LOGS/$name.$i.err"
            tail -n 20 "$LOGS/$name.$i.err" >&2
            BEST="fail"; return 0
        fi
        log "  $name run $i: ${WALL} s, $((RSS / 1024)) MB (exit $RC)"
        if [ -z "$BEST" ] || awk "BEGIN{exit !($WALL < $BEST)}"; then BEST=$WALL; fi
        if [ "$RSS" -gt "$PEAK" ]; then PEAK=$RSS; fi
    done
    return 0
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a+0>0 && b+0>0) printf "%.2f", a/b; else printf "—" }'; }
mb() { awk -v k="$1" 'BEGIN{ printf "%.0f", k/1024 }'; }

GEN_HASH=$(sha256sum "$REPO/bench/gen_schools.rs" | cut -c1-16)
ROWS=()
NOTES=()
FORM_D=unknown

for N in "${NS[@]}"; do
    DIR=$CACHE/$N
    LOGS=$DIR/logs
    STAMP="N=$N seed=$SEED period=$PERIOD gen=$GEN_HASH"
    if [ "$(cat "$DIR/.generated" 2>/dev/null)" != "$STAMP" ]; then
        log "N=$N: generating into $DIR"
        rm -rf "$DIR"
        mkdir -p "$DIR"
        t0=$(date +%s.%N)
        "$GEN" "$N" "$DIR" --seed "$SEED" --period "$PERIOD" >"$DIR/gen.log"
        t1=$(date +%s.%N)
        log "N=$N: generated in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s: $(head -n 1 "$DIR/gen.log")"
        echo "$STAMP" >"$DIR/.generated"
    else
        log "N=$N: using the data in $DIR"
    fi
    mkdir -p "$LOGS"
    FILES=$(find "$DIR/input" -name '*.xlsx' | wc -l)
    BAD=$(($(wc -l <"$DIR/bad-files.csv") - 1))

    # Warm-up run (fills the page cache) that also tells whether this build reads Form D: a
    # baocao without the [schools] section in its configuration refuses the file (exit 1).
    make_config "$DIR" 1
    rm -rf "$DIR/out"
    timed warmup "$BIN" run --period "$PERIOD" --input "$DIR/input" --output "$DIR/out" \
        --config "$DIR/baocao.toml" --quiet
    if [ "$RC" = 1 ] && grep -q 'schools' "$LOGS/warmup.err"; then
        log "N=$N: this baocao does not know [schools] (Form D not there yet): timing without it"
        make_config "$DIR" 0
        FORM_D=no
    elif [ "$FORM_D" = unknown ]; then
        FORM_D=yes
    fi

    # The floor and baocao take turns, run by run, so that a slower minute of a shared
    # machine falls on both rather than on whichever happened to run then.
    log "N=$N: floor and baocao, $RUNS runs each, alternating"
    FLOOR_S=""; BAOCAO_S=""; BAOCAO_PEAK=0; BAOCAO_RC=0
    PAIRS=()
    SAVE=$RUNS; RUNS=1
    for i in $(seq 1 "$SAVE"); do
        best_of "floor.$i" "0" "$FLOOR" "$DIR/input"
        FLOOR_RUN=$BEST
        if [ "$BEST" = fail ] || [ -z "$FLOOR_S" ] || awk "BEGIN{exit !($BEST < $FLOOR_S)}"; then FLOOR_S=$BEST; fi
        best_of baocao "0 2" "$BIN" run --period "$PERIOD" --input "$DIR/input" \
            --output "$DIR/out" --config "$DIR/baocao.toml" --quiet
        if [ "$BEST" = fail ] || [ -z "$BAOCAO_S" ] || awk "BEGIN{exit !($BEST < $BAOCAO_S)}"; then BAOCAO_S=$BEST; fi
        PAIRS+=("$(ratio "$BEST" "$FLOOR_RUN")")
        if [ "$PEAK" -gt "$BAOCAO_PEAK" ]; then BAOCAO_PEAK=$PEAK; fi
        BAOCAO_RC=$LAST_RC
        mv "$LOGS/baocao.1.out" "$LOGS/baocao.run$i.out" 2>/dev/null || true
        mv "$LOGS/baocao.1.err" "$LOGS/baocao.run$i.err" 2>/dev/null || true
    done
    RUNS=$SAVE
    FLOOR_LINE=$(cat "$LOGS/floor.1.1.out" 2>/dev/null || true)
    # Each run of baocao against the floor run just before it: the median of these ratios
    # is what a minute of a slow shared machine moves least.
    PAIR_MEDIAN=$(printf '%s\n' "${PAIRS[@]}" | { grep -v '—' || true; } | sort -n |
        awk '{v[NR]=$1} END{ if (NR==0) print "—"; else if (NR%2) print v[(NR+1)/2]; else printf "%.2f", (v[NR/2]+v[NR/2+1])/2 }')
    BAOCAO_MB=$(mb "$BAOCAO_PEAK")

    PY_S="—"; PY_MB="—"; PY_LINE="skipped (N > $PY_MAX; --python-all to include)"
    if [ "$NO_PY" = 1 ]; then PY_LINE="skipped (--no-python)"; fi
    if want_python "$N"; then
        log "N=$N: Python baseline (1 run)"
        SAVE=$RUNS; RUNS=1
        best_of python "0 2" "$PY" "$REPO/bench/baseline.py" --input "$DIR/input/truong" \
            --registry "$DIR/truong.csv" --targets "$TARGETS" --period "$PERIOD" \
            --output "$DIR/py-out" --quiet
        RUNS=$SAVE
        PY_S=$BEST; PY_MB=$(mb "$PEAK")
        PY_LINE=$(tail -n 1 "$LOGS/python.1.out" 2>/dev/null || true)
    fi

    ROWS+=("| $(printf "%'d" "$N" 2>/dev/null || echo "$N") | $FILES | $BAOCAO_S | $FLOOR_S | $PY_S | $(ratio "$BAOCAO_S" "$FLOOR_S") | $PAIR_MEDIAN | $(ratio "$PY_S" "$BAOCAO_S") | $BAOCAO_MB | $PY_MB |")
    NOTES+=("- N = $N: $FILES workbooks ($BAD bad on purpose), baocao exit $BAOCAO_RC; floor: $FLOOR_LINE; Python: $PY_LINE")
    log "N=$N: baocao $BAOCAO_S s, floor $FLOOR_S s, Python $PY_S s"
done

# ---- report --------------------------------------------------------------------------------
COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo "?")
if [ -n "$(git -C "$REPO" status --porcelain -- src Cargo.toml 2>/dev/null)" ]; then
    COMMIT="$COMMIT + uncommitted changes in src/"
fi
CPU=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
MEM=$(free -g 2>/dev/null | awk '/^Mem:/{print $2 " GiB"}')
{
    echo "# Benchmark results: school targets (Form D)"
    echo
    echo "$(date '+%Y-%m-%d %H:%M %Z'), $(nproc) cores ($CPU), $MEM; baocao $COMMIT;"
    echo "seed $SEED, period $PERIOD; best of $RUNS runs for baocao and the floor, taking turns, 1 run for Python;"
    echo "warm page cache (an untimed baocao run first). Form D read by this baocao: $FORM_D."
    echo "baocao/floor: best against best; median of pairs: each baocao run against the floor run"
    echo "just before it, the median of those $RUNS ratios."
    echo
    echo "| N schools | files | baocao s | floor s | Python s | baocao/floor | baocao/floor, median of pairs | Python/baocao | baocao peak MB | Python peak MB |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "baocao: \`baocao run --period $PERIOD --input DIR/input --output DIR/out --config DIR/baocao.toml --quiet\`"
    echo "(Form D workbooks plus the eight sample monthly workbooks); floor: \`floor DIR/input\`"
    echo "(calamine, every sheet of every workbook, rayon); Python: \`bench/baseline.py\` on"
    echo "DIR/input/truong (pandas + openpyxl, one process). Wall time from bash's clock around"
    echo "the command (EPOCHREALTIME, to the millisecond), peak RSS from \`/usr/bin/time -f %M\`."
    echo
    printf '%s\n' "${NOTES[@]}"
} >"$REPO/bench/results.md"
echo
cat "$REPO/bench/results.md"
