/*
 * swapfile.c - swap areas: swapon/swapoff of real files carrying mkswap's
 * header, slot allocation in clusters, per-slot use counts, page I/O.
 * Follows Linux mm/swapfile.c (read_swap_header, setup_swap_map, cluster
 * allocation, swap_show) and mm/page_io.c.
 * Keeps: a slot is free iff its swap_map byte is 0; a cluster's count is its
 * used usable slots; each cluster is on exactly one of the free list, the
 * nonfull list, or none (full, or some CPU's current cluster).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "host_file.h"
#include "machine.h"
#include "mm.h"
#include "printk.h"
#include "report.h"
#include "slab.h"
#include "swap.h"

#define NO_CLUSTER (~0UL)
#define MAX_SWAP_BADPAGES \
	((sizeof(((struct swap_header *)0)->padding) + 4 * 4) / sizeof(uint32_t))

#define SERR(err, ...) ((err) ? (void)snprintf((err), TUXMM_ERRMSG_MAX, __VA_ARGS__) : (void)0)

/* ---- memory for the maps: kmalloc when small, contiguous pages when not ---- */

static void *swap_map_alloc(struct machine *m, size_t bytes)
{
	struct page *page;
	unsigned long nr;
	void *p;

	if (bytes <= KMALLOC_MAX_CACHE_SIZE(m))
		return kzalloc(m, bytes, GFP_KERNEL);
	nr = DIV_ROUND_UP(bytes, m->page_size);
	page = alloc_contig_pages(m, nr, GFP_KERNEL | __GFP_NOWARN);
	if (!page)
		return NULL;
	p = page_address(m, page);
	memset(p, 0, nr << m->page_shift);
	return p;
}

static void swap_map_free(struct machine *m, void *p, size_t bytes)
{
	if (!p)
		return;
	if (bytes <= KMALLOC_MAX_CACHE_SIZE(m))
		kfree(m, p);
	else
		free_contig_range(m, page_to_pfn(m, virt_to_page(m, p)),
				  DIV_ROUND_UP(bytes, m->page_size));
}

/* ---- clusters ---- */

static struct swap_cluster_info *offset_cluster(struct swap_info_struct *si, unsigned long off)
{
	return &si->cluster_info[off / SWAPFILE_CLUSTER];
}

static unsigned long cluster_index(struct swap_info_struct *si, struct swap_cluster_info *ci)
{
	return (unsigned long)(ci - si->cluster_info);
}

/* Usable slots of a cluster: all but the header, bad blocks and the tail past max. */
static unsigned int cluster_usable(struct swap_info_struct *si, unsigned long idx)
{
	unsigned int n = 0;

	for (unsigned long off = idx * SWAPFILE_CLUSTER; off < (idx + 1) * SWAPFILE_CLUSTER; off++)
		if (si->swap_map[off] != SWAP_MAP_BAD)
			n++;
	return n;
}

/* Put a cluster on the list its count says, unless a CPU holds it. */
static void cluster_relist(struct swap_info_struct *si, struct swap_cluster_info *ci)
{
	unsigned long idx = cluster_index(si, ci);
	unsigned int usable = cluster_usable(si, idx);

	if (ci->flags)
		list_del_init(&ci->list);
	ci->flags = 0;
	if (ci->count == 0 && usable) {
		ci->flags = CLUSTER_FLAG_FREE;
		list_add_tail(&ci->list, &si->free_clusters);
	} else if (ci->count < usable) {
		ci->flags = CLUSTER_FLAG_NONFULL;
		list_add_tail(&ci->list, &si->nonfull_clusters);
	} else {
		ci->flags = CLUSTER_FLAG_FULL;
		INIT_LIST_HEAD(&ci->list);
	}
}

static bool cluster_is_current(struct machine *m, struct swap_info_struct *si, unsigned long idx)
{
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		if (si->percpu_cluster[cpu] == idx)
			return true;
	return false;
}

