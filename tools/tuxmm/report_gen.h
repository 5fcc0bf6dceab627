/*
 * report_gen.h - `tuxmm report` and Lua's m:report{}: pictures of a live machine as
 * self-contained HTML and SVG (docs/report.md). Shared by tools/tuxmm/report_*.c,
 * cmd_report.c and lua/lua_report.c. Presentation only: the machine is read through the
 * public API (its /proc texts, page-table walks, pagemap, tuxmm_frame_info).
 */
#ifndef TUXMM_REPORT_GEN_H
#define TUXMM_REPORT_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tuxmm/tuxmm.h>

#define REPORT_MAX_PIDS  64
#define REPORT_MAX_ADDRS 64

/* What to draw. Zeroed means: every task (at most 8), default addresses, no curves. */
struct report_opts {
	int pids[REPORT_MAX_PIDS];
	unsigned int nr_pids;
	uint64_t addrs[REPORT_MAX_ADDRS];
	unsigned int nr_addrs;
	const char *curves_csv;		/* `tuxmm trace --sweep --csv` output, or NULL */
	const char *title;		/* NULL: "tuxmm report" */
};

/* A growing string of host memory; after an allocation failure it stays short and oom is set. */
struct sbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_puts(struct sbuf *b, const char *s);
/* sb_esc - @s escaped for HTML/XML text and attribute values (& < > " '). */
void sb_esc(struct sbuf *b, const char *s);
void sb_free(struct sbuf *b);

/* One picture: an SVG document (without the XML declaration) and where it goes. */
struct picture {
	char id[64];		/* file name without .svg, and the HTML anchor */
	char title[160];
	struct sbuf svg;
	struct sbuf caption;	/* HTML shown under it (already escaped) */
	size_t html_at;		/* where in the body it is shown (doc_place) */
	bool placed;
};

/* A report being built: pictures in order, plus HTML sections between them. */
struct report_doc {
	struct picture *pics;
	size_t nr_pics, cap_pics;
	struct sbuf html;	/* the body, without the pictures (they go at their html_at) */
	bool oom;
};

/* doc_add_picture - a new empty picture with @id; NULL when out of host memory. */
struct picture *doc_add_picture(struct report_doc *doc, const char *id, const char *title);
/* doc_place - put the last added picture into the body here. */
void doc_place(struct report_doc *doc);
void doc_free(struct report_doc *doc);

/* SVG building blocks */
void svg_open(struct sbuf *b, double width, double height, const char *label);
void svg_close(struct sbuf *b);
void svg_text(struct sbuf *b, double x, double y, const char *cls, const char *anchor,
	      const char *text);
/* svg_rect - a rectangle; @title (may be NULL) becomes its tooltip. */
void svg_rect(struct sbuf *b, double x, double y, double w, double h, const char *cls,
	      const char *fill, const char *title);
void svg_arrow(struct sbuf *b, double x1, double y1, double x2, double y2, const char *cls);
/* fmt_size - "12 kB", "4 MiB", "1.5 GiB" for @bytes. */
const char *fmt_size(char *buf, size_t n, uint64_t bytes);

/* The colours of what owns a frame, by TUXMM_FRAME_* kind. */
const char *frame_kind_color(int kind);

/*
 * The pictures. Each adds one or more pictures and HTML to @doc; 0, or -errno with a
 * message in @err (TUXMM_ERRMSG_MAX bytes).
 */
int draw_task_vm(struct report_doc *doc, struct machine *m, struct task_struct *t,
		   const char *prefix, char *err);
int draw_pgtable(struct report_doc *doc, struct machine *m, struct task_struct *t,
		   const uint64_t *addrs, unsigned int nr_addrs, const char *prefix, char *err);
int draw_phys(struct report_doc *doc, struct machine *m, const char *prefix, char *err);
int draw_swap(struct report_doc *doc, struct machine *m, const char *prefix, char *err);
int draw_curves(struct report_doc *doc, const char *csv_path, char *err);

/* draw_default_addrs - the addresses worth walking in @t: the first resident page of
 * each area (its start when none is), at most @max. Returns how many. */
unsigned int draw_default_addrs(struct task_struct *t, uint64_t *addrs, unsigned int max);

/*
 * draw_report - draw @nr machines as asked by @opts into HTML file @html_path (NULL: none)
 * and, if @svg_dir is given, one .svg file per picture there (created if missing).
 * 0, or -errno with a message in @err.
 */
int draw_report(struct machine *const *machines, unsigned int nr,
		 const struct report_opts *opts, const char *html_path, const char *svg_dir,
		 char *err);

#endif
