/*
 * lua_module.c - the Lua module `tuxmm`: tuxmm.boot{...} and the machine object it returns
 * (m:proc, m:spawn, m:dmesg, m:stats, m:sysctl, ...). The machine object owns its machine and
 * destroys it when collected or closed (`local m <close> = tuxmm.boot{}`).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tuxmm_lua.h"

/* ---- tuxmm.boot ---- */

static int boot_error(lua_State *L, const char *key, const char *msg)
{
	return luaL_error(L, "tuxmm.boot: option '%s': %s, got %s", key, msg,
			  luaL_typename(L, -1));
}

/* boot_uint - the value on top as a whole number in [@min, @max]. */
static uint64_t boot_uint(lua_State *L, const char *key, uint64_t min, uint64_t max)
{
	int isnum;
	lua_Integer v = lua_tointegerx(L, -1, &isnum);

	if (lua_type(L, -1) != LUA_TNUMBER || !isnum)
		return (uint64_t)boot_error(L, key, "expected a whole number");
	if ((uint64_t)v < min || (uint64_t)v > max)
		return (uint64_t)luaL_error(L, "tuxmm.boot: option '%s': %I is out of range "
					    "(%I to %I)", key, v, (lua_Integer)min,
					    (lua_Integer)max);
	return (uint64_t)v;
}

/* boot_size - the value on top as a size: bytes, or a string like "64M". */
static uint64_t boot_size(lua_State *L, const char *key)
{
	uint64_t bytes;

	if (lua_type(L, -1) == LUA_TNUMBER)
		return boot_uint(L, key, 0, UINT64_MAX >> 1);
	if (lua_type(L, -1) != LUA_TSTRING || tuxmm_parse_size(lua_tostring(L, -1), &bytes))
		return (uint64_t)luaL_error(L, "tuxmm.boot: option '%s': expected a size "
					    "(like \"64M\" or 67108864), got %s", key,
					    lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) :
					    luaL_typename(L, -1));
	return bytes;
}

static void boot_reserve(lua_State *L, struct tuxmm_config *cfg)
{
	char err[TUXMM_ERRMSG_MAX];
	lua_Integer n;

	if (lua_type(L, -1) == LUA_TSTRING) {	/* one reservation */
		lua_newtable(L);
		lua_pushvalue(L, -2);
		lua_rawseti(L, -2, 1);
		lua_replace(L, -2);
	}
	if (!lua_istable(L, -1))
		boot_error(L, "reserve", "expected a list of \"NAME:SIZE[@ADDR]\" strings");
	n = (lua_Integer)lua_rawlen(L, -1);
	if (n > TUXMM_MAX_RESERVE)
		luaL_error(L, "tuxmm.boot: option 'reserve': at most %d reservations",
			   TUXMM_MAX_RESERVE);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, -1, i);
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "tuxmm.boot: option 'reserve': entry %I: expected a "
				   "\"NAME:SIZE[@ADDR]\" string, got %s", i, luaL_typename(L, -1));
		if (tuxmm_parse_reservation(lua_tostring(L, -1), &cfg->reserve[cfg->nr_reserve],
					    err))
			luaL_error(L, "tuxmm.boot: option 'reserve': %s", err);
		cfg->nr_reserve++;
		lua_pop(L, 1);
	}
}

/* boot_swap_check - the value on top is a swap file path or a list of them. */
static void boot_swap_check(lua_State *L)
{
	if (lua_type(L, -1) == LUA_TSTRING)
		return;
	if (!lua_istable(L, -1))
		boot_error(L, "swap", "expected a list of swap file paths");
	for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1); i++) {
		if (lua_rawgeti(L, -1, i) != LUA_TSTRING)
			luaL_error(L, "tuxmm.boot: option 'swap': entry %I: expected a path, got %s",
				   i, luaL_typename(L, -1));
		lua_pop(L, 1);
	}
}

