#!/bin/sh
# demo.sh - the main job: boot a 64 MiB machine with a driver's boot-time
# reservation, then show what the memory manager made of it.
# usage: demo.sh BUILD_DIR
set -e
BUILD=${1:-build}
T="$BUILD/tuxmm"

echo "== tuxmm boot: a 64 MiB PC with a camera driver's 4 MiB reserved at boot =="
"$T" boot --ram 64M --cpus 2 --reserve camera:4M \
	--show /proc/iomem --show /proc/buddyinfo --show /proc/meminfo \
	--show /proc/zoneinfo --show /proc/slabinfo