/* A free slot in cluster @idx, or 0 (slot 0 is the header: never free). */
static unsigned long cluster_find_free(struct swap_info_struct *si, unsigned long idx)
{
	for (unsigned long off = idx * SWAPFILE_CLUSTER; off < (idx + 1) * SWAPFILE_CLUSTER; off++)
		if (!si->swap_map[off])
			return off;
	return 0;
}

/*
 * Take a slot from this CPU's cluster, moving to a nonfull cluster and then a
 * free one when it runs out (Linux's cluster allocator keeps a CPU's
 * swap-outs together so they land next to each other on disk).
 */
static unsigned long scan_swap_map_slots(struct machine *m, struct swap_info_struct *si)
{
	unsigned long *cur = &si->percpu_cluster[m->cur_cpu];

	for (;;) {
		struct swap_cluster_info *ci;
		unsigned long off;

		if (*cur != NO_CLUSTER) {
			off = cluster_find_free(si, *cur);
			if (off)
				return off;
			ci = &si->cluster_info[*cur];
			*cur = NO_CLUSTER;
			cluster_relist(si, ci);
		}
		if (!list_empty(&si->nonfull_clusters))
			ci = list_first_entry(&si->nonfull_clusters, struct swap_cluster_info, list);
		else if (!list_empty(&si->free_clusters))
			ci = list_first_entry(&si->free_clusters, struct swap_cluster_info, list);
		else
			return 0;
		list_del_init(&ci->list);
		ci->flags = 0;
		*cur = cluster_index(si, ci);
	}
}

/* ---- slot counts ---- */

static struct swap_info_struct *swap_info_get(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si;

	if (swp_type(entry) >= MAX_SWAPFILES)
		return NULL;
	si = m->swap.swap_info[swp_type(entry)];
	if (!si || !(si->flags & SWP_USED) || !swp_offset(entry) || swp_offset(entry) >= si->max)
		return NULL;
	return si;
}

static void slot_taken(struct machine *m, struct swap_info_struct *si, unsigned long off)
{
	offset_cluster(si, off)->count++;
	si->inuse_pages++;
	if (si->flags & SWP_WRITEOK)
		m->swap.nr_swap_pages--;
}

static void slot_freed(struct machine *m, struct swap_info_struct *si, unsigned long off)
{
	struct swap_cluster_info *ci = offset_cluster(si, off);

	ci->count--;
	si->inuse_pages--;
	if (si->flags & SWP_WRITEOK)
		m->swap.nr_swap_pages++;
	if (!cluster_is_current(m, si, cluster_index(si, ci)))
		cluster_relist(si, ci);
}

/* __get_swap_page - a free slot whose swap_map byte becomes @usage (a count, or SWAP_HAS_CACHE). */
static swp_entry_t __get_swap_page(struct machine *m, unsigned char usage)
{
	struct swap_state *ss = &m->swap;
	struct swap_info_struct *best = NULL;
	unsigned int start = ss->nr_swapfiles ? ss->rr_next % ss->nr_swapfiles : 0;

	if (ss->nr_swap_pages <= 0)
		return (swp_entry_t){ 0 };
	/* Highest priority first; among equals, round robin from rr_next. */
	for (unsigned int i = 0; i < ss->nr_swapfiles; i++) {
		struct swap_info_struct *si = ss->swap_info[(start + i) % ss->nr_swapfiles];

		if (!si || !(si->flags & SWP_WRITEOK) || si->inuse_pages >= si->pages)
			continue;
		if (!best || si->prio > best->prio)
			best = si;
	}
	while (best) {
		unsigned long off = scan_swap_map_slots(m, best);

		if (off) {
			best->swap_map[off] = usage;
			slot_taken(m, best, off);
			ss->rr_next = best->type + 1;
			return swp_entry(best->type, off);
		}
		best = NULL;	/* counts said free, clusters disagree: treat as full */
	}
	return (swp_entry_t){ 0 };
}

swp_entry_t get_swap_page(struct machine *m)
{
	return __get_swap_page(m, 1);
}

