#!/bin/sh
# test_report.sh - `tuxmm report` as a user runs it: usage errors, a report of a booted
# machine and of a scenario's machines (HTML and --svg files, curves from a sweep CSV,
# text escaped, nothing fetched from the network), m:report{} from Lua, and the pictures
# rendered by headless Chromium: the DOM holds the SVG drawings and the screenshots are
# not blank (counted by png_ink.c, compiled here with the host's cc and zlib).
# usage: test_report.sh PATH/TO/tuxmm [SOURCE_DIR]
set -u
TUXMM=$1

. "$(dirname "$0")/cli_lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	echo "FAIL chromium is not installed: the report is checked by rendering it in headless"
	echo "     Chromium. Install Debian's package: apt-get install chromium (scripts/setup.sh does)"
	exit 1
fi
cc -O1 -o "$tmp/png_ink" "$(dirname "$0")/png_ink.c" -lz || { echo "FAIL cannot build png_ink"; exit 1; }

has() {		# has NAME FILE TEXT: FILE holds TEXT
	grep -q -- "$3" "$2" && echo "ok   $1" || fail "$1: $2 lacks '$3'"
}
hasnt() {	# hasnt NAME FILE TEXT
	grep -q -- "$3" "$2" && fail "$1: $2 holds '$3'" || echo "ok   $1"
}
count_at_least() {	# count_at_least NAME FILE TEXT N: TEXT occurs at least N times
	n=$(grep -o -- "$3" "$2" | wc -l)
	[ "$n" -ge "$4" ] && echo "ok   $1 ($n)" || fail "$1: '$3' occurs $n times in $2, want >= $4"
}

# chrome ARGS...: headless Chromium with a private profile, quiet
chrome() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$tmp/chrome" --hide-scrollbars "$@" 2>>"$tmp/chrome.log"
}

# drawn NAME URL W H MIN_INK MIN_COLORS: a screenshot of URL has ink and colours
drawn() {
	rm -f "$tmp/shot.png"
	chrome --screenshot="$tmp/shot.png" --window-size="$3,$4" "$2" >/dev/null
	if [ ! -s "$tmp/shot.png" ]; then
		fail "$1: Chromium wrote no screenshot of $2"; tail -5 "$tmp/chrome.log"; return
	fi
	stats=$("$tmp/png_ink" "$tmp/shot.png") || { fail "$1: unreadable screenshot"; return; }
	ink=$(echo "$stats" | sed 's/.*ink=\([0-9]*\).*/\1/')
	colors=$(echo "$stats" | sed 's/.*colors=\([0-9]*\).*/\1/')
	if [ "$ink" -ge "$5" ] && [ "$colors" -ge "$6" ]; then
		echo "ok   $1 ($stats)"
	else
		fail "$1: looks blank: $stats (want ink >= $5, colors >= $6)"
	fi
}

# ---- usage ----
check help 0 "" -- report --help
has help-curves "$tmp/out" "--curves FILE.csv"
check listed 0 "" -- --help
has listed-report "$tmp/out" "report"
check no-output 2 "give -o FILE.html and/or --svg DIR" -- report
check bad-pid 2 "--pid 'x' is not a whole number" -- report --pid x -o "$tmp/x.html"
check bad-addr 2 "--addr 'zz' is not a whole number" -- report --addr zz -o "$tmp/x.html"
check no-curves 2 "--curves $tmp/none.csv: No such file" -- report --curves "$tmp/none.csv" -o "$tmp/x.html"
check bad-ram 2 "--ram 1K is out of range" -- report --ram 1K -o "$tmp/x.html"
check unknown-opt 2 "unknown option '--frobnicate'" -- report --frobnicate -o "$tmp/x.html"
check no-scenario 2 "nothing.lua: No such file" -- report "$tmp/nothing.lua" -o "$tmp/x.html"
printf 'local m = tuxmm.boot{}\n' >"$tmp/one.lua"
check ram-with-scenario 2 "machine options (--ram, ...) apply without a scenario" -- report --ram 64M "$tmp/one.lua" -o "$tmp/x.html"
check no-such-pid 1 "pid 9: no such task (live: none)" -- report --pid 9 -o "$tmp/x.html"
printf 'local m = tuxmm.boot{}\nm:close()\n' >"$tmp/closed.lua"
check closed 1 "left no machine to draw" -- report "$tmp/closed.lua" -o "$tmp/x.html"
printf 'error("boom")\n' >"$tmp/boom.lua"
check scenario-fails 1 "boom.lua:1: boom" -- report "$tmp/boom.lua" -o "$tmp/x.html"
printf 'policy,frames,refs\nlru,4,10\n' >"$tmp/bad.csv"
check bad-csv-header 1 "bad.csv:1: not a \`tuxmm trace --sweep --csv\` file" -- report --curves "$tmp/bad.csv" -o "$tmp/x.html"
printf 'policy,frames,references,faults,minor_faults,major_faults,writebacks,tlb_hit_rate\nlru,4,10,x,1,0,0,0.5\n' >"$tmp/bad2.csv"
check bad-csv-row 1 "bad2.csv:2: field 4 'x' is not a whole number" -- report --curves "$tmp/bad2.csv" -o "$tmp/x.html"
check unwritable 1 "/nonexistent-dir/r.html: No such file" -- report -o /nonexistent-dir/r.html

