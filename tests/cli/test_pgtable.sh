#!/bin/sh
# test_pgtable.sh - `tuxmm boot --levels/--page-size/--walk` as a user runs them.
# usage: test_pgtable.sh PATH/TO/tuxmm SOURCE_DIR
set -u
TUXMM=$1
. "$(dirname "$0")/cli_lib.sh"


expect_out() {	# expect_out NAME TEXT: the last run's stdout contains TEXT
	grep -q -- "$2" "$tmp/out" && return
	echo "FAIL $1: stdout lacks '$2':"; cat "$tmp/out"; fails=$((fails + 1))
}

for ps in 4K 16K 64K; do
	for levels in 2 3 4; do
		check "boot-$levels-levels-$ps" 0 "" -- boot --quiet --levels $levels --page-size $ps
	done
done
check boot-5-levels 0 "" -- boot --levels 5
expect_out boot-5-levels-log "Using GB pages for direct mapping"
check five-levels-16k 2 "give --levels 2, 3 or 4 with --page-size 16K" -- \
	boot --levels 5 --page-size 16K
check bad-levels 2 "--levels 6" -- boot --levels 6
check bad-page-size 2 "--page-size 8K" -- boot --page-size 8K
check i386-too-much-ram 2 "887 MiB" -- boot --levels 2 --ram 1G

check walk-direct-map 0 "" -- boot --quiet --walk 0xffff888000001000
expect_out walk-direct-map-pgd "PGD\[273\]"
expect_out walk-direct-map-pte "PTE\[1\] .* P RW A D G NX -> 4 KiB page at 0x1000"
expect_out walk-direct-map-result "= physical 0x1000 (pfn 0x1)"
check walk-3-level 0 "" -- boot --quiet --levels 3 --walk 0xffffff8000200000
expect_out walk-3-level-pgd "PGD\[512\]"
expect_out walk-3-level-pmd "PMD\[1\] .* PSE G NX -> 2048 KiB page at 0x200000"
check walk-user 0 "" -- boot --quiet --walk 0x400000
expect_out walk-user-none "no translation: not present"
check walk-non-canonical 0 "" -- boot --quiet --walk 0x0000800000000000
expect_out walk-non-canonical-msg "non-canonical address"
check walk-bad 2 "--walk 'kernel' is not a whole number" -- boot --walk kernel

check vmallocinfo 0 "" -- boot --quiet --show /proc/vmallocinfo

cli_done
