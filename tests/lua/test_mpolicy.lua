-- test_mpolicy.lua - tuxmm.boot{policy = ...}: the machine's reclaim evicts what the
-- policy chooses. FIFO takes the oldest page however hot (tests/unit/test_mpolicy.c has
-- Linux keeping it); under every policy a task larger than RAM keeps every byte.

local sw = os.tmpname()
assert(tuxmm.mkswap(sw, "32M") == true)

-- A machine with @policy and pages 0, 1, 2 of a task written in order.
local function hot_first(policy)
    local m = tuxmm.boot{ram = "64M", swap = {sw}, policy = policy}
    local t = m:spawn("hot")
    local P = m.page_size
    local a = assert(t:mmap(nil, 3 * P, "rw-", "private,anonymous"))
    for i = 0, 2 do assert(t:write(a + i * P, "page" .. i)) end
    return m, t, a, P
end

local m, t, a, P = hot_first("fifo")
assert(m:dmesg():find("tuxmm: page-out policy fifo", 1, true))
for _ = 1, 10 do assert(t:read(a, 5) == "page0") end
assert(m:reclaim(1) == 1)
assert(t:mincore(a, 3 * P) == "011", "fifo evicts the oldest page: " .. t:mincore(a, 3 * P))
assert(m:stats().pswpout == 1)
for i = 0, 2 do assert(t:read(a + i * P, 5) == "page" .. i) end
m:close()

-- Linux's lists are the default and name no policy in the log.
m = hot_first("linux")
assert(not m:dmesg():find("page-out policy", 1, true))
m:close()

-- Every policy a machine takes: 24 MiB written into 16 MiB of RAM, read back intact.
for _, policy in ipairs{"linux", "clock", "fifo", "lru", "random"} do
    local mm = tuxmm.boot{ram = "16M", swap = {sw}, policy = policy}
    local tt = mm:spawn(policy)
    local PP = mm.page_size
    local n = 24 * 1024 * 1024 // PP
    local b = assert(tt:mmap(nil, n * PP, "rw-", "private,anonymous"))
    for i = 0, n - 1 do assert(tt:write(b + i * PP, string.pack("<I8", i * 13 + 5))) end
    for i = 0, n - 1 do
        assert(string.unpack("<I8", tt:read(b + i * PP, 8)) == i * 13 + 5, policy .. " page " .. i)
    end
    local st = mm:stats()
    assert(st.pswpout > 0 and st.pswpin > 0, policy .. ": swapped out and back in")
    mm:close()
end
os.remove(sw)

-- tuxmm.replay with ram: the whole machine under the policy, swapping when RAM is short.
local tr = os.tmpname()
local f = assert(io.open(tr, "w"))
for _ = 1, 3 do
    for p = 0, 2047 do f:write(string.format("%08x W\n", 0x10000000 + p * 4096)) end
end
f:close()
local fits = assert(tuxmm.replay(tr, {ram = "64M", policy = "fifo"}))
assert(fits.policy == "fifo" and fits.faults == 2048 and fits.major_faults == 0)
assert(fits.writebacks == 0 and fits.page_outs == 0)
local short = assert(tuxmm.replay(tr, {ram = "4M", policy = "fifo"}))
assert(short.faults > 2 * 2048 and short.major_faults > 0 and short.writebacks > 2048)
local none, errno, msg = tuxmm.replay(tr, {ram = "4M", policy = "opt"})
assert(none == nil and errno == "EINVAL" and msg:find("needs the future", 1, true), msg)
os.remove(tr)
print("test_mpolicy: ok")
