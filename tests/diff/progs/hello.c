/*
 * hello.c - the smallest real program, linked as each kind of ELF executable
 * (static, static-pie, dynamic non-PIE) for the exec tests. It never runs
 * past the exec stop there; run directly it just exits.
 */
int main(void)
{
	return 0;
}