/* boot_swapon - swapon() each file of the options' swap list, in order. */
static void boot_swapon(lua_State *L, struct machine *m)
{
	char err[TUXMM_ERRMSG_MAX];
	lua_Integer n;

	if (!lua_istable(L, 1) || lua_getfield(L, 1, "swap") == LUA_TNIL) {
		lua_pop(L, lua_istable(L, 1) ? 1 : 0);
		return;
	}
	if (lua_type(L, -1) == LUA_TSTRING) {
		lua_newtable(L);
		lua_pushvalue(L, -2);
		lua_rawseti(L, -2, 1);
		lua_replace(L, -2);
	}
	n = (lua_Integer)lua_rawlen(L, -1);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, -1, i);
		err[0] = '\0';
		if (tuxmm_swapon(m, lua_tostring(L, -1), -1, err))
			luaL_error(L, "tuxmm.boot: option 'swap': %s",
				   err[0] ? err : lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

/* boot_option - apply the option whose key is at -2 and value at -1 to @cfg. */
static void boot_option(lua_State *L, struct tuxmm_config *cfg)
{
	const char *key;
	uint64_t v;

	if (lua_type(L, -2) != LUA_TSTRING)
		luaL_error(L, "tuxmm.boot: options are named (ram = \"64M\", ...), got a %s key",
			   luaL_typename(L, -2));
	key = lua_tostring(L, -2);
	if (!strcmp(key, "ram")) {
		cfg->ram_bytes = boot_size(L, key);
		if (cfg->ram_bytes < TUXMM_RAM_MIN || cfg->ram_bytes > TUXMM_RAM_MAX)
			luaL_error(L, "tuxmm.boot: option 'ram': out of range: give 4M to 1T");
	} else if (!strcmp(key, "cpus")) {
		cfg->nr_cpus = (unsigned int)boot_uint(L, key, 1, TUXMM_MAX_CPUS);
	} else if (!strcmp(key, "levels")) {
		cfg->pgtable_levels = (unsigned int)boot_uint(L, key, 2, 5);
	} else if (!strcmp(key, "page_size")) {
		v = boot_size(L, key);
		if (v != 4096 && v != 16384 && v != 65536)
			luaL_error(L, "tuxmm.boot: option 'page_size': give \"4K\", \"16K\" or "
				   "\"64K\"");
		cfg->page_shift = (unsigned int)__builtin_ctzll(v);
	} else if (!strcmp(key, "seed")) {
		cfg->seed = boot_uint(L, key, 0, UINT64_MAX >> 1);
	} else if (!strcmp(key, "reserve")) {
		boot_reserve(L, cfg);
	} else if (!strcmp(key, "randomize_va_space")) {
		cfg->randomize_va_space = (unsigned int)boot_uint(L, key, 0, 2);
	} else if (!strcmp(key, "min_free_kbytes")) {
		cfg->min_free_kbytes = (unsigned long)boot_uint(L, key, 0, 1UL << 30);
	} else if (!strcmp(key, "tlb_entries")) {
		cfg->tlb_entries = (unsigned int)boot_uint(L, key, 0, 1U << 20);
	} else if (!strcmp(key, "tlb_ways")) {
		cfg->tlb_ways = (unsigned int)boot_uint(L, key, 0, 1U << 20);
	} else if (!strcmp(key, "swap")) {
		boot_swap_check(L);	/* the areas are added once the machine is up */
	} else if (!strcmp(key, "policy")) {
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "tuxmm.boot: option 'policy': expected a name (\"linux\", "
				   "\"fifo\", ...), got %s", luaL_typename(L, -1));
		cfg->policy = lua_tostring(L, -1);	/* lives in the options table */
	} else {
		luaL_error(L, "tuxmm.boot: unknown option '%s' (known: ram, cpus, levels, "
			   "page_size, seed, reserve, swap, policy, randomize_va_space, "
			   "min_free_kbytes, tlb_entries, tlb_ways)", key);
	}
}

/*
 * tuxmm.boot{options} - boot a machine. A bad option or a configuration the machine cannot
 * boot raises an error naming it.
 */
