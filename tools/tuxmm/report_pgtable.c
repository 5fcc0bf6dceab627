/*
 * draw_pgtable.c - the page-table tree of a task for chosen addresses, as the slides'
 * Figure 3 draws it: each address split into its index fields, then CR3 -> PGD -> ... ->
 * PTE -> page frame, one box per table with the entries the addresses use. Read from
 * tuxmm_task_pgtable_walk()'s text and tuxmm_frame_info().
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_gen.h"

#define MAX_LEVELS 5

struct walk_step {
	char level[8];
	unsigned long index;
	uint64_t table_pa;	/* the table holding the entry */
	uint64_t val;
	char flags[80];
	int next;		/* 0 not present, 1 a table, 2 a page */
	uint64_t next_pa;
};

struct walk {
	uint64_t addr;
	uint64_t pgd_pa;
	unsigned int nr;
	struct walk_step s[MAX_LEVELS];
	bool mapped;
	uint64_t phys;
	char error[80];
};

/* parse_walk - read tuxmm_task_pgtable_walk()'s lines (see pgtable_walk_show). */
static bool parse_walk(const char *text, struct walk *w)
{
	const char *line = text;
	unsigned long long a, b;

	memset(w, 0, sizeof(*w));
	if (sscanf(line, "walk of %llx (%*[^)]) from the PGD at %llx", &a, &b) != 2)
		return false;
	w->addr = a;
	w->pgd_pa = b;
	while ((line = strchr(line, '\n')) && *++line) {
		struct walk_step *s = &w->s[w->nr];
		unsigned long long ea, v, next;
		const char *arrow;
		int pos = 0;

		if (sscanf(line, " = physical %llx", &a) == 1) {
			w->mapped = true;
			w->phys = a;
			continue;
		}
		if (!strncmp(line, "  = no translation: ", 20)) {
			snprintf(w->error, sizeof(w->error), "%.*s", (int)strcspn(line + 20, "\n"),
				 line + 20);
			continue;
		}
		if (w->nr == MAX_LEVELS ||
		    sscanf(line, " %7[A-Z0-9][%lu] at %llx: %llx%n", s->level, &s->index, &ea, &v,
			   &pos) != 4)
			continue;
		s->val = v;
		s->table_pa = ea - s->index * 8;
		arrow = strstr(line + pos, " -> ");
		snprintf(s->flags, sizeof(s->flags), "%.*s",
			 (int)((arrow && arrow < line + pos + strcspn(line + pos, "\n") ?
				(size_t)(arrow - line - pos) : strcspn(line + pos, "\n"))),
			 line + pos);
		if (arrow && sscanf(arrow, " -> %*s table at %llx", &next) == 1) {
			s->next = 1;
			s->next_pa = next;
		} else if (arrow && sscanf(arrow, " -> %*u KiB page at %llx", &next) == 1) {
			s->next = 2;
			s->next_pa = next;
		}
		w->nr++;
	}
	return true;
}

/* A table drawn once however many addresses go through it, with the rows they use. */
struct ptable {
	uint64_t pa;
	unsigned int col;		/* 0 = PGD */
	unsigned long rows[64];		/* entry indices, sorted */
	uint64_t vals[64];
	char flags[64][80];
	int next[64];
	uint64_t next_pa[64];
	unsigned int nr_rows;
	double x, y, h;
};

struct pframe {
	uint64_t pa;
	uint64_t addr;			/* the first address mapped to it */
	double y;
};

#define TBL_W      280
#define COL_PITCH  330
#define TREE_X     170
#define ROW_H      15
#define HEAD_H     22
#define FRAME_W    260

static struct ptable *find_table(struct ptable *t, size_t n, uint64_t pa)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].pa == pa)
			return &t[i];
	return NULL;
}

