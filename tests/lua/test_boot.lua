-- test_boot.lua - tuxmm.boot{...}: every option, the defaults, and the errors that name
-- the bad option. Run by CTest through `tuxmm run`; a failed assert fails the test.

local function raises(want, f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, "expected an error containing: " .. want)
    assert(tostring(err):find(want, 1, true),
           "error '" .. tostring(err) .. "' lacks '" .. want .. "'")
end

-- Defaults: 64 MiB, 4 KiB pages.
local m = tuxmm.boot{}
assert(m.page_size == 4096)
assert(m:dmesg():find("Memory: %d+K/65144K available"))
assert(tostring(m):find("^tuxmm machine"))
assert(tuxmm.boot() ~= nil)			-- no table at all

-- Sizes as strings or numbers; cpus, levels, seed, page size.
local big = tuxmm.boot{ram = "128M", cpus = 2, levels = 3, seed = 7, page_size = "16K"}
assert(big.page_size == 16384)
assert(big:dmesg():find("16 KiB pages, 3%-level"))
assert(tuxmm.boot{levels = 5}:dmesg():find("5%-level"))
assert(tuxmm.boot{ram = 32 * 1024 * 1024}:proc("/proc/meminfo"):find("MemTotal:%s+%d+ kB"))
assert(tuxmm.boot{levels = 3}:dmesg():find("3%-level"))
assert(tuxmm.boot{levels = 2}:dmesg():find("2%-level"))
assert(tuxmm.boot{page_size = 65536}.page_size == 65536)
assert(tuxmm.boot{min_free_kbytes = 2048, tlb_entries = 64, tlb_ways = 4} ~= nil)

-- Reservations: a list, or one string; they show in /proc/iomem.
local r = tuxmm.boot{reserve = {"camera:4M@0x1000000", "dsp:1M"}}
local iomem = r:proc("/proc/iomem")
assert(iomem:find("  01000000%-013fffff : camera\n"))
assert(iomem:find(" : dsp\n"))
assert(tuxmm.boot{reserve = "fb:2M"}:proc("/proc/iomem"):find(" : fb\n"))

-- ASLR from the seed: the same seed gives the same layout, another seed another.
local function stack_of(seed)
    local mm = tuxmm.boot{randomize_va_space = 2, seed = seed}
    local t = mm:spawn()
    return mm:proc("/proc/" .. t.pid .. "/maps"):match("(%x+%-%x+) [^\n]*%[stack%]")
end
assert(stack_of(1) == stack_of(1))
assert(stack_of(1) ~= stack_of(2))
local fixed = tuxmm.boot{randomize_va_space = 0}
local ft = fixed:spawn()
assert(fixed:proc("/proc/" .. ft.pid .. "/maps"):find("7ffffffde000%-7ffffffff000 rw%-p"))

-- Errors name the option.
raises("tuxmm.boot: unknown option 'rma'", tuxmm.boot, {rma = "64M"})
raises("option 'swap': expected a list of swap file paths", tuxmm.boot, {swap = 42})
raises("unknown page-out policy 'lfu' (known: linux, clock, fifo, lru, random)", tuxmm.boot,
       {policy = "lfu"})
raises("policy opt needs the future", tuxmm.boot, {policy = "opt"})
raises("option 'policy': expected a name", tuxmm.boot, {policy = 3})
raises("option 'ram': expected a size", tuxmm.boot, {ram = "banana"})
raises("option 'ram': out of range", tuxmm.boot, {ram = "1K"})
raises("option 'cpus': 0 is out of range", tuxmm.boot, {cpus = 0})
raises("option 'cpus': expected a whole number", tuxmm.boot, {cpus = "two"})
raises("option 'levels': 7 is out of range", tuxmm.boot, {levels = 7})
raises("option 'page_size': give", tuxmm.boot, {page_size = "8K"})
raises("tuxmm.boot: 5 page-table levels with 16K pages", tuxmm.boot, {levels = 5, page_size = "16K"})
raises("option 'randomize_va_space': 3 is out of range", tuxmm.boot, {randomize_va_space = 3})
raises("option 'reserve': reservation 'nope': expected NAME:SIZE", tuxmm.boot, {reserve = {"nope"}})
raises("option 'reserve': entry 1", tuxmm.boot, {reserve = {42}})
raises("overlaps", tuxmm.boot, {reserve = {"a:4M@0x1000000", "b:4M@0x1200000"}})
raises("tuxmm.boot: argument 1: expected a table", tuxmm.boot, "64M")
raises("options are named", tuxmm.boot, {"64M"})

-- tuxmm.size and the module's other helpers.
assert(tuxmm.size("16K") == 16384 and tuxmm.size("2M") == 2097152 and tuxmm.size(4096) == 4096)
raises("tuxmm.size: argument 1: 'lots' is not a size", tuxmm.size, "lots")
assert(tuxmm.errno_name(12) == "ENOMEM")
assert(type(tuxmm.version) == "string")
local paths = tuxmm.proc_paths()
local seen = {}
for _, p in ipairs(paths) do seen[p] = true end
assert(seen["/proc/meminfo"] and seen["/proc/PID/maps"])

-- Closing: explicitly, or at the end of a <close> variable's scope.
local c = tuxmm.boot{}
local ct = c:spawn()
c:close()
assert(tostring(c) == "tuxmm machine (closed)")
raises("m:proc: the machine has been closed", c.proc, c, "/proc/meminfo")
raises("the machine of task 1 has been closed", ct.brk, ct)
assert(ct:alive() == false)
do
    local scoped <close> = tuxmm.boot{}
    assert(scoped:spawn())
end
print("test_boot: ok")
