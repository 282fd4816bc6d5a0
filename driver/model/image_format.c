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
	if (h->reserved0 || !osm_image_zero(h->reserved, sizeof(h->reserved))) {
		*why = "reserved header fields are not zero";
		return -EINVAL;
	}
	for (i = 0; i < OPTSIM_MAX_LAYERS; i++) {
		if (!osm_image_zero(h->layer[i].reserved,
				    sizeof(h->layer[i].reserved)) ||
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
