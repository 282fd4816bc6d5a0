// SPDX-License-Identifier: GPL-2.0
/*
 * The disc image format (uapi/linux/optsim_image.h,
 * Documentation/image-format.rst): the layout of an image and the checks
 * of its header and metadata blocks. Pure C, shared by the module, which
 * loads images, and optsimctl, which creates and describes them, so that
 * both accept exactly the same files.
 */
#include "image_format.h"
#include "geometry.h"
#include "stack.h"

/* Round @v up to a multiple of @a, a power of two. */
static u64 osm_image_align(u64 v, u64 a)
{
	return (v + a - 1) & ~(a - 1);
}

/**
 * osm_image_layout() - where the areas of an image of a medium lie
 * @lo: filled in
 * @media: enum optsim_media
 * @layer_sectors: sectors per layer
 *
 * Return: 0, or -EINVAL for an unknown media type or an impossible
 * geometry.
 */
int osm_image_layout(struct osm_image_layout *lo, u32 media, u64 layer_sectors)
{
	struct osm_geometry geo;
	struct osm_stack st;
	int ret;

	ret = osm_stack_for_media(&st, media);
	if (ret)
		return ret;
	ret = osm_geometry_init(&geo, st.layers, layer_sectors);
	if (ret)
		return ret;
	lo->layers = st.layers;
	lo->layer_sectors = layer_sectors;
	lo->clusters = osm_div64_u32(osm_geometry_capacity(&geo),
				     OPTSIM_CLUSTER_SECTORS);
	lo->meta_blocks = osm_div64_u32(lo->clusters +
					OPTSIM_IMAGE_META_RECORDS - 1,
					OPTSIM_IMAGE_META_RECORDS);
	lo->data_offset = osm_image_align(OPTSIM_IMAGE_META_OFFSET +
					  lo->meta_blocks *
					  OPTSIM_IMAGE_META_BLOCK_BYTES,
					  OPTSIM_IMAGE_DATA_ALIGN);
	lo->file_bytes = lo->data_offset +
			 osm_geometry_capacity(&geo) * OPTSIM_SECTOR_SIZE;
	return 0;
}

/* CRC-32C of @len bytes at @p, its 4-byte checksum at @crc_off taken as 0. */
static u32 osm_image_crc(const void *p, size_t len, size_t crc_off)
{
	static const u8 zero[4];
	const u8 *b = p;
	u32 crc;

	crc = osm_crc32c_raw(~0U, b, crc_off);
	crc = osm_crc32c_raw(crc, zero, sizeof(zero));
	crc = osm_crc32c_raw(crc, b + crc_off + 4, len - crc_off - 4);
	return ~crc;
}

/**
 * osm_image_header_crc() - the checksum a header should carry
 * @h: the header; its @header_bytes is sizeof(*h) (the caller checked)
 *
 * Return: CRC-32C of the header with its @crc field zero.
 */
u32 osm_image_header_crc(const struct optsim_image_header *h)
{
	return osm_image_crc(h, sizeof(*h),
			     offsetof(struct optsim_image_header, crc));
}

/**
 * osm_image_meta_crc() - the checksum a metadata block should carry
 * @b: the block
 *
 * Return: CRC-32C of the block with its @crc field zero.
 */
u32 osm_image_meta_crc(const struct optsim_image_meta_block *b)
{
	return osm_image_crc(b, sizeof(*b),
			     offsetof(struct optsim_image_meta_block, crc));
}

/**
 * osm_image_header_new() - the header of a blank image, checksum included
 * @h: filled in
 * @lo: its layout (osm_image_layout())
 * @media: enum optsim_media
 *
 * A blank image has no tracks (@nr_tracks 0), no write parameters and seed
 * 0: the drive gives it a new disc's when it loads it, and writes them back.
 */