swp_entry_t get_swap_page_cache(struct machine *m)
{
	return __get_swap_page(m, SWAP_HAS_CACHE);
}

int swap_duplicate(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(m, entry);
	unsigned char *p;

	if (!si)
		return -EINVAL;
	p = &si->swap_map[swp_offset(entry)];
	/* A slot the swap cache holds alone takes its first count from try_to_unmap. */
	if (!*p || *p == SWAP_MAP_BAD)
		return -EINVAL;
	if ((*p & ~SWAP_HAS_CACHE) >= SWAP_MAP_MAX)
		return -ENOMEM;	/* Linux chains continuation pages; tuxmm caps the count */
	(*p)++;
	return 0;
}

void swap_free(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(m, entry);
	unsigned char *p;

	if (!si) {
		printk(m, "swap_free: Bad swap file entry %016lx", entry.val);
		return;
	}
	p = &si->swap_map[swp_offset(entry)];
	if ((*p & ~SWAP_HAS_CACHE) == 0 || *p == SWAP_MAP_BAD) {
		printk(m, "swap_free: Unused swap offset entry %016lx", entry.val);
		return;
	}
	(*p)--;
	if (!*p)
		slot_freed(m, si, swp_offset(entry));
}

unsigned int swap_count(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(m, entry);

	if (!si || si->swap_map[swp_offset(entry)] == SWAP_MAP_BAD)
		return 0;
	return si->swap_map[swp_offset(entry)] & ~SWAP_HAS_CACHE;
}

bool swap_entry_valid(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(m, entry);

	return si && si->swap_map[swp_offset(entry)] &&
	       si->swap_map[swp_offset(entry)] != SWAP_MAP_BAD;
}

/* ---- the swap cache's slots (Linux 6.18's swap table: a page pointer per slot) ---- */

struct page *swapcache_page(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(m, entry);

	return si ? offset_cluster(si, swp_offset(entry))->table[swp_offset(entry) %
								 SWAPFILE_CLUSTER] : NULL;
}

int swapcache_set(struct machine *m, swp_entry_t entry, struct page *page)
{
	struct swap_info_struct *si = swap_info_get(m, entry);
	unsigned long off = swp_offset(entry);

	if (!si || !si->swap_map[off] || si->swap_map[off] == SWAP_MAP_BAD)
		return -ENOENT;
	if (offset_cluster(si, off)->table[off % SWAPFILE_CLUSTER])
		return -EEXIST;
	si->swap_map[off] |= SWAP_HAS_CACHE;
	offset_cluster(si, off)->table[off % SWAPFILE_CLUSTER] = page;
	return 0;
}

void swapcache_clear(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(m, entry);
	unsigned long off = swp_offset(entry);

	if (!si || !(si->swap_map[off] & SWAP_HAS_CACHE) || si->swap_map[off] == SWAP_MAP_BAD) {
		printk(m, "swapcache_clear: no cache on swap entry %016lx", entry.val);
		return;
	}
	offset_cluster(si, off)->table[off % SWAPFILE_CLUSTER] = NULL;
	si->swap_map[off] &= (unsigned char)~SWAP_HAS_CACHE;
	if (!si->swap_map[off])
		slot_freed(m, si, off);
}

unsigned int *swap_shadow(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(m, entry);

	return si ? &offset_cluster(si, swp_offset(entry))->shadow[swp_offset(entry) %
								  SWAPFILE_CLUSTER] : NULL;
}

unsigned long swap_area_max(struct machine *m, unsigned int type)
{
	struct swap_info_struct *si = type < MAX_SWAPFILES ? m->swap.swap_info[type] : NULL;

	return si ? si->max : 0;
}

unsigned long swap_area_inuse(struct machine *m, unsigned int type)
{
	struct swap_info_struct *si = type < MAX_SWAPFILES ? m->swap.swap_info[type] : NULL;

	return si ? si->inuse_pages : 0;
}

bool vm_swap_full(struct machine *m)
{
	return m->swap.nr_swap_pages * 2 < m->swap.total_swap_pages;
}

