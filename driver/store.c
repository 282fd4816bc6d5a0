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
 * A write is staged before the medium's write_lock is taken (struct
 * optsim_stage): each cluster's new content is put together in pages of
 * the writer's own (in the writer's buffer for an image-backed medium)
 * and the recording model runs on it with a snapshot of the layer's
 * table, so writers on different CPUs run the model at the same time.
 * Under write_lock the rules are checked again, a cluster another write
 * recorded meanwhile, or whose layer got a new table, is staged again,
 * and the clusters are committed: a few stores each, a page copy when the
 * cluster was recorded already; for an image, one write to the file
 * before any cluster is published.
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
 * @pages: the cluster's whole new content, on a medium in memory: the
 *	request's bytes, and around them what the cluster held (zeros when
 *	it held nothing). The writer's own until the commit makes them the
 *	cluster's pages, or copies them into the cluster's pages when it is
 *	recorded already.
 * @data: the same, on an image-backed medium: the cluster's place in the
 *	writer's buffer (&struct optsim_stage.buf), which the commit writes
 *	to the file. NULL on a medium in memory.
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
	void *data;
	bool charged;
	struct optsim_cluster *cl;
	struct optsim_table *tab;
	u32 writes;
	struct osm_quality q;
};

/**
 * struct optsim_stage - a writer's scratch: the model's working memory and
 *	a write, staged outside the medium's write_lock
 * @lock: makes the scratch one writer's. A write holds it from the start
 *	of its staging to the end of its commit, and takes the medium's
 *	write_lock inside it. A scratch
 *	belongs to a hardware queue (queue.c, init_hctx) or to a
 *	drive's MMC front. The queue alone does not make it exclusive: the
 *	queue is blocking, so a task may be preempted or moved to another CPU
 *	inside optsim_queue_rq() while another task submitting on the queue's
 *	CPU enters it too; they take turns here. The MMC front's commands
 *	run one at a time, so its scratch is never contended.
 * @hist: the recording model's scratch; the model fills what it uses
 * @buf: room for OPTSIM_RQ_CLUSTERS whole clusters, contiguous: an
 *	image-backed medium's write on its way to the file. Allocated at the
 *	scratch's first write to such a medium, kept until the scratch goes.
 * @c: the request's clusters, in order; a write clears as many as it
 *	touches before it stages them, and gives back what they hold
 *	(optsim_stage_release()) before it drops @lock
 *
 * Allocated once, with its queue or drive (optsim_stage_create()): it is
 * too big for the stack (the histogram alone is 11 KB) and too costly to
 * allocate on every write.
 */
struct optsim_stage {
	struct mutex lock;	/* one writer at a time: see @lock */
	struct osm_rll_hist hist;
	void *buf;
	struct optsim_staged c[OPTSIM_RQ_CLUSTERS];
};

/**
 * optsim_stage_create() - allocate a writer's scratch
 *
 * Return: the scratch, or NULL when memory runs out.
 */
struct optsim_stage *optsim_stage_create(void)
{
	struct optsim_stage *st = kvzalloc(sizeof(*st), GFP_KERNEL);

	if (st)
		mutex_init(&st->lock);
	return st;
}

/**
 * optsim_stage_destroy() - free a writer's scratch
 * @st: the scratch, or NULL; no write uses it any more
 */
void optsim_stage_destroy(struct optsim_stage *st)
{
	if (!st)
		return;
	mutex_destroy(&st->lock);
	vfree(st->buf);
	kvfree(st);
}

/*
 * Copy @len bytes between @buf and the store at byte address @pos: into
 * the pages @cp gives for each cluster of the transfer, the first being
 * cluster @first, when @write; else out of them, a cluster without pages
 * (NULL) reading as zeros.
 */
static void optsim_copy_buf(struct page **const *cp, u64 first, u64 pos,
			    void *buf, unsigned int len, bool write)
{
	unsigned int done = 0;

	while (done < len) {
		unsigned int off = pos & (OPTSIM_CLUSTER_BYTES - 1);
		unsigned int poff = offset_in_page(off);
		unsigned int n = min_t(unsigned int, len - done,
				       PAGE_SIZE - poff);
		struct page **pages = cp[(pos >> OPTSIM_CLUSTER_SHIFT) - first];

		if (write)
			memcpy_to_page(pages[off >> PAGE_SHIFT], poff,
				       buf + done, n);
		else if (pages)
			memcpy_from_page(buf + done, pages[off >> PAGE_SHIFT],
					 poff, n);
		else
			memset(buf + done, 0, n);
		done += n;
		pos += n;
	}
}

/*
 * Copy a whole transfer between its request's pages or its buffer and the
 * pages @cp gives for each of its clusters: see optsim_copy_buf().
 */
