-- page-out-policies.lua - "the pageout-policy algorithm decides which pages to write
-- out to disk": the same workload on machines booted with each page-out policy
-- (tuxmm.boot{policy = ...}). A task keeps 2 MiB of hot pages it uses all the time and
-- streams once through 48 MiB of cold ones, on 16 MiB of RAM. Policies that see the
-- accessed bits keep most hot pages in memory (CLOCK, whose hand finds them used, all
-- of them; Linux and LRU nearly all); FIFO evicts the whole hot set each time it is the
-- oldest, reading it back at once; random evicts hot and cold alike. Compare "pages
-- read back": swap-ins of pages the task still wanted.

local sw = os.tmpname()
assert(tuxmm.mkswap(sw, "64M"))

local function run(policy)
    local m = tuxmm.boot{ram = "16M", swap = {sw}, policy = policy}
    local t = m:spawn("worker")
    local P = m.page_size
    local hot_pages, cold_pages = 2 * 1024 * 1024 // P, 48 * 1024 * 1024 // P
    local hot = assert(t:mmap(nil, hot_pages * P, "rw-", "private,anonymous"))
    local cold = assert(t:mmap(nil, cold_pages * P, "rw-", "private,anonymous"))

    assert(t:touch(hot, hot_pages * P, "w"))
    local before = m:stats()
    for i = 0, cold_pages - 1 do
        assert(t:write(cold + i * P, "x"))
        -- Every 8 cold pages, one pass over the hot ones.
        if i % 8 == 7 then assert(t:touch(hot, hot_pages * P, "r")) end
    end
    local after = m:stats()
    m:close()
    return after.pgmajfault - before.pgmajfault, after.pswpin - before.pswpin,
           after.pswpout - before.pswpout
end

print("policy   major faults   pages read back   pages written out")
for _, policy in ipairs{"linux", "lru", "clock", "fifo", "random"} do
    print(string.format("%-8s %12d   %15d   %17d", policy, run(policy)))
end
print("(opt would need the future: it is for `tuxmm trace --frames`, where the trace is known)")
os.remove(sw)
