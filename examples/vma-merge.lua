-- vma-merge.lua - how Linux keeps a process's areas: neighbours with the same
-- flags merge into one vm_area_struct, and mprotect() of part of an area splits
-- it (then merges it back when the protections match again).
-- Run: tuxmm run examples/vma-merge.lua

local m = tuxmm.boot{ram = "64M"}
local t = m:spawn("demo")
local page = m.page_size
local maps = "/proc/" .. t.pid .. "/maps"

-- Print the areas of the task that lie in [lo, hi): one line per vm_area_struct.
local function show(title, lo, hi)
    print("== " .. title)
    for line in m:proc(maps):gmatch("[^\n]+") do
        local s = tonumber(line:match("^(%x+)-"), 16)
        if s >= lo and s < hi then
            print("   " .. line)
        end
    end
    print()
end

-- A fixed spot well below mmap_base, so the story is easy to follow.
local base = 0x10000000
local lo, hi = base - 16 * page, base + 32 * page

-- 1. Two anonymous mappings side by side, made by two separate calls.
assert(t:mmap(base, 4 * page, "rw-", "private,anonymous,fixed"))
assert(t:mmap(base + 4 * page, 4 * page, "rw-", "private,anonymous,fixed"))
show("two mmap() calls, same flags: ONE area (the second merged into the first)", lo, hi)

-- 2. A neighbour with different protections stays separate.
assert(t:mmap(base + 8 * page, 2 * page, "r--", "private,anonymous,fixed"))
show("a read-only neighbour: a second area (flags differ)", lo, hi)

-- 3. mprotect() of the middle of an area splits it in three.
assert(t:mprotect(base + 2 * page, 2 * page, "r--"))
show("mprotect(middle, r--): the rw- area is split around the r-- part", lo, hi)

-- 4. Giving the middle its old rights back merges the three pieces again.
assert(t:mprotect(base + 2 * page, 2 * page, "rw-"))
show("mprotect(middle, rw-) again: merged back into one area", lo, hi)

-- 5. Making the read-only tail writable merges it with the big area too.
assert(t:mprotect(base + 8 * page, 2 * page, "rw-"))
show("the tail made rw-: now one area of 10 pages", lo, hi)

-- 6. munmap() of a hole splits the area; the pieces keep their rights.
assert(t:munmap(base + 3 * page, page))
show("munmap(one page in the middle): two areas around a hole", lo, hi)

-- What to look at: the first and last addresses of each line, and how the
-- number of lines changes. Each line is one VMA; their count (map_count) is
-- what vm.max_map_count limits.
local n = 0
for _ in m:proc(maps):gmatch("\n") do n = n + 1 end
print("areas in the whole address space now: " .. n .. " (with [stack] and [vsyscall])")
