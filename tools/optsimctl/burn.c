// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl burn - write an image to the medium, read it back and compare.
 *
 * Everything that can be checked is checked before the first write: the
 * image (exists, readable, not empty), the medium (present, not finalized,
 * blank from the start address on write-once media, large enough) and the
 * write parameters. With --opc the drive calibrates the write power of
 * every layer (after --speed/--strategy are set) before the first write.
 * The data goes out with O_DIRECT in 1 MiB chunks that
 * start on cluster boundaries; the image is padded with zeros to a whole
 * cluster. A failed chunk is retried cluster by cluster to name the failing
 * LBA.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/fs.h>

#include "names.h"
#include "optsimctl.h"
#include "progress.h"
#include "units.h"

#define CHUNK_BYTES	(1U << 20)	/* a multiple of OPTSIM_CLUSTER_BYTES */
#define BUF_ALIGN	OPTSIM_CLUSTER_BYTES

struct burn {
	struct optsimctl *ctl;
	const char *image;
	int ifd;
	uint64_t size;		/* image bytes */
	uint64_t padded;	/* bytes written: @size up to whole clusters */
	uint64_t start;		/* first LBA */
	uint64_t layer_sectors;
	bool write_once;
	unsigned char *data;	/* CHUNK_BYTES of image data */
	unsigned char *rbuf;	/* CHUNK_BYTES read back from the device */
	struct progress *prog;	/* active progress line, if any */
};

static uint64_t lba_of(const struct burn *b, uint64_t off)
{
	return b->start + off / OPTSIM_SECTOR_SIZE;
}

static uint32_t layer_of(const struct burn *b, uint64_t lba)
{
	return (uint32_t)(lba / b->layer_sectors);
}

static off_t dev_offset(const struct burn *b, uint64_t off)
{
	return (off_t)(b->start * OPTSIM_SECTOR_SIZE + off);
}

/* die_at() - "DEV: WHAT failed at LBA N (layer L): REASON" */
static void die_at(struct burn *b, const char *what, uint64_t lba,
		   const char *reason)
{
	if (b->prog)
		progress_end(b->prog);
	errx(EXIT_FAILURE, "%s: %s failed at LBA %llu (layer %u): %s",
	     b->ctl->devname, what, (unsigned long long)lba,
	     layer_of(b, lba), reason);
}

static void die_errno_at(struct burn *b, const char *what, uint64_t lba,
			 int errnum)
{
	const char *hint = dev_errno_hint(errnum, what);
	char reason[256];

	if (hint)
		snprintf(reason, sizeof(reason), "%s (%s)", strerror(errnum),
			 hint);
	else
		snprintf(reason, sizeof(reason), "%s", strerror(errnum));
	die_at(b, what, lba, reason);
}

/* image_open() - open and size the image; refuse what cannot be burned. */
static void image_open(struct burn *b)
{
	struct stat st;

	b->ifd = open(b->image, O_RDONLY | O_CLOEXEC);
	if (b->ifd < 0)
		errx(EXIT_FAILURE, "%s: open failed: %s", b->image,
		     strerror(errno));
	if (fstat(b->ifd, &st))
		errx(EXIT_FAILURE, "%s: stat failed: %s", b->image,
		     strerror(errno));
	if (S_ISREG(st.st_mode)) {
		b->size = (uint64_t)st.st_size;
	} else if (S_ISBLK(st.st_mode)) {
		if (ioctl(b->ifd, BLKGETSIZE64, &b->size))
			errx(EXIT_FAILURE, "%s: getting the size failed: %s",
			     b->image, strerror(errno));
	} else {
		errx(EXIT_FAILURE, "%s: not a regular file or block device",
		     b->image);
	}
	if (!b->size)
		errx(EXIT_FAILURE, "%s: image is empty, nothing to burn",
		     b->image);
	b->padded = (b->size + OPTSIM_CLUSTER_BYTES - 1) /
		    OPTSIM_CLUSTER_BYTES * OPTSIM_CLUSTER_BYTES;
}

/* image_read() - @n bytes of the image at @off; zeros past its end. */
static void image_read(struct burn *b, uint64_t off, unsigned char *buf,
		       size_t n)
{
	size_t want = off >= b->size ? 0 :
		      (b->size - off < n ? (size_t)(b->size - off) : n);
	size_t got = 0;
	ssize_t r;

	while (got < want) {
		r = pread(b->ifd, buf + got, want - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			if (b->prog)
				progress_end(b->prog);
			errx(EXIT_FAILURE, "%s: read failed at byte %llu: %s",
			     b->image, (unsigned long long)(off + got),
			     strerror(errno));
		}
		if (!r) {
			if (b->prog)
				progress_end(b->prog);
			errx(EXIT_FAILURE, "%s: image shrank while burning (end at byte %llu)",
			     b->image, (unsigned long long)(off + got));
		}
		got += (size_t)r;
	}
	memset(buf + want, 0, n - want);
}

