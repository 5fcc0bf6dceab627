/*
 * lua_task.c - the task object of the Lua binding: t.pid, t.name and the memory system
 * calls as methods (t:mmap, t:munmap, t:mprotect, t:mremap, t:brk, t:madvise, t:mlock, ...),
 * flags as Linux's names in lower case joined by commas. Results follow Lua's convention:
 * the result or true on success, nil and the errno name ("ENOMEM") on failure.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tuxmm_lua.h"

void tlua_push_task(lua_State *L, int mach_idx, struct task_struct *t)
{
	struct tlua_task *task;

	mach_idx = lua_absindex(L, mach_idx);
	task = lua_newuserdatauv(L, sizeof(*task), 1);
	task->mach = lua_touserdata(L, mach_idx);
	task->pid = tuxmm_task_pid(t);
	lua_pushvalue(L, mach_idx);
	lua_setiuservalue(L, -2, 1);
	luaL_setmetatable(L, TLUA_TASK);
}

/* tlua_find_task - the task with @pid, or the OOM killer's dead one whose handle is held. */
static struct task_struct *tlua_find_task(struct machine *m, int pid)
{
	struct task_struct *t = tuxmm_find_task(m, pid);

	return t ? t : tuxmm_find_dead_task(m, pid);
}

/* check_task - the task a method was called on; raises an error if it has gone. */
static struct task_struct *check_task(lua_State *L, const char *fn)
{
	struct tlua_task *task = luaL_testudata(L, 1, TLUA_TASK);
	struct task_struct *t;

	if (!task)
		luaL_error(L, "%s: call it on a task (t:%s(...)), got %s", fn, fn + 2,
			   luaL_typename(L, 1));
	if (!task->mach->m)
		luaL_error(L, "%s: the machine of task %d has been closed", fn, task->pid);
	t = tlua_find_task(task->mach->m, task->pid);
	if (!t)
		luaL_error(L, "%s: task %d has exited", fn, task->pid);
	return t;
}

struct task_struct *tlua_check_task(lua_State *L, const char *fn)
{
	return check_task(L, fn);
}

/* push_addr - an address result (long): the address, or the failure pair for -errno. */
static int push_addr(lua_State *L, long r)
{
	if (r < 0 && r >= -4095)
		return tlua_fail(L, (int)r);
	lua_pushinteger(L, (lua_Integer)r);
	return 1;
}

/*
 * t:mmap(addr_or_nil, len, prot, flags [, path_or_fd [, offset]]) - the new mapping's
 * address. A path is opened for this call only (so its mappings never merge with another
 * call's, as with two open()s in Linux); an fd from t:open() is used as it is.
 */
static int t_mmap(lua_State *L)
{
	static const char fn[] = "t:mmap";
	struct task_struct *t = check_task(L, fn);
	uint64_t addr = tlua_opt_addr(L, 2, fn, 0);
	uint64_t len = tlua_check_size(L, 3, fn);
	int prot = tlua_check_flags(L, 4, fn, tuxmm_parse_prot, NULL);
	int flags = tlua_check_flags(L, 5, fn, tuxmm_parse_mmap_flags, NULL);
	uint64_t off = lua_isnoneornil(L, 7) ? 0 : tlua_check_size(L, 7, fn);

	if (lua_type(L, 6) == LUA_TNUMBER)
		return push_addr(L, tuxmm_mmap(t, addr, len, prot, flags,
					       (int)tlua_check_addr(L, 6, fn), off));
	return push_addr(L, tuxmm_mmap_path(t, addr, len, prot, flags,
					    tlua_opt_string(L, 6, fn, NULL), off));
}

static int t_munmap(lua_State *L)
{
	struct task_struct *t = check_task(L, "t:munmap");
	uint64_t addr = tlua_check_addr(L, 2, "t:munmap");

	return tlua_result(L, tuxmm_munmap(t, addr, tlua_check_size(L, 3, "t:munmap")));
}

static int t_mprotect(lua_State *L)
{
	static const char fn[] = "t:mprotect";
	struct task_struct *t = check_task(L, fn);
	uint64_t addr = tlua_check_addr(L, 2, fn);
	uint64_t len = tlua_check_size(L, 3, fn);

	return tlua_result(L, tuxmm_mprotect(t, addr, len,
					     tlua_check_flags(L, 4, fn, tuxmm_parse_prot, NULL)));
}

