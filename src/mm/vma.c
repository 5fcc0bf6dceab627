/*
 * vma.c - the areas of one address space: lookup, insertion, removal, split and merge.
 * Follows Linux mm/vma.c for the split and merge rules and pre-6.1 mm/mmap.c for
 * the rbtree augmented with the largest free gap (rb_subtree_gap).
 * Keeps: areas page-aligned, sorted, never overlapping; tree and list agree;
 * every node's rb_subtree_gap is the largest gap in its subtree.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "debug.h"
#include "fs.h"
#include "machine.h"
#include "printk.h"
#include "rmap.h"
#include "vma.h"

static inline bool list_is_singular(const struct list_head *head)
{
	return !list_empty(head) && head->next == head->prev;
}

unsigned long vm_start_gap(const struct vm_area_struct *vma)
{
	const struct mm_struct *mm = vma->vm_mm;
	unsigned long gap = 0, start = vma->vm_start;

	if (vma->vm_flags & VM_GROWSDOWN)
		gap = mm->machine->tasks.sysctl.stack_guard_gap_pages << mm->page_shift;
	else if (vma->vm_flags & VM_SHADOW_STACK)
		gap = mm_page_size(mm);
	start -= gap;
	if (start > vma->vm_start)
		start = 0;
	return start;
}

/* ---- the gap-augmented tree ---- */

/* The free bytes between this area and the one before it (stack guard gap excluded). */
static unsigned long vma_compute_gap(const struct vm_area_struct *vma)
{
	unsigned long gap = vm_start_gap(vma), prev_end;

	if (vma->vm_prev) {
		prev_end = vm_end_gap(vma->vm_prev);
		gap = gap > prev_end ? gap - prev_end : 0;
	}
	return gap;
}

static unsigned long vma_compute_subtree_gap(const struct vm_area_struct *vma)
{
	unsigned long max = vma_compute_gap(vma), sub;

	if (vma->vm_rb.rb_left) {
		sub = rb_entry(vma->vm_rb.rb_left, struct vm_area_struct, vm_rb)->rb_subtree_gap;
		if (sub > max)
			max = sub;
	}
	if (vma->vm_rb.rb_right) {
		sub = rb_entry(vma->vm_rb.rb_right, struct vm_area_struct, vm_rb)->rb_subtree_gap;
		if (sub > max)
			max = sub;
	}
	return max;
}

static void vma_gap_propagate(struct rb_node *rb, struct rb_node *stop)
{
	while (rb != stop) {
		struct vm_area_struct *vma = rb_entry(rb, struct vm_area_struct, vm_rb);
		unsigned long gap = vma_compute_subtree_gap(vma);

		if (vma->rb_subtree_gap == gap)
			break;
		vma->rb_subtree_gap = gap;
		rb = rb_parent(&vma->vm_rb);
	}
}

static void vma_gap_copy(struct rb_node *old, struct rb_node *new_node)
{
	rb_entry(new_node, struct vm_area_struct, vm_rb)->rb_subtree_gap =
		rb_entry(old, struct vm_area_struct, vm_rb)->rb_subtree_gap;
}

static void vma_gap_rotate(struct rb_node *old, struct rb_node *new_node)
{
	struct vm_area_struct *o = rb_entry(old, struct vm_area_struct, vm_rb);

	vma_gap_copy(old, new_node);
	o->rb_subtree_gap = vma_compute_subtree_gap(o);
}

static const struct rb_augment_callbacks vma_gap_callbacks = {
	.propagate = vma_gap_propagate,
	.copy = vma_gap_copy,
	.rotate = vma_gap_rotate,
};

/* vma_gap_update - @vma's own gap changed: bring it and its ancestors up to date. */
static void vma_gap_update(struct vm_area_struct *vma)
{
	struct vm_area_struct *v = vma;
	struct rb_node *rb = &v->vm_rb;

	/* Unlike the propagate callback, never stop at vma itself: its subtree changed. */
	v->rb_subtree_gap = vma_compute_subtree_gap(v);
	vma_gap_propagate(rb_parent(rb), NULL);
}

