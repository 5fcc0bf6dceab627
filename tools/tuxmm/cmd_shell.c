/*
 * cmd_shell.c - `tuxmm shell`: a Lua REPL with a booted machine `m`, a first
 * task `init` (pid 1), and shell-like commands for people who have never seen
 * Lua: `cat /proc/1/maps`, `ps`, `free`, `walk 1 0x400000`, `help`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "cli.h"
#include "tuxmm_lua.h"

/* The helpers, in Lua: each takes the words typed after its name. */
static const char prelude[] =
	"m = tuxmm.boot(...)\n"
	"init = m:spawn('init')\n"
	"local function task(pid)\n"
	"  local t = m:task(tonumber(pid) or 1)\n"
	"  if not t then error('no task with pid ' .. tostring(pid), 0) end\n"
	"  return t\n"
	"end\n"
	"function cat(path)\n"
	"  local text, err = m:proc(path)\n"
	"  if not text then error(path .. ': ' .. err, 0) end\n"
	"  io.write(text)\n"
	"end\n"
	"function ps()\n"
	"  print(string.format('%5s %-16s %10s %10s', 'PID', 'NAME', 'VSZ(kB)', 'RSS(kB)'))\n"
	"  for _, t in ipairs(m:tasks()) do\n"
	"    local st = m:proc('/proc/' .. t.pid .. '/status')\n"
	"    print(string.format('%5d %-16s %10s %10s', t.pid, t.name,\n"
	"      st:match('VmSize:%s+(%d+)') or '0', st:match('VmRSS:%s+(%d+)') or '0'))\n"
	"  end\n"
	"end\n"
	"function free()\n"
	"  local mi = m:proc('/proc/meminfo')\n"
	"  local function v(k) return tonumber(mi:match('\\n?' .. k .. ':%s+(%d+)')) end\n"
	"  local total, free_, avail = v('MemTotal'), v('MemFree'), v('MemAvailable')\n"
	"  local cache = v('Cached') + v('SReclaimable')\n"
	"  print(string.format('%7s %12s %12s %12s %12s %12s %12s', '', 'total', 'used',\n"
	"    'free', 'shared', 'buff/cache', 'available'))\n"
	"  print(string.format('%-7s %12d %12d %12d %12d %12d %12d', 'Mem:', total,\n"
	"    total - free_ - cache, free_, v('Shmem'), cache, avail))\n"
	"  print(string.format('%-7s %12d %12d %12d', 'Swap:', v('SwapTotal'),\n"
	"    v('SwapTotal') - v('SwapFree'), v('SwapFree')))\n"
	"end\n"
	"function walk(pid, addr)\n"
	"  if addr == nil then addr, pid = pid, 1 end\n"
	"  local a = math.tointeger(tonumber(addr))\n"
	"  if not a then error('walk: give PID ADDRESS, like: walk 1 0x400000', 0) end\n"
	"  io.write(assert(task(pid):walk(a)))\n"
	"end\n"
	"function help()\n"
	"  print([[Commands (type them as in a shell):\n"
	"  cat PATH          print a /proc file, e.g. cat /proc/meminfo, cat /proc/1/maps\n"
	"  ps                the tasks, with their virtual and resident sizes\n"
	"  free              memory in kB, like free(1)\n"
	"  walk [PID] ADDR   the page-table walk of ADDR in task PID (default 1)\n"
	"  help              this text;  quit (or Ctrl-D) to leave\n"
	"Anything else is Lua, with the machine in `m` and task 1 in `init`:\n"
	"  a = init:mmap(nil, 16384, 'rw-', 'private,anonymous')\n"
	"  init:write(a, 'hello')        child = init:fork()        cat /proc/2/smaps\n"
	"See docs/lua-api.md for every call.]])\n"
	"end\n";

static const char *const commands[] = { "cat", "ps", "free", "walk", "help", NULL };

static void shell_usage(FILE *out)
{
	fprintf(out,
		"usage: tuxmm shell [--ram SIZE] [--cpus N] [--levels N] [--page-size SIZE] [--seed N]\n"
		"                   [--policy NAME]\n"
		"\n"
		"An interactive shell on a booted machine: Lua with the machine in `m` and a first\n"
		"task `init` (pid 1), plus commands: cat PATH, ps, free, walk [PID] ADDR, help.\n"
		"Lines come from the terminal (with history and line editing) or from stdin.\n"
		"\n"
		"  --ram SIZE         RAM size: 64M (default), 1G, 65536K\n"
		"  --cpus N           number of CPUs (default 1)\n"
		"  --levels N         page-table levels: 2, 3, 4 (default) or 5\n"
		"  --page-size SIZE   4K (default), 16K or 64K\n"
		"  --seed N           seed for every random choice (default 1)\n"
		"  --policy NAME      page-out policy: linux (default), clock, fifo, lru, random\n"
		"  -h, --help         this help\n"
		"\n"
		"example: echo 'cat /proc/meminfo' | tuxmm shell --ram 128M\n");
}

