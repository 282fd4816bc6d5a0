// SPDX-License-Identifier: GPL-2.0
/*
 * A BD-R's tracks and sessions in Sequential Recording Mode (SRM): the
 * table READ TOC, READ DISC INFORMATION and READ TRACK INFORMATION report,
 * and that RESERVE TRACK, CLOSE TRACK/SESSION and the writes change.
 *
 * A blank disc holds one open session, session 1, with one track: the
 * invisible track, from sector 0 to the end of the user area. RESERVE TRACK
 * splits a reserved track off its front. Closing the invisible track ends
 * it at its next writable address (NWA) rounded up to a cluster, and a new
 * invisible track follows in the same session. Closing the session closes
 * its open tracks and opens the next session with a new invisible track
 * (the disc stays appendable), or finalizes the disc when no room is left.
 * Closing a session that holds nothing since the last close changes
 * nothing: no empty sessions are made. Sessions follow each other with no
 * gap: a BD-R has no run-in or run-out between sessions to emulate.
 *
 * /dev/optsim writes wherever the write-once rule lets it; what it records
 * past the invisible track's NWA moves that NWA (m->nwa_cluster), so both
 * fronts agree on where the next write goes.
 *
 * Addresses are sectors (2048-byte logical blocks) throughout.
 */
#include "optsim.h"

#include <linux/blkdev.h>

/* The track numbered @n (from 1). */
static struct optsim_track *optsim_srm_track(struct optsim_medium *m, u32 n)
{
	return &m->srm.track[n - 1];
}

/* One past the end of the user area: the spare areas come after it. */
static u64 optsim_srm_user_end(const struct optsim_medium *m)
{
	return optsim_format_capacity(m);
}

/* Sectors /dev/optsim recorded up to: one past the highest cluster. */
static u64 optsim_srm_recorded(const struct optsim_medium *m)
{
	return m->nwa_cluster * OPTSIM_CLUSTER_SECTORS;
}

/* The session open for writing: 0 when the disc is finalized. */
static u32 optsim_srm_open_session(const struct optsim_medium *m)
{
	return m->finalized ? 0 : m->srm.closed_sessions + 1;
}

/**
 * optsim_srm_init() - give a blank disc its track table
 * @m: the medium; its format is set (optsim_format_init())
 *
 * One open session, session 1, with the invisible track over the whole
 * user area. A BD-RE keeps this one track: it has no sessions to close.
 */
void optsim_srm_init(struct optsim_medium *m)
{
	struct optsim_srm *srm = &m->srm;

	memset(srm, 0, sizeof(*srm));
	srm->nr_tracks = 1;
	srm->track[0] = (struct optsim_track) {
		.end		= optsim_srm_user_end(m),
		.session	= 1,
	};
}

/**
 * optsim_srm_invisible() - the invisible track
 * @m: the medium
 *
 * Return: its number: the last track when it is neither reserved nor
 * closed, on a disc that is not finalized; 0 when there is none (the disc
 * is finalized or full).
 */
u32 optsim_srm_invisible(const struct optsim_medium *m)
{
	const struct optsim_track *t = &m->srm.track[m->srm.nr_tracks - 1];

	if (m->finalized || t->reserved || t->closed)
		return 0;
	return m->srm.nr_tracks;
}

/**
 * optsim_srm_nwa() - a track's next writable address
 * @m: the medium
 * @track: the track's number, from 1
 *
 * For the invisible track, what /dev/optsim recorded counts too: the NWA is
 * the larger of the track's own and one past the highest recorded cluster.
 *
 * Return: the NWA; the track's end when it is closed or full, 0 when there
 * is no such track.
 */
u64 optsim_srm_nwa(const struct optsim_medium *m, u32 track)
{
	const struct optsim_track *t;
	u64 rec;

	if (!track || track > m->srm.nr_tracks)
		return 0;
	t = &m->srm.track[track - 1];
	if (t->closed)
		return t->end;
	if (track == optsim_srm_invisible(m)) {
		rec = optsim_srm_recorded(m);
		if (rec > t->nwa)
			return min(rec, t->end);
	}
	return t->nwa;
}

