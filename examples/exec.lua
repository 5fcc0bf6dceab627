-- exec.lua - exec of a real program: the task's old address space is thrown away and a new
-- one is built from the ELF file /bin/true, as Linux's binfmt_elf builds it: the program's
-- segments mapped from the file, its interpreter (ld.so) mapped below, the vDSO, and a new
-- stack holding argv, envp and the auxiliary vector (auxv) that ld.so and libc read first.
-- Nothing is read from the files yet: the first access to each page is a page fault.
-- Addresses that depend on the host's /bin/true are printed as "in AREA".
-- Run: tuxmm run examples/exec.lua

local m = tuxmm.boot{ram = "64M"}
local t = m:spawn("sh")
local function proc(name)
    return m:proc("/proc/" .. t.pid .. "/" .. name)
end

-- The areas of /proc/PID/maps as {from, to, perms, name}; the program's and the
-- interpreter's paths become "<program>" and "<interpreter>".
local function areas()
    local list, program = {}, nil
    for from, to, perms, name in proc("maps"):gmatch("(%x+)-(%x+) (%S+) %S+ %S+ %S+%s*([^\n]*)\n") do
        if name:sub(1, 1) == "/" then
            program = program or name
            name = name == program and "<program>" or "<interpreter>"
        end
        list[#list + 1] = {from = tonumber(from, 16), to = tonumber(to, 16), perms = perms,
                           name = name}
    end
    return list
end
local function where(addr, list)
    for _, a in ipairs(list) do
        if addr >= a.from and addr < a.to then
            return string.format("in %s %s", a.name, a.perms)
        end
    end
    return "in no area"
end
local function show_areas(list)
    for _, a in ipairs(list) do
        -- the program's and interpreter's sizes depend on the host's files: not shown
        local size = a.name:sub(1, 1) == "<" and "" or
                     string.format(" %6d kB", (a.to - a.from) // 1024)
        print((string.format("   %s %-14s%s", a.perms, a.name, size):gsub("%s+$", "")))
    end
end

print("== before exec: a new task has only its stack (and the legacy vsyscall page)")
show_areas(areas())

print("\n== exec(\"/bin/true\", {\"true\", \"--version\"}, {\"HOME=/root\", \"LANG=C\"})")
assert(t:exec("/bin/true", {"true", "--version"}, {"HOME=/root", "LANG=C"}))
print("   the task's name is now: " .. t.name)
print("   program segments (from the file, each with its own rights), the vDSO, the")
print("   interpreter's segments, the stack:")
local list = areas()
show_areas(list)

-- /proc/PID/stat fields 28 (startstack) and 48-51 (arg_start, arg_end, env_start, env_end).
local stat, n = {}, 0
for field in proc("stat"):match("%) (.*)"):gmatch("%S+") do
    n = n + 1
    stat[n] = field
end
local function statf(i) return math.tointeger(tonumber(stat[i - 2])) end	-- fields 1, 2 cut
local start_stack, arg_start, arg_end = statf(28), statf(48), statf(49)
local env_start, env_end = statf(50), statf(51)
local stack_top = list[#list - 1].to		-- [stack] is the last area before [vsyscall]

print("\n== the new stack, read back through the task's memory (what /proc/PID/cmdline and")
print("   /proc/PID/environ show): the strings sit at the top, NUL-separated")
local function strings(from, to)
    return (assert(t:read(from, to - from)):gsub("%z", " "):gsub("%s+$", ""))
end
print(string.format("   argv strings at top-%d: %s", stack_top - arg_start, strings(arg_start, arg_end)))
print(string.format("   envp strings at top-%d: %s", stack_top - env_start, strings(env_start, env_end)))

print("\n== at the stack pointer the program starts with: argc, argv[], NULL, envp[], NULL,")
print("   then the auxiliary vector, (type, value) pairs up to AT_NULL")
local function word(addr)
    local s = assert(t:read(addr, 8))
    return string.unpack("<i8", s)
end
local sp = start_stack
local argc = word(sp)
print(string.format("   sp = top-%d   argc = %d", stack_top - sp, argc))
sp = sp + 8 * (argc + 2)			-- argc, the argv pointers and their NULL
while word(sp) ~= 0 do
    sp = sp + 8
end
sp = sp + 8					-- envp's NULL

local AT = {[0] = "AT_NULL", "AT_IGNORE", "AT_EXECFD", "AT_PHDR", "AT_PHENT", "AT_PHNUM",
            "AT_PAGESZ", "AT_BASE", "AT_FLAGS", "AT_ENTRY", "AT_NOTELF", "AT_UID", "AT_EUID",
            "AT_GID", "AT_EGID", "AT_PLATFORM", "AT_HWCAP", "AT_CLKTCK",
            [23] = "AT_SECURE", [24] = "AT_BASE_PLATFORM", [25] = "AT_RANDOM",
            [26] = "AT_HWCAP2", [27] = "AT_RSEQ_FEATURE_SIZE", [28] = "AT_RSEQ_ALIGN",
            [29] = "AT_HWCAP3", [30] = "AT_HWCAP4", [31] = "AT_EXECFN",
            [33] = "AT_SYSINFO_EHDR", [51] = "AT_MINSIGSTKSZ"}
local function cstring(addr)
    return assert(t:read(addr, math.min(64, stack_top - addr))):match("^[^%z]*")
end
local entry
repeat
    local key, val = word(sp), word(sp + 8)
    local name = AT[key] or ("AT_" .. key)
    local shown
    if key == 3 or key == 7 or key == 9 or key == 33 then	-- addresses in the new areas
        shown = where(val, list)
    elseif key == 25 then
        shown = string.format("top-%d: 16 random bytes for the stack protector", stack_top - val)
    elseif key == 15 or key == 31 then
        shown = string.format("top-%d: \"%s\"", stack_top - val, cstring(val))
    elseif key == 16 or key == 26 then
        shown = string.format("0x%x (the CPU's features)", val)
    elseif key == 5 then
        shown = "the program's number of program headers"
    else
        shown = string.format("%d", val)
    end
    if key == 9 then
        entry = val
    end
    print(string.format("   %-20s %s", name, shown))
    sp = sp + 16
until key == 0

print("\n== none of the program's pages is mapped yet: touching its code is a page fault;")
print("   exec's reads of the file went through the page cache, so the page is already")
print("   there and the fault is minor (fault-around maps its cached neighbours too)")
print("   RssFile before: " .. proc("status"):match("RssFile:%s+(%d+ kB)"))
local min, maj = t:faults()
assert(t:read(entry, 16))
local min2, maj2 = t:faults()
print(string.format("   read 16 bytes at AT_ENTRY: %d minor, %d major fault(s); RssFile above 0: %s",
                    min2 - min, maj2 - maj,
                    tostring(tonumber(proc("status"):match("RssFile:%s+(%d+)")) > 0)))
print("   the program's first page starts with its ELF header: "
      .. assert(t:read(list[1].from, 4)):gsub("\127", "\\x7f"))

print("\n== a failed exec returns Linux's errno and leaves the task as it was")
print("   exec of this (not executable) script:", t:exec(arg[0], {"x"}))
print("   exec of a missing file:              ", t:exec("/no/such/program"))
print("   the task is still: " .. t.name .. ", with " .. #areas() .. " areas")
