-- swap-pressure.lua - the paging system of the slides: "the VM paging system relocates
-- pages of memory from physical memory out to disk when the memory is needed for
-- something else". A 16 MiB machine, a task that writes 24 MiB: kswapd and direct
-- reclaim pick pages with the LRU lists and write them to the swap file; touching them
-- again reads them back. Watch /proc/meminfo, /proc/vmstat and the task's VmSwap.

local sw = os.tmpname()
assert(tuxmm.mkswap(sw, "32M"))
local m = tuxmm.boot{ram = "16M", swap = {sw}}
local t = m:spawn("hog")
local P = m.page_size
local n = 24 * 1024 * 1024 // P

local function meminfo(...)
    local text = m:proc("/proc/meminfo")
    local out = {}
    for _, f in ipairs{...} do
        local pat = f:gsub("[()]", "%%%0") .. ":%s+(%d+) kB"
        out[#out + 1] = string.format("%s %s kB", f, text:match(pat))
    end
    print("   " .. table.concat(out, ", "))
end

local function vmstat(...)
    local st = m:stats()
    local out = {}
    for _, f in ipairs{...} do out[#out + 1] = f .. " " .. st[f] end
    print("   " .. table.concat(out, ", "))
end

local function vmswap()
    return m:proc("/proc/" .. t.pid .. "/status"):match("VmSwap:%s+(%d+) kB")
end

print("== boot: 16 MiB of RAM and a 32 MiB swap file")
meminfo("MemTotal", "SwapTotal", "SwapFree")

print("\n== the task writes 24 MiB, one word per page: more than RAM holds")
local a = assert(t:mmap(nil, n * P, "rw-", "private,anonymous"))
for i = 0, n - 1 do assert(t:write(a + i * P, string.pack("<I8", i))) end
meminfo("MemFree", "SwapFree", "Active(anon)", "Inactive(anon)")
vmstat("pswpout", "pgscan_kswapd", "pgsteal_kswapd", "pgscan_direct", "pageoutrun")
print("   VmSwap " .. vmswap() .. " kB")

print("\n== it reads every page back: the swapped ones fault in from the swap file")
for i = 0, n - 1 do
    assert(string.unpack("<I8", t:read(a + i * P, 8)) == i, "page " .. i .. " intact")
end
print("   all " .. n .. " pages read back intact")
vmstat("pswpin", "swap_ra", "swap_ra_hit")

print("\n== it writes its last 1 MiB again, then MADV_PAGEOUT: out to swap at once")
local last = a + (n - 256) * P
for i = 0, 255 do assert(t:write(last + i * P, string.pack("<I8", i))) end
local before = m:vm_event("pswpout")
assert(t:madvise(last, 256 * P, "pageout"))
print("   pswpout +" .. (m:vm_event("pswpout") - before) .. ", VmSwap " .. vmswap() .. " kB")

print("\n== the task exits: its swap slots are free again")
t:exit()
meminfo("SwapFree", "SwapCached")
assert(m:swapoff(sw))
m:close()
os.remove(sw)
