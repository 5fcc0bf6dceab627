/*
 * cmd_run.c - `tuxmm run FILE.lua [ARGS...]`: run a Lua scenario with the module `tuxmm`
 * preloaded as a global, `arg` and `...` set as the standalone lua interpreter sets them.
 * Exit status: 0 when the scenario ends, 1 when it raises an error, 2 for bad usage.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "cli.h"
#include "tuxmm_lua.h"

static void run_usage(FILE *out)
{
	fprintf(out,
		"usage: tuxmm run FILE.lua [ARGS...]\n"
		"\n"
		"Run a Lua 5.4 scenario. The module `tuxmm` is loaded as a global:\n"
		"\n"
		"  local m = tuxmm.boot{ram = \"64M\"}\n"
		"  local t = m:spawn(\"demo\")\n"
		"  local a = t:mmap(nil, 8192, \"rw-\", \"private,anonymous\")\n"
		"  print(m:proc(\"/proc/\" .. t.pid .. \"/maps\"))\n"
		"\n"
		"ARGS are in the table `arg` (arg[0] is FILE) and in `...`. A failed system call\n"
		"returns nil and its errno name; misuse of the API raises an error. See\n"
		"docs/lua-api.md.\n"
		"\n"
		"  -h, --help   this help\n"
		"\n"
		"exit status: 0 when the scenario ends, 1 when it raises an error (printed with\n"
		"its file:line), 2 for bad usage\n");
}

/* msgh - the message handler: the error with a traceback. */
static int msgh(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);

	if (!msg) {
		if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
			msg = lua_tostring(L, -1);
		else
			msg = lua_pushfstring(L, "(error object is a %s value)",
					      luaL_typename(L, 1));
	}
	luaL_traceback(L, L, msg, 1);
	return 1;
}

/* set_args - the global `arg` as lua.c builds it, then push ARGS for the chunk's `...`. */
static int set_args(lua_State *L, int argc, char **argv, int script)
{
	lua_createtable(L, argc - script - 1, script + 1);
	lua_pushliteral(L, "tuxmm");
	lua_rawseti(L, -2, -2);
	lua_pushliteral(L, "run");
	lua_rawseti(L, -2, -1);
	for (int i = script; i < argc; i++) {
		lua_pushstring(L, argv[i]);
		lua_rawseti(L, -2, i - script);
	}
	lua_setglobal(L, "arg");
	for (int i = script + 1; i < argc; i++)
		lua_pushstring(L, argv[i]);
	return argc - script - 1;
}

int cmd_run(int argc, char **argv)
{
	int script = 1, ret;
	lua_State *L;
	FILE *f;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		run_usage(stdout);
		return EXIT_OK;
	}
	if (argc > 1 && !strcmp(argv[1], "--"))
		script = 2;
	else if (argc > 1 && argv[1][0] == '-' && argv[1][1])
		return cli_error("run", "unknown option '%s' (try tuxmm run --help)", argv[1]);
	if (script >= argc)
		return cli_error("run", "no scenario given: tuxmm run FILE.lua [ARGS...]");
	f = fopen(argv[script], "r");
	if (!f)
		return cli_error("run", "%s: %s", argv[script], strerror(errno));
	fclose(f);

	L = luaL_newstate();
	if (!L) {
		fprintf(stderr, "tuxmm run: out of host memory\n");
		return EXIT_FAIL;
	}
	luaL_openlibs(L);
	luaL_requiref(L, "tuxmm", luaopen_tuxmm, 1);
	lua_pop(L, 1);
	ret = cli_run_scenario("run", L, argc, argv, script);
	lua_close(L);
	fflush(stdout);
	return ret;
}

int cli_run_scenario(const char *cmd, struct lua_State *L, int argc, char **argv, int script)
{
	int nargs, ret, handler;

	lua_pushcfunction(L, msgh);
	handler = lua_gettop(L);
	ret = luaL_loadfile(L, argv[script]);
	if (ret == LUA_OK) {
		nargs = set_args(L, argc, argv, script);
		ret = lua_pcall(L, nargs, 0, handler);
	}
	if (ret != LUA_OK) {
		const char *msg = lua_tostring(L, -1);

		fprintf(stderr, "tuxmm %s: %s\n", cmd, msg ? msg : "(error without a message)");
		lua_pop(L, 2);
		return EXIT_FAIL;
	}
	lua_pop(L, 1);
	return EXIT_OK;
}
