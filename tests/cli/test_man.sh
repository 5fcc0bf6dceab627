#!/bin/sh
# test_man.sh - docs/tuxmm.1 renders without a roff warning or error, has the sections a man
# page needs, and documents what the tool has: every command `tuxmm help` lists (a .SS
# section and a SYNOPSIS line), every long option its --help names (in its section), the
# three exit statuses, and every /proc file the machine serves (under FILES).
# usage: test_man.sh PATH/TO/tuxmm SOURCE_DIR
set -u
TUXMM=$1
PAGE="$2/../docs/tuxmm.1"
. "$(dirname "$0")/cli_lib.sh"

[ -f "$PAGE" ] || { fail "no $PAGE"; cli_done; }

# roff: groff's warnings (-ww) and errors on stderr; mandoc's lint too when installed.
if groff -man -Tutf8 -ww -z "$PAGE" 2>"$tmp/roff"; then :; else fail "groff exit $?"; fi
if [ -s "$tmp/roff" ]; then fail "groff warnings:"; cat "$tmp/roff"; else echo "ok   groff -ww"; fi
if command -v mandoc >/dev/null 2>&1; then
	mandoc -Tlint -Wwarning "$PAGE" >"$tmp/lint" 2>&1 || { fail "mandoc -Tlint:"; cat "$tmp/lint"; }
fi
man -l "$PAGE" >"$tmp/rendered" 2>"$tmp/manerr" </dev/null || fail "man -l exit $?"
[ -s "$tmp/manerr" ] && { fail "man -l wrote to stderr:"; cat "$tmp/manerr"; }
grep -q "tuxmm - the Linux memory" "$tmp/rendered" || fail "man -l: NAME line not rendered"

ver=$("$TUXMM" --version)
grep -q "^\.TH TUXMM 1 [0-9-]* \"$ver\"" "$PAGE" || fail ".TH does not name \"$ver\" (tuxmm --version)"

for sh in NAME SYNOPSIS DESCRIPTION COMMANDS 'EXIT STATUS' FILES EXAMPLES 'SEE ALSO'; do
	grep -qx -e ".SH $sh" -e ".SH \"$sh\"" "$PAGE" || fail "no .SH $sh"
done

# section CMD - the roff source of ".SS CMD" up to the next .SS or .SH.
section() {
	awk -v h=".SS $1" '$0 == h { on = 1; next } on && /^\.S[SH]/ { exit } on' "$PAGE"
}
# roff NAME - how a word is written in roff: each '-' as '\-'.
roff() {
	printf '%s\n' "$1" | sed 's/-/\\-/g'
}

cmds=$("$TUXMM" help | awk '/^commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }')
[ -n "$cmds" ] || fail "tuxmm help lists no commands"
for c in $cmds; do
	rc=$(roff "$c")
	section "$rc" >"$tmp/sec"
	if [ ! -s "$tmp/sec" ]; then
		fail "command '$c' has no .SS $rc section"; continue
	fi
	grep -qxF ".B tuxmm $rc" "$tmp/sec" || fail "$c: section does not start with its synopsis"
	awk '/^\.SH SYNOPSIS/ { on = 1; next } on && /^\.SH/ { exit } on' "$PAGE" |
		grep -qxF ".B tuxmm $rc" || fail "$c: not in SYNOPSIS"
	"$TUXMM" "$c" --help 2>/dev/null | grep -o -- '--[a-z][a-z0-9-]*' | sort -u >"$tmp/opts"
	missing=""
	while read -r opt; do
		grep -qF -- "$(roff "$opt")" "$tmp/sec" || missing="$missing $opt"
	done <"$tmp/opts"
	if [ -n "$missing" ]; then
		fail "$c: options in --help but not in its man section:$missing"
	else
		echo "ok   $c: section documents $(wc -l <"$tmp/opts") option(s)"
	fi
done

awk '/^\.SH "?EXIT STATUS"?$/ { on = 1; next } on && /^\.SH/ { exit } on' "$PAGE" >"$tmp/exit"
for st in 0 1 2; do
	grep -qx ".B $st" "$tmp/exit" || fail "EXIT STATUS does not list $st"
done

printf 'for _, p in ipairs(tuxmm.proc_paths()) do print(p) end\n' >"$tmp/paths.lua"
"$TUXMM" run "$tmp/paths.lua" >"$tmp/paths" || fail "listing the /proc paths"
awk '/^\.SH FILES/ { on = 1; next } on && /^\.SH/ { exit } on' "$PAGE" >"$tmp/files"
n=0
while read -r p; do
	n=$((n + 1))
	grep -qF -- "$p" "$tmp/files" || fail "FILES does not name $p"
done <"$tmp/paths"
[ "$n" -gt 10 ] && echo "ok   FILES names the $n /proc files" || fail "only $n /proc paths listed"

cli_done
