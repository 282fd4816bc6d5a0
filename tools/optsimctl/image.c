// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl image info and save, and the image side of load --image: disc
 * images (Documentation/image-format.rst). An image is read and checked
 * here without the kernel, with the module's own checks
 * (driver/model/image_format.c), so that optsimctl refuses what the
 * module would, with the same message. save is the kernel's work
 * (OPTSIM_IOC_SAVE): only the drive sees the data of uncorrectable
 * clusters.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "image_format.h"
#include "geometry.h"

#include "image.h"
#include "json.h"
#include "names.h"
#include "optsimctl.h"

/* Read exactly @len bytes at @pos. Return: 0 or -errno (-EIO when short). */
static int pread_full(int fd, void *buf, size_t len, off_t pos)
{
	ssize_t n;

	while (len) {
		n = pread(fd, buf, len, pos);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		buf = (char *)buf + n;
		len -= n;
		pos += n;
	}
	return 0;
}

static int pwrite_full(int fd, const void *buf, size_t len, off_t pos)
{
	ssize_t n;

	while (len) {
		n = pwrite(fd, buf, len, pos);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		buf = (const char *)buf + n;
		len -= n;
		pos += n;
	}
	return 0;
}

/* osm_image_io's read: @ctx points to the descriptor. */
static int image_io_read(void *ctx, void *buf, size_t len, u64 pos)
{
	return pread_full(*(int *)ctx, buf, len, pos);
}

/*
 * image_check() - read and check an image's header, as the module does
 * @fd: the image, open for reading
 * @path: its name, for messages
 * @h: filled in with the header: the one in place, or the one of a flush
 *	cut short that the journal holds (as the module replays it)
 * @lo: filled in with the layout
 * @jr: filled in with the journal to replay, NULL when not wanted
 *
 * Exits with the reason when the file is no image this version loads.
 */
static void image_check(int fd, const char *path, struct optsim_image_header *h,
			struct osm_image_layout *lo, struct osm_image_replay *jr)
{
	struct optsim_image_meta_block block;
	struct osm_image_replay replay;
	struct osm_image_io io = {
		.read	= image_io_read,
		.ctx	= &fd,
		.block	= &block,
	};
	const char *why = NULL;
	struct stat st;
	int ret;

	if (fstat(fd, &st))
		err(EXIT_FAILURE, "%s", path);
	if (!S_ISREG(st.st_mode))
		errx(EXIT_FAILURE, "%s: not a regular file", path);
	if ((uint64_t)st.st_size < sizeof(*h))
		errx(EXIT_FAILURE,
		     "%s: the file is shorter than an image header (truncated)",
		     path);
	io.file_bytes = st.st_size;
	ret = osm_image_open(&io, h, lo, jr ? jr : &replay, &why);
	if (ret == -EOPNOTSUPP)
		errx(EXIT_FAILURE,
		     "%s: image format version %u is newer than this optsimctl's %u",
		     path, le32toh(h->version), OPTSIM_IMAGE_VERSION);
	if (ret && !why)
		errx(EXIT_FAILURE, "%s: reading: %s", path, strerror(-ret));
	if (ret)
		errx(EXIT_FAILURE, "%s: %s", path, why);
}

/**
 * image_create() - create a blank, sparse image of a medium
 * @path: the file; it must not exist
 * @media: enum optsim_media
 * @layer_sectors: sectors per layer
 *
 * The header and every metadata block are written (the metadata is never
 * a hole, so recording never needs room for it), and the file is extended
 * to the whole medium without writing the data area.
 *
 * Return: the file, open for reading and writing. Exits on failure, the
 * file removed.
 */