static int l_boot(lua_State *L)
{
	char err[TUXMM_ERRMSG_MAX] = "";
	struct tuxmm_config cfg;
	struct tlua_machine *mach;
	int ret;

	tuxmm_config_init(&cfg);
	if (!lua_isnoneornil(L, 1)) {
		if (!lua_istable(L, 1))
			return tlua_argerror(L, 1, "tuxmm.boot", "expected a table of options, "
					     "got %s", luaL_typename(L, 1));
		lua_pushnil(L);
		while (lua_next(L, 1)) {
			boot_option(L, &cfg);
			lua_settop(L, 2);	/* keep the key */
		}
	}
	mach = lua_newuserdatauv(L, sizeof(*mach), 0);
	mach->m = NULL;
	luaL_setmetatable(L, TLUA_MACHINE);
	ret = tuxmm_boot(&cfg, &mach->m, err);
	if (ret)
		return luaL_error(L, "tuxmm.boot: %s", err[0] ? err : tuxmm_errno_name(ret));
	boot_swapon(L, mach->m);
	return 1;
}

/* ---- the machine object ---- */

struct tlua_machine *tlua_check_machine(lua_State *L, const char *fn)
{
	struct tlua_machine *mach = luaL_testudata(L, 1, TLUA_MACHINE);

	if (!mach)
		luaL_error(L, "%s: call it on a machine (m:%s(...)), got %s", fn, fn + 2,
			   luaL_typename(L, 1));
	if (!mach->m)
		luaL_error(L, "%s: the machine has been closed", fn);
	return mach;
}

void tlua_add_methods(lua_State *L, const char *metatable, const luaL_Reg *funcs)
{
	luaL_getmetatable(L, metatable);
	lua_getfield(L, -1, "methods");
	luaL_setfuncs(L, funcs, 0);
	lua_pop(L, 2);
}

/* m:proc(path) - the text of a /proc file, or nil, "ENOENT" for one tuxmm does not provide. */
static int m_proc(lua_State *L)
{
	struct tlua_machine *mach = tlua_check_machine(L, "m:proc");
	const char *path = tlua_check_string(L, 2, "m:proc");
	char *text;
	size_t len;
	int ret = tuxmm_proc_read(mach->m, path, &text, &len);

	if (ret)
		return tlua_fail(L, ret);
	lua_pushlstring(L, text, len);
	free(text);
	return 1;
}

/* m:spawn([name]) - a new task, or nil, "ENOMEM" / "EAGAIN". */
static int m_spawn(lua_State *L)
{
	struct tlua_machine *mach = tlua_check_machine(L, "m:spawn");
	const char *name = tlua_opt_string(L, 2, "m:spawn", NULL);
	struct task_struct *t;
	int ret = tuxmm_spawn(mach->m, name, &t);

	if (ret)
		return tlua_fail(L, ret);
	tlua_push_task(L, 1, t);
	return 1;
}

/* m:task(pid) - the live task with @pid, or nil. */
static int m_task(lua_State *L)
{
	struct tlua_machine *mach = tlua_check_machine(L, "m:task");
	lua_Integer pid = (lua_Integer)tlua_check_addr(L, 2, "m:task");
	struct task_struct *t = pid > 0 && pid <= INT32_MAX ?
				tuxmm_find_task(mach->m, (int)pid) : NULL;

	if (!t)
		lua_pushnil(L);
	else
		tlua_push_task(L, 1, t);
	return 1;
}

/* m:tasks() - the live tasks in pid order, as a list. */
static int m_tasks(lua_State *L)
{
	struct tlua_machine *mach = tlua_check_machine(L, "m:tasks");
	struct task_struct *t = NULL;
	lua_Integer n = 0;

	lua_newtable(L);
	while ((t = tuxmm_next_task(mach->m, t))) {
		tlua_push_task(L, 1, t);
		lua_rawseti(L, -2, ++n);
	}
	return 1;
}

static int m_dmesg(lua_State *L)
{
	struct tlua_machine *mach = tlua_check_machine(L, "m:dmesg");

	lua_pushstring(L, tuxmm_dmesg(mach->m));
	return 1;
}

