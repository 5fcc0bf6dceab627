/*
 * draw_phys.c - pictures of physical memory and swap: a frame map per zone (one cell per
 * frame, or per 2^k frames on a big machine; runs of one owner drawn as one box) with the
 * buddy allocator's free blocks outlined, free blocks by order, what owns the frames, and
 * each swap area's slot map. Read from /proc/zoneinfo, /proc/buddyinfo, /proc/swaps,
 * tuxmm_frame_info() and tuxmm_swap_slots().
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_gen.h"

#define MAP_CELLS   4096	/* at most this many cells for all of RAM */
#define ROW_CELLS   64
#define CELL        11
#define GRID_X      96
#define CHART_X     (GRID_X + ROW_CELLS * CELL + 40)
#define PHYS_WIDTH  (CHART_X + 360)
#define MAX_ZONES   8
#define MAX_ORDERS  16
#define MAX_OUTLINES 3000

struct zone_desc {
	char name[16];
	unsigned long start, spanned, present, managed, free;
	unsigned long wmin, wlow, whigh;
	unsigned long blocks[MAX_ORDERS];
};

/* An owner of frames for the table under the picture: a kind and a name. */
struct owner {
	int kind;
	char name[TUXMM_NAME_MAX];
	unsigned long frames;
};

struct phys_scan {
	unsigned long per_cell;		/* frames per cell, a power of two */
	unsigned long nr_cells;		/* cells over [0, max_pfn) */
	uint32_t (*cell)[TUXMM_FRAME_NR_KINDS];	/* frames of each kind per cell */
	unsigned long totals[TUXMM_FRAME_NR_KINDS];
	struct owner *owners;
	size_t nr_owners, cap_owners;
	unsigned long (*outline)[2];	/* free blocks worth outlining: head, order */
	size_t nr_outlines;
};

/* read_zones - the zones of /proc/zoneinfo with their buddyinfo columns (*@nr_orders of them). */
static unsigned int read_zones(struct machine *m, struct zone_desc *z, unsigned int *nr_orders)
{
	char *text, *line, *save = NULL;
	unsigned int n = 0;
	struct zone_desc *cur = NULL;

	if (tuxmm_proc_read(m, "/proc/zoneinfo", &text, NULL))
		return 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[16];

		if (sscanf(line, "Node %*d, zone %15s", name) == 1) {
			cur = n < MAX_ZONES ? &z[n++] : NULL;
			if (cur) {
				memset(cur, 0, sizeof(*cur));
				memcpy(cur->name, name, sizeof(name));
			}
			continue;
		}
		if (!cur)
			continue;
		sscanf(line, " pages free %lu", &cur->free);
		sscanf(line, " min %lu", &cur->wmin);
		sscanf(line, " low %lu", &cur->wlow);
		sscanf(line, " high %lu", &cur->whigh);
		sscanf(line, " spanned %lu", &cur->spanned);
		sscanf(line, " present %lu", &cur->present);
		sscanf(line, " managed %lu", &cur->managed);
		sscanf(line, " start_pfn: %lu", &cur->start);
	}
	free(text);
	if (!tuxmm_proc_read(m, "/proc/buddyinfo", &text, NULL)) {
		save = NULL;
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char name[16], *p;
			int pos = 0;

			if (sscanf(line, "Node %*d, zone %15s%n", name, &pos) != 1)
				continue;
			for (unsigned int i = 0; i < n; i++) {
				if (strcmp(z[i].name, name))
					continue;
				p = line + pos;
				for (unsigned int o = 0; o < MAX_ORDERS; o++) {
					char *end;

					z[i].blocks[o] = strtoul(p, &end, 10);
					if (end == p)
						break;
					p = end;
					if (o + 1 > *nr_orders)
						*nr_orders = o + 1;
				}
			}
		}
		free(text);
	}
	return n;
}

static void add_owner(struct phys_scan *ps, int kind, const char *name, unsigned long frames)
{
	size_t i;

	for (i = 0; i < ps->nr_owners; i++)
		if (ps->owners[i].kind == kind && !strcmp(ps->owners[i].name, name))
			break;
	if (i == ps->nr_owners) {
		if (ps->nr_owners == ps->cap_owners) {
			size_t cap = ps->cap_owners ? ps->cap_owners * 2 : 32;
			struct owner *o = realloc(ps->owners, cap * sizeof(*o));

			if (!o)
				return;
			ps->owners = o;
			ps->cap_owners = cap;
		}
		ps->owners[i].kind = kind;
		snprintf(ps->owners[i].name, sizeof(ps->owners[i].name), "%s", name);
		ps->owners[i].frames = 0;
		ps->nr_owners++;
	}
	ps->owners[i].frames += frames;
}

