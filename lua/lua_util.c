/*
 * lua_util.c - argument checking and result conventions of the Lua binding.
 * Misuse of the API (a wrong type, an unknown flag word) raises a Lua error naming the call
 * and the argument; a failed system call returns nil and its errno name, as io.open does.
 */
#include <stdarg.h>
#include <stdio.h>

#include "tuxmm_lua.h"

/* The argument number the user sees: a method's object (t, m) is not counted. */
static int user_argno(const char *fn, int i)
{
	for (const char *p = fn; *p; p++)
		if (*p == ':')
			return i - 1;
	return i;
}

int tlua_argerror(lua_State *L, int i, const char *fn, const char *fmt, ...)
{
	char msg[TUXMM_ERRMSG_MAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return luaL_error(L, "%s: argument %d: %s", fn, user_argno(fn, i), msg);
}

static int type_error(lua_State *L, int i, const char *fn, const char *want)
{
	return tlua_argerror(L, i, fn, "expected %s, got %s", want, luaL_typename(L, i));
}

/*
 * tlua_check_addr - an address: an integer (or a float with an integral value). Addresses
 * above 2^63 (the kernel half) are negative Lua integers; they convert back unchanged.
 */
uint64_t tlua_check_addr(lua_State *L, int i, const char *fn)
{
	int isnum;
	lua_Integer v;

	if (lua_type(L, i) != LUA_TNUMBER)
		return (uint64_t)type_error(L, i, fn, "an address (integer)");
	v = lua_tointegerx(L, i, &isnum);
	if (!isnum)
		return (uint64_t)tlua_argerror(L, i, fn, "%s is not an integer",
					       lua_tostring(L, i));
	return (uint64_t)v;
}

/* tlua_opt_addr - like tlua_check_addr; nil or absent gives @def. */
uint64_t tlua_opt_addr(lua_State *L, int i, const char *fn, uint64_t def)
{
	if (lua_isnoneornil(L, i))
		return def;
	return tlua_check_addr(L, i, fn);
}

/*
 * tlua_check_size - a length or size: a non-negative integer, or a string with a K, M, G or T
 * suffix ("4K", "2M") as tuxmm.boot's ram takes.
 */
uint64_t tlua_check_size(lua_State *L, int i, const char *fn)
{
	uint64_t bytes;

	if (lua_type(L, i) == LUA_TSTRING) {
		if (tuxmm_parse_size(lua_tostring(L, i), &bytes))
			return (uint64_t)tlua_argerror(L, i, fn,
						       "'%s' is not a size (like 4096, 16K or 2M)",
						       lua_tostring(L, i));
		return bytes;
	}
	if (lua_type(L, i) != LUA_TNUMBER)
		return (uint64_t)type_error(L, i, fn, "a size (integer or string like \"16K\")");
	if (!lua_isinteger(L, i)) {
		lua_Integer v;

		if (!lua_numbertointeger(lua_tonumber(L, i), &v))
			return (uint64_t)tlua_argerror(L, i, fn, "%s is not an integer",
						       lua_tostring(L, i));
	}
	return (uint64_t)lua_tointeger(L, i);
}

const char *tlua_check_string(lua_State *L, int i, const char *fn)
{
	if (lua_type(L, i) != LUA_TSTRING)
		return (const char *)(intptr_t)type_error(L, i, fn, "a string");
	return lua_tostring(L, i);
}

const char *tlua_opt_string(lua_State *L, int i, const char *fn, const char *def)
{
	if (lua_isnoneornil(L, i))
		return def;
	return tlua_check_string(L, i, fn);
}

/*
 * tlua_check_flags - a flag string parsed by @parse ("private,anonymous"); nil or absent
 * gives @def (NULL: the argument is required). An unknown word raises the parser's message.
 */
int tlua_check_flags(lua_State *L, int i, const char *fn,
		     int (*parse)(const char *s, int *out, char *err), const char *def)
{
	char err[TUXMM_ERRMSG_MAX] = "";
	const char *s = def ? tlua_opt_string(L, i, fn, def) : tlua_check_string(L, i, fn);
	int v = 0;

	if (parse(s, &v, err))
		return tlua_argerror(L, i, fn, "%s", err);
	return v;
}

int tlua_fail(lua_State *L, int err)
{
	lua_pushnil(L);
	lua_pushstring(L, tuxmm_errno_name(err));
	return 2;
}

int tlua_result(lua_State *L, int ret)
{
	if (ret)
		return tlua_fail(L, ret);
	lua_pushboolean(L, 1);
	return 1;
}
