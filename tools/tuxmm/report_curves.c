/*
 * draw_curves.c - miss-ratio curves from a sweep: `tuxmm trace --sweep --csv` gives one
 * row per policy and frame count; the picture draws faults / references against frames,
 * one line per policy, and a table of the figures.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_gen.h"

#define CSV_HEADER "policy,frames,references,faults,minor_faults,major_faults,writebacks," \
		   "tlb_hit_rate"
#define MAX_POLICIES 12
#define PLOT_X 80
#define PLOT_Y 50
#define PLOT_W 640
#define PLOT_H 360

struct point {
	unsigned long long frames, refs, faults, writebacks;
};

struct curve {
	char policy[32];
	struct point *pts;
	size_t nr, cap;
};

static const char *const curve_colors[MAX_POLICIES] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
	"#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#000000", "#aec7e8",
};

static void free_curves(struct curve *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(c[i].pts);
}

/* parse_row - one data row; false with a message naming the problem. */
static bool parse_row(char *line, char *policy, size_t plen, struct point *p, char *why,
		      size_t wlen)
{
	char *f[9];
	unsigned int n = 0;
	unsigned long long *dst[] = { &p->frames, &p->refs, &p->faults, NULL, NULL,
				      &p->writebacks };

	for (char *s = line; n < 9;) {
		f[n++] = s;
		s = strchr(s, ',');
		if (!s)
			break;
		*s++ = '\0';
	}
	if (n < 8) {
		snprintf(why, wlen, "expected 8 comma-separated fields, got %u", n);
		return false;
	}
	if (!f[0][0] || strlen(f[0]) >= plen) {
		snprintf(why, wlen, "bad policy name");
		return false;
	}
	snprintf(policy, plen, "%s", f[0]);
	for (unsigned int i = 1; i < 7; i++) {
		unsigned long long v;
		char *end;

		if (!f[i][0] || f[i][0] == '-') {
			snprintf(why, wlen, "field %u is not a whole number", i + 1);
			return false;
		}
		v = strtoull(f[i], &end, 10);
		if (*end) {
			snprintf(why, wlen, "field %u '%.20s' is not a whole number", i + 1, f[i]);
			return false;
		}
		if (dst[i - 1])
			*dst[i - 1] = v;
	}
	if (p->faults > p->refs) {
		snprintf(why, wlen, "more faults than references");
		return false;
	}
	return true;
}

/* read_csv - the curves of @path, in the order policies first appear. */
static int read_csv(const char *path, struct curve *c, size_t *nr, char *err)
{
	FILE *f = fopen(path, "r");
	char line[512], policy[32], why[96];
	unsigned long lineno = 0;
	size_t i;

	*nr = 0;
	if (!f) {
		snprintf(err, TUXMM_ERRMSG_MAX, "%s: %s", path, strerror(errno));
		return -errno;
	}
	while (fgets(line, sizeof(line), f)) {
		struct point p = { 0 };

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (lineno == 1) {
			if (strncmp(line, CSV_HEADER, strlen(CSV_HEADER))) {
				snprintf(err, TUXMM_ERRMSG_MAX, "%s:1: not a `tuxmm trace --sweep "
					 "--csv` file (its header begins " CSV_HEADER ")", path);
				goto bad;
			}
			continue;
		}
		if (!line[0])
			continue;
		if (!parse_row(line, policy, sizeof(policy), &p, why, sizeof(why))) {
			snprintf(err, TUXMM_ERRMSG_MAX, "%s:%lu: %s", path, lineno, why);
			goto bad;
		}
		for (i = 0; i < *nr && strcmp(c[i].policy, policy); i++)
			;
		if (i == *nr) {
			if (*nr == MAX_POLICIES) {
				snprintf(err, TUXMM_ERRMSG_MAX, "%s:%lu: more than %d policies", path,
					 lineno, MAX_POLICIES);
				goto bad;
			}
			memset(&c[i], 0, sizeof(c[i]));
			snprintf(c[i].policy, sizeof(c[i].policy), "%s", policy);
			(*nr)++;
		}
		if (c[i].nr == c[i].cap) {
			size_t cap = c[i].cap ? c[i].cap * 2 : 16;
			struct point *np = realloc(c[i].pts, cap * sizeof(*np));

			if (!np) {
				snprintf(err, TUXMM_ERRMSG_MAX, "out of host memory");
				fclose(f);
				return -ENOMEM;
			}
			c[i].pts = np;
			c[i].cap = cap;
		}
		c[i].pts[c[i].nr++] = p;
	}
	fclose(f);
	if (lineno == 0) {
		snprintf(err, TUXMM_ERRMSG_MAX, "%s: empty file", path);
		return -EINVAL;
	}
	if (*nr == 0) {
		snprintf(err, TUXMM_ERRMSG_MAX, "%s: no rows after the header", path);
		return -EINVAL;
	}
	return 0;
bad:
	fclose(f);
	return -EINVAL;
}

