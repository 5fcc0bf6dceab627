/*
 * readahead.c - reading a file's pages before they are asked for: the
 * on-demand window that follows sequential access, and mmap read-around.
 * Follows Linux mm/readahead.c (6.x) and the mmap policy of mm/filemap.c.
 * Keeps: a window never passes the end of the file nor ra_pages (128 KiB).
 */
#include "fault.h"
#include "mm.h"
#include "pagemap.h"
#include "vma.h"

#define RA_BATCH 64	/* pages gathered before one host read */

void file_ra_state_init(struct file_ra_state *ra, struct address_space *mapping)
{
	const struct machine *m = mapping_machine(mapping);

	ra->ra_pages = (unsigned int)(VM_READAHEAD_BYTES >> m->page_shift);
	ra->prev_pos = -1;
}

static void read_batch(struct readahead_control *ractl, struct page **batch, unsigned int *nr)
{
	struct machine *m = mapping_machine(ractl->mapping);

	if (!*nr)
		return;
	filemap_read_pages(ractl->mapping, batch, *nr);
	for (unsigned int i = 0; i < *nr; i++)
		put_page(m, batch[i]);
	*nr = 0;
}

void page_cache_ra_unbounded(struct readahead_control *ractl, unsigned long nr_to_read,
			     unsigned long lookahead_size)
{
	struct address_space *mapping = ractl->mapping;
	unsigned long mark = nr_to_read - lookahead_size;
	struct page *batch[RA_BATCH];
	unsigned int nr = 0;

	for (unsigned long i = 0; i < nr_to_read; i++) {
		pgoff_t index = ractl->index + i;
		struct page *page;

		if (xa_load(&mapping->i_pages, index)) {
			/* Already cached: read the run gathered so far, skip this one. */
			read_batch(ractl, batch, &nr);
			continue;
		}
		page = page_cache_alloc(mapping, GFP_HIGHUSER_MOVABLE | __GFP_NORETRY |
						 __GFP_NOWARN);
		if (!page)
			break;
		if (add_to_page_cache(mapping, page, index)) {
			put_page(mapping_machine(mapping), page);
			break;
		}
		if (i == mark)
			SetPageFlag(page, PG_readahead);
		batch[nr++] = page;
		ractl->nr_added++;
		if (nr == RA_BATCH)
			read_batch(ractl, batch, &nr);
	}
	read_batch(ractl, batch, &nr);
}

/* do_page_cache_ra - page_cache_ra_unbounded() clipped to the page holding the file's last byte. */
static void do_page_cache_ra(struct readahead_control *ractl, unsigned long nr_to_read,
			     unsigned long lookahead_size)
{
	const struct machine *m = mapping_machine(ractl->mapping);
	loff_t isize = ractl->mapping->host->i_size;
	pgoff_t end_index;

	if (isize <= 0)
		return;
	end_index = (pgoff_t)((isize - 1) >> m->page_shift);
	if (ractl->index > end_index)
		return;
	if (nr_to_read > end_index - ractl->index)
		nr_to_read = end_index - ractl->index + 1;
	page_cache_ra_unbounded(ractl, nr_to_read, lookahead_size);
}

void force_page_cache_ra(struct readahead_control *ractl, unsigned long nr_to_read)
{
	const struct machine *m = mapping_machine(ractl->mapping);
	unsigned long chunk = (2UL << 20) >> m->page_shift;

	/* FIXME: Linux also caps the total at max(io_pages, ra_pages) of the device. */
	while (nr_to_read) {
		unsigned long n = nr_to_read < chunk ? nr_to_read : chunk;

		do_page_cache_ra(ractl, n, 0);
		ractl->index += n;
		nr_to_read -= n;
	}
}

