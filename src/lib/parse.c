/*
 * parse.c - parsing what users type: sizes like Linux's mem= ("64M", "1G",
 * "65536K", plain bytes) and reservations "NAME:SIZE[@ADDR]".
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <tuxmm/tuxmm.h>

int tuxmm_parse_size(const char *s, uint64_t *bytes)
{
	uint64_t v = 0, base = 10, shift = 0;
	const char *p = s;
	int digits = 0;

	if (!s)
		return -EINVAL;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; *p; p++, digits++) {
		unsigned int d;

		if (isdigit((unsigned char)*p))
			d = (unsigned int)(*p - '0');
		else if (base == 16 && isxdigit((unsigned char)*p))
			d = (unsigned int)(tolower((unsigned char)*p) - 'a' + 10);
		else
			break;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (!digits)
		return -EINVAL;
	switch (*p) {
	case 'k': case 'K': shift = 10; p++; break;
	case 'm': case 'M': shift = 20; p++; break;
	case 'g': case 'G': shift = 30; p++; break;
	case 't': case 'T': shift = 40; p++; break;
	default: break;
	}
	/* Accept the "iB"/"B" spellings people type: 64MiB, 64MB. */
	if (shift && (*p == 'i' || *p == 'I') && (p[1] == 'b' || p[1] == 'B'))
		p += 2;
	else if (shift && (*p == 'b' || *p == 'B'))
		p++;
	if (*p)
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*bytes = v << shift;
	return 0;
}

int tuxmm_parse_reservation(const char *s, struct tuxmm_reservation *r, char *err)
{
	const char *colon = strchr(s, ':');
	const char *at;
	char size[64];
	size_t nlen, slen;

	memset(r, 0, sizeof(*r));
	if (!colon) {
		snprintf(err, TUXMM_ERRMSG_MAX, "reservation '%s': expected NAME:SIZE[@ADDR]", s);
		return -EINVAL;
	}
	nlen = (size_t)(colon - s);
	if (nlen == 0 || nlen >= TUXMM_NAME_MAX) {
		snprintf(err, TUXMM_ERRMSG_MAX,
			 "reservation '%s': the name must be 1 to %d characters", s,
			 TUXMM_NAME_MAX - 1);
		return -EINVAL;
	}
	for (size_t i = 0; i < nlen; i++) {
		if (!isprint((unsigned char)s[i])) {
			snprintf(err, TUXMM_ERRMSG_MAX,
				 "reservation '%s': the name has an unprintable character", s);
			return -EINVAL;
		}
	}
	memcpy(r->name, s, nlen);
	at = strchr(colon + 1, '@');
	slen = at ? (size_t)(at - colon - 1) : strlen(colon + 1);
	if (slen == 0 || slen >= sizeof(size)) {
		snprintf(err, TUXMM_ERRMSG_MAX, "reservation '%s': missing or overlong SIZE", s);
		return -EINVAL;
	}
	memcpy(size, colon + 1, slen);
	size[slen] = '\0';
	if (tuxmm_parse_size(size, &r->size_bytes) || r->size_bytes == 0) {
		snprintf(err, TUXMM_ERRMSG_MAX,
			 "reservation '%s': '%s' is not a size (like 4M, 512K or 65536)", s, size);
		return -EINVAL;
	}
	if (at) {
		if (tuxmm_parse_size(at + 1, &r->addr)) {
			snprintf(err, TUXMM_ERRMSG_MAX,
				 "reservation '%s': '%s' is not an address (like 0x1000000 or 16M)",
				 s, at + 1);
			return -EINVAL;
		}
		r->fixed = true;
	}
	return 0;
}

const char *tuxmm_errno_name(int err)
{
	static const struct {
		int no;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" },   { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ EINTR, "EINTR" },   { EIO, "EIO" },	    { ENXIO, "ENXIO" },
		{ E2BIG, "E2BIG" },   { ENOEXEC, "ENOEXEC" }, { EBADF, "EBADF" },
		{ ECHILD, "ECHILD" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
		{ EEXIST, "EEXIST" }, { ENODEV, "ENODEV" }, { ENOTDIR, "ENOTDIR" },
		{ EISDIR, "EISDIR" }, { EINVAL, "EINVAL" }, { ENFILE, "ENFILE" },
		{ EMFILE, "EMFILE" }, { ETXTBSY, "ETXTBSY" }, { EFBIG, "EFBIG" },
		{ ENOSPC, "ENOSPC" }, { ESPIPE, "ESPIPE" }, { EROFS, "EROFS" },
		{ ERANGE, "ERANGE" }, { ENOSYS, "ENOSYS" }, { ELOOP, "ELOOP" },
		{ ENAMETOOLONG, "ENAMETOOLONG" }, { EOVERFLOW, "EOVERFLOW" },
		{ ENOTSUP, "EOPNOTSUPP" },
	};

	if (err < 0)
		err = -err;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].no == err)
			return names[i].name;
	return "E?";
}

const char *tuxmm_version(void)
{
	return TUXMM_VERSION;
}
