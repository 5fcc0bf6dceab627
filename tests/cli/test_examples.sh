#!/bin/sh
# test_examples.sh - every examples/*.lua scenario runs under `tuxmm run`, exits 0 and prints
# exactly tests/golden/examples/NAME.out. TUXMM_UPDATE_GOLDEN=1 rewrites the goldens.
# usage: test_examples.sh PATH/TO/tuxmm SOURCE_DIR
set -u
TUXMM=$1
SRC=$(cd "$2/.." && pwd)
fails=0
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for ex in "$SRC"/examples/*.lua; do
	name=$(basename "$ex" .lua)
	golden="$SRC/tests/golden/examples/$name.out"
	n=$((n + 1))
	"$TUXMM" run "$ex" >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ "$status" -ne 0 ]; then
		echo "FAIL $name: exit $status"; cat "$tmp/err"; fails=$((fails + 1)); continue
	fi
	if [ "${TUXMM_UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$tmp/out" "$golden"; echo "updated $golden"; continue
	fi
	if [ ! -f "$golden" ]; then
		echo "FAIL $name: no golden $golden (run with TUXMM_UPDATE_GOLDEN=1)"
		fails=$((fails + 1)); continue
	fi
	if ! diff -u "$golden" "$tmp/out"; then
		echo "FAIL $name: output differs from $golden"; fails=$((fails + 1)); continue
	fi
	echo "ok   $name"
done

if [ "$n" -eq 0 ]; then
	echo "FAIL no examples found in $SRC/examples"; exit 1
fi
if [ "$fails" -ne 0 ]; then
	echo "$fails of $n example(s) failed"
	exit 1
fi
echo "all $n examples match their goldens"