static void count_frames(struct phys_scan *ps, unsigned long pfn, unsigned long n, int kind)
{
	while (n) {
		unsigned long c = pfn / ps->per_cell;
		unsigned long in_cell = (c + 1) * ps->per_cell - pfn;
		unsigned long k = in_cell < n ? in_cell : n;

		ps->cell[c][kind] += (uint32_t)k;
		pfn += k;
		n -= k;
	}
}

/* scan_frames - classify every frame once; a free block is taken whole. */
static int scan_frames(struct machine *m, struct phys_scan *ps)
{
	unsigned long max_pfn = tuxmm_max_pfn(m), pfn = 0;
	unsigned int cell_order = 0;

	ps->per_cell = 1;
	while (max_pfn / ps->per_cell > MAP_CELLS) {
		ps->per_cell <<= 1;
		cell_order++;
	}
	ps->nr_cells = (max_pfn + ps->per_cell - 1) / ps->per_cell;
	ps->cell = calloc(ps->nr_cells, sizeof(*ps->cell));
	ps->outline = calloc(MAX_OUTLINES, sizeof(*ps->outline));
	if (!ps->cell || !ps->outline)
		return -ENOMEM;
	while (pfn < max_pfn) {
		struct tuxmm_frame_info fi;
		unsigned long n = 1;

		if (tuxmm_frame_info(m, pfn, &fi))
			break;
		if (fi.kind == TUXMM_FRAME_FREE) {
			n = (fi.head_pfn + (1UL << fi.order)) - pfn;
			if (fi.head_pfn == pfn && fi.order > cell_order &&
			    ps->nr_outlines < MAX_OUTLINES) {
				ps->outline[ps->nr_outlines][0] = pfn;
				ps->outline[ps->nr_outlines++][1] = fi.order;
			}
		}
		if (pfn + n > max_pfn)
			n = max_pfn - pfn;
		count_frames(ps, pfn, n, fi.kind);
		ps->totals[fi.kind] += n;
		if (fi.kind != TUXMM_FRAME_FREE && fi.kind != TUXMM_FRAME_HOLE)
			add_owner(ps, fi.kind, fi.name, n);
		pfn += n;
	}
	return 0;
}

static int cell_kind(const struct phys_scan *ps, unsigned long c, bool *pure)
{
	int best = 0;
	unsigned int nonzero = 0;

	for (int k = 0; k < TUXMM_FRAME_NR_KINDS; k++) {
		nonzero += ps->cell[c][k] != 0;
		if (ps->cell[c][k] > ps->cell[c][best])
			best = k;
	}
	*pure = nonzero <= 1;
	return best;
}

static void cell_title(const struct phys_scan *ps, unsigned long c, char *buf, size_t n)
{
	size_t len = (size_t)snprintf(buf, n, "pfn %#lx-%#lx:", c * ps->per_cell,
				      (c + 1) * ps->per_cell - 1);

	for (int k = 0; k < TUXMM_FRAME_NR_KINDS && len < n; k++)
		if (ps->cell[c][k])
			len += (size_t)snprintf(buf + len, n - len, " %u %s", ps->cell[c][k],
						tuxmm_frame_kind_name(k));
}

