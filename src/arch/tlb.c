/*
 * tlb.c - the per-CPU TLB: a set-associative model of what the CPU has
 * cached (FIFO replacement in each set, so a hit never has to touch it) and,
 * in front of it, direct-mapped fast arrays of host addends, one per mode.
 * Follows Linux arch/x86/mm/tlb.c for the flush interface and shootdowns.
 * Keeps: every fast entry comes from a valid model entry (dropping a model
 * entry drops its fast entries), so a flush of the model is a flush of all.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "host.h"
#include "mm.h"
#include "mmu.h"
#include "pgtable.h"
#include "report.h"
#include "tlb.h"

static void fast_reset(struct mmu_cpu *c)
{
	memset(c->fast, 0xff, sizeof(c->fast));
}

int tlb_init(struct machine *m)
{
	unsigned int entries = m->cfg.tlb_entries ? m->cfg.tlb_entries : TLB_DEFAULT_ENTRIES;
	unsigned int ways = m->cfg.tlb_ways ? m->cfg.tlb_ways : TLB_DEFAULT_WAYS;

	m->arch.tlb_ways = ways;
	m->arch.tlb_sets = entries / ways;
	m->arch.cpus = host_zalloc(m->nr_cpus * sizeof(struct mmu_cpu));
	if (!m->arch.cpus)
		return -ENOMEM;
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct mmu_cpu *c = &m->arch.cpus[cpu];

		c->page_shift = m->page_shift;
		c->geometry_is_default = mmu_geometry_is_default(&m->arch.geo);
		c->page_mask = ~(m->page_size - 1);
		c->tags = host_zalloc(entries * sizeof(*c->tags));
		c->model = host_zalloc(entries * sizeof(*c->model));
		c->victim = host_zalloc(m->arch.tlb_sets);
		if (!c->tags || !c->model || !c->victim) {
			tlb_destroy(m);
			return -ENOMEM;
		}
		c->pf_page = TLB_FAST_INVALID;
		fast_reset(c);
	}
	return 0;
}

void tlb_destroy(struct machine *m)
{
	if (!m->arch.cpus)
		return;
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		host_free(m->arch.cpus[cpu].tags);
		host_free(m->arch.cpus[cpu].model);
		host_free(m->arch.cpus[cpu].victim);
	}
	host_free(m->arch.cpus);
	m->arch.cpus = NULL;
}

/* ---- the model ---- */

struct tlb_entry *__tlb_model_lookup_large(struct machine *m, struct mmu_cpu *c,
					   unsigned long addr)
{
	const struct pgtable_geometry *g = &m->arch.geo;

	for (unsigned int hw = 0; hw + 1 < g->levels; hw++) {
		unsigned int shift = g->hw[hw].shift;
		unsigned long first;
		unsigned int w;

		if (!g->hw[hw].leaf_ok)
			continue;
		first = tlb_model_set(m, addr, shift);
		w = tlb_set_find(m, c->tags + first, tlb_tag(addr, shift));
		if (w < m->arch.tlb_ways)
			return &c->model[first + w];
	}
	return NULL;
}

static bool fast_slot_in(const struct tlb_fast_entry *s, unsigned long base, unsigned long size)
{
	return (s->addr_read != TLB_FAST_INVALID && s->addr_read - base < size) ||
	       (s->addr_write != TLB_FAST_INVALID && s->addr_write - base < size) ||
	       (s->addr_code != TLB_FAST_INVALID && s->addr_code - base < size);
}

static void fast_invalidate(struct tlb_fast_entry *s)
{
	s->addr_read = s->addr_write = s->addr_code = TLB_FAST_INVALID;
}

/* fast_holds - does any mode's fast array still serve @addr's page? (debug checks) */
static inline __attribute__((unused)) bool fast_holds(const struct mmu_cpu *c, unsigned long addr)
{
	unsigned long slot = (addr >> c->page_shift) & (TLB_FAST_SIZE - 1);

	for (int mode = 0; mode < MMU_NR_MODES; mode++)
		if (fast_slot_in(&c->fast[mode][slot], addr & c->page_mask, 1UL << c->page_shift))
			return true;
	return false;
}

/*
 * Drop base page @va's fast entries in the modes of @modes. Only its own slot
 * can hold them, and the tags of a slot are all its page's address or
 * TLB_FAST_INVALID (all ones, never a page address): the slot serves @va if
 * the AND of its tags is @va.
 */
static inline void fast_drop_page(struct mmu_cpu *c, unsigned long va, unsigned int modes)
{
	unsigned long slot = (va >> c->page_shift) & (TLB_FAST_SIZE - 1);

	for (; modes; modes &= modes - 1) {
		struct tlb_fast_entry *s = &c->fast[__builtin_ctz(modes)][slot];
		bool holds = (s->addr_read & s->addr_write & s->addr_code) == va;

		VM_BUG_ON(holds != fast_slot_in(s, va, 1UL << c->page_shift));
		if (holds)
			fast_invalidate(s);
	}
}

