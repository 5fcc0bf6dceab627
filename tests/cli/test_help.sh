#!/bin/sh
# test_help.sh - every command `tuxmm help` lists has --help and -h: its usage on stdout,
# nothing on stderr, exit 0, and `tuxmm help COMMAND` prints the same; a bad option or a
# missing argument is one line on stderr naming the command, with the hint to --help,
# and exit 2. The command list comes from `tuxmm help`, so a new command is checked too.
# usage: test_help.sh PATH/TO/tuxmm SOURCE_DIR
set -u
TUXMM=$1
. "$(dirname "$0")/cli_lib.sh"

# commands - the first word of each line of the "commands:" block of `tuxmm help`.
commands() {
	"$TUXMM" help | awk '/^commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }'
}

# help_ok NAME ARGS...: exit 0, usage on stdout, stderr empty.
help_ok() {
	name=$1
	shift
	"$TUXMM" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne 0 ]; then
		fail "$name: exit $got, want 0"; cat "$tmp/err"; return 1
	fi
	if [ -s "$tmp/err" ]; then
		fail "$name: wrote to stderr:"; cat "$tmp/err"; return 1
	fi
	if ! head -n 1 "$tmp/out" | grep -q "^usage: tuxmm"; then
		fail "$name: stdout does not start with 'usage: tuxmm':"; head -n 3 "$tmp/out"; return 1
	fi
	echo "ok   $name"
}

cmds=$(commands)
[ -n "$cmds" ] || fail "tuxmm help lists no commands"
for want in boot run shell mkswap trace-convert; do
	echo "$cmds" | grep -qx -- "$want" || fail "tuxmm help does not list '$want'"
done

help_ok top-help help
help_ok top--help --help
help_ok top-h -h
check top-unknown 2 "unknown command 'frobnicate'" -- frobnicate
check help-unknown 2 "unknown command 'frobnicate'" -- help frobnicate
check version 0 "" -- --version

for c in $cmds; do
	help_ok "$c --help" "$c" --help || continue
	grep -q "^usage: tuxmm $c" "$tmp/out" || fail "$c --help: usage line does not name '$c'"
	grep -q -- "-h, --help" "$tmp/out" || fail "$c --help: does not list -h, --help"
	cp "$tmp/out" "$tmp/long"
	help_ok "$c -h" "$c" -h && { cmp -s "$tmp/out" "$tmp/long" || fail "$c -h differs from --help"; }
	help_ok "help $c" help "$c" &&
		{ cmp -s "$tmp/out" "$tmp/long" || fail "help $c differs from $c --help"; }
	check "$c bad option" 2 "tuxmm $c: unknown option '--no-such-option' (try tuxmm $c --help)" \
		-- "$c" --no-such-option
done

# A missing or extra argument: one line, the command named, the hint, exit 2.
check boot-extra-arg 2 "tuxmm boot: unexpected argument 'x' (try tuxmm boot --help)" -- boot x
check boot-missing-value 2 "tuxmm boot: --ram needs a value (try tuxmm boot --help)" -- boot --ram
check boot-bad-value 2 "(try tuxmm boot --help)" -- boot --ram banana
check run-no-file 2 "tuxmm run: no scenario given" -- run
check shell-bad-value 2 "(try tuxmm shell --help)" -- shell --levels x
check mkswap-no-args 2 "tuxmm mkswap: expected FILE SIZE, got 0 arguments" -- mkswap
check mkswap-bad-size 2 "(try tuxmm mkswap --help)" -- mkswap "$tmp/swap" lots
check trace-convert-one-arg 2 "tuxmm trace-convert: expected IN OUT, got 1 argument" \
	-- trace-convert in

cli_done