/* The gap after @vma changed (its end moved or it came or went): fix the next area's gap. */
static void vma_next_gap_update(struct mm_struct *mm, struct vm_area_struct *vma)
{
	if (vma->vm_next)
		vma_gap_update(vma->vm_next);
	else
		mm->highest_vm_end = vm_end_gap(vma);
}

/* ---- lookup ---- */

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = mm->vmacache;
	struct rb_node *rb;

	if (vma && vma->vm_start <= addr && addr < vma->vm_end)
		return vma;
	vma = NULL;
	rb = mm->mm_rb.rb_node;
	while (rb) {
		struct vm_area_struct *tmp = rb_entry(rb, struct vm_area_struct, vm_rb);

		if (tmp->vm_end > addr) {
			vma = tmp;
			if (tmp->vm_start <= addr)
				break;
			rb = rb->rb_left;
		} else {
			rb = rb->rb_right;
		}
	}
	if (vma)
		mm->vmacache = vma;
	return vma;
}

struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	struct rb_node *last;

	if (vma) {
		*pprev = vma->vm_prev;
	} else {
		last = rb_last(&mm->mm_rb);
		*pprev = last ? rb_entry(last, struct vm_area_struct, vm_rb) : NULL;
	}
	return vma;
}

struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end)
{
	struct vm_area_struct *vma;

	if (start >= end)	/* empty: nothing intersects, as Linux's mt_find() answers */
		return NULL;
	vma = find_vma(mm, start);
	if (vma && end <= vma->vm_start)
		vma = NULL;
	return vma;
}

struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (vma && addr < vma->vm_start)
		vma = NULL;
	return vma;
}

/* ---- insertion, removal, resizing ---- */

void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct rb_node **link = &mm->mm_rb.rb_node, *parent = NULL;
	struct vm_area_struct *prev = NULL, *next;

	while (*link) {
		struct vm_area_struct *tmp;

		parent = *link;
		tmp = rb_entry(parent, struct vm_area_struct, vm_rb);
		VM_BUG_ON(tmp->vm_end > vma->vm_start && tmp->vm_start < vma->vm_end);
		if (tmp->vm_start > vma->vm_start) {
			link = &parent->rb_left;
		} else {
			prev = tmp;
			link = &parent->rb_right;
		}
	}

	next = prev ? prev->vm_next : mm->mmap;
	vma->vm_prev = prev;
	vma->vm_next = next;
	if (prev)
		prev->vm_next = vma;
	else
		mm->mmap = vma;
	if (next)
		next->vm_prev = vma;

	/* The gap after vma now ends at next; vma's own gap is known only once linked. */
	vma_next_gap_update(mm, vma);
	rb_link_node(&vma->vm_rb, parent, link);
	vma->rb_subtree_gap = 0;
	vma_gap_update(vma);
	rb_insert_augmented(&vma->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
	mm->map_count++;
	vma_link_file(vma);
}

void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma->vm_prev, *next = vma->vm_next;

	rb_erase_augmented(&vma->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
	RB_CLEAR_NODE(&vma->vm_rb);
	if (prev)
		prev->vm_next = next;
	else
		mm->mmap = next;
	if (next) {
		next->vm_prev = prev;
		vma_gap_update(next);
	} else {
		mm->highest_vm_end = prev ? vm_end_gap(prev) : 0;
	}
	vma->vm_prev = vma->vm_next = NULL;
	mm->vmacache = NULL;
	mm->map_count--;
	vma_unlink_file(vma);
}

void vma_set_range(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		   pgoff_t pgoff)
{
	bool start_moved = vma->vm_start != start, end_moved = vma->vm_end != end;

	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = pgoff;
	/* The tree is keyed by vm_start, but a move into free space keeps the order. */
	if (start_moved)
		vma_gap_update(vma);
	if (end_moved)
		vma_next_gap_update(vma->vm_mm, vma);
}

void vma_set_flags(struct vm_area_struct *vma, unsigned long flags)
{
	bool gap_changed = (vma->vm_flags ^ flags) & VM_STARTGAP_FLAGS;

	vma->vm_flags = flags;
	if (gap_changed)
		vma_gap_update(vma);
}

