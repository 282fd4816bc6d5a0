// SPDX-License-Identifier: GPL-2.0
/*
 * Image-backed media: a medium that lives in a file (the disc image format,
 * uapi/linux/optsim_image.h and Documentation/image-format.rst), so that a
 * full-size disc fits beyond RAM and outlasts eject, unload and reboot.
 *
 * Userspace opens the file and passes its descriptor with OPTSIM_IOC_LOAD,
 * as LOOP_CONFIGURE does; the drive takes its own reference. Data moves
 * between requests and the file through kernel_read() and kernel_write(),
 * so it is cached only in the file's page cache, never in the drive. In
 * memory the medium keeps what a medium in memory keeps but its data: one
 * small entry per cluster ever written (the store's, store.c), its state
 * and write parameters.
 *
 * Durability. A write puts its clusters' data in the file and marks the
 * metadata blocks that describe them dirty in memory. A flush (a
 * REQ_PREFLUSH or FUA request, SYNCHRONIZE CACHE, a finalize, a format,
 * eject, unload) first makes the data durable (fsync), and only then the
 * metadata that describes it: the file never says a cluster is recorded
 * before its data is on disk. The metadata goes through a journal, so
 * that a crash in the middle of a flush cannot tear it: the new header and
 * the dirty blocks are written after the data area with a commit record
 * (struct optsim_image_journal) and made durable; then the same are
 * written in place and made durable; then the record is marked applied.
 * A load replays a commit that is not applied (osm_image_open()). A crash
 * between a write and the next flush may lose that write, never flushed
 * data, and the image always loads as of its last whole flush.
 */
#include "optsim.h"

#include <linux/bitmap.h>
#include <linux/falloc.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/pagemap.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

/*
 * optsim_images_lock protects optsim_images: the images some medium holds,
 * in a drive or in its open tray, so that no file is loaded twice.
 */
static DEFINE_MUTEX(optsim_images_lock);
static LIST_HEAD(optsim_images);

/* Bytes of the write buffer: the most clusters one request touches. */
#define OPTSIM_IMAGE_BOUNCE_BYTES	(OPTSIM_RQ_CLUSTERS * OPTSIM_CLUSTER_BYTES)

/*
 * Read @len bytes at @pos of the image. What lies past the end of the file
 * reads as zeros, as a hole does. No allocation of the file system may
 * recurse into a drive's writes: they could be waiting for this one.
 */
static int optsim_image_pread(struct file *file, void *buf, size_t len,
			      loff_t pos)
{
	unsigned int noio = memalloc_noio_save();
	ssize_t n;
	int ret = 0;

	while (len) {
		n = kernel_read(file, buf, len, &pos);
		if (n < 0) {
			ret = n;
			break;
		}
		if (!n) {
			memset(buf, 0, len);
			break;
		}
		buf += n;
		len -= n;
	}
	memalloc_noio_restore(noio);
	return ret;
}

/* Write @len bytes at @pos of the image; see optsim_image_pread(). */
static int optsim_image_pwrite(struct file *file, const void *buf,
			       size_t len, loff_t pos)
{
	unsigned int noio = memalloc_noio_save();
	ssize_t n;
	int ret = 0;

	while (len) {
		n = kernel_write(file, buf, len, &pos);
		if (n <= 0) {
			ret = n ? n : -EIO;
			break;
		}
		buf += n;
		len -= n;
	}
	memalloc_noio_restore(noio);
	return ret;
}

/* Make what was written to the image durable. */
static int optsim_image_fsync(struct file *file)
{
	unsigned int noio = memalloc_noio_save();
	int ret = vfs_fsync(file, 1);

	memalloc_noio_restore(noio);
	return ret;
}

/* Byte offset of cluster @index's data in the image. */
static loff_t optsim_image_data_pos(const struct optsim_image *img, u64 index)
{
	return img->lo.data_offset + (index << OPTSIM_CLUSTER_SHIFT);
}

/* Byte offset of metadata block @block in the image. */
static loff_t optsim_image_meta_pos(u64 block)
{
	return OPTSIM_IMAGE_META_OFFSET + block * OPTSIM_IMAGE_META_BLOCK_BYTES;
}

/* osm_image_io's read: @ctx is the image's struct file. */
static int optsim_image_io_read(void *ctx, void *buf, size_t len, u64 pos)
{
	return optsim_image_pread(ctx, buf, len, pos);
}

/* How the shared checks read @img. */
static struct osm_image_io optsim_image_io(struct optsim_image *img)
{
	return (struct osm_image_io) {
		.read		= optsim_image_io_read,
		.ctx		= img->file,
		.file_bytes	= i_size_read(file_inode(img->file)),
		.block		= img->meta,
	};
}