# ---- a booted machine: no task, so the kernel's page tables ----
check boot 0 "" -- report --ram 128M --reserve camera:4M -o "$tmp/boot.html"
has boot-kernel-tables "$tmp/boot.html" "Kernel page tables (swapper_pg_dir)"
has boot-reservation "$tmp/boot.html" ">camera<"
has boot-zone "$tmp/boot.html" "zone DMA32: pfn 0x1000-0x7fff"
check levels3 0 "" -- report --levels 3 --page-size 4K -o "$tmp/l3.html"
has levels3-pmd "$tmp/l3.html" "PMD table at"
hasnt levels3-no-pud "$tmp/l3.html" "PUD table at"

# ---- a scenario: two tasks, a file mapping, swap, curves; names that need escaping ----
head -c 65536 /dev/zero >"$tmp/data.bin"
cat >"$tmp/scene.lua" <<LUA
local m = tuxmm.boot{ram = "64M"}
assert(tuxmm.mkswap("$tmp/swap.img", "4M"))
assert(m:swapon("$tmp/swap.img", 7))
local P = m.page_size
local t = m:spawn("<b>&\"x'")
local a = assert(t:mmap(nil, 16 * P, "rw-", "private,anonymous"))
assert(t:touch(a, 5 * P, "w"))
assert(t:madvise(a + 3 * P, 2 * P, "pageout"))
local f = assert(t:mmap(nil, 16 * P, "r--", "private", "$tmp/data.bin", 0))
assert(t:touch(f, 2 * P, "r"))
local c = assert(t:fork())
assert(c:write(a, "child"))
print("scenario done")
LUA
cat >"$tmp/sweep.csv" <<'CSV'
policy,frames,references,faults,minor_faults,major_faults,writebacks,tlb_hit_rate
fifo,4,1000,420,100,320,50,0.91
fifo,8,1000,300,100,200,40,0.93
fifo,16,1000,150,100,50,20,0.95
lru,4,1000,400,100,300,45,0.91
lru,8,1000,250,100,150,30,0.93
lru,16,1000,120,100,20,10,0.95
opt,4,1000,330,100,230,30,0.91
opt,8,1000,190,100,90,20,0.93
opt,16,1000,110,100,10,5,0.95
CSV
check scenario 0 "" -- report "$tmp/scene.lua" -o "$tmp/r.html" --svg "$tmp/svg" --curves "$tmp/sweep.csv" --title "A & B <report>"
has scenario-story "$tmp/out" "scenario done"
R=$tmp/r.html
has doctype "$R" "<!DOCTYPE html>"
has title-escaped "$R" "<title>A &amp; B &lt;report&gt;</title>"
has comm-escaped "$R" "&lt;b&gt;&amp;&quot;x&#39;"
hasnt no-raw-markup "$R" "<b>&\"x"
hasnt no-script "$R" "<script"
hasnt no-remote "$R" "https\?://[^w]"
hasnt no-remote-svg "$R" "http://[^w]"
hasnt no-link "$R" "<link"
hasnt no-import "$R" "@import"
for id in vm-pid1 pgtable-pid1 vm-pid2 pgtable-pid2 physical swap miss-ratio; do
	has "figure-$id" "$R" "<figure id=\"$id\">"
	if [ -s "$tmp/svg/$id.svg" ]; then echo "ok   svg-file-$id"; else fail "svg-file-$id: missing"; fi
