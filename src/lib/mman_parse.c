/*
 * mman_parse.c - the memory system calls' flags as front ends spell them:
 * Linux's names in lower case without their prefix, joined by commas
 * ("private,anonymous,fixed"), and protections as "rwx" strings ("r-x", "---").
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <tuxmm/tuxmm.h>

struct flag_name {
	const char *name;
	int value;
};

static const struct flag_name mmap_names[] = {
	{ "shared", TUXMM_MAP_SHARED },
	{ "private", TUXMM_MAP_PRIVATE },
	{ "shared_validate", TUXMM_MAP_SHARED_VALIDATE },
	{ "droppable", TUXMM_MAP_DROPPABLE },
	{ "fixed", TUXMM_MAP_FIXED },
	{ "anonymous", TUXMM_MAP_ANONYMOUS },
	{ "anon", TUXMM_MAP_ANONYMOUS },
	{ "32bit", TUXMM_MAP_32BIT },
	{ "growsdown", TUXMM_MAP_GROWSDOWN },
	{ "denywrite", TUXMM_MAP_DENYWRITE },
	{ "executable", TUXMM_MAP_EXECUTABLE },
	{ "locked", TUXMM_MAP_LOCKED },
	{ "noreserve", TUXMM_MAP_NORESERVE },
	{ "populate", TUXMM_MAP_POPULATE },
	{ "nonblock", TUXMM_MAP_NONBLOCK },
	{ "stack", TUXMM_MAP_STACK },
	{ "hugetlb", TUXMM_MAP_HUGETLB },
	{ "sync", TUXMM_MAP_SYNC },
	{ "fixed_noreplace", TUXMM_MAP_FIXED_NOREPLACE },
	{ "uninitialized", TUXMM_MAP_UNINITIALIZED },
	{ NULL, 0 }
};

static const struct flag_name mremap_names[] = {
	{ "maymove", TUXMM_MREMAP_MAYMOVE },
	{ "fixed", TUXMM_MREMAP_FIXED },
	{ "dontunmap", TUXMM_MREMAP_DONTUNMAP },
	{ NULL, 0 }
};

static const struct flag_name madvise_names[] = {
	{ "normal", TUXMM_MADV_NORMAL },
	{ "random", TUXMM_MADV_RANDOM },
	{ "sequential", TUXMM_MADV_SEQUENTIAL },
	{ "willneed", TUXMM_MADV_WILLNEED },
	{ "dontneed", TUXMM_MADV_DONTNEED },
	{ "free", TUXMM_MADV_FREE },
	{ "remove", TUXMM_MADV_REMOVE },
	{ "dontfork", TUXMM_MADV_DONTFORK },
	{ "dofork", TUXMM_MADV_DOFORK },
	{ "mergeable", TUXMM_MADV_MERGEABLE },
	{ "unmergeable", TUXMM_MADV_UNMERGEABLE },
	{ "hugepage", TUXMM_MADV_HUGEPAGE },
	{ "nohugepage", TUXMM_MADV_NOHUGEPAGE },
	{ "dontdump", TUXMM_MADV_DONTDUMP },
	{ "dodump", TUXMM_MADV_DODUMP },
	{ "wipeonfork", TUXMM_MADV_WIPEONFORK },
	{ "keeponfork", TUXMM_MADV_KEEPONFORK },
	{ "cold", TUXMM_MADV_COLD },
	{ "pageout", TUXMM_MADV_PAGEOUT },
	{ "populate_read", TUXMM_MADV_POPULATE_READ },
	{ "populate_write", TUXMM_MADV_POPULATE_WRITE },
	{ "dontneed_locked", TUXMM_MADV_DONTNEED_LOCKED },
	{ "collapse", TUXMM_MADV_COLLAPSE },
	{ "hwpoison", TUXMM_MADV_HWPOISON },
	{ "soft_offline", TUXMM_MADV_SOFT_OFFLINE },
	{ "guard_install", TUXMM_MADV_GUARD_INSTALL },
	{ "guard_remove", TUXMM_MADV_GUARD_REMOVE },
	{ NULL, 0 }
};

static const struct flag_name msync_names[] = {
	{ "async", TUXMM_MS_ASYNC },
	{ "invalidate", TUXMM_MS_INVALIDATE },
	{ "sync", TUXMM_MS_SYNC },
	{ NULL, 0 }
};

static const struct flag_name mlock_names[] = {
	{ "onfault", TUXMM_MLOCK_ONFAULT },
	{ NULL, 0 }
};

static const struct flag_name mlockall_names[] = {
	{ "current", TUXMM_MCL_CURRENT },
	{ "future", TUXMM_MCL_FUTURE },
	{ "onfault", TUXMM_MCL_ONFAULT },
	{ NULL, 0 }
};

static const struct flag_name open_names[] = {
	{ "rdonly", TUXMM_O_RDONLY },
	{ "wronly", TUXMM_O_WRONLY },
	{ "rdwr", TUXMM_O_RDWR },
	{ "creat", TUXMM_O_CREAT },
	{ "excl", TUXMM_O_EXCL },
	{ "trunc", TUXMM_O_TRUNC },
	{ "append", TUXMM_O_APPEND },
	{ NULL, 0 }
};

/* bad_word - the message naming @word and listing the known names. */
static int bad_word(const char *what, const char *word, size_t len,
		    const struct flag_name *names, char *err)
{
	size_t n;

	if (!err)
		return -EINVAL;
	n = (size_t)snprintf(err, TUXMM_ERRMSG_MAX, "%s: unknown flag '%.*s' (known:", what,
			     (int)len, word);
	for (; names->name && n < TUXMM_ERRMSG_MAX; names++)
		n += (size_t)snprintf(err + n, TUXMM_ERRMSG_MAX - n, " %s", names->name);
	if (n < TUXMM_ERRMSG_MAX)
		snprintf(err + n, TUXMM_ERRMSG_MAX - n, ")");
	return -EINVAL;
}

