/*
 * replay.c - trace replay: one task of a fresh machine performs a trace's accesses
 * through its CPU's TLB, page walks and faults, into areas made on first touch. Under
 * a frame cap (--frames) the areas are a shared mapping of a sparse scratch file with
 * readahead and fault-around off, and a fault that finds the cap reached evicts the
 * page a policy (src/mm/policy) chooses: its PTE is zapped, the TLB flushed, the page
 * written back if it was written while resident, and dropped from the page cache -- a
 * tight memory-cgroup limit of one page's reclaim. Counts then equal a textbook
 * simulator's. Without a cap but with --ram, the areas are anonymous memory of a whole
 * machine of that RAM, with a scratch swap file as large as the trace's footprint and
 * the machine's own reclaim (kswapd, direct reclaim) under the boot-time policy.
 * With --exec the task first execs a real executable; the trace then runs in its address
 * space, and only addresses outside every area get anonymous areas (see "exec" below).
 * Keeps: frame_addr[] and pfn_frame[] describe exactly the resident pages; a policy
 * hears of every load, reference (when it asks) and removal, in trace order.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "fs.h"
#include "host.h"
#include "host_file.h"
#include "machine.h"
#include "memory.h"
#include "mm.h"
#include "mmu.h"
#include "pagemap.h"
#include "pgtable.h"
#include "policy.h"
#include "rmap.h"
#include "sched.h"
#include "swap.h"
#include "tlb.h"
#include "trace.h"
#include "vma.h"
#include "vmstat.h"

#define CHUNK_PAGES	512		/* pages whose first touch is tracked together */
#define AREA_SHIFT	30		/* an area made on first touch: 1 GiB, aligned */
#define BATCH		4096		/* accesses decoded per trace_read() */
#define NO_FRAME	UINT32_MAX
#define PROGRESS_EVERY	(1u << 20)	/* accesses between progress calls */
#define BACKING_BYTES	(1ULL << 42)	/* the scratch file's size: 4 TiB, sparse */
#define MAX_FRAMES_BYTES (64ULL << 30)	/* the largest cap, in bytes of frames */

/* CHUNK_PAGES pages, and which of them were ever referenced. */
struct chunk {
	uint64_t no;			/* address >> chunk shift; 0 in an empty hash slot */
	uint64_t seen[CHUNK_PAGES / 64];
};

struct replay {
	struct machine *m;
	struct task_struct *t;
	struct mm_struct *mm;
	struct mmu_cpu *c;
	unsigned int cpu;
	unsigned int page_shift;
	unsigned long page_mask;
	unsigned int chunk_shift;
	bool anon;			/* --ram without a cap, or --exec: anonymous areas */
	bool exec;			/* --exec: the task runs in an exec'd address space */
	bool whole_machine;		/* --ram: the machine's reclaim and a scratch swap file */
	struct tlb_stats tlb_base;	/* --exec: the TLB's counts when exec was done */
	unsigned long fault_around;	/* the machine's fault_around_bytes at boot */
	int fd;				/* the scratch file, in the task's table */
	uint64_t file_areas;		/* areas the scratch file holds */
	uint64_t next_area;		/* the next free area of the file */

	/* the cap */
	unsigned long nr_frames;	/* 0: none */
	unsigned long nr_used;
	unsigned long *frame_addr;	/* per frame: the virtual address of its page */
	uint32_t *pfn_frame;		/* per pfn: its frame, NO_FRAME if none */
	struct page_policy pp;
	bool track_refs;		/* the policy wants every reference */
	uint64_t ref;			/* page references so far */

	/* pages ever seen, by chunk (open addressing on chunk number + 1) */
	struct chunk *chunks;
	uint64_t chunk_cap, nr_chunks;

	struct tuxmm_replay_result *res;
	char *err;
	const char *name;
};

/* ---- the pages ever referenced ---- */

static inline uint64_t chunk_hash(uint64_t k)
{
	k ^= k >> 31;
	k *= 0x9e3779b97f4a7c15ULL;
	return k ^ (k >> 29);
}

static struct chunk *chunk_lookup(struct replay *r, uint64_t no)
{
	uint64_t mask = r->chunk_cap - 1, h;

	if (!r->chunks)
		return NULL;
	for (h = chunk_hash(no + 1) & mask; r->chunks[h].no; h = (h + 1) & mask)
		if (r->chunks[h].no == no + 1)
			return &r->chunks[h];
	return NULL;
}

static int chunk_insert(struct replay *r, uint64_t no, struct chunk **out)
{
	uint64_t mask, h;

	if (2 * (r->nr_chunks + 1) > r->chunk_cap) {
		struct chunk *old = r->chunks;
		uint64_t old_cap = r->chunk_cap;

		r->chunk_cap = old_cap ? old_cap * 2 : 256;
		r->chunks = host_zalloc(r->chunk_cap * sizeof(*r->chunks));
		if (!r->chunks) {
			r->chunks = old;
			r->chunk_cap = old_cap;
			return -ENOMEM;
		}
		mask = r->chunk_cap - 1;
		for (uint64_t i = 0; i < old_cap; i++) {
			if (!old[i].no)
				continue;
			for (h = chunk_hash(old[i].no) & mask; r->chunks[h].no; h = (h + 1) & mask)
				;
			r->chunks[h] = old[i];
		}
		host_free(old);
	}
	mask = r->chunk_cap - 1;
	for (h = chunk_hash(no + 1) & mask; r->chunks[h].no; h = (h + 1) & mask)
		;
	r->chunks[h].no = no + 1;
	r->nr_chunks++;
	*out = &r->chunks[h];
	return 0;
}