/* as_command - "cat /proc/1/maps" -> cat("/proc/1/maps"), when the first word is a command. */
static bool as_command(lua_State *L, const char *line)
{
	char buf[1024], *words[8], *save = NULL;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok_r(buf, " \t", &save); w && n < 8; w = strtok_r(NULL, " \t", &save))
		words[n++] = w;
	if (!n)
		return false;
	for (size_t i = 0; commands[i]; i++) {
		if (strcmp(words[0], commands[i]))
			continue;
		lua_getglobal(L, words[0]);
		for (int j = 1; j < n; j++)
			lua_pushstring(L, words[j]);
		if (lua_pcall(L, n - 1, 0, 0) != LUA_OK) {
			fprintf(stderr, "%s\n", lua_tostring(L, -1));
			lua_pop(L, 1);
		}
		return true;
	}
	return false;
}

/* eval - a Lua line: an expression's values are printed; a statement is run. */
static void eval(lua_State *L, const char *line)
{
	char *expr;
	int top = lua_gettop(L), ret;

	if (as_command(L, line))
		return;
	expr = malloc(strlen(line) + 8);
	if (!expr)
		return;
	sprintf(expr, "return %s", line);
	ret = luaL_loadbuffer(L, expr, strlen(expr), "=shell");
	free(expr);
	if (ret != LUA_OK) {
		lua_pop(L, 1);
		ret = luaL_loadbuffer(L, line, strlen(line), "=shell");
	}
	if (ret == LUA_OK)
		ret = lua_pcall(L, 0, LUA_MULTRET, 0);
	if (ret != LUA_OK) {
		fprintf(stderr, "%s\n", lua_tostring(L, -1));
		lua_settop(L, top);
		return;
	}
	for (int i = top + 1; i <= lua_gettop(L); i++) {
		luaL_tolstring(L, i, NULL);
		printf("%s%s", i > top + 1 ? "\t" : "", lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	if (lua_gettop(L) > top)
		putchar('\n');
	lua_settop(L, top);
	fflush(stdout);
}

/* next_line - from editline on a terminal, else from stdin; NULL at the end. */
static char *next_line(bool tty)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (tty) {
		line = readline("tuxmm> ");
		if (line && *line)
			add_history(line);
		return line;
	}
	n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		return NULL;
	}
	if (n && line[n - 1] == '\n')
		line[n - 1] = '\0';
	return line;
}

int cmd_shell(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ram", required_argument, NULL, 'r' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "levels", required_argument, NULL, 'l' },
		{ "page-size", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "policy", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool tty = isatty(STDIN_FILENO);
	lua_State *L;
	uint64_t v;
	char *line;
	int opt;

	L = luaL_newstate();
	if (!L) {
		fprintf(stderr, "tuxmm shell: out of host memory\n");
		return EXIT_FAIL;
	}
	luaL_openlibs(L);
	luaL_requiref(L, "tuxmm", luaopen_tuxmm, 1);
	lua_pop(L, 1);
	lua_newtable(L);	/* the boot options */
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case 'r':
		case 'p':
		case 'P':
			lua_pushstring(L, optarg);
			lua_setfield(L, -2, opt == 'r' ? "ram" : opt == 'p' ? "page_size" : "policy");
			break;
		case 'c':
		case 'l':
		case 's':
			if (!cli_parse_uint("shell", argv[optind - 1], optarg, UINT32_MAX, &v)) {
				lua_close(L);
				return EXIT_USAGE;
			}
			lua_pushinteger(L, (lua_Integer)v);
			lua_setfield(L, -2, opt == 'c' ? "cpus" : opt == 'l' ? "levels" : "seed");
			break;
		case 'h':
			shell_usage(stdout);
			lua_close(L);
			return EXIT_OK;
		case ':':
			lua_close(L);
			return cli_error("shell", "%s needs a value", argv[optind - 1]);
		default:
			lua_close(L);
			return cli_error("shell", "unknown option '%s' (try tuxmm shell --help)",
					 argv[optind - 1]);
		}
	}
	if (luaL_loadbuffer(L, prelude, sizeof(prelude) - 1, "=shell") != LUA_OK) {
		fprintf(stderr, "tuxmm shell: %s\n", lua_tostring(L, -1));
		lua_close(L);
		return EXIT_FAIL;
	}
	lua_insert(L, -2);	/* the chunk, then its argument: the options */
	if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
		/* A bad option value (--ram banana) is the user's: usage, one line. */
		int ret = cli_error("shell", "%s", lua_tostring(L, -1));

		lua_close(L);
		return ret;
	}
	if (tty)
		printf("tuxmm %s shell: machine `m`, task `init` (pid 1). Type help.\n",
		       tuxmm_version());
	while ((line = next_line(tty))) {
		if (!strcmp(line, "quit") || !strcmp(line, "exit")) {
			free(line);
			break;
		}
		if (*line)
			eval(L, line);
		free(line);
	}
	lua_close(L);
	return EXIT_OK;
}
