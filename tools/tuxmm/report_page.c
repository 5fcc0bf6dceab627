/*
 * report_page.c - put a report together: for each machine its tasks' virtual memory and
 * page tables, physical memory and swap, then the miss-ratio curves; write it as one
 * self-contained HTML page (inline SVG, inline style, no script, nothing fetched) and,
 * if asked, each picture as its own .svg file.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report_gen.h"

#define DEFAULT_TASKS 8

static const char html_head[] =
	"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<meta name=\"generator\" content=\"tuxmm report\">\n<title>";

static const char html_style[] =
	"</title>\n<style>\n"
	"body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:24px;color:#222;"
	"background:#fff;max-width:1800px}\n"
	"h1{font-size:24px}h2{font-size:20px;border-bottom:2px solid #ddd;margin-top:36px}"
	"h3{font-size:16px}\n"
	"figure{margin:16px 0;padding:8px;border:1px solid #ddd;overflow-x:auto}\n"
	"figure svg{max-width:100%;height:auto;display:block}\n"
	"figcaption{font-size:13px;color:#444;margin-top:6px}\n"
	"table{border-collapse:collapse;font-size:12px;margin:6px 0}"
	"td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}\n"
	".sw{display:inline-block;width:10px;height:10px;margin-right:6px;border:1px solid #333}\n"
	"pre{font-size:12px;background:#f7f7f7;padding:6px;overflow-x:auto}\n"
	"nav li{font-size:13px}\n"
	"</style>\n</head>\n<body>\n";

/* machine_summary - a heading and the few figures that frame the pictures. */
static void machine_summary(struct sbuf *h, struct machine *m, unsigned int idx, unsigned int nr)
{
	struct tuxmm_vm_layout l;
	char *meminfo;
	unsigned long long total = 0, free_kb = 0;

	tuxmm_vm_layout(m, &l);
	if (nr > 1)
		sb_printf(h, "<h2 id=\"machine%u\">Machine %u</h2>\n", idx + 1, idx + 1);
	else
		sb_puts(h, "<h2 id=\"machine1\">The machine</h2>\n");
	if (!tuxmm_proc_read(m, "/proc/meminfo", &meminfo, NULL)) {
		const char *p = strstr(meminfo, "MemTotal:");

		if (p)
			sscanf(p, "MemTotal: %llu", &total);
		p = strstr(meminfo, "MemFree:");
		if (p)
			sscanf(p, "MemFree: %llu", &free_kb);
	}
	else
		meminfo = NULL;
	sb_printf(h, "<p>MemTotal %llu kB, MemFree %llu kB; ", total, free_kb);
	sb_esc(h, l.name);
	sb_printf(h, ", %lu KiB pages, %u page-table levels; user space below %#lx.</p>\n",
		  tuxmm_page_size(m) >> 10, l.levels, l.task_size);
	if (meminfo) {
		sb_puts(h, "<details><summary>/proc/meminfo</summary><pre>");
		sb_esc(h, meminfo);
		sb_puts(h, "</pre></details>\n");
		free(meminfo);
	}
}

/* proc_details - a /proc file, folded. */
static void proc_details(struct sbuf *h, struct machine *m, const char *path)
{
	char *text;

	if (tuxmm_proc_read(m, path, &text, NULL))
		return;
	sb_puts(h, "<details><summary>");
	sb_esc(h, path);
	sb_puts(h, "</summary><pre>");
	sb_esc(h, text);
	sb_puts(h, "</pre></details>\n");
	free(text);
}