/* The header the medium's state makes for layout @lo, checksum included. */
static void optsim_image_header_build(struct optsim_medium *m,
				      const struct osm_image_layout *lo,
				      struct optsim_image_header *h)
	__must_hold(&m->write_lock)
{
	const struct optsim_track *t;
	u32 i, flags = 0;

	osm_image_header_new(h, lo, m->type->media);
	if (m->finalized)
		flags |= OPTSIM_IMAGE_F_FINALIZED;
	if (m->fmt.formatted)
		flags |= OPTSIM_IMAGE_F_FORMATTED;
	if (m->fmt.certified)
		flags |= OPTSIM_IMAGE_F_CERTIFIED;
	h->flags = cpu_to_le32(flags);
	/* The flush that wrote the header in the file; a sync counts on. */
	if (m->image)
		h->seq = m->image->hdr->seq;
	h->full_erases = cpu_to_le64(m->full_erases);
	h->seed = cpu_to_le64(m->seed);
	h->spare_sectors = cpu_to_le64(m->fmt.spare_sectors);
	h->format_type = cpu_to_le32(m->fmt.type);
	h->nr_tracks = cpu_to_le32(m->srm.nr_tracks);
	h->closed_sessions = cpu_to_le32(m->srm.closed_sessions);
	/*
	 * The parameters change under the drive's lock, not this one: a
	 * change that races a flush is saved by the next one.
	 */
	for (i = 0; i < m->geo.layers; i++) {
		h->layer[i].strategy = cpu_to_le32(m->params[i].strategy);
		h->layer[i].velocity = cpu_to_le32(m->params[i].velocity);
		h->layer[i].write_power = cpu_to_le32(m->params[i].write_power);
		h->layer[i].bias_power = cpu_to_le32(m->params[i].bias_power);
	}
	for (i = 0; i < m->srm.nr_tracks; i++) {
		t = &m->srm.track[i];
		h->track[i] = (struct optsim_image_track) {
			.start		= cpu_to_le64(t->start),
			.end		= cpu_to_le64(t->end),
			.nwa		= cpu_to_le64(t->nwa),
			.data_end	= cpu_to_le64(t->data_end),
			.session	= cpu_to_le32(t->session),
			.flags		= cpu_to_le32((t->reserved ?
						       OPTSIM_IMAGE_TRACK_F_RESERVED : 0) |
						      (t->closed ?
						       OPTSIM_IMAGE_TRACK_F_CLOSED : 0)),
		};
	}
	h->crc = cpu_to_le32(osm_image_header_crc(h));
}

/* Give a new medium the state a checked header describes. */
static int optsim_image_header_apply(struct optsim_medium *m,
				     const struct optsim_image_header *h,
				     const char **why)
{
	struct optsim_table *tabs[OPTSIM_MAX_LAYERS];
	struct optsim_params p[OPTSIM_MAX_LAYERS] = {};
	u32 flags = le32_to_cpu(h->flags);
	u32 i, layers = 0;
	struct optsim_track *t;
	int ret;

	m->finalized = flags & OPTSIM_IMAGE_F_FINALIZED;
	m->full_erases = le64_to_cpu(h->full_erases);
	/* A blank image takes the seed a new disc gets. */
	if (h->seed)
		m->seed = le64_to_cpu(h->seed);
	m->fmt.formatted = flags & OPTSIM_IMAGE_F_FORMATTED;
	m->fmt.certified = flags & OPTSIM_IMAGE_F_CERTIFIED;
	m->fmt.type = le32_to_cpu(h->format_type);
	m->fmt.spare_sectors = le64_to_cpu(h->spare_sectors);
	/* No tracks: a blank disc, whose invisible track spans the user area. */
	optsim_srm_init(m);
	if (h->nr_tracks) {
		m->srm.nr_tracks = le32_to_cpu(h->nr_tracks);
		m->srm.closed_sessions = le32_to_cpu(h->closed_sessions);
		for (i = 0; i < m->srm.nr_tracks; i++) {
			t = &m->srm.track[i];
			t->start = le64_to_cpu(h->track[i].start);
			t->end = le64_to_cpu(h->track[i].end);
			t->nwa = le64_to_cpu(h->track[i].nwa);
			t->data_end = le64_to_cpu(h->track[i].data_end);
			t->session = le32_to_cpu(h->track[i].session);
			t->reserved = le32_to_cpu(h->track[i].flags) &
				      OPTSIM_IMAGE_TRACK_F_RESERVED;
			t->closed = le32_to_cpu(h->track[i].flags) &
				    OPTSIM_IMAGE_TRACK_F_CLOSED;
		}
	}
	/* Layers with no parameters keep a new disc's. */
	for (i = 0; i < m->geo.layers; i++) {
		if (!h->layer[i].strategy && !h->layer[i].velocity &&
		    !h->layer[i].write_power && !h->layer[i].bias_power)
			continue;
		p[i] = (struct optsim_params) {
			.layer		= i,
			.strategy	= le32_to_cpu(h->layer[i].strategy),
			.velocity	= le32_to_cpu(h->layer[i].velocity),
			.write_power	= le32_to_cpu(h->layer[i].write_power),
			.bias_power	= le32_to_cpu(h->layer[i].bias_power),
		};
		layers |= BIT(i);
	}
	if (!layers)
		return 0;
	ret = optsim_params_prepare(m, p, layers, tabs, why);
	if (ret)
		return ret;
	for (i = 0; i < m->geo.layers; i++)
		if (tabs[i])
			optsim_params_commit(m, i, &p[i], tabs[i]);
	return 0;
}

