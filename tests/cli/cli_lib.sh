# cli_lib.sh - what the CLI tests share. Source it after setting TUXMM:
#   . "$(dirname "$0")/cli_lib.sh"
# It makes $tmp (removed at exit) and counts failures in $fails;
# finish with cli_done, which exits 1 if any check failed.
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {	# fail MESSAGE: count a failed check
	echo "FAIL $*"
	fails=$((fails + 1))
}

# check NAME EXPECTED_STATUS EXPECTED_STDERR_SUBSTRING -- ARGS...: run tuxmm ARGS;
# a usage error (status 2) must also be exactly one line on stderr.
check() {
	name=$1 want=$2 msg=$3
	shift 4
	"$TUXMM" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "$name: exit $got, want $want"; cat "$tmp/err"; return
	fi
	if [ -n "$msg" ] && ! grep -q -- "$msg" "$tmp/err"; then
		fail "$name: stderr lacks '$msg':"; cat "$tmp/err"; return
	fi
	if [ "$want" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
		fail "$name: error is not one line:"; cat "$tmp/err"; return
	fi
	echo "ok   $name"
}

cli_done() {
	if [ "$fails" -ne 0 ]; then
		echo "$fails check(s) failed"
		exit 1
	fi
	echo "all checks passed"
}
