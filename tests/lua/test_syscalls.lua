-- test_syscalls.lua - every task method's success result and its errno path, following
-- Lua's convention: the result (an address, true, a string) or nil and the errno name.

local m = tuxmm.boot{ram = "64M"}
local t = m:spawn("sys")
local P = m.page_size
local A = 0x10000000			-- a quiet spot for fixed mappings

local function fails(want, ok, err, ...)
    assert(ok == nil, "expected nil, " .. want .. ", got " .. tostring(ok))
    assert(err == want, "expected " .. want .. ", got " .. tostring(err))
    return ...
end
local function maps() return m:proc("/proc/" .. t.pid .. "/maps") end
local function has(line) return maps():find(line, 1, true) ~= nil end

-- mmap: an address (integer); placement top-down below mmap_base without a hint.
local a = t:mmap(nil, 2 * P, "rw-", "private,anonymous")
assert(math.type(a) == "integer" and a == 0x7ffff7ffd000, string.format("%#x", a))
assert(t:mmap(A, 4 * P, "r--", "private,anonymous,fixed") == A)
assert(has("10000000-10004000 r--p 00000000 00:00 0 "))
fails("EINVAL", t:mmap(nil, 0, "rw-", "private,anonymous"))
fails("EINVAL", t:mmap(A + 1, P, "rw-", "private,anonymous,fixed"))
fails("EEXIST", t:mmap(A, P, "rw-", "private,anonymous,fixed_noreplace"))
fails("EINVAL", t:mmap(nil, P, "rw-", "anonymous"))		-- neither shared nor private
fails("EPERM", t:mmap(0x1000, P, "rw-", "private,anonymous,fixed"))	-- below mmap_min_addr
fails("ENOENT", t:mmap(nil, P, "r--", "private", "/nonexistent/file", 0))
fails("ENOMEM", t:mmap(nil, tuxmm.size("1T"), "rw-", "private,anonymous"))

-- File mappings: by path (opened for this call) or through a descriptor from t:open.
local path = arg[0]
local f = t:mmap(nil, P, "r--", "private", path)
assert(f and maps():find(path:gsub("%p", "%%%0"), 1))
local fd = assert(t:open(path))
assert(math.type(fd) == "integer")
assert(t:mmap(A + 16 * P, P, "r--", "shared,fixed", fd, 0) == A + 16 * P)
assert(t:mmap(A + 17 * P, P, "r--", "shared,fixed", fd, P) == A + 17 * P)
assert(has(string.format("%x-%x r--s", A + 16 * P, A + 18 * P)))	-- one open: merged
fails("EACCES", t:mmap(nil, P, "rw-", "shared", fd, 0))	-- read-only descriptor
fails("EINVAL", t:mmap(nil, P, "r--", "shared", fd, 100))	-- unaligned offset
assert(t:close(fd) == true)
fails("EBADF", t:close(fd))
fails("EBADF", t:mmap(nil, P, "r--", "shared", fd, 0))
fails("ENOENT", t:open("/nonexistent/file"))

-- munmap: true; EINVAL for unaligned or zero length; nothing mapped is fine.
assert(t:munmap(A + 16 * P, 2 * P) == true)
assert(t:munmap(A + 64 * P, P) == true)
fails("EINVAL", t:munmap(A + 1, P))
fails("EINVAL", t:munmap(A, 0))

-- mprotect: splits; ENOMEM over a hole; EACCES beyond the file's open mode.
assert(t:mprotect(A + P, P, "rw-") == true)
assert(has("10001000-10002000 rw-p"))
assert(t:mprotect(A + P, P, "r--") == true)
assert(has("10000000-10004000 r--p"))
fails("ENOMEM", t:mprotect(A + 2 * P, 8 * P, "rw-"))
fails("EINVAL", t:mprotect(A + 1, P, "r--"))
local sf = assert(t:mmap(nil, P, "r--", "shared", path))
fails("EACCES", t:mprotect(sf, P, "rw-"))

-- mremap: the (new) address; shrink, grow in place, move.
assert(t:mremap(A, 4 * P, 2 * P) == A)
assert(t:mremap(A, 2 * P, 6 * P, "") == A)
assert(has("10000000-10006000"))
assert(t:mremap(A, 6 * P, 6 * P, "maymove,fixed", A + 32 * P) == A + 32 * P)
fails("EFAULT", t:mremap(A, P, 2 * P))				-- nothing there now
assert(t:mmap(A + 38 * P, P, "rw-", "private,anonymous,fixed"))
fails("ENOMEM", t:mremap(A + 32 * P, 6 * P, 8 * P))		-- blocked, no maymove
fails("EINVAL", t:mremap(A + 32 * P, 6 * P, 6 * P, "fixed", A))	-- fixed without maymove
local moved = t:mremap(A + 32 * P, 6 * P, 8 * P, "maymove")
assert(moved and moved ~= A + 32 * P)