/* page_seen - whether the page of @addr, in @ch (its chunk), was ever referenced. */
static inline bool page_seen(const struct replay *r, const struct chunk *ch, unsigned long addr)
{
	unsigned long i = (addr >> r->page_shift) & (CHUNK_PAGES - 1);

	return ch->seen[i / 64] & (1ULL << (i % 64));
}

/* first_touch - mark the page of @addr (in @ch, its chunk) seen; true if it had never been. */
static bool first_touch(struct replay *r, struct chunk *ch, unsigned long addr)
{
	unsigned long i = (addr >> r->page_shift) & (CHUNK_PAGES - 1);

	if (ch->seen[i / 64] & (1ULL << (i % 64)))
		return false;
	ch->seen[i / 64] |= 1ULL << (i % 64);
	r->res->distinct_pages++;
	return true;
}

/* ---- areas on first touch ---- */

/*
 * make_area - map the 1 GiB holding @addr: read, write and execute, shared on the next
 * free GiB of the scratch file with random-access advice (no readahead), or private
 * anonymous memory. Few large areas keep the file's reverse map (i_mmap) short, which
 * each write-back walks. 0 or -errno.
 */
static int make_area(struct replay *r, unsigned long addr)
{
	unsigned long bytes = 1UL << AREA_SHIFT, start = addr & ~(bytes - 1);
	int prot = TUXMM_PROT_READ | TUXMM_PROT_WRITE | TUXMM_PROT_EXEC;
	long ret;

	/* The top of user space is a page below an area boundary: the last area is shorter. */
	if (start + bytes > TASK_SIZE_M(r->m))
		bytes = TASK_SIZE_M(r->m) - start;
	if (r->anon) {
		/* 1 GiB on any RAM. mmap returns the address: only a negative one is an error. */
		ret = tuxmm_mmap(r->t, start, bytes, prot, TUXMM_MAP_PRIVATE | TUXMM_MAP_ANONYMOUS |
				 TUXMM_MAP_FIXED | TUXMM_MAP_NORESERVE, -1, 0);
		return ret < 0 ? (int)ret : 0;
	}
	if (r->next_area >= r->file_areas)
		return -EFBIG;
	ret = tuxmm_mmap(r->t, start, bytes, prot, TUXMM_MAP_SHARED | TUXMM_MAP_FIXED, r->fd,
			 (unsigned long)(r->next_area++ << AREA_SHIFT));
	if (ret >= 0)
		ret = tuxmm_madvise(r->t, start, bytes, TUXMM_MADV_RANDOM);
	return ret < 0 ? (int)ret : 0;
}

/* ---- the scratch file ---- */

/*
 * fill_hole - the first touch of the page at @addr is about to fault on the scratch
 * file: put a zeroed, uptodate page in its page cache, as a filesystem reading a hole
 * does (no block, no I/O), so that filemap_fault finds it instead of asking the host to
 * read zeros. The page was never referenced, so never written back: the file has a hole
 * there. The fault, its mapping and the counts are unchanged. Best effort: when memory
 * is short the fault reads the hole itself (and reports what it ran into).
 */
static void fill_hole(struct replay *r, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(r->mm, addr);
	struct address_space *mapping;
	struct page *page;

	if (!vma || vma->vm_start > addr || !vma->vm_file)
		return;
	mapping = vma->vm_file->f_mapping;
	page = alloc_pages(r->m, GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0);
	if (!page)
		return;
	SetPageFlag(page, PG_uptodate);
	add_to_page_cache(mapping, page, linear_page_index(vma, addr));
	put_page(r->m, page);
}

/*
 * drop_scratch - before the task exits: unmap every area and drop the scratch file's
 * pages without writing them. The file is unlinked and its contents are never read
 * again, so, as Linux's last close of an unlinked file does (truncate_inode_pages_final),
 * dirty pages are discarded, not written. Pages still dirty at the end are not counted
 * as write-backs either way.
 */
static void drop_scratch(struct replay *r)
{
	struct address_space *mapping = NULL;
	struct vm_area_struct *vma;

	for_each_vma(r->mm, vma) {
		if (!vma->vm_file)
			continue;
		mapping = vma->vm_file->f_mapping;
		zap_page_range_single(vma, vma->vm_start, vma->vm_end);
	}
	if (mapping)
		truncate_inode_pages(mapping);
}

/* ---- the cap ---- */

/* replay_test_clear_young - the linux policy's look at a frame's accessed bit. */
static bool replay_test_clear_young(void *ctx, unsigned long frame)
{
	struct replay *r = ctx;
	unsigned long addr = r->frame_addr[frame];
	pte_t *ptep = pte_lookup(r->mm, addr);

	if (!ptep || !ptep_test_and_clear_young(ptep))
		return false;
	/*
	 * x86 Linux skips this flush; with a cap of a few pages every one stays in the TLB
	 * and would never look used again, so the replay flushes (as ptep_clear_flush_young
	 * does on architectures that need it) and the next reference sets the bit anew.
	 */
	flush_tlb_page(r->m, &r->mm->pgd, addr);
	return true;
}

/*
 * evict - empty @frame as reclaim would: clear its PTE and flush the TLB, write the
 * page back if it was written while resident, and take it out of the page cache.
 */
