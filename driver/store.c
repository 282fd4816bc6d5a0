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
 *
 * A write to a medium in memory is staged before the medium's write_lock
 * is taken (struct optsim_stage): each cluster's new content is put
 * together in pages of the writer's own and the recording model runs on
 * it with a snapshot of the layer's table, so writers on different CPUs
 * run the model at the same time. Under write_lock the rules are checked
 * again, a cluster another write recorded meanwhile, or whose layer got a
 * new table, is staged again, and the clusters are committed: a few
 * stores each, a page copy when the cluster was recorded already.
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

/**
 * struct optsim_staged - one cluster of a write, made ready outside the
 *	medium's write_lock
 * @pages: the cluster's whole new content: the request's bytes, and
 *	around them what the cluster held (zeros when it held nothing).
 *	The writer's own until the commit makes them the cluster's pages, or
 *	copies them into the cluster's pages when it is recorded already.
 * @charged: @pages count against the memory cap: the cluster was not
 *	recorded when they were allocated, so they may become its pages
 * @cl: the cluster's entry, found or made under write_lock
 * @tab: the table of the cluster's layer that @q was worked out with; a
 *	reference (optsim_recorder_snapshot())
 * @writes: the cluster's write count that @q was worked out for, read
 *	before what the cluster held. It goes up last in every recording of
 *	the cluster (optsim_store_publish()), so if it is the same under
 *	write_lock, @pages hold what the cluster holds around the request.
 * @q: the recording model's verdict on @pages
 */
struct optsim_staged {
	struct page *pages[OPTSIM_CLUSTER_PAGES];
	bool charged;
	struct optsim_cluster *cl;
	struct optsim_table *tab;
	u32 writes;
	struct osm_quality q;
};

/**
 * struct optsim_stage - a write to a medium in memory, staged
 * @hist: the recording model's scratch, the writer's own
 * @c: the request's clusters, in order
 *
 * Allocated per write: the model's scratch is too big for the stack.
 */
struct optsim_stage {
	struct osm_rll_hist hist;
	struct optsim_staged c[OPTSIM_RQ_CLUSTERS];
};

/*
 * Copy @len bytes between @buf and the store. @pos is the byte address on
 * the medium. A read (@st NULL) copies from recorded clusters, and reads
 * clusters that are not recorded as zeros; a write copies into the pages
 * of the clusters staged in @st, whose first is cluster @first.
 */
static void optsim_copy_buf(struct optsim_medium *m, u64 pos, void *buf,
			    unsigned int len, struct optsim_stage *st,
			    u64 first)
{
	unsigned int done = 0;

	while (done < len) {
		unsigned int off = pos & (OPTSIM_CLUSTER_BYTES - 1);
		unsigned int poff = offset_in_page(off);
		unsigned int n = min_t(unsigned int, len - done,
				       PAGE_SIZE - poff);
		u64 index = pos >> OPTSIM_CLUSTER_SHIFT;
		struct optsim_cluster *cl;

		if (st) {
			memcpy_to_page(st->c[index - first].pages[off >> PAGE_SHIFT],
				       poff, buf + done, n);
			goto next;
		}
		cl = xa_load(&m->clusters, index);
		/* Pairs with the release in optsim_store_publish(). */
		if (cl && smp_load_acquire(&cl->recorded))
			memcpy_from_page(buf + done,
					 cl->pages[off >> PAGE_SHIFT], poff, n);
		else
			memset(buf + done, 0, n);
next:
		done += n;
		pos += n;
	}
}

/*
 * Copy a whole transfer between its request's pages or its buffer and the
 * store: a read when @st is NULL, else a write into the staged clusters.
 */
static void optsim_copy(struct optsim_medium *m, const struct optsim_xfer *x,
			struct optsim_stage *st)
{
	u64 first = x->pos >> OPTSIM_CLUSTER_SHIFT;
	struct req_iterator iter;
	u64 pos = x->pos;
	struct bio_vec bv;
	void *buf;

