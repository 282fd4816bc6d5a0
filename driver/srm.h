/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optsim - a BD-R's tracks and sessions (Sequential Recording Mode), and a
 * BD-RE's format: the parts of a medium's state that the MMC front shows
 * and that optsimctl reports. srm.c and format.c keep them.
 */
#ifndef _OPTSIM_SRM_H
#define _OPTSIM_SRM_H

#include <linux/types.h>

struct optsim_medium;

/*
 * Tracks a BD-R holds, the invisible one included. A track number is one
 * byte in READ TOC; the lead-out takes 0xAA's place at the end of the list.
 */
#define OPTSIM_SRM_MAX_TRACKS	255

/**
 * struct optsim_track - one track of a BD-R in SRM
 * @start: its first sector
 * @end: one past its last sector; for the invisible track, the end of the
 *	user area
 * @nwa: next writable sector; @end when the track is full or closed
 * @session: the session it belongs to, from 1
 * @reserved: made by RESERVE TRACK, with a fixed size
 * @closed: closed: no more writes
 */
struct optsim_track {
	u64 start;
	u64 end;
	u64 nwa;
	u32 session;
	bool reserved;
	bool closed;
};

/**
 * struct optsim_srm - a BD-R's track and session table; protected by the
 *	medium's write_lock
 * @track: the tracks, in disc order; the last is the invisible track of
 *	the open session while the disc is appendable
 * @nr_tracks: tracks in @track, at least 1
 * @closed_sessions: sessions closed; the session after them is open (it
 *	may be empty) unless the disc is finalized
 */
struct optsim_srm {
	struct optsim_track track[OPTSIM_SRM_MAX_TRACKS];
	u32 nr_tracks;
	u32 closed_sessions;
};

/**
 * struct optsim_format - a rewritable medium's format; protected by the
 *	medium's write_lock
 * @formatted: the disc is formatted. Through MMC an unformatted BD-RE
 *	must be formatted first; through /dev/optsim the first write formats
 *	it (quick, no spares).
 * @spare_sectors: sectors set aside as spare areas, at the end of the user
 *	area: the formatted capacity is the raw capacity minus these
 * @type: FORMAT UNIT format type last used (00h, 30h, 31h)
 * @certified: the last format certified the disc (full format)
 */
struct optsim_format {
	bool formatted;
	u64 spare_sectors;
	u8 type;
	bool certified;
};

/* srm.c: every function is called with the medium's write_lock held. */
void optsim_srm_init(struct optsim_medium *m);
u64 optsim_srm_nwa(const struct optsim_medium *m, u32 track);
int optsim_srm_write_check(const struct optsim_medium *m, u64 lba,
			   u32 sectors);
void optsim_srm_written(struct optsim_medium *m, u64 lba, u32 sectors);

/* format.c */
void optsim_format_init(struct optsim_medium *m);
u64 optsim_format_capacity(const struct optsim_medium *m);

/*
 * A sense code packed in an int: key << 16 | asc << 8 | ascq; 0 is none.
 * optsim_srm_write_check() returns one.
 */
#define OPTSIM_SENSE(key, asc, ascq)	((key) << 16 | (asc) << 8 | (ascq))
#define OPTSIM_SENSE_KEY(s)		(((s) >> 16) & 0xff)
#define OPTSIM_SENSE_ASC(s)		(((s) >> 8) & 0xff)
#define OPTSIM_SENSE_ASCQ(s)		((s) & 0xff)

#endif /* _OPTSIM_SRM_H */