static void table_add_row(struct ptable *t, const struct walk_step *s)
{
	unsigned int i;

	for (i = 0; i < t->nr_rows; i++)
		if (t->rows[i] == s->index)
			return;
	if (t->nr_rows == 64)
		return;
	for (i = t->nr_rows; i > 0 && t->rows[i - 1] > s->index; i--) {
		t->rows[i] = t->rows[i - 1];
		t->vals[i] = t->vals[i - 1];
		memcpy(t->flags[i], t->flags[i - 1], sizeof(t->flags[i]));
		t->next[i] = t->next[i - 1];
		t->next_pa[i] = t->next_pa[i - 1];
	}
	t->rows[i] = s->index;
	t->vals[i] = s->val;
	snprintf(t->flags[i], sizeof(t->flags[i]), "%s", s->flags);
	t->next[i] = s->next;
	t->next_pa[i] = s->next_pa;
	t->nr_rows++;
}

static const char *const level_colors[MAX_LEVELS + 1] = {
	"#f6c6c0", "#f9dfb0", "#fdf3b0", "#d3ecc4", "#c7def3", "#e2d3f0",
};

/* fields_row - @addr split into its index fields and offset, widths by bit count. */
static void fields_row(struct sbuf *b, const struct tuxmm_vm_layout *l, uint64_t addr,
		       double y)
{
	double bit = 10.5, x = 190;
	unsigned int top = l->va_bits;
	char s[64];

	snprintf(s, sizeof(s), "0x%016" PRIx64, addr);
	svg_text(b, 8, y + 17, "tx-m", NULL, s);
	for (unsigned int i = 0; i <= l->levels; i++) {
		unsigned int lo = i < l->levels ? l->level[i].shift : 0;
		unsigned int hi = i == 0 ? top : l->level[i - 1].shift;
		uint64_t v = (addr >> lo) & ((1ULL << (hi - lo)) - 1);
		double w = (hi - lo) * bit;
		char label[48];

		svg_rect(b, x, y, w, 24, "tx-box", level_colors[i], NULL);
		if (i < l->levels)
			snprintf(label, sizeof(label), "%s %" PRIu64, l->level[i].name, v);
		else
			snprintf(label, sizeof(label), "offset 0x%" PRIx64, v);
		svg_text(b, x + w / 2, y + 16, "tx-s", "middle", label);
		snprintf(label, sizeof(label), "%u", hi - 1);
		svg_text(b, x + 2, y - 2, "tx-s", NULL, label);
		x += w;
	}
}

