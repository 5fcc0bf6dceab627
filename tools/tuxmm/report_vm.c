/*
 * report_vm.c - the picture of a task's virtual memory, as the slides' Figure 2 draws it:
 * the address space from the top (the kernel half, protected) down, each area a box with
 * its permissions, backing and resident share, and beside it the task_struct -> mm_struct
 * -> vm_area_struct chain. Read from /proc/PID/smaps, /proc/PID/status and pagemap.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_gen.h"

/* One line of /proc/PID/smaps with the fields the picture shows. */
struct area {
	uint64_t start, end;
	char perms[5];
	unsigned long inode;
	char name[200];
	uint64_t rss_kb, swap_kb, anon_kb;
	char vmflags[96];
};

#define VM_WIDTH   980
#define ADDR_X     8		/* address labels */
#define COL_X      150		/* the address-space column */
#define COL_W      330
#define STRUCT_X   590		/* the vm_area_struct column */
#define STRUCT_W   250
#define STRUCT_H   60
#define BREAK_H    24		/* an unmapped gap */
#define STRIP_CELLS 64		/* residency cells per area */

/* is_area_line - an smaps line that opens an area: "start-end perms ...", hex digits first. */
static bool is_area_line(const char *line)
{
	size_t tok = strcspn(line, " ");

	return tok > 2 && strspn(line, "0123456789abcdef-") == tok && strchr(line, '-');
}

/* read_areas - @t's areas from smaps, lowest first; NULL with *@nr 0 when it has none. */
static struct area *read_areas(struct machine *m, int pid, size_t *nr, int *err)
{
	char path[64], *text, *line, *save = NULL;
	struct area *a = NULL, *cur = NULL;
	size_t n = 0, cap = 0, len;
	int ret;

	*nr = 0;
	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	ret = tuxmm_proc_read(m, path, &text, &len);
	if (ret) {
		*err = ret;
		return NULL;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long s, e, kb;
		int pos = 0;

		if (is_area_line(line) && sscanf(line, "%llx-%llx ", &s, &e) == 2) {
			char perms[5] = "";
			unsigned long inode = 0;

			pos = 0;
			if (sscanf(line, "%*x-%*x %4s %*x %*s %lu %n", perms, &inode, &pos) < 2)
				continue;
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 16;
				struct area *na = realloc(a, nc * sizeof(*na));

				if (!na) {
					free(a);
					free(text);
					*err = -ENOMEM;
					return NULL;
				}
				a = na;
				cap = nc;
			}
			cur = &a[n++];
			memset(cur, 0, sizeof(*cur));
			cur->start = s;
			cur->end = e;
			cur->inode = inode;
			memcpy(cur->perms, perms, sizeof(cur->perms));
			snprintf(cur->name, sizeof(cur->name), "%s", pos ? line + pos : "");
			continue;
		}
		if (!cur)
			continue;
		if (sscanf(line, "Rss: %llu kB", &kb) == 1)
			cur->rss_kb = kb;
		else if (sscanf(line, "Swap: %llu kB", &kb) == 1)
			cur->swap_kb = kb;
		else if (sscanf(line, "Anonymous: %llu kB", &kb) == 1)
			cur->anon_kb = kb;
		else if (!strncmp(line, "VmFlags:", 8))
			snprintf(cur->vmflags, sizeof(cur->vmflags), "%s", line + 9);
	}
	free(text);
	*nr = n;
	*err = 0;
	return a;
}

/* status_kb - a "Name:   123 kB" field of /proc/PID/status, or 0. */
static unsigned long long status_kb(const char *status, const char *field)
{
	const char *p = strstr(status, field);
	unsigned long long v = 0;

	if (p)
		sscanf(p + strlen(field), ": %llu", &v);
	return v;
}

static const char *area_kind(const struct area *a)
{
	if (!strcmp(a->name, "[stack]"))
		return "stack";
	if (!strcmp(a->name, "[heap]"))
		return "heap";
	if (a->name[0] == '[')
		return "special";
	if (!strcmp(a->perms, "---p") || !strcmp(a->perms, "---s"))
		return "guard";
	if (a->inode || a->name[0] == '/')
		return "file";
	return "anon";
}

static const char *area_color(const char *kind)
{
	if (!strcmp(kind, "stack"))
		return "#ffd699";
	if (!strcmp(kind, "heap"))
		return "#b9e4b0";
	if (!strcmp(kind, "special"))
		return "#dcc6ec";
	if (!strcmp(kind, "guard"))
		return "#eeeeee";
	if (!strcmp(kind, "file"))
		return "#b8d4f0";
	return "#f5b8b3";
}

