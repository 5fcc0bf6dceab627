-- test_oom.lua - the OOM killer from Lua: t:oom_score_adj reads and writes (Linux's range,
-- EINVAL outside), /proc/PID/oom_score follows Linux's formula, and a real OOM on a 16 MiB
-- machine kills the biggest task: gone from m:tasks() and /proc, SIGKILL on its accesses,
-- ESRCH on its calls, while the others keep their data and the allocating task goes on.

local m = tuxmm.boot{ram = "16M"}
local MiB = 1 << 20

local function fails(want, ok, err)
    assert(ok == nil, "expected nil, " .. want .. ", got " .. tostring(ok))
    assert(err == want, "expected " .. want .. ", got " .. tostring(err))
end

local init = m:spawn("init")
local big, small, hog = m:spawn("big"), m:spawn("small"), m:spawn("hog")

-- oom_score_adj: 0 at spawn, -1000..1000, inherited by fork.
assert(small:oom_score_adj() == 0)
assert(small:oom_score_adj(-500) == true and small:oom_score_adj() == -500)
fails("EINVAL", small:oom_score_adj(1001))
fails("EINVAL", small:oom_score_adj(-1001))
assert(m:proc("/proc/" .. small.pid .. "/oom_score_adj") == "-500\n")
local child = assert(small:fork())
assert(child:oom_score_adj() == -500)
child:exit()
assert(not pcall(small.oom_score_adj, small, "high"))	-- not an integer: a Lua error

-- oom_score: init 0; a task holding nothing with adj 0 scores (1000 + 0) * 2 / 3 = 666.
assert(init:oom_score() == 0)
assert(hog:oom_score() == 666, hog:oom_score())
assert(tonumber(m:proc("/proc/" .. hog.pid .. "/oom_score")) == 666)

local function grab(t, mib, byte)
    local a = assert(t:mmap(nil, mib * MiB, "rw-", "private,anonymous"))
    assert(t:fill(a, mib * MiB, byte))
    return a
end
local big_a, small_a = grab(big, 8, "B"), grab(small, 1, "s")
assert(big:oom_score() > small:oom_score())

-- hog needs 7 MiB more than is free: big (the most resident memory) is killed.
local free_before = tonumber(m:proc("/proc/meminfo"):match("MemFree:%s+(%d+)"))
local hog_a = grab(hog, 7, "h")
assert(big:killed() and not big:alive() and not small:killed() and hog:alive())
assert(m:stats().oom_kill == 1)
assert(m:dmesg():find("Out of memory: Killed process " .. big.pid .. " (big)", 1, true))
local pids = {}
for _, t in ipairs(m:tasks()) do pids[#pids + 1] = t.pid end
assert(table.concat(pids, ",") == "1,3,4", table.concat(pids, ","))
fails("ENOENT", m:proc("/proc/" .. big.pid .. "/status"))
assert(m:task(big.pid) == nil)
local v, sig = big:read(big_a, 1)
assert(v == nil and sig.signal == "SIGKILL" and sig.code == "SI_KERNEL")
fails("ESRCH", big:mmap(nil, MiB, "rw-", "private,anonymous"))
fails("ESRCH", big:munmap(big_a, MiB))
fails("ESRCH", big:brk(0x1000000))
fails("ESRCH", big:fork())
fails("ESRCH", big:oom_score_adj(0))
fails("ESRCH", big:oom_score())
assert(big.name == "big")

-- The others have every byte; big's memory came back.
assert(small:read(small_a, MiB) == string.rep("s", MiB))
assert(hog:read(hog_a, 7 * MiB) == string.rep("h", 7 * MiB))
local free_after = tonumber(m:proc("/proc/meminfo"):match("MemFree:%s+(%d+)"))
assert(free_after + 7 * 1024 > free_before + 8000, free_before .. " " .. free_after)

-- Releasing the handle ends it for good.
assert(big:exit())
assert(not pcall(big.read, big, big_a, 1))