int image_create(const char *path, uint32_t media, uint64_t layer_sectors)
{
	struct optsim_image_meta_block *blocks;
	struct optsim_image_header h;
	struct osm_image_layout lo;
	const uint64_t per_write = 256;
	uint64_t b, n, i;
	int fd, ret;

	if (osm_image_layout(&lo, media, layer_sectors))
		errx(EXIT_FAILURE, "%s: impossible geometry", path);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		err(EXIT_FAILURE, "%s", path);
	blocks = malloc(per_write * sizeof(*blocks));
	if (!blocks)
		err(EXIT_FAILURE, "%s", path);
	osm_image_header_new(&h, &lo, media);
	ret = pwrite_full(fd, &h, sizeof(h), 0);
	for (b = 0; !ret && b < lo.meta_blocks; b += n) {
		n = lo.meta_blocks - b < per_write ? lo.meta_blocks - b : per_write;
		for (i = 0; i < n; i++)
			osm_image_meta_new(&blocks[i], b + i);
		ret = pwrite_full(fd, blocks, n * sizeof(*blocks),
				  OPTSIM_IMAGE_META_OFFSET +
				  b * OPTSIM_IMAGE_META_BLOCK_BYTES);
	}
	free(blocks);
	if (!ret && ftruncate(fd, lo.file_bytes))
		ret = -errno;
	if (!ret && fsync(fd))
		ret = -errno;
	if (ret) {
		unlink(path);
		errx(EXIT_FAILURE, "%s: creating the image: %s", path,
		     strerror(-ret));
	}
	return fd;
}

/* What the metadata says, summed up. */
struct image_summary {
	uint64_t recorded[OPTSIM_MAX_LAYERS];
	uint64_t uncorrectable;
	uint64_t max_writes;
	uint64_t last_recorded;		/* one past the highest recorded cluster */
};

static void image_summarize(int fd, const char *path,
			    const struct osm_image_layout *lo,
			    struct osm_image_replay *jr, struct image_summary *s)
{
	struct optsim_image_meta_block *b, block_buf;
	struct osm_image_io io = {
		.read	= image_io_read,
		.ctx	= &fd,
		.block	= &block_buf,
	};
	struct osm_geometry geo;
	const char *why = NULL;
	uint64_t block, c;
	uint32_t i, flags;
	int ret;

	memset(s, 0, sizeof(*s));
	if (osm_geometry_init(&geo, lo->layers, lo->layer_sectors))
		errx(EXIT_FAILURE, "%s: impossible geometry", path);
	b = malloc(sizeof(*b));
	if (!b)
		err(EXIT_FAILURE, "%s", path);
	for (block = 0; block < lo->meta_blocks; block++) {
		ret = osm_image_meta_read(&io, lo, jr, block, 1, b, &why);
		if (ret)
			errx(EXIT_FAILURE, "%s: metadata block %llu: %s", path,
			     (unsigned long long)block, why);
		for (i = 0; i < OPTSIM_IMAGE_META_RECORDS; i++) {
			c = block * OPTSIM_IMAGE_META_RECORDS + i;
			flags = le32toh(b->rec[i].flags);
			if (le32toh(b->rec[i].writes) > s->max_writes)
				s->max_writes = le32toh(b->rec[i].writes);
			if (!(flags & OPTSIM_QUALITY_F_RECORDED))
				continue;
			s->recorded[osm_geometry_layer(&geo, c *
						       OPTSIM_CLUSTER_SECTORS)]++;
			if (flags & OPTSIM_QUALITY_F_UNCORRECTABLE)
				s->uncorrectable++;
			s->last_recorded = c + 1;
		}
	}
	free(b);
}

#define KEY	"%-19s "