/* ---- page I/O ---- */

static int swap_io(struct machine *m, swp_entry_t entry, struct page *page, bool write)
{
	struct swap_info_struct *si = swap_info_get(m, entry);
	uint64_t pos = (uint64_t)swp_offset(entry) << m->page_shift;
	void *addr = page_address(m, page);
	long n;

	if (!si)
		return -EINVAL;
	if (write) {
		n = host_file_pwrite(m, si->host, addr, m->page_size, pos);
	} else {
		/* Read into a bounce so that a failed read leaves the page as it was. */
		uint8_t *bounce = kmalloc(m, m->page_size, GFP_KERNEL);

		if (!bounce)
			return -ENOMEM;
		n = host_file_pread(m, si->host, bounce, m->page_size, pos);
		if (n == (long)m->page_size)
			memcpy(addr, bounce, m->page_size);
		kfree(m, bounce);
	}
	if (n != (long)m->page_size) {
		m->swap.swap_io_errors++;
		printk(m, "%s to swap-file (%u:%lu) failed: %s", write ? "Write" : "Read",
		       si->type, swp_offset(entry), n < 0 ? tuxmm_errno_name((int)n) : "short");
		return n < 0 && n != -EIO ? (int)n : -EIO;
	}
	m->vm_events[write ? PSWPOUT : PSWPIN]++;
	m->vm_events[write ? PGPGOUT : PGPGIN] += m->page_size >> 9;
	return 0;
}

/*
 * swap_io_pages - @nr pages at consecutive slots from @first in one vectored
 * host call (one pwrite/pread for a single page). A read fills fresh pages:
 * on an error their contents are undefined. 0, or -EIO for an error or a
 * short transfer.
 */
static int swap_io_pages(struct machine *m, swp_entry_t first, struct page **pages,
			 unsigned int nr, bool write)
{
	struct swap_info_struct *si = swap_info_get(m, first);
	uint64_t pos = (uint64_t)swp_offset(first) << m->page_shift;
	struct host_iovec iov[SWAP_IO_BATCH];
	long n;

	if (!si || !nr || nr > SWAP_IO_BATCH || swp_offset(first) + nr > si->max)
		return -EINVAL;
	if (nr == 1) {
		n = write ? host_file_pwrite(m, si->host, page_address(m, pages[0]), m->page_size,
					     pos) :
			    host_file_pread(m, si->host, page_address(m, pages[0]), m->page_size,
					    pos);
	} else {
		for (unsigned int i = 0; i < nr; i++)
			iov[i] = (struct host_iovec){ page_address(m, pages[i]), m->page_size };
		n = write ? host_file_pwritev(m, si->host, iov, (int)nr, pos) :
			    host_file_preadv(m, si->host, iov, (int)nr, pos);
	}
	if (n != (long)(nr << m->page_shift)) {
		m->swap.swap_io_errors++;
		printk(m, "%s to swap-file (%u:%lu) failed: %s", write ? "Write" : "Read",
		       si->type, swp_offset(first), n < 0 ? tuxmm_errno_name((int)n) : "short");
		return -EIO;
	}
	m->vm_events[write ? PSWPOUT : PSWPIN] += nr;
	m->vm_events[write ? PGPGOUT : PGPGIN] += (unsigned long)nr * (m->page_size >> 9);
	return 0;
}

int swap_write_pages(struct machine *m, swp_entry_t first, struct page **pages, unsigned int nr)
{
	return swap_io_pages(m, first, pages, nr, true);
}

int swap_read_pages(struct machine *m, swp_entry_t first, struct page **pages, unsigned int nr)
{
	return swap_io_pages(m, first, pages, nr, false);
}

int swap_write_page(struct machine *m, swp_entry_t entry, struct page *page)
{
	return swap_io(m, entry, page, true);
}

int swap_read_page(struct machine *m, swp_entry_t entry, struct page *page)
{
	return swap_io(m, entry, page, false);
}

/* ---- swapon / swapoff ---- */