/* Give a new medium the clusters the image's metadata blocks describe. */
static int optsim_image_meta_load(struct optsim_medium *m, const char **why)
{
	const u64 per_read = OPTSIM_IMAGE_BOUNCE_BYTES /
			     OPTSIM_IMAGE_META_BLOCK_BYTES;
	struct optsim_image *img = m->image;
	struct osm_image_io io = optsim_image_io(img);
	const struct optsim_image_meta_block *b;
	const struct optsim_image_cluster *r;
	struct optsim_cluster *cl;
	u64 block, n, j, index;
	struct osm_quality q;
	u32 i, flags;
	int ret;

	for (block = 0; block < img->lo.meta_blocks; block += n) {
		n = min(img->lo.meta_blocks - block, per_read);
		ret = osm_image_meta_read(&io, &img->lo, &img->replay, block, n,
					  img->bounce, why);
		if (ret)
			return ret;
		for (j = 0; j < n; j++) {
			b = img->bounce + j * OPTSIM_IMAGE_META_BLOCK_BYTES;
			for (i = 0; i < OPTSIM_IMAGE_META_RECORDS; i++) {
				r = &b->rec[i];
				flags = le32_to_cpu(r->flags);
				if (!flags && !r->writes)
					continue;
				index = (block + j) * OPTSIM_IMAGE_META_RECORDS + i;
				cl = optsim_store_entry(m, index, GFP_KERNEL);
				if (IS_ERR(cl)) {
					*why = "out of memory";
					return PTR_ERR(cl);
				}
				cl->writes = le32_to_cpu(r->writes);
				if (!(flags & OPTSIM_QUALITY_F_RECORDED))
					continue;
				q = (struct osm_quality) {
					.jitter		= le16_to_cpu(r->jitter),
					.ldc		= le16_to_cpu(r->ldc),
					.bis		= le16_to_cpu(r->bis),
					.ldc_worst	= r->ldc_worst,
					.flags		= optsim_quality_model_flags(flags),
				};
				optsim_cluster_set_quality(cl, &q);
				cl->recorded = true;
				m->recorded[optsim_medium_cluster_layer(m, index)]++;
				m->nwa_cluster = index + 1;
			}
		}
		cond_resched();
	}
	return 0;
}

/* Fill in metadata block @block as the medium's entries describe it now. */
static void optsim_image_meta_fill(struct optsim_medium *m, u64 block,
				   struct optsim_image_meta_block *b)
	__must_hold(&m->write_lock)
{
	u64 first = block * OPTSIM_IMAGE_META_RECORDS;
	struct optsim_image_cluster *r;
	struct optsim_cluster *cl;
	unsigned long index;
	struct osm_quality q;

	osm_image_meta_new(b, block);
	xa_for_each_range(&m->clusters, index, cl, first,
			  first + OPTSIM_IMAGE_META_RECORDS - 1) {
		r = &b->rec[index - first];
		r->writes = cpu_to_le32(cl->writes);
		if (!cl->recorded)
			continue;
		q = optsim_cluster_quality(cl);
		r->flags = cpu_to_le32(OPTSIM_QUALITY_F_RECORDED |
				       optsim_quality_flags(&q));
		r->jitter = cpu_to_le16(q.jitter);
		r->ldc = cpu_to_le16(q.ldc);
		r->bis = cpu_to_le16(q.bis);
		r->ldc_worst = q.ldc_worst;
	}
	b->crc = cpu_to_le32(osm_image_meta_crc(b));
}

/* Write metadata block @block as the medium's entries describe it now. */
static int optsim_image_meta_write(struct optsim_medium *m, u64 block)
	__must_hold(&m->write_lock)
{
	optsim_image_meta_fill(m, block, m->image->meta);
	return optsim_image_pwrite(m->image->file, m->image->meta,
				   sizeof(*m->image->meta),
				   optsim_image_meta_pos(block));
}

/* Byte offset of the journal's slot @i for a metadata block. */
static loff_t optsim_image_journal_pos(const struct optsim_image *img, u64 i)
{
	return img->lo.file_bytes + OPTSIM_IMAGE_HEADER_BYTES +
	       i * OPTSIM_IMAGE_META_BLOCK_BYTES;
}

/* Write the commit record @img->commit holds, with its checksum. */
static int optsim_image_commit_write(struct optsim_image *img)
{
	img->commit.crc = cpu_to_le32(osm_image_journal_crc(&img->commit));
	return optsim_image_pwrite(img->file, &img->commit, sizeof(img->commit),
				   OPTSIM_IMAGE_JOURNAL_COMMIT);
}

