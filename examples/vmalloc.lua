-- vmalloc.lua - kernel virtual memory: vmalloc gives the kernel a large buffer that is
-- contiguous in virtual addresses but built from single pages scattered in RAM, mapped
-- into the vmalloc area of the kernel's page tables with a guard page after it. The
-- kernel half of every address space is mapped without the user bit: a user task that
-- touches it gets SIGSEGV, though the very same page tables map it.
-- Watch /proc/vmallocinfo, VmallocUsed, the page-table walk, and the signal.
-- Run: tuxmm run examples/vmalloc.lua

local m = tuxmm.boot{ram = "64M"}
local P = m.page_size
local function meminfo(key)
    return m:proc("/proc/meminfo"):match("\n?(" .. key .. ":[^\n]*)")
end

print("== a fresh machine: the vmalloc area is 32 TiB of kernel addresses, none used")
print("   " .. meminfo("VmallocTotal"))
print("   " .. meminfo("VmallocUsed"))

print("\n== a driver asks for 10 KiB and then 64 KiB: each area is rounded up to pages and")
print("   followed by an unmapped guard page (the size column counts it)")
local buf = assert(m:vmalloc("10K"))
local big = assert(m:vmalloc("64K"))
io.write(m:proc("/proc/vmallocinfo"))
print("   " .. meminfo("VmallocUsed"))

print("\n== the kernel writes and reads its buffer through its own page tables, across")
print("   page boundaries as if it were one block")
assert(m:vwrite(buf + P - 4, "abcdefgh"))
print("   the kernel reads: " .. m:vread(buf + P - 4, 8))
local t = m:spawn("user")
-- frames - the physical address of each page of [addr, addr + n pages), from page walks.
local function frames(addr, n)
    local out = {}
    for i = 0, n - 1 do
        out[#out + 1] = t:walk(addr + i * P):match("= physical (0x%x+)")
    end
    return table.concat(out, " ")
end
print("   its 3 pages are at physical " .. frames(buf, 3))
print("   the guard page after the 3 pages is not mapped: the kernel's read gives",
      m:vread(buf + 3 * P, 1))

print("\n== every task's page tables share the kernel half: walking the buffer's address")
print("   through the user task's own tables finds the kernel's entries, none of them with")
print("   the U (user) flag")
io.write(t:walk(buf))

print("\n== so the user task cannot touch it, mapped or not: a SIGSEGV, as on Linux")
local r, si = t:read(buf, 1)
print(string.format("   t:read(0x%x) -> %s, %s %s at 0x%x", buf, tostring(r), si.signal, si.code, si.addr))
r, si = t:write(buf, "x")
print(string.format("   t:write(0x%x) -> %s, %s %s", buf, tostring(r), si.signal, si.code))
print("   the kernel's buffer is unchanged: " .. m:vread(buf + P - 4, 8))
print("   the kernel log says: " .. m:dmesg():match("[^\n]*segfault[^\n]*"))

print("\n== vfree unmaps the pages, flushes the TLBs and frees them")
assert(m:vfree(buf))
print("   vfree(buf) again:", m:vfree(buf))
io.write(m:proc("/proc/vmallocinfo"))
local again = assert(m:vmalloc("20K"))
print(string.format("   a new 20 KiB area (5 pages + guard) does not fit in the 16 KiB hole: it is at 0x%x",
                    again))
print("   its 5 pages are at physical " .. frames(again, 5))
print("   (each page comes from the page allocator on its own: the 3 just freed, then")
print("   others; contiguous in kernel virtual addresses, not in physical memory)")
assert(m:vfree(again))
assert(m:vfree(big))
print("   " .. meminfo("VmallocUsed"))