/* parse_words - OR together the comma-separated names of @s (case-insensitive, spaces ignored). */
static int parse_words(const char *what, const char *s, const struct flag_name *names,
		       bool single, int *out, char *err)
{
	int value = 0, words = 0;

	if (!s) {
		if (err)
			snprintf(err, TUXMM_ERRMSG_MAX, "%s: no flags given", what);
		return -EINVAL;
	}
	while (*s) {
		const char *start, *end;
		const struct flag_name *f;
		size_t len;

		while (*s == ' ' || *s == ',' || *s == '|')
			s++;
		if (!*s)
			break;
		start = s;
		while (*s && *s != ',' && *s != '|' && *s != ' ')
			s++;
		end = s;
		len = (size_t)(end - start);
		for (f = names; f->name; f++)
			if (strlen(f->name) == len && !strncasecmp(f->name, start, len))
				break;
		if (!f->name)
			return bad_word(what, start, len, names, err);
		value |= f->value;
		words++;
	}
	if (single && words != 1) {
		if (err)
			snprintf(err, TUXMM_ERRMSG_MAX, "%s: give exactly one advice word", what);
		return -EINVAL;
	}
	*out = value;
	return 0;
}

int tuxmm_parse_prot(const char *s, int *prot, char *err)
{
	static const char letters[] = "rwx";
	int value = 0;

	if (!s || !*s || strlen(s) > 3) {
		if (err)
			snprintf(err, TUXMM_ERRMSG_MAX,
				 "protection '%s': give up to three of r, w, x or - (like \"rw-\")",
				 s ? s : "");
		return -EINVAL;
	}
	for (const char *p = s; *p; p++) {
		const char *l = strchr(letters, tolower((unsigned char)*p));
		int bit;

		if (*p == '-')
			continue;
		if (!l || !*l) {
			if (err)
				snprintf(err, TUXMM_ERRMSG_MAX,
					 "protection '%s': '%c' is not r, w, x or -", s, *p);
			return -EINVAL;
		}
		bit = 1 << (l - letters);	/* PROT_READ 1, PROT_WRITE 2, PROT_EXEC 4 */
		if (value & bit) {
			if (err)
				snprintf(err, TUXMM_ERRMSG_MAX, "protection '%s': '%c' given twice",
					 s, *p);
			return -EINVAL;
		}
		value |= bit;
	}
	*prot = value;
	return 0;
}

int tuxmm_parse_mmap_flags(const char *s, int *flags, char *err)
{
	return parse_words("mmap flags", s, mmap_names, false, flags, err);
}

int tuxmm_parse_mremap_flags(const char *s, int *flags, char *err)
{
	return parse_words("mremap flags", s, mremap_names, false, flags, err);
}

int tuxmm_parse_madvise(const char *s, int *advice, char *err)
{
	return parse_words("madvise advice", s, madvise_names, true, advice, err);
}

int tuxmm_parse_msync_flags(const char *s, int *flags, char *err)
{
	return parse_words("msync flags", s, msync_names, false, flags, err);
}

int tuxmm_parse_mlock_flags(const char *s, int *flags, char *err)
{
	return parse_words("mlock flags", s, mlock_names, false, flags, err);
}

int tuxmm_parse_mlockall_flags(const char *s, int *flags, char *err)
{
	return parse_words("mlockall flags", s, mlockall_names, false, flags, err);
}

int tuxmm_parse_open_flags(const char *s, int *flags, char *err)
{
	return parse_words("open flags", s, open_names, false, flags, err);
}