/* zone_grid - the zone's cells from @y; runs of pure cells of one kind are one box. */
static double zone_grid(struct sbuf *b, const struct phys_scan *ps, const struct zone_desc *z,
			double y)
{
	unsigned long first = z->start / ps->per_cell;
	unsigned long last = (z->start + z->spanned - 1) / ps->per_cell;
	unsigned long row0 = first / ROW_CELLS, row1 = last / ROW_CELLS;
	unsigned long page_rows = row1 - row0 + 1;
	char title[200];

	for (unsigned long r = row0; r <= row1; r++) {
		double ry = y + (double)(r - row0) * CELL;
		unsigned long c = r * ROW_CELLS > first ? r * ROW_CELLS : first;
		unsigned long end = (r + 1) * ROW_CELLS - 1 < last ? (r + 1) * ROW_CELLS - 1 : last;

		if (r == row0 || (r - row0) % 8 == 0) {
			snprintf(title, sizeof(title), "%#lx", r * ROW_CELLS * ps->per_cell);
			svg_text(b, GRID_X - 6, ry + 9, "tx-ms", "end", title);
		}
		while (c <= end) {
			bool pure;
			int kind = cell_kind(ps, c, &pure);
			unsigned long run = 1;
			double x = GRID_X + (double)(c % ROW_CELLS) * CELL;

			if (pure) {
				bool p2;

				while (c + run <= end && cell_kind(ps, c + run, &p2) == kind && p2)
					run++;
				snprintf(title, sizeof(title), "pfn %#lx-%#lx: %s",
					 c * ps->per_cell, (c + run) * ps->per_cell - 1,
					 tuxmm_frame_kind_name(kind));
			} else {
				cell_title(ps, c, title, sizeof(title));
			}
			svg_rect(b, x, ry, (double)run * CELL, CELL, "tx-thin",
				 kind == TUXMM_FRAME_HOLE ? "url(#tx-hatch)" : frame_kind_color(kind),
				 title);
			c += run;
		}
	}
	/* Free blocks of the buddy allocator, outlined. */
	for (size_t i = 0; i < ps->nr_outlines; i++) {
		unsigned long head = ps->outline[i][0], order = ps->outline[i][1];
		unsigned long c0 = head / ps->per_cell, nc = (1UL << order) / ps->per_cell;

		if (c0 < first || c0 > last)
			continue;
		snprintf(title, sizeof(title), "free block of order %lu at pfn %#lx (%lu frames)",
			 order, head, 1UL << order);
		if (nc <= ROW_CELLS) {
			svg_rect(b, GRID_X + (double)(c0 % ROW_CELLS) * CELL + 1,
				 y + (double)(c0 / ROW_CELLS - row0) * CELL + 1, (double)nc * CELL - 2,
				 CELL - 2, "tx-free", NULL, title);
		} else {
			svg_rect(b, GRID_X + 1, y + (double)(c0 / ROW_CELLS - row0) * CELL + 1,
				 ROW_CELLS * CELL - 2, (double)(nc / ROW_CELLS) * CELL - 2, "tx-free",
				 NULL, title);
		}
	}
	return (double)page_rows * CELL;
}

/* order_chart - free blocks by order, beside the grid. */
static double order_chart(struct sbuf *b, const struct zone_desc *z, unsigned int nr_orders,
			  unsigned long page, double y)
{
	unsigned long most = 1;
	char line[96], s1[32], s2[32];

	svg_text(b, CHART_X, y + 10, "tx-s", NULL, "free blocks by order (/proc/buddyinfo)");
	for (unsigned int o = 0; o < nr_orders; o++)
		most = z->blocks[o] > most ? z->blocks[o] : most;
	for (unsigned int o = 0; o < nr_orders; o++) {
		double ry = y + 18 + o * 16.0;
		double w = 150.0 * (double)z->blocks[o] / (double)most;

		snprintf(line, sizeof(line), "%2u %s", o, fmt_size(s1, sizeof(s1), page << o));
		svg_text(b, CHART_X, ry + 10, "tx-ms", NULL, line);
		svg_rect(b, CHART_X + 80, ry + 1, 150, 12, "tx-thin", "#f7f7f7", NULL);
		if (z->blocks[o])
			svg_rect(b, CHART_X + 80, ry + 1, w < 1 ? 1 : w, 12, "tx-none",
				 frame_kind_color(TUXMM_FRAME_FREE), NULL);
		snprintf(line, sizeof(line), "%lu (%s)", z->blocks[o],
			 fmt_size(s2, sizeof(s2), z->blocks[o] * (page << o)));
		svg_text(b, CHART_X + 236, ry + 10, "tx-s", NULL, line);
	}
	return 18 + nr_orders * 16.0;
}

static int owner_cmp(const void *a, const void *b)
{
	const struct owner *x = a, *y = b;

	return x->frames < y->frames ? 1 : x->frames > y->frames ? -1 :
	       x->kind - y->kind;
}

static void owner_table(struct sbuf *h, struct phys_scan *ps, unsigned long page)
{
	char s1[32];

	qsort(ps->owners, ps->nr_owners, sizeof(*ps->owners), owner_cmp);
	sb_puts(h, "<table class=\"owners\"><tr><th>owner</th><th>name</th><th>frames</th>"
		"<th>size</th></tr>\n");
	for (size_t i = 0; i < ps->nr_owners && i < 24; i++) {
		const struct owner *o = &ps->owners[i];

		sb_printf(h, "<tr><td><span class=\"sw\" style=\"background:%s\"></span>%s</td><td>",
			  frame_kind_color(o->kind), tuxmm_frame_kind_name(o->kind));
		sb_esc(h, o->name);
		sb_printf(h, "</td><td>%lu</td><td>%s</td></tr>\n", o->frames,
			  fmt_size(s1, sizeof(s1), (uint64_t)o->frames * page));
	}
	sb_puts(h, "</table>\n");
}