/**
 * optsim_srm_data_end() - one past the last sector written into a track
 * @m: the medium
 * @track: the track's number, from 1
 *
 * Return: the track's start when nothing was written into it; 0 when
 * there is no such track.
 */
u64 optsim_srm_data_end(const struct optsim_medium *m, u32 track)
{
	const struct optsim_track *t;
	u64 rec;

	if (!track || track > m->srm.nr_tracks)
		return 0;
	t = &m->srm.track[track - 1];
	if (track == optsim_srm_invisible(m)) {
		rec = optsim_srm_recorded(m);
		if (rec > t->data_end)
			return min(rec, t->end);
	}
	return t->data_end;
}

/**
 * optsim_srm_track_at() - the track a sector lies in
 * @m: the medium
 * @lba: the sector
 *
 * Return: the track's number, or 0 when the sector lies in none.
 */
u32 optsim_srm_track_at(const struct optsim_medium *m, u64 lba)
{
	u32 i;

	for (i = 0; i < m->srm.nr_tracks; i++)
		if (lba >= m->srm.track[i].start && lba < m->srm.track[i].end)
			return i + 1;
	return 0;
}

/**
 * optsim_srm_sessions() - sessions on the disc
 * @m: the medium
 *
 * Return: the closed sessions, plus the open one (which may be empty)
 * unless the disc is finalized.
 */
u32 optsim_srm_sessions(const struct optsim_medium *m)
{
	return m->srm.closed_sessions + !m->finalized;
}

/**
 * optsim_srm_session_first() - a session's first track
 * @m: the medium
 * @session: the session's number, from 1
 *
 * Return: the track's number, or 0 when the session has no track.
 */
u32 optsim_srm_session_first(const struct optsim_medium *m, u32 session)
{
	u32 i;

	for (i = 0; i < m->srm.nr_tracks; i++)
		if (m->srm.track[i].session == session)
			return i + 1;
	return 0;
}

/**
 * optsim_srm_session_last() - a session's last track
 * @m: the medium
 * @session: the session's number, from 1
 *
 * Return: the track's number, or 0 when the session has no track.
 */
u32 optsim_srm_session_last(const struct optsim_medium *m, u32 session)
{
	u32 i;

	for (i = m->srm.nr_tracks; i > 0; i--)
		if (m->srm.track[i - 1].session == session)
			return i;
	return 0;
}

/**
 * optsim_srm_session_empty() - nothing was recorded or reserved in a
 *	session
 * @m: the medium
 * @session: the session's number, from 1
 *
 * Return: true when the session's only track is an invisible track that
 * holds nothing, or when it has no track.
 */
bool optsim_srm_session_empty(const struct optsim_medium *m, u32 session)
{
	u32 first = optsim_srm_session_first(m, session);
	const struct optsim_track *t;

	if (!first)
		return true;
	t = &m->srm.track[first - 1];
	return first == optsim_srm_invisible(m) &&
	       optsim_srm_data_end(m, first) == t->start &&
	       optsim_srm_nwa(m, first) == t->start;
}

/**
 * optsim_srm_blank() - the disc is blank
 * @m: the medium
 *
 * Return: true when nothing was recorded, reserved or closed on the disc,
 * through either front, and it is not finalized.
 */
bool optsim_srm_blank(const struct optsim_medium *m)
{
	return !m->finalized && !m->nwa_cluster && !m->srm.closed_sessions &&
	       optsim_srm_session_empty(m, 1);
}

/**
 * optsim_srm_recorded_end() - one past the last sector written on the disc
 * @m: the medium
 *
 * What READ CAPACITY reports on a BD-R: it counts the sectors written
 * through MMC (those still in the drive's open cluster included) and the
 * clusters /dev/optsim recorded.
 *
 * Return: 0 on a blank disc.
 */
u64 optsim_srm_recorded_end(const struct optsim_medium *m)
{
	u64 end = optsim_srm_recorded(m);
	u32 i;

	for (i = 1; i <= m->srm.nr_tracks; i++)
		end = max(end, optsim_srm_data_end(m, i));
	return end;
}