static const char *area_label(const struct area *a)
{
	const char *slash;

	if (!a->name[0])
		return "anonymous";
	slash = strrchr(a->name, '/');
	return slash && slash[1] ? slash + 1 : a->name;
}

static double area_height(const struct area *a, unsigned long page)
{
	double pages = (double)((a->end - a->start) / page);
	double h = 46 + 5 * log2(pages < 1 ? 1 : pages);

	return h > 100 ? 100 : h;
}

static void addr_label(struct sbuf *b, double y, uint64_t addr)
{
	char s[24];

	snprintf(s, sizeof(s), "%016" PRIx64, addr);
	svg_text(b, ADDR_X, y, "tx-ms", NULL, s);
}

/* unmapped_break - a zig-zag gap of @bytes between two areas, at @y. */
static void unmapped_break(struct sbuf *b, double y, uint64_t bytes, const char *what)
{
	char size[32], msg[96];

	sb_printf(b, "<path d=\"M%d,%.1f", COL_X, y + 4);
	for (int x = COL_X; x < COL_X + COL_W; x += 10)
		sb_printf(b, " L%d,%.1f L%d,%.1f", x + 5, y + 8, x + 10, y + 4);
	sb_printf(b, "\" class=\"tx-thin\" fill=\"none\"/>\n<path d=\"M%d,%.1f", COL_X,
		  y + BREAK_H - 8);
	for (int x = COL_X; x < COL_X + COL_W; x += 10)
		sb_printf(b, " L%d,%.1f L%d,%.1f", x + 5, y + BREAK_H - 4, x + 10, y + BREAK_H - 8);
	sb_puts(b, "\" class=\"tx-thin\" fill=\"none\"/>\n");
	snprintf(msg, sizeof(msg), "%s %s", what, fmt_size(size, sizeof(size), bytes));
	svg_text(b, COL_X + COL_W / 2.0, y + BREAK_H / 2.0 + 4, "tx-s", "middle", msg);
}

/*
 * residency_strip - one cell per slice of the area: dark where its pages are resident,
 * purple where they are in swap, white where neither (from pagemap bits 63 and 62).
 */
static void residency_strip(struct sbuf *b, struct task_struct *t, const struct area *a,
			    unsigned long page, double x, double y, double w)
{
	uint64_t pages = (a->end - a->start) / page;
	unsigned int cells = pages < STRIP_CELLS ? (unsigned int)pages : STRIP_CELLS;
	double cw = w / cells;
	uint64_t pm[256];

	svg_rect(b, x, y, w, 8, "tx-thin", "#ffffff", NULL);
	for (unsigned int c = 0; c < cells; c++) {
		uint64_t first = c * pages / cells, last = (c + 1) * pages / cells;
		uint64_t n = last - first, step = n > 256 ? n / 256 : 1, present = 0, swapped = 0;
		uint64_t seen = 0;

		for (uint64_t p = first; p < last; p += step * 256) {
			uint64_t want = (last - p) / step < 256 ? (last - p + step - 1) / step : 256;
			long got;

			if (step == 1) {
				got = tuxmm_read_pagemap(t, a->start + p * page, pm, want);
			} else {
				got = 0;
				for (uint64_t i = 0; i < want; i++)
					got += tuxmm_read_pagemap(t, a->start + (p + i * step) * page,
								  &pm[i], 1) == 1;
			}
			for (long i = 0; i < got; i++) {
				present += pm[i] >> 63 & 1;
				swapped += pm[i] >> 62 & 1;
			}
			seen += got > 0 ? (uint64_t)got : 0;
			if (got <= 0)
				break;
		}
		if (!seen || (!present && !swapped))
			continue;
		sb_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"8\" fill=\"%s\" "
			  "fill-opacity=\"%.2f\" class=\"tx-none\"/>\n", x + c * cw, y, cw,
			  present >= swapped ? "#2c3e50" : "#8e44ad",
			  0.35 + 0.65 * (double)(present > swapped ? present : swapped) / seen);
	}
}