/* m:stats() - /proc/vmstat as a table: counter name -> integer. */
static int m_stats(lua_State *L)
{
	struct tlua_machine *mach = tlua_check_machine(L, "m:stats");
	char *text, *line, *save = NULL;
	size_t len;
	int ret = tuxmm_proc_read(mach->m, "/proc/vmstat", &text, &len);

	if (ret)
		return tlua_fail(L, ret);
	lua_newtable(L);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');

		if (!sp)
			continue;
		*sp = '\0';
		lua_pushinteger(L, (lua_Integer)strtoll(sp + 1, NULL, 10));
		lua_setfield(L, -2, line);
	}
	free(text);
	return 1;
}

/*
 * m:sysctl(name [, value]) - read a setting (an integer) or set it (true). An unknown name
 * gives nil, "ENOENT"; a value outside Linux's range nil, "EINVAL".
 */
static int m_sysctl(lua_State *L)
{
	struct tlua_machine *mach = tlua_check_machine(L, "m:sysctl");
	const char *name = tlua_check_string(L, 2, "m:sysctl");
	unsigned long v;
	int ret;

	if (!lua_isnoneornil(L, 3)) {
		uint64_t nv = tlua_check_size(L, 3, "m:sysctl");

		return tlua_result(L, tuxmm_sysctl_set(mach->m, name, (unsigned long)nv));
	}
	ret = tuxmm_sysctl_get(mach->m, name, &v);
	if (ret)
		return tlua_fail(L, ret);
	lua_pushinteger(L, (lua_Integer)v);
	return 1;
}

/* m:sysctls() - the names m:sysctl knows, as a list. */
static int m_sysctls(lua_State *L)
{
	lua_newtable(L);
	for (size_t i = 0; tuxmm_sysctl_name(i); i++) {
		lua_pushstring(L, tuxmm_sysctl_name(i));
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* m:sync() - sync(2): write every dirty page-cache page back; true or nil, "EIO". */
static int m_sync(lua_State *L)
{
	return tlua_result(L, tuxmm_sync(tlua_check_machine(L, "m:sync")->m));
}

/*
 * m:swapon(path [, prio]) - add a swap area (a file tuxmm.mkswap made): true, or nil, the
 * errno name and the kernel's message.
 */
static int m_swapon(lua_State *L)
{
	struct tlua_machine *mach = tlua_check_machine(L, "m:swapon");
	const char *path = tlua_check_string(L, 2, "m:swapon");
	lua_Integer prio = lua_isnoneornil(L, 3) ? -1 :
			   (lua_Integer)tlua_check_addr(L, 3, "m:swapon");
	char err[TUXMM_ERRMSG_MAX] = "";
	int ret;

	if (prio < -1 || prio > 32767)
		return tlua_argerror(L, 3, "m:swapon", "a priority is 0 to 32767 (or nil)");
	ret = tuxmm_swapon(mach->m, path, (int)prio, err);
	if (!ret)
		return tlua_result(L, 0);
	tlua_fail(L, ret);
	lua_pushstring(L, err);
	return 3;
}

static int m_swapoff(lua_State *L)
{
	struct tlua_machine *mach = tlua_check_machine(L, "m:swapoff");

	return tlua_result(L, tuxmm_swapoff(mach->m, tlua_check_string(L, 2, "m:swapoff")));
}

/* m:close() - destroy the machine now; its tasks become unusable. Also __gc and __close. */
static int m_close(lua_State *L)
{
	struct tlua_machine *mach = luaL_checkudata(L, 1, TLUA_MACHINE);

	if (mach->m)
		tuxmm_machine_destroy(mach->m);
	mach->m = NULL;
	return 0;
}

static int m_tostring(lua_State *L)
{
	struct tlua_machine *mach = luaL_checkudata(L, 1, TLUA_MACHINE);

	if (mach->m)
		lua_pushfstring(L, "tuxmm machine (%p)", (void *)mach->m);
	else
		lua_pushliteral(L, "tuxmm machine (closed)");
	return 1;
}

/* Fields: m.page_size; everything else is a method. */
static int m_index(lua_State *L)
{
	struct tlua_machine *mach = luaL_checkudata(L, 1, TLUA_MACHINE);
	const char *key = lua_tostring(L, 2);

	if (key && !strcmp(key, "page_size") && mach->m) {
		lua_pushinteger(L, (lua_Integer)tuxmm_page_size(mach->m));
		return 1;
	}
	lua_getmetatable(L, 1);
	lua_getfield(L, -1, "methods");
	lua_pushvalue(L, 2);
	lua_rawget(L, -2);
	return 1;
}

static const luaL_Reg machine_methods[] = {
	{ "proc", m_proc },
	{ "spawn", m_spawn },
	{ "task", m_task },
	{ "tasks", m_tasks },
	{ "dmesg", m_dmesg },
	{ "stats", m_stats },
	{ "sysctl", m_sysctl },
	{ "sysctls", m_sysctls },
	{ "sync", m_sync },
	{ "swapon", m_swapon },
	{ "swapoff", m_swapoff },
	{ "close", m_close },
	{ NULL, NULL },
};

/* ---- module functions ---- */

/* tuxmm.size("16K") - bytes, as tuxmm.boot reads sizes; errors on a bad string. */
static int l_size(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)tlua_check_size(L, 1, "tuxmm.size"));
	return 1;
}