/* t:mremap(old, oldlen, newlen [, flags [, newaddr]]) - the area's (new) address. */
static int t_mremap(lua_State *L)
{
	static const char fn[] = "t:mremap";
	struct task_struct *t = check_task(L, fn);
	uint64_t old = tlua_check_addr(L, 2, fn);
	uint64_t old_len = tlua_check_size(L, 3, fn);
	uint64_t new_len = tlua_check_size(L, 4, fn);
	int flags = tlua_check_flags(L, 5, fn, tuxmm_parse_mremap_flags, "");
	uint64_t new_addr = tlua_opt_addr(L, 6, fn, 0);

	return push_addr(L, tuxmm_mremap(t, old, old_len, new_len, flags, new_addr));
}

/*
 * t:brk([addr]) - move the break to @addr: the new break, or nil, "ENOMEM" and the
 * unchanged break when refused (as glibc's brk() reports it). t:brk() gives the break.
 */
static int t_brk(lua_State *L)
{
	struct task_struct *t = check_task(L, "t:brk");
	uint64_t want = tlua_opt_addr(L, 2, "t:brk", 0);
	unsigned long got = tuxmm_brk(t, want);

	if (got == (unsigned long)-ESRCH)
		return tlua_fail(L, -ESRCH);
	if (want && got != want) {
		tlua_fail(L, -ENOMEM);
		lua_pushinteger(L, (lua_Integer)got);
		return 3;
	}
	lua_pushinteger(L, (lua_Integer)got);
	return 1;
}

static int t_madvise(lua_State *L)
{
	static const char fn[] = "t:madvise";
	struct task_struct *t = check_task(L, fn);
	uint64_t addr = tlua_check_addr(L, 2, fn);
	uint64_t len = tlua_check_size(L, 3, fn);

	return tlua_result(L, tuxmm_madvise(t, addr, len,
					    tlua_check_flags(L, 4, fn, tuxmm_parse_madvise, NULL)));
}

/* t:mlock(addr, len [, "onfault"]) - mlock2(). */
static int t_mlock(lua_State *L)
{
	static const char fn[] = "t:mlock";
	struct task_struct *t = check_task(L, fn);
	uint64_t addr = tlua_check_addr(L, 2, fn);
	uint64_t len = tlua_check_size(L, 3, fn);
	int flags = tlua_check_flags(L, 4, fn, tuxmm_parse_mlock_flags, "");

	return tlua_result(L, tuxmm_mlock2(t, addr, len, flags));
}

static int t_munlock(lua_State *L)
{
	struct task_struct *t = check_task(L, "t:munlock");
	uint64_t addr = tlua_check_addr(L, 2, "t:munlock");

	return tlua_result(L, tuxmm_munlock(t, addr, tlua_check_size(L, 3, "t:munlock")));
}

static int t_mlockall(lua_State *L)
{
	struct task_struct *t = check_task(L, "t:mlockall");

	return tlua_result(L, tuxmm_mlockall(t, tlua_check_flags(L, 2, "t:mlockall",
								   tuxmm_parse_mlockall_flags,
								   NULL)));
}

static int t_munlockall(lua_State *L)
{
	return tlua_result(L, tuxmm_munlockall(check_task(L, "t:munlockall")));
}

/* t:msync(addr, len [, flags]) - flags "async", "sync", "invalidate"; none is 0. */
static int t_msync(lua_State *L)
{
	static const char fn[] = "t:msync";
	struct task_struct *t = check_task(L, fn);
	uint64_t addr = tlua_check_addr(L, 2, fn);
	uint64_t len = tlua_check_size(L, 3, fn);

	return tlua_result(L, tuxmm_msync(t, addr, len,
					  tlua_check_flags(L, 4, fn, tuxmm_parse_msync_flags, "")));
}

/* t:mincore(addr, len) - a string with one character per page: "1" resident, "0" not. */
static int t_mincore(lua_State *L)
{
	static const char fn[] = "t:mincore";
	struct task_struct *t = check_task(L, fn);
	uint64_t addr = tlua_check_addr(L, 2, fn);
	uint64_t len = tlua_check_size(L, 3, fn);
	unsigned long psize = tuxmm_page_size(tuxmm_task_machine(t));
	uint64_t npages = len / psize + (len % psize != 0);
	unsigned char *vec;
	int ret;

	if (npages > (1ULL << 28))	/* more than the whole simulated space could hold */
		return tlua_fail(L, -ENOMEM);
	vec = malloc(npages ? npages : 1);
	if (!vec)
		return luaL_error(L, "%s: out of host memory", fn);
	ret = tuxmm_mincore(t, addr, len, vec);
	if (ret) {
		free(vec);
		return tlua_fail(L, ret);
	}
	for (uint64_t i = 0; i < npages; i++)
		vec[i] = (vec[i] & 1) ? '1' : '0';
	lua_pushlstring(L, (const char *)vec, npages);
	free(vec);
	return 1;
}