-- brk: the new break; refused: nil, "ENOMEM" and the unchanged break.
local b0 = t:brk()
assert(b0 == 0x555555554000, string.format("%#x", b0))
assert(t:brk(b0 + 3 * P) == b0 + 3 * P)
assert(has("555555554000-555555557000 rw-p 00000000 00:00 0                          [heap]"))
assert(t:brk(b0 + P + 5) == b0 + P + 5)				-- the break need not be aligned
assert(fails("ENOMEM", t:brk(b0 - P)) == b0 + P + 5)
assert(t:brk() == b0 + P + 5)

-- madvise: true; ENOMEM over a hole; EINVAL for advice that does not apply.
local an = assert(t:mmap(A + 64 * P, 4 * P, "rw-", "private,anonymous,fixed"))
assert(t:madvise(an, 4 * P, "dontneed") == true)
assert(t:madvise(an + P, P, "dontfork") == true)
assert(has(string.format("%x-%x rw-p", an + P, an + 2 * P)))	-- split off
assert(t:madvise(an + P, P, "dofork") == true)
assert(has(string.format("%x-%x rw-p", an, an + 4 * P)))	-- merged back
fails("ENOMEM", t:madvise(an, 8 * P, "willneed"))
fails("EINVAL", t:madvise(sf, P, "wipeonfork"))			-- not private anonymous
fails("EINVAL", t:madvise(an + 1, P, "normal"))

-- mlock, munlock (mlock2's onfault), mlockall, munlockall: VmLck follows.
local function vmlck()
    return tonumber(m:proc("/proc/" .. t.pid .. "/status"):match("VmLck:%s+(%d+) kB"))
end
assert(t:mlock(an, 2 * P) == true and vmlck() == 2 * P // 1024)
assert(t:mlock(an + 2 * P, P, "onfault") == true and vmlck() == 3 * P // 1024)
assert(t:munlock(an, 4 * P) == true and vmlck() == 0)
fails("ENOMEM", t:mlock(an, 8 * P))
fails("ENOMEM", t:munlock(an + 64 * P, P))
local big = assert(t:mmap(nil, tuxmm.size("16M"), "r--", "private,anonymous"))
fails("ENOMEM", t:mlock(big, tuxmm.size("16M")))		-- past RLIMIT_MEMLOCK (8M)
assert(t:munmap(big, tuxmm.size("16M")))
assert(t:mlockall("current") == true and vmlck() > 0)
assert(t:munlockall() == true and vmlck() == 0)
fails("EINVAL", t:mlockall("onfault"))				-- onfault needs current or future

-- rlimits: soft and hard values, math.huge for unlimited; raising the hard limit: EPERM.
local cur, max = t:getrlimit("memlock")
assert(cur == 8 * 1024 * 1024 and max == 8 * 1024 * 1024)
assert(select(2, t:getrlimit("as")) == math.huge)
assert(t:setrlimit("memlock", 0) == true and t:getrlimit("memlock") == 0)
fails("EPERM", t:mlock(an, P))					-- a zero limit
fails("EPERM", t:setrlimit("memlock", "unlimited", math.huge))
assert(t:setrlimit("stack", "4M"))

-- msync: true; argument checks.
local sh = assert(t:mmap(nil, 2 * P, "rw-", "shared,anonymous"))
assert(t:msync(sh, 2 * P, "sync") == true)
assert(t:msync(sh, 2 * P) == true)				-- no flags: 0
fails("EINVAL", t:msync(sh, P, "sync,async"))
fails("EINVAL", t:msync(sh + 1, P, "async"))
fails("ENOMEM", t:msync(A + 200 * P, P, "async"))

-- mincore: one character per page, "0" or "1"; ENOMEM for unmapped pages.
local v = t:mincore(an, 4 * P)
assert(type(v) == "string" and #v == 4 and v:match("^[01]+$"), tostring(v))
assert(#t:mincore(an, 3 * P + 1) == 4)
fails("ENOMEM", t:mincore(A + 200 * P, P))
fails("EINVAL", t:mincore(an + 1, P))

-- exit: true; the task is gone from the machine and its object refuses further calls.
local pid = t.pid
assert(t:exit() == true)
assert(m:task(pid) == nil and t:alive() == false and t.name == nil and t.pid == pid)
assert(m:proc("/proc/" .. pid .. "/maps") == nil)
local ok, err = pcall(t.mmap, t, nil, P, "rw-", "private,anonymous")
assert(not ok and err:find("t:mmap: task " .. pid .. " has exited", 1, true), err)

-- Many tasks: each has its own address space.
local t1, t2 = m:spawn("one"), m:spawn("two")
assert(t1:mmap(A, P, "rw-", "private,anonymous,fixed") == A)
assert(t2:mmap(A, P, "r--", "private,anonymous,fixed") == A)
assert(m:proc("/proc/" .. t1.pid .. "/maps"):find("10000000-10001000 rw-p", 1, true))
assert(m:proc("/proc/" .. t2.pid .. "/maps"):find("10000000-10001000 r--p", 1, true))
print("test_syscalls: ok")
