-- readahead.lua - demand paging of a file: nothing is read when a file is mapped; the
-- first touch is a major fault that reads a whole window of the file into the page cache
-- (read-around), later touches are minor faults that map cached pages 16 at a time
-- (fault-around), and a marker in the window makes the kernel read the next window
-- before the reader gets there (async readahead).
-- Watch the "in page cache" column (from mincore), Cached in /proc/meminfo, the task's
-- resident size and its minor/major fault counters.
-- Run: tuxmm run examples/readahead.lua

local m = tuxmm.boot{ram = "64M"}
local P = m.page_size
local N = 256				-- a 1 MiB file: 256 pages of 4 KiB

-- make_file - a host file of N pages, each starting with "page NNN".
local function make_file()
    local path = os.tmpname()
    local f = assert(io.open(path, "wb"))
    for i = 0, N - 1 do
        local head = string.format("page %3d\n", i)
        f:write(head, string.rep(".", P - #head))
    end
    f:close()
    return path
end

-- runs("0011100") -> "2-4": the pages whose mincore byte is 1.
local function runs(s)
    local out, i = {}, 1
    while true do
        local b, e = s:find("1+", i)
        if not b then
            break
        end
        out[#out + 1] = b == e and tostring(b - 1) or string.format("%d-%d", b - 1, e - 1)
        i = e + 1
    end
    return #out > 0 and table.concat(out, ", ") or "none"
end

local function meminfo(key)
    return tonumber(m:proc("/proc/meminfo"):match("\n?" .. key .. ":%s+(%d+)"))
end

local t = m:spawn("reader")
local function rss()
    return tonumber(m:proc("/proc/" .. t.pid .. "/status"):match("VmRSS:%s+(%d+)"))
end

local path = make_file()
-- mincore tells the page cache's state only to a reader who may write the file (Linux
-- hides it from others), so open it read-write; the mapping itself is read-only.
local fd = assert(t:open(path, "rdwr"))
-- A 64 KiB-aligned hint address, so that fault-around's 16-page blocks start at page 0.
local a = assert(t:mmap(0x10000000, N * P, "r--", "private", fd, 0))
local pgpgin = m:stats().pgpgin

local function show(what, addr)
    local minflt, majflt = t:faults()
    print(string.format("  %-22s in cache: %-10s mapped %4d kB  Cached %4d kB  faults %2d minor %d major",
                        what, runs(t:mincore(addr or a, N * P)), rss(), meminfo("Cached"),
                        minflt, majflt))
end

print("== mmap of a 1 MiB file: an area, no page read yet")
show("after mmap")

print("\n== the first read: a major fault; read-around reads 32 pages (128 KiB, the file's")
print("   readahead window) centred on the fault into the page cache, and maps only that page")
print("   it reads: " .. t:read(a, 8))
show("read page 0")

print("\n== the next page is cached: a minor fault, and fault-around maps the cached pages")
print("   of its 16-page block at once, so pages 2-15 will not fault at all")
assert(t:read(a + P, 1))
show("read page 1")
assert(t:touch(a, 24 * P, "r"))
show("read pages 0-23")

print("\n== page 24 carries the readahead marker (8 pages before the window's end): reading")
print("   it starts the next window, 32 pages ahead, while the reader still has pages to read")
assert(t:touch(a + 24 * P, P, "r"))
show("read page 24")
print("   (mmap starts at the full window; read(2) would ramp it up 4, 8, 16, 32 pages)")

print("\n== a sequential read of the whole file: one major fault in all, a minor fault")
print("   per 16 pages, and every page read from the file exactly once (pgpgin, in kB)")
assert(t:touch(a, N * P, "r"))
show("read pages 0-255")
print(string.format("   pgpgin went up by %d kB; pgmajfault is %d", m:stats().pgpgin - pgpgin,
                    m:stats().pgmajfault))

print("\n== the same reads of another file after madvise(MADV_RANDOM): no readahead,")
print("   every page is a major fault of its own (here every 32nd page)")
local path2 = make_file()
local fd2 = assert(t:open(path2, "rdwr"))
local b = assert(t:mmap(0x20000000, N * P, "r--", "private", fd2, 0))
assert(t:close(fd2))		-- the mapping keeps its own reference to the file
assert(t:madvise(b, N * P, "random"))
for i = 0, N - 1, 32 do
    assert(t:read(b + i * P, 1))
end
show("read every 32nd page", b)

print("\n== munmap of the first file: its page tables go, its pages stay in the page cache")
print("   (the file is still open); mapping it again costs minor faults only")
assert(t:munmap(a, N * P))
local gone = rss()
a = assert(t:mmap(0x10000000, N * P, "r--", "private", fd, 0))
show("munmap, mmap again")
print(string.format("   (after the munmap the task had %d kB mapped)", gone))
assert(t:touch(a, N * P, "r"))
show("read pages 0-255 again")

assert(t:close(fd))
t:exit()
os.remove(path)
os.remove(path2)
