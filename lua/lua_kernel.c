/*
 * lua_kernel.c - the kernel's own memory, seen from Lua: m:vmalloc(size), m:vfree(addr),
 * and m:vread / m:vwrite to copy through the kernel's page tables. A user task cannot
 * touch these addresses (the kernel half is not user-accessible); the kernel can.
 */
#include "tuxmm_lua.h"

#define TLUA_VCOPY_MAX	(64UL << 20)	/* bytes in one m:vread */

/* m:vmalloc(size) - the kernel address of a new vmalloc area, or nil, "ENOMEM". */
static int m_vmalloc(lua_State *L)
{
	static const char fn[] = "m:vmalloc";
	struct machine *m = tlua_check_machine(L, fn)->m;
	uint64_t size = tlua_check_size(L, 2, fn), addr;
	int ret;

	if (!size)
		return tlua_argerror(L, 2, fn, "the size must be at least 1 byte");
	ret = tuxmm_vmalloc(m, size, &addr);
	if (ret)
		return tlua_fail(L, ret);
	lua_pushinteger(L, (lua_Integer)addr);
	return 1;
}

/* m:vfree(addr) - true, or nil, "EINVAL" for an address m:vmalloc did not return. */
static int m_vfree(lua_State *L)
{
	static const char fn[] = "m:vfree";
	struct machine *m = tlua_check_machine(L, fn)->m;

	return tlua_result(L, tuxmm_vfree(m, tlua_check_addr(L, 2, fn)));
}

/* m:vread(addr, n) - @n bytes read by the kernel at @addr, or nil, "EFAULT". */
static int m_vread(lua_State *L)
{
	static const char fn[] = "m:vread";
	struct machine *m = tlua_check_machine(L, fn)->m;
	uint64_t addr = tlua_check_addr(L, 2, fn);
	uint64_t n = tlua_check_size(L, 3, fn);
	luaL_Buffer b;
	char *buf;
	int ret;

	if (n > TLUA_VCOPY_MAX)
		return tlua_argerror(L, 3, fn, "at most %lu bytes at once", TLUA_VCOPY_MAX);
	buf = luaL_buffinitsize(L, &b, n ? n : 1);
	ret = tuxmm_vread(m, addr, buf, n);
	if (ret)
		return tlua_fail(L, ret);
	luaL_pushresultsize(&b, n);
	return 1;
}

/* m:vwrite(addr, s) - the kernel stores the bytes of @s at @addr: true, or nil, "EFAULT". */
static int m_vwrite(lua_State *L)
{
	static const char fn[] = "m:vwrite";
	struct machine *m = tlua_check_machine(L, fn)->m;
	uint64_t addr = tlua_check_addr(L, 2, fn);
	const char *s = tlua_check_string(L, 3, fn);

	return tlua_result(L, tuxmm_vwrite(m, addr, s, lua_rawlen(L, 3)));
}

static const luaL_Reg kernel_methods[] = {
	{ "vmalloc", m_vmalloc },
	{ "vfree", m_vfree },
	{ "vread", m_vread },
	{ "vwrite", m_vwrite },
	{ NULL, NULL },
};

void tlua_open_kernel(lua_State *L)
{
	tlua_add_methods(L, TLUA_MACHINE, kernel_methods);
}
