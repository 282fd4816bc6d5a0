// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl info - the drive, its medium, its recorded state and the memory
 * it uses. The medium comes from OPTSIM_IOC_GET_INFO; what that ioctl does
 * not carry comes from elsewhere: the LUN of the MMC front and its sr and
 * sg nodes from sysfs (scsi.c), a BD-R's tracks and sessions and a BD-RE's
 * format from netlink (dev-get).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <netlink/attr.h>

#include "json.h"
#include "names.h"
#include "nl.h"
#include "optsimctl.h"
#include "scsi.h"
#include "units.h"

/* A BD-R track, as dev-get reports it. */
struct track {
	uint32_t number;
	uint32_t session;
	uint64_t start;
	uint64_t end;		/* one past its last sector */
	uint64_t nwa;
	uint64_t data_end;	/* one past its last written sector */
	bool reserved;
	bool closed;
};

/* What dev-get adds to the ioctl's view of the medium. */
struct recording {
	bool asked;		/* the drive is an optsim block device */
	const char *why;	/* asked, and dev-get failed: why */
	bool finalized;		/* as dev-get saw it */
	bool srm;		/* a BD-R: closed_sessions and tracks came */
	uint32_t closed_sessions;
	struct track *tracks;
	size_t nr_tracks;
	bool fmt;		/* a BD-RE: formatted and spare_sectors came */
	bool formatted;
	uint64_t spare_sectors;
};

static uint64_t get_u64(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u64(tb[type]) : 0;
}

static uint32_t get_u32(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u32(tb[type]) : 0;
}

static bool get_flag(struct nlattr **tb, int type)
{
	return tb[type] && nla_get_u8(tb[type]);
}

static int recording_reply(const struct nl_reply *r, void *arg)
{
	struct nlattr *ttb[OPTSIM_A_TRACK_MAX + 1];
	struct recording *rec = arg;
	struct track *t;
	struct nlattr *a;
	int rem;

	rec->finalized = get_flag(r->tb, OPTSIM_A_FINALIZED);
	rec->srm = r->tb[OPTSIM_A_CLOSED_SESSIONS];
	rec->closed_sessions = get_u32(r->tb, OPTSIM_A_CLOSED_SESSIONS);
	nla_for_each_attr(a, r->attrs, r->len, rem) {
		if (nla_type(a) != OPTSIM_A_TRACK ||
		    nlctx_parse_track(a, ttb) < 0)
			continue;
		rec->tracks = reallocarray(rec->tracks, rec->nr_tracks + 1,
					   sizeof(*rec->tracks));
		if (!rec->tracks)
			errx(EXIT_FAILURE, "out of memory");
		t = &rec->tracks[rec->nr_tracks++];
		t->number = get_u32(ttb, OPTSIM_A_TRACK_NUMBER);
		t->session = get_u32(ttb, OPTSIM_A_TRACK_SESSION);
		t->start = get_u64(ttb, OPTSIM_A_TRACK_START);
		t->end = get_u64(ttb, OPTSIM_A_TRACK_END);
		t->nwa = get_u64(ttb, OPTSIM_A_TRACK_NWA);
		t->data_end = get_u64(ttb, OPTSIM_A_TRACK_DATA_END);
		t->reserved = get_flag(ttb, OPTSIM_A_TRACK_RESERVED);
		t->closed = get_flag(ttb, OPTSIM_A_TRACK_CLOSED);
	}
	rec->fmt = r->tb[OPTSIM_A_FORMATTED];
	rec->formatted = get_flag(r->tb, OPTSIM_A_FORMATTED);
	rec->spare_sectors = get_u64(r->tb, OPTSIM_A_SPARE_SECTORS);
	return 0;
}

/* recording_get() - ask drive @index over netlink; rec->why says if not. */
static void recording_get(struct recording *rec, uint32_t index)
{
	static char why[300];
	struct nl_msg *msg;
	struct nlctx nl;
	int ret;

	rec->asked = true;
	rec->why = nlctx_try_open(&nl);
	if (rec->why)
		return;
	msg = nlctx_msg(&nl, OPTSIM_CMD_DEV_GET, false);
	if (nla_put_u32(msg, OPTSIM_A_DEV_INDEX, index))
		errx(EXIT_FAILURE, "out of memory");
	ret = nlctx_request(&nl, msg, recording_reply, rec);
	if (ret) {
		snprintf(why, sizeof(why), "dev-get failed: %s%s%s%s",
			 strerror(ret), nl.extack[0] ? " (" : "", nl.extack,
			 nl.extack[0] ? ")" : "");
		rec->why = why;
	}
	nlctx_close(&nl);
}