/**
 * optsim_srm_write_check() - may an MMC write go where it asks to
 * @m: the medium
 * @lba: the write's first sector
 * @sectors: its length
 *
 * On a BD-R the write must start exactly at the NWA of a track that is
 * open, on a disc that is not finalized, and end inside that track. On a
 * BD-RE it must lie inside the formatted area of a formatted disc.
 *
 * Return: 0 when it may; else the sense it fails with, packed with
 * OPTSIM_SENSE(): 05/21/00 beyond the user area; on a BD-R 05/21/02 (not
 * at an NWA, into recorded or closed space, finalized); on a BD-RE
 * 05/30/10 when it is not formatted.
 */
int optsim_srm_write_check(const struct optsim_medium *m, u64 lba,
			   u32 sectors)
{
	const struct optsim_track *t;
	u64 end = lba + sectors;
	u32 n;

	if (lba > optsim_srm_user_end(m) || end > optsim_srm_user_end(m))
		return OPTSIM_SENSE(OPTSIM_SK_ILLEGAL_REQUEST, 0x21, 0x00);
	if (!m->type->write_once)
		return m->fmt.formatted ? 0 :
		       OPTSIM_SENSE(OPTSIM_SK_ILLEGAL_REQUEST, 0x30, 0x10);
	if (!sectors)
		return 0;
	if (m->finalized)
		return OPTSIM_SENSE(OPTSIM_SK_ILLEGAL_REQUEST, 0x21, 0x02);
	n = optsim_srm_track_at(m, lba);
	if (!n)
		return OPTSIM_SENSE(OPTSIM_SK_ILLEGAL_REQUEST, 0x21, 0x02);
	t = &m->srm.track[n - 1];
	if (t->closed || lba != optsim_srm_nwa(m, n) || end > t->end)
		return OPTSIM_SENSE(OPTSIM_SK_ILLEGAL_REQUEST, 0x21, 0x02);
	return 0;
}

/**
 * optsim_srm_written() - account an MMC write that was accepted
 * @m: the medium
 * @lba: the write's first sector
 * @sectors: its length
 *
 * Moves the NWA of the track written to past the write: sectors still
 * held in the drive's open cluster count as written. A write that pads
 * the open cluster counts too.
 */
void optsim_srm_written(struct optsim_medium *m, u64 lba, u32 sectors)
{
	u32 n = optsim_srm_track_at(m, lba);
	struct optsim_track *t;
	u64 end;

	if (!n || !sectors)
		return;
	t = optsim_srm_track(m, n);
	end = min(lba + sectors, t->end);
	if (t->closed)
		return;
	t->nwa = max(t->nwa, end);
	t->data_end = max(t->data_end, end);
}

/* Open a new invisible track after the last one, if there is room. */
static void optsim_srm_new_invisible(struct optsim_medium *m, u32 session)
{
	struct optsim_srm *srm = &m->srm;
	u64 start = srm->track[srm->nr_tracks - 1].end;
	u64 end = optsim_srm_user_end(m);

	if (start >= end || srm->nr_tracks >= OPTSIM_SRM_MAX_TRACKS)
		return;
	srm->track[srm->nr_tracks++] = (struct optsim_track) {
		.start		= start,
		.end		= end,
		.nwa		= start,
		.session	= session,
		.data_end	= start,
	};
}

/*
 * Close track @n, which is open. The invisible track ends at its NWA,
 * rounded up to a whole cluster; a reserved track keeps its size, and what
 * was not written of it stays unwritten.
 */
static void optsim_srm_close_one(struct optsim_medium *m, u32 n)
{
	struct optsim_track *t = optsim_srm_track(m, n);

	if (n == optsim_srm_invisible(m)) {
		t->data_end = optsim_srm_data_end(m, n);
		t->end = round_up(optsim_srm_nwa(m, n), OPTSIM_CLUSTER_SECTORS);
	}
	t->nwa = t->end;
	t->closed = true;
}

/**
 * optsim_srm_reserve() - RESERVE TRACK: split a reserved track off the
 *	invisible track
 * @m: the medium
 * @sectors: its size, rounded up here to whole clusters
 *
 * Return: 0; or a packed sense: 05/2C/00 when there is no invisible track
 * or something was written into it already, 05/72/05 when the table is
 * full or the track does not fit, 07/27/00 for an image opened read-only.
 */
