/*
 * lua_report.c - m:report{...}: draw the machine's pictures (docs/report.md) into an HTML
 * file and/or SVG files; and, for `tuxmm report SCENARIO.lua`, a record of the machines a
 * scenario boots so that the command can draw them after it ends.
 */
#include <stdlib.h>
#include <string.h>

#include "tuxmm_lua.h"
#include "../tools/tuxmm/report_gen.h"

static const char booted_key[] = "tuxmm.report.booted";	/* registry: list of machines */

/* opt_int_list - table field @key as a list of integers into @out (at most @max). */
static unsigned int opt_int_list(lua_State *L, const char *key, uint64_t *out, unsigned int max)
{
	unsigned int n = 0;
	lua_Integer len;

	if (lua_getfield(L, 2, key) == LUA_TNIL) {
		lua_pop(L, 1);
		return 0;
	}
	if (lua_isinteger(L, -1)) {	/* one value */
		lua_newtable(L);
		lua_pushvalue(L, -2);
		lua_rawseti(L, -2, 1);
		lua_replace(L, -2);
	}
	if (!lua_istable(L, -1))
		luaL_error(L, "m:report: option '%s': expected a list of integers, got %s", key,
			   luaL_typename(L, -1));
	len = (lua_Integer)lua_rawlen(L, -1);
	if (len > (lua_Integer)max)
		luaL_error(L, "m:report: option '%s': at most %d values", key, (int)max);
	for (lua_Integer i = 1; i <= len; i++) {
		int isint;
		lua_Integer v;

		lua_rawgeti(L, -1, i);
		v = lua_tointegerx(L, -1, &isint);
		if (!isint)
			luaL_error(L, "m:report: option '%s': entry %I: expected an integer, got %s",
				   key, i, luaL_typename(L, -1));
		out[n++] = (uint64_t)v;
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return n;
}

static const char *opt_string(lua_State *L, const char *key)
{
	const char *s;

	if (lua_getfield(L, 2, key) == LUA_TNIL) {
		lua_pop(L, 1);
		return NULL;
	}
	if (lua_type(L, -1) != LUA_TSTRING)
		luaL_error(L, "m:report: option '%s': expected a string, got %s", key,
			   luaL_typename(L, -1));
	s = lua_tostring(L, -1);
	lua_pop(L, 1);	/* the options table keeps the string alive */
	return s;
}

/*
 * m:report{path = "r.html", svg = "dir", pids = {1, 2}, addrs = {0x400000}, curves = "s.csv",
 * title = "..."} - draw the pictures. true, or nil, the errno name and a message.
 */
static int m_report(lua_State *L)
{
	struct tlua_machine *mach = luaL_testudata(L, 1, TLUA_MACHINE);
	static const char *const known[] = { "path", "svg", "pids", "addrs", "curves", "title",
					     NULL };
	struct report_opts opts;
	uint64_t pids[REPORT_MAX_PIDS];
	const char *path, *svg;
	char err[TUXMM_ERRMSG_MAX] = "";
	int ret;

	if (!mach)
		return luaL_error(L, "m:report: call it on a machine (m:report{...}), got %s",
				  luaL_typename(L, 1));
	if (!mach->m)
		return luaL_error(L, "m:report: the machine has been closed");
	if (!lua_istable(L, 2))
		return tlua_argerror(L, 2, "m:report", "expected a table of options (path = "
				     "\"report.html\", ...), got %s", luaL_typename(L, 2));
	lua_pushnil(L);
	while (lua_next(L, 2)) {
		const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		int i;

		for (i = 0; key && known[i] && strcmp(known[i], key); i++)
			;
		if (!key || !known[i])
			return luaL_error(L, "m:report: unknown option '%s' (known: path, svg, pids, "
					  "addrs, curves, title)", key ? key : luaL_typename(L, -2));
		lua_pop(L, 1);
	}
	memset(&opts, 0, sizeof(opts));
	path = opt_string(L, "path");
	svg = opt_string(L, "svg");
	if (!path && !svg)
		return luaL_error(L, "m:report: give path = \"FILE.html\" and/or svg = \"DIR\"");
	opts.curves_csv = opt_string(L, "curves");
	opts.title = opt_string(L, "title");
	opts.nr_pids = opt_int_list(L, "pids", pids, REPORT_MAX_PIDS);
	for (unsigned int i = 0; i < opts.nr_pids; i++)
		opts.pids[i] = (int)pids[i];
	opts.nr_addrs = opt_int_list(L, "addrs", opts.addrs, REPORT_MAX_ADDRS);
	ret = draw_report(&mach->m, 1, &opts, path, svg, err);
	if (!ret)
		return tlua_result(L, 0);
	tlua_fail(L, ret);
	lua_pushstring(L, err);
	return 3;
}

/* The boot wrapper: the original tuxmm.boot is upvalue 1. */
static int tracked_boot(lua_State *L)
{
	int n = lua_gettop(L);

	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, n, 1);
	lua_getfield(L, LUA_REGISTRYINDEX, booted_key);
	lua_pushvalue(L, -2);
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
	lua_pop(L, 1);
	return 1;
}

void tlua_track_boots(lua_State *L)
{
	lua_newtable(L);
	lua_setfield(L, LUA_REGISTRYINDEX, booted_key);
	if (lua_getglobal(L, "tuxmm") != LUA_TTABLE) {
		lua_pop(L, 1);
		return;
	}
	lua_getfield(L, -1, "boot");
	lua_pushcclosure(L, tracked_boot, 1);
	lua_setfield(L, -2, "boot");
	lua_pop(L, 1);
}

unsigned int tlua_booted_machines(lua_State *L, struct machine **out, unsigned int max)
{
	unsigned int n = 0;
	lua_Integer len;

	lua_getfield(L, LUA_REGISTRYINDEX, booted_key);
	len = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
	for (lua_Integer i = 1; i <= len && n < max; i++) {
		struct tlua_machine *mach;

		lua_rawgeti(L, -1, i);
		mach = luaL_testudata(L, -1, TLUA_MACHINE);
		if (mach && mach->m)
			out[n++] = mach->m;
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return n;
}

void tlua_open_report(lua_State *L)
{
	luaL_getmetatable(L, TLUA_MACHINE);
	lua_getfield(L, -1, "methods");
	lua_pushcfunction(L, m_report);
	lua_setfield(L, -2, "report");
	lua_pop(L, 2);
}