/*
 * t:pagemap(addr, npages) - /proc/PID/pagemap entries for npages pages from
 * addr, as a table of integers with Linux's bits (63 present, 62 swapped,
 * 61 file or shared, 56 mapped once); nil and the errno name on failure.
 */
static int t_pagemap(lua_State *L)
{
	static const char fn[] = "t:pagemap";
	struct task_struct *t = check_task(L, fn);
	uint64_t addr = tlua_check_addr(L, 2, fn);
	uint64_t npages = tlua_check_size(L, 3, fn);
	uint64_t *out;
	long n;

	if (npages > (1ULL << 24))
		return tlua_argerror(L, 3, fn, "at most %llu pages at once",
				     (unsigned long long)(1ULL << 24));
	out = malloc((npages ? npages : 1) * sizeof(*out));
	if (!out)
		return luaL_error(L, "%s: out of host memory", fn);
	n = tuxmm_read_pagemap(t, addr, out, npages);
	if (n < 0) {
		free(out);
		return tlua_fail(L, (int)n);
	}
	lua_createtable(L, (int)n, 0);
	for (long i = 0; i < n; i++) {
		lua_pushinteger(L, (lua_Integer)out[i]);
		lua_rawseti(L, -2, i + 1);
	}
	free(out);
	return 1;
}

/* t:walk(addr) - the page-table walk of addr in the task's tables, as text. */
static int t_walk(lua_State *L)
{
	static const char fn[] = "t:walk";
	struct task_struct *t = check_task(L, fn);
	uint64_t addr = tlua_check_addr(L, 2, fn);
	char *text;
	size_t len;
	int ret = tuxmm_task_pgtable_walk(t, addr, &text, &len);

	if (ret)
		return tlua_fail(L, ret);
	lua_pushlstring(L, text, len);
	free(text);
	return 1;
}

/* t:open(path [, flags [, mode]]) - a descriptor for t:mmap, or nil and the errno name. */
static int t_open(lua_State *L)
{
	static const char fn[] = "t:open";
	struct task_struct *t = check_task(L, fn);
	const char *path = tlua_check_string(L, 2, fn);
	int flags = tlua_check_flags(L, 3, fn, tuxmm_parse_open_flags, "rdonly");
	unsigned int mode = (unsigned int)tlua_opt_addr(L, 4, fn, 0644);
	int fd = tuxmm_open(t, path, flags, mode);

	if (fd < 0)
		return tlua_fail(L, fd);
	lua_pushinteger(L, fd);
	return 1;
}

static int t_close(lua_State *L)
{
	struct task_struct *t = check_task(L, "t:close");

	return tlua_result(L, tuxmm_close(t, (int)tlua_check_addr(L, 2, "t:close")));
}

static const struct {
	const char *name;
	int resource;
} rlimits[] = {
	{ "as", TUXMM_RLIMIT_AS },
	{ "data", TUXMM_RLIMIT_DATA },
	{ "memlock", TUXMM_RLIMIT_MEMLOCK },
	{ "nofile", TUXMM_RLIMIT_NOFILE },
	{ "stack", TUXMM_RLIMIT_STACK },
};

static int check_rlimit(lua_State *L, int i, const char *fn)
{
	const char *name = tlua_check_string(L, i, fn);

	for (size_t k = 0; k < sizeof(rlimits) / sizeof(rlimits[0]); k++)
		if (!strcmp(name, rlimits[k].name))
			return rlimits[k].resource;
	return tlua_argerror(L, i, fn, "unknown resource '%s' (known: as, data, memlock, "
			     "nofile, stack)", name);
}

static void push_limit(lua_State *L, unsigned long v)
{
	if (v == TUXMM_RLIM_INFINITY)
		lua_pushnumber(L, HUGE_VAL);
	else
		lua_pushinteger(L, (lua_Integer)v);
}

