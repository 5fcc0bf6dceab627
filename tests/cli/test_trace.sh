#!/bin/sh
# test_trace.sh - `tuxmm trace`: textbook counts through the CLI, the table, CSV and
# JSON outputs, sweeps, and errors with exit status 1 (bad trace) or 2 (bad usage).
# usage: test_trace.sh PATH/TO/tuxmm SOURCE_DIR
set -u
TUXMM=$1
. "$(dirname "$0")/cli_lib.sh"
SRC=$2
TRACES="$SRC/../../shared/traces"	# SOURCE_DIR is tests/; shared/ sits beside the repository

# The classic reference string 7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1, one page each.
for p in 7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1; do
	printf '%08x R\n' $((p * 4096))
done >"$tmp/rs.trace"

# CSV: exact header, one row per policy, textbook fault counts.
"$TUXMM" trace --frames 3 --policy fifo,lru --policy opt --csv "$tmp/rs.trace" >"$tmp/csv" \
	2>"$tmp/err" || fail "csv run: $(cat "$tmp/err")"
head -1 "$tmp/csv" | grep -q '^policy,frames,references,faults,minor_faults,major_faults,writebacks,tlb_hit_rate' ||
	fail "csv header: $(head -1 "$tmp/csv")"
[ "$(grep -c . "$tmp/csv")" -eq 4 ] || fail "csv rows: $(cat "$tmp/csv")"
grep -q '^fifo,3,20,15,6,9,0,' "$tmp/csv" || fail "fifo row: $(cat "$tmp/csv")"
grep -q '^lru,3,20,12,6,6,0,' "$tmp/csv" || fail "lru row: $(cat "$tmp/csv")"
grep -q '^opt,3,20,9,6,3,0,' "$tmp/csv" || fail "opt row: $(cat "$tmp/csv")"
[ -s "$tmp/err" ] && fail "stderr not empty without a terminal: $(cat "$tmp/err")"

# JSON: a valid array, one object per policy and size, the documented keys.
"$TUXMM" trace --sweep 2:4 --policy all --json "$tmp/rs.trace" >"$tmp/json" 2>"$tmp/err" ||
	fail "json run: $(cat "$tmp/err")"
if command -v python3 >/dev/null; then
	python3 - "$tmp/json" <<'PY' || fail "json content: $(cat "$tmp/json")"
import json, sys
rows = json.load(open(sys.argv[1]))
assert len(rows) == 6 * 3, len(rows)
keys = ["policy", "frames", "references", "faults", "minor_faults", "major_faults",
        "writebacks", "tlb_hit_rate"]
for r in rows:
    assert all(k in r for k in keys), r
    assert 0 <= r["tlb_hit_rate"] <= 1
got = {(r["policy"], r["frames"]): r["faults"] for r in rows}
assert got[("fifo", 3)] == 15 and got[("lru", 3)] == 12 and got[("opt", 3)] == 9, got
assert got[("lru", 2)] >= got[("lru", 3)] >= got[("lru", 4)]
PY
else
	grep -q '"policy":"opt","frames":3,"references":20,"faults":9' "$tmp/json" ||
		fail "json opt row"
fi

# The table names its columns; without a cap, one fault per page.
"$TUXMM" trace "$tmp/rs.trace" >"$tmp/table" 2>"$tmp/err" || fail "table: $(cat "$tmp/err")"
grep -q 'policy' "$tmp/table" && grep -q 'rs.trace *none *- *20 *6 ' "$tmp/table" ||
	fail "table: $(cat "$tmp/table")"

# A real trace, 16K pages, a step sweep: rows for 32, 48, 64 frames.
"$TUXMM" trace --sweep 32:64:16 --policy clock --page-size 16K --csv \
	"$TRACES/thain-bzip.trace.gz" >"$tmp/sweep" 2>"$tmp/err" || fail "sweep: $(cat "$tmp/err")"
[ "$(cut -d, -f2 "$tmp/sweep" | tail -n +2 | tr '\n' ' ')" = "32 48 64 " ] ||
	fail "sweep frames: $(cat "$tmp/sweep")"
grep -q ',16384,1000000,' "$tmp/sweep" || fail "page size column: $(cat "$tmp/sweep")"

# --seed: the random policy repeats with a seed and changes with another.
for seed in 1 1 2; do
	"$TUXMM" trace --frames 64 --policy random --seed $seed --csv \
		"$TRACES/thain-bzip.trace.gz" | tail -1 | cut -d, -f4
done >"$tmp/seeds"
[ "$(sed -n 1p "$tmp/seeds")" = "$(sed -n 2p "$tmp/seeds")" ] &&
	[ "$(sed -n 1p "$tmp/seeds")" != "$(sed -n 3p "$tmp/seeds")" ] ||
	fail "random seeds: $(cat "$tmp/seeds")"

