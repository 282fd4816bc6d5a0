/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optsim - a BD-R's tracks and sessions (Sequential Recording Mode), and a
 * BD-RE's format: the parts of a medium's state that the MMC front shows
 * and that optsimctl reports. srm.c and format.c keep them.
 */
#ifndef _OPTSIM_SRM_H
#define _OPTSIM_SRM_H

#include <linux/types.h>

struct block_device;
struct optsim_dev;
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
 * @data_end: one past the last sector written into the track through MMC,
 *	@start while none was; the track's last recorded address (LRA) is the
 *	sector before it. For the invisible track, optsim_srm_data_end() also
 *	counts what /dev/optsim recorded.
 */
struct optsim_track {
	u64 start;
	u64 end;
	u64 nwa;
	u32 session;
	bool reserved;
	bool closed;
	u64 data_end;
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
 * @type: FORMAT UNIT format type last used (00h, 30h, 31h; on a BD-R
 *	formatted blank, 00h or 32h)
 * @certified: the last format certified the disc (full format)
 */
struct optsim_format {
	bool formatted;
	u64 spare_sectors;
	u8 type;
	bool certified;
};

/**
 * enum optsim_srm_close - what CLOSE TRACK/SESSION (or a finalize) closes
 * @OPTSIM_SRM_CLOSE_TRACK: one track (close function 001b)
 * @OPTSIM_SRM_CLOSE_SESSION: the open session (010b)
 * @OPTSIM_SRM_CLOSE_DISC: the disc: finalize (110b, and 101b)
 */
enum optsim_srm_close {
	OPTSIM_SRM_CLOSE_TRACK,
	OPTSIM_SRM_CLOSE_SESSION,
	OPTSIM_SRM_CLOSE_DISC,
};

/*
 * srm.c: every function is called with the medium's write_lock held, but
 * optsim_srm_close(), which takes the locks it needs. Tracks and sessions
 * are numbered from 1, as MMC numbers them.
 */
void optsim_srm_init(struct optsim_medium *m);
u64 optsim_srm_nwa(const struct optsim_medium *m, u32 track);
int optsim_srm_write_check(const struct optsim_medium *m, u64 lba,
			   u32 sectors);
void optsim_srm_written(struct optsim_medium *m, u64 lba, u32 sectors);
u64 optsim_srm_data_end(const struct optsim_medium *m, u32 track);
u32 optsim_srm_invisible(const struct optsim_medium *m);
u32 optsim_srm_track_at(const struct optsim_medium *m, u64 lba);
u32 optsim_srm_sessions(const struct optsim_medium *m);
u32 optsim_srm_session_first(const struct optsim_medium *m, u32 session);
u32 optsim_srm_session_last(const struct optsim_medium *m, u32 session);
bool optsim_srm_session_empty(const struct optsim_medium *m, u32 session);
bool optsim_srm_blank(const struct optsim_medium *m);
u64 optsim_srm_recorded_end(const struct optsim_medium *m);
int optsim_srm_reserve(struct optsim_medium *m, u64 sectors);
int optsim_srm_close_track(struct optsim_medium *m, u32 track);
int optsim_srm_close_session(struct optsim_medium *m);
void optsim_srm_finalize(struct optsim_medium *m);
int optsim_srm_close(struct optsim_dev *dev, struct block_device *bdev,
		     enum optsim_srm_close what, u32 track);

/**
 * enum optsim_spare - the spare area sizes a disc offers (READ FORMAT
 *	CAPACITIES)
 * @OPTSIM_SPARE_DEFAULT: the default size (format type 00h)
 * @OPTSIM_SPARE_MAX: the largest (smallest user capacity)
 * @OPTSIM_SPARE_MIN: the smallest that still has defect management
 */
enum optsim_spare {
	OPTSIM_SPARE_DEFAULT,
	OPTSIM_SPARE_MAX,
	OPTSIM_SPARE_MIN,
};

/**
 * enum optsim_cert - how a format certifies the disc
 * @OPTSIM_CERT_NONE: it does not: quick format, the data is forgotten
 * @OPTSIM_CERT_QUICK: quick certification (subtype 11b): an overwrite
 *	cycle, half the time of a full one
 * @OPTSIM_CERT_FULL: full certification (subtype 10b): an overwrite cycle
 */
enum optsim_cert {
	OPTSIM_CERT_NONE,
	OPTSIM_CERT_QUICK,
	OPTSIM_CERT_FULL,
};

/* optsim_format_req.spare_sectors: keep the spare areas the disc has. */
#define OPTSIM_FORMAT_KEEP_SPARES	U64_MAX

/**
 * struct optsim_format_req - a format to apply; optsimctl erase is one
 * @type: FORMAT UNIT format type: 00h, 30h or 31h on a BD-RE, 00h or 32h
 *	on a blank BD-R
 * @cert: enum optsim_cert
 * @spare_sectors: the spare areas to set aside, cluster-aligned; or
 *	OPTSIM_FORMAT_KEEP_SPARES
 */
struct optsim_format_req {
	u8 type;
	u8 cert;
	u64 spare_sectors;
};

/* format.c */
void optsim_format_init(struct optsim_medium *m);
u64 optsim_format_capacity(const struct optsim_medium *m);
u64 optsim_format_spare(const struct optsim_medium *m, enum optsim_spare which);
unsigned int optsim_format_msecs(const struct optsim_medium *m,
				 enum optsim_cert cert);
int optsim_format_medium(struct optsim_dev *dev, struct block_device *bdev,
			 const struct optsim_format_req *req);

/*
 * A sense code packed in an int: key << 16 | asc << 8 | ascq; 0 is none.
 * optsim_srm_write_check() returns one.
 */
#define OPTSIM_SENSE(key, asc, ascq)	((key) << 16 | (asc) << 8 | (ascq))
#define OPTSIM_SENSE_KEY(s)		(((s) >> 16) & 0xff)
#define OPTSIM_SENSE_ASC(s)		(((s) >> 8) & 0xff)
#define OPTSIM_SENSE_ASCQ(s)		((s) & 0xff)

#endif /* _OPTSIM_SRM_H */