static void optsim_copy(const struct optsim_xfer *x, struct page **const *cp,
			bool write)
{
	u64 first = x->pos >> OPTSIM_CLUSTER_SHIFT;
	struct req_iterator iter;
	u64 pos = x->pos;
	struct bio_vec bv;
	void *buf;

	if (!x->rq) {
		optsim_copy_buf(cp, first, pos, x->buf, x->bytes, write);
		return;
	}
	rq_for_each_segment(bv, x->rq, iter) {
		buf = bvec_kmap_local(&bv);
		optsim_copy_buf(cp, first, pos, buf, bv.bv_len, write);
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
 * Runs without a lock; see &struct optsim_medium.clusters. Each cluster is
 * looked up once: whether it is recorded, its quality, and for a medium in
 * memory its pages, which stay while the request is in flight. A cluster
 * recorded by a write that races the read may read as it was before.
 *
 * Return: BLK_STS_OK, or BLK_STS_MEDIUM when a cluster of the request was
 * recorded too badly for the ECC to correct; @bad_cluster is set to it;
 * BLK_STS_IOERR when an image's file cannot be read.
 */
blk_status_t optsim_store_read(struct optsim_medium *m,
			       const struct optsim_xfer *x, u64 *bad_cluster)
{
	u64 first = x->pos >> OPTSIM_CLUSTER_SHIFT;
	u64 last = (x->pos + x->bytes - 1) >> OPTSIM_CLUSTER_SHIFT;
	struct page **cp[OPTSIM_RQ_CLUSTERS];
	struct optsim_cluster *cl;
	struct osm_quality q;
	u64 index;

	if (!x->bytes)
		return BLK_STS_OK;
	/* The queue's limits and the MMC front's buffer keep reads within. */
	if (WARN_ON_ONCE(last - first >= OPTSIM_RQ_CLUSTERS))
		return BLK_STS_IOERR;
	/* A cluster the ECC cannot correct fails the read, as on a real drive. */
	for (index = first; index <= last; index++) {
		cl = xa_load(&m->clusters, index);
		cp[index - first] = NULL;
		/* Pairs with the release in optsim_store_publish(). */
		if (!cl || !smp_load_acquire(&cl->recorded))
			continue;
		/* An image's entries have none: optsim_image_read() reads. */
		cp[index - first] = cl->pages;
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
	optsim_copy(x, cp, false);
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
		/* Publish the data and the record: see optsim_store_read(). */
		smp_store_release(&cl->recorded, true);
		m->recorded[optsim_medium_cluster_layer(m, index)]++;
	}
	/* Pairs with the acquire in optsim_stage_cluster(). */
	smp_store_release(&cl->writes, cl->writes + 1);
}

/*
 * Give back what the first @n staged clusters of @st hold: pages, charge,
 * table references. The scratch itself stays the writer's.
 */
static void optsim_stage_release(struct optsim_stage *st, unsigned int n)
	__must_hold(&st->lock)
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
}

/*
 * Put into bytes @from to @to of a staged cluster what cluster @index (its
 * entry @cl) holds there: its data when @recorded, else zeros. Without
 * write_lock this reads a recorded cluster's pages, or its place in the
 * image's file, as the read path does; the caller read the cluster's write
 * count first, and checks it again under the lock.
 * Return: 0, or an image's file error.
 */
static int optsim_stage_keep(struct optsim_medium *m, u64 index,
			     const struct optsim_cluster *cl, bool recorded,
			     struct optsim_staged *sc, unsigned int from,
			     unsigned int to)
{
	unsigned int i, off, n;

	if (sc->data)
		return optsim_image_fill(m, index, recorded, from, to,
					 sc->data);
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
	return 0;
}

/*
 * Stage the parts of cluster @index that the write @x leaves as they are.
 * Return: see optsim_stage_keep().
 */
static int optsim_stage_around(struct optsim_medium *m,
			       const struct optsim_xfer *x, u64 index,
			       const struct optsim_cluster *cl, bool recorded,
			       struct optsim_staged *sc)
{
	u64 base = index << OPTSIM_CLUSTER_SHIFT;
	u64 end = x->pos + x->bytes;
	int ret = 0;

	if (x->pos > base)
		ret = optsim_stage_keep(m, index, cl, recorded, sc, 0,
					x->pos - base);
	if (!ret && end < base + OPTSIM_CLUSTER_BYTES)
		ret = optsim_stage_keep(m, index, cl, recorded, sc,
					end - base, OPTSIM_CLUSTER_BYTES);
	return ret;
}

/*
 * Stage cluster @index of the write @x, without write_lock: on a medium in
 * memory, pages of its own, charged to the cap unless the cluster is
 * recorded (then they only pass through); on an image-backed medium, its
 * place in the writer's buffer. Either holding what the cluster holds
 * around the request.
 * Return: 0, -ENOSPC at the memory cap, -ENOMEM, an image's file error.
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
	if (sc->data)
		return optsim_stage_around(m, x, index, cl, recorded, sc);
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
	return optsim_stage_around(m, x, index, cl, recorded, sc);
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

	if (sc->data) {
		optsim_recorder_run(m, sc->tab, sc->data, index, sc->writes,
				    &st->hist, &sc->q);
		return 0;
	}
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
 * from what it holds now, with the current table.
 * Return: 0, -ENOMEM, an image's file error.
 */
static int optsim_stage_recheck(struct optsim_medium *m,
				const struct optsim_xfer *x,
				struct optsim_stage *st, u64 index,
				struct optsim_staged *sc)
	__must_hold(&m->write_lock)
{
	struct optsim_cluster *cl = sc->cl;
	u32 layer = optsim_medium_cluster_layer(m, index);
	int ret;

	if (cl->writes == sc->writes &&
	    optsim_recorder_current(m, layer, sc->tab))
		return 0;
	optsim_table_put(sc->tab);
	sc->tab = optsim_recorder_snapshot(m, layer);
	sc->writes = cl->writes;
	ret = optsim_stage_around(m, x, index, cl, cl->recorded, sc);
	if (!ret)
		ret = optsim_stage_model(m, st, sc, index);
	return ret;
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

	/* An image's data is in the file already: the record is all. */
	if (sc->data)
		goto publish;
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
publish:
	optsim_store_publish(m, cl, index, &sc->q);
}

/*
 * The writer's buffer for an image-backed medium's write (@st->buf), made
 * at the first such write through @st. Return: the buffer, or NULL.
 */
static void *optsim_stage_buf(struct optsim_stage *st)
	__must_hold(&st->lock)
{
	unsigned int noio;

	if (!st->buf) {
		/* vmalloc() allocates with GFP_KERNEL inside. */
		noio = memalloc_noio_save();
		st->buf = vmalloc(OPTSIM_RQ_CLUSTERS * OPTSIM_CLUSTER_BYTES);
		memalloc_noio_restore(noio);
	}
	return st->buf;
}

/*
 * Copy the data of the write @x into the clusters staged in @st, the
 * first being cluster @first: their pages, or the writer's buffer.
 */
static void optsim_stage_copy(struct optsim_stage *st,
			      const struct optsim_xfer *x, u64 first,
			      unsigned int n)
	__must_hold(&st->lock)
{
	struct page **cp[OPTSIM_RQ_CLUSTERS];
	struct req_iterator iter;
	struct bio_vec bv;
	unsigned int i;
	void *dst;

	if (!st->c[0].data) {
		for (i = 0; i < n; i++)
			cp[i] = st->c[i].pages;
		optsim_copy(x, cp, true);
		return;
	}
	dst = st->c[0].data + (x->pos & (OPTSIM_CLUSTER_BYTES - 1));
	if (!x->rq) {
		memcpy(dst, x->buf, x->bytes);
		return;
	}
	rq_for_each_segment(bv, x->rq, iter) {
		memcpy_from_bvec(dst, &bv);
		dst += bv.bv_len;
	}
}

/*
 * A write, staged in @st: see the top of the file. On an image-backed
 * medium the commit also writes the staged clusters to the file, before
 * it publishes them (optsim_image_commit()).
 */
static int optsim_store_write_staged(struct optsim_medium *m,
				     struct optsim_stage *st,
				     const struct optsim_xfer *x, u64 first,
				     u64 last, struct optsim_refusal *why)
	__must_hold(&st->lock)
{
	unsigned int n = last - first + 1;
	struct optsim_staged *sc;
	u64 index;
	u32 layer;
	int ret;

	/* A refusal no write in flight can lift is given at once. */
	ret = optsim_store_check(m, first, last, why);
	if (ret)
		return ret;
	memset(st->c, 0, n * sizeof(st->c[0]));
	if (m->image) {
		if (!optsim_stage_buf(st)) {
			optsim_store_refuse(why, OPTSIM_REASON_NO_MEMORY, first);
			return -ENOMEM;
		}
		for (index = first; index <= last; index++)
			st->c[index - first].data = st->buf +
				(index - first) * OPTSIM_CLUSTER_BYTES;
	}

	/* Outside the lock: the new content and the model's verdict. */
	for (index = first; index <= last; index++) {
		ret = optsim_stage_cluster(m, x, index, &st->c[index - first]);
		if (ret)
			goto out_refuse;
	}
	/* The request's data, copied once. */
	optsim_stage_copy(st, x, first, n);
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
	/* An image's file fails here or never: nothing is published yet. */
	if (m->image) {
		ret = optsim_image_commit(m, first, last, st->buf);
		if (ret) {
			index = first;
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
	optsim_stage_release(st, n);
	return ret;

out_refuse:
	/* Memory, or the memory cap; or an image's file, which says why. */
	optsim_store_refuse(why, m->image && ret != -ENOMEM ?
			    OPTSIM_REASON_IMAGE_ERROR :
			    OPTSIM_REASON_NO_MEMORY, index);
	optsim_stage_release(st, n);
	return ret;
}

/**
 * optsim_store_write() - record a write
 * @m: the medium
 * @st: the writer's scratch (optsim_stage_create()); taken for the write
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
				struct optsim_stage *st,
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
	mutex_lock(&st->lock);
	ret = optsim_store_write_staged(m, st, x, first, last, why);
	mutex_unlock(&st->lock);
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