static int evict(struct replay *r, unsigned long frame)
{
	struct machine *m = r->m;
	unsigned long addr = r->frame_addr[frame];
	struct vm_area_struct *vma = find_vma(r->mm, addr);
	pte_t *ptep = pte_lookup(r->mm, addr);
	struct address_space *mapping;
	struct page *page;
	int err = 0;

	if (!vma || !ptep || !pte_present(ptep_get(ptep)))
		return -EFAULT;		/* not reached: frame_addr[] names a resident page */
	page = pte_page(m, ptep_get(ptep));
	mapping = page->mapping;
	r->pfn_frame[page_to_pfn(m, page)] = NO_FRAME;
	if (r->pp.ops->page_removed)
		r->pp.ops->page_removed(&r->pp, frame);
	get_page(page);
	zap_page_range_single(vma, addr, addr + m->page_size);
	if (PageDirty(page)) {
		err = write_one_page(page);
		r->res->writebacks++;
	}
	put_page(m, page);
	if (!err && !remove_mapping(mapping, page))
		err = -EBUSY;
	r->res->page_outs++;
	return err;
}

/*
 * loaded - the reference that just faulted brought the page at host address @p into
 * memory: give it a frame, evicting the policy's victim when the cap is reached.
 */
static int loaded(struct replay *r, unsigned long addr, void *p)
{
	unsigned long pfn = (unsigned long)(((uint8_t *)p - r->m->ram) >> r->page_shift);
	unsigned long frame;
	int err;

	if (r->nr_used < r->nr_frames) {
		frame = r->nr_used++;
	} else {
		frame = r->pp.ops->select_victim(&r->pp);
		if (frame == POLICY_NO_FRAME)
			return -EINVAL;
		err = evict(r, frame);
		if (err)
			return err;
	}
	r->frame_addr[frame] = addr & r->page_mask;
	r->pfn_frame[pfn] = (uint32_t)frame;
	r->pp.ops->page_loaded(&r->pp, frame, r->ref);
	return 0;
}

/* ---- one page reference ---- */

static int touch_failed(struct replay *r, unsigned long addr, vm_fault_t ret,
			const struct trace_access *a)
{
	if (ret & VM_FAULT_OOM) {
		snprintf(r->err, TUXMM_ERRMSG_MAX, "%s:%llu: simulated memory ran out (%s)", r->name,
			 (unsigned long long)a->line, r->anon ? "give a larger --ram" :
			 "the trace needs more than 1 GiB without a cap: give --frames");
		return -ENOMEM;
	}
	snprintf(r->err, TUXMM_ERRMSG_MAX, "%s:%llu: the access to %#lx got %s", r->name,
		 (unsigned long long)a->line, addr, mmu_fault_name(ret));
	return -EFAULT;
}

/* ---- exec (--exec) ---- */

/*
 * map_gap - the access at @addr found no area of the exec'd address space (and no stack
 * to grow): map anonymous memory over the aligned GiB around it, cut to the gap between
 * its neighbours, read, write and execute, as make_area() does without exec.
 */
static int map_gap(struct replay *r, unsigned long addr)
{
	unsigned long start = addr & ~((1UL << AREA_SHIFT) - 1), end = start + (1UL << AREA_SHIFT);
	struct vm_area_struct *prev, *next = find_vma_prev(r->mm, addr, &prev);
	long ret;

	if (end > TASK_SIZE_M(r->m))
		end = TASK_SIZE_M(r->m);
	if (next && next->vm_start < end)
		end = next->vm_start;
	if (prev && prev->vm_end > start)
		start = prev->vm_end;
	ret = tuxmm_mmap(r->t, start, end - start, TUXMM_PROT_READ | TUXMM_PROT_WRITE |
			 TUXMM_PROT_EXEC, TUXMM_MAP_PRIVATE | TUXMM_MAP_ANONYMOUS | TUXMM_MAP_FIXED |
			 TUXMM_MAP_NORESERVE, -1, 0);
	return ret < 0 ? (int)ret : 0;
}

/*
 * exec_touch_failed - a reference of the exec'd task faulted with @ret; the task had
 * @flt faults, @maj of them major, before it. No area there (SEGV_MAPERR): map one
 * (map_gap) and take the reference again. An area that forbids the access (SEGV_ACCERR:
 * a store into text, a fetch from data): counted in segv, the first one's line kept,
 * and the replay goes on. The faults the machine took on the way are counted either
 * way: as on x86 Linux, a fetch from a non-present page of a readable area first maps
 * the page (access_error() refuses only present pages to reads and fetches), and the
 * retry then finds it not executable.
 */