/* Drop the fast entries for large leaf [base, base + size) in the modes of @modes. */
static void fast_drop_range(struct mmu_cpu *c, unsigned long base, unsigned long size,
			    unsigned int modes)
{
	for (int mode = 0; mode < MMU_NR_MODES; mode++) {
		if (!(modes & (1u << mode)))
			continue;
		for (unsigned int i = 0; i < TLB_FAST_SIZE; i++)
			if (fast_slot_in(&c->fast[mode][i], base, size))
				fast_invalidate(&c->fast[mode][i]);
	}
}

/* model_drop - invalidate valid entry @e, whose tag is *@tag, and its fast entries. */
static inline void model_drop(struct mmu_cpu *c, struct tlb_entry *e, unsigned long *tag)
{
	unsigned long base = (*tag >> 8) << e->shift;

	if (e->shift == c->page_shift) {
		fast_drop_page(c, base, e->fast_modes);
	} else {
		fast_drop_range(c, base, 1UL << e->shift, e->fast_modes);
		c->nr_large--;
	}
	*tag = 0;
	c->nr_valid--;
}

void tlb_model_drop(struct machine *m, struct mmu_cpu *c, struct tlb_entry *e)
{
	unsigned long *tag = &c->tags[e - c->model];

	(void)m;
	if (*tag)
		model_drop(c, e, tag);
}

struct tlb_entry *tlb_model_insert(struct machine *m, struct mmu_cpu *c, unsigned long addr,
				   phys_addr_t phys, unsigned int shift, unsigned int perm,
				   bool may_hold)
{
	unsigned long set_nr = (addr >> shift) & (m->arch.tlb_sets - 1), tag = tlb_tag(addr, shift);
	unsigned long first = set_nr * m->arch.tlb_ways;
	unsigned long *tags = c->tags + first;
	unsigned int way = m->arch.tlb_ways;
	bool full = c->nr_valid == m->arch.tlb_sets * m->arch.tlb_ways;
	struct tlb_entry *e;

	/*
	 * The entry for this page if cached (tags are unique in a set), else the
	 * first free way: none while the whole model is valid, as it stays once
	 * a workload outgrows it.
	 */
	VM_BUG_ON(!may_hold && tlb_set_find(m, tags, tag) != m->arch.tlb_ways);
	VM_BUG_ON(full && tlb_set_find(m, tags, 0) != m->arch.tlb_ways);
	if (may_hold)
		way = tlb_set_find(m, tags, tag);
	if (way == m->arch.tlb_ways && !full)
		way = tlb_set_find(m, tags, 0);
	if (way == m->arch.tlb_ways) {
		way = c->victim[set_nr];
		/* The next way, FIFO; no division on the fault path. */
		c->victim[set_nr] = way + 1 == m->arch.tlb_ways ? 0 : (unsigned char)(way + 1);
		c->stats.evictions++;
	}
	e = &c->model[first + way];
	if (tags[way])
		model_drop(c, e, &tags[way]);
	tags[way] = tag;
	c->nr_valid++;
	e->phys = phys;
	e->shift = (unsigned char)shift;
	e->perm = (unsigned char)perm;
	e->fast_modes = 0;
	if (shift != c->page_shift)
		c->nr_large++;
	c->nr_fills++;
	return e;
}

void *tlb_fill_fast(struct machine *m, struct mmu_cpu *c, enum mmu_mode mode, unsigned long addr,
		    struct tlb_entry *e)
{
	unsigned long va = addr & c->page_mask;
	unsigned long offset = (addr & ((1UL << e->shift) - 1)) & c->page_mask;
	struct tlb_fast_entry *s = &c->fast[mode][(va >> c->page_shift) & (TLB_FAST_SIZE - 1)];
	bool read = tlb_perm_ok(&m->arch, e->perm, MMU_READ, mode);

	s->addr_read = read ? va : TLB_FAST_INVALID;
	s->addr_write = read && tlb_perm_ok(&m->arch, e->perm, MMU_WRITE, mode) &&
			(e->perm & TLB_DIRTY) ? va : TLB_FAST_INVALID;
	s->addr_code = tlb_perm_ok(&m->arch, e->perm, MMU_FETCH, mode) ? va : TLB_FAST_INVALID;
	s->addend = (uintptr_t)(m->ram + e->phys + offset) - va;
	e->fast_modes |= (unsigned char)(1u << mode);
	return (void *)(addr + s->addend);
}