static int report_task(struct report_doc *doc, struct machine *m, struct task_struct *t,
		       const struct report_opts *opts, const char *prefix, char *err)
{
	uint64_t addrs[REPORT_MAX_ADDRS];
	unsigned int nr_addrs = opts->nr_addrs;
	char path[64];
	int ret;

	sb_printf(&doc->html, "<h3 id=\"%spid%d\">pid %d (", prefix, tuxmm_task_pid(t),
		  tuxmm_task_pid(t));
	sb_esc(&doc->html, tuxmm_task_comm(t));
	sb_puts(&doc->html, ")</h3>\n");
	ret = draw_task_vm(doc, m, t, prefix, err);
	if (ret)
		return ret;
	if (nr_addrs)
		memcpy(addrs, opts->addrs, nr_addrs * sizeof(addrs[0]));
	else {
		struct tuxmm_vm_layout l;

		/* the areas, and one address of the kernel half that every PGD shares */
		nr_addrs = draw_default_addrs(t, addrs, 8);
		tuxmm_vm_layout(m, &l);
		addrs[nr_addrs++] = l.page_offset + tuxmm_page_size(m);
	}
	if (nr_addrs) {
		ret = draw_pgtable(doc, m, t, addrs, nr_addrs, prefix, err);
		if (ret)
			return ret;
	}
	snprintf(path, sizeof(path), "/proc/%d/maps", tuxmm_task_pid(t));
	proc_details(&doc->html, m, path);
	return 0;
}

/* report_tasks - the tasks asked for (all, up to DEFAULT_TASKS, when none were). */
static int report_tasks(struct report_doc *doc, struct machine *m, const struct report_opts *opts,
			const char *prefix, char *err)
{
	struct task_struct *t = NULL;
	unsigned int n = 0, live = 0;
	int ret;

	for (unsigned int i = 0; i < opts->nr_pids; i++) {
		t = tuxmm_find_task(m, opts->pids[i]);
		if (!t) {
			size_t len = (size_t)snprintf(err, TUXMM_ERRMSG_MAX, "pid %d: no such task "
						      "(live:", opts->pids[i]);

			for (t = tuxmm_next_task(m, NULL); t && len < TUXMM_ERRMSG_MAX - 16;
			     t = tuxmm_next_task(m, t))
				len += (size_t)snprintf(err + len, TUXMM_ERRMSG_MAX - len, " %d",
							tuxmm_task_pid(t));
			snprintf(err + len, TUXMM_ERRMSG_MAX - len, "%s)", len && err[len - 1] == ':' ?
				 " none" : "");
			return -ESRCH;
		}
		ret = report_task(doc, m, t, opts, prefix, err);
		if (ret)
			return ret;
	}
	if (opts->nr_pids)
		return 0;
	while ((t = tuxmm_next_task(m, t))) {
		live++;
		if (n == DEFAULT_TASKS)
			continue;
		ret = report_task(doc, m, t, opts, prefix, err);
		if (ret)
			return ret;
		n++;
	}
	if (live > n)
		sb_printf(&doc->html, "<p>%u more tasks not drawn (choose them with --pid).</p>\n",
			  live - n);
	if (!live) {
		struct tuxmm_vm_layout l;
		uint64_t addrs[REPORT_MAX_ADDRS];
		unsigned int nr = opts->nr_addrs;

		sb_puts(&doc->html, "<p>No task is running; the kernel's own page tables:</p>\n");
		tuxmm_vm_layout(m, &l);
		if (nr) {
			memcpy(addrs, opts->addrs, nr * sizeof(addrs[0]));
		} else {
			addrs[nr++] = l.page_offset + tuxmm_page_size(m);
			addrs[nr++] = l.page_offset + (16UL << 20);
			addrs[nr++] = l.vmalloc_start;
		}
		return draw_pgtable(doc, m, NULL, addrs, nr, prefix, err);
	}
	return 0;
}

static int write_file(const char *path, const struct sbuf *parts, size_t nr, char *err)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		int e = errno;

		snprintf(err, TUXMM_ERRMSG_MAX, "%s: %s", path, strerror(e));
		return -e;
	}
	for (size_t i = 0; i < nr; i++)
		if (parts[i].len)
			fwrite(parts[i].s, 1, parts[i].len, f);
	if (ferror(f) | fclose(f)) {
		snprintf(err, TUXMM_ERRMSG_MAX, "%s: write failed", path);
		return -EIO;
	}
	return 0;
}

