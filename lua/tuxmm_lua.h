/*
 * tuxmm_lua.h - the Lua 5.4 binding of the C API (module `tuxmm`), shared by its files:
 * lua_module.c (tuxmm.boot, the machine object), lua_task.c (the task object) and
 * lua_util.c (argument checking and Lua's result convention). See docs/lua-api.md.
 */
#ifndef TUXMM_LUA_H
#define TUXMM_LUA_H

#include <stdbool.h>
#include <stdint.h>

#include <lauxlib.h>
#include <lua.h>

#include <tuxmm/tuxmm.h>

#define TLUA_MACHINE	"tuxmm.machine"		/* metatable names in the registry */
#define TLUA_TASK	"tuxmm.task"

/* The machine object: owns the machine; NULL once closed. */
struct tlua_machine {
	struct machine *m;
};

/*
 * The task object: a pid on a machine, looked up at every call, so a task that has
 * exited (by t:exit() or otherwise) is reported as such instead of dangling. Its user
 * value 1 is the machine object, which keeps the machine alive while the task is used.
 */
struct tlua_task {
	struct tlua_machine *mach;
	int pid;
};

/* luaopen_tuxmm - open the module: its table on the stack. */
int luaopen_tuxmm(lua_State *L);

/* tlua_open_task - register the task metatable (called by luaopen_tuxmm). */
void tlua_open_task(lua_State *L);

/* tlua_open_kernel - add m:vmalloc, m:vfree, m:vread, m:vwrite (lua_kernel.c). */
void tlua_open_kernel(lua_State *L);

/*
 * lua_report.c: m:report{} (tlua_open_report, called by luaopen_tuxmm), and for `tuxmm
 * report SCENARIO.lua`: tlua_track_boots() makes tuxmm.boot remember every machine it
 * boots; tlua_booted_machines() lists those still open, in boot order.
 */
void tlua_open_report(lua_State *L);
void tlua_track_boots(lua_State *L);
struct machine;
unsigned int tlua_booted_machines(lua_State *L, struct machine **out, unsigned int max);

/* tlua_open_replay - add tuxmm.replay and tuxmm.policies to the module table on top. */
void tlua_open_replay(lua_State *L);

/*
 * tlua_check_machine - the machine object of method @fn (argument 1); a Lua error naming
 * @fn if it is not a machine or has been closed.
 */
struct tlua_machine *tlua_check_machine(lua_State *L, const char *fn);
/* tlua_add_methods - add @funcs to the methods of the objects of @metatable (TLUA_MACHINE, ...). */
void tlua_add_methods(lua_State *L, const char *metatable, const luaL_Reg *funcs);
/* tlua_check_task - the task of method @fn's object (argument 1); a Lua error if it has gone. */
struct task_struct *tlua_check_task(lua_State *L, const char *fn);

/* tlua_open_oom - add the OOM killer's task methods (lua_oom.c) to the task metatable. */
void tlua_open_oom(lua_State *L);
/* tlua_open_reclaim - add m:kswapd, m:reclaim, m:vm_event to the machine's methods. */
void tlua_open_reclaim(lua_State *L);

/* tlua_push_task - push a new task object for @t, which lives on the machine at @mach_idx. */
void tlua_push_task(lua_State *L, int mach_idx, struct task_struct *t);

/*
 * Argument checks for a call named @fn ("t:mmap"). @i is the stack index; messages number
 * arguments as the user wrote them (for a method, the object is not counted). Each raises a
 * Lua error "FN: argument N: ..." on a bad value.
 */
uint64_t tlua_check_addr(lua_State *L, int i, const char *fn);
uint64_t tlua_opt_addr(lua_State *L, int i, const char *fn, uint64_t def);
uint64_t tlua_check_size(lua_State *L, int i, const char *fn);
const char *tlua_check_string(lua_State *L, int i, const char *fn);
const char *tlua_opt_string(lua_State *L, int i, const char *fn, const char *def);
int tlua_check_flags(lua_State *L, int i, const char *fn,
		     int (*parse)(const char *s, int *out, char *err), const char *def);
int tlua_argerror(lua_State *L, int i, const char *fn, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* tlua_fail - push Lua's failure pair: nil and the errno name of @err (negative or not). */
int tlua_fail(lua_State *L, int err);

/* tlua_result - for an action returning 0 or -errno: true, or the failure pair. */
int tlua_result(lua_State *L, int ret);

#endif