done
count_at_least svgs "$R" "<svg xmlns=\"http://www.w3.org/2000/svg\"" 7
has vm-kernel-half "$R" "kernel memory"
has vm-protected "$R" "protected: a user-mode access gets SIGSEGV"
has vm-chain "$R" "vm_area_struct"
has vm-file-area "$R" ">data.bin<"
has vm-resident "$R" "64 kB, resident 12 kB (18%), swap 8 kB"
has pt-levels "$R" "PTE table at"
has pt-frame-anon "$R" "anon, mapcount"
has pt-frame-file "$R" "file data.bin"
has phys-owner "$R" ">mem_map<"
has phys-free "$R" "free block of order"
has swap-area "$R" "area 0: $tmp/swap.img"
has swap-prio "$R" "priority 7"
has swap-used "$R" "8 kB used (2 of 1023 slots)"
has curves-legend "$R" ">opt</text>"
count_at_least curves-lines "$R" "<polyline class=\"tx-curve\"" 3
has curves-table "$R" "<td>lru</td><td>8</td><td>1000</td><td>250</td><td>0.2500</td>"
head -1 "$tmp/svg/physical.svg" | grep -q '^<?xml version="1.0"' && echo "ok   svg-xml-decl" ||
	fail "svg-xml-decl: physical.svg lacks the XML declaration"

# ---- m:report from Lua ----
cat >"$tmp/lua.lua" <<LUA
local m = tuxmm.boot{ram = "32M"}
local t = m:spawn("lua")
local a = t:mmap(nil, 4 * m.page_size, "rw-", "private,anonymous")
t:touch(a, m.page_size, "w")
assert(m:report{path = "$tmp/lua.html", pids = {t.pid}, addrs = {a, a + m.page_size}})
local ok, e, msg = m:report{path = "$tmp/lua2.html", pids = {99}}
print("missing", ok, e, msg)
local ok2, err2 = pcall(m.report, m, {path = 1})
print("misuse", ok2, err2)
local ok3, err3 = pcall(m.report, m, {paht = "x"})
print("unknown", ok3, err3)
LUA
check lua 0 "" -- run "$tmp/lua.lua"
has lua-report "$tmp/lua.html" "<figure id=\"pgtable-pid1\">"
has lua-missing "$tmp/out" "missing	nil	ESRCH	pid 99: no such task (live: 1)"
has lua-misuse "$tmp/out" "m:report: option 'path': expected a string, got number"
has lua-unknown "$tmp/out" "unknown option 'paht'"

# ---- rendered by Chromium ----
printf '<!DOCTYPE html><html><body></body></html>\n' >"$tmp/blank.html"
rm -f "$tmp/shot.png"
chrome --screenshot="$tmp/shot.png" --window-size=400,300 "file://$tmp/blank.html" >/dev/null
blank=$("$tmp/png_ink" "$tmp/shot.png" 2>&1)
case $blank in
*" ink=0 "*) echo "ok   png_ink-sees-blank ($blank)" ;;
*) fail "png_ink-sees-blank: a blank page gives '$blank'" ;;
esac

chrome --dump-dom "file://$R" >"$tmp/dom.html"
count_at_least dom-svgs "$tmp/dom.html" "<svg" 7
count_at_least dom-rects "$tmp/dom.html" "<rect" 200
count_at_least dom-paths "$tmp/dom.html" "<path" 10
count_at_least dom-polylines "$tmp/dom.html" "<polyline" 3
count_at_least dom-texts "$tmp/dom.html" "<text" 100
drawn render-report "file://$R" 1400 2000 100000 50
for id in vm-pid1 pgtable-pid1 physical swap miss-ratio; do
	chrome --dump-dom "file://$tmp/svg/$id.svg" >"$tmp/svgdom"
	if grep -q "<svg" "$tmp/svgdom" && ! grep -qi "parsererror\|error on line" "$tmp/svgdom"; then
		echo "ok   svg-parses-$id"
	else
		fail "svg-parses-$id: Chromium could not read $id.svg"; head -c 400 "$tmp/svgdom"
	fi
	drawn "render-$id" "file://$tmp/svg/$id.svg" 1200 900 3000 20
done

cli_done