/*
 * The invisible track: the last one, neither reserved nor closed, while
 * the disc is appendable.
 */
static bool track_invisible(const struct recording *rec, size_t i)
{
	const struct track *t = &rec->tracks[i];

	return i + 1 == rec->nr_tracks && !rec->finalized && !t->reserved &&
	       !t->closed;
}

static void recording_json(struct json *j, const struct recording *rec)
{
	bool got = rec->asked && !rec->why;
	const struct track *t;
	size_t i;

	if (got && rec->srm)
		json_u64(j, "closed_sessions", rec->closed_sessions);
	else
		json_null(j, "closed_sessions");
	if (got && rec->srm) {
		json_array_begin(j, "tracks");
		for (i = 0; i < rec->nr_tracks; i++) {
			t = &rec->tracks[i];
			json_object_begin(j, NULL);
			json_u64(j, "number", t->number);
			json_u64(j, "session", t->session);
			json_u64(j, "start", t->start);
			json_u64(j, "end", t->end);
			json_u64(j, "nwa", t->nwa);
			json_u64(j, "data_end", t->data_end);
			json_bool(j, "reserved", t->reserved);
			json_bool(j, "closed", t->closed);
			json_bool(j, "invisible", track_invisible(rec, i));
			json_object_end(j);
		}
		json_array_end(j);
	} else {
		json_null(j, "tracks");
	}
	if (got && rec->fmt) {
		json_bool(j, "formatted", rec->formatted);
		json_u64(j, "spare_sectors", rec->spare_sectors);
	} else {
		json_null(j, "formatted");
		json_null(j, "spare_sectors");
	}
}

static void info_json(const struct optsimctl *ctl,
		      const struct optsim_info *info,
		      const struct scsi_nodes *scsi,
		      const struct recording *rec)
{
	struct json j;
	uint32_t l;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_string(&j, "device", ctl->devname);
	json_string_or_null(&j, "hctl", scsi->hctl);
	json_string_or_null(&j, "sr", scsi->sr);
	json_string_or_null(&j, "sg", scsi->sg);
	json_string(&j, "media", media_name(info->media));
	json_bool(&j, "write_once", info->flags & OPTSIM_INFO_F_WRITE_ONCE);
	json_bool(&j, "image", info->flags & OPTSIM_INFO_F_IMAGE);
	json_bool(&j, "read_only", info->flags & OPTSIM_INFO_F_READ_ONLY);
	json_u64(&j, "layers", info->layers);
	json_u64(&j, "sector_size", info->sector_size);
	json_u64(&j, "cluster_sectors", info->cluster_sectors);
	json_u64(&j, "layer_sectors", info->layer_sectors);
	json_u64(&j, "capacity_sectors", info->capacity);
	json_u64(&j, "capacity_bytes", info->capacity * info->sector_size);
	json_array_begin(&j, "recorded_clusters");
	for (l = 0; l < info->layers && l < OPTSIM_MAX_LAYERS; l++)
		json_u64(&j, NULL, info->recorded_clusters[l]);
	json_array_end(&j);
	json_bool(&j, "finalized", info->flags & OPTSIM_INFO_F_FINALIZED);
	if (info->flags & OPTSIM_INFO_F_NWA_VALID)
		json_u64(&j, "nwa", info->nwa);
	else
		json_null(&j, "nwa");
	json_u64(&j, "full_erases", info->full_erases);
	recording_json(&j, rec);
	json_u64(&j, "mem_used", info->mem_used);
	json_u64(&j, "mem_limit", info->mem_limit);
	json_object_end(&j);
	json_finish(&j);
}

#define KEY	"%-19s "

/* print_bytes() - "N bytes (X.Y MiB)" */
static void print_bytes(const char *key, uint64_t bytes)
{
	char mib[FIXED_BUFSZ];

	fmt_fixed(mib, sizeof(mib), (bytes * 10 + (1 << 19)) >> 20, 1, false);
	printf(KEY "%llu bytes (%s MiB)\n", key, (unsigned long long)bytes, mib);
}

/* "sr device: /dev/sr0", or "none (why)". */
static void print_node(const char *key, const struct scsi_nodes *scsi,
		       bool sg)
{
	const char *node = sg ? scsi->sg : scsi->sr;

	if (node[0])
		printf(KEY "%s\n", key, node);
	else
		printf(KEY "none (%s)\n", key, scsi_node_why(scsi, sg));
}

