#!/bin/sh
# demo.sh - the main job: boot a PC with a driver's boot-time reservation and show
# what the memory manager made of it, then tell the fork and copy-on-write story
# of the slides in a Lua scenario.
# usage: demo.sh BUILD_DIR
set -e
BUILD=${1:-build}
T="$BUILD/tuxmm"
HERE=$(cd "$(dirname "$0")/.." && pwd)

echo "== tuxmm boot: a 64 MiB PC with a camera driver's 4 MiB reserved at boot =="
"$T" boot --ram 64M --cpus 2 --reserve camera:4M \
	--show /proc/iomem --show /proc/buddyinfo --show /proc/meminfo \
	--show /proc/zoneinfo --show /proc/slabinfo
echo
echo "== the page-table walk of a direct-map address (the slides' Figure 3) =="
"$T" boot --quiet --walk 0xffff888000001000
echo
echo "== tuxmm run examples/fork-cow.lua: fork and copy-on-write =="
"$T" run "$HERE/examples/fork-cow.lua"
