// SPDX-License-Identifier: GPL-2.0
/*
 * image_fuzz - load mutated disc images through OPTSIM_IOC_LOAD
 * (Documentation/image-format.rst, Documentation/testing.rst).
 *
 * Usage: image_fuzz GOOD COUNT [SEED] [DEV]
 *
 * GOOD is a good image (selftests/image.sh creates one with optsimctl). The
 * program copies it to GOOD.fuzz and makes COUNT cases of it from SEED
 * (default 1; printed), in turn of four kinds, so that the kernel's checks
 * of every field are reached and not just its checksums:
 *   0 - a few bytes of the header's fields (its first track entry
 *	 included) changed, its CRC left stale;
 *   1 - the same, the header then resealed over the header_bytes it now
 *	 says (at least 20, at most up to the commit record);
 *   2 - a few bytes of the first metadata block changed, the block resealed;
 *   3 - a journal commit record forged over the zeros where the image has
 *	 none (magic set, the rest random or edge values), resealed.
 * A change is a random byte or a 1-, 2-, 4- or 8-byte field set to a value
 * at the edge of what it holds.
 *
 * Each case is loaded on DEV (default /dev/optsim). It must either be
 * refused with EINVAL, EBADMSG or EOPNOTSUPP and leave the file byte for
 * byte as it was (the first 68 KiB compared, and its size), or load; a
 * loaded case is read at two places (EIO, ENODATA or EINVAL are read
 * results of a spoiled medium) and ejected, and the file is then made
 * GOOD's copy again. The first case that breaks a rule ends the run with
 * status 1. A line every FUZZ_PROGRESS cases tells how far it got; the last
 * line counts the cases and the time spent in the kernel's loads and
 * ejects.
 *
 * It replaces a Python loop of the same cases, whose own run time was
 * most of a run under TCG, so that 10^5 cases fit a debug-kernel boot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/optsim.h>
#include <linux/optsim_image.h>

#include "shim.h"

#define HDR		OPTSIM_IMAGE_HEADER_BYTES
#define META		OPTSIM_IMAGE_META_BLOCK_BYTES
#define COMMIT		OPTSIM_IMAGE_JOURNAL_COMMIT
#define COMMIT_LEN	((int)sizeof(struct optsim_image_journal))
/* The header's fields and its first track entry. */
#define HDR_FIELDS	((int)(offsetof(struct optsim_image_header, track) + \
			       sizeof(struct optsim_image_track)))
/* Fields the cases read or reseal. */
#define HDR_BYTES_AT	((int)offsetof(struct optsim_image_header, header_bytes))
#define HDR_CRC_AT	((int)offsetof(struct optsim_image_header, crc))
#define JL_CRC_AT	((int)offsetof(struct optsim_image_journal, crc))
#define JL_FLAGS_AT	((int)offsetof(struct optsim_image_journal, flags))
/* Where kind 1's reseal stops at the least, and at the most. */
#define RESEAL_MIN	20
#define CASE_BYTES	(HDR + META)
#define READ_BYTES	65536
/* Cases between two progress lines. */
#define FUZZ_PROGRESS	10000

static uint64_t rng;

/* xorshift64*, as the kselftest fuzzers (optsim_utils.h) */
static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() >> 32) % n : 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Values at the edges of what a field can hold. */
static const uint64_t edges[] = {
	0, 1, 2, 3, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff,
	0x80000000, 0xffffffff, 1ULL << 32, (1ULL << 63) - 1, ~0ULL,
};

/* change() - one to four changes in buf[lo, hi): bytes or edge fields */
static void change(uint8_t *buf, int lo, int hi)
{
	int n = 1 + below(4);

	while (n--) {
		if (below(2)) {
			buf[lo + below(hi - lo)] = rnd();
		} else {
			int w = 1 << below(4);
			int off = lo + below((hi - lo) / w) * w;
			uint64_t v = edges[below(sizeof(edges) / sizeof(edges[0]))];
			int i;

			for (i = 0; i < w; i++)
				buf[off + i] = v >> (8 * i);
		}
	}
}

static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/* reseal() - the CRC-32C of buf[lo, hi) into buf[at], taken as 0 there */
static void reseal(uint8_t *buf, int at, int lo, int hi)
{
	put_le32(buf + at, 0);
	put_le32(buf + at, ~osm_crc32c_raw(~0U, buf + lo, hi - lo));
}

static int xpwrite(int fd, const void *p, size_t len, off_t off)
{
	return pwrite(fd, p, len, off) == (ssize_t)len ? 0 : -1;
}

/* copy_image() - make @dst a copy of @src, holes kept */
static int copy_image(int src, int dst, off_t size)
{
	static uint8_t chunk[1 << 20];
	off_t data = 0, hole;

	if (ftruncate(dst, 0) || ftruncate(dst, size))
		return -1;
	for (;;) {
		data = lseek(src, data, SEEK_DATA);
		if (data < 0)
			return errno == ENXIO ? 0 : -1;
		hole = lseek(src, data, SEEK_HOLE);
		if (hole < 0)
			return -1;
		while (data < hole) {
			size_t n = hole - data < (off_t)sizeof(chunk) ?
				   (size_t)(hole - data) : sizeof(chunk);

			if (pread(src, chunk, n, data) != (ssize_t)n ||
			    xpwrite(dst, chunk, n, data))
				return -1;
			data += n;
		}
	}
}