static int exec_touch_failed(struct replay *r, unsigned long addr, enum mmu_access acc,
			     vm_fault_t ret, const struct trace_access *a, unsigned long flt,
			     unsigned long maj)
{
	static const char *const names[] = { [MMU_READ] = "load", [MMU_WRITE] = "store",
					     [MMU_FETCH] = "fetch" };
	int err = 0;

	if ((ret & VM_FAULT_SIGSEGV) && r->m->tasks.last_si_code == TUXMM_SEGV_ACCERR) {
		if (!r->res->segv++) {
			r->res->segv_line = a->line;
			r->res->segv_addr = addr;
			r->res->segv_access = names[acc];
		}
	} else if ((ret & VM_FAULT_SIGSEGV) && r->m->tasks.last_si_code == TUXMM_SEGV_MAPERR) {
		err = map_gap(r, addr);
		if (err) {
			snprintf(r->err, TUXMM_ERRMSG_MAX, "%s:%llu: cannot map an area at %#lx: "
				 "%s", r->name, (unsigned long long)a->line, addr,
				 tuxmm_errno_name(err));
			return err;
		}
		ret = 0;
		if (!__mmu_translate(r->m, r->cpu, addr, 1, acc, MMU_USER, &ret)) {
			if (r->m->tasks.last_si_code != TUXMM_SEGV_ACCERR)
				return touch_failed(r, addr, ret, a);
			return exec_touch_failed(r, addr, acc, ret, a, flt, maj);
		}
	} else {
		return touch_failed(r, addr, ret, a);
	}
	flt = r->t->min_flt + r->t->maj_flt - flt;
	maj = r->t->maj_flt - maj;
	if (flt) {
		r->res->faults += flt;
		r->res->major_faults += maj;
		r->res->minor_faults += flt - maj;
		first_touch(r, chunk_lookup(r, addr >> r->chunk_shift), addr);
	}
	return 0;
}

/*
 * exec_prog - exec @o->exec in the replay's task (argv {path}, no environment) and make
 * its new address space the one the trace runs in, with Linux's fault-around (the
 * replay's own areas set it to a page). The TLB is flushed and its counts so far kept
 * aside, so that the results count the trace's references only.
 */
static int exec_prog(struct replay *r, const struct tuxmm_replay_opts *o, char *err)
{
	const char *const argv[] = { o->exec, NULL };
	int ret = tuxmm_exec(r->t, o->exec, argv, NULL);

	if (ret) {
		snprintf(err, TUXMM_ERRMSG_MAX, "cannot exec %.100s: %s (%s)%s", o->exec,
			 ret == -ENOEXEC ? "not an ELF64 x86-64 executable" : strerror(-ret),
			 tuxmm_errno_name(ret), ret == -EINVAL && r->page_shift > 12 ?
			 "; its segments must be aligned to the page size: x86-64 programs "
			 "are linked for 4K pages" : "");
		return ret;
	}
	r->exec = true;
	r->mm = r->t->mm;
	r->m->tasks.fault_around_bytes = r->fault_around;
	switch_mm(r->m, r->cpu, &r->mm->pgd);
	flush_tlb_mm(r->m, &r->mm->pgd);
	tlb_stats_sum(r->m, &r->tlb_base);
	return 0;
}

/*
 * touch_slow - a reference the TLB's fast array did not translate: walk, fault (making
 * the area on a first touch of its chunk), and account what the fault loaded.
 */
static int touch_slow(struct replay *r, unsigned long addr, enum mmu_access acc,
		      const struct trace_access *a)
{
	long rss = get_mm_counter(r->mm, MM_FILEPAGES);
	unsigned long flt = r->t->min_flt + r->t->maj_flt, maj = r->t->maj_flt;
	struct chunk *ch = chunk_lookup(r, addr >> r->chunk_shift);
	vm_fault_t ret = 0;
	void *p;
	int err;

	/* First touch of its chunk: map its area before the access, not after a SIGSEGV. */
	if (unlikely(!ch)) {
		err = chunk_insert(r, addr >> r->chunk_shift, &ch);
		if (!err && !r->exec && !find_vma_intersection(r->mm, addr, addr + 1))
			err = make_area(r, addr);
		if (err == -EFBIG) {
			snprintf(r->err, TUXMM_ERRMSG_MAX, "%s: the trace touches more than %llu "
				 "areas of 1 GiB", r->name, (unsigned long long)r->file_areas);
			return err;
		}
		if (err) {
			snprintf(r->err, TUXMM_ERRMSG_MAX, "%s:%llu: cannot map an area at %#lx: %s",
				 r->name, (unsigned long long)a->line, addr, tuxmm_errno_name(err));
			return err;
		}
	}
	if (!r->anon && !page_seen(r, ch, addr))
		fill_hole(r, addr);
	p = __mmu_translate(r->m, r->cpu, addr, 1, acc, MMU_USER, &ret);
	if (unlikely(!p) && r->exec)
		return exec_touch_failed(r, addr, acc, ret, a, flt, maj);
	if (!p)
		return touch_failed(r, addr, ret, a);
	if (r->anon) {
		unsigned long now = r->t->min_flt + r->t->maj_flt;

		if (now != flt) {
			r->res->faults += now - flt;
			r->res->major_faults += r->t->maj_flt - maj;
			r->res->minor_faults += (now - flt) - (r->t->maj_flt - maj);
			first_touch(r, ch, addr);
		} else if (r->exec) {
			first_touch(r, ch, addr);	/* resident since exec: the stack */
		}
		return 0;
	}
	if (get_mm_counter(r->mm, MM_FILEPAGES) == rss) {
		/* Resident already (a TLB miss, or a write-protect fault to dirty it). */
		if (r->track_refs)
			r->pp.ops->page_referenced(&r->pp,
						   r->pfn_frame[((uint8_t *)p - r->m->ram) >>
								r->page_shift], r->ref);
		return 0;
	}
	r->res->faults++;
	r->res->page_ins++;
	if (first_touch(r, ch, addr))
		r->res->minor_faults++;
	else
		r->res->major_faults++;
	if (!r->nr_frames)
		return 0;
	return loaded(r, addr, p);
}