/* Whole transfers: 0 or -errno (a short transfer counts as -EIO). */
static int dev_pwrite(const struct burn *b, const void *buf, size_t n,
		      uint64_t off)
{
	ssize_t r;

	do {
		r = pwrite(b->ctl->fd, buf, n, dev_offset(b, off));
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return (size_t)r == n ? 0 : -EIO;
}

static int dev_pread(const struct burn *b, void *buf, size_t n, uint64_t off)
{
	ssize_t r;

	do {
		r = pread(b->ctl->fd, buf, n, dev_offset(b, off));
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return (size_t)r == n ? 0 : -EIO;
}

/*
 * write_chunk() - write @n bytes of @b->data at @off. When the chunk fails,
 * write it again cluster by cluster and report the first cluster that
 * fails. On write-once media a cluster that a partly completed chunk did
 * record refuses the retry with EIO: it counts as written when it reads
 * back as intended.
 */
static void write_chunk(struct burn *b, uint64_t off, size_t n)
{
	size_t c;
	int ret;

	if (!dev_pwrite(b, b->data, n, off))
		return;
	for (c = 0; c < n; c += OPTSIM_CLUSTER_BYTES) {
		ret = dev_pwrite(b, b->data + c, OPTSIM_CLUSTER_BYTES, off + c);
		if (!ret)
			continue;
		if (ret == -EIO && b->write_once &&
		    !dev_pread(b, b->rbuf, OPTSIM_CLUSTER_BYTES, off + c) &&
		    !memcmp(b->rbuf, b->data + c, OPTSIM_CLUSTER_BYTES))
			continue;
		die_errno_at(b, "write", lba_of(b, off + c), -ret);
	}
}

/* read_chunk() - read @n bytes at @off into @b->rbuf, locating a failure. */
static void read_chunk(struct burn *b, uint64_t off, size_t n)
{
	size_t c;
	int ret;

	if (!dev_pread(b, b->rbuf, n, off))
		return;
	for (c = 0; c < n; c += OPTSIM_CLUSTER_BYTES) {
		ret = dev_pread(b, b->rbuf + c, OPTSIM_CLUSTER_BYTES, off + c);
		if (ret)
			die_errno_at(b, "read", lba_of(b, off + c), -ret);
	}
}

static void burn_write(struct burn *b)
{
	struct progress prog;
	uint64_t off;
	size_t n;
	double secs;

	progress_start(&prog, "burn", b->padded);
	b->prog = &prog;
	for (off = 0; off < b->padded; off += n) {
		n = b->padded - off < CHUNK_BYTES ? (size_t)(b->padded - off) :
						    CHUNK_BYTES;
		image_read(b, off, b->data, n);
		write_chunk(b, off, n);
		progress_update(&prog, off + n,
				layer_of(b, lba_of(b, off + n - 1)));
	}
	if (fsync(b->ctl->fd))
		die_errno_at(b, "flush", lba_of(b, 0), errno);
	secs = progress_end(&prog);
	b->prog = NULL;
	printf("burn: %.1f MiB written in %.2f s (%.1f MB/s), LBA %llu-%llu\n",
	       (double)b->padded / (1 << 20), secs,
	       progress_rate_mbs(b->padded, secs),
	       (unsigned long long)b->start,
	       (unsigned long long)lba_of(b, b->padded - 1));
	fflush(stdout);
}

static void burn_verify(struct burn *b)
{
	struct progress prog;
	uint64_t off, pos;
	size_t n, i;
	double secs;
	char reason[128];

	progress_start(&prog, "verify", b->padded);
	b->prog = &prog;
	for (off = 0; off < b->padded; off += n) {
		n = b->padded - off < CHUNK_BYTES ? (size_t)(b->padded - off) :
						    CHUNK_BYTES;
		image_read(b, off, b->data, n);
		read_chunk(b, off, n);
		if (memcmp(b->data, b->rbuf, n)) {
			for (i = 0; b->data[i] == b->rbuf[i]; i++)
				;
			pos = off + i;
			if (pos < b->size)
				snprintf(reason, sizeof(reason),
					 "data differs (image byte %llu)",
					 (unsigned long long)pos);
			else
				snprintf(reason, sizeof(reason),
					 "data differs (zero padding after the image)");
			die_at(b, "verify", lba_of(b, pos), reason);
		}
		progress_update(&prog, off + n,
				layer_of(b, lba_of(b, off + n - 1)));
	}
	secs = progress_end(&prog);
	b->prog = NULL;
	printf("verify: OK, %.1f MiB compared in %.2f s (%.1f MB/s)\n",
	       (double)b->padded / (1 << 20), secs,
	       progress_rate_mbs(b->padded, secs));
	fflush(stdout);
}

/* burn_check() - refuse, before writing, what the medium cannot take. */
static void burn_check(struct burn *b, const struct optsim_info *info,
		       uint32_t layer, bool finalize)
{
	const char *dev = b->ctl->devname;
	uint64_t sectors = b->padded / OPTSIM_SECTOR_SIZE;

	dev_need_medium(b->ctl, info, "burn");
	b->write_once = info->flags & OPTSIM_INFO_F_WRITE_ONCE;
	b->layer_sectors = info->layer_sectors;
	if (finalize && !b->write_once)
		errx(EXIT_FAILURE, "%s: finalize needs write-once media (medium is %s)",
		     dev, media_name(info->media));
	if (info->flags & OPTSIM_INFO_F_FINALIZED)
		errx(EXIT_FAILURE, "%s: medium is finalized, nothing more can be written",
		     dev);
	if (!b->layer_sectors)
		errx(EXIT_FAILURE, "%s: driver reports 0 sectors per layer",
		     dev);

	if (layer != OPTSIM_LAYER_ALL) {
		dev_need_layer(b->ctl, info, layer);
		b->start = (uint64_t)layer * info->layer_sectors;
	} else if (b->write_once) {
		if (!(info->flags & OPTSIM_INFO_F_NWA_VALID))
			errx(EXIT_FAILURE, "%s: medium is full, nothing more can be written",
			     dev);
		b->start = info->nwa;
	} else {
		b->start = 0;
	}

	if (b->write_once && (!(info->flags & OPTSIM_INFO_F_NWA_VALID) ||
			      b->start < info->nwa))
		errx(EXIT_FAILURE,
		     "%s: layer %u is not blank at LBA %llu: the write-once medium is recorded up to the next writable address %llu",
		     dev, layer_of(b, b->start), (unsigned long long)b->start,
		     (unsigned long long)info->nwa);
	if (b->start % OPTSIM_CLUSTER_SECTORS)
		errx(EXIT_FAILURE, "%s: start LBA %llu is not on a cluster boundary",
		     dev, (unsigned long long)b->start);
	if (b->start > info->capacity || sectors > info->capacity - b->start)
		errx(EXIT_FAILURE,
		     "%s: image does not fit: it needs %llu sectors from LBA %llu, the medium has %llu left",
		     b->image, (unsigned long long)sectors,
		     (unsigned long long)b->start,
		     (unsigned long long)(b->start < info->capacity ?
					  info->capacity - b->start : 0));
}

int cmd_burn(struct optsimctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "layer", required_argument, NULL, 'l' },
		{ "speed", required_argument, NULL, 's' },
		{ "strategy", required_argument, NULL, 'S' },
		{ "opc", no_argument, NULL, 'o' },
		{ "finalize", no_argument, NULL, 'f' },
		{ "no-verify", no_argument, NULL, 'N' },
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct burn b = { .ctl = ctl, .ifd = -1 };
	struct param_change chg = { 0 };
	struct optsim_empty fin = { { 0 } };
	struct optsim_info info;
	uint32_t layer = OPTSIM_LAYER_ALL;
	struct optsim_opc opc;
	bool finalize = false, verify = true, do_opc = false;
	void *p;
	int c;

	while ((c = getopt_long(argc, argv, "l:s:S:ofN" COMMON_SHORTOPTS,
				longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			layer = opt_layer(optarg, false);
			break;
		case 'o':
			do_opc = true;
			break;
		case 'f':
			finalize = true;
			break;
		case 'N':
			verify = false;
			break;
		default:
			if (!param_opt(&chg, c, optarg))
				cmd_common_opt(ctl, c, optarg);
		}
	}
	if (optind >= argc) {
		warnx("burn: missing IMAGE");
		cmd_try_help(ctl);
	}
	b.image = argv[optind++];
	cmd_no_args(ctl, argc, argv);
	image_open(&b);

	if (posix_memalign(&p, BUF_ALIGN, CHUNK_BYTES))
		errx(EXIT_FAILURE, "out of memory");
	b.data = p;
	if (posix_memalign(&p, BUF_ALIGN, CHUNK_BYTES))
		errx(EXIT_FAILURE, "out of memory");
	b.rbuf = p;

	dev_open(ctl, O_RDWR | O_DIRECT | O_EXCL);
	dev_get_info(ctl, &info);
	burn_check(&b, &info, layer, finalize);
	if (param_any(&chg))
		params_apply(ctl, &info, OPTSIM_LAYER_ALL, &chg);
	if (do_opc) {
		opc_run(ctl, &info, OPTSIM_LAYER_ALL, &opc);
		opc_print(&opc, "opc");
	}

	printf("burn: %s (%llu bytes) to %s, %s, LBA %llu (layer %u)\n",
	       b.image, (unsigned long long)b.size, ctl->devname,
	       media_name(info.media), (unsigned long long)b.start,
	       layer_of(&b, b.start));
	fflush(stdout);
	burn_write(&b);
	if (verify)
		burn_verify(&b);
	if (finalize) {
		dev_ioctl_or_die(ctl, OPTSIM_IOC_FINALIZE, &fin, "finalize");
		printf("finalize: OK\n");
	}

	close(b.ifd);
	free(b.data);
	free(b.rbuf);
	return EXIT_SUCCESS;
}