/*
 * Write the journal of a flush: the header @hdr_new, then every dirty
 * metadata block, then its commit record; and make them durable.
 */
static int optsim_image_journal_write(struct optsim_medium *m, u64 seq)
	__must_hold(&m->write_lock)
{
	struct optsim_image *img = m->image;
	unsigned long block;
	u64 n = 0;
	u32 crc;
	int ret;

	ret = optsim_image_pwrite(img->file, img->hdr_new, sizeof(*img->hdr_new),
				  img->lo.file_bytes);
	if (ret)
		return ret;
	crc = osm_image_payload_crc(~0U, img->hdr_new, sizeof(*img->hdr_new));
	for_each_set_bit(block, img->meta_dirty, img->lo.meta_blocks) {
		optsim_image_meta_fill(m, block, img->meta);
		crc = osm_image_payload_crc(crc, img->meta, sizeof(*img->meta));
		ret = optsim_image_pwrite(img->file, img->meta, sizeof(*img->meta),
					  optsim_image_journal_pos(img, n++));
		if (ret)
			return ret;
	}
	osm_image_journal_new(&img->commit, seq, img->lo.file_bytes, n,
			      osm_image_payload_end(crc));
	ret = optsim_image_commit_write(img);
	if (ret)
		return ret;
	return optsim_image_fsync(img->file);
}

/*
 * Make everything the medium changed durable, in order: the data; then
 * the metadata and the header that describe it, through the journal.
 */
static int optsim_image_sync_locked(struct optsim_medium *m)
	__must_hold(&m->write_lock)
{
	struct optsim_image *img = m->image;
	unsigned long block;
	u64 seq;
	int ret;

	if (img->read_only)
		return 0;
	optsim_image_header_build(m, &img->lo, img->hdr_new);
	if (!img->data_unsynced &&
	    !memcmp(img->hdr_new, img->hdr, sizeof(*img->hdr)) &&
	    bitmap_empty(img->meta_dirty, img->lo.meta_blocks))
		return 0;
	if (img->data_unsynced) {
		ret = optsim_image_fsync(img->file);
		if (ret)
			goto out_err;
		img->data_unsynced = false;
	}
	/* The data alone changed: its metadata went with an earlier flush. */
	if (!memcmp(img->hdr_new, img->hdr, sizeof(*img->hdr)) &&
	    bitmap_empty(img->meta_dirty, img->lo.meta_blocks))
		return 0;
	seq = le64_to_cpu(img->hdr->seq) + 1;
	img->hdr_new->seq = cpu_to_le64(seq);
	img->hdr_new->crc = cpu_to_le32(osm_image_header_crc(img->hdr_new));
	ret = optsim_image_journal_write(m, seq);
	if (ret)
		goto out_err;
	for_each_set_bit(block, img->meta_dirty, img->lo.meta_blocks) {
		ret = optsim_image_meta_write(m, block);
		if (ret)
			goto out_err;
	}
	ret = optsim_image_pwrite(img->file, img->hdr_new, sizeof(*img->hdr), 0);
	if (!ret)
		ret = optsim_image_fsync(img->file);
	if (ret)
		goto out_err;
	bitmap_zero(img->meta_dirty, img->lo.meta_blocks);
	swap(img->hdr, img->hdr_new);
	/*
	 * Durable with the next flush; a crash before replays a flush that
	 * is in place already, which changes nothing.
	 */
	img->commit.flags = cpu_to_le32(OPTSIM_IMAGE_JOURNAL_F_APPLIED);
	return optsim_image_commit_write(img);

out_err:
	pr_warn_ratelimited("image sync failed (%d); what was not written stays in memory\n",
			    ret);
	return ret;
}

/*
 * A writable image, loaded: room for the journal is allocated, where the
 * file system can, so that a flush needs no space a full file system lacks;
 * and a flush the load replayed from the journal is written in place.
 */
