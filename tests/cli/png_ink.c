/*
 * png_ink.c - how much of a screenshot is drawn: reads an 8-bit RGB or RGBA PNG (what
 * headless Chromium writes) and prints "width=W height=H ink=N colors=C", where ink counts
 * pixels that are not near-white and colors counts distinct colours (quantized to 4 bits
 * per channel). test_report.sh compiles it with the host's cc and zlib.
 * usage: png_ink FILE.png
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

int main(int argc, char **argv)
{
	FILE *f;
	unsigned char *file, *idat = NULL, *raw, *prev, *cur;
	size_t len, nidat = 0, pos = 8;
	uint32_t w = 0, h = 0;
	int ctype = -1, bpp;
	unsigned long long ink = 0, colors = 0;
	static unsigned char seen[1 << 12];
	uLongf rawlen;

	if (argc != 2 || !(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: png_ink FILE.png\n");
		return 2;
	}
	fseek(f, 0, SEEK_END);
	len = (size_t)ftell(f);
	rewind(f);
	file = malloc(len);
	if (!file || fread(file, 1, len, f) != len || len < 8 || memcmp(file, "\x89PNG", 4)) {
		fprintf(stderr, "png_ink: %s is not a PNG file\n", argv[1]);
		return 1;
	}
	fclose(f);
	while (pos + 12 <= len) {
		uint32_t clen = be32(file + pos);
		const unsigned char *type = file + pos + 4, *data = file + pos + 8;

		if (pos + 12 + clen > len)
			break;
		if (!memcmp(type, "IHDR", 4)) {
			w = be32(data);
			h = be32(data + 4);
			if (data[8] != 8 || (data[9] != 2 && data[9] != 6) || data[12]) {
				fprintf(stderr, "png_ink: only 8-bit RGB/RGBA, not interlaced\n");
				return 1;
			}
			ctype = data[9];
		} else if (!memcmp(type, "IDAT", 4)) {
			idat = realloc(idat, nidat + clen);
			memcpy(idat + nidat, data, clen);
			nidat += clen;
		}
		pos += 12 + clen;
	}
	if (ctype < 0 || !w || !h || !idat) {
		fprintf(stderr, "png_ink: %s: no image data\n", argv[1]);
		return 1;
	}
	bpp = ctype == 6 ? 4 : 3;
	rawlen = (uLongf)h * (1 + (uLongf)w * bpp);
	raw = malloc(rawlen);
	if (!raw || uncompress(raw, &rawlen, idat, nidat) != Z_OK) {
		fprintf(stderr, "png_ink: %s: bad compressed data\n", argv[1]);
		return 1;
	}
	prev = calloc((size_t)w * bpp, 1);
	for (uint32_t y = 0; y < h; y++) {
		unsigned char *line = raw + (size_t)y * (1 + (size_t)w * bpp);
		int filter = line[0];

		cur = line + 1;
		for (size_t i = 0; i < (size_t)w * bpp; i++) {
			int a = i >= (size_t)bpp ? cur[i - bpp] : 0, b = prev[i];
			int c = i >= (size_t)bpp ? prev[i - bpp] : 0;

			switch (filter) {
			case 1: cur[i] += a; break;
			case 2: cur[i] += b; break;
			case 3: cur[i] += (a + b) / 2; break;
			case 4: cur[i] += paeth(a, b, c); break;
			}
		}
		for (uint32_t x = 0; x < w; x++) {
			const unsigned char *p = cur + (size_t)x * bpp;
			unsigned int q = (p[0] >> 4) << 8 | (p[1] >> 4) << 4 | p[2] >> 4;

			if (p[0] < 235 || p[1] < 235 || p[2] < 235)
				ink++;
			if (!seen[q]) {
				seen[q] = 1;
				colors++;
			}
		}
		memcpy(prev, cur, (size_t)w * bpp);
	}
	printf("width=%u height=%u ink=%llu colors=%llu\n", w, h, ink, colors);
	return 0;
}