	if (!x->rq) {
		optsim_copy_buf(m, pos, x->buf, x->bytes, st, first);
		return;
	}
	rq_for_each_segment(bv, x->rq, iter) {
		buf = bvec_kmap_local(&bv);
		optsim_copy_buf(m, pos, buf, bv.bv_len, st, first);
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
		/* Pairs with the release in optsim_store_publish(). */
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
	optsim_copy(m, x, NULL);
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

	/* Pairs with the release in optsim_store_publish(). */
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

/* Refuse a write: say why, and which cluster. Return: -EIO. */
static int optsim_store_refuse(struct optsim_refusal *why, u32 reason,
			       u64 cluster)
{
	why->reason = reason;
	why->cluster = cluster;
	return -EIO;
}

/*
 * Check the medium's recording rules. Return: 0 or -EIO.
 *
 * Under write_lock, or without it before a write is staged: a refusal it
 * finds then stands, since what it reads can only change towards one
 * (a cluster once recorded stays so, and the rest change with the queue
 * frozen, never while a request is in flight).
 */
static int optsim_store_check(struct optsim_medium *m, u64 first, u64 last,
			      struct optsim_refusal *why)
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
		/* Pairs with the release in optsim_store_publish(). */
		if (cl && smp_load_acquire(&cl->recorded)) {
			pr_info_ratelimited("write to cluster %llu refused: already recorded on write-once medium\n",
					    index);
			return optsim_store_refuse(why, OPTSIM_REASON_RECORDED,
						   index);
		}
	}
	return 0;
}

/*
 * Publish a recording of cluster @index, whose data is in place: its
 * record, then its state, then its write count, last and with release, so
 * that a writer staging the cluster without the lock who sees the new
 * count also sees the data and the state that go with it.
 */
static void optsim_store_publish(struct optsim_medium *m,
				 struct optsim_cluster *cl, u64 index,
				 const struct osm_quality *q)
	__must_hold(&m->write_lock)
{
	optsim_cluster_set_quality(cl, q);
	if (index + 1 > m->nwa_cluster)
		m->nwa_cluster = index + 1;
	if (!cl->recorded) {
		/* Publish the data and the record: see optsim_copy(). */
		smp_store_release(&cl->recorded, true);
		m->recorded[optsim_medium_cluster_layer(m, index)]++;
	}
	/* Pairs with the acquire in optsim_stage_cluster(). */
	smp_store_release(&cl->writes, cl->writes + 1);
}

/**
 * optsim_store_record() - record one cluster whose data is in place
 * @m: the medium; the caller holds its write_lock
 * @index: the cluster; it has an entry
 * @data: the cluster's 64 KiB, as they will read back
 *
 * Lets the recording model say how the cluster came out, under the lock,
 * counts the write, and marks the cluster recorded. The write path of
 * image-backed media uses it.
 */
void optsim_store_record(struct optsim_medium *m, u64 index, const void *data)
	__must_hold(&m->write_lock)
{
	struct optsim_cluster *cl = xa_load(&m->clusters, index);
	struct osm_quality q;

	optsim_recorder_record(m, cl, data, index,
			       optsim_medium_cluster_layer(m, index), &q);
	optsim_store_publish(m, cl, index, &q);
}

/* Give back what a staged write holds: pages, charge, table references. */
static void optsim_stage_free(struct optsim_stage *st, unsigned int n)
{
	struct optsim_staged *sc;
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		sc = &st->c[i];
		for (j = 0; j < OPTSIM_CLUSTER_PAGES; j++)
			if (sc->pages[j])
				__free_page(sc->pages[j]);
		if (sc->charged)
			atomic64_sub(OPTSIM_CLUSTER_BYTES, &optsim_mem_used);
		optsim_table_put(sc->tab);
	}
	kfree(st);
}

/*
 * Put into bytes @from to @to of a staged cluster what cluster @cl holds
 * there: its data when @recorded, else zeros. Without write_lock this
 * reads a recorded cluster's pages as the read path does; the caller read
 * the cluster's write count first, and checks it again under the lock.
 */
static void optsim_stage_keep(const struct optsim_cluster *cl, bool recorded,
			      struct optsim_staged *sc, unsigned int from,
			      unsigned int to)
{
	unsigned int i, off, n;

	while (from < to) {
		i = from >> PAGE_SHIFT;
		off = offset_in_page(from);
		n = min_t(unsigned int, to - from, PAGE_SIZE - off);
		if (recorded)
			memcpy_page(sc->pages[i], off, cl->pages[i], off, n);
		else
			memzero_page(sc->pages[i], off, n);
		from += n;
	}
}

/* Stage the parts of cluster @index that the write @x leaves as they are. */
static void optsim_stage_around(const struct optsim_xfer *x, u64 index,
				const struct optsim_cluster *cl, bool recorded,
				struct optsim_staged *sc)
{
	u64 base = index << OPTSIM_CLUSTER_SHIFT;
	u64 end = x->pos + x->bytes;

	if (x->pos > base)
		optsim_stage_keep(cl, recorded, sc, 0, x->pos - base);
	if (end < base + OPTSIM_CLUSTER_BYTES)
		optsim_stage_keep(cl, recorded, sc, end - base,
				  OPTSIM_CLUSTER_BYTES);
}