static int optsim_image_load_finish(struct optsim_image *img, const char **why)
{
	struct osm_image_replay *jr = &img->replay;
	unsigned int noio;
	u64 i, block;
	int ret;

	if (img->read_only)
		return 0;
	noio = memalloc_noio_save();
	/* The commit record's place may be a hole of the header block. */
	ret = vfs_fallocate(img->file, 0, OPTSIM_IMAGE_JOURNAL_COMMIT,
			    OPTSIM_IMAGE_HEADER_BYTES - OPTSIM_IMAGE_JOURNAL_COMMIT);
	if (!ret)
		ret = vfs_fallocate(img->file, 0, img->lo.file_bytes,
				    optsim_image_journal_pos(img, img->lo.meta_blocks) -
				    img->lo.file_bytes);
	memalloc_noio_restore(noio);
	if (ret && ret != -EOPNOTSUPP)
		pr_warn("image: no room for its journal (%d): flushes may fail\n",
			ret);
	if (!jr->blocks)
		return 0;
	for (i = 0; i < jr->blocks; i++) {
		ret = optsim_image_pread(img->file, img->meta, sizeof(*img->meta),
					 optsim_image_journal_pos(img, i));
		if (ret)
			break;
		block = div_u64(le64_to_cpu(img->meta->first_cluster),
				OPTSIM_IMAGE_META_RECORDS);
		ret = optsim_image_pwrite(img->file, img->meta, sizeof(*img->meta),
					  optsim_image_meta_pos(block));
		if (ret)
			break;
	}
	if (!ret)
		ret = optsim_image_pwrite(img->file, img->hdr, sizeof(*img->hdr), 0);
	if (!ret)
		ret = optsim_image_fsync(img->file);
	if (!ret) {
		ret = optsim_image_pread(img->file, &img->commit,
					 sizeof(img->commit),
					 OPTSIM_IMAGE_JOURNAL_COMMIT);
		img->commit.flags = cpu_to_le32(OPTSIM_IMAGE_JOURNAL_F_APPLIED);
	}
	if (!ret)
		ret = optsim_image_commit_write(img);
	if (ret) {
		*why = "the journal cannot be replayed";
		return ret;
	}
	pr_info("image: replayed flush %llu from its journal (%llu metadata blocks)\n",
		jr->seq, jr->blocks);
	return 0;
}

/**
 * optsim_image_sync() - make everything written to a medium durable
 * @m: the medium; nothing happens for a medium in memory or read-only
 *
 * What REQ_PREFLUSH, SYNCHRONIZE CACHE, a finalize, a format and the end
 * of the medium (eject, unload) do.
 *
 * Return: 0, or the file system's error.
 */
int optsim_image_sync(struct optsim_medium *m)
{
	int ret;

	/* A medium whose load failed writes nothing back. */
	if (!m->image || !m->image->ready)
		return 0;
	mutex_lock(&m->write_lock);
	ret = optsim_image_sync_locked(m);
	mutex_unlock(&m->write_lock);
	return ret;
}

/**
 * optsim_image_fill() - part of a cluster as the image holds it
 * @m: an image-backed medium
 * @index: the cluster
 * @recorded: whether it is recorded; it reads as zeros when not
 * @from: first byte of the part, in the cluster
 * @to: one past its last byte
 * @dst: the cluster's place in a buffer; bytes @from to @to are filled
 *
 * Takes no lock, as the read path: the write path reads a cluster's write
 * count before its part, and checks the count again under the medium's
 * write_lock (store.c).
 *
 * Return: 0, or the file system's error.
 */
int optsim_image_fill(struct optsim_medium *m, u64 index, bool recorded,
		      unsigned int from, unsigned int to, void *dst)
{
	if (!recorded) {
		memset(dst + from, 0, to - from);
		return 0;
	}
	return optsim_image_pread(m->image->file, dst + from, to - from,
				  optsim_image_data_pos(m->image, index) + from);
}

/**
 * optsim_image_commit() - put a write's clusters in the image
 * @m: the medium; the caller holds its write_lock, checked the rules and
 *	worked out every cluster's record
 * @first: first cluster of the write
 * @last: last cluster of the write
 * @buf: the clusters' whole content, contiguous
 *
 * Writes the data to the file and marks the metadata blocks that will
 * describe the clusters dirty, for the next flush. The caller publishes the
 * clusters as recorded only after this succeeded: the data is in the file
 * before a reader may see the cluster recorded. A failure records
 * nothing.
 *
 * Return: 0, or the file system's error (-ENOSPC when it is full).
 */
int optsim_image_commit(struct optsim_medium *m, u64 first, u64 last,
			const void *buf)
	__must_hold(&m->write_lock)
{
	struct optsim_image *img = m->image;
	u64 block;
	int ret;

	ret = optsim_image_pwrite(img->file, buf,
				  (last - first + 1) * OPTSIM_CLUSTER_BYTES,
				  optsim_image_data_pos(img, first));
	if (ret) {
		pr_warn_ratelimited("image write of clusters %llu-%llu failed (%d); nothing recorded\n",
				    first, last, ret);
		return ret;
	}
	img->data_unsynced = true;
	for (block = div_u64(first, OPTSIM_IMAGE_META_RECORDS);
	     block <= div_u64(last, OPTSIM_IMAGE_META_RECORDS); block++)
		set_bit(block, img->meta_dirty);
	return 0;
}

/* Copy @len bytes of the medium at @pos to @buf: see optsim_image_read(). */
static int optsim_image_read_buf(struct optsim_medium *m, u64 pos, void *buf,
				 u64 len)
{
	u64 n, index;
	int ret;

	while (len) {
		index = pos >> OPTSIM_CLUSTER_SHIFT;
		n = min(len, OPTSIM_CLUSTER_BYTES - (pos & (OPTSIM_CLUSTER_BYTES - 1)));
		if (optsim_store_recorded(m, index)) {
			ret = optsim_image_pread(m->image->file, buf, n,
						 m->image->lo.data_offset + pos);
			if (ret)
				return ret;
		} else {
			memset(buf, 0, n);
		}
		buf += n;
		pos += n;
		len -= n;
	}
	return 0;
}

