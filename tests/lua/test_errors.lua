-- test_errors.lua - misuse of the API raises a Lua error naming the call and the argument
-- (as the user counts them: t:mmap's flags are argument 4), while a failed system call
-- returns nil and its errno name and never raises.

local function raises(want, f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, "expected an error containing: " .. want)
    assert(tostring(err):find(want, 1, true),
           "error '" .. tostring(err) .. "' lacks '" .. want .. "'")
end

local m = tuxmm.boot{}
local t = m:spawn()
local P = m.page_size

-- Unknown flag words, per parser.
raises("t:mmap: argument 4: mmap flags: unknown flag 'privte'",
       t.mmap, t, nil, P, "rw-", "privte,anonymous")
raises("t:mmap: argument 3: protection 'rwz'", t.mmap, t, nil, P, "rwz", "private,anonymous")
raises("t:mmap: argument 3: protection 'rww': 'w' given twice",
       t.mmap, t, nil, P, "rww", "private,anonymous")
raises("t:mprotect: argument 3: protection 'read'", t.mprotect, t, 0x10000, P, "read")
raises("t:mremap: argument 4: mremap flags: unknown flag 'move'",
       t.mremap, t, 0x10000, P, P, "move")
raises("t:madvise: argument 3: madvise advice: unknown flag 'dontneeed'",
       t.madvise, t, 0x10000, P, "dontneeed")
raises("t:madvise: argument 3: madvise advice: give exactly one advice word",
       t.madvise, t, 0x10000, P, "normal,random")
raises("t:mlock: argument 3: mlock flags: unknown flag 'now'", t.mlock, t, 0x10000, P, "now")
raises("t:msync: argument 3: msync flags: unknown flag 'flush'", t.msync, t, 0x10000, P, "flush")
raises("t:mlockall: argument 1: mlockall flags: unknown flag 'all'", t.mlockall, t, "all")
raises("t:open: argument 2: open flags: unknown flag 'rw'", t.open, t, arg[0], "rw")
raises("t:getrlimit: argument 1: unknown resource 'cpu'", t.getrlimit, t, "cpu")

-- The known words are listed in the message, so a user can pick the right one.
local ok, err = pcall(t.mmap, t, nil, P, "rw-", "privte")
assert(not ok and err:find("known:", 1, true) and err:find("private", 1, true))

-- Wrong types.
raises("t:mmap: argument 1: expected an address (integer), got string",
       t.mmap, t, "0x1000", P, "rw-", "private,anonymous")
raises("t:mmap: argument 1: 1.5 is not an integer", t.mmap, t, 1.5, P, "rw-", "private,anonymous")
raises("t:mmap: argument 2: expected a size", t.mmap, t, nil, {}, "rw-", "private,anonymous")
raises("t:mmap: argument 2: 'huge' is not a size", t.mmap, t, nil, "huge", "rw-", "private")
raises("t:mmap: argument 3: expected a string, got no value", t.mmap, t, nil, P)
raises("t:mmap: argument 4: expected a string, got number", t.mmap, t, nil, P, "rw-", 0x22)
raises("t:mmap: argument 5: expected a string, got table", t.mmap, t, nil, P, "r--", "private", {})
raises("t:munmap: argument 1: expected an address (integer), got no value", t.munmap, t)
raises("t:munmap: argument 2: expected a size", t.munmap, t, 0x10000)
raises("t:madvise: argument 3: expected a string, got no value", t.madvise, t, 0x10000, P)
raises("m:sysctl: argument 1: expected a string, got no value", m.sysctl, m)
raises("m:sysctl: argument 2: 'many' is not a size", m.sysctl, m, "vm.max_map_count", "many")

-- Calling a method on the wrong object.
raises("t:mmap: call it on a task", t.mmap, m, nil, P, "rw-", "private,anonymous")
raises("m:spawn: call it on a machine", m.spawn, t)

-- Sizes may be strings with suffixes and floats with integral values.
assert(t:mmap(nil, "16K", "rw-", "private,anonymous"))
assert(t:mmap(nil, 4096.0, "rw-", "private,anonymous"))
-- Flags: case and spaces do not matter, "|" joins like ","; "anon" is MAP_ANONYMOUS.
assert(t:mmap(nil, P, "RW-", "PRIVATE | anon"))
assert(t:mmap(nil, P, "---", "private, anonymous, noreserve"))

-- Counts beyond what one call handles name their limit (as the user counts arguments).
raises("t:pagemap: argument 2: at most 16777216 pages at once", t.pagemap, t, 0, 1 << 40)
raises("t:read: argument 2: at most", t.read, t, 0x10000, 1 << 40)

-- Failed system calls never raise: nil and the errno name, for the caller to check.
local r, e = t:munmap(1, P)
assert(r == nil and e == "EINVAL")
-- ... and assert() turns them into errors that read well.
ok, err = pcall(function() assert(t:munmap(1, P)) end)
assert(not ok and err:find("EINVAL", 1, true))

-- An error inside a scenario carries file:line of the call.
ok, err = pcall(function() t:mprotect(0, P, "bad") end)
assert(not ok and err:find("^[^:]*test_errors%.lua:%d+: t:mprotect: argument 3"), err)
print("test_errors: ok")
