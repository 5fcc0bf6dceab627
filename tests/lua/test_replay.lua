-- test_replay.lua - tuxmm.replay: textbook fault counts on a reference string written
-- here, the option errors, and a failed replay's nil, errno name and message.

local function raises(want, f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, "expected an error containing: " .. want)
    assert(tostring(err):find(want, 1, true),
           "error '" .. tostring(err) .. "' lacks '" .. want .. "'")
end

-- The classic reference string, one 4 KiB page per number, all reads.
local path = os.tmpname()
local f = assert(io.open(path, "w"))
for page in ("7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1"):gmatch("%d+") do
    f:write(string.format("%08x R\n", tonumber(page) * 4096))
end
f:close()

local want = {fifo = 15, lru = 12, opt = 9, clock = 14}
for policy, faults in pairs(want) do
    local r = assert(tuxmm.replay(path, {policy = policy, frames = 3}))
    assert(r.faults == faults, policy .. ": " .. r.faults .. " faults, want " .. faults)
    assert(r.references == 20 and r.minor_faults == 6 and r.policy == policy)
    assert(r.format == "classic" and r.page_size == 4096)
end

-- No cap: one fault per page; a 16K page holds pages 0..3 of the string.
local r = assert(tuxmm.replay(path))
assert(r.policy == "none" and r.faults == 6 and r.distinct_pages == 6)
r = assert(tuxmm.replay(path, {page_size = "16K"}))
assert(r.faults == 2, r.faults)
assert(tuxmm.policies()[1] == "linux" and #tuxmm.policies() == 6)

-- Errors: bad options raise; a run that fails returns nil, the errno name, a message.
raises("unknown option 'frame'", tuxmm.replay, path, {frame = 3})
raises("page_size must be 4K, 16K or 64K", tuxmm.replay, path, {page_size = "8K"})
local ok, errno, msg = tuxmm.replay(path, {policy = "lfu", frames = 3})
assert(ok == nil and errno == "EINVAL" and msg:find("unknown policy 'lfu'"), msg)
ok, errno = tuxmm.replay(path .. ".missing")
assert(ok == nil and errno == "ENOENT")
os.remove(path)

-- exec: the trace runs in /bin/true's address space (docs/replay.md, "Inside a real
-- executable"): its first page (the ELF header) read through the page cache, the stack
-- exec wrote (no fault), an address outside every area (a new anonymous one), then a
-- store into the read-only first page, counted as segv.
path = os.tmpname()
f = assert(io.open(path, "w"))
f:write("555555554000 R\n7fffffffe000 R\n10000000 W\n555555554008 W\n")
f:close()
r = assert(tuxmm.replay(path, {exec = "/bin/true"}))
assert(r.references == 4 and r.faults == 2 and r.distinct_pages == 3, r.faults)
assert(r.segv == 1 and r.segv_line == 4 and r.segv_access == "store", r.segv)
assert(r.segv_addr == 0x555555554008 and r.file_pages >= 1 and r.anon_pages >= 2)
ok, errno, msg = tuxmm.replay(path, {exec = "/bin/true", frames = 4})
assert(ok == nil and errno == "EINVAL" and msg:find("without a cap"), msg)
ok, errno, msg = tuxmm.replay(path, {exec = path .. ".missing"})
assert(ok == nil and errno == "ENOENT" and msg:find("cannot exec"), msg)
raises("exec must be a program's path", tuxmm.replay, path, {exec = 5})
os.remove(path)