static void info_human(const char *path, const struct stat *st,
		       const struct optsim_image_header *h,
		       const struct osm_image_layout *lo,
		       const struct image_summary *s)
{
	uint32_t flags = le32toh(h->flags), i, n = le32toh(h->nr_tracks);
	const struct optsim_image_track *t;

	printf(KEY "%s\n", "image:", path);
	printf(KEY "%u\n", "format version:", le32toh(h->version));
	printf(KEY "%s\n", "media:", media_name(le32toh(h->media)));
	printf(KEY "%u\n", "layers:", lo->layers);
	printf(KEY "%llu\n", "sectors per layer:",
	       (unsigned long long)lo->layer_sectors);
	printf(KEY "%llu sectors\n", "capacity:",
	       (unsigned long long)(lo->clusters * OPTSIM_CLUSTER_SECTORS));
	printf(KEY, "recorded clusters:");
	for (i = 0; i < lo->layers; i++)
		printf("%sL%u %llu", i ? ", " : "", i,
		       (unsigned long long)s->recorded[i]);
	putchar('\n');
	printf(KEY "%llu\n", "uncorrectable:",
	       (unsigned long long)s->uncorrectable);
	printf(KEY "%s\n", "finalized:",
	       flags & OPTSIM_IMAGE_F_FINALIZED ? "yes" : "no");
	printf(KEY "%llu\n", "full erases:",
	       (unsigned long long)le64toh(h->full_erases));
	printf(KEY "%llu\n", "most writes:", (unsigned long long)s->max_writes);
	if (flags & OPTSIM_IMAGE_F_FORMATTED)
		printf(KEY "yes, %llu spare sectors\n", "formatted:",
		       (unsigned long long)le64toh(h->spare_sectors));
	else
		printf(KEY "no\n", "formatted:");
	if (!n) {
		printf(KEY "none (blank image)\n", "tracks:");
	} else {
		printf(KEY "%u\n", "closed sessions:",
		       le32toh(h->closed_sessions));
		printf(KEY "%u\n", "tracks:", n);
		printf("  %5s %7s %10s %10s %10s  %s\n", "TRACK", "SESSION",
		       "START", "END", "NWA", "STATE");
		for (i = 0; i < n; i++) {
			t = &h->track[i];
			printf("  %5u %7u %10llu %10llu %10llu  %s%s\n", i + 1,
			       le32toh(t->session),
			       (unsigned long long)le64toh(t->start),
			       (unsigned long long)le64toh(t->end),
			       (unsigned long long)le64toh(t->nwa),
			       le32toh(t->flags) & OPTSIM_IMAGE_TRACK_F_CLOSED ?
			       "closed" : "open",
			       le32toh(t->flags) & OPTSIM_IMAGE_TRACK_F_RESERVED ?
			       ", reserved" : "");
		}
	}
	printf(KEY "%llu bytes\n", "file size:", (unsigned long long)st->st_size);
	printf(KEY "%llu bytes\n", "on disk:",
	       (unsigned long long)st->st_blocks * 512);
}