int draw_phys(struct report_doc *doc, struct machine *m, const char *prefix, char *err)
{
	struct zone_desc zones[MAX_ZONES];
	unsigned int nr_orders = 0, nr_zones = read_zones(m, zones, &nr_orders);
	unsigned long page = tuxmm_page_size(m);
	struct phys_scan ps = { 0 };
	struct sbuf body = { 0 };
	struct picture *pic;
	char id[64], line[240], s1[32], s2[32], s3[32];
	double y = 104, height;
	int ret;

	ret = scan_frames(m, &ps);
	if (ret)
		goto out;
	for (unsigned int i = 0; i < nr_zones; i++) {
		const struct zone_desc *z = &zones[i];
		double gh, ch;

		if (!z->spanned)
			continue;
		snprintf(line, sizeof(line), "zone %.15s: pfn %#lx-%#lx, %.31s present, %.31s managed, "
			 "%.31s free (watermarks min %lu, low %lu, high %lu pages)", z->name, z->start,
			 z->start + z->spanned - 1, fmt_size(s1, sizeof(s1), z->present * page),
			 fmt_size(s2, sizeof(s2), z->managed * page),
			 fmt_size(s3, sizeof(s3), z->free * page), z->wmin, z->wlow, z->whigh);
		svg_text(&body, 8, y, NULL, NULL, line);
		y += 10;
		gh = zone_grid(&body, &ps, z, y);
		ch = order_chart(&body, z, nr_orders, page, y);
		y += (gh > ch ? gh : ch) + 34;
	}
	height = y;

	snprintf(id, sizeof(id), "%sphysical", prefix);
	pic = doc_add_picture(doc, id, "Physical memory by zone");
	if (!pic) {
		ret = -ENOMEM;
		goto out;
	}
	svg_open(&pic->svg, PHYS_WIDTH, height, "Physical memory by zone");
	svg_text(&pic->svg, 8, 22, "tx-h", NULL, "Physical memory by zone");
	snprintf(line, sizeof(line), "one cell per %lu frame%s (%s); green outlines: free "
		 "blocks of the buddy allocator", ps.per_cell, ps.per_cell > 1 ? "s" : "",
		 fmt_size(s1, sizeof(s1), ps.per_cell * page));
	svg_text(&pic->svg, 8, 40, "tx-s", NULL, line);
	/* legend: two rows of five kinds */
	for (int k = 0, x = 8; k < TUXMM_FRAME_NR_KINDS; k++) {
		double ly = k < 5 ? 50 : 68;

		if (k == 5)
			x = 8;
		snprintf(line, sizeof(line), "%s %s", tuxmm_frame_kind_name(k),
			 fmt_size(s1, sizeof(s1), (uint64_t)ps.totals[k] * page));
		svg_rect(&pic->svg, x, ly, 12, 12, "tx-box",
			 k == TUXMM_FRAME_HOLE ? "url(#tx-hatch)" : frame_kind_color(k), NULL);
		svg_text(&pic->svg, x + 16, ly + 10, "tx-s", NULL, line);
		x += 150;
	}
	if (body.s)
		sb_puts(&pic->svg, body.s);
	svg_close(&pic->svg);
	sb_puts(&pic->caption, "What owns the frames (tuxmm_frame_info), largest first:\n");
	owner_table(&pic->caption, &ps, page);
	doc_place(doc);
	ret = pic->svg.oom || body.oom ? -ENOMEM : 0;
out:
	if (ret)
		snprintf(err, TUXMM_ERRMSG_MAX, "physical memory picture: %s", tuxmm_errno_name(ret));
	sb_free(&body);
	free(ps.cell);
	free(ps.outline);
	free(ps.owners);
	return ret;
}

/* ---- swap ---- */

#define SWAP_CELLS 2048

static const char *slot_color(unsigned char v)
{
	if (v == 0x3f)
		return "#8d8d8d";	/* the header or a bad block */
	if (v & 0x40)
		return "#f5a623";	/* in the swap cache */
	if (!v)
		return "#f4f4f4";
	return v == 1 ? "#b07cc6" : "#6a3d9a";
}

