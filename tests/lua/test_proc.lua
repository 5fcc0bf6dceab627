-- test_proc.lua - reading the machine: m:proc for every file tuxmm provides, m:dmesg,
-- m:stats (vmstat as a table), m:sysctl, m:spawn, m:task and m:tasks.

local function raises(want, f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, "expected an error containing: " .. want)
    assert(tostring(err):find(want, 1, true),
           "error '" .. tostring(err) .. "' lacks '" .. want .. "'")
end

local m = tuxmm.boot{ram = "64M"}
local t = assert(m:spawn("reader"))

-- Every path tuxmm lists can be read, per-task ones with the task's pid.
for _, p in ipairs(tuxmm.proc_paths()) do
    local path = p:gsub("PID", tostring(t.pid))
    local text = m:proc(path)
    assert(type(text) == "string", path .. " cannot be read")
end
assert(m:proc("/proc/meminfo"):find("^MemTotal:%s+%d+ kB\n"))
assert(m:proc("/proc/1/maps"):find("%[stack%]"))
assert(m:proc("/proc/1/status"):find("Name:\treader\n"))

-- Unknown files: nil and the errno name, as io.open reports them.
local text, err = m:proc("/proc/nope")
assert(text == nil and err == "ENOENT")
text, err = m:proc("/proc/99/maps")
assert(text == nil and err == "ENOENT")
raises("m:proc: argument 1: expected a string, got number", m.proc, m, 42)
raises("m:proc: call it on a machine", m.proc, "/proc/meminfo")

-- dmesg is the boot log.
assert(m:dmesg():find("BIOS%-e820"))

-- stats: /proc/vmstat's counters by name.
local s = m:stats()
assert(type(s.nr_free_pages) == "number" and s.nr_free_pages > 0)
assert(math.type(s.nr_free_pages) == "integer")
local n = 0
for _ in pairs(s) do n = n + 1 end
local lines = 0
for _ in m:proc("/proc/vmstat"):gmatch("\n") do lines = lines + 1 end
assert(n == lines, "one entry per /proc/vmstat line")

-- sysctl: read, set, unknown, out of range.
assert(m:sysctl("vm.max_map_count") == 65530)
assert(m:sysctl("vm.max_map_count", 1000) == true)
assert(m:sysctl("vm.max_map_count") == 1000)
assert(m:sysctl("vm.mmap_min_addr") == 65536)
local v, e = m:sysctl("vm.nope")
assert(v == nil and e == "ENOENT")
v, e = m:sysctl("vm.overcommit_memory", 7)
assert(v == nil and e == "EINVAL")
local names = m:sysctls()
assert(#names > 0)
for _, name in ipairs(names) do assert(math.type(m:sysctl(name)) == "integer", name) end

-- Tasks: pids 1, 2, ...; names truncated to 15 bytes; lookup; iteration in pid order.
local t2 = m:spawn()
assert(t.pid == 1 and t2.pid == 2 and t.name == "reader" and t2.name == "task")
assert(m:spawn("a-very-long-task-name").name == "a-very-long-tas")
assert(m:task(2) == t2 and m:task(42) == nil)
local all = m:tasks()
assert(#all == 3 and all[1].pid == 1 and all[3].pid == 3)
assert(t2:machine() == m)
assert(tostring(t2) == "tuxmm task 2")
raises("m:spawn: argument 1: expected a string", m.spawn, m, 42)
print("test_proc: ok")