/**
 * optsim_image_read() - serve a read from an image-backed medium
 * @m: the medium
 * @x: what to read, and where to
 *
 * Lockless, as the store's read path: a cluster marked recorded has its
 * data in the file (optsim_image_commit() puts it there first). Clusters
 * not recorded read as zeros, whatever the file holds.
 *
 * Return: BLK_STS_OK, or BLK_STS_IOERR when the file cannot be read.
 */
blk_status_t optsim_image_read(struct optsim_medium *m,
			       const struct optsim_xfer *x)
{
	struct req_iterator iter;
	u64 pos = x->pos;
	struct bio_vec bv;
	void *buf;
	int ret;

	if (!x->rq)
		ret = optsim_image_read_buf(m, pos, x->buf, x->bytes);
	else
		rq_for_each_segment(bv, x->rq, iter) {
			buf = bvec_kmap_local(&bv);
			ret = optsim_image_read_buf(m, pos, buf, bv.bv_len);
			kunmap_local(buf);
			if (ret)
				break;
			pos += bv.bv_len;
		}
	if (!ret)
		return BLK_STS_OK;
	pr_warn_ratelimited("image read at byte %llu failed (%d)\n", pos, ret);
	return BLK_STS_IOERR;
}

/**
 * optsim_image_forget() - an erase of an image-backed medium, in the file
 * @m: the medium; the caller holds its write_lock, its queue is frozen,
 *	and its entries say no cluster is recorded
 *
 * Makes the metadata say so, durably, then frees the data area's blocks
 * (a hole punched in the file, where the file system can).
 *
 * Return: 0, or the file system's error.
 */
int optsim_image_forget(struct optsim_medium *m)
	__must_hold(&m->write_lock)
{
	struct optsim_image *img = m->image;
	unsigned int noio;
	int ret;

	if (img->read_only)
		return -EROFS;
	bitmap_fill(img->meta_dirty, img->lo.meta_blocks);
	ret = optsim_image_sync_locked(m);
	if (ret)
		return ret;
	noio = memalloc_noio_save();
	ret = vfs_fallocate(img->file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			    img->lo.data_offset,
			    img->lo.file_bytes - img->lo.data_offset);
	memalloc_noio_restore(noio);
	/* Without holes the old data stays in the file, unread. */
	return ret == -EOPNOTSUPP ? 0 : ret;
}

/* Enter @img in the list of images in use. Return: 0, or -EBUSY. */
static int optsim_image_claim(struct optsim_image *img)
{
	struct optsim_image *o;
	int ret = 0;

	mutex_lock(&optsim_images_lock);
	list_for_each_entry(o, &optsim_images, node) {
		if (file_inode(o->file) == file_inode(img->file)) {
			ret = -EBUSY;
			break;
		}
	}
	if (!ret)
		list_add(&img->node, &optsim_images);
	mutex_unlock(&optsim_images_lock);
	return ret;
}

/* Let the file go: out of the list, our reference dropped. */
static void optsim_image_free(struct optsim_image *img)
{
	mutex_lock(&optsim_images_lock);
	list_del(&img->node);
	mutex_unlock(&optsim_images_lock);
	if (img->ready)
		mapping_set_gfp_mask(img->file->f_mapping, img->old_gfp);
	fput(img->file);
	bitmap_free(img->meta_dirty);
	vfree(img->bounce);
	kfree(img->meta);
	kvfree(img->hdr_new);
	kvfree(img->hdr);
	kfree(img);
}

/*
 * Take @file for an image: a regular file opened for reading. Without write
 * access, or on a read-only mount, the medium is read-only.
 */
static struct optsim_image *optsim_image_open(struct file *file,
					      const char **why)
{
	struct inode *inode = file_inode(file);
	struct optsim_image *img;
	int ret;

	if (!S_ISREG(inode->i_mode)) {
		*why = "not a regular file";
		return ERR_PTR(-EINVAL);
	}
	if (!(file->f_mode & FMODE_READ) || !(file->f_mode & FMODE_CAN_READ)) {
		*why = "the file is not open for reading";
		return ERR_PTR(-EBADF);
	}
	if ((file->f_mode & FMODE_WRITE) && (file->f_flags & O_APPEND)) {
		*why = "the file is open for appending";
		return ERR_PTR(-EINVAL);
	}
	img = kzalloc(sizeof(*img), GFP_KERNEL);
	if (!img) {
		*why = "out of memory";
		return ERR_PTR(-ENOMEM);
	}
	INIT_LIST_HEAD(&img->node);
	img->file = get_file(file);
	img->read_only = !(file->f_mode & FMODE_WRITE) ||
			 !(file->f_mode & FMODE_CAN_WRITE) || IS_RDONLY(inode);
	img->hdr = kvzalloc(sizeof(*img->hdr), GFP_KERNEL);
	img->hdr_new = kvzalloc(sizeof(*img->hdr_new), GFP_KERNEL);
	img->meta = kmalloc(sizeof(*img->meta), GFP_KERNEL);
	img->bounce = vmalloc(OPTSIM_IMAGE_BOUNCE_BYTES);
	ret = optsim_image_claim(img);
	if (ret) {
		*why = "the image is already loaded in a drive";
		goto out_free;
	}
	if (!img->hdr || !img->hdr_new || !img->meta || !img->bounce) {
		*why = "out of memory";
		ret = -ENOMEM;
		goto out_free;
	}
	return img;

out_free:
	optsim_image_free(img);
	return ERR_PTR(ret);
}

