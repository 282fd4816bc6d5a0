/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optsimctl - a drive's SCSI LUN (the MMC front) and its sr and sg nodes,
 * found through sysfs (scsi.c).
 */
#ifndef OPTSIMCTL_SCSI_H
#define OPTSIMCTL_SCSI_H

#include <stdbool.h>

/*
 * What a drive's LUN is. Empty strings where there is none: @hctl when
 * the MMC front is off (or the module is too old to say), @sr and @sg when
 * sr_mod or sg is not loaded.
 */
struct scsi_nodes {
	bool known;		/* the drive's optsim/scsi_device was read */
	char hctl[32];		/* "H:C:T:L", as lsblk's HCTL */
	char sr[64];		/* "/dev/srN" */
	char sg[64];		/* "/dev/sgN" */
};

void scsi_nodes_from_hctl(struct scsi_nodes *s, const char *hctl);
void scsi_nodes_of_block(struct scsi_nodes *s, unsigned int major,
			 unsigned int minor);
const char *scsi_node_why(const struct scsi_nodes *s, bool sg);

#endif /* OPTSIMCTL_SCSI_H */