/* write_html - head, then the body with each picture in a <figure> where it was placed. */
static int write_html(const struct report_doc *doc, const char *title, const char *path,
		      char *err)
{
	struct sbuf out = { 0 };
	size_t at = 0;
	int ret;

	sb_puts(&out, html_head);
	sb_esc(&out, title);
	sb_puts(&out, html_style);
	sb_puts(&out, "<h1>");
	sb_esc(&out, title);
	sb_puts(&out, "</h1>\n<nav><ul>\n");
	for (size_t i = 0; i < doc->nr_pics; i++) {
		sb_printf(&out, "<li><a href=\"#%s\">", doc->pics[i].id);
		sb_esc(&out, doc->pics[i].title);
		sb_puts(&out, "</a></li>\n");
	}
	sb_puts(&out, "</ul></nav>\n");
	for (size_t i = 0; i < doc->nr_pics; i++) {
		const struct picture *p = &doc->pics[i];

		if (!p->placed)
			continue;
		if (p->html_at > at && doc->html.s)
			sb_printf(&out, "%.*s", (int)(p->html_at - at), doc->html.s + at);
		at = p->html_at;
		sb_printf(&out, "<figure id=\"%s\">\n", p->id);
		if (p->svg.s)
			sb_puts(&out, p->svg.s);
		sb_puts(&out, "<figcaption><b>");
		sb_esc(&out, p->title);
		sb_puts(&out, ".</b> ");
		if (p->caption.s)
			sb_puts(&out, p->caption.s);
		sb_puts(&out, "</figcaption>\n</figure>\n");
	}
	if (doc->html.s && doc->html.len > at)
		sb_puts(&out, doc->html.s + at);
	sb_puts(&out, "<p><small>Drawn by tuxmm ");
	sb_esc(&out, tuxmm_version());
	sb_puts(&out, " from the machine's /proc files and page tables.</small></p>\n"
		"</body>\n</html>\n");
	if (out.oom) {
		sb_free(&out);
		snprintf(err, TUXMM_ERRMSG_MAX, "out of host memory");
		return -ENOMEM;
	}
	ret = write_file(path, &out, 1, err);
	sb_free(&out);
	return ret;
}

static int write_svgs(const struct report_doc *doc, const char *dir, char *err)
{
	struct sbuf decl = { 0 };
	int ret = 0;

	if (mkdir(dir, 0777) && errno != EEXIST) {
		int e = errno;

		snprintf(err, TUXMM_ERRMSG_MAX, "%s: %s", dir, strerror(e));
		return -e;
	}
	sb_puts(&decl, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	for (size_t i = 0; i < doc->nr_pics && !ret; i++) {
		struct sbuf parts[2] = { decl, doc->pics[i].svg };
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s.svg", dir, doc->pics[i].id);
		ret = write_file(path, parts, 2, err);
	}
	sb_free(&decl);
	return ret;
}

int draw_report(struct machine *const *machines, unsigned int nr,
		 const struct report_opts *opts, const char *html_path, const char *svg_dir,
		 char *err)
{
	struct report_doc doc = { 0 };
	const char *title = opts->title ? opts->title : "tuxmm report";
	int ret = 0;

	for (unsigned int i = 0; i < nr && !ret; i++) {
		struct machine *m = machines[i];
		char prefix[16] = "";

		if (nr > 1)
			snprintf(prefix, sizeof(prefix), "m%u-", i + 1);
		machine_summary(&doc.html, m, i, nr);
		sb_puts(&doc.html, "<h2>Tasks: virtual memory and page tables</h2>\n");
		ret = report_tasks(&doc, m, opts, prefix, err);
		if (ret)
			break;
		sb_puts(&doc.html, "<h2>Physical memory</h2>\n");
		ret = draw_phys(&doc, m, prefix, err);
		if (ret)
			break;
		proc_details(&doc.html, m, "/proc/buddyinfo");
		proc_details(&doc.html, m, "/proc/zoneinfo");
		sb_puts(&doc.html, "<h2>Swap</h2>\n");
		ret = draw_swap(&doc, m, prefix, err);
	}
	if (!ret && opts->curves_csv) {
		sb_puts(&doc.html, "<h2>Page replacement: miss-ratio curves</h2>\n");
		ret = draw_curves(&doc, opts->curves_csv, err);
	}
	if (!ret && (doc.oom || doc.html.oom)) {
		snprintf(err, TUXMM_ERRMSG_MAX, "out of host memory");
		ret = -ENOMEM;
	}
	if (!ret && html_path)
		ret = write_html(&doc, title, html_path, err);
	if (!ret && svg_dir)
		ret = write_svgs(&doc, svg_dir, err);
	doc_free(&doc);
	return ret;
}