/* area_box - one area: its box, labels and residency strip; returns its bottom. */
static void area_box(struct sbuf *b, struct task_struct *t, const struct area *a,
		     unsigned long page, double y, double h)
{
	const char *kind = area_kind(a);
	uint64_t size = a->end - a->start;
	char sz[32], rss[32], sw[32], line[320], title[400];
	unsigned int pct = size ? (unsigned int)(a->rss_kb * 1024 * 100 / size) : 0;

	snprintf(title, sizeof(title), "%" PRIx64 "-%" PRIx64 " %s %s (%s)", a->start, a->end,
		 a->perms, a->name[0] ? a->name : "anonymous", kind);
	svg_rect(b, COL_X, y, COL_W, h, "tx-box", area_color(kind), title);
	snprintf(line, sizeof(line), "%s", area_label(a));
	if (strlen(line) > 34)
		strcpy(line + 31, "...");
	svg_text(b, COL_X + 8, y + 15, NULL, NULL, line);
	svg_text(b, COL_X + COL_W - 8, y + 15, "tx-m", "end", a->perms);
	snprintf(line, sizeof(line), "%s, resident %s (%u%%)%s%s", fmt_size(sz, sizeof(sz), size),
		 fmt_size(rss, sizeof(rss), a->rss_kb * 1024), pct, a->swap_kb ? ", swap " : "",
		 a->swap_kb ? fmt_size(sw, sizeof(sw), a->swap_kb * 1024) : "");
	svg_text(b, COL_X + 8, y + 29, "tx-s", NULL, line);
	residency_strip(b, t, a, page, COL_X + 8, y + h - 12, COL_W - 16);
}

/* kernel_box - the kernel half at the top: protected, with what lives there. */
static double kernel_box(struct sbuf *b, const struct tuxmm_vm_layout *l,
			 const struct area *a, size_t nr, uint64_t kstart, double y)
{
	char line[200], s1[32];
	double h = 78;
	size_t nr_kernel_areas = 0;

	for (size_t i = 0; i < nr; i++)
		nr_kernel_areas += a[i].start >= l->task_size;
	h += 13.0 * (double)nr_kernel_areas;
	svg_rect(b, COL_X, y, COL_W, h, "tx-box", "url(#tx-hatch)",
		 "the kernel half: mapped in every task, but its pages lack _PAGE_USER");
	svg_text(b, COL_X + 8, y + 16, "tx-h", NULL, "kernel memory");
	svg_text(b, COL_X + 8, y + 31, "tx-s", NULL,
		 "protected: a user-mode access gets SIGSEGV");
	snprintf(line, sizeof(line), "direct map %#lx (%s)", l->page_offset,
		 fmt_size(s1, sizeof(s1), l->direct_map_bytes));
	svg_text(b, COL_X + 8, y + 47, "tx-ms", NULL, line);
	snprintf(line, sizeof(line), "vmalloc %#lx-%#lx", l->vmalloc_start, l->vmalloc_end);
	svg_text(b, COL_X + 8, y + 60, "tx-ms", NULL, line);
	h = 73;
	for (size_t i = 0; i < nr; i++) {
		if (a[i].start < l->task_size)
			continue;
		snprintf(line, sizeof(line), "%s %" PRIx64 " %s (user-visible)", area_label(&a[i]),
			 a[i].start, a[i].perms);
		svg_text(b, COL_X + 8, y + h, "tx-ms", NULL, line);
		h += 13;
	}
	addr_label(b, y + 10, l->va_bits >= 64 || kstart >= 0x100000000ULL ?
		   UINT64_MAX : 0xffffffffULL);
	addr_label(b, y + h + 2, kstart);
	return h + 5;
}

/* struct_box - one vm_area_struct of the chain, at @y; its vertical centre is returned. */
static void struct_box(struct sbuf *b, const struct area *a, double y)
{
	char line[160];

	svg_rect(b, STRUCT_X, y, STRUCT_W, STRUCT_H, "tx-box", "#fdfdf0", NULL);
	svg_text(b, STRUCT_X + 6, y + 13, "tx-s", NULL, "vm_area_struct");
	snprintf(line, sizeof(line), "vm_start 0x%016" PRIx64, a->start);
	svg_text(b, STRUCT_X + 6, y + 26, "tx-ms", NULL, line);
	snprintf(line, sizeof(line), "vm_end   0x%016" PRIx64, a->end);
	svg_text(b, STRUCT_X + 6, y + 38, "tx-ms", NULL, line);
	snprintf(line, sizeof(line), "vm_flags %s", a->vmflags);
	if (strlen(line) > 40)
		strcpy(line + 37, "...");
	svg_text(b, STRUCT_X + 6, y + 51, "tx-ms", NULL, line);
}