static inline int touch(struct replay *r, unsigned long addr, enum mmu_access acc,
			const struct trace_access *a)
{
	int err = 0;
	void *p;

	if (likely(tlb_fast_hit(r->c, MMU_USER, acc, addr, 1, &p))) {
		if (r->track_refs)
			r->pp.ops->page_referenced(&r->pp, r->pfn_frame[((uint8_t *)p - r->m->ram) >>
									 r->page_shift], r->ref);
	} else {
		err = touch_slow(r, addr, acc, a);
	}
	r->ref++;
	return err;
}

static const enum mmu_access kind_access[TRACE_NR_KINDS] = {
	[TRACE_LOAD] = MMU_READ, [TRACE_STORE] = MMU_WRITE, [TRACE_IFETCH] = MMU_FETCH,
};

/*
 * tlb_fast_peek - tlb_fast_hit() for a one-byte user access, without counting the hit:
 * replay_batch() counts its hits in a register and adds them to fast_hits itself.
 */
static const size_t kind_tag[TRACE_NR_KINDS] = {
	[TRACE_LOAD] = offsetof(struct tlb_fast_entry, addr_read),
	[TRACE_STORE] = offsetof(struct tlb_fast_entry, addr_write),
	[TRACE_IFETCH] = offsetof(struct tlb_fast_entry, addr_code),
};

static inline bool tlb_fast_peek(const struct mmu_cpu *c, unsigned int kind,
				 unsigned long addr, void **p)
{
	const struct tlb_fast_entry *e = &c->fast[MMU_USER][(addr >> c->page_shift) &
							     (TLB_FAST_SIZE - 1)];
	unsigned long tag;

	memcpy(&tag, (const char *)e + kind_tag[kind], sizeof(tag));

	if (tag != (addr & c->page_mask))
		return false;
	*p = (void *)(addr + e->addend);
	return true;
}

/* replay_access - one trace record: a reference to each page its bytes touch. */
static inline int replay_access(struct replay *r, const struct trace_access *a)
{
	unsigned long addr = (unsigned long)a->addr;
	unsigned long last = (unsigned long)(a->addr + a->size - 1);
	enum mmu_access acc = kind_access[a->kind];
	int err;

	if (unlikely(last >= TASK_SIZE_M(r->m) || last < addr)) {
		snprintf(r->err, TUXMM_ERRMSG_MAX, "%s:%llu: address %#llx is outside user space "
			 "(below %#lx)", r->name, (unsigned long long)a->line,
			 (unsigned long long)a->addr, TASK_SIZE_M(r->m));
		return -EINVAL;
	}
	err = touch(r, addr, acc, a);
	while (!err && unlikely((addr & r->page_mask) != (last & r->page_mask))) {
		addr = (addr & r->page_mask) + (1UL << r->page_shift);
		err = touch(r, addr, acc, a);
	}
	return err;
}

/*
 * replay_batch - replay @n records: the common record (one page, a hit in the CPU's fast
 * TLB array, a policy that needs no reference calls) inline, with the hit and reference
 * counts in registers; any other through replay_access(). 0 or -errno.
 */
static int replay_batch(struct replay *r, const struct trace_access *batch, long n)
{
	struct mmu_cpu *c = r->c;
	const unsigned long task_size = TASK_SIZE_M(r->m), page_mask = r->page_mask;
	const bool fast = !r->track_refs;
	uint64_t ref = r->ref;
	unsigned long hits = 0;
	int err = 0;

	for (long i = 0; i < n; i++) {
		const struct trace_access *a = &batch[i];
		unsigned long addr = (unsigned long)a->addr;
		unsigned long last = (unsigned long)(a->addr + a->size - 1);
		void *p;

		if (likely(fast && last < task_size && !((addr ^ last) & page_mask) &&
			   tlb_fast_peek(c, a->kind, addr, &p))) {
			hits++;
			ref++;
			continue;
		}
		c->fast_hits += hits;
		hits = 0;
		r->ref = ref;
		err = replay_access(r, a);
		ref = r->ref;
		if (unlikely(err))
			break;
	}
	c->fast_hits += hits;
	r->ref = ref;
	return err;
}

/* ---- the first pass, for OPT ---- */

/* The trace source: a path to (re)open, or bytes in memory. */
struct replay_src {
	const char *path;
	const void *data;
	size_t len;
	const char *name;
};

static int src_open(const struct replay_src *src, struct trace_reader **tr, char *err)
{
	if (src->path)
		return trace_open(src->path, NULL, tr, err);
	return trace_open_mem(src->data, src->len, src->name, NULL, tr, err);
}

static int read_failed(struct trace_reader *tr, long n, char *err)
{
	snprintf(err, TUXMM_ERRMSG_MAX, "%s", trace_error(tr));
	return (int)n;
}

/*
 * learn_future - read the trace once, split into page references as the replay will,
 * and turn their page numbers into next-use indexes (policy_next_use).
 */