/*
 * Read and check the header, or the one of a flush the journal holds;
 * fill in the image's layout.
 */
static int optsim_image_read_header(struct optsim_image *img, const char **why)
{
	struct osm_image_io io = optsim_image_io(img);
	int ret;

	if (io.file_bytes < sizeof(*img->hdr)) {
		*why = "the file is shorter than an image header (truncated)";
		return -EINVAL;
	}
	ret = osm_image_open(&io, img->hdr, &img->lo, &img->replay, why);
	if (ret == -EOPNOTSUPP)
		pr_warn("image refused: format version %u, this driver knows up to %u\n",
			le32_to_cpu(img->hdr->version), OPTSIM_IMAGE_VERSION);
	if (ret)
		return ret;
	img->meta_dirty = bitmap_zalloc(img->lo.meta_blocks, GFP_KERNEL);
	if (!img->meta_dirty) {
		*why = "out of memory";
		return -ENOMEM;
	}
	return 0;
}

/**
 * optsim_image_load() - make the medium an image file holds
 * @dev: the drive it is for
 * @fd: a descriptor of the caller's, open on the image
 * @why: set to a message saying what is wrong on failure
 *
 * Takes a reference to the file, checks it is a regular file open for
 * reading, that no medium holds it already, and checks its header and
 * every metadata block before it makes the medium: a refused image is
 * left as it was. Nothing is written to the file until the medium changes.
 *
 * Return: the medium, not yet in a drive; or ERR_PTR(): -EBADF (no such
 * descriptor, or not open for reading); -EINVAL (not a regular file, not
 * an image, a field out of range, the file shorter than its geometry);
 * -EOPNOTSUPP (an image of a newer format version); -EBADMSG (a checksum
 * mismatch); -EBUSY (the image is loaded already); -EIO; -ENOMEM.
 */
struct optsim_medium *optsim_image_load(struct optsim_dev *dev, int fd,
					const char **why)
{
	const struct optsim_media_type *type;
	struct optsim_image *img;
	struct optsim_medium *m;
	struct file *file;
	int ret;

	file = fget(fd);
	if (!file) {
		*why = "not an open file descriptor";
		return ERR_PTR(-EBADF);
	}
	img = optsim_image_open(file, why);
	fput(file);
	if (IS_ERR(img))
		return ERR_CAST(img);
	ret = optsim_image_read_header(img, why);
	if (ret)
		goto out_free;
	type = optsim_media_type_get(le32_to_cpu(img->hdr->media));
	m = optsim_medium_create(dev, type, img->lo.layer_sectors);
	if (IS_ERR(m)) {
		*why = "the medium cannot be made";
		ret = PTR_ERR(m);
		goto out_free;
	}
	/* From here on the medium owns the image. */
	m->image = img;
	ret = optsim_image_header_apply(m, img->hdr, why);
	if (!ret)
		ret = optsim_image_meta_load(m, why);
	if (!ret)
		ret = optsim_image_load_finish(img, why);
	if (ret) {
		optsim_medium_destroy(m);
		return ERR_PTR(ret);
	}
	/* Reclaim must not write to a drive from inside the drive's writes. */
	img->old_gfp = mapping_gfp_mask(img->file->f_mapping);
	mapping_set_gfp_mask(img->file->f_mapping,
			     img->old_gfp & ~(__GFP_IO | __GFP_FS));
	img->ready = true;
	return m;

out_free:
	optsim_image_free(img);
	return ERR_PTR(ret);
}

/* Write the data of every recorded cluster of a medium in memory. */
static int optsim_image_save_data(struct optsim_medium *m, struct file *file,
				  const struct osm_image_layout *lo)
	__must_hold(&m->write_lock)
{
	struct optsim_cluster *cl;
	unsigned long index;
	unsigned int i;
	loff_t pos;
	void *buf;
	int ret;

	xa_for_each(&m->clusters, index, cl) {
		if (!cl->recorded)
			continue;
		pos = lo->data_offset + ((u64)index << OPTSIM_CLUSTER_SHIFT);
		for (i = 0; i < OPTSIM_CLUSTER_PAGES; i++) {
			buf = kmap_local_page(cl->pages[i]);
			ret = optsim_image_pwrite(file, buf, PAGE_SIZE,
						  pos + i * PAGE_SIZE);
			kunmap_local(buf);
			if (ret)
				return ret;
		}
		cond_resched();
	}
	return 0;
}

