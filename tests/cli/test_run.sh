#!/bin/sh
# test_run.sh - `tuxmm run` as a user runs it: exit status 0, 1 (the scenario raised an
# error, printed with file:line) and 2 (bad usage), `arg` and `...` as lua sets them.
# usage: test_run.sh PATH/TO/tuxmm SOURCE_DIR
set -u
TUXMM=$1
. "$(dirname "$0")/cli_lib.sh"

out_has() {	# out_has NAME TEXT: the last command's stdout holds TEXT
	grep -q -- "$2" "$tmp/out" && echo "ok   $1" ||
		{ echo "FAIL $1: stdout lacks '$2':"; cat "$tmp/out"; fails=$((fails + 1)); }
}

cat >"$tmp/ok.lua" <<'LUA'
local m = tuxmm.boot{ram = "32M"}
local t = m:spawn("hello")
print("args", arg[0] ~= nil, arg[1], arg[2], arg[-1], arg[-2], select("#", ...), ...)
print("pid", t.pid, t.name)
LUA
cat >"$tmp/fail.lua" <<'LUA'
local m = tuxmm.boot{}
local t = m:spawn()
-- line 4 misuses the API
t:mmap(nil, 4096, "rw-", "privte,anonymous")
LUA
cat >"$tmp/assert.lua" <<'LUA'
assert(1 == 2, "one is not two")
LUA
printf 'this is not lua (' >"$tmp/syntax.lua"
printf 'os.exit(3)\n' >"$tmp/exit3.lua"

check help 0 "" -- run --help
out_has help-usage "usage: tuxmm run FILE.lua"
check listed 0 "" -- --help
out_has help-lists-run "run "
check ok 0 "" -- run "$tmp/ok.lua" one two
out_has args "args	true	one	two	run	tuxmm	2	one	two"
out_has fields "pid	1	hello"
check api-misuse 1 "fail.lua:4: t:mmap: argument 4: mmap flags: unknown flag 'privte'" -- run "$tmp/fail.lua"
check traceback 1 "stack traceback" -- run "$tmp/fail.lua"
check assert 1 "assert.lua:1: one is not two" -- run "$tmp/assert.lua"
check syntax 1 "syntax.lua" -- run "$tmp/syntax.lua"
check os-exit 3 "" -- run "$tmp/exit3.lua"
check no-file 2 "no scenario given" -- run
check missing 2 "nope.lua: No such file or directory" -- run "$tmp/nope.lua"
check bad-option 2 "unknown option '--frob'" -- run --frob "$tmp/ok.lua"
check dashdash 0 "" -- run -- "$tmp/ok.lua"

cli_done
