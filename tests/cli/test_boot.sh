#!/bin/sh
# test_boot.sh - `tuxmm boot` as a user runs it: output, exit codes, one-line errors.
# usage: test_boot.sh PATH/TO/tuxmm SOURCE_DIR
set -u
TUXMM=$1
. "$(dirname "$0")/cli_lib.sh"


check version 0 "" -- --version
grep -q '^tuxmm [0-9]' "$tmp/out" || { echo "FAIL version output"; fails=$((fails + 1)); }
check help 0 "" -- --help
grep -q 'boot' "$tmp/out" || { echo "FAIL help lists boot"; fails=$((fails + 1)); }
check boot-help 0 "" -- boot --help
grep -q -- '--reserve NAME:SIZE' "$tmp/out" || { echo "FAIL boot help"; fails=$((fails + 1)); }
"$TUXMM" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q '^usage: tuxmm COMMAND' "$tmp/err" && echo "ok   no-command" ||
	{ echo "FAIL no-command prints usage, exit 2"; fails=$((fails + 1)); }
check unknown-command 2 "unknown command 'fly'" -- fly

check boot-default 0 "" -- boot
grep -q 'BIOS-e820: \[mem 0x0000000000000000-0x000000000009fbff\] usable' "$tmp/out" ||
	{ echo "FAIL boot log e820"; fails=$((fails + 1)); }
grep -q '^\[    0.000000\] Memory: [0-9]*K/65144K available' "$tmp/out" ||
	{ echo "FAIL boot log Memory line"; fails=$((fails + 1)); }

check show-meminfo 0 "" -- boot --quiet --show /proc/meminfo
head -1 "$tmp/out" | grep -q '^MemTotal: *[0-9]* kB$' ||
	{ echo "FAIL meminfo first line"; fails=$((fails + 1)); }
check show-all 0 "" -- boot --quiet --show all
for f in buddyinfo iomem meminfo slabinfo vmstat zoneinfo; do
	grep -q "^==> /proc/$f <==" "$tmp/out" || { echo "FAIL show all lacks $f"; fails=$((fails + 1)); }
done
check reserve 0 "" -- boot --quiet --reserve camera:4M@0x1000000 --show /proc/iomem
grep -q '^  01000000-013fffff : camera$' "$tmp/out" ||
	{ echo "FAIL iomem camera"; fails=$((fails + 1)); }

check ram-zero 2 "--ram 0 is out of range" -- boot --ram 0
check ram-banana 2 "--ram 'banana' is not a size" -- boot --ram banana
check ram-huge 2 "out of range" -- boot --ram 2T
check cpus-bad 2 "--cpus 'x' is not a whole number" -- boot --cpus x
check cpus-zero 2 "at least 1" -- boot --cpus 0
check page-size-bad 2 "--page-size 8K" -- boot --page-size 8K
check levels-bad 2 "--levels" -- boot --levels 7
check reserve-overlap 2 "overlaps" -- boot --reserve a:4M@0x1000000 --reserve b:4M@0x1200000
check reserve-outside 2 "not inside usable RAM" -- boot --reserve a:4M@0x80000000
check reserve-toobig 2 "does not fit" -- boot --reserve a:1G
check reserve-syntax 2 "expected NAME:SIZE" -- boot --reserve nope
check unknown-path 2 "/proc/nope: no such file" -- boot --show /proc/nope
check missing-value 2 "needs a value" -- boot --ram
check unknown-option 2 "unknown option '--frobnicate'" -- boot --frobnicate
check policy-fifo 0 "" -- boot --policy fifo
grep -q '\] tuxmm: page-out policy fifo: first in, first out' "$tmp/out" ||
	{ echo "FAIL boot log names the policy"; fails=$((fails + 1)); }
check policy-linux 0 "" -- boot --policy linux
grep -q 'page-out policy' "$tmp/out" && { echo "FAIL linux is the default, unnamed"; fails=$((fails + 1)); }
check policy-bad 2 "unknown page-out policy 'nosuch' (known: linux, clock, fifo, lru, random)" \
	-- boot --policy nosuch
check policy-opt 2 "policy opt needs the future" -- boot --policy opt
check policy-report-bad 2 "unknown page-out policy 'lfu'" -- report --policy lfu -o "$tmp/r.html"
check stray-arg 2 "unexpected argument 'extra'" -- boot extra

cli_done
