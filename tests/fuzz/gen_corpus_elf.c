/*
 * gen_corpus_elf.c - write the fuzz corpus for the exec planner (tests/fuzz/corpus-elf/)
 * from real binaries: each is compacted to one 4 KiB page that stays a valid ELF (every
 * PT_LOAD maps that page), then broken in the ways a loader must survive.
 *   gen_corpus_elf OUTDIR PIE-WITH-INTERP STATIC STATIC-PIE
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096

struct image {
	unsigned char b[PAGE];
	size_t size;
};

/* compact - the first page of @path with every PT_LOAD's file bytes moved into it. */
static int compact(const char *path, struct image *img)
{
	FILE *f = fopen(path, "rb");
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img->b;

	if (!f) {
		perror(path);
		return -1;
	}
	memset(img, 0, sizeof(*img));
	img->size = fread(img->b, 1, PAGE, f);
	fclose(f);
	if (img->size < sizeof(*eh) || memcmp(img->b, ELFMAG, SELFMAG) ||
	    eh->e_phoff + (size_t)eh->e_phnum * sizeof(Elf64_Phdr) > PAGE) {
		fprintf(stderr, "%s: not a compactable ELF64 file\n", path);
		return -1;
	}
	img->size = PAGE;
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr *ph = (Elf64_Phdr *)(img->b + eh->e_phoff) + i;

		if (ph->p_type != PT_LOAD)
			continue;
		ph->p_offset = ph->p_vaddr % PAGE;
		if (ph->p_filesz > PAGE - ph->p_offset)
			ph->p_filesz = PAGE - ph->p_offset;
		if (ph->p_memsz < ph->p_filesz)
			ph->p_memsz = ph->p_filesz;
	}
	return 0;
}

static Elf64_Phdr *phdr(struct image *img, unsigned int type, unsigned int nth)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img->b;

	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr *ph = (Elf64_Phdr *)(img->b + eh->e_phoff) + i;

		if (ph->p_type == type && nth-- == 0)
			return ph;
	}
	return NULL;
}

static int write_image(const char *dir, const char *name, const struct image *img)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(img->b, 1, img->size, f) != img->size || fclose(f)) {
		perror(path);
		return -1;
	}
	return 0;
}

/* A variant: a name and what to do to a copy of the PIE. */
struct variant {
	const char *name;
	void (*mutate)(struct image *img);
};

#define EH(img) ((Elf64_Ehdr *)(img)->b)

static void m_empty(struct image *i) { i->size = 0; }
static void m_short(struct image *i) { i->size = 10; }
static void m_magic(struct image *i) { i->b[1] = 'e'; }
static void m_class32(struct image *i) { i->b[EI_CLASS] = ELFCLASS32; }
static void m_bigendian(struct image *i) { i->b[EI_DATA] = ELFDATA2MSB; }
static void m_rel(struct image *i) { EH(i)->e_type = ET_REL; }
static void m_aarch64(struct image *i) { EH(i)->e_machine = EM_AARCH64; }
static void m_phentsize(struct image *i) { EH(i)->e_phentsize = 32; }
static void m_phnum0(struct image *i) { EH(i)->e_phnum = 0; }
static void m_phnum74(struct image *i) { EH(i)->e_phnum = 74; }
static void m_phnum_max(struct image *i) { EH(i)->e_phnum = 0xffff; }
static void m_phoff_eof(struct image *i) { EH(i)->e_phoff = PAGE - 40; }
static void m_phoff_wrap(struct image *i) { EH(i)->e_phoff = ~7ULL; }
static void m_truncated_phdrs(struct image *i) { i->size = EH(i)->e_phoff + 100; }
static void m_interp_nonul(struct image *i)
{
	Elf64_Phdr *p = phdr(i, PT_INTERP, 0);

	i->b[p->p_offset + p->p_filesz - 1] = 'x';
}
static void m_interp_long(struct image *i) { phdr(i, PT_INTERP, 0)->p_filesz = 4097; }
static void m_interp_one(struct image *i) { phdr(i, PT_INTERP, 0)->p_filesz = 1; }
static void m_interp_eof(struct image *i) { phdr(i, PT_INTERP, 0)->p_offset = PAGE - 4; }
static void m_interp_empty(struct image *i)
{
	Elf64_Phdr *p = phdr(i, PT_INTERP, 0);

	memset(i->b + p->p_offset, 0, p->p_filesz);
}
static void m_filesz_gt_memsz(struct image *i)
{
	Elf64_Phdr *p = phdr(i, PT_LOAD, 1);

	p->p_memsz = p->p_filesz - 1;
}
static void m_misaligned(struct image *i) { phdr(i, PT_LOAD, 1)->p_offset += 8; }
static void m_overlap(struct image *i)
{
	Elf64_Phdr *p = phdr(i, PT_LOAD, 1);

	/* over the first segment, its file offset still congruent */
	p->p_vaddr = phdr(i, PT_LOAD, 0)->p_vaddr + p->p_offset % PAGE;
}
static void m_unordered(struct image *i)
{
	Elf64_Phdr a = *phdr(i, PT_LOAD, 0), *last = phdr(i, PT_LOAD, 3);

	*phdr(i, PT_LOAD, 0) = *last;
	*last = a;
}
static void m_vaddr_high(struct image *i) { phdr(i, PT_LOAD, 0)->p_vaddr = 0x7ffffffff000ULL; }
static void m_entry_high(struct image *i) { EH(i)->e_entry = 0xffff800000000000ULL; }
static void m_memsz_huge(struct image *i) { phdr(i, PT_LOAD, 3)->p_memsz = 1ULL << 63; }
static void m_bss_eof(struct image *i)
{
	Elf64_Phdr *p = phdr(i, PT_LOAD, 3);

	/* its last file byte mid-page, that page past the end of the file */
	p->p_offset += 2 * PAGE;
	p->p_filesz -= 0x10;
}
static void m_align_2m(struct image *i) { phdr(i, PT_LOAD, 1)->p_align = 2 << 20; }
static void m_gnu_stack_x(struct image *i) { phdr(i, PT_GNU_STACK, 0)->p_flags |= PF_X; }
static void m_no_load(struct image *i)
{
	for (Elf64_Phdr *p; (p = phdr(i, PT_LOAD, 0));)
		p->p_type = PT_NULL;
}
static void m_zero_span(struct image *i)
{
	for (int n = 0; n < 4; n++) {
		phdr(i, PT_LOAD, n)->p_vaddr = 0x1000;
		phdr(i, PT_LOAD, n)->p_offset = 0;
		phdr(i, PT_LOAD, n)->p_filesz = phdr(i, PT_LOAD, n)->p_memsz = 0;
	}
}