static int learn_future(const struct replay_src *src, unsigned int page_shift,
			uint64_t **out, uint64_t *nr_out, char *err)
{
	struct trace_access *batch = host_zalloc(BATCH * sizeof(*batch));
	uint64_t *keys = NULL, nr = 0, cap = 0;
	struct trace_reader *tr = NULL;
	long n;
	int ret;

	if (!batch)
		return -ENOMEM;
	ret = src_open(src, &tr, err);
	if (ret)
		goto out;
	while ((n = trace_read(tr, batch, BATCH)) > 0) {
		for (long i = 0; i < n; i++) {
			uint64_t first = batch[i].addr >> page_shift;
			uint64_t last = (batch[i].addr + batch[i].size - 1) >> page_shift;

			for (uint64_t pg = first; pg <= last && pg >= first; pg++) {
				if (nr == cap) {
					uint64_t *k;

					cap = cap ? cap * 2 : 1 << 16;
					k = host_realloc(keys, cap * sizeof(*keys));
					if (!k) {
						ret = -ENOMEM;
						goto out;
					}
					keys = k;
				}
				keys[nr++] = pg;
			}
		}
	}
	if (n < 0) {
		ret = read_failed(tr, n, err);
		goto out;
	}
	ret = policy_next_use(keys, nr);
	if (!ret) {
		*out = keys;
		*nr_out = nr;
		keys = NULL;
	}
out:
	if (ret == -ENOMEM && !*err)
		snprintf(err, TUXMM_ERRMSG_MAX, "out of host memory for OPT's first pass");
	trace_close(tr);
	host_free(keys);
	host_free(batch);
	return ret;
}

/* ---- --ram: the whole machine, with swap ---- */

/* ram_footprint - a first pass: the distinct pages the trace references, into *@pages. */
static int ram_footprint(struct replay *r, const struct replay_src *src, uint64_t *pages)
{
	struct trace_access *batch = host_zalloc(BATCH * sizeof(*batch));
	struct trace_reader *tr = NULL;
	struct chunk *ch;
	long n = 0;
	int ret;

	if (!batch)
		return -ENOMEM;
	ret = src_open(src, &tr, r->err);
	while (!ret && (n = trace_read(tr, batch, BATCH)) > 0) {
		for (long i = 0; i < n && !ret; i++) {
			uint64_t first = batch[i].addr >> r->page_shift;
			uint64_t last = (batch[i].addr + batch[i].size - 1) >> r->page_shift;

			for (uint64_t pg = first; pg <= last && pg >= first && !ret; pg++) {
				unsigned long addr = (unsigned long)(pg << r->page_shift);

				ch = chunk_lookup(r, addr >> r->chunk_shift);
				if (!ch)
					ret = chunk_insert(r, addr >> r->chunk_shift, &ch);
				if (!ret)
					first_touch(r, ch, addr);
			}
		}
	}
	if (!ret && n < 0)
		ret = read_failed(tr, n, r->err);
	*pages = r->res->distinct_pages;
	/* The replay starts afresh: its first touches make the areas. */
	host_free(r->chunks);
	r->chunks = NULL;
	r->chunk_cap = r->nr_chunks = 0;
	r->res->distinct_pages = 0;
	trace_close(tr);
	host_free(batch);
	return ret;
}

/*
 * ram_swap - a scratch swap file (in $TMPDIR, /dev/shm or /tmp, unlinked once on) with a
 * slot for every page the trace references, so that only RAM limits the replay.
 */
static int ram_swap(struct replay *r, const struct replay_src *src, uint64_t seed, char *err)
{
	uint64_t pages, size;
	char path[4096];
	int ret;

	if (src->path && !strcmp(src->path, "-")) {
		snprintf(err, TUXMM_ERRMSG_MAX, "--ram reads the trace twice (to size the swap "
			 "file): give a file, not standard input");
		return -EINVAL;
	}
	ret = ram_footprint(r, src, &pages);
	if (ret)
		return ret;
	/* The header, and room for clusters partly used. */
	size = (pages + pages / 8 + 1024) << r->page_shift;
	ret = host_tmpfile_sparse(&size, path, sizeof(path));
	if (ret) {
		snprintf(err, TUXMM_ERRMSG_MAX, "cannot create the swap file (in $TMPDIR, "
			 "/dev/shm or /tmp): %s", strerror(-ret));
		return ret;
	}
	ret = tuxmm_mkswap(path, size, (unsigned int)r->m->page_size, seed, err);
	if (!ret)
		ret = tuxmm_swapon(r->m, path, -1, err);
	host_unlink(path);
	return ret;
}

/*
 * ram_collect - the machine's own counts: page-ins are swap reads (pswpin), page-outs
 * the pages reclaim took (pgsteal), write-backs the pages it wrote (pswpout and dirty
 * file pages: nr_vmscan_write).
 */
static void ram_collect(struct replay *r)
{
	struct machine *m = r->m;

	r->res->page_ins = m->vm_events[PSWPIN];
	r->res->page_outs = m->vm_events[PGSTEAL_ANON] + m->vm_events[PGSTEAL_FILE];
	r->res->writebacks = (uint64_t)global_node_page_state(m, NR_VMSCAN_WRITE);
}

/* ---- the run ---- */