/*
 * read_swap_header - check the header page as Linux's read_swap_header()
 * does; returns the number of pages the area spans (header included) or 0.
 */
static unsigned long read_swap_header(struct machine *m, const struct swap_header *h,
				      uint64_t file_bytes, const char *path, char *err)
{
	const char *magic = (const char *)h + m->page_size - SWAP_MAGIC_LEN;
	unsigned long last_page = h->last_page, file_pages = file_bytes >> m->page_shift;

	if (memcmp(magic, SWAP_MAGIC, SWAP_MAGIC_LEN)) {
		printk(m, "Unable to find swap-space signature");
		SERR(err, "%s: no swap signature for %lu KiB pages (make it with mkswap%s)", path,
		     m->page_size >> 10, m->page_size == 4096 ? "" : " -p PAGESIZE");
		return 0;
	}
	if (h->version != SWAP_HEADER_VERSION) {
		printk(m, "Unable to handle swap header version %u", h->version);
		SERR(err, "%s: swap header version %u, expected 1", path, h->version);
		return 0;
	}
	if (!last_page) {
		printk(m, "Empty swap-file");
		SERR(err, "%s: the swap header declares no pages", path);
		return 0;
	}
	if (last_page >= file_pages) {
		printk(m, "Swap area shorter than signature indicates");
		SERR(err, "%s: the header declares %lu pages, the file holds %lu", path,
		     last_page + 1, file_pages);
		return 0;
	}
	if (h->nr_badpages > MAX_SWAP_BADPAGES) {
		SERR(err, "%s: %u bad pages listed, at most %zu", path, h->nr_badpages,
		     (size_t)MAX_SWAP_BADPAGES);
		return 0;
	}
	for (uint32_t i = 0; i < h->nr_badpages; i++) {
		if (!h->badpages[i] || h->badpages[i] > last_page) {
			SERR(err, "%s: bad-page entry %u (%u) lies outside the area", path, i,
			     h->badpages[i]);
			return 0;
		}
	}
	return last_page + 1;
}

static int setup_swap_map(struct machine *m, struct swap_info_struct *si,
			  const struct swap_header *h)
{
	unsigned long slots;

	si->nr_clusters = DIV_ROUND_UP(si->max, SWAPFILE_CLUSTER);
	slots = si->nr_clusters * SWAPFILE_CLUSTER;
	si->map_bytes = slots;
	si->swap_map = swap_map_alloc(m, si->map_bytes);
	si->cluster_bytes = si->nr_clusters * sizeof(*si->cluster_info) +
			    m->nr_cpus * sizeof(unsigned long);
	si->cluster_info = swap_map_alloc(m, si->cluster_bytes);
	if (!si->swap_map || !si->cluster_info)
		return -ENOMEM;
	for (unsigned long idx = 0; idx < si->nr_clusters; idx++) {
		struct swap_cluster_info *ci = &si->cluster_info[idx];

		ci->table = kzalloc(m, SWAPFILE_CLUSTER * sizeof(*ci->table), GFP_KERNEL);
		ci->shadow = kzalloc(m, SWAPFILE_CLUSTER * sizeof(*ci->shadow), GFP_KERNEL);
		if (!ci->table || !ci->shadow)
			return -ENOMEM;
	}
	si->percpu_cluster = (unsigned long *)(si->cluster_info + si->nr_clusters);
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		si->percpu_cluster[cpu] = NO_CLUSTER;
	si->swap_map[0] = SWAP_MAP_BAD;		/* the header */
	for (uint32_t i = 0; i < h->nr_badpages; i++)
		si->swap_map[h->badpages[i]] = SWAP_MAP_BAD;
	for (unsigned long off = si->max; off < slots; off++)
		si->swap_map[off] = SWAP_MAP_BAD;
	INIT_LIST_HEAD(&si->free_clusters);
	INIT_LIST_HEAD(&si->nonfull_clusters);
	si->pages = 0;
	for (unsigned long idx = 0; idx < si->nr_clusters; idx++) {
		struct swap_cluster_info *ci = &si->cluster_info[idx];

		INIT_LIST_HEAD(&ci->list);
		ci->flags = 0;
		ci->count = 0;
		si->pages += cluster_usable(si, idx);
		cluster_relist(si, ci);
	}
	return 0;
}

