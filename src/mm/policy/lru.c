/*
 * lru.c - exact least recently used: every reference moves its page to the newest
 * end of the queue, the oldest end leaves. A stack algorithm: more frames never fault
 * more. Keeps: the queue (policy.c's) holds exactly the loaded frames, least recently
 * used first.
 */
#include "policy.h"

const struct page_policy_ops lru_policy = {
	.name		= "lru",
	.summary	= "exact least recently used",
	.init		= queue_policy_init,
	.destroy	= queue_policy_destroy,
	.page_loaded	= queue_policy_page_loaded,
	.page_referenced = queue_policy_page_to_back,
	.page_removed	= queue_policy_page_removed,
	.select_victim	= queue_policy_select_first,
};