static void info_json(const char *path, const struct stat *st,
		      const struct optsim_image_header *h,
		      const struct osm_image_layout *lo,
		      const struct image_summary *s)
{
	uint32_t flags = le32toh(h->flags), i, n = le32toh(h->nr_tracks);
	const struct optsim_image_track *t;
	struct json j;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_string(&j, "image", path);
	json_u64(&j, "version", le32toh(h->version));
	json_string(&j, "media", media_name(le32toh(h->media)));
	json_u64(&j, "layers", lo->layers);
	json_u64(&j, "layer_sectors", lo->layer_sectors);
	json_u64(&j, "capacity_sectors", lo->clusters * OPTSIM_CLUSTER_SECTORS);
	json_array_begin(&j, "recorded_clusters");
	for (i = 0; i < lo->layers; i++)
		json_u64(&j, NULL, s->recorded[i]);
	json_array_end(&j);
	json_u64(&j, "uncorrectable_clusters", s->uncorrectable);
	json_bool(&j, "finalized", flags & OPTSIM_IMAGE_F_FINALIZED);
	json_u64(&j, "full_erases", le64toh(h->full_erases));
	json_u64(&j, "max_writes", s->max_writes);
	json_bool(&j, "formatted", flags & OPTSIM_IMAGE_F_FORMATTED);
	json_u64(&j, "spare_sectors", le64toh(h->spare_sectors));
	json_u64(&j, "seed", le64toh(h->seed));
	json_u64(&j, "closed_sessions", le32toh(h->closed_sessions));
	json_array_begin(&j, "tracks");
	for (i = 0; i < n; i++) {
		t = &h->track[i];
		json_object_begin(&j, NULL);
		json_u64(&j, "number", i + 1);
		json_u64(&j, "session", le32toh(t->session));
		json_u64(&j, "start", le64toh(t->start));
		json_u64(&j, "end", le64toh(t->end));
		json_u64(&j, "nwa", le64toh(t->nwa));
		json_u64(&j, "data_end", le64toh(t->data_end));
		json_bool(&j, "reserved",
			  le32toh(t->flags) & OPTSIM_IMAGE_TRACK_F_RESERVED);
		json_bool(&j, "closed",
			  le32toh(t->flags) & OPTSIM_IMAGE_TRACK_F_CLOSED);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_u64(&j, "file_bytes", st->st_size);
	json_u64(&j, "disk_bytes", (uint64_t)st->st_blocks * 512);
	json_object_end(&j);
	json_finish(&j);
}

/* optsimctl image info FILE [--json] */
static int image_info(struct optsimctl *ctl, const char *path)
{
	struct optsim_image_header *h = malloc(sizeof(*h));
	struct osm_image_replay jr;
	struct osm_image_layout lo;
	struct image_summary s;
	struct stat st;
	int fd;

	if (!h)
		err(EXIT_FAILURE, "%s", path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		err(EXIT_FAILURE, "%s", path);
	image_check(fd, path, h, &lo, &jr);
	image_summarize(fd, path, &lo, &jr, &s);
	if (fstat(fd, &st))
		err(EXIT_FAILURE, "%s", path);
	if (ctl->json)
		info_json(path, &st, h, &lo, &s);
	else
		info_human(path, &st, h, &lo, &s);
	close(fd);
	free(h);
	return EXIT_SUCCESS;
}

int cmd_image(struct optsimctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "j" COMMON_SHORTOPTS, longopts,
				NULL)) != -1) {
		if (c == 'j')
			ctl->json = true;
		else
			cmd_common_opt(ctl, c, optarg);
	}
	if (argc - optind != 2 || strcmp(argv[optind], "info")) {
		warnx("image: expected 'info FILE'");
		cmd_try_help(ctl);
	}
	return image_info(ctl, argv[optind + 1]);
}

/**
 * image_open() - open and check an image to load
 * @path: the file
 * @read_only: set when the file could only be opened for reading (a
 *	read-only file or mount): the drive then loads it read-only
 *
 * Return: the file. Exits when it cannot be opened or is no image this
 * version loads.
 */
int image_open(const char *path, bool *read_only)
{
	struct optsim_image_header *h = malloc(sizeof(*h));
	struct osm_image_replay jr;
	struct osm_image_layout lo;
	struct image_summary s;
	int fd;

	if (!h)
		err(EXIT_FAILURE, "%s", path);
	*read_only = false;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && (errno == EROFS || errno == EACCES)) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		*read_only = fd >= 0;
	}
	if (fd < 0)
		err(EXIT_FAILURE, "%s", path);
	image_check(fd, path, h, &lo, &jr);
	/* Every metadata block too, as the drive checks them at the load. */
	image_summarize(fd, path, &lo, &jr, &s);
	free(h);
	return fd;
}

/* optsimctl save FILE: the medium in the drive, written out as an image. */
int cmd_save(struct optsimctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct optsim_save save = { 0 };
	const char *path;
	int c, ret;

	while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS, longopts,
				NULL)) != -1)
		cmd_common_opt(ctl, c, optarg);
	if (argc - optind != 1) {
		warnx("save: expected FILE");
		cmd_try_help(ctl);
	}
	path = argv[optind];

	dev_open(ctl, O_RDONLY | O_NONBLOCK);
	save.image_fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (save.image_fd < 0)
		err(EXIT_FAILURE, "%s", path);
	ret = dev_ioctl(ctl, OPTSIM_IOC_SAVE, &save);
	close(save.image_fd);
	if (ret) {
		unlink(path);
		dev_die(ctl, -ret, "save", ret == -EINVAL ?
			"a medium loaded from an image is in its file already" :
			NULL);
	}
	return EXIT_SUCCESS;
}
