/*
 * lua_reclaim.c - the reclaim methods of the machine object: m:kswapd(),
 * m:reclaim(n) and m:vm_event(name). See docs/lua-api.md.
 */
#include <tuxmm/tuxmm.h>

#include "tuxmm_lua.h"

/* m:kswapd() - run kswapd now (reclaim to the high watermark): the pages it freed. */
static int m_kswapd(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)tuxmm_kswapd(tlua_check_machine(L, "m:kswapd")->m));
	return 1;
}

/* m:reclaim(n) - reclaim up to n pages as kswapd would, whatever the watermarks: pages freed. */
static int m_reclaim(lua_State *L)
{
	struct machine *m = tlua_check_machine(L, "m:reclaim")->m;
	lua_Integer n = luaL_checkinteger(L, 2);

	if (n < 0)
		return tlua_argerror(L, 2, "m:reclaim", "a number of pages is 0 or more");
	lua_pushinteger(L, (lua_Integer)tuxmm_reclaim(m, (unsigned long)n));
	return 1;
}

/* m:vm_event(name) - one /proc/vmstat counter, or nil, "ENOENT". */
static int m_vm_event(lua_State *L)
{
	struct machine *m = tlua_check_machine(L, "m:vm_event")->m;
	const char *name = tlua_check_string(L, 2, "m:vm_event");
	unsigned long v;
	int ret = tuxmm_vm_event(m, name, &v);

	if (ret)
		return tlua_fail(L, ret);
	lua_pushinteger(L, (lua_Integer)v);
	return 1;
}

static const luaL_Reg reclaim_methods[] = {
	{ "kswapd", m_kswapd },
	{ "reclaim", m_reclaim },
	{ "vm_event", m_vm_event },
	{ NULL, NULL },
};

void tlua_open_reclaim(lua_State *L)
{
	tlua_add_methods(L, TLUA_MACHINE, reclaim_methods);
}
