#!/bin/sh
# test_mkswap.sh - `tuxmm mkswap` makes files that util-linux and tuxmm accept.
# usage: test_mkswap.sh PATH/TO/tuxmm SOURCE_DIR
set -u
TUXMM=$1
. "$(dirname "$0")/cli_lib.sh"

"$TUXMM" mkswap "$tmp/swap" 8M >"$tmp/out" 2>"$tmp/err" || fail "mkswap exit $?: $(cat "$tmp/err")"
grep -q '^Setting up swapspace version 1, size = 8188 KiB (8384512 bytes)$' "$tmp/out" ||
	fail "mkswap output: $(cat "$tmp/out")"
[ "$(stat -c %s "$tmp/swap")" -eq 8388608 ] || fail "file size"
[ "$(blkid -p -o value -s TYPE "$tmp/swap")" = swap ] || fail "blkid does not see swap"

"$TUXMM" mkswap "$tmp/s2" 4K >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "at least 10 pages" "$tmp/err" || fail "tiny area accepted"
"$TUXMM" mkswap "$tmp/s2" banana >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "is not a size" "$tmp/err" || fail "bad size accepted"
"$TUXMM" mkswap --page-size 8K "$tmp/s2" 1M >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "give 4K, 16K or 64K" "$tmp/err" || fail "bad page size accepted"
"$TUXMM" mkswap "$tmp/s2" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "expected FILE SIZE" "$tmp/err" || fail "missing size accepted"
"$TUXMM" mkswap /nonexistent/dir/swap 1M >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "No such file" "$tmp/err" || fail "bad path: $(cat "$tmp/err")"

cli_done
