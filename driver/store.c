// SPDX-License-Identifier: GPL-2.0
/*
 * The cluster store: sparse RAM that holds what has been recorded on a
 * medium, and the read and write paths that move data in and out of it.
 *
 * Only clusters that hold data cost memory: 64 KiB of pages each, plus a
 * small entry that also keeps the cluster's wear. All mediums of all drives
 * share one cap on the data pages (module parameter max_mem_mb).
 *
 * An image-backed medium (image.c) keeps only the entries here, without
 * pages: its data moves between the request and the file, and the cap
 * does not apply. The rules and the recording are the same for both.
 */
#include "optsim.h"

#include <linux/atomic.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

/* Bytes of cluster data held by every medium of every drive. */
static atomic64_t optsim_mem_used = ATOMIC64_INIT(0);
/* Cap on optsim_mem_used; set once at module load. */
static u64 optsim_mem_limit;

/**
 * optsim_store_init() - set the cap on memory used for recorded data
 * @limit_bytes: the cap, in bytes
 */
void optsim_store_init(u64 limit_bytes)
{
	optsim_mem_limit = limit_bytes;
}

/**
 * optsim_store_mem_used() - memory holding recorded data, all drives
 *
 * Return: bytes in use.
 */
u64 optsim_store_mem_used(void)
{
	return atomic64_read(&optsim_mem_used);
}

/**
 * optsim_store_mem_limit() - the cap on memory for recorded data
 *
 * Return: the cap in bytes.
 */
u64 optsim_store_mem_limit(void)
{
	return optsim_mem_limit;
}

/*
 * Copy @len bytes between @buf and the store. @pos is the byte address on
 * the medium. Clusters that are not recorded read as zeros; writes only ever
 * see clusters whose pages optsim_store_prepare() has provided.
 */
static void optsim_copy_buf(struct optsim_medium *m, u64 pos, void *buf,
			    unsigned int len, bool write)
{
	unsigned int done = 0;

	while (done < len) {
		unsigned int off = pos & (OPTSIM_CLUSTER_BYTES - 1);
		unsigned int poff = offset_in_page(off);
		unsigned int n = min_t(unsigned int, len - done,
				       PAGE_SIZE - poff);
		struct optsim_cluster *cl;

		cl = xa_load(&m->clusters, pos >> OPTSIM_CLUSTER_SHIFT);
		if (write)
			memcpy_to_page(cl->pages[off >> PAGE_SHIFT], poff,
				       buf + done, n);
		/* Pairs with the release in optsim_store_commit(). */
		else if (cl && smp_load_acquire(&cl->recorded))
			memcpy_from_page(buf + done,
					 cl->pages[off >> PAGE_SHIFT], poff, n);
		else
			memset(buf + done, 0, n);
		done += n;
		pos += n;
	}
}

/* Copy a whole transfer between its request's pages or its buffer and the store. */
static void optsim_copy(struct optsim_medium *m, const struct optsim_xfer *x,
			bool write)
{
	struct req_iterator iter;
	u64 pos = x->pos;
	struct bio_vec bv;
	void *buf;

	if (!x->rq) {
		optsim_copy_buf(m, pos, x->buf, x->bytes, write);
		return;
	}
	rq_for_each_segment(bv, x->rq, iter) {
		buf = bvec_kmap_local(&bv);
		optsim_copy_buf(m, pos, buf, bv.bv_len, write);
		kunmap_local(buf);
		pos += bv.bv_len;
	}
}

/**
 * optsim_store_read() - serve a read from the store
 * @m: the medium
 * @x: what to read, and where to
 * @bad_cluster: set to the first uncorrectable cluster when the read fails
 *
 * Runs without a lock; see &struct optsim_medium.clusters.
 *
 * Return: BLK_STS_OK, or BLK_STS_MEDIUM when a cluster of the request was
 * recorded too badly for the ECC to correct; @bad_cluster is set to it;
 * BLK_STS_IOERR when an image's file cannot be read.
 */
blk_status_t optsim_store_read(struct optsim_medium *m,
			       const struct optsim_xfer *x, u64 *bad_cluster)
{
	u64 pos = x->pos;
	u64 last = (pos + x->bytes - 1) >> OPTSIM_CLUSTER_SHIFT;
	struct optsim_cluster *cl;
	struct osm_quality q;
	u64 index;

	if (!x->bytes)
		return BLK_STS_OK;
	/* A cluster the ECC cannot correct fails the read, as on a real drive. */
	for (index = pos >> OPTSIM_CLUSTER_SHIFT; index <= last; index++) {
		cl = xa_load(&m->clusters, index);
		/* Pairs with the release in optsim_store_commit(). */
		if (!cl || !smp_load_acquire(&cl->recorded))
			continue;
		/* One load: a record being replaced is seen whole. */
		q = optsim_cluster_quality(cl);
		if (!(q.flags & OSM_QF_UNCORRECTABLE))
			continue;
		pr_info_ratelimited("read of cluster %llu (layer %u) failed: uncorrectable, jitter %u.%02u %%, worst LDC codeword %u\n",
				    index, optsim_medium_cluster_layer(m, index),
				    q.jitter / 100, q.jitter % 100, q.ldc_worst);
		*bad_cluster = index;
		return BLK_STS_MEDIUM;
	}

	if (m->image)
		return optsim_image_read(m, x);
	optsim_copy(m, x, false);
	return BLK_STS_OK;
}

