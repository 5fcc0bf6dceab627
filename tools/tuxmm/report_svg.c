/*
 * report_svg.c - the building blocks of tuxmm's pictures: a growing string, HTML/XML
 * escaping, SVG shapes with one shared style sheet, and the report document's pictures.
 * Keeps: every text put into a picture passes through sb_esc().
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_gen.h"

static bool sb_reserve(struct sbuf *b, size_t more)
{
	size_t cap;
	char *s;

	if (b->oom)
		return false;
	if (b->len + more + 1 <= b->cap)
		return true;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more + 1)
		cap *= 2;
	s = realloc(b->s, cap);
	if (!s) {
		b->oom = true;
		return false;
	}
	b->s = s;
	b->cap = cap;
	return true;
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !sb_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void sb_puts(struct sbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (!sb_reserve(b, n))
		return;
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

void sb_esc(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			sb_puts(b, "&amp;");
			break;
		case '<':
			sb_puts(b, "&lt;");
			break;
		case '>':
			sb_puts(b, "&gt;");
			break;
		case '"':
			sb_puts(b, "&quot;");
			break;
		case '\'':
			sb_puts(b, "&#39;");
			break;
		default:
			/* Control bytes are not allowed in XML 1.0: show them as '?'. */
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				sb_puts(b, "?");
			else if (sb_reserve(b, 1)) {
				b->s[b->len++] = *s;
				b->s[b->len] = '\0';
			}
		}
	}
}

void sb_free(struct sbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

const char *fmt_size(char *buf, size_t n, uint64_t bytes)
{
	static const char *const unit[] = { "kB", "MiB", "GiB", "TiB" };
	double v = (double)bytes / 1024;
	unsigned int u = 0;

	if (bytes < 1024) {
		snprintf(buf, n, "%llu B", (unsigned long long)bytes);
		return buf;
	}
	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	if (v == (double)(uint64_t)v)
		snprintf(buf, n, "%llu %s", (unsigned long long)v, unit[u]);
	else
		snprintf(buf, n, "%.1f %s", v, unit[u]);
	return buf;
}

const char *frame_kind_color(int kind)
{
	static const char *const colors[TUXMM_FRAME_NR_KINDS] = {
		[TUXMM_FRAME_HOLE] = "#ffffff",	[TUXMM_FRAME_RESERVED] = "#8d8d8d",
		[TUXMM_FRAME_FREE] = "#d8efd3",	[TUXMM_FRAME_PCP] = "#a9dba0",
		[TUXMM_FRAME_PGTABLE] = "#f5a623", [TUXMM_FRAME_SLAB] = "#b07cc6",
		[TUXMM_FRAME_VMALLOC] = "#3fc1c9", [TUXMM_FRAME_ANON] = "#e0645c",
		[TUXMM_FRAME_FILE] = "#5b9bd5",	[TUXMM_FRAME_KERNEL] = "#9c7a5b",
	};

	return kind >= 0 && kind < TUXMM_FRAME_NR_KINDS ? colors[kind] : "#000000";
}

/* One style sheet in every picture, so that each .svg file stands alone. */
static const char svg_style[] =
	"<style>"
	"text{font-family:'DejaVu Sans',Verdana,sans-serif;font-size:12px;fill:#222}"
	".tx-h{font-size:15px;font-weight:bold}"
	".tx-s{font-size:10px}"
	".tx-m{font-family:'DejaVu Sans Mono',monospace;font-size:11px}"
	".tx-ms{font-family:'DejaVu Sans Mono',monospace;font-size:10px}"
	".tx-w{fill:#fff}"
	".tx-box{stroke:#333;stroke-width:1}"
	".tx-thin{stroke:#999;stroke-width:0.5}"
	".tx-none{stroke:none}"
	".tx-hi{stroke:#c0392b;stroke-width:2}"
	".tx-free{fill:none;stroke:#2e7d32;stroke-width:1.5}"
	".tx-arrow{stroke:#333;stroke-width:1.2;fill:none;marker-end:url(#tx-ah)}"
	".tx-link{stroke:#999;stroke-width:0.8;stroke-dasharray:3 2;fill:none}"
	".tx-grid{stroke:#ddd;stroke-width:1}"
	".tx-axis{stroke:#333;stroke-width:1}"
	"</style>";

void svg_open(struct sbuf *b, double width, double height, const char *label)
{
	sb_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		  "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", width, height, width,
		  height);
	sb_esc(b, label);
	sb_printf(b, "\">%s<defs>"
		  "<marker id=\"tx-ah\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
		  "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
		  "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333\"/></marker>"
		  "<pattern id=\"tx-hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
		  "patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#e6e6e6\"/>"
		  "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#b5b5b5\" stroke-width=\"3\"/>"
		  "</pattern></defs>"
		  "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n", svg_style);
}

void svg_close(struct sbuf *b)
{
	sb_puts(b, "</svg>\n");
}

void svg_text(struct sbuf *b, double x, double y, const char *cls, const char *anchor,
	      const char *text)
{
	sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\"", x, y);
	if (cls)
		sb_printf(b, " class=\"%s\"", cls);
	if (anchor)
		sb_printf(b, " text-anchor=\"%s\"", anchor);
	sb_puts(b, ">");
	sb_esc(b, text);
	sb_puts(b, "</text>\n");
}

void svg_rect(struct sbuf *b, double x, double y, double w, double h, const char *cls,
	      const char *fill, const char *title)
{
	sb_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"", x, y, w, h);
	if (cls)
		sb_printf(b, " class=\"%s\"", cls);
	if (fill)
		sb_printf(b, " fill=\"%s\"", fill);
	if (!title) {
		sb_puts(b, "/>\n");
		return;
	}
	sb_puts(b, "><title>");
	sb_esc(b, title);
	sb_puts(b, "</title></rect>\n");
}

void svg_arrow(struct sbuf *b, double x1, double y1, double x2, double y2, const char *cls)
{
	double mx = (x1 + x2) / 2;

	/* A horizontal S-curve reads best between columns of boxes. */
	sb_printf(b, "<path d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f\" class=\"%s\"/>\n", x1,
		  y1, mx, y1, mx, y2, x2, y2, cls ? cls : "tx-arrow");
}

/* ---- the document ---- */

struct picture *doc_add_picture(struct report_doc *doc, const char *id, const char *title)
{
	struct picture *p;

	if (doc->nr_pics == doc->cap_pics) {
		size_t cap = doc->cap_pics ? doc->cap_pics * 2 : 8;
		struct picture *n = realloc(doc->pics, cap * sizeof(*n));

		if (!n) {
			doc->oom = true;
			return NULL;
		}
		doc->pics = n;
		doc->cap_pics = cap;
	}
	p = &doc->pics[doc->nr_pics++];
	memset(p, 0, sizeof(*p));
	snprintf(p->id, sizeof(p->id), "%s", id);
	snprintf(p->title, sizeof(p->title), "%s", title);
	return p;
}

void doc_place(struct report_doc *doc)
{
	struct picture *p;

	if (!doc->nr_pics)
		return;
	/* Pictures stay apart from the body (for --svg): remember where this one goes. */
	p = &doc->pics[doc->nr_pics - 1];
	p->html_at = doc->html.len;
	p->placed = true;
}

void doc_free(struct report_doc *doc)
{
	for (size_t i = 0; i < doc->nr_pics; i++) {
		sb_free(&doc->pics[i].svg);
		sb_free(&doc->pics[i].caption);
	}
	free(doc->pics);
	sb_free(&doc->html);
	memset(doc, 0, sizeof(*doc));
}