/* The tracks as a table, one line each. */
static void print_tracks(const struct recording *rec)
{
	const struct track *t;
	size_t i;

	printf(KEY "%zu\n", "tracks:", rec->nr_tracks);
	if (!rec->nr_tracks)
		return;
	printf("  %5s %7s %10s %10s %10s  %s\n", "TRACK", "SESSION", "START",
	       "END", "NWA", "STATE");
	for (i = 0; i < rec->nr_tracks; i++) {
		t = &rec->tracks[i];
		printf("  %5u %7u %10llu %10llu %10llu  %s%s%s\n", t->number,
		       t->session, (unsigned long long)t->start,
		       (unsigned long long)t->end, (unsigned long long)t->nwa,
		       t->closed ? "closed" : "open",
		       t->reserved ? ", reserved" : "",
		       track_invisible(rec, i) ? ", invisible" : "");
	}
}

static void recording_human(const struct recording *rec)
{
	if (!rec->asked)
		return;
	if (rec->why) {
		printf(KEY "unknown (%s)\n", "tracks, format:", rec->why);
		return;
	}
	if (rec->srm) {
		printf(KEY "%u\n", "closed sessions:", rec->closed_sessions);
		print_tracks(rec);
	}
	if (rec->fmt) {
		if (rec->formatted)
			printf(KEY "yes, %llu spare sectors\n", "formatted:",
			       (unsigned long long)rec->spare_sectors);
		else
			printf(KEY "no\n", "formatted:");
	}
}

static void info_human(const struct optsimctl *ctl,
		       const struct optsim_info *info,
		       const struct scsi_nodes *scsi,
		       const struct recording *rec)
{
	bool wo = info->flags & OPTSIM_INFO_F_WRITE_ONCE;
	uint64_t bytes = info->capacity * info->sector_size;
	char gb[FIXED_BUFSZ];
	uint32_t l;

	printf(KEY "%s\n", "device:", ctl->devname);
	print_node("sr device:", scsi, false);
	print_node("sg device:", scsi, true);
	if (info->media == OPTSIM_MEDIA_NONE) {
		printf(KEY "%s\n", "media:", "none");
	} else {
		printf(KEY "%s (%s)\n", "media:", media_name(info->media),
		       wo ? "write-once" : "rewritable");
		if (info->flags & OPTSIM_INFO_F_IMAGE)
			printf(KEY "%s\n", "image file:",
			       info->flags & OPTSIM_INFO_F_READ_ONLY ?
			       "yes, read-only" : "yes");
		printf(KEY "%u\n", "layers:", info->layers);
		printf(KEY "%llu\n", "sectors per layer:",
		       (unsigned long long)info->layer_sectors);
		fmt_fixed(gb, sizeof(gb), (bytes + 5000000) / 10000000, 2,
			  false);
		printf(KEY "%llu sectors, %llu bytes (%s GB)\n", "capacity:",
		       (unsigned long long)info->capacity,
		       (unsigned long long)bytes, gb);
		printf(KEY, "recorded clusters:");
		for (l = 0; l < info->layers && l < OPTSIM_MAX_LAYERS; l++)
			printf("%sL%u %llu", l ? ", " : "", l,
			       (unsigned long long)info->recorded_clusters[l]);
		putchar('\n');
		printf(KEY "%s\n", "finalized:",
		       info->flags & OPTSIM_INFO_F_FINALIZED ? "yes" : "no");
		if (info->flags & OPTSIM_INFO_F_NWA_VALID)
			printf(KEY "%llu\n", "next writable LBA:",
			       (unsigned long long)info->nwa);
		else
			printf(KEY "none (%s)\n", "next writable LBA:",
			       info->flags & OPTSIM_INFO_F_FINALIZED ?
			       "finalized" : "full");
		printf(KEY "%llu\n", "full erases:",
		       (unsigned long long)info->full_erases);
		recording_human(rec);
	}
	print_bytes("memory used:", info->mem_used);
	print_bytes("memory limit:", info->mem_limit);
}

int cmd_info(struct optsimctl *ctl, int argc, char **argv)
{
	struct recording rec = { 0 };
	struct scsi_nodes scsi = { 0 };
	struct optsim_info info;
	uint32_t index;
	dev_t rdev;

	cmd_json_opts(ctl, argc, argv);

	dev_open(ctl, O_RDONLY | O_NONBLOCK);
	dev_get_info(ctl, &info);
	/* A stand-in that is no optsim block device has neither. */
	if (dev_try_index(ctl, &index, &rdev)) {
		scsi_nodes_of_block(&scsi, major(rdev), minor(rdev));
		if (info.media != OPTSIM_MEDIA_NONE)
			recording_get(&rec, index);
	}
	if (ctl->json)
		info_json(ctl, &info, &scsi, &rec);
	else
		info_human(ctl, &info, &scsi, &rec);
	free(rec.tracks);
	return EXIT_SUCCESS;
}