int optsim_srm_reserve(struct optsim_medium *m, u64 sectors)
{
	struct optsim_srm *srm = &m->srm;
	u32 n = optsim_srm_invisible(m);
	struct optsim_track *t;
	u64 end;

	if (optsim_medium_read_only(m))
		return OPTSIM_SENSE(OPTSIM_SK_DATA_PROTECT, 0x27, 0x00);
	if (!n || optsim_srm_nwa(m, n) != srm->track[n - 1].start ||
	    optsim_srm_data_end(m, n) != srm->track[n - 1].start)
		return OPTSIM_SENSE(OPTSIM_SK_ILLEGAL_REQUEST, 0x2c, 0x00);
	t = optsim_srm_track(m, n);
	sectors = round_up(sectors, OPTSIM_CLUSTER_SECTORS);
	if (!sectors || sectors > t->end - t->start)
		return OPTSIM_SENSE(OPTSIM_SK_ILLEGAL_REQUEST, 0x72, 0x05);
	end = t->start + sectors;
	if (end < t->end && srm->nr_tracks >= OPTSIM_SRM_MAX_TRACKS)
		return OPTSIM_SENSE(OPTSIM_SK_ILLEGAL_REQUEST, 0x72, 0x05);
	t->end = end;
	t->reserved = true;
	optsim_srm_new_invisible(m, t->session);
	return 0;
}

/**
 * optsim_srm_close_track() - CLOSE TRACK
 * @m: the medium, not finalized
 * @track: the track's number, from 1
 *
 * Closing a track that is closed already, or an invisible track that holds
 * nothing, changes nothing. Closing the invisible track opens a new one
 * after it, in the same session, while there is room.
 *
 * Return: 0, or 05/24/00 packed when there is no such track.
 */
int optsim_srm_close_track(struct optsim_medium *m, u32 track)
{
	struct optsim_track *t;

	if (!track || track > m->srm.nr_tracks)
		return OPTSIM_SENSE(OPTSIM_SK_ILLEGAL_REQUEST, 0x24, 0x00);
	t = optsim_srm_track(m, track);
	if (t->closed)
		return 0;
	if (track == optsim_srm_invisible(m)) {
		if (optsim_srm_nwa(m, track) == t->start)
			return 0;
		optsim_srm_close_one(m, track);
		optsim_srm_new_invisible(m, t->session);
		return 0;
	}
	optsim_srm_close_one(m, track);
	return 0;
}

/*
 * Close the open session's open tracks and count the session as closed.
 * An empty invisible track is not closed: it moves on to the next session.
 * Return: the number of that empty invisible track, or 0.
 */
static u32 optsim_srm_end_session(struct optsim_medium *m)
{
	u32 session = optsim_srm_open_session(m);
	u32 n, inv = optsim_srm_invisible(m), empty = 0;
	struct optsim_track *t;

	for (n = optsim_srm_session_first(m, session); n && n <= m->srm.nr_tracks;
	     n++) {
		t = optsim_srm_track(m, n);
		if (t->closed)
			continue;
		if (n == inv && optsim_srm_nwa(m, n) == t->start) {
			empty = n;
			continue;
		}
		optsim_srm_close_one(m, n);
	}
	m->srm.closed_sessions++;
	return empty;
}

/**
 * optsim_srm_close_session() - CLOSE SESSION
 * @m: the medium, not finalized
 *
 * An empty open session stays as it is: closing it changes nothing. Else
 * the session's open tracks are closed and the next session opens with an
 * invisible track, or, when no room is left for one, the disc is
 * finalized (m->finalized; the caller holds the queue frozen).
 *
 * Return: 0.
 */
int optsim_srm_close_session(struct optsim_medium *m)
{
	u32 empty, next;

	if (optsim_srm_session_empty(m, optsim_srm_open_session(m)))
		return 0;
	empty = optsim_srm_end_session(m);
	next = m->srm.closed_sessions + 1;
	if (empty) {
		optsim_srm_track(m, empty)->session = next;
		return 0;
	}
	optsim_srm_new_invisible(m, next);
	if (!optsim_srm_invisible(m))
		optsim_srm_finalize(m);
	return 0;
}