/**
 * optsim_store_recorded() - whether a cluster holds data
 * @m: the medium
 * @index: the cluster
 *
 * Lockless, as the read path; see &struct optsim_medium.clusters.
 *
 * Return: true when the cluster is recorded.
 */
bool optsim_store_recorded(struct optsim_medium *m, u64 index)
{
	struct optsim_cluster *cl = xa_load(&m->clusters, index);

	/* Pairs with the release in optsim_store_commit(). */
	return cl && smp_load_acquire(&cl->recorded);
}

static void optsim_free_pages(struct optsim_medium *m, struct optsim_cluster *cl)
{
	unsigned int i;

	/* An image's entries have no page array. */
	if (m->image || !cl->pages[0])
		return;
	for (i = 0; i < OPTSIM_CLUSTER_PAGES; i++) {
		__free_page(cl->pages[i]);
		cl->pages[i] = NULL;
	}
	atomic64_sub(OPTSIM_CLUSTER_BYTES, &optsim_mem_used);
	m->mem_bytes -= OPTSIM_CLUSTER_BYTES;
}

/*
 * Give cluster @index an entry and, unless it is recorded, zeroed pages to
 * record into, and map its pages contiguously at *@data for the recording
 * model. The pages stay invisible to readers until the cluster is marked
 * recorded.
 */
/**
 * optsim_store_entry() - the entry of a cluster, made when it has none
 * @m: the medium; the caller holds its write_lock, or is the only user of
 *	a medium not yet in a drive
 * @index: the cluster
 * @gfp: allocation flags
 *
 * A medium in memory gets room for the cluster's page pointers in the
 * entry; an image-backed one does not.
 *
 * Return: the entry, or an ERR_PTR(): -ENOMEM.
 */
struct optsim_cluster *optsim_store_entry(struct optsim_medium *m, u64 index,
					  gfp_t gfp)
{
	struct optsim_cluster *cl = xa_load(&m->clusters, index);
	int ret;

	if (cl)
		return cl;
	cl = kzalloc(struct_size(cl, pages,
				 m->image ? 0 : OPTSIM_CLUSTER_PAGES), gfp);
	if (!cl)
		return ERR_PTR(-ENOMEM);
	ret = xa_insert(&m->clusters, index, cl, gfp);
	if (ret) {
		kfree(cl);
		return ERR_PTR(ret);
	}
	return cl;
}

static int optsim_store_prepare(struct optsim_medium *m, u64 index,
				void **data)
	__must_hold(&m->write_lock)
{
	struct optsim_cluster *cl;
	unsigned int i, noio;

	cl = optsim_store_entry(m, index, GFP_NOIO);
	if (IS_ERR(cl))
		return PTR_ERR(cl);
	if (cl->recorded || cl->pages[0])
		goto map;

	if (atomic64_add_return(OPTSIM_CLUSTER_BYTES, &optsim_mem_used) >
	    optsim_mem_limit) {
		atomic64_sub(OPTSIM_CLUSTER_BYTES, &optsim_mem_used);
		pr_warn_ratelimited("memory cap of %llu MiB reached; write refused\n",
				    optsim_mem_limit >> 20);
		return -ENOSPC;
	}
	m->mem_bytes += OPTSIM_CLUSTER_BYTES;
	for (i = 0; i < OPTSIM_CLUSTER_PAGES; i++) {
		cl->pages[i] = alloc_page(GFP_NOIO | __GFP_ZERO | __GFP_NOWARN);
		if (!cl->pages[i])
			goto out_free;
	}

map:
	/* vm_map_ram() allocates with GFP_KERNEL: keep it off the I/O path. */
	noio = memalloc_noio_save();
	*data = vm_map_ram(cl->pages, OPTSIM_CLUSTER_PAGES, NUMA_NO_NODE);
	memalloc_noio_restore(noio);
	if (*data)
		return 0;
	/* optsim_store_unprepare() frees the pages of an unrecorded cluster. */
	return -ENOMEM;

out_free:
	while (i--) {
		__free_page(cl->pages[i]);
		cl->pages[i] = NULL;
	}
	atomic64_sub(OPTSIM_CLUSTER_BYTES, &optsim_mem_used);
	m->mem_bytes -= OPTSIM_CLUSTER_BYTES;
	return -ENOMEM;
}