static const struct variant variants[] = {
	{ "empty", m_empty },
	{ "short-10-bytes", m_short },
	{ "bad-magic", m_magic },
	{ "class32", m_class32 },
	{ "big-endian", m_bigendian },
	{ "et-rel", m_rel },
	{ "machine-aarch64", m_aarch64 },
	{ "phentsize-32", m_phentsize },
	{ "phnum-0", m_phnum0 },
	{ "phnum-74", m_phnum74 },
	{ "phnum-65535", m_phnum_max },
	{ "phoff-past-eof", m_phoff_eof },
	{ "phoff-wraps", m_phoff_wrap },
	{ "phdrs-truncated", m_truncated_phdrs },
	{ "interp-not-nul", m_interp_nonul },
	{ "interp-4097-bytes", m_interp_long },
	{ "interp-1-byte", m_interp_one },
	{ "interp-past-eof", m_interp_eof },
	{ "interp-empty-path", m_interp_empty },
	{ "load-filesz-gt-memsz", m_filesz_gt_memsz },
	{ "load-offset-misaligned", m_misaligned },
	{ "load-overlapping", m_overlap },
	{ "load-unordered", m_unordered },
	{ "load-vaddr-past-task-size", m_vaddr_high },
	{ "entry-past-task-size", m_entry_high },
	{ "load-memsz-2-63", m_memsz_huge },
	{ "bss-page-past-eof", m_bss_eof },
	{ "load-align-2m", m_align_2m },
	{ "gnu-stack-exec", m_gnu_stack_x },
	{ "no-pt-load", m_no_load },
	{ "load-span-zero", m_zero_span },
};

int main(int argc, char **argv)
{
	static const char *const kinds[] = { "valid-pie-interp", "valid-static",
					     "valid-static-pie" };
	struct image base, img;
	int bad = 0;

	if (argc != 5) {
		fprintf(stderr, "usage: %s OUTDIR PIE-WITH-INTERP STATIC STATIC-PIE\n", argv[0]);
		return 2;
	}
	for (int k = 0; k < 3; k++) {
		if (compact(argv[2 + k], &img))
			return 1;
		bad |= write_image(argv[1], kinds[k], &img);
	}
	if (compact(argv[2], &base))
		return 1;
	if (!phdr(&base, PT_INTERP, 0) || !phdr(&base, PT_LOAD, 3) ||
	    !phdr(&base, PT_GNU_STACK, 0)) {
		fprintf(stderr, "%s: want PT_INTERP, four PT_LOADs and PT_GNU_STACK\n", argv[2]);
		return 1;
	}
	for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
		img = base;
		variants[v].mutate(&img);
		bad |= write_image(argv[1], variants[v].name, &img);
	}
	return bad ? 1 : 0;
}