/* ---- split ---- */

int __split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
		int new_below)
{
	unsigned int shift = mm->page_shift;
	struct vm_area_struct *new;
	int err;

	VM_BUG_ON(addr <= vma->vm_start || addr >= vma->vm_end);
	if (vma->vm_ops && vma->vm_ops->may_split) {
		err = vma->vm_ops->may_split(vma, addr);
		if (err)
			return err;
	}
	new = vm_area_dup(vma);
	if (!new)
		return -ENOMEM;
	if (new_below) {
		new->vm_end = addr;
	} else {
		new->vm_start = addr;
		new->vm_pgoff += (addr - vma->vm_start) >> shift;
	}
	if (anon_vma_clone(new, vma)) {
		vm_area_free(new);
		return -ENOMEM;
	}
	if (new->vm_file)
		get_file(new->vm_file);
	if (new->vm_ops && new->vm_ops->open)
		new->vm_ops->open(new);

	if (new_below)
		vma_set_range(vma, addr, vma->vm_end,
			      vma->vm_pgoff + ((addr - vma->vm_start) >> shift));
	else
		vma_set_range(vma, vma->vm_start, addr, vma->vm_pgoff);
	vma_link(mm, new);
	return 0;
}

int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
	      int new_below)
{
	if ((unsigned long)mm->map_count >= mm->machine->tasks.sysctl.max_map_count)
		return -ENOMEM;
	return __split_vma(mm, vma, addr, new_below);
}

/* ---- merge ---- */

/* An area forked with pages still shared with its parent (more than one anon_vma link). */
static bool vma_had_uncowed_parents(const struct vm_area_struct *vma)
{
	return vma && vma->anon_vma && !list_is_singular(&vma->anon_vma_chain);
}

/*
 * Linux 6.16+'s rule (mm/vma.c is_mergeable_anon_vma, after "fix incorrectly
 * disallowed anonymous VMA merges"): a target without an anon_vma adopts the
 * source's, and a source without one joins the target's, unless the one
 * with pages was forked and still shares them; else both must be the same.
 */
bool is_mergeable_anon_vma(const struct anon_vma *src_anon, const struct vm_area_struct *src,
			   const struct vm_area_struct *tgt)
{
	if (!tgt->anon_vma && src_anon)
		return !vma_had_uncowed_parents(src);
	if (tgt->anon_vma && !src_anon)
		return !vma_had_uncowed_parents(tgt);
	return src_anon == tgt->anon_vma;
}

/* prev and next, both compatible with the range, must be with each other too. */
static bool are_anon_vmas_compatible(const struct vm_area_struct *prev,
				     const struct vm_area_struct *next)
{
	return !prev->anon_vma || !next->anon_vma || prev->anon_vma == next->anon_vma;
}

/* Same attributes apart from the soft-dirty bit (Linux's is_mergeable_vma()). */
static bool is_mergeable_vma(const struct vma_merge_struct *vmg, const struct vm_area_struct *vma)
{
	if ((vma->vm_flags ^ vmg->flags) & ~VM_SOFTDIRTY)
		return false;
	return vma->vm_file == vmg->file;
}

/* Can the range go in front of vmg->next (next's offsets continue the range's)? */
static bool can_vma_merge_before(const struct vma_merge_struct *vmg)
{
	pgoff_t pglen = (vmg->end - vmg->start) >> vmg->mm->page_shift;

	return is_mergeable_vma(vmg, vmg->next) &&
	       is_mergeable_anon_vma(vmg->anon_vma, vmg->src, vmg->next) &&
	       vmg->next->vm_pgoff == vmg->pgoff + pglen;
}

/* Can the range go after vmg->prev? */
static bool can_vma_merge_after(const struct vma_merge_struct *vmg)
{
	return is_mergeable_vma(vmg, vmg->prev) &&
	       is_mergeable_anon_vma(vmg->anon_vma, vmg->src, vmg->prev) &&
	       vmg->prev->vm_pgoff + vma_pages(vmg->prev) == vmg->pgoff;
}