static unsigned long check_limit(lua_State *L, int i, const char *fn)
{
	if (lua_type(L, i) == LUA_TNUMBER && lua_tonumber(L, i) == HUGE_VAL)
		return TUXMM_RLIM_INFINITY;
	if (lua_type(L, i) == LUA_TSTRING && !strcmp(lua_tostring(L, i), "unlimited"))
		return TUXMM_RLIM_INFINITY;
	return (unsigned long)tlua_check_size(L, i, fn);
}

/* t:getrlimit("stack") - soft and hard limit in bytes (or files); math.huge is unlimited. */
static int t_getrlimit(lua_State *L)
{
	struct task_struct *t = check_task(L, "t:getrlimit");
	unsigned long cur, max;
	int ret = tuxmm_getrlimit(t, check_rlimit(L, 2, "t:getrlimit"), &cur, &max);

	if (ret)
		return tlua_fail(L, ret);
	push_limit(L, cur);
	push_limit(L, max);
	return 2;
}

/* t:setrlimit("memlock", cur [, max]) - max defaults to the current hard limit. */
static int t_setrlimit(lua_State *L)
{
	static const char fn[] = "t:setrlimit";
	struct task_struct *t = check_task(L, fn);
	int res = check_rlimit(L, 2, fn);
	unsigned long cur = check_limit(L, 3, fn), old_cur, max;
	int ret = tuxmm_getrlimit(t, res, &old_cur, &max);

	if (ret)
		return tlua_fail(L, ret);
	if (!lua_isnoneornil(L, 4))
		max = check_limit(L, 4, fn);
	return tlua_result(L, tuxmm_setrlimit(t, res, cur, max));
}

/* ---- memory access (docs/demand-paging.md) ---- */

static const char *signal_name(int signo)
{
	return signo == TUXMM_SIGSEGV ? "SIGSEGV" : signo == TUXMM_SIGBUS ? "SIGBUS" :
	       signo == TUXMM_SIGKILL ? "SIGKILL" : "SIG?";
}

static const char *si_code_name(int signo, int code)
{
	if (code == TUXMM_SI_KERNEL)
		return "SI_KERNEL";
	if (signo == TUXMM_SIGSEGV && code == TUXMM_SEGV_MAPERR)
		return "SEGV_MAPERR";
	if (signo == TUXMM_SIGSEGV && code == TUXMM_SEGV_ACCERR)
		return "SEGV_ACCERR";
	if (signo == TUXMM_SIGBUS && code == TUXMM_BUS_ADRERR)
		return "BUS_ADRERR";
	return "?";
}

/*
 * push_fault - for an access that did not complete: nil and {signal, code, addr} when a
 * real process would get a signal, nil and the errno name otherwise (ENOMEM). Returns the
 * number of values pushed, 0 when @ret is 0 (the caller pushes its result).
 */
static int push_fault(lua_State *L, int ret, const struct tuxmm_siginfo *si)
{
	if (!ret)
		return 0;
	if (ret < 0)
		return tlua_fail(L, ret);
	lua_pushnil(L);
	lua_createtable(L, 0, 3);
	lua_pushstring(L, signal_name(si->signo ? si->signo : ret));
	lua_setfield(L, -2, "signal");
	lua_pushstring(L, si_code_name(si->signo ? si->signo : ret, si->code));
	lua_setfield(L, -2, "code");
	lua_pushinteger(L, (lua_Integer)si->addr);
	lua_setfield(L, -2, "addr");
	return 2;
}

#define TLUA_ACCESS_MAX	(256UL << 20)	/* bytes one t:read may return */

/* t:read(addr, n) - @n bytes as a string, or nil and the signal the access would raise. */
static int t_read(lua_State *L)
{
	static const char fn[] = "t:read";
	struct task_struct *t = check_task(L, fn);
	uint64_t addr = tlua_check_addr(L, 2, fn);
	uint64_t n = tlua_check_size(L, 3, fn);
	struct tuxmm_siginfo si = { 0 };
	luaL_Buffer b;
	char *buf;
	int ret;

	if (n > TLUA_ACCESS_MAX)
		return tlua_argerror(L, 3, fn, "at most %lu bytes at once", TLUA_ACCESS_MAX);
	buf = luaL_buffinitsize(L, &b, n ? n : 1);
	ret = tuxmm_load(t, addr, buf, n, &si);
	if (ret)
		return push_fault(L, ret, &si);
	luaL_pushresultsize(&b, n);
	return 1;
}