static unsigned long roundup_pow_of_two(unsigned long x)
{
	unsigned long p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

/* get_init_ra_size - the first window for a read of @size pages: 4x or 2x, up to @max. */
static unsigned long get_init_ra_size(unsigned long size, unsigned long max)
{
	unsigned long newsize = roundup_pow_of_two(size);

	if (newsize <= max / 32)
		return newsize * 4;
	if (newsize <= max / 4)
		return newsize * 2;
	return max;
}

/* get_next_ra_size - the window after @ra's: 4x while small, then 2x, up to @max. */
static unsigned long get_next_ra_size(const struct file_ra_state *ra, unsigned long max)
{
	unsigned long cur = ra->size;

	if (cur < max / 16)
		return 4 * cur;
	if (cur <= max / 2)
		return 2 * cur;
	return max;
}

pgoff_t page_cache_next_miss(struct address_space *mapping, pgoff_t index,
			     unsigned long max_scan)
{
	while (max_scan--) {
		if (!xa_load(&mapping->i_pages, index))
			break;
		if (++index == 0)
			break;
	}
	return index;
}

pgoff_t page_cache_prev_miss(struct address_space *mapping, pgoff_t index,
			     unsigned long max_scan)
{
	while (max_scan--) {
		if (!xa_load(&mapping->i_pages, index))
			return index;
		if (index-- == 0)
			return ~0UL;
	}
	return index;
}

/* ra_submit - read @ra's window from ra->start, the last async_size pages marked ahead. */
static void ra_submit(struct readahead_control *ractl, struct file_ra_state *ra)
{
	ractl->index = ra->start;
	do_page_cache_ra(ractl, ra->size, ra->async_size);
}

void page_cache_sync_ra(struct readahead_control *ractl, unsigned long req_count)
{
	struct file_ra_state *ra = ractl->ra;
	pgoff_t index = ractl->index, prev_index, miss;
	unsigned long max_pages = ra->ra_pages, contig_count;

	if (!ra->ra_pages) {
		/* Readahead off: still read what was asked, as readahead. */
		force_page_cache_ra(ractl, 1);
		return;
	}
	/* prev_pos -1 (no history) gives an index no reader is next to, as in Linux. */
	prev_index = (pgoff_t)((unsigned long long)ra->prev_pos >>
			       mapping_machine(ractl->mapping)->page_shift);
	/* Start of file, oversized read, or the next page after the last one read. */
	if (!index || req_count > max_pages || index - prev_index <= 1UL) {
		ra->start = index;
		ra->size = (unsigned int)get_init_ra_size(req_count, max_pages);
		ra->async_size = ra->size > req_count ? ra->size - (unsigned int)req_count :
							ra->size >> 1;
		goto readit;
	}
	/* The pages cached just below betray a sequential stream read by someone. */
	miss = page_cache_prev_miss(ractl->mapping, index - 1, max_pages);
	contig_count = index - miss - 1;
	if (contig_count <= req_count) {
		/* A small random read: read it alone, leave the window as it was. */
		do_page_cache_ra(ractl, req_count, 0);
		return;
	}
	if (miss == ~0UL)
		contig_count *= 2;	/* cached from the file's start: a whole-file read */
	ra->start = index;
	ra->size = (unsigned int)(contig_count + req_count < max_pages ? contig_count + req_count
								       : max_pages);
	ra->async_size = 1;
readit:
	ra_submit(ractl, ra);
}

void page_cache_async_ra(struct readahead_control *ractl, struct page *page,
			 unsigned long req_count)
{
	struct file_ra_state *ra = ractl->ra;
	unsigned long max_pages = ra->ra_pages;
	pgoff_t index = ractl->index, start;

	if (!ra->ra_pages || PageWriteback(page))
		return;
	ClearPageFlag(page, PG_readahead);
	if (index == ra->start + ra->size - ra->async_size) {
		/* The marker where we left it: a sequential reader. Push the window on, larger. */
		ra->start += ra->size;
		ra->size = (unsigned int)get_next_ra_size(ra, max_pages);
		ra->async_size = ra->size;
		goto readit;
	}
	/* A marker without matching state (interleaved readers): size it from the cache. */
	start = page_cache_next_miss(ractl->mapping, index + 1, max_pages);
	if (!start || start - index > max_pages)
		return;
	ra->start = start;
	ra->size = (unsigned int)(start - index + req_count);
	ra->size = (unsigned int)get_next_ra_size(ra, max_pages);
	ra->async_size = ra->size;
readit:
	ra_submit(ractl, ra);
}

/* ---- the mmap fault policy (Linux's mm/filemap.c) ---- */

void do_sync_mmap_readahead(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct file *file = vma->vm_file;
	struct file_ra_state *ra = &file->f_ra;
	struct readahead_control ractl = {
		.file = file, .mapping = file->f_mapping, .ra = ra, .index = vmf->pgoff,
	};

	/* MADV_RANDOM: only the faulting page, which filemap_fault reads itself. */
	if ((vma->vm_flags & VM_RAND_READ) || !ra->ra_pages)
		return;
	if (vma->vm_flags & VM_SEQ_READ) {
		/* MADV_SEQUENTIAL: a full window forward from the fault. */
		page_cache_sync_ra(&ractl, ra->ra_pages);
		return;
	}
	if (ra->mmap_miss < MMAP_LOTSAMISS * 10)
		ra->mmap_miss++;
	/* Far more misses than hits: read-around only hurts. */
	if (ra->mmap_miss > MMAP_LOTSAMISS)
		return;
	/* Read-around: a full window centred on the fault. */
	ra->start = vmf->pgoff > ra->ra_pages / 2 ? vmf->pgoff - ra->ra_pages / 2 : 0;
	ra->size = ra->ra_pages;
	ra->async_size = ra->ra_pages / 4;
	ra_submit(&ractl, ra);
}

void do_async_mmap_readahead(struct vm_fault *vmf, struct page *page)
{
	struct vm_area_struct *vma = vmf->vma;
	struct file *file = vma->vm_file;
	struct file_ra_state *ra = &file->f_ra;
	struct readahead_control ractl = {
		.file = file, .mapping = file->f_mapping, .ra = ra, .index = vmf->pgoff,
	};

	if ((vma->vm_flags & VM_RAND_READ) || !ra->ra_pages)
		return;
	if (ra->mmap_miss)
		ra->mmap_miss--;
	if (PageReadahead(page))
		page_cache_async_ra(&ractl, page, ra->ra_pages);
}
