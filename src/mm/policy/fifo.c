/*
 * fifo.c - first in, first out: the page loaded longest ago leaves first, however
 * often it is used. The textbook policy (and Belady's anomaly).
 * Keeps: the queue holds exactly the loaded frames, in load order (policy.c's queue).
 */
#include "policy.h"

const struct page_policy_ops fifo_policy = {
	.name		= "fifo",
	.summary	= "first in, first out: the page loaded longest ago",
	.init		= queue_policy_init,
	.destroy	= queue_policy_destroy,
	.page_loaded	= queue_policy_page_loaded,
	.page_removed	= queue_policy_page_removed,
	.select_victim	= queue_policy_select_first,
};
