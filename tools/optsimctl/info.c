// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl info - the medium, its recorded state and the memory it uses.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

#include "json.h"
#include "names.h"
#include "optsimctl.h"
#include "units.h"

static void info_json(const struct optsimctl *ctl,
		      const struct optsim_info *info)
{
	struct json j;
	uint32_t l;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_string(&j, "device", ctl->devname);
	json_string(&j, "media", media_name(info->media));
	json_bool(&j, "write_once", info->flags & OPTSIM_INFO_F_WRITE_ONCE);
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

static void info_human(const struct optsimctl *ctl,
		       const struct optsim_info *info)
{
	bool wo = info->flags & OPTSIM_INFO_F_WRITE_ONCE;
	uint64_t bytes = info->capacity * info->sector_size;
	char gb[FIXED_BUFSZ];
	uint32_t l;

	printf(KEY "%s\n", "device:", ctl->devname);
	if (info->media == OPTSIM_MEDIA_NONE) {
		printf(KEY "%s\n", "media:", "none");
	} else {
		printf(KEY "%s (%s)\n", "media:", media_name(info->media),
		       wo ? "write-once" : "rewritable");
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
	}
	print_bytes("memory used:", info->mem_used);
	print_bytes("memory limit:", info->mem_limit);
}

int cmd_info(struct optsimctl *ctl, int argc, char **argv)
{
	struct optsim_info info;

	cmd_json_opts(ctl, argc, argv);

	dev_open(ctl, O_RDONLY | O_NONBLOCK);
	dev_get_info(ctl, &info);
	if (ctl->json)
		info_json(ctl, &info);
	else
		info_human(ctl, &info);
	return EXIT_SUCCESS;
}