void osm_image_header_new(struct optsim_image_header *h,
			  const struct osm_image_layout *lo, u32 media)
{
	osm_memset(h, 0, sizeof(*h));
	osm_memcpy(h->magic, OPTSIM_IMAGE_MAGIC, OPTSIM_IMAGE_MAGIC_LEN);
	h->version = cpu_to_le32(OPTSIM_IMAGE_VERSION);
	h->header_bytes = cpu_to_le32(sizeof(*h));
	h->media = cpu_to_le32(media);
	h->layers = cpu_to_le32(lo->layers);
	h->layer_sectors = cpu_to_le64(lo->layer_sectors);
	h->cluster_bytes = cpu_to_le32(OPTSIM_CLUSTER_SECTORS *
				       OPTSIM_SECTOR_SIZE);
	h->meta_records = cpu_to_le32(OPTSIM_IMAGE_META_RECORDS);
	h->meta_offset = cpu_to_le64(OPTSIM_IMAGE_META_OFFSET);
	h->meta_blocks = cpu_to_le64(lo->meta_blocks);
	h->data_offset = cpu_to_le64(lo->data_offset);
	h->crc = cpu_to_le32(osm_image_header_crc(h));
}

/**
 * osm_image_meta_new() - a metadata block with no cluster recorded
 * @b: filled in, checksum included
 * @block: its number
 */
void osm_image_meta_new(struct optsim_image_meta_block *b, u64 block)
{
	osm_memset(b, 0, sizeof(*b));
	b->first_cluster = cpu_to_le64(block * OPTSIM_IMAGE_META_RECORDS);
	b->crc = cpu_to_le32(osm_image_meta_crc(b));
}