/*
 * Drop every model entry that translates @addr (an INVLPG, or a #PF's own
 * invalidation). Their fast slots go with them: no other slot can serve @addr.
 */
void tlb_invalidate_addr(struct machine *m, struct mmu_cpu *c, unsigned long addr)
{
	struct tlb_entry *e;

	while ((e = tlb_model_lookup(m, c, addr)))
		tlb_model_drop(m, c, e);
	VM_BUG_ON(fast_holds(c, addr));
}

/* ---- local flushes ---- */

/* flush_one - INVLPG of @addr on @c; inline in flush_tlb_page(), every fault handler's flush. */
static inline void flush_one(struct machine *m, struct mmu_cpu *c, unsigned long addr)
{
	c->stats.flush_one++;
	if ((addr & c->page_mask) == c->pf_page && c->nr_fills == c->pf_fills) {
		VM_BUG_ON(tlb_model_lookup(m, c, addr) || fast_holds(c, addr));
		return;
	}
	tlb_invalidate_addr(m, c, addr);
}

void __flush_tlb_one(struct machine *m, unsigned int cpu, unsigned long addr)
{
	flush_one(m, mmu_cpu(m, cpu), addr);
}

void __flush_tlb_local(struct machine *m, unsigned int cpu)
{
	struct mmu_cpu *c = mmu_cpu(m, cpu);
	unsigned long n = (unsigned long)m->arch.tlb_sets * m->arch.tlb_ways;

	c->stats.flush_nonglobal++;
	for (unsigned long i = 0; i < n; i++)
		if (c->tags[i] && !(c->model[i].perm & TLB_GLOBAL))
			tlb_model_drop(m, c, &c->model[i]);
}

void __flush_tlb_global(struct machine *m, unsigned int cpu)
{
	struct mmu_cpu *c = mmu_cpu(m, cpu);
	unsigned long n = (unsigned long)m->arch.tlb_sets * m->arch.tlb_ways;

	c->stats.flush_all++;
	memset(c->tags, 0, n * sizeof(*c->tags));
	c->nr_valid = 0;
	c->nr_large = 0;
	fast_reset(c);
}

/* ---- flushes across CPUs ---- */

/* Count the IPIs a flush started on m->cur_cpu sends to @nr_targets other CPUs. */
static void count_shootdown(struct machine *m, unsigned int nr_targets)
{
	struct mmu_cpu *c = mmu_cpu(m, m->cur_cpu);

	if (!nr_targets)
		return;
	c->stats.shootdowns++;
	c->stats.ipis_sent += nr_targets;
}

static void flush_cpu_range(struct machine *m, unsigned int cpu, unsigned long start,
			    unsigned long end, bool full, bool global)
{
	if (full) {
		if (global)
			__flush_tlb_global(m, cpu);
		else
			__flush_tlb_local(m, cpu);
		return;
	}
	for (unsigned long addr = start; addr - start < end - start; addr += m->page_size)
		__flush_tlb_one(m, cpu, addr);
}

static bool range_is_full(struct machine *m, unsigned long start, unsigned long end)
{
	return end <= start ||
	       ((end - start) >> m->page_shift) > m->arch.tlb_flush_ceiling;
}

void flush_tlb_mm_range(struct machine *m, struct pgd_root *root, unsigned long start,
			unsigned long end)
{
	bool full = range_is_full(m, start, end);
	unsigned int nr_targets = 0;

	start &= ~(m->page_size - 1);
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		if (!(root->cpumask & (1ULL << cpu)))
			continue;
		flush_cpu_range(m, cpu, start, end, full, false);
		if (cpu != m->cur_cpu) {
			mmu_cpu(m, cpu)->stats.ipis_received++;
			nr_targets++;
		}
	}
	count_shootdown(m, nr_targets);
}

/*
 * flush_page_on_mask - INVLPG of aligned @addr on every CPU with @root in CR3,
 * counting IPIs. Out of line so that flush_tlb_page()'s one-CPU case needs
 * no stack frame.
 */
static __attribute__((noinline)) void flush_page_on_mask(struct machine *m, struct pgd_root *root,
							   unsigned long addr)
{
	unsigned int nr_targets = 0;

	for (uint64_t mask = root->cpumask; mask; mask &= mask - 1) {
		unsigned int cpu = (unsigned int)__builtin_ctzll(mask);

		if (cpu >= m->nr_cpus)
			break;
		flush_one(m, mmu_cpu(m, cpu), addr);
		if (cpu != m->cur_cpu) {
			mmu_cpu(m, cpu)->stats.ipis_received++;
			nr_targets++;
		}
	}
	count_shootdown(m, nr_targets);
}

/*
 * flush_tlb_page - flush_tlb_mm_range() of one page (a fault handler's flush):
 * an aligned page below the ceiling is one INVLPG on each CPU of the mask.
 */