static void free_swap_info(struct machine *m, struct swap_info_struct *si)
{
	swap_map_free(m, si->swap_map, si->map_bytes);
	for (unsigned long idx = 0; si->cluster_info && idx < si->nr_clusters; idx++) {
		kfree(m, si->cluster_info[idx].table);
		kfree(m, si->cluster_info[idx].shadow);
	}
	swap_map_free(m, si->cluster_info, si->cluster_bytes);
	if (si->host >= 0)
		host_file_close(m, si->host);
	kfree(m, si);
}

static struct swap_info_struct *find_swap_by_path(struct machine *m, const char *path)
{
	for (unsigned int t = 0; t < m->swap.nr_swapfiles; t++) {
		struct swap_info_struct *si = m->swap.swap_info[t];

		if (si && !strcmp(host_file_path(m, si->host), path))
			return si;
	}
	return NULL;
}

int swapon(struct machine *m, const char *path, int prio, char *err)
{
	struct swap_state *ss = &m->swap;
	struct swap_info_struct *si;
	struct swap_header *h = NULL;
	struct host_stat st;
	unsigned int type;
	int host, ret;

	for (type = 0; type < MAX_SWAPFILES && ss->swap_info[type]; type++)
		;
	if (type == MAX_SWAPFILES) {
		SERR(err, "%s: already %d swap areas on", path, MAX_SWAPFILES);
		return -EPERM;
	}
	host = host_file_open(m, path, TUXMM_O_RDWR, 0, &st);
	if (host < 0) {
		SERR(err, "%s: %s", path, tuxmm_errno_name(host));
		return host;
	}
	if (find_swap_by_path(m, host_file_path(m, host))) {
		SERR(err, "%s: already a swap area", path);
		ret = -EBUSY;
		goto out_close;
	}
	if ((st.mode & 0170000) != 0100000) {
		SERR(err, "%s: not a regular file", path);
		ret = -EINVAL;
		goto out_close;
	}
	si = kzalloc(m, sizeof(*si), GFP_KERNEL);
	h = kmalloc(m, m->page_size, GFP_KERNEL);
	if (!si || !h) {
		kfree(m, si);
		ret = -ENOMEM;
		goto out_close;
	}
	si->host = host;
	si->type = type;
	if (host_file_pread(m, host, h, m->page_size, 0) != (long)m->page_size) {
		printk(m, "Unable to find swap-space signature");
		SERR(err, "%s: too short for a swap header (%lu bytes needed)", path, m->page_size);
		ret = -EINVAL;
		goto out_free;
	}
	si->max = read_swap_header(m, h, st.size, path, err);
	if (!si->max) {
		ret = -EINVAL;
		goto out_free;
	}
	ret = setup_swap_map(m, si, h);
	if (ret) {
		SERR(err, "%s: not enough RAM for the swap map", path);
		goto out_free;
	}
	kfree(m, h);
	/* Made now, so that reclaim's first eviction allocates nothing. */
	workingset_init(m);
	si->prio = prio >= 0 ? prio : --ss->least_priority;
	si->flags = SWP_USED | SWP_WRITEOK;
	ss->swap_info[type] = si;
	if (type >= ss->nr_swapfiles)
		ss->nr_swapfiles = type + 1;
	ss->nr_swap_pages += (long)si->pages;
	ss->total_swap_pages += (long)si->pages;
	printk(m, "Adding %luk swap on %s.  Priority:%d extents:1 across:%luk ",
	       si->pages << (m->page_shift - 10), host_file_path(m, host), si->prio,
	       si->pages << (m->page_shift - 10));
	return 0;

out_free:
	kfree(m, h);
	si->host = -1;
	free_swap_info(m, si);
out_close:
	host_file_close(m, host);
	return ret;
}

