/*
 * list.h - intrusive doubly linked lists, the shape Linux's <linux/list.h> has.
 * Nodes live inside the objects they link (struct page, kmem_cache, ...), so
 * a list costs no allocation. An empty list points at itself.
 */
#ifndef TUXMM_LIST_H
#define TUXMM_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list;
	list->prev = list;
}

static inline void __list_add(struct list_head *item, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = item;
	item->next = next;
	item->prev = prev;
	prev->next = item;
}

/* list_add - insert @item right after @head (stack order). */
static inline void list_add(struct list_head *item, struct list_head *head)
{
	__list_add(item, head, head->next);
}

/* list_add_tail - insert @item right before @head (queue order). */
static inline void list_add_tail(struct list_head *item, struct list_head *head)
{
	__list_add(item, head->prev, head);
}

static inline void list_del(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	entry->next = NULL;
	entry->prev = NULL;
}

static inline void list_del_init(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	INIT_LIST_HEAD(entry);
}

static inline void list_move(struct list_head *entry, struct list_head *head)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	list_add(entry, head);
}

static inline void list_move_tail(struct list_head *entry, struct list_head *head)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	list_add_tail(entry, head);
}

static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(head, type, member) list_entry((head)->next, type, member)
#define list_last_entry(head, type, member) list_entry((head)->prev, type, member)

#define list_for_each(pos, head) for (pos = (head)->next; pos != (head); pos = pos->next)

#define list_for_each_entry(pos, head, member)                                      \
	for (pos = list_entry((head)->next, __typeof__(*pos), member);              \
	     &pos->member != (head);                                                \
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))

#define list_for_each_entry_reverse(pos, head, member)                              \
	for (pos = list_entry((head)->prev, __typeof__(*pos), member);              \
	     &pos->member != (head);                                                \
	     pos = list_entry(pos->member.prev, __typeof__(*pos), member))

#define list_for_each_entry_safe(pos, n, head, member)                              \
	for (pos = list_entry((head)->next, __typeof__(*pos), member),              \
	     n = list_entry(pos->member.next, __typeof__(*pos), member);            \
	     &pos->member != (head);                                                \
	     pos = n, n = list_entry(n->member.next, __typeof__(*n), member))

#endif