static bool can_vma_merge_left(const struct vma_merge_struct *vmg)
{
	return vmg->prev && vmg->prev->vm_end == vmg->start && can_vma_merge_after(vmg);
}

static bool can_vma_merge_right(const struct vma_merge_struct *vmg, bool can_merge_left)
{
	if (!vmg->next || vmg->end != vmg->next->vm_start || !can_vma_merge_before(vmg))
		return false;
	if (!can_merge_left)
		return true;
	/* Each side is compatible with the range; they must also be with each other. */
	return are_anon_vmas_compatible(vmg->prev, vmg->next);
}

/* A merge may delete an area only if it has no close hook. */
static bool can_merge_remove_vma(const struct vm_area_struct *vma)
{
	return !vma->vm_ops || !vma->vm_ops->close;
}

bool vma_can_merge_pair(struct vm_area_struct *prev, struct vm_area_struct *next)
{
	struct vma_merge_struct vmg = {
		.mm = next->vm_mm,
		.prev = prev,
		.next = NULL,
		.start = next->vm_start,
		.end = next->vm_end,
		.pgoff = next->vm_pgoff,
		.flags = next->vm_flags,
		.file = next->vm_file,
		.anon_vma = next->anon_vma,
		.src = next,
	};

	if ((prev->vm_flags | next->vm_flags) & VM_SPECIAL)
		return false;
	if (!can_merge_remove_vma(next) || !can_merge_remove_vma(prev))
		return false;
	return can_vma_merge_left(&vmg) &&
	       are_anon_vmas_compatible(prev, next);
}

/*
 * dup_anon_vma - when @dst grows over pages of @src, it must adopt @src's
 * anon_vma and links (Linux's dup_anon_vma()). Out of memory for the links,
 * dst keeps the anon_vma alone: its own pages stay reachable, and the merge
 * never fails (Linux would refuse it).
 */
static void dup_anon_vma(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	if (src->anon_vma && !dst->anon_vma) {
		dst->anon_vma = src->anon_vma;
		if (anon_vma_clone(dst, src))
			VM_WARN_ON_ONCE(1);
	}
}

/* merge_remove_vma - an area absorbed by a merge: out of the tree, its file reference dropped. */
static void merge_remove_vma(struct mm_struct *mm, struct vm_area_struct *vma)
{
	vma_unlink(mm, vma);
	remove_vma(vma);
}

/*
 * vma_expand - grow vmg->vma to [vmg->start, vmg->end), absorbing vmg->next
 * when the new end is next's end.
 *
 *  prev          range          next
 * |------|...................|--------|   expand prev over the range and next
 */
static void vma_expand(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *vma = vmg->vma, *next = vmg->next;

	/* copy_vma: the range will hold the source's pages (the source may be next). */
	if (vmg->src && vmg->src != vma)
		dup_anon_vma(vma, vmg->src);
	if (next && next != vma && vmg->end == next->vm_end) {
		dup_anon_vma(vma, next);
		merge_remove_vma(vmg->mm, next);
	}
	vma_set_range(vma, vmg->start, vmg->end, vmg->pgoff);
}

struct vm_area_struct *vma_merge_new_range(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *prev = vmg->prev, *next = vmg->next;
	unsigned long end = vmg->end;
	pgoff_t pglen = (vmg->end - vmg->start) >> vmg->mm->page_shift;
	bool can_merge_left, can_merge_right;

	if ((vmg->flags & VM_SPECIAL) || (!prev && !next))
		return NULL;
	can_merge_left = can_vma_merge_left(vmg);
	can_merge_right = !vmg->just_expand && can_vma_merge_right(vmg, can_merge_left);
	if (!can_merge_left && !can_merge_right)
		return NULL;

	if (can_merge_right) {
		vmg->end = next->vm_end;
		vmg->vma = next;
		vmg->pgoff = next->vm_pgoff - pglen;
	}
	if (can_merge_left) {
		vmg->start = prev->vm_start;
		vmg->vma = prev;
		vmg->pgoff = prev->vm_pgoff;
		/* Next cannot be deleted: only merge with prev. */
		if (can_merge_right && !can_merge_remove_vma(next))
			vmg->end = end;
	}
	vma_expand(vmg);
	return vmg->vma;
}

