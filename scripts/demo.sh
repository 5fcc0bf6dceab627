#!/bin/sh
# demo.sh - the main job: the tour scenario (boot with a driver's reservation,
# demand paging, fork and copy-on-write, a file mapping, exec of a real binary,
# vmalloc) tells its story; a real program's memory trace (ls -l under valgrind
# lackey, from shared/traces when it is there) is replayed under the textbook
# page-replacement policies; and the machine the tour leaves is drawn as an HTML
# report with the miss-ratio curves (the slides' Figures 2 and 3 from live
# state, physical memory, swap).
# usage: demo.sh BUILD_DIR
set -e
BUILD=${1:-build}
T="$BUILD/tuxmm"
HERE=$(cd "$(dirname "$0")/.." && pwd)
REPORT="$BUILD/report.html"
TRACE="$HERE/../shared/traces/lackey-x86-ls-l.trace.gz"
CURVES=

if [ -r "$TRACE" ]; then
	echo "== tuxmm trace: ls -l's 770,000 memory references with 32 frames, each policy =="
	"$T" trace --quiet --frames 32 --policy all "$TRACE"
	echo
	echo "== the miss-ratio curves, 4 to 64 frames (for the report) =="
	"$T" trace --quiet --sweep 4:64:4 --policy fifo,lru,clock,opt --csv "$TRACE" \
		>"$BUILD/sweep.csv"
	echo "   $BUILD/sweep.csv"
	CURVES="--curves $BUILD/sweep.csv"
	echo
fi
echo "== tuxmm report examples/tour.lua -o $REPORT: the tour, then its pictures =="
# shellcheck disable=SC2086
"$T" report "$HERE/examples/tour.lua" -o "$REPORT" $CURVES
echo
echo "The report: $REPORT (open it in a browser; it needs no network)."
