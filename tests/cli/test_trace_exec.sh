#!/bin/sh
# test_trace_exec.sh - `tuxmm trace --exec PROG`: a classic trace written here against
# /bin/true's exec'd layout (Linux's, ASLR off): its ELF header page read through the page
# cache, the stack exec wrote, an address outside every area, a store into read-only
# text counted as segv (with a warning naming the line); a lackey trace in valgrind's own
# layout; and the errors.
# usage: test_trace_exec.sh PATH/TO/tuxmm SOURCE_DIR
set -u
TUXMM=$1
. "$(dirname "$0")/cli_lib.sh"

# 1: the PIE's first page (its ELF header, read-only, file-backed): a fault;
# 2: the top page of [stack], written by exec: resident, no fault;
# 3: no area there: an anonymous one on first touch, a fault;
# 4: a store into the read-only first page: segv, skipped.
printf '555555554000 R\n7fffffffe000 R\n10000000 W\n555555554008 W\n' >"$tmp/true.trace"

"$TUXMM" trace --exec /bin/true --csv -- "$tmp/true.trace" >"$tmp/csv" 2>"$tmp/err" ||
	fail "exec run: $(cat "$tmp/err")"
head -1 "$tmp/csv" | grep -q ',miss_ratio,segv,file_pages,anon_pages,trace$' ||
	fail "csv header: $(head -1 "$tmp/csv")"
# policy,frames,references,faults,minor,major,writebacks,...,distinct_pages,miss_ratio,segv
grep -q '^none,0,4,2,2,0,0,' "$tmp/csv" || fail "exec counts: $(cat "$tmp/csv")"
[ "$(tail -1 "$tmp/csv" | cut -d, -f13,15)" = "3,1" ] ||
	fail "distinct pages and segv: $(cat "$tmp/csv")"
[ "$(tail -1 "$tmp/csv" | cut -d, -f16)" -ge 1 ] || fail "no file page: $(cat "$tmp/csv")"
grep -q 'true.trace:4: a store at 0x555555554008 is not allowed in /bin/true' "$tmp/err" ||
	fail "segv warning: $(cat "$tmp/err")"
[ "$(grep -c . "$tmp/err")" -eq 1 ] || fail "stderr: $(cat "$tmp/err")"

# JSON carries the same, and the program.
"$TUXMM" trace --exec /bin/true --json "$tmp/true.trace" >"$tmp/json" 2>/dev/null ||
	fail "json run"
grep -q '"segv":1,"file_pages":[1-9][0-9]*,"anon_pages":[0-9]*,"exec":"/bin/true"}' \
	"$tmp/json" || fail "json: $(cat "$tmp/json")"

# The table gains the three columns; --ram works with --exec.
check "exec with ram" 0 "segv" -- trace --exec /bin/true --ram 64M "$tmp/true.trace"
grep -q 'segv file_pages anon_pages' "$tmp/out" || fail "table header: $(cat "$tmp/out")"
grep -q 'true.trace *linux *- *4 *2 *2 *0 *0 .* 1 ' "$tmp/out" || fail "table: $(cat "$tmp/out")"

# A lackey trace in valgrind's layout (PIE at 0x108000, stack near 0x1ffefff000) touches
# none of the exec'd areas: every address gets an anonymous area, as with --ram alone.
printf 'I  00108000,4\n L 00109010,8\n S 1ffefff008,8\n M 04a5b000,4\n' >"$tmp/vg.lackey"
"$TUXMM" trace --exec /bin/true --csv "$tmp/vg.lackey" >"$tmp/vg1" 2>"$tmp/err" ||
	fail "lackey exec: $(cat "$tmp/err")"
"$TUXMM" trace --ram 1G --csv "$tmp/vg.lackey" >"$tmp/vg2" || fail "lackey ram"
# (--ram names the machine's policy, linux; without it there is none)
[ "$(tail -1 "$tmp/vg1" | cut -d, -f2-7,13,15)" = "$(tail -1 "$tmp/vg2" | cut -d, -f2-7,13),0" ] ||
	fail "lackey layout: $(cat "$tmp/vg1" "$tmp/vg2")"

# Errors.
printf 'hello\n' >"$tmp/notelf"
chmod +x "$tmp/notelf"
check "missing program" 1 "cannot exec $tmp/nope: No such file or directory (ENOENT)" -- \
	trace --exec "$tmp/nope" "$tmp/true.trace"
check "not ELF" 1 "not an ELF64 x86-64 executable (ENOEXEC)" -- \
	trace --exec "$tmp/notelf" "$tmp/true.trace"
check "exec with 16K pages" 1 "aligned to the page size" -- \
	trace --exec /bin/true --page-size 16K "$tmp/true.trace"
check "exec with frames" 2 "without a cap" -- trace --exec /bin/true --frames 8 "$tmp/true.trace"
check "exec with sweep" 2 "without a cap" -- trace --exec /bin/true --sweep 1:4 "$tmp/true.trace"
check "exec without value" 2 "needs a value" -- trace "$tmp/true.trace" --exec
check "empty exec" 2 "needs a program" -- trace --exec '' "$tmp/true.trace"
printf '555555554000 R\nbogus\n' >"$tmp/bad.trace"
check "malformed line" 1 "bad.trace:2:" -- trace --exec /bin/true "$tmp/bad.trace"
check "help" 0 "" -- trace --help
grep -q -- '--exec PROG' "$tmp/out" || fail "help lacks --exec"

cli_done
