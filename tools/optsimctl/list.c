// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl list - the optsim drives, found through libudev: each block
 * device with an optsim/ attribute directory, in index order, with the sr
 * and sg nodes of its SCSI LUN (scsi.c).
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libudev.h>

#include "json.h"
#include "optsimctl.h"
#include "scsi.h"

struct drive {
	unsigned long index;
	char name[32];
	char node[64];
	char media[16];
	unsigned long layers;
	unsigned long long size;	/* bytes */
	int finalized;
	struct scsi_nodes scsi;
};

static const char *attr(struct udev_device *d, const char *name)
{
	const char *v = udev_device_get_sysattr_value(d, name);

	return v ? v : "";
}

/* In the text: an empty column shows as "-". */
static const char *node_or_dash(const char *node)
{
	return node[0] ? node : "-";
}

static int drive_cmp(const void *a, const void *b)
{
	const struct drive *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

int cmd_list(struct optsimctl *ctl, int argc, char **argv)
{
	struct udev_list_entry *e;
	struct udev_enumerate *en;
	struct drive *drives = NULL, *dr;
	struct udev_device *d;
	struct udev *udev;
	size_t n = 0, i;
	const char *idx;
	struct json j;

	cmd_json_opts(ctl, argc, argv);
	udev = udev_new();
	if (!udev)
		errx(EXIT_FAILURE, "udev: out of memory");
	en = udev_enumerate_new(udev);
	if (!en || udev_enumerate_add_match_subsystem(en, "block") < 0 ||
	    udev_enumerate_add_match_sysname(en, "optsim*") < 0 ||
	    udev_enumerate_scan_devices(en) < 0)
		errx(EXIT_FAILURE, "udev: cannot enumerate block devices");
	udev_list_entry_foreach(e, udev_enumerate_get_list_entry(en)) {
		d = udev_device_new_from_syspath(udev,
						 udev_list_entry_get_name(e));
		if (!d)
			continue;
		idx = udev_device_get_sysattr_value(d, "optsim/index");
		if (idx) {
			drives = realloc(drives, (n + 1) * sizeof(*drives));
			if (!drives)
				errx(EXIT_FAILURE, "out of memory");
			dr = &drives[n++];
			memset(dr, 0, sizeof(*dr));
			dr->index = strtoul(idx, NULL, 10);
			snprintf(dr->name, sizeof(dr->name), "%s",
				 udev_device_get_sysname(d));
			snprintf(dr->node, sizeof(dr->node), "%s",
				 udev_device_get_devnode(d) ?
				 udev_device_get_devnode(d) : "");
			snprintf(dr->media, sizeof(dr->media), "%s",
				 attr(d, "optsim/media"));
			dr->layers = strtoul(attr(d, "optsim/layers"), NULL, 10);
			dr->finalized = !strcmp(attr(d, "optsim/finalized"), "1");
			dr->size = strtoull(attr(d, "size"), NULL, 10) * 512;
			if (udev_device_get_sysattr_value(d, "optsim/scsi_device"))
				scsi_nodes_from_hctl(&dr->scsi,
						     attr(d, "optsim/scsi_device"));
		}
		udev_device_unref(d);
	}
	udev_enumerate_unref(en);
	udev_unref(udev);
	if (n)
		qsort(drives, n, sizeof(*drives), drive_cmp);

	if (ctl->json) {
		json_init(&j, stdout);
		json_object_begin(&j, NULL);
		json_array_begin(&j, "devices");
		for (i = 0; i < n; i++) {
			json_object_begin(&j, NULL);
			json_string(&j, "name", drives[i].name);
			json_string(&j, "devnode", drives[i].node);
			json_u64(&j, "index", drives[i].index);
			json_string(&j, "media", drives[i].media);
			json_u64(&j, "layers", drives[i].layers);
			json_bool(&j, "finalized", drives[i].finalized);
			json_u64(&j, "size", drives[i].size);
			json_string_or_null(&j, "hctl", drives[i].scsi.hctl);
			json_string_or_null(&j, "sr", drives[i].scsi.sr);
			json_string_or_null(&j, "sg", drives[i].scsi.sg);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_object_end(&j);
		json_finish(&j);
	} else {
		printf("%-10s %-16s %5s %-9s %6s %9s %14s %-10s %s\n",
		       "NAME", "DEVNODE", "INDEX", "MEDIA", "LAYERS",
		       "FINALIZED", "SIZE", "SR", "SG");
		for (i = 0; i < n; i++)
			printf("%-10s %-16s %5lu %-9s %6lu %9s %14llu %-10s %s\n",
			       drives[i].name, drives[i].node, drives[i].index,
			       drives[i].media, drives[i].layers,
			       drives[i].finalized ? "yes" : "no",
			       drives[i].size, node_or_dash(drives[i].scsi.sr),
			       node_or_dash(drives[i].scsi.sg));
	}
	free(drives);
	return EXIT_SUCCESS;
}
