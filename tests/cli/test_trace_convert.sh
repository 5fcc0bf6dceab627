#!/bin/sh
# test_trace_convert.sh - `tuxmm trace-convert` round-trips a real trace and
# reports bad input on one line with exit status 1 or 2.
# usage: test_trace_convert.sh PATH/TO/tuxmm SOURCE_DIR
set -u
TUXMM=$1
. "$(dirname "$0")/cli_lib.sh"
SRC=$2
TRACES="$SRC/../../shared/traces"	# SOURCE_DIR is tests/; shared/ sits beside the repository

"$TUXMM" trace-convert -q "$TRACES/thain-bzip.trace.gz" "$tmp/b.bin" 2>"$tmp/err" ||
	fail "to binary: $(cat "$tmp/err")"
"$TUXMM" trace-convert -q "$tmp/b.bin" "$tmp/b.txt" --format classic 2>"$tmp/err" ||
	fail "to classic: $(cat "$tmp/err")"
zcat "$TRACES/thain-bzip.trace.gz" | cmp -s - "$tmp/b.txt" || fail "round trip differs"
[ "$(stat -c %s "$tmp/b.bin")" -lt 5000000 ] || fail "binary not compact"

printf '0041f7a0 R\nzz W\n' >"$tmp/bad.txt"
"$TUXMM" trace-convert "$tmp/bad.txt" "$tmp/out.bin" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "bad.txt:2:" "$tmp/err" || fail "malformed line: $(cat "$tmp/err")"
"$TUXMM" trace-convert "$tmp/missing" "$tmp/out.bin" 2>"$tmp/err"
[ $? -eq 1 ] || fail "missing input"
"$TUXMM" trace-convert "$tmp/bad.txt" 2>"$tmp/err"
[ $? -eq 2 ] || fail "missing OUT"

cli_done
