-- fork-cow.lua - fork and copy-on-write, as the slides tell it: "the parent's page
-- tables are copied directly into the child's, with the reference count of each page
-- covered being incremented", and private pages are copied only when written.
-- Watch Rss, Pss and Shared/Private in smaps, and the fault counters.

local m = tuxmm.boot{ram = "64M"}
local P = m.page_size
local parent = m:spawn("parent")
local a = assert(parent:mmap(nil, 4 * P, "rw-", "private,anonymous"))

local function show(t, what)
    local smaps = m:proc("/proc/" .. t.pid .. "/smaps")
    -- the area we mapped: its block starts with its address range
    local start = string.format("%x-", a)
    local block = smaps:match("\n?(" .. start .. ".-)\nVmFlags")
    local function field(name)
        return tonumber(block:match("\n" .. name .. ":%s+(%d+) kB"))
    end
    print(string.format("   %-7s pid %d: Rss %2d kB  Pss %2d kB  Shared %2d kB  Private %2d kB",
                        what, t.pid, field("Rss"), field("Pss"),
                        field("Shared_Clean") + field("Shared_Dirty"),
                        field("Private_Clean") + field("Private_Dirty")))
end

print("== the parent writes 4 pages: demand-zero faults give it 4 private pages")
assert(parent:fill(a, 4 * P, "p"))
show(parent, "parent")

print("\n== fork: the child gets copies of the areas and page tables, not of the pages;")
print("   all 4 pages are now shared (each counts half in Pss) and write-protected")
local child = assert(parent:fork())	-- the child keeps the parent's name, as in Linux
show(parent, "parent")
show(child, "child")

print("\n== the child writes page 0: a copy-on-write fault gives it its own copy")
assert(child:write(a, "child"))
show(parent, "parent")
show(child, "child")
print("   the parent still reads: " .. parent:read(a, 5) .. ", the child: " .. child:read(a, 5))

print("\n== the parent writes page 0 too: it is now the page's only user, so Linux")
print("   reuses the page instead of copying it (pgreuse counts these)")
local reuse = m:stats().pgreuse
assert(parent:write(a, "PARENT"))
print("   pgreuse went up by " .. (m:stats().pgreuse - reuse))
show(parent, "parent")

print("\n== the child exits: its private copy is freed, the rest is the parent's alone")
child:exit()
show(parent, "parent")

print("\n== mprotect read-only and back: only page 0, reused by a write since the fork,")
print("   is the parent's exclusively (PageAnonExclusive) and becomes writable again;")
print("   pages 1-3 stay write-protected until a write fault reuses them")
assert(parent:mprotect(a, 4 * P, "r--"))
assert(parent:mprotect(a, 4 * P, "rw-"))
local before = parent:faults()
assert(parent:touch(a, 4 * P, "w"))
print("   writing the 4 pages took " .. (parent:faults() - before) .. " faults")