/* t:write(addr, s) - store the bytes of @s: true, or nil and the signal. */
static int t_write(lua_State *L)
{
	static const char fn[] = "t:write";
	struct task_struct *t = check_task(L, fn);
	uint64_t addr = tlua_check_addr(L, 2, fn);
	size_t len;
	const char *s;
	struct tuxmm_siginfo si = { 0 };
	int ret;

	tlua_check_string(L, 3, fn);
	s = lua_tolstring(L, 3, &len);
	ret = tuxmm_store(t, addr, s, len, &si);
	if (ret)
		return push_fault(L, ret, &si);
	lua_pushboolean(L, 1);
	return 1;
}

/* t:fill(addr, len, byte) - memset; @byte is 0..255 or a one-character string. */
static int t_fill(lua_State *L)
{
	static const char fn[] = "t:fill";
	struct task_struct *t = check_task(L, fn);
	uint64_t addr = tlua_check_addr(L, 2, fn);
	uint64_t len = tlua_check_size(L, 3, fn);
	struct tuxmm_siginfo si = { 0 };
	int byte, ret;

	if (lua_type(L, 4) == LUA_TSTRING && lua_rawlen(L, 4) == 1) {
		byte = (unsigned char)lua_tostring(L, 4)[0];
	} else {
		uint64_t v = tlua_check_addr(L, 4, fn);

		if (v > 255)
			return tlua_argerror(L, 4, fn, "a byte is 0 to 255, got %lld",
					     (long long)v);
		byte = (int)v;
	}
	ret = tuxmm_fill(t, addr, byte, len, &si);
	if (ret)
		return push_fault(L, ret, &si);
	lua_pushboolean(L, 1);
	return 1;
}

/* t:touch(addr, len [, "r"|"w"]) - one read (or write) per page of the range, in order. */
static int t_touch(lua_State *L)
{
	static const char fn[] = "t:touch";
	struct task_struct *t = check_task(L, fn);
	uint64_t addr = tlua_check_addr(L, 2, fn);
	uint64_t len = tlua_check_size(L, 3, fn);
	const char *how = tlua_opt_string(L, 4, fn, "r");
	struct tuxmm_siginfo si = { 0 };
	int ret;

	if (strcmp(how, "r") && strcmp(how, "w"))
		return tlua_argerror(L, 4, fn, "give \"r\" or \"w\", got '%s'", how);
	ret = tuxmm_touch(t, addr, len, how[0] == 'w', &si);
	if (ret)
		return push_fault(L, ret, &si);
	lua_pushboolean(L, 1);
	return 1;
}

/* t:faults() - the task's minor and major page faults so far. */
static int t_faults(lua_State *L)
{
	struct task_struct *t = check_task(L, "t:faults");
	unsigned long min_flt, maj_flt;

	tuxmm_task_faults(t, &min_flt, &maj_flt);
	lua_pushinteger(L, (lua_Integer)min_flt);
	lua_pushinteger(L, (lua_Integer)maj_flt);
	return 2;
}

/* t:fork() - the child task, or nil and "ENOMEM" / "EAGAIN". */
/*
 * check_strv - the table of strings at @i as a NULL-terminated array (in a userdata
 * left on the stack; the strings stay the table's); nil or absent gives NULL.
 */
static const char *const *check_strv(lua_State *L, int i, const char *fn)
{
	const char **v;
	lua_Integer n;

	if (lua_isnoneornil(L, i))
		return NULL;
	luaL_checktype(L, i, LUA_TTABLE);
	n = (lua_Integer)lua_rawlen(L, i);
	v = lua_newuserdatauv(L, (size_t)(n + 1) * sizeof(*v), 0);
	for (lua_Integer k = 1; k <= n; k++) {
		if (lua_rawgeti(L, i, k) != LUA_TSTRING)
			tlua_argerror(L, i, fn, "element %lld is not a string", (long long)k);
		v[k - 1] = lua_tostring(L, -1);
		lua_pop(L, 1);
	}
	v[n] = NULL;
	return v;
}

