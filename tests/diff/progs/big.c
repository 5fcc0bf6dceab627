/*
 * big.c - a program whose image exceeds a PMD (2 MiB), linked static-pie for
 * the exec tests: Linux places such a file mapping PMD-aligned.
 */
const char blob[3 << 20] = { 1 };

int main(int argc, char **argv)
{
	(void)argv;
	return blob[argc & 1];
}
