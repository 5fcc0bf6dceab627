/*
 * proc.h - the generators behind tuxmm_proc_read(), one per /proc file.
 * Each writes the file's whole text, in Linux's format, into a report.
 */
#ifndef TUXMM_PROC_H
#define TUXMM_PROC_H

struct machine;
struct report;

void meminfo_show(struct machine *m, struct report *r);
void buddyinfo_show(struct machine *m, struct report *r);
void zoneinfo_show(struct machine *m, struct report *r);
void vmstat_show(struct machine *m, struct report *r);
void iomem_show(struct machine *m, struct report *r);

#endif