int draw_pgtable(struct report_doc *doc, struct machine *m, struct task_struct *t,
		   const uint64_t *addrs_in, unsigned int nr_addrs, const char *prefix, char *err)
{
	struct tuxmm_vm_layout l;
	struct walk *walks = calloc(nr_addrs ? nr_addrs : 1, sizeof(*walks));
	struct ptable *tables = calloc((size_t)(nr_addrs ? nr_addrs : 1) * MAX_LEVELS,
				       sizeof(*tables));
	struct pframe *frames = calloc(nr_addrs ? nr_addrs : 1, sizeof(*frames));
	size_t nr_tables = 0, nr_frames = 0;
	double col_y[MAX_LEVELS + 1] = { 0 }, fy, height, width, tree_y;
	uint64_t *addrs = calloc(nr_addrs ? nr_addrs : 1, sizeof(*addrs));
	int pid = t ? tuxmm_task_pid(t) : 0, ret = 0;
	char id[64], title[160], line[200];
	struct picture *pic;
	struct sbuf *b;

	if (!walks || !tables || !frames || !addrs) {
		ret = -ENOMEM;
		goto out;
	}
	tuxmm_vm_layout(m, &l);
	/* Ascending addresses keep the tree's arrows from crossing. */
	memcpy(addrs, addrs_in, nr_addrs * sizeof(*addrs));
	for (unsigned int i = 1; i < nr_addrs; i++)
		for (unsigned int j = i; j > 0 && addrs[j - 1] > addrs[j]; j--) {
			uint64_t tmp = addrs[j];

			addrs[j] = addrs[j - 1];
			addrs[j - 1] = tmp;
		}
	for (unsigned int i = 0; i < nr_addrs; i++) {
		char *text;

		ret = t ? tuxmm_task_pgtable_walk(t, addrs[i], &text, NULL) :
			  tuxmm_pgtable_walk(m, addrs[i], &text, NULL);
		if (ret)
			goto out;
		if (!parse_walk(text, &walks[i])) {
			free(text);
			snprintf(err, TUXMM_ERRMSG_MAX, "cannot read the walk of %#" PRIx64, addrs[i]);
			ret = -EINVAL;
			goto out_msg;
		}
		free(text);
	}
	/* Tables column by column; frames at the end. */
	for (unsigned int i = 0; i < nr_addrs; i++) {
		struct walk *w = &walks[i];

		for (unsigned int k = 0; k < w->nr; k++) {
			struct ptable *tb = find_table(tables, nr_tables, w->s[k].table_pa);

			if (!tb) {
				tb = &tables[nr_tables++];
				tb->pa = w->s[k].table_pa;
				tb->col = k;
			}
			table_add_row(tb, &w->s[k]);
		}
		if (w->mapped && w->nr && w->s[w->nr - 1].next == 2) {
			uint64_t pa = w->s[w->nr - 1].next_pa;
			size_t f;

			for (f = 0; f < nr_frames && frames[f].pa != pa; f++)
				;
			if (f == nr_frames) {
				frames[nr_frames].pa = pa;
				frames[nr_frames++].addr = w->addr;
			}
		}
	}

	tree_y = 60 + 34.0 * nr_addrs + 30;
	for (unsigned int c = 0; c <= MAX_LEVELS; c++)
		col_y[c] = tree_y;
	for (size_t i = 0; i < nr_tables; i++) {
		struct ptable *tb = &tables[i];

		tb->x = TREE_X + tb->col * COL_PITCH;
		tb->h = HEAD_H + tb->nr_rows * ROW_H + 4;
		tb->y = col_y[tb->col];
		col_y[tb->col] += tb->h + 18;
	}
	fy = tree_y;
	for (size_t f = 0; f < nr_frames; f++) {
		frames[f].y = fy;
		fy += 52;
	}
	height = fy;
	for (unsigned int c = 0; c < MAX_LEVELS; c++)
		height = col_y[c] > height ? col_y[c] : height;
	height += 20;
	width = TREE_X + l.levels * COL_PITCH + FRAME_W + 20;
	if (width < 190 + 64 * 10.5 + 20)
		width = 190 + 64 * 10.5 + 20;

	if (t) {
		snprintf(id, sizeof(id), "%spgtable-pid%d", prefix, pid);
		snprintf(title, sizeof(title), "Page tables of pid %d (%s): %s", pid,
			 tuxmm_task_comm(t), l.name);
	} else {
		snprintf(id, sizeof(id), "%spgtable-kernel", prefix);
		snprintf(title, sizeof(title), "Kernel page tables (swapper_pg_dir): %s", l.name);
	}
	pic = doc_add_picture(doc, id, title);
	if (!pic) {
		ret = -ENOMEM;
		goto out;
	}
	b = &pic->svg;
	svg_open(b, width, height, title);
	svg_text(b, 8, 22, "tx-h", NULL, title);
	svg_text(b, 8, 44, "tx-s", NULL, "each virtual address is cut into table indices "
		 "(bit numbers above) and the offset in the page");
	for (unsigned int i = 0; i < nr_addrs; i++)
		fields_row(b, &l, addrs[i], 62 + 34.0 * i);

	/* CR3 */
	if (nr_addrs) {
		snprintf(line, sizeof(line), "%#" PRIx64, walks[0].pgd_pa);
		svg_rect(b, 10, tree_y, 110, 40, "tx-box", "#eeeeee", "what CR3 holds for this task");
		svg_text(b, 18, tree_y + 15, "tx-s", NULL, t ? "CR3 (mm->pgd)" : "CR3 (init_mm)");
		svg_text(b, 18, tree_y + 31, "tx-ms", NULL, line);
		svg_arrow(b, 120, tree_y + 20, TREE_X - 2, tree_y + HEAD_H / 2.0, "tx-arrow");
	}
	for (size_t i = 0; i < nr_tables; i++) {
		struct ptable *tb = &tables[i];
		const char *lname = tb->col < l.levels ? l.level[tb->col].name : "?";

		svg_rect(b, tb->x, tb->y, TBL_W, tb->h, "tx-box", "#ffffff", NULL);
		svg_rect(b, tb->x, tb->y, TBL_W, HEAD_H, "tx-box", level_colors[tb->col], NULL);
		snprintf(line, sizeof(line), "%s table at %#" PRIx64 " (%lu entries)", lname,
			 tb->pa, tb->col < l.levels ? l.level[tb->col].ptrs : 0UL);
		svg_text(b, tb->x + 6, tb->y + 15, NULL, NULL, line);
		for (unsigned int r = 0; r < tb->nr_rows; r++) {
			double ry = tb->y + HEAD_H + r * ROW_H;
			const char *fill = tb->next[r] ? "#ffffff" : "#f0f0f0";

			svg_rect(b, tb->x + 2, ry + 1, TBL_W - 4, ROW_H - 1, "tx-none", fill,
				 tb->next[r] ? NULL : tb->vals[r] ? "not present: a swap or PROT_NONE "
				 "entry" : "not present: empty entry");
			snprintf(line, sizeof(line), "%5lu  %016" PRIx64 "%s", tb->rows[r],
				 tb->vals[r], tb->next[r] ? tb->flags[r] : tb->vals[r] ?
				 " (swap/none)" : " (empty)");
			svg_text(b, tb->x + 4, ry + 11, "tx-ms", NULL, line);
			if (tb->next[r] == 1) {
				struct ptable *to = find_table(tables, nr_tables, tb->next_pa[r]);

				if (to)
					svg_arrow(b, tb->x + TBL_W, ry + ROW_H / 2.0, to->x - 2,
						  to->y + HEAD_H / 2.0, "tx-arrow");
			} else if (tb->next[r] == 2) {
				for (size_t f = 0; f < nr_frames; f++)
					if (frames[f].pa == tb->next_pa[r])
						svg_arrow(b, tb->x + TBL_W, ry + ROW_H / 2.0,
							  TREE_X + l.levels * COL_PITCH - 2,
							  frames[f].y + 20, "tx-arrow");
			}
		}
	}
	for (size_t f = 0; f < nr_frames; f++) {
		struct tuxmm_frame_info fi;
		double x = TREE_X + l.levels * COL_PITCH;
		unsigned long pfn = (unsigned long)(frames[f].pa / tuxmm_page_size(m));

		svg_rect(b, x, frames[f].y, FRAME_W, 42, "tx-box", "#f4f4f4", NULL);
		snprintf(line, sizeof(line), "page frame %#lx (at %#" PRIx64 ")", pfn, frames[f].pa);
		svg_text(b, x + 6, frames[f].y + 15, NULL, NULL, line);
		if (!tuxmm_frame_info(m, pfn, &fi)) {
			svg_rect(b, x + 6, frames[f].y + 22, 12, 12, "tx-box",
				 frame_kind_color(fi.kind), NULL);
			snprintf(line, sizeof(line), "%s%s%s, mapcount %d, refcount %d",
				 tuxmm_frame_kind_name(fi.kind), fi.name[0] ? " " : "", fi.name,
				 fi.mapcount, fi.refcount);
			svg_text(b, x + 24, frames[f].y + 33, "tx-s", NULL, line);
		}
	}
	svg_close(b);
	for (unsigned int i = 0; i < nr_addrs; i++) {
		const struct walk *w = &walks[i];

		sb_printf(&pic->caption, "%s0x%016" PRIx64 " &rarr; ", i ? "<br>" : "", w->addr);
		if (w->mapped)
			sb_printf(&pic->caption, "physical %#" PRIx64, w->phys);
		else
			sb_esc(&pic->caption, w->error[0] ? w->error : "no translation");
	}
	doc_place(doc);
	ret = pic->svg.oom ? -ENOMEM : 0;
out:
	if (ret)
		snprintf(err, TUXMM_ERRMSG_MAX, "page-table walks: %s", tuxmm_errno_name(ret));
out_msg:
	free(walks);
	free(tables);
	free(frames);
	free(addrs);
	return ret;
}