/*
 * Stage cluster @index of the write @x, without write_lock: pages of its
 * own, charged to the cap unless the cluster is recorded (then they only
 * pass through), holding what the cluster holds around the request.
 * Return: 0, -ENOSPC at the memory cap, -ENOMEM.
 */
static int optsim_stage_cluster(struct optsim_medium *m,
				const struct optsim_xfer *x, u64 index,
				struct optsim_staged *sc)
{
	struct optsim_cluster *cl = xa_load(&m->clusters, index);
	bool recorded = false;
	unsigned int i;

	if (cl) {
		/* Pairs with the last release in optsim_store_publish(). */
		sc->writes = smp_load_acquire(&cl->writes);
		/* After the count: the state and data that go with it. */
		recorded = smp_load_acquire(&cl->recorded);
	}
	if (!recorded) {
		if (atomic64_add_return(OPTSIM_CLUSTER_BYTES, &optsim_mem_used) >
		    optsim_mem_limit) {
			atomic64_sub(OPTSIM_CLUSTER_BYTES, &optsim_mem_used);
			pr_warn_ratelimited("memory cap of %llu MiB reached; write refused\n",
					    optsim_mem_limit >> 20);
			return -ENOSPC;
		}
		sc->charged = true;
	}
	for (i = 0; i < OPTSIM_CLUSTER_PAGES; i++) {
		sc->pages[i] = alloc_page(GFP_NOIO | __GFP_NOWARN);
		if (!sc->pages[i])
			return -ENOMEM;
	}
	optsim_stage_around(x, index, cl, recorded, sc);
	return 0;
}

/*
 * Let the recording model say how staged cluster @index will record, with
 * the table and write count in @sc. Return: 0 or -ENOMEM.
 */
static int optsim_stage_model(struct optsim_medium *m, struct optsim_stage *st,
			      struct optsim_staged *sc, u64 index)
{
	unsigned int noio;
	void *data;

	/* vm_map_ram() allocates with GFP_KERNEL: keep it off the I/O path. */
	noio = memalloc_noio_save();
	data = vm_map_ram(sc->pages, OPTSIM_CLUSTER_PAGES, NUMA_NO_NODE);
	memalloc_noio_restore(noio);
	if (!data)
		return -ENOMEM;
	/* The data went in through the pages' own mappings. */
	invalidate_kernel_vmap_range(data, OPTSIM_CLUSTER_BYTES);
	optsim_recorder_run(m, sc->tab, data, index, sc->writes, &st->hist,
			    &sc->q);
	vm_unmap_ram(data, OPTSIM_CLUSTER_PAGES);
	return 0;
}

/*
 * Under write_lock: if cluster @index was recorded since it was staged
 * (its write count moved) or its layer got a new table, stage it again
 * from what it holds now, with the current table. Return: 0 or -ENOMEM.
 */
static int optsim_stage_recheck(struct optsim_medium *m,
				const struct optsim_xfer *x,
				struct optsim_stage *st, u64 index,
				struct optsim_staged *sc)
	__must_hold(&m->write_lock)
{
	struct optsim_cluster *cl = sc->cl;
	u32 layer = optsim_medium_cluster_layer(m, index);

	if (cl->writes == sc->writes &&
	    optsim_recorder_current(m, layer, sc->tab))
		return 0;
	optsim_table_put(sc->tab);
	sc->tab = optsim_recorder_snapshot(m, layer);
	sc->writes = cl->writes;
	optsim_stage_around(x, index, cl, cl->recorded, sc);
	return optsim_stage_model(m, st, sc, index);
}

/*
 * Under write_lock, with every check passed: make staged cluster @index
 * the cluster's content, and publish it. Cannot fail.
 */
static void optsim_stage_commit(struct optsim_medium *m, u64 index,
				struct optsim_staged *sc)
	__must_hold(&m->write_lock)
{
	struct optsim_cluster *cl = sc->cl;
	unsigned int i;

	if (cl->recorded) {
		/* Readers may be in the pages: fill them, keep them. */
		for (i = 0; i < OPTSIM_CLUSTER_PAGES; i++)
			copy_highpage(cl->pages[i], sc->pages[i]);
	} else {
		/* Never recorded, or erased: the cluster has no pages. */
		for (i = 0; i < OPTSIM_CLUSTER_PAGES; i++) {
			cl->pages[i] = sc->pages[i];
			sc->pages[i] = NULL;
		}
		if (!sc->charged)
			atomic64_add(OPTSIM_CLUSTER_BYTES, &optsim_mem_used);
		sc->charged = false;
		m->mem_bytes += OPTSIM_CLUSTER_BYTES;
	}
	optsim_store_publish(m, cl, index, &sc->q);
}

