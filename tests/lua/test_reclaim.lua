-- test_reclaim.lua - reclaim from Lua: a machine smaller than what its task touches swaps
-- out and back with every byte intact; m:kswapd(), m:reclaim(n), m:vm_event(name), m:stats().

local sw = os.tmpname()
assert(tuxmm.mkswap(sw, "32M") == true)
local m = tuxmm.boot{ram = "16M", swap = {sw}}
local t = m:spawn("reclaim")
local P = m.page_size
local n = 24 * 1024 * 1024 // P
local a = assert(t:mmap(nil, n * P, "rw-", "private,anonymous"))

for i = 0, n - 1 do
    assert(t:write(a + i * P, string.pack("<I8", i * 7 + 1)))
end
for i = 0, n - 1 do
    assert(string.unpack("<I8", t:read(a + i * P, 8)) == i * 7 + 1, "page " .. i)
end
local st = m:stats()
assert(st.pswpout > 0 and st.pswpin > 0, "swapped out and back in")
assert(st.pgscan_kswapd + st.pgscan_direct > 0)
assert(m:vm_event("pswpout") == st.pswpout)
local none, err = m:vm_event("no_such_counter")
assert(none == nil and err == "ENOENT")

-- MADV_PAGEOUT then an explicit kswapd: nothing to do above the high watermark.
assert(t:madvise(a, 16 * P, "pageout") == true)
assert(m:kswapd() >= 0)
assert(m:reclaim(64) >= 0)
assert(not pcall(m.reclaim, m, -1))
assert(string.unpack("<I8", t:read(a, 8)) == 1)
assert(m:proc("/proc/meminfo"):find("SwapCached:", 1, true))
m:close()
os.remove(sw)
print("test_reclaim: ok")
