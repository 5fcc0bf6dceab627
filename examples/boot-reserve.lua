-- boot-reserve.lua - memory that drivers reserve at boot: a camera buffer at a
-- fixed physical address and a DSP buffer wherever it fits, taken out of RAM by
-- memblock before the buddy allocator ever sees it.
-- Run: tuxmm run examples/boot-reserve.lua

local function section(title, text)
    print("== " .. title)
    io.write(text)
    print()
end

local plain = tuxmm.boot{ram = "64M"}
local m = tuxmm.boot{ram = "64M", reserve = {"camera:4M@0x1000000", "dsp:1M"}}

-- 1. /proc/iomem: the reservations appear by name inside "System RAM". The
--    camera sits where it asked (16 MiB); the DSP buffer was placed top-down,
--    as memblock allocates, at the end of RAM.
section("/proc/iomem with the reservations", m:proc("/proc/iomem"))

-- 2. The boot log's Memory: line counts them as "reserved".
local function memory_line(machine)
    return machine:dmesg():match("Memory: [^\n]*") .. "\n"
end
section("dmesg Memory: line, without and with the reservations",
        memory_line(plain) .. memory_line(m))

-- 3. /proc/buddyinfo: free blocks by order (4 KiB << order) for each zone.
--    Both buffers lie above 16 MiB, in DMA32: compare the last columns there,
--    one order-10 block (4 MiB, the camera) and one order-8 block (1 MiB, the
--    DSP) fewer.
section("/proc/buddyinfo without reservations", plain:proc("/proc/buddyinfo"))
section("/proc/buddyinfo with them", m:proc("/proc/buddyinfo"))

-- 4. MemTotal drops by the reserved amount (5 MiB = 5120 kB).
local function memtotal(machine)
    return tonumber(machine:proc("/proc/meminfo"):match("MemTotal:%s+(%d+) kB"))
end
print(string.format("MemTotal: %d kB without, %d kB with: %d kB reserved",
                    memtotal(plain), memtotal(m), memtotal(plain) - memtotal(m)))
