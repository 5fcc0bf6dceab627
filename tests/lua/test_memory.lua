-- test_memory.lua - memory access by a task (t:read, t:write, t:fill, t:touch), the signal a
-- real process would get, t:fork's copy-on-write, m:sync, and swap areas (tuxmm.mkswap,
-- m:swapon, m:swapoff, the boot option swap).

local function raises(want, f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, "expected an error containing: " .. want)
    assert(tostring(err):find(want, 1, true),
           "error '" .. tostring(err) .. "' lacks '" .. want .. "'")
end

local m = tuxmm.boot{ram = "64M"}
local t = m:spawn("mem")
local P = m.page_size
local a = assert(t:mmap(nil, 4 * P, "rw-", "private,anonymous"))

-- Fresh anonymous memory reads zero; writes read back; fill takes a number or a character.
assert(t:read(a, 4) == "\0\0\0\0")
assert(t:write(a, "hello") == true and t:read(a, 5) == "hello")
assert(t:fill(a + P, P, 0x41) == true and t:read(a + P, 3) == "AAA")
assert(t:fill(a + P, 2, "z") == true and t:read(a + P, 3) == "zzA")
assert(t:write(a + P - 2, "span") and t:read(a + P - 2, 4) == "span")	-- across pages
assert(t:read(a, 0) == "")

-- touch faults pages in: mincore sees them, the fault counters count them.
local before = t:faults()
assert(t:touch(a, 4 * P, "w") == true)
assert(t:mincore(a, 4 * P) == "1111")
assert(t:faults() >= before)
assert(t:touch(a, P) == true)			-- "r" by default

-- pagemap: present (bit 63) and mapped once (bit 56) for the touched pages, the PFN hidden.
local pm = assert(t:pagemap(a, 4))
assert(#pm == 4)
for i = 1, 4 do
    assert(pm[i] & (1 << 63) ~= 0, "page " .. i .. " present")
    assert(pm[i] & (1 << 56) ~= 0, "page " .. i .. " exclusively mapped")
    assert(pm[i] & ((1 << 55) - 1) == 0, "PFN hidden from an unprivileged reader")
end
local none, err = t:pagemap(a + 1, 1)
assert(none == nil and err == "EINVAL")

-- Faulting accesses: nil and the signal, as the process would receive it.
local r, si = t:read(0x1000, 1)
assert(r == nil and si.signal == "SIGSEGV" and si.code == "SEGV_MAPERR" and si.addr == 0x1000)
assert(t:mprotect(a, P, "r--"))
r, si = t:write(a, "x")
assert(r == nil and si.signal == "SIGSEGV" and si.code == "SEGV_ACCERR" and si.addr == a)
r, si = t:fill(a, 8, 0)
assert(r == nil and si.code == "SEGV_ACCERR")
r, si = t:touch(a, P, "w")
assert(r == nil and si.signal == "SIGSEGV")
assert(t:read(a, 5) == "hello")			-- nothing changed
raises("t:touch: argument 3: give \"r\" or \"w\"", t.touch, t, a, P, "x")
raises("t:fill: argument 3: a byte is 0 to 255", t.fill, t, a, P, 256)
raises("t:write: argument 2: expected a string", t.write, t, a, 42)

-- fork: the child sees the parent's data; writes after the fork stay private.
local c = assert(t:fork())
assert(c.pid ~= t.pid and c.name == "mem")
assert(c:read(a, 5) == "hello")
assert(c:write(a + P, "child"))
assert(t:read(a + P, 5) == "anAAA" and c:read(a + P, 5) == "child")
assert(t:write(a + 2 * P, "parent"))
assert(c:read(a + 2 * P, 6) == "\0\0\0\0\0\0")
assert(m:task(c.pid) == c)
assert(c:exit())

-- A shared mapping stays shared across fork.
local s = assert(t:mmap(nil, P, "rw-", "shared,anonymous"))
local c2 = assert(t:fork())
assert(c2:write(s, "both"))
assert(t:read(s, 4) == "both")

-- sync writes dirty page-cache pages back.
assert(m:sync() == true)

-- Swap areas.
local sw = os.tmpname()
assert(tuxmm.mkswap(sw, "8M") == true)
assert(m:swapon(sw) == true)
assert(m:proc("/proc/swaps"):find(sw, 1, true))
local ok, err, msg = m:swapon(sw)
assert(ok == nil and err == "EBUSY" and msg:find("already", 1, true))
assert(m:swapoff(sw) == true)
ok, err = m:swapoff(sw)
assert(ok == nil and err == "EINVAL")
local m2 = tuxmm.boot{swap = {sw}}
assert(m2:proc("/proc/swaps"):find(sw, 1, true))
raises("tuxmm.boot: option 'swap'", tuxmm.boot, {swap = "/nonexistent/swapfile"})
raises("option 'swap': entry 1: expected a path", tuxmm.boot, {swap = {1}})
ok, err = tuxmm.mkswap("/nonexistent/dir/swap", "8M")
assert(ok == nil and err == "ENOENT")
os.remove(sw)
print("test_memory: ok")

-- t:exec replaces the address space: the old mapping goes, the program's stack holds argc.
do
    local e = m:spawn("exec")
    local x = assert(e:mmap(0x10000000, P, "rw-", "private,anonymous,fixed"))
    assert(e:write(x, "old") == true)
    local r, err = e:exec("/nonexistent", {"x"})
    assert(r == nil and err == "ENOENT" and e:read(x, 3) == "old")
    assert(e:exec("/bin/true", {"true", "--help"}, {"A=1"}) == true)
    assert(not e:read(x, 1))
    assert(m:proc("/proc/" .. e.pid .. "/maps"):find("[vdso]", 1, true))
    raises("not a string", e.exec, e, "/bin/true", {1, {}})
    e:exit()
end