/*
 * Undo optsim_store_prepare() for clusters @first to @last: unmap them and
 * free the pages of those not recorded.
 */
static void optsim_store_unprepare(struct optsim_medium *m, u64 first, u64 last,
				   void **data)
	__must_hold(&m->write_lock)
{
	struct optsim_cluster *cl;
	u64 index;

	for (index = first; index <= last; index++) {
		if (data[index - first])
			vm_unmap_ram(data[index - first], OPTSIM_CLUSTER_PAGES);
		cl = xa_load(&m->clusters, index);
		if (cl && !cl->recorded)
			optsim_free_pages(m, cl);
	}
}

/* Refuse a write: say why, and which cluster. Return: -EIO. */
static int optsim_store_refuse(struct optsim_refusal *why, u32 reason,
			       u64 cluster)
{
	why->reason = reason;
	why->cluster = cluster;
	return -EIO;
}

/* Check the medium's recording rules. Return: 0 or -EIO. */
static int optsim_store_check(struct optsim_medium *m, u64 first, u64 last,
			      struct optsim_refusal *why)
	__must_hold(&m->write_lock)
{
	struct optsim_cluster *cl;
	u64 index;

	if ((last + 1) * OPTSIM_CLUSTER_SECTORS > osm_geometry_capacity(&m->geo))
		return optsim_store_refuse(why, OPTSIM_REASON_BEYOND_END, last);
	if (m->finalized) {
		pr_info_ratelimited("write to cluster %llu refused: disc is finalized\n",
				    first);
		return optsim_store_refuse(why, OPTSIM_REASON_FINALIZED, first);
	}
	if (optsim_medium_read_only(m)) {
		pr_info_ratelimited("write to cluster %llu refused: the image is read-only\n",
				    first);
		return optsim_store_refuse(why, OPTSIM_REASON_READ_ONLY, first);
	}
	if (!m->type->write_once)
		return 0;
	for (index = first; index <= last; index++) {
		cl = xa_load(&m->clusters, index);
		if (cl && cl->recorded) {
			pr_info_ratelimited("write to cluster %llu refused: already recorded on write-once medium\n",
					    index);
			return optsim_store_refuse(why, OPTSIM_REASON_RECORDED,
						   index);
		}
	}
	return 0;
}

/**
 * optsim_store_record() - record one cluster whose data is in place
 * @m: the medium; the caller holds its write_lock
 * @index: the cluster; it has an entry
 * @data: the cluster's 64 KiB, as they will read back
 *
 * Lets the recording model say how the cluster came out, counts the
 * write, and marks the cluster recorded: the last step, so that a reader
 * who sees it recorded sees its data and record.
 */
void optsim_store_record(struct optsim_medium *m, u64 index, const void *data)
	__must_hold(&m->write_lock)
{
	struct optsim_cluster *cl = xa_load(&m->clusters, index);
	u32 layer = optsim_medium_cluster_layer(m, index);

	optsim_recorder_record(m, cl, data, index, layer);
	cl->writes++;
	if (index + 1 > m->nwa_cluster)
		m->nwa_cluster = index + 1;
	if (cl->recorded)
		return;
	/* Publish the data and the record: see optsim_copy(). */
	smp_store_release(&cl->recorded, true);
	m->recorded[layer]++;
}

/*
 * Clusters @first to @last have their data in place, mapped at @data:
 * record them and unmap them.
 */
static void optsim_store_commit(struct optsim_medium *m, u64 first, u64 last,
				void **data)
	__must_hold(&m->write_lock)
{
	u64 index;

	for (index = first; index <= last; index++) {
		/* The data went in through the pages' own mappings. */
		invalidate_kernel_vmap_range(data[index - first],
					     OPTSIM_CLUSTER_BYTES);
		optsim_store_record(m, index, data[index - first]);
		vm_unmap_ram(data[index - first], OPTSIM_CLUSTER_PAGES);
	}
}

/**
 * optsim_store_write() - record a write
 * @m: the medium
 * @x: what to write, and where
 * @why: set to why the write was refused when it is
 *
 * Validates the whole request against the medium's rules and allocates all
 * it needs before it records anything: a refused request changes nothing.
 * Every cluster the request touches is recorded; on a blank cluster the
 * bytes the request does not cover read back as zeros. How well each
 * cluster records is the recording model's verdict, kept with the cluster:
 * the write itself succeeds, as on a drive that does not verify.
 *
 * Return: BLK_STS_OK; BLK_STS_IOERR when the medium refuses the write
 * (finalized, read-only, or a recorded cluster on write-once media) or an
 * image's file fails it; BLK_STS_NOSPC at the memory cap or when an
 * image's file system is full; BLK_STS_RESOURCE when memory runs out. On
 * failure @why says why.
 */