static int validate(const struct tuxmm_replay_opts *o, const struct page_policy_ops **ops,
		    char *err)
{
	char names[128];

	if (o->page_shift && o->page_shift != 12 && o->page_shift != 14 && o->page_shift != 16) {
		snprintf(err, TUXMM_ERRMSG_MAX, "page size must be 4K, 16K or 64K");
		return -EINVAL;
	}
	/* The machine holds the frames: past 64 GiB its boot alone takes seconds. */
	if (o->frames > (MAX_FRAMES_BYTES >> (o->page_shift ? o->page_shift : 12))) {
		snprintf(err, TUXMM_ERRMSG_MAX, "at most %llu frames of %u KiB (64 GiB)",
			 MAX_FRAMES_BYTES >> (o->page_shift ? o->page_shift : 12),
			 1u << ((o->page_shift ? o->page_shift : 12) - 10));
		return -EINVAL;
	}
	*ops = policy_find(o->policy ? o->policy : "linux");
	if (!*ops) {
		policy_names(names, sizeof(names));
		snprintf(err, TUXMM_ERRMSG_MAX, "unknown policy '%s' (known: %s)", o->policy, names);
		return -EINVAL;
	}
	if (o->ram_bytes && o->frames) {
		snprintf(err, TUXMM_ERRMSG_MAX, "--ram and --frames exclude each other");
		return -EINVAL;
	}
	if (o->ram_bytes && mpolicy_check((*ops)->name, err))
		return -EINVAL;	/* the machine's policy: not opt */
	if (o->exec && o->frames) {
		snprintf(err, TUXMM_ERRMSG_MAX, "--exec replays without a cap: its pages are "
			 "private file and anonymous pages, not the scratch file --frames needs");
		return -EINVAL;
	}
	return 0;
}

/* boot_machine - a machine with enough RAM for the cap (or @o->ram_bytes) and one task. */
static int boot_machine(struct replay *r, const struct tuxmm_replay_opts *o, char *err)
{
	struct tuxmm_config cfg;
	uint64_t ram;
	int ret;

	tuxmm_config_init(&cfg);
	cfg.page_shift = o->page_shift ? o->page_shift : 12;
	cfg.seed = o->seed;
	if (o->ram_bytes)
		ram = o->ram_bytes;
	else if (o->frames)
		ram = (o->frames << cfg.page_shift) + (o->frames << cfg.page_shift) / 4 +
		      (512ULL << 20);	/* page tables of sparse traces, slab */
	else
		ram = 1ULL << 30;	/* no cap: room for 250,000 pages of 4 KiB */
	cfg.ram_bytes = ram > TUXMM_RAM_MAX ? TUXMM_RAM_MAX : ram;
	if (o->ram_bytes)
		cfg.policy = o->policy;
	ret = tuxmm_boot(&cfg, &r->m, err);
	if (ret)
		return ret;
	/* The trace's own addresses, from 0 up: no low-address guard. */
	tuxmm_sysctl_set(r->m, "vm.mmap_min_addr", 0);
	/* One page per fault: no fault-around (readahead is off per area). */
	r->fault_around = r->m->tasks.fault_around_bytes;
	r->m->tasks.fault_around_bytes = r->m->page_size;
	ret = tuxmm_spawn(r->m, "replay", &r->t);
	if (ret) {
		snprintf(err, TUXMM_ERRMSG_MAX, "cannot create the task: %s", tuxmm_errno_name(ret));
		return ret;
	}
	/* An empty address space: the trace's addresses are all its own. */
	tuxmm_munmap(r->t, 0, TASK_SIZE_M(r->m));
	r->mm = r->t->mm;
	r->cpu = r->m->cur_cpu;
	r->c = mmu_cpu(r->m, r->cpu);
	r->page_shift = r->m->page_shift;
	r->page_mask = ~(r->m->page_size - 1);
	r->chunk_shift = r->page_shift + 9;	/* CHUNK_PAGES */
	switch_mm(r->m, r->cpu, &r->mm->pgd);
	return 0;
}

/* open_backing - the sparse scratch file, opened by the task and unlinked at once. */
static int open_backing(struct replay *r, char *err)
{
	uint64_t size = BACKING_BYTES;
	char path[4096];
	int ret = host_tmpfile_sparse(&size, path, sizeof(path));

	if (ret) {
		snprintf(err, TUXMM_ERRMSG_MAX, "cannot create the backing file (in $TMPDIR, "
			 "/dev/shm or /tmp): %s", strerror(-ret));
		return ret;
	}
	r->fd = tuxmm_open(r->t, path, TUXMM_O_RDWR, 0);
	host_unlink(path);
	if (r->fd < 0) {
		snprintf(err, TUXMM_ERRMSG_MAX, "cannot open the backing file %.160s: %s", path,
			 strerror(-r->fd));
		return r->fd;
	}
	r->file_areas = size >> AREA_SHIFT;
	return 0;
}

static int setup_cap(struct replay *r, const struct page_policy_ops *ops,
		     const struct tuxmm_replay_opts *o, const uint64_t *future, uint64_t nr_refs)
{
	r->frame_addr = host_zalloc(r->nr_frames * sizeof(*r->frame_addr));
	r->pfn_frame = host_zalloc(r->m->max_pfn * sizeof(*r->pfn_frame));
	if (!r->frame_addr || !r->pfn_frame)
		return -ENOMEM;
	memset(r->pfn_frame, 0xff, r->m->max_pfn * sizeof(*r->pfn_frame));
	r->pp.ops = ops;
	r->pp.nr_frames = r->nr_frames;
	r->pp.seed = o->seed;
	r->pp.next_use = future;
	r->pp.nr_refs = nr_refs;
	r->pp.test_clear_young = replay_test_clear_young;
	r->pp.ctx = r;
	r->track_refs = ops->page_referenced != NULL;
	return policy_init(&r->pp);
}