/* swap_area_map - one area's slot map from @y; returns its height. */
static double swap_area_map(struct sbuf *b, struct machine *m, unsigned int type,
			    const struct tuxmm_swap_area_info *si, double y)
{
	unsigned long per = 1, cells;
	unsigned char *map = malloc(si->nr_slots ? si->nr_slots : 1);
	char line[300], s1[32], s2[32];
	long got;

	if (!map)
		return 0;
	got = tuxmm_swap_slots(m, type, 0, map, si->nr_slots);
	if (got < 0)
		got = 0;
	while (si->nr_slots / per > SWAP_CELLS)
		per <<= 1;
	cells = (si->nr_slots + per - 1) / per;
	snprintf(line, sizeof(line), "area %u: %s, %s, %s used (%lu of %lu slots), priority %d%s",
		 type, si->path ? si->path : "?", fmt_size(s1, sizeof(s1), si->nr_usable *
		 tuxmm_page_size(m)), fmt_size(s2, sizeof(s2), si->nr_inuse * tuxmm_page_size(m)),
		 si->nr_inuse, si->nr_usable, si->prio, si->writeok ? "" : " (not writable)");
	svg_text(b, 8, y + 10, NULL, NULL, line);
	for (unsigned long c = 0; c < cells; c++) {
		unsigned long s0 = c * per, s1e = s0 + per > (unsigned long)got ? (unsigned long)got :
						  s0 + per;
		unsigned char v = 0;
		unsigned long used = 0;

		bool cache = false, bad = false;
		unsigned char most = 0;

		/* A cell shows its busiest slot; the title says how many are used. */
		for (unsigned long s = s0; s < s1e; s++) {
			if (map[s] == 0x3f) {
				bad = true;
				continue;
			}
			used += map[s] != 0;
			cache |= map[s] & 0x40;
			if ((map[s] & 0x3f) > most)
				most = map[s] & 0x3f;
		}
		v = cache ? 0x41 : most ? most : bad ? 0x3f : 0;
		snprintf(line, sizeof(line), "slots %lu-%lu: %lu in use", s0, s1e ? s1e - 1 : 0, used);
		svg_rect(b, GRID_X + (double)(c % ROW_CELLS) * CELL,
			 y + 18 + (double)(c / ROW_CELLS) * CELL, CELL, CELL, "tx-thin",
			 slot_color(v), line);
	}
	free(map);
	return 18 + (double)((cells + ROW_CELLS - 1) / ROW_CELLS) * CELL + 20;
}

int draw_swap(struct report_doc *doc, struct machine *m, const char *prefix, char *err)
{
	struct tuxmm_swap_area_info si;
	struct sbuf body = { 0 };
	struct picture *pic;
	unsigned int nr = 0;
	double y = 72;
	char id[64];
	char *text;
	int ret;

	for (unsigned int type = 0; type < 32; type++) {
		if (tuxmm_swap_area(m, type, &si))
			continue;
		y += swap_area_map(&body, m, type, &si, y);
		nr++;
	}
	if (!nr) {
		svg_text(&body, 8, y + 12, NULL, NULL,
			 "no swap area is on (tuxmm mkswap FILE SIZE, then swapon)");
		y += 30;
	}
	snprintf(id, sizeof(id), "%sswap", prefix);
	pic = doc_add_picture(doc, id, "Swap areas");
	if (!pic) {
		sb_free(&body);
		snprintf(err, TUXMM_ERRMSG_MAX, "out of host memory");
		return -ENOMEM;
	}
	svg_open(&pic->svg, PHYS_WIDTH, y, "Swap areas");
	svg_text(&pic->svg, 8, 22, "tx-h", NULL, "Swap areas");
	svg_text(&pic->svg, 8, 40, "tx-s", NULL, "one cell per slot or group of slots:");
	{
		static const struct {
			unsigned char v;
			const char *what;
		} legend[] = { { 0, "free" }, { 1, "one user" }, { 2, "shared" },
			       { 0x41, "in swap cache" }, { 0x3f, "header / bad" } };

		for (size_t i = 0, x = 8; i < sizeof(legend) / sizeof(legend[0]); i++) {
			svg_rect(&pic->svg, (double)x, 48, 12, 12, "tx-box", slot_color(legend[i].v),
				 NULL);
			svg_text(&pic->svg, (double)x + 16, 58, "tx-s", NULL, legend[i].what);
			x += 40 + 6 * strlen(legend[i].what);
		}
	}
	if (body.s)
		sb_puts(&pic->svg, body.s);
	svg_close(&pic->svg);
	if (!tuxmm_proc_read(m, "/proc/swaps", &text, NULL)) {
		sb_puts(&pic->caption, "<pre>");
		sb_esc(&pic->caption, text);
		sb_puts(&pic->caption, "</pre>");
		free(text);
	}
	doc_place(doc);
	ret = pic->svg.oom || body.oom ? -ENOMEM : 0;
	if (ret)
		snprintf(err, TUXMM_ERRMSG_MAX, "out of host memory");
	sb_free(&body);
	return ret;
}