/* A write to a medium in memory: see the top of the file. */
static int optsim_store_write_mem(struct optsim_medium *m,
				  const struct optsim_xfer *x, u64 first,
				  u64 last, struct optsim_refusal *why)
{
	unsigned int n = last - first + 1;
	struct optsim_staged *sc;
	struct optsim_stage *st;
	u64 index;
	u32 layer;
	int ret;

	/* A refusal no write in flight can lift is given at once. */
	ret = optsim_store_check(m, first, last, why);
	if (ret)
		return ret;
	st = kzalloc(sizeof(*st), GFP_NOIO);
	if (!st) {
		optsim_store_refuse(why, OPTSIM_REASON_NO_MEMORY, first);
		return -ENOMEM;
	}

	/* Outside the lock: the new content and the model's verdict. */
	for (index = first; index <= last; index++) {
		ret = optsim_stage_cluster(m, x, index, &st->c[index - first]);
		if (ret)
			goto out_refuse;
	}
	/* The request's data, copied once. */
	optsim_copy(m, x, st);
	for (index = first; index <= last; index++) {
		layer = optsim_medium_cluster_layer(m, index);
		sc = &st->c[index - first];
		sc->tab = optsim_recorder_snapshot(m, layer);
		ret = optsim_stage_model(m, st, sc, index);
		if (ret)
			goto out_refuse;
	}

	/* Under the lock: the rules again, then the commit, all or nothing. */
	mutex_lock(&m->write_lock);
	ret = optsim_store_check(m, first, last, why);
	if (ret)
		goto out_unlock;
	for (index = first; index <= last; index++) {
		sc = &st->c[index - first];
		sc->cl = optsim_store_entry(m, index, GFP_NOIO);
		ret = PTR_ERR_OR_ZERO(sc->cl);
		if (!ret)
			ret = optsim_stage_recheck(m, x, st, index, sc);
		if (ret) {
			mutex_unlock(&m->write_lock);
			goto out_refuse;
		}
	}
	for (index = first; index <= last; index++)
		optsim_stage_commit(m, index, &st->c[index - first]);
	/* The first write to an unformatted BD-RE formats it: quick, no spares. */
	if (!m->type->write_once)
		m->fmt.formatted = true;
out_unlock:
	mutex_unlock(&m->write_lock);
	optsim_stage_free(st, n);
	return ret;

out_refuse:
	optsim_store_refuse(why, OPTSIM_REASON_NO_MEMORY, index);
	optsim_stage_free(st, n);
	return ret;
}

/* A write to an image-backed medium: all under write_lock (image.c). */
static int optsim_store_write_image(struct optsim_medium *m,
				    const struct optsim_xfer *x, u64 first,
				    u64 last, struct optsim_refusal *why)
{
	int ret;

	mutex_lock(&m->write_lock);
	ret = optsim_store_check(m, first, last, why);
	if (ret)
		goto out_unlock;
	ret = optsim_image_write(m, x, first, last);
	if (ret) {
		optsim_store_refuse(why, OPTSIM_REASON_IMAGE_ERROR, first);
		goto out_unlock;
	}
	/* The first write to an unformatted BD-RE formats it: quick, no spares. */
	if (!m->type->write_once)
		m->fmt.formatted = true;
out_unlock:
	mutex_unlock(&m->write_lock);
	return ret;
}

/**
 * optsim_store_write() - record a write
 * @m: the medium
 * @x: what to write, and where
 * @why: set to why the write was refused when it is
 *
 * Validates the whole request against the medium's rules and allocates all
 * it needs before it records anything: a refused request changes nothing,
 * and a request is committed whole or not at all. Every cluster the
 * request touches is recorded; on a blank cluster the bytes the request
 * does not cover read back as zeros. How well each cluster records is the
 * recording model's verdict, kept with the cluster: the write itself
 * succeeds, as on a drive that does not verify. Concurrent writes are
 * ordered by the medium's write_lock: the one that takes it later is
 * checked against what the earlier one recorded.
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
	int ret;

	if (!x->bytes)
		return BLK_STS_OK;
	/* The queue's limits keep requests within OPTSIM_RQ_CLUSTERS. */
	if (WARN_ON_ONCE(last - first >= OPTSIM_RQ_CLUSTERS)) {
		why->err = optsim_store_refuse(why, OPTSIM_REASON_UNSPEC, first);
		return BLK_STS_IOERR;
	}
	if (m->image)
		ret = optsim_store_write_image(m, x, first, last, why);
	else
		ret = optsim_store_write_mem(m, x, first, last, why);
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
