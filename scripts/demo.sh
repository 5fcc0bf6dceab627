#!/bin/sh
# demo.sh - the main job: the tour scenario (boot with a driver's reservation,
# demand paging, fork and copy-on-write, a file mapping, exec of a real binary,
# vmalloc) tells its story, and the machine it leaves is drawn as an HTML report
# (the slides' Figures 2 and 3 from live state, physical memory, swap).
# usage: demo.sh BUILD_DIR
set -e
BUILD=${1:-build}
T="$BUILD/tuxmm"
HERE=$(cd "$(dirname "$0")/.." && pwd)
REPORT="$BUILD/report.html"

echo "== tuxmm report examples/tour.lua -o $REPORT: the tour, then its pictures =="
"$T" report "$HERE/examples/tour.lua" -o "$REPORT"
echo
echo "The report: $REPORT (open it in a browser; it needs no network)."
