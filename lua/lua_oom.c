/*
 * lua_oom.c - the OOM killer's task methods: t:oom_score_adj([value]) reads or
 * writes /proc/PID/oom_score_adj, t:oom_score() reads /proc/PID/oom_score and
 * t:killed() says whether the OOM killer killed the task (docs/oom.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "tuxmm_lua.h"

/* t:oom_score_adj([value]) - the value; with one, set it (-1000..1000): true or nil, "EINVAL". */
static int t_oom_score_adj(lua_State *L)
{
	static const char fn[] = "t:oom_score_adj";
	struct task_struct *t = tlua_check_task(L, fn);
	lua_Integer v;

	if (lua_isnoneornil(L, 2)) {
		lua_pushinteger(L, tuxmm_oom_score_adj(t));
		return 1;
	}
	if (!lua_isinteger(L, 2))
		return tlua_argerror(L, 2, fn, "an integer from -1000 to 1000, got %s",
				     luaL_typename(L, 2));
	v = lua_tointeger(L, 2);
	if (v < -1000 || v > 1000)
		return tlua_fail(L, -EINVAL);
	return tlua_result(L, tuxmm_set_oom_score_adj(t, (int)v));
}

/* t:oom_score() - /proc/PID/oom_score as an integer (0..2000), or nil, "ESRCH" once reaped. */
static int t_oom_score(lua_State *L)
{
	struct task_struct *t = tlua_check_task(L, "t:oom_score");
	char path[64], *text;
	size_t len;
	int ret;

	snprintf(path, sizeof(path), "/proc/%d/oom_score", tuxmm_task_pid(t));
	ret = tuxmm_proc_read(tuxmm_task_machine(t), path, &text, &len);
	if (ret)
		return tlua_fail(L, ret == -ENOENT ? -ESRCH : ret);
	lua_pushinteger(L, strtoll(text, NULL, 10));
	free(text);
	return 1;
}

/* t:killed() - whether the OOM killer killed the task. */
static int t_killed(lua_State *L)
{
	lua_pushboolean(L, tuxmm_task_killed(tlua_check_task(L, "t:killed")));
	return 1;
}

static const luaL_Reg oom_methods[] = {
	{ "oom_score_adj", t_oom_score_adj },
	{ "oom_score", t_oom_score },
	{ "killed", t_killed },
	{ NULL, NULL },
};

void tlua_open_oom(lua_State *L)
{
	tlua_add_methods(L, TLUA_TASK, oom_methods);
}
