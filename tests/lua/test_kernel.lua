-- test_kernel.lua - the kernel's own memory from Lua: m:vmalloc, m:vfree, m:vread, m:vwrite,
-- /proc/vmallocinfo and VmallocUsed, and that a user task cannot touch a kernel address.

local function raises(want, f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, "expected an error containing: " .. want)
    assert(tostring(err):find(want, 1, true),
           "error '" .. tostring(err) .. "' lacks '" .. want .. "'")
end

local function vmalloc_used(m)
    return tonumber(m:proc("/proc/meminfo"):match("VmallocUsed:%s+(%d+) kB"))
end

local m = tuxmm.boot{ram = "64M"}
local P = m.page_size
assert(m:proc("/proc/vmallocinfo") == "")
assert(vmalloc_used(m) == 0)

-- 10K rounds up to 3 pages; the area is 4 pages with its guard page; addresses are in the
-- kernel half (negative Lua integers), from the start of the vmalloc area.
local a = assert(m:vmalloc("10K"))
local b = assert(m:vmalloc(P))
assert(a < 0 and string.format("%x", a) == "ffffc90000000000")
assert(b == a + 4 * P, "the next area follows the guard page")
local info = m:proc("/proc/vmallocinfo")
assert(info:find("0xffffc90000000000-0xffffc90000004000   16384 tuxmm_vmalloc pages=3 vmalloc\n",
                 1, true), info)
assert(select(2, info:gsub("\n", "")) == 2)
assert(vmalloc_used(m) == 4 * P // 1024)

-- The kernel reads back what it wrote, across pages; the guard page and user addresses fault.
assert(m:vwrite(a + P - 2, "span") == true)
assert(m:vread(a + P - 2, 4) == "span")
local r, err = m:vread(a + 3 * P, 1)
assert(r == nil and err == "EFAULT", "guard page")
r, err = m:vwrite(0x400000, "x")
assert(r == nil and err == "EFAULT", "a user address is not in the kernel's tables")

-- A user task sees SIGSEGV at the kernel address, mapped or not (the kernel half is protected).
local t = m:spawn("user")
local v, si = t:read(a, 1)
assert(v == nil and si.signal == "SIGSEGV" and si.code == "SEGV_MAPERR" and si.addr == a)
v, si = t:write(a, "x")
assert(v == nil and si.signal == "SIGSEGV")
assert(m:vread(a + P - 2, 4) == "span", "the user's store changed nothing")

-- vfree: only an area's start; after it the range is unmapped and free again.
r, err = m:vfree(a + 1)
assert(r == nil and err == "EINVAL")
r, err = m:vfree(0x400000)
assert(r == nil and err == "EINVAL")
assert(m:vfree(a) == true)
r, err = m:vfree(a)
assert(r == nil and err == "EINVAL", "double vfree")
r, err = m:vread(a, 1)
assert(r == nil and err == "EFAULT")
assert(vmalloc_used(m) == P // 1024)
assert(m:vmalloc("12K") == a, "the freed range is reused, lowest address first")
assert(not m:dmesg():find("vfree"), "user mistakes are errors, not kernel warnings")

-- More than RAM: ENOMEM, the machine goes on.
r, err = m:vmalloc("1G")
assert(r == nil and err == "ENOMEM")
assert(m:vmalloc(P))

-- Misuse raises.
raises("m:vmalloc: argument 1: expected a size", m.vmalloc, m, {})
raises("m:vmalloc: argument 1: the size must be at least 1 byte", m.vmalloc, m, 0)
raises("m:vfree: argument 1: expected an address", m.vfree, m, "x")
raises("m:vread: call it on a machine", m.vread, 1, 2, 3)
raises("m:vwrite: argument 2: expected a string, got no value", m.vwrite, m, a)
m:close()
raises("m:vmalloc: the machine has been closed", m.vmalloc, m, 4096)
print("test_kernel: ok")
