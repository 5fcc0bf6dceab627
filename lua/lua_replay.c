/*
 * lua_replay.c - trace replay in Lua: tuxmm.replay(path, {options}) runs
 * tuxmm_replay() and returns its counts as a table; tuxmm.policies() lists the
 * page-out policies. See docs/lua-api.md and docs/replay.md.
 */
#include <string.h>

#include "tuxmm_lua.h"

#define FN "tuxmm.replay"

static const char *const replay_options[] = { "policy", "frames", "page_size", "ram", "seed",
					      "exec", NULL };

/* replay_opts - read the options table at index 2 into @o (raises on a bad key or value). */
static void replay_opts(lua_State *L, struct tuxmm_replay_opts *o)
{
	if (lua_isnoneornil(L, 2))
		return;
	luaL_checktype(L, 2, LUA_TTABLE);
	lua_pushnil(L);
	while (lua_next(L, 2)) {
		const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		int top = lua_gettop(L);
		size_t k;

		for (k = 0; key && replay_options[k] && strcmp(key, replay_options[k]); k++)
			;
		if (!key || !replay_options[k])
			luaL_error(L, FN ": unknown option '%s' (known: policy, frames, page_size, "
				   "ram, seed, exec)", key ? key : "?");
		if (!strcmp(key, "policy")) {
			o->policy = tlua_check_string(L, top, FN);
		} else if (!strcmp(key, "frames")) {
			o->frames = tlua_check_addr(L, top, FN);
		} else if (!strcmp(key, "page_size")) {
			uint64_t bytes = tlua_check_size(L, top, FN);

			if (bytes != 4096 && bytes != 16384 && bytes != 65536)
				luaL_error(L, FN ": page_size must be 4K, 16K or 64K");
			o->page_shift = bytes == 4096 ? 12 : bytes == 16384 ? 14 : 16;
		} else if (!strcmp(key, "exec")) {
			if (lua_type(L, top) != LUA_TSTRING || !lua_tostring(L, top)[0])
				luaL_error(L, FN ": exec must be a program's path (a string)");
			o->exec = lua_tostring(L, top);
		} else if (!strcmp(key, "ram")) {
			o->ram_bytes = tlua_check_size(L, top, FN);
		} else {
			o->seed = tlua_check_addr(L, top, FN);
		}
		lua_pop(L, 1);
	}
}

static void set_int(lua_State *L, const char *key, uint64_t v)
{
	lua_pushinteger(L, (lua_Integer)v);
	lua_setfield(L, -2, key);
}

/*
 * tuxmm.replay(path [, {policy=, frames=, page_size=, ram=, seed=, exec=}]) - the counts of one
 * replay, or nil, the errno name and the message.
 */
static int l_replay(lua_State *L)
{
	const char *path = tlua_check_string(L, 1, FN);
	struct tuxmm_replay_opts o = { 0 };
	struct tuxmm_replay_result r;
	char err[TUXMM_ERRMSG_MAX] = "";
	int ret;

	replay_opts(L, &o);
	ret = tuxmm_replay(path, &o, &r, err);
	if (ret) {
		tlua_fail(L, ret);
		lua_pushstring(L, err);
		return 3;
	}
	lua_newtable(L);
	lua_pushstring(L, r.policy);
	lua_setfield(L, -2, "policy");
	set_int(L, "frames", r.frames);
	set_int(L, "page_size", r.page_size);
	set_int(L, "accesses", r.accesses);
	set_int(L, "references", r.references);
	set_int(L, "faults", r.faults);
	set_int(L, "minor_faults", r.minor_faults);
	set_int(L, "major_faults", r.major_faults);
	set_int(L, "page_ins", r.page_ins);
	set_int(L, "page_outs", r.page_outs);
	set_int(L, "writebacks", r.writebacks);
	set_int(L, "distinct_pages", r.distinct_pages);
	lua_pushnumber(L, r.tlb_hit_rate);
	lua_setfield(L, -2, "tlb_hit_rate");
	lua_pushstring(L, r.format ? r.format : "");
	lua_setfield(L, -2, "format");
	set_int(L, "segv", r.segv);
	set_int(L, "file_pages", r.file_pages);
	set_int(L, "anon_pages", r.anon_pages);
	if (r.segv) {
		set_int(L, "segv_line", r.segv_line);
		set_int(L, "segv_addr", r.segv_addr);
		lua_pushstring(L, r.segv_access);
		lua_setfield(L, -2, "segv_access");
	}
	return 1;
}

/* tuxmm.policies() - {"linux", "clock", ...}, the default first. */
static int l_policies(lua_State *L)
{
	lua_newtable(L);
	for (size_t i = 0; tuxmm_policy_name(i); i++) {
		lua_pushstring(L, tuxmm_policy_name(i));
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

void tlua_open_replay(lua_State *L)
{
	lua_pushcfunction(L, l_replay);
	lua_setfield(L, -2, "replay");
	lua_pushcfunction(L, l_policies);
	lua_setfield(L, -2, "policies");
}