/*
 * tuxmm.mkswap(path, size [, page_size [, seed]]) - make host file @path a swap area, as
 * mkswap(8) does: true, or nil, the errno name and a message.
 */
static int l_mkswap(lua_State *L)
{
	const char *path = tlua_check_string(L, 1, "tuxmm.mkswap");
	uint64_t size = tlua_check_size(L, 2, "tuxmm.mkswap");
	uint64_t psize = lua_isnoneornil(L, 3) ? 4096 : tlua_check_size(L, 3, "tuxmm.mkswap");
	uint64_t seed = tlua_opt_addr(L, 4, "tuxmm.mkswap", 1);
	char err[TUXMM_ERRMSG_MAX] = "";
	int ret = tuxmm_mkswap(path, size, (unsigned int)psize, seed, err);

	if (!ret)
		return tlua_result(L, 0);
	tlua_fail(L, ret);
	lua_pushstring(L, err);
	return 3;
}

/* tuxmm.errno_name(12) - "ENOMEM". */
static int l_errno_name(lua_State *L)
{
	lua_pushstring(L, tuxmm_errno_name((int)luaL_checkinteger(L, 1)));
	return 1;
}

static int l_proc_paths(lua_State *L)
{
	lua_Integer n = 0;

	lua_newtable(L);
	for (size_t i = 0; tuxmm_proc_path(i); i++) {
		lua_pushstring(L, tuxmm_proc_path(i));
		lua_rawseti(L, -2, ++n);
	}
	for (size_t i = 0; tuxmm_proc_pid_path(i); i++) {
		lua_pushstring(L, tuxmm_proc_pid_path(i));
		lua_rawseti(L, -2, ++n);
	}
	return 1;
}

static const luaL_Reg module_functions[] = {
	{ "boot", l_boot },
	{ "size", l_size },
	{ "mkswap", l_mkswap },
	{ "errno_name", l_errno_name },
	{ "proc_paths", l_proc_paths },
	{ NULL, NULL },
};

int luaopen_tuxmm(lua_State *L)
{
	luaL_newmetatable(L, TLUA_MACHINE);
	luaL_newlib(L, machine_methods);
	lua_setfield(L, -2, "methods");
	lua_pushcfunction(L, m_index);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, m_close);
	lua_setfield(L, -2, "__gc");
	lua_pushcfunction(L, m_close);
	lua_setfield(L, -2, "__close");
	lua_pushcfunction(L, m_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pop(L, 1);
	tlua_open_task(L);
	tlua_open_kernel(L);
	tlua_open_report(L);
	tlua_open_oom(L);
	tlua_open_reclaim(L);

	luaL_newlib(L, module_functions);
	tlua_open_replay(L);
	lua_pushstring(L, tuxmm_version());
	lua_setfield(L, -2, "version");
	return 1;
}