/*
 * vma_merge_existing_range - [vmg->start, vmg->end) of vmg->vma changes to
 * vmg->flags; absorb it into a compatible neighbour (Linux's rules, including
 * which area survives). NULL if no neighbour can take it.
 */
static struct vm_area_struct *vma_merge_existing_range(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *vma = vmg->vma, *prev = vmg->prev, *next = NULL;
	unsigned long start = vmg->start, end = vmg->end;
	unsigned int shift = vmg->mm->page_shift;
	bool left_side = start == vma->vm_start, right_side = end == vma->vm_end;
	bool merge_left, merge_right = false, merge_both, delete_vma, delete_next;

	if ((vmg->flags & VM_SPECIAL) || (!left_side && !right_side))
		return NULL;
	merge_left = left_side && can_vma_merge_left(vmg);
	if (right_side) {
		next = vmg->next = vma->vm_next;
		merge_right = can_vma_merge_right(vmg, merge_left);
	}
	if (!merge_left && !merge_right)
		return NULL;

	merge_both = merge_left && merge_right;
	delete_vma = left_side && right_side;
	if (delete_vma && !can_merge_remove_vma(vma))
		return NULL;
	delete_next = merge_both;
	if (delete_next && !can_merge_remove_vma(next)) {
		delete_next = false;
		merge_right = false;
		merge_both = false;
	}

	if (merge_both) {
		/*
		 *         |<----->|
		 * |-------*********-------|
		 *   prev     vma     next
		 *  extend   delete  delete
		 */
		dup_anon_vma(prev, next->anon_vma ? next : vma);
		merge_remove_vma(vmg->mm, vma);
		end = next->vm_end;
		merge_remove_vma(vmg->mm, next);
		vma_set_range(prev, prev->vm_start, end, prev->vm_pgoff);
		return prev;
	}
	if (merge_left) {
		/*
		 *         |<----->| OR
		 *         |<--------->|
		 * |-------*************
		 *   prev       vma
		 *  extend shrink/delete
		 */
		dup_anon_vma(prev, vma);
		if (delete_vma)
			merge_remove_vma(vmg->mm, vma);
		else
			vma_set_range(vma, end, vma->vm_end,
				      vma->vm_pgoff + ((end - vma->vm_start) >> shift));
		vma_set_range(prev, prev->vm_start, end, prev->vm_pgoff);
		return prev;
	}
	/*
	 *     |<----->| OR
	 * |<--------->|
	 * *************-------|
	 *      vma       next
	 * shrink/delete extend
	 */
	dup_anon_vma(next, vma);
	if (delete_vma)
		merge_remove_vma(vmg->mm, vma);
	else
		vma_set_range(vma, vma->vm_start, start, vma->vm_pgoff);
	vma_set_range(next, start, next->vm_end,
		      next->vm_pgoff - ((next->vm_start - start) >> shift));
	return next;
}

struct vm_area_struct *vma_modify_flags(struct mm_struct *mm, struct vm_area_struct *prev,
					struct vm_area_struct *vma, unsigned long start,
					unsigned long end, unsigned long new_flags)
{
	struct vma_merge_struct vmg = {
		.mm = mm,
		.prev = prev,
		.vma = vma,
		.start = start,
		.end = end,
		.flags = new_flags,
		.file = vma->vm_file,
		.anon_vma = vma->anon_vma,
		.src = vma,
		.pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> mm->page_shift),
	};
	struct vm_area_struct *merged;
	bool split = false;
	int err;

	merged = vma_merge_existing_range(&vmg);
	if (merged)
		return merged;
	if (vma->vm_start < start) {
		err = split_vma(mm, vma, start, 1);
		if (err)
			return ERR_PTR(err);
		split = true;
	}
	if (vma->vm_end > end) {
		err = split_vma(mm, vma, end, 0);
		if (err) {
			/* Linux keeps the first split: the pieces stay apart. */
			if (split)
				mm->flags |= BIT(MMF_VMA_UNMERGED);
			return ERR_PTR(err);
		}
	}
	return vma;
}

