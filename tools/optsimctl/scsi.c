// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl - a drive's SCSI LUN and its sr and sg nodes. The driver names
 * the LUN in /sys/block/<disk>/optsim/scsi_device as "H:C:T:L"; the LUN's
 * directory /sys/bus/scsi/devices/H:C:T:L holds block/srN once sr_mod has
 * bound it and scsi_generic/sgN once sg has.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "scsi.h"

#define SCSI_DEVICES	"/sys/bus/scsi/devices"

/* The one entry of @dir (block/ or scsi_generic/) as "/dev/NAME", or "". */
static void scsi_child(const char *hctl, const char *dir, char *node,
		       size_t size)
{
	char path[128];
	struct dirent *e;
	DIR *d;

	node[0] = '\0';
	snprintf(path, sizeof(path), SCSI_DEVICES "/%s/%s", hctl, dir);
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' ||
		    strlen(e->d_name) + sizeof("/dev/") > size)
			continue;
		strcpy(node, "/dev/");
		strcat(node, e->d_name);
		break;
	}
	closedir(d);
}

/*
 * scsi_nodes_from_hctl() - fill @s from a LUN's "H:C:T:L" (trailing
 * newline allowed; empty: no LUN).
 */
void scsi_nodes_from_hctl(struct scsi_nodes *s, const char *hctl)
{
	size_t n = strcspn(hctl, "\n");

	memset(s, 0, sizeof(*s));
	s->known = true;
	/* Digits and colons only: it goes into a path. */
	if (!n || n >= sizeof(s->hctl) || strspn(hctl, "0123456789:") != n)
		return;
	memcpy(s->hctl, hctl, n);
	s->hctl[n] = '\0';
	scsi_child(s->hctl, "block", s->sr, sizeof(s->sr));
	scsi_child(s->hctl, "scsi_generic", s->sg, sizeof(s->sg));
}

/*
 * scsi_nodes_of_block() - fill @s for the optsim block device
 * @major:@minor; s->known stays false when it has no optsim/scsi_device.
 */
void scsi_nodes_of_block(struct scsi_nodes *s, unsigned int major,
			 unsigned int minor)
{
	char path[96], val[40];
	ssize_t len;
	int fd;

	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/optsim/scsi_device",
		 major, minor);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	len = read(fd, val, sizeof(val) - 1);
	close(fd);
	if (len < 0)
		return;
	val[len] = '\0';
	scsi_nodes_from_hctl(s, val);
}

/*
 * scsi_node_why() - why a drive has no sr node (or sg node, @sg): for the
 * text output, after "none".
 */
const char *scsi_node_why(const struct scsi_nodes *s, bool sg)
{
	if (!s->known)
		return "not an optsim block device with a SCSI front";
	if (!s->hctl[0])
		return "the MMC front is off";
	return sg ? "sg is not loaded" : "sr_mod is not loaded";
}
