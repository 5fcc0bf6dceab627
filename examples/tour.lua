-- tour.lua - the whole story of tuxmm in one run, as the slides tell it: boot with a
-- driver's reservation, a process's demand-zero memory and its page tables, fork and
-- copy-on-write, a file mapped and read through the page cache, exec of a real program,
-- the kernel's own vmalloc memory that no user task may touch, and paging to swap under
-- memory pressure.
-- Each step prints what to look at; examples/*.lua tell each part at length.
-- Run: tuxmm run examples/tour.lua

local function step(title)
    print("\n== " .. title)
end
local function say(fmt, ...)
    print("   " .. string.format(fmt, ...))
end

step("1. boot a 64 MiB PC; a camera driver reserves 4 MiB at 16 MiB with memblock")
local m = tuxmm.boot{ram = "64M", reserve = {"camera:4M@0x1000000"}}
local P = m.page_size
say("%s", m:dmesg():match("Memory: [^\n]*"))
say("/proc/iomem: %s", m:proc("/proc/iomem"):match("%s*(01000000%-013fffff : camera)"))
say("/proc/buddyinfo: %s", (m:proc("/proc/buddyinfo"):match("[^\n]*DMA32[^\n]*"):gsub("%s+", " "):gsub(" $", "")))
say("(free blocks of 4 KiB << order, orders 0 to 10, in the DMA32 zone)")

step("2. a process maps 4 anonymous pages: an area, no memory until it writes")
local sh = m:spawn("sh")
local a = assert(sh:mmap(nil, 4 * P, "rw-", "private,anonymous"))
local function smaps(t, what)
    local block = m:proc("/proc/" .. t.pid .. "/smaps"):match("\n?(" .. string.format("%x-", a) .. ".-)\nVmFlags")
    local function kb(k) return tonumber(block:match("\n" .. k .. ":%s+(%d+) kB")) end
    say("%-7s pid %d: Rss %2d kB  Pss %2d kB  Shared %2d kB  Private %2d kB", what, t.pid, kb("Rss"),
        kb("Pss"), kb("Shared_Clean") + kb("Shared_Dirty"), kb("Private_Clean") + kb("Private_Dirty"))
end
say("%s", m:proc("/proc/" .. sh.pid .. "/maps"):match("[^\n]*\n"):gsub("%s+$", ""))
smaps(sh, "mapped")
assert(sh:fill(a, 4 * P, "s"))
local minflt = sh:faults()
say("after writing them: %d page faults (demand-zero), one per page", minflt)
smaps(sh, "written")
say("the page tables from the PGD down to the page (the slides' Figure 3):")
for line in sh:walk(a):gmatch("[^\n]+") do
    say("  %s", line)
end

step("3. fork: the child shares every page copy-on-write; a write copies one page")
local child = assert(sh:fork())
smaps(sh, "parent")
assert(child:write(a, "child's"))
smaps(child, "child")
say("parent reads %q, child reads %q", sh:read(a, 7), child:read(a, 7))
child:exit()

step("4. a file mapped: read through the page cache, with readahead; shared writes reach")
print("   the file at msync")
local path = os.tmpname()
local f = assert(io.open(path, "wb"))
for i = 0, 63 do
    local head = "block " .. i
    f:write(head, string.rep(" ", P - #head))
end
f:close()
local fm = assert(sh:mmap(nil, 64 * P, "rw-", "shared", path))
local _, majflt = sh:faults()
say("read page 10: %q", sh:read(fm + 10 * P, 8))
local _, majflt2 = sh:faults()
say("%d major fault; Cached is now %s, the readahead window of 32 pages",
    majflt2 - majflt, m:proc("/proc/meminfo"):match("\nCached:%s+(%d+ kB)"))
assert(sh:write(fm, "BLOCK"))
local function on_disk()
    local h = assert(io.open(path, "rb"))
    local s = h:read(5)
    h:close()
    return s
end
say("after a write, the file starts with %q; after msync, with %q", on_disk(),
    (assert(sh:msync(fm, 64 * P, "sync")) and on_disk()))
assert(sh:munmap(fm, 64 * P))
os.remove(path)

step("5. exec /bin/true: a new address space built from the ELF file")
assert(sh:exec("/bin/true", {"true"}, {"HOME=/"}))
local kinds = {}
for name in m:proc("/proc/" .. sh.pid .. "/maps"):gmatch("[^\n]-%s(%S+)\n") do
    local kind = name:match("^%[") and name or (name:match("ld%-linux") and "interpreter" or "program")
    if kinds[#kinds] ~= kind then
        kinds[#kinds + 1] = kind
    end
end
say("task %d is now %q; its areas, low to high: %s", sh.pid, sh.name, table.concat(kinds, ", "))
say("(the program's and ld.so's segments are mapped from their files, not read yet)")

step("6. the kernel's own memory: vmalloc; the user task cannot touch it")
local k = assert(m:vmalloc("64K"))
say("%s", m:proc("/proc/vmallocinfo"):gsub("\n$", ""))
assert(m:vwrite(k, "kernel"))
local r, si = sh:read(k, 6)
say("the kernel reads %q there; the task gets %s, %s %s", m:vread(k, 6), tostring(r), si.signal,
    si.code)

step("7. where the memory went")
local mi = m:proc("/proc/meminfo")
for _, key in ipairs{"MemTotal", "MemFree", "Cached", "AnonPages", "PageTables", "Slab", "VmallocUsed"} do
    say("%s", mi:match("\n?(" .. key .. ":[^\n]*)"))
end
step("8. memory pressure: a 16 MiB machine with a swap file; a task writes 24 MiB")
local sw = os.tmpname()
assert(tuxmm.mkswap(sw, "32M"))
local small = tuxmm.boot{ram = "16M", swap = {sw}}
os.remove(sw)	-- the machine keeps the file open, as swapon does
local hog = small:spawn("hog")
local SP = small.page_size
local n = 24 * 1024 * 1024 // SP
local h = assert(hog:mmap(nil, n * SP, "rw-", "private,anonymous"))
for i = 0, n - 1 do assert(hog:write(h + i * SP, string.pack("<I4", i))) end
local st = small:stats()
say("kswapd and direct reclaim wrote %d pages to swap (pswpout); VmSwap %s",
    st.pswpout, small:proc("/proc/" .. hog.pid .. "/status"):match("VmSwap:%s+(%d+ kB)"))
local bad = 0
for i = 0, n - 1 do
    if string.unpack("<I4", hog:read(h + i * SP, 4)) ~= i then bad = bad + 1 end
end
st = small:stats()
say("read back: %d of %d pages wrong; %d pages read from swap (pswpin, with swap readahead)",
    bad, n, st.pswpin)
say("/proc/swaps: %s", (small:proc("/proc/swaps"):match("\n([^\n]+)"):gsub("^%S+", "SWAPFILE"):gsub("%s+", " ")))
say("(tuxmm report draws this machine too: its swap slots and what each frame holds)")

print("\nMore: examples/fork-cow.lua, readahead.lua, shared-mapping.lua, exec.lua, vmalloc.lua,")
print("swap-pressure.lua, page-out-policies.lua, oom.lua, boot-reserve.lua, vma-merge.lua;")
print("man -l docs/tuxmm.1; tuxmm shell to try it live.")