# Several files: a row each, named.
"$TUXMM" trace --frames 8 --policy lru --csv "$TRACES/adelaide/trace1" \
	"$TRACES/adelaide/trace2" >"$tmp/two" || fail "two files"
[ "$(tail -n +2 "$tmp/two" | sed 's/.*,//' | tr '\n' ' ')" = "$TRACES/adelaide/trace1 $TRACES/adelaide/trace2 " ] ||
	fail "two files: $(cat "$tmp/two")"

# Standard input, once.
"$TUXMM" trace --frames 3 --policy lru --csv - <"$tmp/rs.trace" | grep -q '^lru,3,20,12,' ||
	fail "stdin"

# Errors.
printf '00001000 R\nnot a trace line\n' >"$tmp/bad.trace"
check "malformed line" 1 "bad.trace:2:" -- trace --frames 4 "$tmp/bad.trace"
check "missing file" 1 "missing" -- trace --frames 4 "$tmp/missing"
check "unknown policy" 2 "unknown policy 'lfu'" -- trace --frames 4 --policy lfu "$tmp/rs.trace"
check "bad page size" 2 "4K, 16K or 64K" -- trace --page-size 8K "$tmp/rs.trace"
check "bad frames" 2 "not a whole number" -- trace --frames many "$tmp/rs.trace"
check "too many frames" 2 "at most 64 GiB" -- trace --frames 100000000 "$tmp/rs.trace"
check "zero frames" 2 "at least 1" -- trace --frames 0 "$tmp/rs.trace"
check "bad sweep" 2 "FROM:TO" -- trace --sweep 5 "$tmp/rs.trace"
check "reversed sweep" 2 "FROM <= TO" -- trace --sweep 9:3 "$tmp/rs.trace"
check "policy without cap" 2 "add --frames, --sweep or --ram" -- trace --policy lru "$tmp/rs.trace"
check "frames and sweep" 2 "not both" -- trace --frames 3 --sweep 1:3 "$tmp/rs.trace"
check "ram with frames" 2 "without a cap" -- trace --ram 64M --frames 3 "$tmp/rs.trace"
check "bad ram" 2 "give 4M to 1T" -- trace --ram 1M "$tmp/rs.trace"
check "anonymous replay" 0 "" -- trace --ram 64M --csv "$tmp/rs.trace"
grep -q '^linux,0,20,6,6,0,0,' "$tmp/out" || fail "anonymous replay: $(cat "$tmp/out")"
# --ram runs the whole machine: one row per policy, opt left out of 'all'.
check "ram all policies" 0 "" -- trace --ram 64M --policy all --csv "$tmp/rs.trace"
[ "$(cut -d, -f1 "$tmp/out" | tr '\n' ' ')" = "policy linux clock fifo lru random " ] ||
	fail "ram all policies: $(cat "$tmp/out")"
check "ram opt" 2 "policy opt needs the future" -- trace --ram 64M --policy opt "$tmp/rs.trace"
check "ram stdin" 2 "give a file, not standard input" -- trace --ram 64M -
# 8 MiB of pages written three times over: in 64M nothing but first touches; in 4M the
# machine swaps (major faults, pswpout as writebacks) under each policy.
awk 'BEGIN { for (r = 0; r < 3; r++) for (p = 0; p < 2048; p++) printf "%08x W\n", 268435456 + p * 4096 }' \
	>"$tmp/big.trace"
check "ram fits" 0 "" -- trace --ram 64M --policy fifo --csv "$tmp/big.trace"
grep -q '^fifo,0,6144,2048,2048,0,0,[0-9.]*,4096,6144,0,0,2048,' "$tmp/out" ||
	fail "ram fits: $(cat "$tmp/out")"
check "ram swaps" 0 "" -- trace --ram 4M --policy linux,fifo --json "$tmp/big.trace"
python3 - "$tmp/out" <<'PY' || fail "ram swaps: $(cat "$tmp/out")"
import json, sys
rows = json.load(open(sys.argv[1]))
assert [r["policy"] for r in rows] == ["linux", "fifo"]
for r in rows:
    assert r["faults"] > 2 * 2048 and r["major_faults"] > 0, r
    assert r["writebacks"] > 2048 and r["page_ins"] >= r["major_faults"], r
    assert r["faults"] == r["minor_faults"] + r["major_faults"], r
PY
check "no file" 2 "no trace file" -- trace --frames 3
check "unknown option" 2 "unknown option" -- trace --bogus "$tmp/rs.trace"
check "opt from stdin twice" 2 "only once" -- trace --sweep 1:2 - -
check "help" 0 "" -- trace --help
grep -q -- '--sweep FROM:TO\[:STEP\]' "$tmp/out" || fail "help lacks --sweep"

cli_done