/* t:exec(path, argv, envp) - true, or nil and "ENOEXEC"; the old memory stays on failure. */
static int t_exec(lua_State *L)
{
	static const char fn[] = "t:exec";
	struct task_struct *t = check_task(L, fn);
	const char *path = tlua_check_string(L, 2, fn);
	const char *const *argv, *const *envp;

	lua_settop(L, 4);	/* check_strv pushes above the arguments */
	argv = check_strv(L, 3, fn);
	envp = check_strv(L, 4, fn);

	return tlua_result(L, tuxmm_exec(t, path, argv, envp));
}

static int t_fork(lua_State *L)
{
	struct task_struct *t = check_task(L, "t:fork"), *child;
	int ret = tuxmm_fork(t, &child);

	if (ret)
		return tlua_fail(L, ret);
	lua_getiuservalue(L, 1, 1);
	tlua_push_task(L, -1, child);
	return 1;
}

/* t:exit() - unmap everything and free the task; the object is unusable after. */
static int t_exit(lua_State *L)
{
	tuxmm_task_exit(check_task(L, "t:exit"));
	lua_pushboolean(L, 1);
	return 1;
}

/* t:alive() - whether the task still exists. */
static int t_alive(lua_State *L)
{
	struct tlua_task *task = luaL_checkudata(L, 1, TLUA_TASK);

	struct task_struct *t = task->mach->m ? tuxmm_find_task(task->mach->m, task->pid) : NULL;

	lua_pushboolean(L, t && !tuxmm_task_killed(t));
	return 1;
}

/* t:machine() - the machine object the task lives on. */
static int t_machine(lua_State *L)
{
	luaL_checkudata(L, 1, TLUA_TASK);
	lua_getiuservalue(L, 1, 1);
	return 1;
}

/* Fields t.pid and t.name; everything else is a method. */
static int t_index(lua_State *L)
{
	struct tlua_task *task = luaL_checkudata(L, 1, TLUA_TASK);
	const char *key = lua_tostring(L, 2);

	if (key && !strcmp(key, "pid")) {
		lua_pushinteger(L, task->pid);
		return 1;
	}
	if (key && !strcmp(key, "name")) {
		struct task_struct *t = task->mach->m ?
					tlua_find_task(task->mach->m, task->pid) : NULL;

		if (t)
			lua_pushstring(L, tuxmm_task_comm(t));
		else
			lua_pushnil(L);
		return 1;
	}
	lua_getmetatable(L, 1);
	lua_getfield(L, -1, "methods");
	lua_pushvalue(L, 2);
	lua_rawget(L, -2);
	return 1;
}

static int t_tostring(lua_State *L)
{
	struct tlua_task *task = luaL_checkudata(L, 1, TLUA_TASK);

	lua_pushfstring(L, "tuxmm task %d", task->pid);
	return 1;
}

static int t_eq(lua_State *L)
{
	struct tlua_task *a = luaL_checkudata(L, 1, TLUA_TASK);
	struct tlua_task *b = luaL_checkudata(L, 2, TLUA_TASK);

	lua_pushboolean(L, a->mach == b->mach && a->pid == b->pid);
	return 1;
}

static const luaL_Reg task_methods[] = {
	{ "mmap", t_mmap },
	{ "munmap", t_munmap },
	{ "mprotect", t_mprotect },
	{ "mremap", t_mremap },
	{ "brk", t_brk },
	{ "madvise", t_madvise },
	{ "mlock", t_mlock },
	{ "munlock", t_munlock },
	{ "mlockall", t_mlockall },
	{ "munlockall", t_munlockall },
	{ "msync", t_msync },
	{ "mincore", t_mincore },
	{ "pagemap", t_pagemap },
	{ "walk", t_walk },
	{ "open", t_open },
	{ "close", t_close },
	{ "getrlimit", t_getrlimit },
	{ "setrlimit", t_setrlimit },
	{ "read", t_read },
	{ "write", t_write },
	{ "fill", t_fill },
	{ "touch", t_touch },
	{ "faults", t_faults },
	{ "fork", t_fork },
	{ "exec", t_exec },
	{ "exit", t_exit },
	{ "alive", t_alive },
	{ "machine", t_machine },
	{ NULL, NULL },
};

void tlua_open_task(lua_State *L)
{
	luaL_newmetatable(L, TLUA_TASK);
	luaL_newlib(L, task_methods);
	lua_setfield(L, -2, "methods");
	lua_pushcfunction(L, t_index);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, t_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pushcfunction(L, t_eq);
	lua_setfield(L, -2, "__eq");
	lua_pop(L, 1);
}