static int run_trace(struct replay *r, const struct replay_src *src,
		     const struct tuxmm_replay_opts *o)
{
	struct trace_access *batch = host_zalloc(BATCH * sizeof(*batch));
	struct trace_reader *tr = NULL;
	uint64_t next_progress = PROGRESS_EVERY;
	long n;
	int ret;

	if (!batch)
		return -ENOMEM;
	ret = src_open(src, &tr, r->err);
	if (ret)
		goto out;
	r->name = trace_reader_name(tr);
	r->res->format = trace_format_name(trace_reader_format(tr));
	while ((n = trace_read(tr, batch, BATCH)) > 0) {
		ret = replay_batch(r, batch, n);
		if (unlikely(ret))
			goto out;
		r->res->accesses += (uint64_t)n;
		if (o->progress && r->res->accesses >= next_progress) {
			o->progress(o->progress_ctx, r->res->accesses,
				    trace_reader_stats(tr)->bytes);
			next_progress = r->res->accesses + PROGRESS_EVERY;
		}
	}
	if (n < 0)
		ret = read_failed(tr, n, r->err);
out:
	trace_close(tr);
	host_free(batch);
	return ret;
}

static void collect(struct replay *r)
{
	struct tuxmm_replay_result *res = r->res;
	struct tlb_stats st;

	tlb_stats_sum(r->m, &st);
	st.hits -= r->tlb_base.hits;		/* --exec: exec's own translations left out */
	st.misses -= r->tlb_base.misses;
	res->tlb_hits = st.hits;
	res->tlb_lookups = st.hits + st.misses;
	res->tlb_hit_rate = res->tlb_lookups ? (double)res->tlb_hits / (double)res->tlb_lookups : 0;
	res->references = r->ref;
	res->frames_scanned = r->pp.nr_scanned;
	if (r->whole_machine)
		ram_collect(r);
	res->file_pages = (uint64_t)get_mm_counter(r->mm, MM_FILEPAGES);
	res->anon_pages = (uint64_t)get_mm_counter(r->mm, MM_ANONPAGES);
}

static int replay(const struct replay_src *src, const struct tuxmm_replay_opts *o,
		  struct tuxmm_replay_result *res, char *err)
{
	const struct page_policy_ops *ops;
	uint64_t *future = NULL, nr_refs = 0;
	struct replay r = { .res = res, .err = err, .fd = -1, .name = src->name };
	int ret;

	err[0] = '\0';
	memset(res, 0, sizeof(*res));
	ret = validate(o, &ops, err);
	if (ret)
		return ret;
	r.nr_frames = (unsigned long)o->frames;
	r.anon = !o->frames && o->ram_bytes;
	r.whole_machine = !o->frames && o->ram_bytes;
	if (o->exec)
		r.anon = true;		/* areas outside the exec'd ones: anonymous */
	snprintf(res->policy, sizeof(res->policy), "%s",
		 o->frames || o->ram_bytes ? ops->name : "none");
	res->frames = o->frames;
	if (o->frames && (ops->flags & POLICY_NEEDS_FUTURE)) {
		if (src->path && !strcmp(src->path, "-")) {
			snprintf(err, TUXMM_ERRMSG_MAX, "policy %s reads the trace twice: give a "
				 "file, not standard input", ops->name);
			return -EINVAL;
		}
		ret = learn_future(src, o->page_shift ? o->page_shift : 12, &future, &nr_refs,
				   err);
		if (ret)
			return ret;
	}
	ret = boot_machine(&r, o, err);
	if (ret)
		goto out;
	res->page_size = r.m->page_size;
	if (o->exec) {
		ret = exec_prog(&r, o, err);
		if (ret)
			goto out;
	}
	if (!r.anon) {
		ret = open_backing(&r, err);
		if (ret)
			goto out;
	} else if (o->ram_bytes) {
		/* The whole machine: a swap file as large as the trace's footprint. */
		ret = ram_swap(&r, src, o->seed, err);
		if (ret)
			goto out;
	}
	if (r.nr_frames) {
		ret = setup_cap(&r, ops, o, future, nr_refs);
		if (ret) {
			snprintf(err, TUXMM_ERRMSG_MAX, "policy %s cannot manage %lu frames: %s",
				 ops->name, r.nr_frames, strerror(-ret));
			goto out;
		}
	}
	ret = run_trace(&r, src, o);
	collect(&r);
out:
	if (ret && !err[0])
		snprintf(err, TUXMM_ERRMSG_MAX, "%s: %s", src->name, strerror(-ret));
	policy_destroy(&r.pp);
	host_free(r.frame_addr);
	host_free(r.pfn_frame);
	host_free(r.chunks);
	host_free(future);
	if (r.mm && !r.anon)
		drop_scratch(&r);
	if (r.t)
		tuxmm_task_exit(r.t);
	if (r.m)
		tuxmm_machine_destroy(r.m);
	return ret;
}

int tuxmm_replay(const char *path, const struct tuxmm_replay_opts *opts,
		 struct tuxmm_replay_result *res, char *err)
{
	struct replay_src src = { .path = path, .name = path };

	return replay(&src, opts, res, err);
}

int tuxmm_replay_mem(const void *data, size_t len, const char *name,
		     const struct tuxmm_replay_opts *opts, struct tuxmm_replay_result *res,
		     char *err)
{
	struct replay_src src = { .data = data, .len = len, .name = name ? name : "<memory>" };

	return replay(&src, opts, res, err);
}

const char *tuxmm_policy_name(size_t i)
{
	const struct page_policy_ops *ops = policy_at(i);

	return ops ? ops->name : NULL;
}