/* Write the medium @m as an image into the empty @file. */
static int optsim_image_save_medium(struct optsim_medium *m, struct file *file,
				    const char **why)
{
	struct optsim_image_meta_block *b;
	struct optsim_image_header *h;
	struct osm_image_layout lo;
	u64 block;
	int ret;

	ret = osm_image_layout(&lo, m->type->media, m->geo.layer_sectors);
	if (WARN_ON_ONCE(ret))
		return ret;
	h = kvzalloc(sizeof(*h), GFP_KERNEL);
	b = kmalloc(sizeof(*b), GFP_KERNEL);
	if (!h || !b) {
		ret = -ENOMEM;
		goto out_free;
	}
	/* The medium as it is: its writes wait. */
	mutex_lock(&m->write_lock);
	optsim_image_header_build(m, &lo, h);
	ret = optsim_image_pwrite(file, h, sizeof(*h), 0);
	for (block = 0; !ret && block < lo.meta_blocks; block++) {
		optsim_image_meta_fill(m, block, b);
		ret = optsim_image_pwrite(file, b, sizeof(*b),
					  optsim_image_meta_pos(block));
		cond_resched();
	}
	if (!ret)
		ret = optsim_image_save_data(m, file, &lo);
	mutex_unlock(&m->write_lock);
	if (!ret)
		ret = vfs_truncate(&file->f_path, lo.file_bytes);
	if (!ret)
		ret = optsim_image_fsync(file);
	if (ret)
		*why = "the file could not be written";
out_free:
	kfree(b);
	kvfree(h);
	return ret;
}

/**
 * optsim_image_save() - write the medium in memory out as an image
 * @dev: the drive; the caller holds its model_lock, so the medium stays
 * @bdev: the block device the request came through
 * @fd: a descriptor of the caller's: an empty regular file open for writing
 * @why: set to a message saying what is wrong on failure
 *
 * Writes the header, every metadata block and the data of every recorded
 * cluster, then extends the file to the whole medium (the rest a hole),
 * and makes it durable. Loading the image brings back the same medium:
 * data, quality records (uncorrectable clusters too), wear, tracks and
 * sessions, format, finalized, write parameters and seed. Data still in
 * the block device's page cache is written to the medium first, and the
 * MMC front's open cluster is recorded, padded, as SYNCHRONIZE CACHE
 * records it (a BD-R's NWA moves past the padding).
 *
 * Return: 0; -EBADF (no such descriptor, or not open for writing);
 * -EINVAL (not a regular file, not empty, opened for appending, or the
 * medium is an image already); -ENOMEDIUM; -EIO (the open cluster was
 * refused); -ENOMEM; the file system's
 * error (the file is then incomplete: the caller removes it).
 */
int optsim_image_save(struct optsim_dev *dev, struct block_device *bdev,
		      int fd, const char **why)
	__must_hold(&dev->model_lock)
{
	struct optsim_medium *m;
	struct file *file;
	int ret = 0;

	lockdep_assert_held(&dev->model_lock);
	file = fget(fd);
	if (!file) {
		*why = "not an open file descriptor";
		return -EBADF;
	}
	if (!S_ISREG(file_inode(file)->i_mode)) {
		*why = "not a regular file";
		ret = -EINVAL;
	} else if (!(file->f_mode & FMODE_WRITE) ||
		   !(file->f_mode & FMODE_CAN_WRITE)) {
		*why = "the file is not open for writing";
		ret = -EBADF;
	} else if ((file->f_flags & O_APPEND) ||
		   i_size_read(file_inode(file))) {
		*why = "the file is not empty, or open for appending";
		ret = -EINVAL;
	}
	if (ret)
		goto out_fput;

	mutex_lock(&dev->lock);
	m = dev->medium;
	if (!m) {
		*why = "the drive is empty";
		ret = -ENOMEDIUM;
	} else if (m->image) {
		*why = "the medium is an image already: copy its file";
		ret = -EINVAL;
	} else {
		/* Buffered writes belong on the disc first. */
		sync_blockdev(bdev);
	}
	mutex_unlock(&dev->lock);
	/* What MMC wrote and the drive still buffers, as SYNCHRONIZE CACHE. */
	if (!ret && optsim_mmc_flush_open(dev, m, true)) {
		*why = "the drive's buffered cluster cannot be recorded";
		ret = -EIO;
	}
	if (!ret)
		ret = optsim_image_save_medium(m, file, why);
out_fput:
	fput(file);
	return ret;
}

/**
 * optsim_image_close() - let an image-backed medium's file go
 * @m: the medium, no longer reachable from any queue; its store is
 *	destroyed already, and optsim_image_sync() wrote it back
 *
 * Nothing for a medium in memory.
 */
void optsim_image_close(struct optsim_medium *m)
{
	if (!m->image)
		return;
	optsim_image_free(m->image);
	m->image = NULL;
}
