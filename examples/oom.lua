-- oom.lua - the OOM killer: a 16 MiB machine without swap, tasks that together touch
-- more than it has. When an allocation fails even after reclaim, Linux picks the task
-- whose death frees the most memory (its "badness": resident pages + swap entries +
-- page tables, moved by oom_score_adj), sends it SIGKILL and frees its memory; the
-- allocating task then carries on. init (pid 1) and oom_score_adj -1000 are never chosen.

local m = tuxmm.boot{ram = "16M"}
local MiB = 1 << 20

local function spawn(name, mib, adj)
    local t = assert(m:spawn(name))
    if adj then assert(t:oom_score_adj(adj)) end
    local a = assert(t:mmap(nil, mib * MiB, "rw-", "private,anonymous"))
    assert(t:fill(a, mib * MiB, name:sub(1, 1)))
    return t, a
end

local function free_kb()
    return tonumber(m:proc("/proc/meminfo"):match("MemFree:%s+(%d+)"))
end

local function ps()
    print("    PID NAME       RSS(kB) oom_score_adj oom_score")
    for _, t in ipairs(m:tasks()) do
        local st = m:proc("/proc/" .. t.pid .. "/status")
        print(string.format("  %5d %-10s %7s %13d %9d", t.pid, t.name,
                            st:match("VmRSS:%s+(%d+)"), t:oom_score_adj(), t:oom_score()))
    end
end

local function oom_log(from)
    -- the kernel's report of this OOM kill, without the timestamps
    for line in m:dmesg():sub(from):gmatch("[^\n]+") do
        print("  " .. line:gsub("^%[[ %d.]+%] ", ""))
    end
end

print("== five tasks; db is protected (oom_score_adj -1000), batch volunteers (+1000)")
local init = spawn("init", 1)
local db, db_a = spawn("db", 4, -1000)
local leaky, leaky_a = spawn("leaky", 5)
local batch = spawn("batch", 1, 1000)
local build = spawn("build", 1)
ps()

print("\n== build maps 6 MiB and writes it: RAM runs out; batch goes first (oom_score_adj wins)")
local from = #m:dmesg() + 1
print("  MemFree before: " .. free_kb() .. " kB")
local b = assert(build:mmap(nil, 6 * MiB, "rw-", "private,anonymous"))
local ok = build:fill(b, 6 * MiB, "b")
print("  build's fill: " .. tostring(ok) .. ", oom_kill so far: " .. m:stats().oom_kill)
print("  ... killing batch freed too little, so leaky (the most resident memory) went next:")
oom_log(from)

print("\n== the victims are gone: not in ps, no /proc/PID, SIGKILL on access, ESRCH on calls")
ps()
print("  /proc/" .. leaky.pid .. "/status:", m:proc("/proc/" .. leaky.pid .. "/status"))
local v, sig = leaky:read(leaky_a, 1)
print("  leaky:read ->", v, sig.signal, sig.code)
print("  leaky:mmap ->", leaky:mmap(nil, MiB, "rw-", "private,anonymous"))
print("  leaky:alive() ->", leaky:alive(), "leaky:killed() ->", leaky:killed())

print("\n== the others keep their data; build finished its 6 MiB")
print("  db reads '" .. db:read(db_a + 3 * MiB, 4) .. "', build reads '"
      .. build:read(b + 6 * MiB - 4, 4) .. "'")
print("  MemFree after: " .. free_kb() .. " kB (batch's and leaky's 6 MiB came back, build took 6)")

print("\n== oom_score_adj is checked like Linux's write of the file")
print("  db:oom_score_adj(1001) ->", db:oom_score_adj(1001))