struct vm_area_struct *vma_merge_extend(struct mm_struct *mm, struct vm_area_struct *vma,
					unsigned long delta)
{
	struct vma_merge_struct vmg = {
		.mm = mm,
		.prev = vma,
		.next = vma->vm_next,
		.start = vma->vm_end,
		.end = vma->vm_end + delta,
		.flags = vma->vm_flags,
		.file = vma->vm_file,
		.anon_vma = vma->anon_vma,
		.pgoff = vma->vm_pgoff + vma_pages(vma),
	};

	return vma_merge_new_range(&vmg);
}

struct vm_area_struct *copy_vma(struct vm_area_struct **vmap, unsigned long addr,
				unsigned long len, pgoff_t pgoff)
{
	struct vm_area_struct *vma = *vmap, *new_vma, *prev;
	struct mm_struct *mm = vma->vm_mm;
	unsigned long vma_start = vma->vm_start;
	struct vma_merge_struct vmg = {
		.mm = mm,
		.start = addr,
		.end = addr + len,
		.flags = vma->vm_flags,
		.file = vma->vm_file,
		.anon_vma = vma->anon_vma,
		.src = vma,
	};

	/* An anonymous area never faulted takes offsets from its new place, to merge there. */
	if (vma_is_anonymous(vma) && !vma->anon_vma)
		pgoff = addr >> mm->page_shift;
	vmg.pgoff = pgoff;

	new_vma = find_vma_prev(mm, addr, &prev);
	if (new_vma && new_vma->vm_start < addr + len)
		return NULL;
	vmg.prev = prev;
	vmg.next = new_vma;
	new_vma = vma_merge_new_range(&vmg);
	if (new_vma) {
		/* Only an unfaulted anonymous source can merge with its own copy. */
		if (vma_start >= new_vma->vm_start && vma_start < new_vma->vm_end)
			*vmap = new_vma;
		return new_vma;
	}
	new_vma = vm_area_dup(vma);
	if (!new_vma)
		return NULL;
	new_vma->vm_start = addr;
	new_vma->vm_end = addr + len;
	new_vma->vm_pgoff = pgoff;
	if (anon_vma_clone(new_vma, vma)) {
		vm_area_free(new_vma);
		return NULL;
	}
	if (new_vma->vm_file)
		get_file(new_vma->vm_file);
	if (new_vma->vm_ops && new_vma->vm_ops->open)
		new_vma->vm_ops->open(new_vma);
	vma_link(mm, new_vma);
	return new_vma;
}

/* ---- validation ---- */