static void __swapoff(struct machine *m, struct swap_info_struct *si)
{
	struct swap_state *ss = &m->swap;

	if (si->flags & SWP_WRITEOK)
		ss->nr_swap_pages -= (long)(si->pages - si->inuse_pages);
	ss->total_swap_pages -= (long)si->pages;
	ss->swap_info[si->type] = NULL;
	while (ss->nr_swapfiles && !ss->swap_info[ss->nr_swapfiles - 1])
		ss->nr_swapfiles--;
	/* Like Linux, give the default priority back if it was the lowest one. */
	if (si->prio < 0 && si->prio == ss->least_priority)
		ss->least_priority++;
	free_swap_info(m, si);
}

int swapoff(struct machine *m, const char *path)
{
	struct swap_info_struct *si = find_swap_by_path(m, path);

	if (!si) {
		/* The path as given may be relative or a link: compare canonically. */
		struct host_stat st;
		int host = host_file_open(m, path, TUXMM_O_RDONLY, 0, &st);

		if (host < 0)
			return host;
		si = find_swap_by_path(m, host_file_path(m, host));
		host_file_close(m, host);
		if (!si)
			return -EINVAL;
	}
	if (si->inuse_pages) {
		int err;

		/* No new swap-outs here while the pages come back; on failure it reopens. */
		si->flags &= ~SWP_WRITEOK;
		m->swap.nr_swap_pages -= (long)(si->pages - si->inuse_pages);
		/*
		 * Linux marks the task running swapoff the OOM killer's first choice
		 * (set_current_oom_origin), so a swapoff memory cannot hold ends itself
		 * rather than another task: here it fails with ENOMEM instead.
		 */
		m->swap.in_swapoff = true;
		err = try_to_unuse(m, si->type);
		m->swap.in_swapoff = false;
		if (!err && si->inuse_pages)
			err = -EBUSY;
		if (err) {
			si->flags |= SWP_WRITEOK;
			m->swap.nr_swap_pages += (long)(si->pages - si->inuse_pages);
			return err;
		}
	}
	__swapoff(m, si);
	return 0;
}

void swapoff_all(struct machine *m)
{
	workingset_destroy(m);
	for (unsigned int t = 0; t < m->swap.nr_swapfiles; t++)
		if (m->swap.swap_info[t])
			__swapoff(m, m->swap.swap_info[t]);
}

long total_swap_pages(struct machine *m)
{
	return m->swap.total_swap_pages;
}

long nr_swap_pages(struct machine *m)
{
	return m->swap.nr_swap_pages;
}

/* ---- /proc/swaps ---- */