/**
 * optsim_srm_finalize() - close everything and finalize the disc
 * @m: the medium, not finalized; the caller holds the queue frozen
 *
 * The open session is closed as CLOSE SESSION closes it, unless it is
 * empty: then it is dropped, with its empty invisible track, so that the
 * disc ends with its last session that holds data. A disc finalized blank
 * keeps one closed, empty track in one session. Sets m->finalized: both
 * fronts refuse writes from then on.
 */
void optsim_srm_finalize(struct optsim_medium *m)
{
	struct optsim_srm *srm = &m->srm;
	u32 session = optsim_srm_open_session(m);
	u32 empty;

	if (!optsim_srm_session_empty(m, session)) {
		empty = optsim_srm_end_session(m);
		if (empty)
			srm->nr_tracks--;
	} else if (srm->nr_tracks > 1) {
		srm->nr_tracks--;
	} else {
		/* Blank: one session with one empty track. */
		srm->track[0].end = srm->track[0].start;
		optsim_srm_close_one(m, 1);
		srm->closed_sessions++;
	}
	m->finalized = true;
}

/**
 * optsim_srm_close() - close a track, the session or the disc, for either
 *	front
 * @dev: the drive; the caller holds its model_lock, and the drive has a
 *	BD-R that is not finalized
 * @bdev: the block device an optsim ioctl came through, or NULL for the
 *	MMC front
 * @what: what to close
 * @track: for OPTSIM_SRM_CLOSE_TRACK, the track's number
 *
 * Runs with the queue frozen, as the disc may get finalized: data written
 * through /dev/optsim and still buffered reaches the disc first. A disc
 * finalized is announced to netlink listeners; when the block device's
 * side finalized it, the MMC front hears of it as a media change too. An
 * image-backed medium's file gets the closed session or disc durably.
 *
 * Return: 0, or a packed sense from the closing; 07/27/00 (write
 * protected) for an image opened read-only.
 */
int optsim_srm_close(struct optsim_dev *dev, struct block_device *bdev,
		     enum optsim_srm_close what, u32 track)
	__must_hold(&dev->model_lock)
{
	struct optsim_medium *m;
	bool finalized;
	int ret = 0;

	lockdep_assert_held(&dev->model_lock);
	mutex_lock(&dev->lock);
	m = dev->medium;
	/* A read-only image keeps its tracks as they are: write protected. */
	if (optsim_medium_read_only(m)) {
		mutex_unlock(&dev->lock);
		return OPTSIM_SENSE(OPTSIM_SK_DATA_PROTECT, 0x27, 0x00);
	}
	if (what != OPTSIM_SRM_CLOSE_TRACK)
		sync_blockdev(bdev ? bdev : dev->disk->part0);
	optsim_dev_freeze(dev);
	mutex_lock(&m->write_lock);
	switch (what) {
	case OPTSIM_SRM_CLOSE_TRACK:
		ret = optsim_srm_close_track(m, track);
		break;
	case OPTSIM_SRM_CLOSE_SESSION:
		ret = optsim_srm_close_session(m);
		break;
	case OPTSIM_SRM_CLOSE_DISC:
		optsim_srm_finalize(m);
		break;
	}
	finalized = m->finalized;
	mutex_unlock(&m->write_lock);
	optsim_dev_unfreeze(dev);
	if (finalized) {
		optsim_events_medium(dev, OPTSIM_CMD_FINALIZE_NTF);
		if (bdev)
			optsim_mmc_media_event(dev, OPTSIM_MEV_MEDIA_CHANGED);
	}
	if (!bdev && !ret && what != OPTSIM_SRM_CLOSE_TRACK)
		optsim_mmc_media_event(dev, OPTSIM_MEV_SESSION_CLOSED);
	mutex_unlock(&dev->lock);
	/* A closed session or disc is durable in an image; the log has errors. */
	if (!ret && what != OPTSIM_SRM_CLOSE_TRACK)
		optsim_image_sync(m);
	return ret;
}