void flush_tlb_page(struct machine *m, struct pgd_root *root, unsigned long addr)
{
	if ((addr & (m->page_size - 1)) || range_is_full(m, addr, addr + m->page_size)) {
		flush_tlb_mm_range(m, root, addr, addr + m->page_size);
		return;
	}
	/* The usual case, an address space live on this CPU alone: no IPI to count. */
	if (root->cpumask == 1ULL << m->cur_cpu) {
		flush_one(m, mmu_cpu(m, m->cur_cpu), addr);
		return;
	}
	flush_page_on_mask(m, root, addr);
}

void flush_tlb_mm(struct machine *m, struct pgd_root *root)
{
	flush_tlb_mm_range(m, root, 0, 0);
}

void flush_tlb_kernel_range(struct machine *m, unsigned long start, unsigned long end)
{
	bool full = range_is_full(m, start, end);

	start &= ~(m->page_size - 1);
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		flush_cpu_range(m, cpu, start, end, full, true);
		if (cpu != m->cur_cpu)
			mmu_cpu(m, cpu)->stats.ipis_received++;
	}
	count_shootdown(m, m->nr_cpus - 1);
}

void flush_tlb_all(struct machine *m)
{
	flush_tlb_kernel_range(m, 0, 0);
}

void switch_mm(struct machine *m, unsigned int cpu, struct pgd_root *root)
{
	struct mmu_cpu *c = mmu_cpu(m, cpu);

	if (c->root == root)
		return;
	if (c->root)
		c->root->cpumask &= ~(1ULL << cpu);
	root->cpumask |= 1ULL << cpu;
	c->root = root;
	c->cr3 = root->pgd_phys;
	c->stats.cr3_switches++;
	/* Without PCIDs a CR3 write drops every non-global entry. */
	__flush_tlb_local(m, cpu);
}

/* ---- statistics ---- */

void tlb_stats_sum(struct machine *m, struct tlb_stats *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		const struct mmu_cpu *c = mmu_cpu(m, cpu);
		const struct tlb_stats *s = &c->stats;

		sum->hits += s->hits + c->fast_hits;
		sum->fast_hits += c->fast_hits;
		sum->misses += s->misses;
		sum->walks += s->walks;
		sum->evictions += s->evictions;
		sum->flush_one += s->flush_one;
		sum->flush_nonglobal += s->flush_nonglobal;
		sum->flush_all += s->flush_all;
		sum->cr3_switches += s->cr3_switches;
		sum->shootdowns += s->shootdowns;
		sum->ipis_sent += s->ipis_sent;
		sum->ipis_received += s->ipis_received;
	}
}

static void stats_line(struct report *r, const char *who, const struct tlb_stats *s)
{
	report_printf(r, "%s hits %lu fast_hits %lu misses %lu walks %lu evictions %lu "
			 "flush_one %lu flush_nonglobal %lu flush_all %lu cr3_switches %lu "
			 "shootdowns %lu ipis_sent %lu ipis_received %lu\n",
		      who, s->hits, s->fast_hits, s->misses, s->walks, s->evictions, s->flush_one,
		      s->flush_nonglobal, s->flush_all, s->cr3_switches, s->shootdowns,
		      s->ipis_sent, s->ipis_received);
}

void tlb_stats_show(struct machine *m, struct report *r)
{
	struct tlb_stats sum;
	char who[16];

	report_printf(r, "tlb entries %u ways %u sets %u fast_entries %u\n",
		      m->arch.tlb_sets * m->arch.tlb_ways, m->arch.tlb_ways, m->arch.tlb_sets,
		      TLB_FAST_SIZE);
	tlb_stats_sum(m, &sum);
	stats_line(r, "all", &sum);
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct mmu_cpu *c = mmu_cpu(m, cpu);
		struct tlb_stats s = c->stats;

		s.hits += c->fast_hits;
		s.fast_hits = c->fast_hits;
		snprintf(who, sizeof(who), "cpu%u", cpu);
		stats_line(r, who, &s);
	}
}

bool tlb_holds_pfn(struct machine *m, unsigned long pfn)
{
	unsigned long n = (unsigned long)m->arch.tlb_sets * m->arch.tlb_ways;

	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		const struct tlb_entry *model = mmu_cpu(m, cpu)->model;
		const unsigned long *tags = mmu_cpu(m, cpu)->tags;

		for (unsigned long i = 0; i < n; i++) {
			unsigned long first;

			if (!tags[i])
				continue;
			first = (unsigned long)(model[i].phys >> m->page_shift);
			if (pfn - first < (1UL << (model[i].shift - m->page_shift)))
				return true;
		}
	}
	return false;
}