void swaps_show(struct machine *m, struct report *r)
{
	report_printf(r, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	for (unsigned int t = 0; t < m->swap.nr_swapfiles; t++) {
		struct swap_info_struct *si = m->swap.swap_info[t];
		unsigned long bytes, inuse;
		const char *path;
		int len;

		if (!si)
			continue;
		bytes = si->pages << (m->page_shift - 10);
		inuse = si->inuse_pages << (m->page_shift - 10);
		path = host_file_path(m, si->host);
		len = (int)strlen(path);
		/* Linux escapes " \t\n\\" in the path as octal. */
		for (const char *c = path; *c; c++) {
			if (strchr(" \t\n\\", *c)) {
				report_printf(r, "\\%03o", (unsigned char)*c);
				len += 3;
			} else {
				report_putc(r, *c);
			}
		}
		report_printf(r, "%*s%s\t%lu\t%s%lu\t%s%d\n", len < 40 ? 40 - len : 1, " ",
			      "file\t", bytes, bytes < 10000000 ? "\t" : "", inuse,
			      inuse < 10000000 ? "\t" : "", si->prio);
	}
}

/* ---- the public API ---- */

int tuxmm_swapon(struct machine *m, const char *path, int prio, char *err)
{
	return swapon(m, path, prio, err);
}

int tuxmm_swapoff(struct machine *m, const char *path)
{
	return swapoff(m, path);
}

/* ---- validation ---- */

static bool swap_check_fail(struct machine *m, unsigned int type, const char *what,
			    unsigned long n)
{
	printk(m, "swap_check: area %u: %s (%lu)", type, what, n);
	return false;
}

bool swap_check(struct machine *m)
{
	long free_total = 0, total = 0, cached = 0;

	for (unsigned int t = 0; t < m->swap.nr_swapfiles; t++) {
		struct swap_info_struct *si = m->swap.swap_info[t];
		struct swap_cluster_info *ci;
		unsigned long inuse = 0, on_lists = 0;

		if (!si)
			continue;
		if (si->swap_map[0] != SWAP_MAP_BAD)
			return swap_check_fail(m, t, "the header slot is not reserved", 0);
		for (unsigned long idx = 0; idx < si->nr_clusters; idx++) {
			unsigned int used = 0;

			for (unsigned long off = idx * SWAPFILE_CLUSTER;
			     off < (idx + 1) * SWAPFILE_CLUSTER; off++)
				if (si->swap_map[off] && si->swap_map[off] != SWAP_MAP_BAD)
					used++;
			if (used != si->cluster_info[idx].count)
				return swap_check_fail(m, t, "cluster count is off", idx);
			inuse += used;
		}
		if (inuse != si->inuse_pages)
			return swap_check_fail(m, t, "inuse_pages is off", inuse);
		/* The swap table: a page exactly where SWAP_HAS_CACHE is set, naming its slot. */
		for (unsigned long off = 1; off < si->max; off++) {
			struct page *page = si->cluster_info[off / SWAPFILE_CLUSTER]
						    .table[off % SWAPFILE_CLUSTER];
			unsigned char map = si->swap_map[off];
			bool has_cache = map != SWAP_MAP_BAD && (map & SWAP_HAS_CACHE);

			if (!page != !has_cache)
				return swap_check_fail(m, t, "swap table and SWAP_HAS_CACHE differ",
						       off);
			if (page && (!PageFlag(page, PG_swapcache) ||
				     page->private != swp_entry(t, off).val || page->_refcount < 1))
				return swap_check_fail(m, t, "a cached page does not name its slot",
						       off);
			cached += page != NULL;
		}
		list_for_each_entry(ci, &si->free_clusters, list) {
			if (ci->count || ci->flags != CLUSTER_FLAG_FREE)
				return swap_check_fail(m, t, "a used cluster on the free list",
						       cluster_index(si, ci));
			on_lists++;
		}
		list_for_each_entry(ci, &si->nonfull_clusters, list) {
			if (ci->flags != CLUSTER_FLAG_NONFULL ||
			    ci->count >= cluster_usable(si, cluster_index(si, ci)))
				return swap_check_fail(m, t, "a full cluster on the nonfull list",
						       cluster_index(si, ci));
			on_lists++;
		}
		for (unsigned long idx = 0; idx < si->nr_clusters; idx++) {
			bool listed = si->cluster_info[idx].flags & (CLUSTER_FLAG_FREE |
								      CLUSTER_FLAG_NONFULL);

			if (cluster_is_current(m, si, idx) && listed)
				return swap_check_fail(m, t, "a CPU's cluster is also listed", idx);
		}
		if (on_lists > si->nr_clusters)
			return swap_check_fail(m, t, "clusters listed twice", on_lists);
		total += (long)si->pages;
		if (si->flags & SWP_WRITEOK)
			free_total += (long)(si->pages - si->inuse_pages);
	}
	if (total != m->swap.total_swap_pages)
		return swap_check_fail(m, 0, "total_swap_pages is off", (unsigned long)total);
	if (free_total != m->swap.nr_swap_pages)
		return swap_check_fail(m, 0, "nr_swap_pages is off", (unsigned long)free_total);
	if (cached != m->pgdat->vm_stat[NR_SWAPCACHE])
		return swap_check_fail(m, 0, "SwapCached is off", (unsigned long)cached);
	return true;
}