blk_status_t optsim_store_write(struct optsim_medium *m,
				const struct optsim_xfer *x,
				struct optsim_refusal *why)
{
	u64 first = x->pos >> OPTSIM_CLUSTER_SHIFT;
	u64 last = (x->pos + x->bytes - 1) >> OPTSIM_CLUSTER_SHIFT;
	void *data[OPTSIM_RQ_CLUSTERS] = {};
	u64 index;
	int ret;

	if (!x->bytes)
		return BLK_STS_OK;
	/* The queue's limits keep requests within OPTSIM_RQ_CLUSTERS. */
	if (WARN_ON_ONCE(last - first >= OPTSIM_RQ_CLUSTERS)) {
		why->err = optsim_store_refuse(why, OPTSIM_REASON_UNSPEC, first);
		return BLK_STS_IOERR;
	}

	mutex_lock(&m->write_lock);
	ret = optsim_store_check(m, first, last, why);
	if (ret)
		goto out_unlock;
	if (m->image) {
		ret = optsim_image_write(m, x, first, last);
		if (ret) {
			optsim_store_refuse(why, OPTSIM_REASON_IMAGE_ERROR, first);
			goto out_unlock;
		}
		goto formatted;
	}
	for (index = first; index <= last; index++) {
		ret = optsim_store_prepare(m, index, &data[index - first]);
		if (ret) {
			optsim_store_unprepare(m, first, index, data);
			optsim_store_refuse(why, OPTSIM_REASON_NO_MEMORY, index);
			goto out_unlock;
		}
	}

	/* The only copy of the data: the model reads it where it lies. */
	optsim_copy(m, x, true);
	optsim_store_commit(m, first, last, data);
formatted:
	/* The first write to an unformatted BD-RE formats it: quick, no spares. */
	if (!m->type->write_once)
		m->fmt.formatted = true;

out_unlock:
	mutex_unlock(&m->write_lock);
	why->err = ret;
	return errno_to_blk_status(ret);
}

/**
 * optsim_store_forget() - drop every cluster's data, keeping its wear
 * @m: the medium; its queue must be frozen
 */
void optsim_store_forget(struct optsim_medium *m)
{
	struct optsim_cluster *cl;
	unsigned long index;

	mutex_lock(&m->write_lock);
	xa_for_each(&m->clusters, index, cl) {
		optsim_free_pages(m, cl);
		cl->recorded = false;
		cond_resched();
	}
	memset(m->recorded, 0, sizeof(m->recorded));
	m->nwa_cluster = 0;
	/* An image's metadata says so too; the error is in the log. */
	if (m->image)
		optsim_image_forget(m);
	mutex_unlock(&m->write_lock);
}

/**
 * optsim_store_destroy() - free everything the store holds for a medium
 * @m: the medium, no longer reachable from any queue
 */
void optsim_store_destroy(struct optsim_medium *m)
{
	struct optsim_cluster *cl;
	unsigned long index;

	xa_for_each(&m->clusters, index, cl) {
		optsim_free_pages(m, cl);
		kfree(cl);
		cond_resched();
	}
	xa_destroy(&m->clusters);
}

/**
 * optsim_store_quality() - the quality records of a range of clusters
 * @m: the medium
 * @first: first cluster index
 * @count: clusters, all on the medium
 * @recs: filled in; clusters never recorded get only their layer and
 *	overwrite count
 */
void optsim_store_quality(struct optsim_medium *m, u64 first, u32 count,
			  struct optsim_quality_rec *recs)
{
	struct optsim_quality_rec *r;
	struct optsim_cluster *cl;
	struct osm_quality q;
	unsigned long index;
	u32 i;

	mutex_lock(&m->write_lock);
	for (i = 0; i < count; i++) {
		recs[i] = (struct optsim_quality_rec) {
			.layer	= optsim_medium_cluster_layer(m, first + i),
			/* Every cluster went through the full erases. */
			.dow	= (u32)m->full_erases,
		};
	}
	xa_for_each_range(&m->clusters, index, cl, first, first + count - 1) {
		r = &recs[index - first];
		r->dow += cl->writes;
		if (!cl->recorded)
			continue;
		q = optsim_cluster_quality(cl);
		r->flags = OPTSIM_QUALITY_F_RECORDED | optsim_quality_flags(&q);
		r->jitter = q.jitter;
		r->ldc = q.ldc;
		r->bis = q.bis;
		r->ldc_worst = q.ldc_worst;
	}
	mutex_unlock(&m->write_lock);
}