static int point_cmp(const void *a, const void *b)
{
	const struct point *x = a, *y = b;

	return x->frames < y->frames ? -1 : x->frames > y->frames;
}

static double ratio(const struct point *p)
{
	return p->refs ? (double)p->faults / (double)p->refs : 0;
}

/* nice_step - a round tick step giving about @n ticks over @span. */
static double nice_step(double span, int n)
{
	double raw = span / n, p = 1;

	while (p * 10 <= raw)
		p *= 10;
	while (p > raw)
		p /= 10;
	return raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p : 10 * p;
}

int draw_curves(struct report_doc *doc, const char *csv_path, char *err)
{
	struct curve c[MAX_POLICIES];
	size_t nr;
	unsigned long long fmin = ~0ULL, fmax = 0;
	double ymax = 0, xstep, ystep;
	struct picture *pic;
	struct sbuf *b;
	char s[192];
	int ret = read_csv(csv_path, c, &nr, err);

	if (ret)
		return ret;
	for (size_t i = 0; i < nr; i++) {
		qsort(c[i].pts, c[i].nr, sizeof(*c[i].pts), point_cmp);
		for (size_t k = 0; k < c[i].nr; k++) {
			fmin = c[i].pts[k].frames < fmin ? c[i].pts[k].frames : fmin;
			fmax = c[i].pts[k].frames > fmax ? c[i].pts[k].frames : fmax;
			ymax = ratio(&c[i].pts[k]) > ymax ? ratio(&c[i].pts[k]) : ymax;
		}
	}
	if (fmax == fmin)
		fmax = fmin + 1;
	ymax = ymax <= 0 ? 1 : ymax * 1.05 > 1 ? 1 : ymax * 1.05;
	pic = doc_add_picture(doc, "miss-ratio", "Miss-ratio curves");
	if (!pic) {
		free_curves(c, nr);
		snprintf(err, TUXMM_ERRMSG_MAX, "out of host memory");
		return -ENOMEM;
	}
	b = &pic->svg;
	svg_open(b, PLOT_X + PLOT_W + 200, PLOT_Y + PLOT_H + 60, "Miss-ratio curves");
	svg_text(b, 8, 22, "tx-h", NULL, "Miss-ratio curves: faults / references");
	/* axes and grid */
	xstep = nice_step((double)(fmax - fmin), 8);
	for (double x = xstep * (double)(unsigned long long)((double)fmin / xstep + 0.999);
	     x <= (double)fmax; x += xstep) {
		double px = PLOT_X + PLOT_W * (x - (double)fmin) / (double)(fmax - fmin);

		sb_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"tx-grid\"/>\n",
			  px, PLOT_Y, px, PLOT_Y + PLOT_H);
		snprintf(s, sizeof(s), "%.0f", x);
		svg_text(b, px, PLOT_Y + PLOT_H + 16, "tx-s", "middle", s);
	}
	ystep = nice_step(ymax, 5);
	for (double y = 0; y <= ymax + 1e-9; y += ystep) {
		double py = PLOT_Y + PLOT_H - PLOT_H * y / ymax;

		sb_printf(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"tx-grid\"/>\n",
			  PLOT_X, py, PLOT_X + PLOT_W, py);
		snprintf(s, sizeof(s), "%g", y);
		svg_text(b, PLOT_X - 6, py + 4, "tx-s", "end", s);
	}
	sb_printf(b, "<path d=\"M%d,%d L%d,%d L%d,%d\" class=\"tx-axis\" fill=\"none\"/>\n", PLOT_X,
		  PLOT_Y, PLOT_X, PLOT_Y + PLOT_H, PLOT_X + PLOT_W, PLOT_Y + PLOT_H);
	svg_text(b, PLOT_X + PLOT_W / 2.0, PLOT_Y + PLOT_H + 36, NULL, "middle",
		 "frames (resident pages allowed)");
	sb_printf(b, "<text x=\"18\" y=\"%d\" transform=\"rotate(-90 18 %d)\" "
		  "text-anchor=\"middle\">miss ratio</text>\n", PLOT_Y + PLOT_H / 2,
		  PLOT_Y + PLOT_H / 2);
	for (size_t i = 0; i < nr; i++) {
		const char *col = curve_colors[i];

		sb_printf(b, "<polyline class=\"tx-curve\" fill=\"none\" stroke=\"%s\" "
			  "stroke-width=\"2\" points=\"", col);
		for (size_t k = 0; k < c[i].nr; k++)
			sb_printf(b, "%.1f,%.1f ", PLOT_X + PLOT_W * (double)(c[i].pts[k].frames - fmin) /
				  (double)(fmax - fmin), PLOT_Y + PLOT_H - PLOT_H *
				  ratio(&c[i].pts[k]) / ymax);
		sb_puts(b, "\"/>\n");
		for (size_t k = 0; k < c[i].nr; k++) {
			sb_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>",
				  PLOT_X + PLOT_W * (double)(c[i].pts[k].frames - fmin) /
				  (double)(fmax - fmin), PLOT_Y + PLOT_H - PLOT_H *
				  ratio(&c[i].pts[k]) / ymax, col);
			snprintf(s, sizeof(s), "%.31s, %llu frames: %llu faults / %llu references = %.4f",
				 c[i].policy, c[i].pts[k].frames, c[i].pts[k].faults, c[i].pts[k].refs,
				 ratio(&c[i].pts[k]));
			sb_esc(b, s);
			sb_puts(b, "</title></circle>\n");
		}
		sb_printf(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" "
			  "stroke-width=\"3\"/>\n", PLOT_X + PLOT_W + 20, PLOT_Y + 10 + 20.0 * i,
			  PLOT_X + PLOT_W + 44, PLOT_Y + 10 + 20.0 * i, col);
		svg_text(b, PLOT_X + PLOT_W + 50, PLOT_Y + 14 + 20.0 * i, NULL, NULL, c[i].policy);
	}
	svg_close(b);
	/* the figures, policy by policy */
	sb_puts(&pic->caption, "<table class=\"curves\"><tr><th>policy</th><th>frames</th>"
		"<th>references</th><th>faults</th><th>miss ratio</th><th>writebacks</th></tr>\n");
	for (size_t i = 0; i < nr; i++)
		for (size_t k = 0; k < c[i].nr; k++) {
			sb_puts(&pic->caption, "<tr><td>");
			sb_esc(&pic->caption, c[i].policy);
			sb_printf(&pic->caption, "</td><td>%llu</td><td>%llu</td><td>%llu</td>"
				  "<td>%.4f</td><td>%llu</td></tr>\n", c[i].pts[k].frames,
				  c[i].pts[k].refs, c[i].pts[k].faults, ratio(&c[i].pts[k]),
				  c[i].pts[k].writebacks);
		}
	sb_puts(&pic->caption, "</table>\n");
	doc_place(doc);
	free_curves(c, nr);
	if (pic->svg.oom || pic->caption.oom) {
		snprintf(err, TUXMM_ERRMSG_MAX, "out of host memory");
		return -ENOMEM;
	}
	return 0;
}