int draw_task_vm(struct report_doc *doc, struct machine *m, struct task_struct *t,
		   const char *prefix, char *err)
{
	int pid = tuxmm_task_pid(t), ret;
	unsigned long page = tuxmm_page_size(m);
	struct tuxmm_vm_layout l;
	struct area *a;
	size_t nr, nr_user = 0;
	char id[64], title[160], path[64], *status = NULL, line[200], s1[32], s2[32];
	double y, *area_y, *area_h, sy, height;
	uint64_t kstart, prev;
	struct picture *pic;
	struct sbuf body = { 0 };

	tuxmm_vm_layout(m, &l);
	a = read_areas(m, pid, &nr, &ret);
	if (ret) {
		snprintf(err, TUXMM_ERRMSG_MAX, "/proc/%d/smaps: %s", pid, tuxmm_errno_name(ret));
		return ret;
	}
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (tuxmm_proc_read(m, path, &status, NULL))
		status = NULL;
	for (size_t i = 0; i < nr; i++)
		nr_user += a[i].start < l.task_size;
	area_y = calloc(nr + 1, sizeof(double));
	area_h = calloc(nr + 1, sizeof(double));
	if (!area_y || !area_h) {
		free(area_y);
		free(area_h);
		free(a);
		free(status);
		snprintf(err, TUXMM_ERRMSG_MAX, "out of host memory");
		return -ENOMEM;
	}
	/* 64-bit: the kernel half starts at the sign-extended top; 32-bit: at PAGE_OFFSET. */
	if (l.task_size >= 0x100000000ULL) {
		uint64_t half = 1;

		while (half < l.task_size)
			half <<= 1;
		kstart = -half;
	} else {
		kstart = l.page_offset;
	}

	y = 50;
	y += kernel_box(&body, &l, a, nr, kstart, y);
	if (kstart > l.task_size) {
		unmapped_break(&body, y, kstart - l.task_size, "non-canonical hole:");
		y += BREAK_H;
	}
	snprintf(line, sizeof(line), "TASK_SIZE");
	sb_printf(&body, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"tx-hi\"/>\n",
		  COL_X - 6, y, COL_X + COL_W + 6, y);
	svg_text(&body, COL_X + COL_W + 10, y + 4, "tx-s", NULL, line);
	addr_label(&body, y + 4, l.task_size);
	y += 6;
	prev = l.task_size;
	for (size_t k = nr_user; k-- > 0;) {
		if (a[k].end < prev) {
			unmapped_break(&body, y, prev - a[k].end, "unmapped:");
			y += BREAK_H;
			addr_label(&body, y + 10, a[k].end);
		}
		area_h[k] = area_height(&a[k], page);
		area_y[k] = y;
		area_box(&body, t, &a[k], page, y, area_h[k]);
		addr_label(&body, y + area_h[k] - 2, a[k].start);
		y += area_h[k];
		prev = a[k].start;
	}
	if (prev > 0) {
		unmapped_break(&body, y, prev, "unmapped:");
		y += BREAK_H;
		addr_label(&body, y + 4, 0);
	}

	/* The chain: vm_area_structs beside their areas, lowest address first, as mm->mmap. */
	sy = 44;
	for (size_t k = nr_user; k-- > 0;) {
		double want = area_y[k] + area_h[k] / 2 - STRUCT_H / 2.0;
		double at = want > sy ? want : sy;

		struct_box(&body, &a[k], at);
		sb_printf(&body, "<path d=\"M%d,%.1f L%d,%.1f\" class=\"tx-link\"/>\n", STRUCT_X,
			  at + STRUCT_H / 2.0, COL_X + COL_W, area_y[k] + area_h[k] / 2);
		if (k + 1 < nr_user) {	/* vm_next of this one is the area above */
			svg_arrow(&body, STRUCT_X + 30, at, STRUCT_X + 30,
				  area_y[k + 1] + STRUCT_H + 1, "tx-arrow");
			svg_text(&body, STRUCT_X + 36, at - 3, "tx-s", NULL, "vm_next");
		}
		area_y[k] = at;		/* from here on: the top of area k's struct box */
		sy = at + STRUCT_H + 14;
	}
	/* mm_struct and task_struct under the chain */
	sy += 10;
	if (y > sy)
		sy = y - 100 > sy ? y - 100 : sy;
	svg_rect(&body, STRUCT_X, sy, STRUCT_W, 50, "tx-box", "#eef4fb", NULL);
	svg_text(&body, STRUCT_X + 6, sy + 13, "tx-s", NULL, "mm_struct");
	snprintf(line, sizeof(line), "map_count %zu  VmSize %s", nr_user,
		 fmt_size(s1, sizeof(s1), status ? status_kb(status, "VmSize") * 1024 : 0));
	svg_text(&body, STRUCT_X + 6, sy + 27, "tx-ms", NULL, line);
	snprintf(line, sizeof(line), "VmRSS %s  VmPTE %s",
		 fmt_size(s1, sizeof(s1), status ? status_kb(status, "VmRSS") * 1024 : 0),
		 fmt_size(s2, sizeof(s2), status ? status_kb(status, "VmPTE") * 1024 : 0));
	svg_text(&body, STRUCT_X + 6, sy + 40, "tx-ms", NULL, line);
	if (nr_user) {
		svg_arrow(&body, STRUCT_X + 120, sy, STRUCT_X + 120, area_y[0] + STRUCT_H, "tx-arrow");
		svg_text(&body, STRUCT_X + 126, sy - 4, "tx-s", NULL, "mmap");
	}
	svg_rect(&body, STRUCT_X, sy + 70, STRUCT_W, 36, "tx-box", "#eef4fb", NULL);
	svg_text(&body, STRUCT_X + 6, sy + 83, "tx-s", NULL, "task_struct");
	snprintf(line, sizeof(line), "pid %d  comm \"%s\"", pid, tuxmm_task_comm(t));
	svg_text(&body, STRUCT_X + 6, sy + 98, "tx-ms", NULL, line);
	svg_arrow(&body, STRUCT_X + 60, sy + 70, STRUCT_X + 60, sy + 50, "tx-arrow");
	svg_text(&body, STRUCT_X + 66, sy + 64, "tx-s", NULL, "mm");
	height = (sy + 120 > y + 20 ? sy + 120 : y + 20);

	snprintf(id, sizeof(id), "%svm-pid%d", prefix, pid);
	snprintf(title, sizeof(title), "Virtual memory of pid %d (%s)", pid, tuxmm_task_comm(t));
	pic = doc_add_picture(doc, id, title);
	if (pic) {
		svg_open(&pic->svg, VM_WIDTH, height, title);
		svg_text(&pic->svg, 8, 22, "tx-h", NULL, title);
		svg_text(&pic->svg, COL_X, 40, "tx-s", NULL,
			 "areas from the top of the address space down; the strip: resident pages");
		if (!body.oom && body.s)
			sb_puts(&pic->svg, body.s);
		svg_close(&pic->svg);
		sb_printf(&pic->caption, "%zu areas; %s resident, %s in swap (from "
			  "/proc/%d/smaps and pagemap). Hover an area for its maps line.",
			  nr_user, fmt_size(s1, sizeof(s1), status ? status_kb(status, "VmRSS") * 1024 : 0),
			  fmt_size(s2, sizeof(s2), status ? status_kb(status, "VmSwap") * 1024 : 0), pid);
		doc_place(doc);
	}
	ret = body.oom || !pic ? -ENOMEM : 0;
	if (ret)
		snprintf(err, TUXMM_ERRMSG_MAX, "out of host memory");
	sb_free(&body);
	free(area_y);
	free(area_h);
	free(a);
	free(status);
	return ret;
}

unsigned int draw_default_addrs(struct task_struct *t, uint64_t *addrs, unsigned int max)
{
	struct machine *m = tuxmm_task_machine(t);
	unsigned long page = tuxmm_page_size(m);
	struct tuxmm_vm_layout l;
	unsigned int n = 0;
	struct area *a;
	size_t nr;
	int err;

	tuxmm_vm_layout(m, &l);
	a = read_areas(m, tuxmm_task_pid(t), &nr, &err);
	for (size_t i = 0; i < nr && n < max; i++) {
		uint64_t addr = a[i].start, pm[64];
		uint64_t pages = (a[i].end - a[i].start) / page;
		long got;

		if (a[i].start >= l.task_size)
			continue;
		got = tuxmm_read_pagemap(t, a[i].start, pm, pages < 64 ? pages : 64);
		for (long k = 0; k < got; k++) {
			if (pm[k] >> 63 & 1) {
				addr = a[i].start + (uint64_t)k * page;
				break;
			}
		}
		addrs[n++] = addr;
	}
	free(a);
	return n;
}