static bool vm_bad(struct mm_struct *mm, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool vm_bad(struct mm_struct *mm, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(mm->machine, "validate_mm: %s", msg);
	if (IS_ENABLED_DEBUG_VM)
		fprintf(stderr, "tuxmm: validate_mm: %s\n", msg);
	return false;
}

static inline bool rb_node_black(const struct rb_node *rb)
{
	return !rb || (rb->__rb_parent_color & 1);
}

/* Black height of @rb's subtree, or -1 if a red-black or augment rule is broken. */
static int check_rb_subtree(struct mm_struct *mm, struct rb_node *rb, struct rb_node *parent)
{
	struct vm_area_struct *vma;
	int lh, rh;

	if (!rb)
		return 1;
	vma = rb_entry(rb, struct vm_area_struct, vm_rb);
	if (rb_parent(rb) != parent)
		return vm_bad(mm, "area %#lx has a wrong parent pointer", vma->vm_start), -1;
	if (!rb_node_black(rb) && !(rb_node_black(rb->rb_left) && rb_node_black(rb->rb_right)))
		return vm_bad(mm, "red area %#lx has a red child", vma->vm_start), -1;
	lh = check_rb_subtree(mm, rb->rb_left, rb);
	rh = check_rb_subtree(mm, rb->rb_right, rb);
	if (lh < 0 || rh < 0)
		return -1;
	if (lh != rh)
		return vm_bad(mm, "black heights differ below %#lx", vma->vm_start), -1;
	if (vma->rb_subtree_gap != vma_compute_subtree_gap(vma))
		return vm_bad(mm, "area %#lx: subtree gap %#lx, should be %#lx", vma->vm_start,
			      vma->rb_subtree_gap, vma_compute_subtree_gap(vma)), -1;
	return lh + rb_node_black(rb);
}

bool validate_mm(struct mm_struct *mm)
{
	unsigned long page_mask = mm_page_size(mm) - 1;
	unsigned long total = 0, data = 0, exec = 0, stack = 0, locked = 0;
	struct vm_area_struct *vma, *prev = NULL;
	struct rb_node *rb = rb_first(&mm->mm_rb);
	bool lax = mm_flag(mm, MMF_VMA_UNMERGED);
	int count = 0;

	if (mm->mm_rb.rb_node && !rb_node_black(mm->mm_rb.rb_node))
		return vm_bad(mm, "the root is red");
	if (check_rb_subtree(mm, mm->mm_rb.rb_node, NULL) < 0)
		return false;
	for_each_vma(mm, vma) {
		unsigned long pages;

		if (!rb || rb != &vma->vm_rb)
			return vm_bad(mm, "tree and list disagree at %#lx", vma->vm_start);
		rb = rb_next(rb);
		if (vma->vm_mm != mm)
			return vm_bad(mm, "area %#lx belongs to another mm", vma->vm_start);
		if (vma->vm_prev != prev)
			return vm_bad(mm, "area %#lx has a wrong vm_prev", vma->vm_start);
		if ((vma->vm_start | vma->vm_end) & page_mask)
			return vm_bad(mm, "area %#lx-%#lx is not page-aligned", vma->vm_start,
				      vma->vm_end);
		if (vma->vm_start >= vma->vm_end)
			return vm_bad(mm, "area %#lx-%#lx is empty", vma->vm_start, vma->vm_end);
		if (vma->vm_end > mm->task_size)
			return vm_bad(mm, "area %#lx-%#lx ends above TASK_SIZE", vma->vm_start,
				      vma->vm_end);
		if (prev && prev->vm_end > vma->vm_start)
			return vm_bad(mm, "areas %#lx-%#lx and %#lx-%#lx overlap", prev->vm_start,
				      prev->vm_end, vma->vm_start, vma->vm_end);
		if (!lax && prev && prev->vm_end == vma->vm_start && vma_can_merge_pair(prev, vma))
			return vm_bad(mm, "areas %#lx-%#lx and %#lx-%#lx should have merged",
				      prev->vm_start, prev->vm_end, vma->vm_start, vma->vm_end);
		pages = vma_pages(vma);
		total += pages;
		if (is_exec_mapping(vma->vm_flags))
			exec += pages;
		else if (is_stack_mapping(vma->vm_flags))
			stack += pages;
		else if (is_data_mapping(vma->vm_flags))
			data += pages;
		if (vma->vm_flags & VM_LOCKED)
			locked += pages;
		prev = vma;
		count++;
	}
	if (rb)
		return vm_bad(mm, "the tree has areas the list lacks");
	if (count != mm->map_count)
		return vm_bad(mm, "map_count %d, but %d areas", mm->map_count, count);
	if (mm->highest_vm_end != (prev ? vm_end_gap(prev) : 0))
		return vm_bad(mm, "highest_vm_end %#lx is stale", mm->highest_vm_end);
	if (total != mm->total_vm || data != mm->data_vm || exec != mm->exec_vm ||
	    stack != mm->stack_vm)
		return vm_bad(mm, "total/data/exec/stack_vm %lu/%lu/%lu/%lu, sums %lu/%lu/%lu/%lu",
			      mm->total_vm, mm->data_vm, mm->exec_vm, mm->stack_vm, total, data,
			      exec, stack);
	if (!lax && locked != mm->locked_vm)
		return vm_bad(mm, "locked_vm %lu, areas say %lu", mm->locked_vm, locked);
	return true;
}
