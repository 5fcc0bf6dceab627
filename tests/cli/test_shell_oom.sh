#!/bin/sh
# test_shell_oom.sh - `tuxmm shell` after an OOM kill: ps no longer lists the victim, its
# /proc files are gone, and the shell goes on.
# usage: test_shell_oom.sh PATH/TO/tuxmm SOURCE_DIR
set -u
TUXMM=$1
. "$(dirname "$0")/cli_lib.sh"

printf '%s\n' \
	'big = m:spawn("big"); a = big:mmap(nil, 8 << 20, "rw-", "private,anonymous")' \
	'big:fill(a, 8 << 20, 1)' \
	'hog = m:spawn("hog"); h = hog:mmap(nil, 7 << 20, "rw-", "private,anonymous")' \
	'ps' 'hog:fill(h, 7 << 20, 2)' 'ps' 'cat /proc/2/status' 'big:killed()' |
	"$TUXMM" shell --ram 16M >"$tmp/out" 2>"$tmp/err"
[ $? -eq 0 ] || fail "shell exit status $?"
[ "$(grep -c '^    2 big' "$tmp/out")" -eq 1 ] || fail "ps lists big before the OOM kill only"
[ "$(grep -c '^    3 hog' "$tmp/out")" -eq 2 ] || fail "ps lists hog before and after"
grep -q '^/proc/2/status: ENOENT$' "$tmp/err" || fail "big's /proc files are gone"
tail -n 1 "$tmp/out" | grep -qx 'true' || fail "big:killed() is true"
cli_done
