-- shared-mapping.lua - two tasks sharing memory: a MAP_SHARED mapping of a file is the
-- file's page-cache pages themselves, so a write by one task is seen at once by every
-- other task mapping the file, and reaches the file on disk at msync (or sync, or the
-- last munmap). A MAP_PRIVATE mapping of the same file gets a copy-on-write copy instead.
-- Watch what each task reads, Dirty in /proc/meminfo, and the host file's bytes.
-- Run: tuxmm run examples/shared-mapping.lua

local m = tuxmm.boot{ram = "64M"}
local P = m.page_size

-- A 2-page host file.
local path = os.tmpname()
local f = assert(io.open(path, "wb"))
f:write("original text", string.rep("\0", 2 * P - 13))
f:close()

local function on_disk(n)
    local h = assert(io.open(path, "rb"))
    local s = h:read(n)
    h:close()
    return s
end
local function meminfo(key)
    return tonumber(m:proc("/proc/meminfo"):match("\n?" .. key .. ":%s+(%d+)"))
end
-- The smaps fields of the area at @addr in task @t: shared and private resident kB.
local function smaps(t, addr)
    local s = m:proc("/proc/" .. t.pid .. "/smaps")
    local block = s:match("\n?(" .. string.format("%x-", addr) .. ".-)\nVmFlags")
    local function field(name)
        return tonumber(block:match("\n" .. name .. ":%s+(%d+) kB"))
    end
    return string.format("Rss %d kB, Shared_Dirty %d kB, Private_Dirty %d kB", field("Rss"),
                         field("Shared_Dirty"), field("Private_Dirty"))
end

print("== task 1 maps the file shared and read-write, then forks: the child's mapping")
print("   is the same shared area over the same page-cache pages")
local writer = m:spawn("writer")
local a = assert(writer:mmap(nil, 2 * P, "rw-", "shared", path))
print("   writer reads: " .. writer:read(a, 13))
local child = assert(writer:fork())

print("\n== a task that is no relative maps the same file shared too")
local reader = m:spawn("reader")
local b = assert(reader:mmap(nil, 2 * P, "rw-", "shared", path))
print("   reader reads: " .. reader:read(b, 13))

print("\n== and one maps it private: it will get its own copy of any page it writes")
local loner = m:spawn("loner")
local c = assert(loner:mmap(nil, 2 * P, "rw-", "private", path))

print("\n== the child writes: every shared mapping sees it at once, no copy is made;")
print("   the page is now dirty in the page cache, but not yet in the file")
assert(child:write(a, "CHILD WROTE I"))
print("   writer reads: " .. writer:read(a, 13))
print("   reader reads: " .. reader:read(b, 13))
print("   loner reads:  " .. loner:read(c, 13) .. "   (a private page is the cache's until written)")
print("   the file on disk: " .. on_disk(13))
print(string.format("   Dirty: %d kB", meminfo("Dirty")))
print("   writer: " .. smaps(writer, a))
print("   child:  " .. smaps(child, a))

print("\n== the private mapping writes: a copy-on-write copy, seen by no one else")
assert(loner:write(c, "loner's copy "))
print("   loner reads:  " .. loner:read(c, 13))
print("   reader reads: " .. reader:read(b, 13))
print("   loner:  " .. smaps(loner, c))

print("\n== msync(MS_SYNC) writes the dirty page back to the file")
assert(child:msync(a, 2 * P, "sync"))
print("   the file on disk: " .. on_disk(13))
print(string.format("   Dirty: %d kB", meminfo("Dirty")))

print("\n== writes after msync dirty the page again; munmap of the last shared writable")
print("   mapping writes it back too (tuxmm's rule: Linux leaves it to its flusher threads)")
assert(writer:write(a, "writer's last"))
assert(writer:munmap(a, 2 * P))
assert(child:munmap(a, 2 * P))
print("   the file on disk (reader still maps it): " .. on_disk(13))
assert(reader:munmap(b, 2 * P))
print("   the file on disk (no shared mapping left): " .. on_disk(13))

print("\n== shared anonymous memory works the same between a parent and its child:")
print("   it is shmem, a file with no name (maps shows it as /dev/zero (deleted))")
local s = assert(writer:mmap(nil, P, "rw-", "shared,anonymous"))
local kid = assert(writer:fork())
assert(kid:write(s, "from the kid"))
print("   parent reads: " .. writer:read(s, 12))
print("   " .. m:proc("/proc/" .. writer.pid .. "/maps"):match("[^\n]*/dev/zero[^\n]*"))
print(string.format("   Shmem: %d kB", meminfo("Shmem")))
os.remove(path)