int main(int argc, char **argv)
{
	static uint8_t before[CASE_BYTES], buf[CASE_BYTES], back[CASE_BYTES];
	static uint8_t rd[READ_BYTES];
	struct optsim_load load = { .flags = OPTSIM_LOAD_F_IMAGE };
	struct optsim_empty empty = { 0 };
	unsigned long n, i, loaded = 0, refused = 0, kinds[4] = { 0 };
	double t0, t, t_load = 0, t_eject = 0;
	const char *dev;
	char path[4096];
	int good, img, d, fd;
	struct stat st;

	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: image_fuzz GOOD COUNT [SEED] [DEV]\n");
		return 2;
	}
	n = strtoul(argv[2], NULL, 0);
	rng = argc > 3 ? strtoull(argv[3], NULL, 0) : 1;
	if (!rng)
		rng = 1;	/* xorshift stays at 0 */
	dev = argc > 4 ? argv[4] : "/dev/optsim";
	printf("image_fuzz: %lu cases, seed %llu, on %s\n", n,
	       (unsigned long long)rng, dev);
	snprintf(path, sizeof(path), "%s.fuzz", argv[1]);
	good = open(argv[1], O_RDONLY);
	if (good < 0 || fstat(good, &st) ||
	    pread(good, before, CASE_BYTES, 0) != CASE_BYTES) {
		perror(argv[1]);
		return 2;
	}
	img = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	d = open(dev, O_RDONLY | O_NONBLOCK);
	if (img < 0 || d < 0 || copy_image(good, img, st.st_size)) {
		perror(img < 0 ? path : dev);
		return 2;
	}
	t0 = now();
	for (i = 0; i < n; i++) {
		int kind = i % 4, lo, hi, err, r;
		struct stat now_st;
		off_t off;

		if (i && !(i % FUZZ_PROGRESS)) {
			printf("# %lu cases: %lu refused, %lu loaded; %.0f s\n",
			       i, refused, loaded, now() - t0);
			fflush(stdout);
		}
		memcpy(buf, before, CASE_BYTES);
		kinds[kind]++;
		switch (kind) {
		case 0:
		case 1:
			lo = 0;
			hi = HDR_FIELDS;
			change(buf, lo, hi);
			if (kind == 1) {
				uint32_t hb = get_le32(buf + HDR_BYTES_AT);

				reseal(buf, HDR_CRC_AT,
				       0, hb < RESEAL_MIN ? RESEAL_MIN :
				       hb > COMMIT ? COMMIT : (int)hb);
			}
			break;
		case 2:
			lo = HDR;
			hi = HDR + META;
			change(buf, lo, hi);
			reseal(buf, HDR, lo, hi);
			break;
		default:
			lo = COMMIT;
			hi = COMMIT + COMMIT_LEN;
			memcpy(buf + COMMIT, OPTSIM_IMAGE_JOURNAL_MAGIC,
			       OPTSIM_IMAGE_MAGIC_LEN);
			change(buf, COMMIT + JL_FLAGS_AT, hi);
			reseal(buf, COMMIT + JL_CRC_AT, lo, hi);
			break;
		}
		/* the file holds the good image: write what the case changed */
		if (xpwrite(img, buf + lo, hi - lo, lo)) {
			perror(path);
			return 2;
		}
		fd = open(path, O_RDWR);
		if (fd < 0) {
			perror(path);
			return 2;
		}
		load.image_fd = fd;
		t = now();
		err = ioctl(d, OPTSIM_IOC_LOAD, &load) ? errno : 0;
		t_load += now() - t;
		close(fd);
		if (err) {
			if (err != EINVAL && err != EBADMSG && err != EOPNOTSUPP) {
				printf("case %lu (kind %d): unexpected %s\n", i,
				       kind, strerror(err));
				return 1;
			}
			refused++;
			if (pread(img, back, CASE_BYTES, 0) != CASE_BYTES ||
			    fstat(img, &now_st) || now_st.st_size != st.st_size ||
			    memcmp(back, buf, CASE_BYTES)) {
				printf("case %lu (kind %d): a refused load changed the file\n",
				       i, kind);
				return 1;
			}
			/* put the good bytes back */
			if (xpwrite(img, before + lo, hi - lo, lo)) {
				perror(path);
				return 2;
			}
			continue;
		}
		loaded++;
		for (r = 0; r < 2; r++) {
			off = r ? (off_t)READ_BYTES * below(16) : 0;
			if (pread(d, rd, READ_BYTES, off) < 0 && errno != EIO &&
			    errno != ENODATA && errno != EINVAL) {
				printf("case %lu: read at %lld: unexpected %s\n",
				       i, (long long)off, strerror(errno));
				return 1;
			}
		}
		t = now();
		if (ioctl(d, OPTSIM_IOC_EJECT, &empty)) {
			printf("case %lu: eject: %s\n", i, strerror(errno));
			return 1;
		}
		t_eject += now() - t;
		/* a loaded image is the drive's to rewrite: start again */
		if (copy_image(good, img, st.st_size)) {
			perror(path);
			return 2;
		}
	}
	printf("%lu cases (header %lu, header resealed %lu, metadata resealed %lu, commit resealed %lu): %lu refused, %lu loaded; %.0f s (loads %.0f s, ejects %.0f s)\n",
	       n, kinds[0], kinds[1], kinds[2], kinds[3], refused, loaded,
	       now() - t0, t_load, t_eject);
	close(img);
	unlink(path);
	return 0;
}
