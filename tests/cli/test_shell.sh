#!/bin/sh
# test_shell.sh - `tuxmm shell` fed from stdin: commands, Lua, errors that do not stop it.
# usage: test_shell.sh PATH/TO/tuxmm SOURCE_DIR
set -u
TUXMM=$1
. "$(dirname "$0")/cli_lib.sh"

printf '%s\n' 'cat /proc/1/maps' 'ps' \
	'a = init:mmap(nil, 16384, "rw-", "private,anonymous")' \
	'init:write(a, "hi")' 'init:read(a, 2)' 'c = init:fork()' 'ps' 'free' \
	'walk 1 0xffff888000001000' 'cat /proc/nope' 'walk x' 'no_such_function()' \
	'1 + 1' 'quit' 'print("not reached")' |
	"$TUXMM" shell --ram 32M >"$tmp/out" 2>"$tmp/err"
[ $? -eq 0 ] || fail "shell exit status $?"
grep -q '\[stack\]$' "$tmp/out" || fail "cat /proc/1/maps"
grep -q '^    1 init' "$tmp/out" || fail "ps lists init"
grep -q '^    2 init' "$tmp/out" || fail "ps lists the forked child"
grep -qx 'true' "$tmp/out" || fail "init:write returns true"
grep -qx 'hi' "$tmp/out" || fail "init:read reads back"
grep -q '^Mem: *3[0-9]*' "$tmp/out" || fail "free shows about 32 MiB"
grep -q 'PTE\[1\] .* -> 4 KiB page at 0x1000' "$tmp/out" || fail "walk through task 1's tables"
grep -qx '2' "$tmp/out" || fail "an expression's value is printed"
grep -q 'not reached' "$tmp/out" && fail "quit did not stop the shell"
grep -q '^/proc/nope: ENOENT$' "$tmp/err" || fail "cat of a missing file"
grep -q '^walk: give PID ADDRESS' "$tmp/err" || fail "walk without an address"
grep -q "attempt to call a nil value (global 'no_such_function')" "$tmp/err" ||
	fail "a Lua error is reported and the shell goes on"

check bad-ram 2 "option 'ram'" -- shell --ram banana
check bad-option 2 "unknown option '--frob'" -- shell --frob
check bad-policy 2 "unknown page-out policy 'lfu'" -- shell --policy lfu
echo 'print(m:dmesg():match("page%-out policy (%a+)"))' | "$TUXMM" shell --policy fifo >"$tmp/out" 2>&1
grep -qx 'fifo' "$tmp/out" || fail "shell --policy fifo: $(cat "$tmp/out")"
check help 0 "" -- shell --help
cli_done