static bool osm_image_zero(const void *p, size_t len)
{
	const u8 *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

/* The track table: in disc order, each in its bounds. */
static int osm_image_tracks_check(const struct optsim_image_header *h,
				  u64 user_end, const char **why)
{
	u32 n = le32_to_cpu(h->nr_tracks);
	u32 closed = le32_to_cpu(h->closed_sessions);
	u64 start, end, prev_end = 0;
	u32 i, session, prev_session = 1;

	if (n > OPTSIM_IMAGE_MAX_TRACKS || closed > n) {
		*why = "track or session count out of range";
		return -EINVAL;
	}
	if (!n && (closed || (le32_to_cpu(h->flags) & OPTSIM_IMAGE_F_FINALIZED))) {
		*why = "a finalized disc or a closed session without tracks";
		return -EINVAL;
	}
	for (i = 0; i < OPTSIM_IMAGE_MAX_TRACKS; i++) {
		const struct optsim_image_track *t = &h->track[i];

		if (i >= n) {
			if (!osm_image_zero(t, sizeof(*t))) {
				*why = "track entries past the track count";
				return -EINVAL;
			}
			continue;
		}
		start = le64_to_cpu(t->start);
		end = le64_to_cpu(t->end);
		session = le32_to_cpu(t->session);
		if (start != prev_end || end < start || end > user_end ||
		    le64_to_cpu(t->nwa) < start || le64_to_cpu(t->nwa) > end ||
		    le64_to_cpu(t->data_end) < start ||
		    le64_to_cpu(t->data_end) > end ||
		    session < prev_session || session > closed + 1 ||
		    (le32_to_cpu(t->flags) & ~(OPTSIM_IMAGE_TRACK_F_RESERVED |
						OPTSIM_IMAGE_TRACK_F_CLOSED))) {
			*why = "a track lies outside its bounds or out of order";
			return -EINVAL;
		}
		prev_end = end;
		prev_session = session;
	}
	return 0;
}

/**
 * osm_image_header_check() - whether a header is one this version loads
 * @h: the header, as read from offset 0
 * @file_bytes: the size of the file
 * @lo: filled in with the image's layout when the header is good
 * @why: set to what is wrong when it is not
 *
 * Checks, in this order: the magic, the version, the checksum, then every
 * field against the geometry the header gives and the file's size. The
 * write parameters are the drive's to check (they depend on its model);
 * all-zero parameters of a layer stand for a new disc's.
 *
 * Return: 0; -EINVAL (not an image, a field out of range, the file shorter
 * than its geometry); -EOPNOTSUPP (a version newer than
 * OPTSIM_IMAGE_VERSION); -EBADMSG (checksum mismatch).
 */
int osm_image_header_check(const struct optsim_image_header *h,
			   u64 file_bytes, struct osm_image_layout *lo,
			   const char **why)
{
	u32 version = le32_to_cpu(h->version);
	u64 spare, capacity;
	u32 i;

	if (osm_memcmp(h->magic, OPTSIM_IMAGE_MAGIC, OPTSIM_IMAGE_MAGIC_LEN)) {
		*why = "not an optsim image (wrong magic)";
		return -EINVAL;
	}
	if (version > OPTSIM_IMAGE_VERSION) {
		*why = "the image is of a newer format version";
		return -EOPNOTSUPP;
	}
	if (!version || le32_to_cpu(h->header_bytes) != sizeof(*h)) {
		*why = "version or header size is invalid";
		return -EINVAL;
	}
	if (le32_to_cpu(h->crc) != osm_image_header_crc(h)) {
		*why = "header checksum mismatch";
		return -EBADMSG;
	}
	if (le32_to_cpu(h->flags) & ~OPTSIM_IMAGE_F_ALL) {
		*why = "unknown header flags";
		return -EINVAL;
	}
	if (osm_image_layout(lo, le32_to_cpu(h->media),
			     le64_to_cpu(h->layer_sectors)) ||
	    le32_to_cpu(h->layers) != lo->layers) {
		*why = "unknown media type or impossible geometry";
		return -EINVAL;
	}
	if (le32_to_cpu(h->cluster_bytes) !=
	    OPTSIM_CLUSTER_SECTORS * OPTSIM_SECTOR_SIZE ||
	    le32_to_cpu(h->meta_records) != OPTSIM_IMAGE_META_RECORDS ||
	    le64_to_cpu(h->meta_offset) != OPTSIM_IMAGE_META_OFFSET ||
	    le64_to_cpu(h->meta_blocks) != lo->meta_blocks ||
	    le64_to_cpu(h->data_offset) != lo->data_offset) {
		*why = "the areas of the image do not match its geometry";
		return -EINVAL;
	}
	if (file_bytes < lo->file_bytes) {
		*why = "the file is shorter than its geometry (truncated)";
		return -EINVAL;
	}
	if (h->reserved0 || !osm_image_zero(h->reserved, sizeof(h->reserved)) ||
	    (version < 2 && h->seq)) {
		*why = "reserved header fields are not zero";
		return -EINVAL;
	}
	for (i = 0; i < OPTSIM_MAX_LAYERS; i++) {
		if (!osm_image_zero(h->layer[i].reserved,
				    sizeof(h->layer[i].reserved)) ||
		    (version < 3 && (h->layer[i].mode ||
				     h->layer[i].current_ua)) ||
		    (i >= lo->layers &&
		     !osm_image_zero(&h->layer[i], sizeof(h->layer[i])))) {
			*why = "reserved layer fields are not zero";
			return -EINVAL;
		}
	}
	capacity = lo->clusters * OPTSIM_CLUSTER_SECTORS;
	spare = le64_to_cpu(h->spare_sectors);
	if (spare >= capacity || spare % OPTSIM_CLUSTER_SECTORS ||
	    le32_to_cpu(h->format_type) > 0xff) {
		*why = "format fields out of range";
		return -EINVAL;
	}
	return osm_image_tracks_check(h, capacity - spare, why);
}

/**
 * osm_image_meta_check() - whether a metadata block is one this version
 *	loads
 * @b: the block
 * @block: its number
 * @lo: the image's layout
 * @why: set to what is wrong when it is not
 *
 * Return: 0; -EBADMSG (checksum mismatch); -EINVAL (a field out of range).
 */
int osm_image_meta_check(const struct optsim_image_meta_block *b, u64 block,
			 const struct osm_image_layout *lo, const char **why)
{
	const u32 known = OPTSIM_QUALITY_F_RECORDED |
			  OPTSIM_QUALITY_F_UNCORRECTABLE |
			  OPTSIM_QUALITY_F_UNRESOLVED | OPTSIM_QUALITY_F_BURST;
	u64 first = block * OPTSIM_IMAGE_META_RECORDS;
	u32 i, flags;

	if (le32_to_cpu(b->crc) != osm_image_meta_crc(b)) {
		*why = "metadata block checksum mismatch";
		return -EBADMSG;
	}
	if (b->reserved0 || le64_to_cpu(b->first_cluster) != first) {
		*why = "metadata block out of place";
		return -EINVAL;
	}
	for (i = 0; i < OPTSIM_IMAGE_META_RECORDS; i++) {
		const struct optsim_image_cluster *r = &b->rec[i];

		flags = le32_to_cpu(r->flags);
		if (first + i >= lo->clusters) {
			if (!osm_image_zero(r, sizeof(*r))) {
				*why = "records past the end of the medium";
				return -EINVAL;
			}
			continue;
		}
		if ((flags & ~known) || r->reserved ||
		    (!(flags & OPTSIM_QUALITY_F_RECORDED) &&
		     (flags || r->jitter || r->ldc || r->bis || r->ldc_worst))) {
			*why = "a cluster record is out of range";
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * osm_image_journal_crc() - the checksum a commit record should carry
 * @j: the record
 *
 * Return: CRC-32C of the record with its @crc field zero.
 */
u32 osm_image_journal_crc(const struct optsim_image_journal *j)
{
	return osm_image_crc(j, sizeof(*j),
			     offsetof(struct optsim_image_journal, crc));
}

/**
 * osm_image_journal_new() - the commit record of a flush
 * @j: filled in, checksum included
 * @seq: the flush's number
 * @offset: where its journal lies (the layout's @file_bytes)
 * @blocks: metadata blocks in it
 * @payload_crc: osm_image_payload_crc() over the header copy, then each
 *	block, then osm_image_payload_end()
 */
void osm_image_journal_new(struct optsim_image_journal *j, u64 seq, u64 offset,
			   u64 blocks, u32 payload_crc)
{
	osm_memset(j, 0, sizeof(*j));
	osm_memcpy(j->magic, OPTSIM_IMAGE_JOURNAL_MAGIC, OPTSIM_IMAGE_MAGIC_LEN);
	j->seq = cpu_to_le64(seq);
	j->offset = cpu_to_le64(offset);
	j->blocks = cpu_to_le64(blocks);
	j->payload_crc = cpu_to_le32(payload_crc);
	j->crc = cpu_to_le32(osm_image_journal_crc(j));
}

/**
 * osm_image_payload_crc() - add bytes to a journal's payload checksum
 * @crc: ~0U to start, or what the last call returned
 * @p: the bytes
 * @len: their count
 *
 * Return: the running checksum; osm_image_payload_end() finishes it.
 */
u32 osm_image_payload_crc(u32 crc, const void *p, size_t len)
{
	return osm_crc32c_raw(crc, p, len);
}

/**
 * osm_image_payload_end() - finish a journal's payload checksum
 * @crc: what the last osm_image_payload_crc() returned
 *
 * Return: the checksum, as @payload_crc holds it.
 */
u32 osm_image_payload_end(u32 crc)
{
	return ~crc;
}

/*
 * Whether the journal @j names is whole: its header copy (read into @h)
 * checks out against the file and the commit, and so does every block.
 */
static int osm_image_journal_valid(const struct osm_image_io *io,
				   const struct optsim_image_journal *j,
				   struct optsim_image_header *h,
				   struct osm_image_layout *lo,
				   const char **why)
{
	u64 off = le64_to_cpu(j->offset), n = le64_to_cpu(j->blocks);
	struct optsim_image_meta_block *b = io->block;
	u64 i, block, prev = 0;
	u32 crc;
	int ret;

	if (off > io->file_bytes ||
	    io->file_bytes - off < OPTSIM_IMAGE_HEADER_BYTES ||
	    n > osm_div64_u32(io->file_bytes - off - OPTSIM_IMAGE_HEADER_BYTES,
			      OPTSIM_IMAGE_META_BLOCK_BYTES)) {
		*why = "the journal lies past the end of the file";
		return -EINVAL;
	}
	ret = io->read(io->ctx, h, sizeof(*h), off);
	if (ret)
		return ret;
	ret = osm_image_header_check(h, io->file_bytes, lo, why);
	if (ret)
		return ret;
	if (off != lo->file_bytes || n > lo->meta_blocks ||
	    le64_to_cpu(h->seq) != le64_to_cpu(j->seq)) {
		*why = "the journal does not match its image";
		return -EINVAL;
	}
	crc = osm_image_payload_crc(~0U, h, sizeof(*h));
	for (i = 0; i < n; i++) {
		ret = io->read(io->ctx, b, sizeof(*b), off +
			       OPTSIM_IMAGE_HEADER_BYTES +
			       i * OPTSIM_IMAGE_META_BLOCK_BYTES);
		if (ret)
			return ret;
		crc = osm_image_payload_crc(crc, b, sizeof(*b));
		block = osm_div64_u32(le64_to_cpu(b->first_cluster),
				      OPTSIM_IMAGE_META_RECORDS);
		if (block >= lo->meta_blocks || (i && block <= prev)) {
			*why = "the journal's blocks are out of place";
			return -EINVAL;
		}
		ret = osm_image_meta_check(b, block, lo, why);
		if (ret)
			return ret;
		prev = block;
	}
	if (osm_image_payload_end(crc) != le32_to_cpu(j->payload_crc)) {
		*why = "journal checksum mismatch (a torn flush)";
		return -EBADMSG;
	}
	return 0;
}

/**
 * osm_image_open() - read and check an image's header, replaying its
 *	journal when a flush was cut short
 * @io: how to read the file; its @block is room for one metadata block
 * @h: filled in with the header the image stands for: the one in place, or
 *	the one of a flush the journal holds
 * @lo: filled in with the image's layout
 * @jr: filled in with the journal to replay, if any (@blocks 0: none)
 * @why: set to what is wrong on failure
 *
 * The header in place is taken unless the commit record at
 * OPTSIM_IMAGE_JOURNAL_COMMIT checks out, is not applied, is not older than
 * the header in place (or that is damaged), and the journal it names is
 * whole: then
 * that flush is replayed, its header taken, and osm_image_meta_read()
 * reads its blocks from the journal. A torn journal is a flush that never
 * reached the blocks in place: the header in place stands.
 *
 * Return: 0, or as osm_image_header_check(): the header in place's
 * error when there is no journal to replay.
 */
int osm_image_open(const struct osm_image_io *io, struct optsim_image_header *h,
		   struct osm_image_layout *lo, struct osm_image_replay *jr,
		   const char **why)
{
	struct optsim_image_journal jc, *j = &jc;
	const char *jwhy = NULL;
	int ret, hret;
	u64 seq = 0;

	osm_memset(jr, 0, sizeof(*jr));
	ret = io->read(io->ctx, h, sizeof(*h), 0);
	if (ret) {
		*why = "the header cannot be read";
		return ret;
	}
	hret = osm_image_header_check(h, io->file_bytes, lo, why);
	/* A newer version is refused whatever its journal says. */
	if (hret == -EOPNOTSUPP)
		return hret;
	if (!hret)
		seq = le64_to_cpu(h->seq);
	if (io->file_bytes < OPTSIM_IMAGE_JOURNAL_COMMIT + sizeof(*j))
		return hret;
	ret = io->read(io->ctx, j, sizeof(*j), OPTSIM_IMAGE_JOURNAL_COMMIT);
	if (ret) {
		*why = "the journal cannot be read";
		return ret;
	}
	if (osm_memcmp(j->magic, OPTSIM_IMAGE_JOURNAL_MAGIC,
		       OPTSIM_IMAGE_MAGIC_LEN) ||
	    le32_to_cpu(j->crc) != osm_image_journal_crc(j) ||
	    (le32_to_cpu(j->flags) & ~OPTSIM_IMAGE_JOURNAL_F_APPLIED) ||
	    j->reserved0 || !osm_image_zero(j->reserved, sizeof(j->reserved)))
		return hret;
	/*
	 * An applied flush is in place, whole: damage to the header in place
	 * is none of a crash's, and is refused.
	 */
	if ((le32_to_cpu(j->flags) & OPTSIM_IMAGE_JOURNAL_F_APPLIED) ||
	    (!hret && le64_to_cpu(j->seq) < seq))
		return hret;
	jr->seq = le64_to_cpu(j->seq);
	jr->offset = le64_to_cpu(j->offset);
	jr->blocks = le64_to_cpu(j->blocks);
	ret = osm_image_journal_valid(io, j, h, lo, &jwhy);
	if (!ret)
		return 0;
	osm_memset(jr, 0, sizeof(*jr));
	if (hret)
		return hret;
	/* The header was overwritten by the journal's copy: read it again. */
	ret = io->read(io->ctx, h, sizeof(*h), 0);
	if (ret) {
		*why = "the header cannot be read";
		return ret;
	}
	return osm_image_header_check(h, io->file_bytes, lo, why);
}

/**
 * osm_image_meta_read() - read and check metadata blocks, the journal's
 *	where it has them
 * @io: how to read the file
 * @lo: the image's layout
 * @jr: the journal osm_image_open() found; its cursor moves on
 * @block: the first block
 * @n: blocks to read; @block + @n at most @lo's meta_blocks
 * @buf: room for @n blocks
 * @why: set to what is wrong on failure
 *
 * Callers read the blocks in rising order, each once.
 *
 * Return: 0; the read's error; or as osm_image_meta_check().
 */
int osm_image_meta_read(const struct osm_image_io *io,
			const struct osm_image_layout *lo,
			struct osm_image_replay *jr, u64 block, u64 n,
			void *buf, const char **why)
{
	struct optsim_image_meta_block *b = io->block;
	u64 i, at;
	int ret;

	ret = io->read(io->ctx, buf, n * OPTSIM_IMAGE_META_BLOCK_BYTES,
		       OPTSIM_IMAGE_META_OFFSET +
		       block * OPTSIM_IMAGE_META_BLOCK_BYTES);
	while (!ret && jr->next < jr->blocks) {
		ret = io->read(io->ctx, b, sizeof(*b), jr->offset +
			       OPTSIM_IMAGE_HEADER_BYTES +
			       jr->next * OPTSIM_IMAGE_META_BLOCK_BYTES);
		if (ret)
			break;
		at = osm_div64_u32(le64_to_cpu(b->first_cluster),
				   OPTSIM_IMAGE_META_RECORDS);
		if (at >= block + n)
			break;
		if (at >= block)
			osm_memcpy((char *)buf + (at - block) *
				   OPTSIM_IMAGE_META_BLOCK_BYTES, b, sizeof(*b));
		jr->next++;
	}
	if (ret) {
		*why = "the metadata cannot be read";
		return ret;
	}
	for (i = 0; i < n; i++) {
		ret = osm_image_meta_check((const void *)((const char *)buf + i *
				OPTSIM_IMAGE_META_BLOCK_BYTES), block + i, lo, why);
		if (ret)
			return ret;
	}
	return 0;
}
