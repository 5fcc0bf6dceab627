#!/bin/sh
# bench.sh - run every benchmark in full; each prints one line per figure.
# usage: bench.sh BUILD_DIR
set -e
BUILD=${1:-build}
for b in "$BUILD"/bench/bench_*; do
	[ -x "$b" ] || continue
	echo "# $(basename "$b")"
	"$b"
done
