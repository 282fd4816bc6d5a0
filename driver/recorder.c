// SPDX-License-Identifier: GPL-2.0
/*
 * The recorder: the physical recording model (driver/model/) inside the
 * drive.
 *
 * Setting a layer's write parameters compiles the model into a table of
 * edge shifts and mark widths for that layer (osm_model_compile(), tens of
 * milliseconds). Tables are immutable, and shared through a small cache,
 * since every new disc of a kind starts with the same parameters. For each
 * cluster written, the write path runs the cluster's data through the
 * channel code and the layer's table and keeps the resulting quality record
 * with the cluster; reads of a cluster the ECC cannot correct fail with a
 * medium error.
 *
 * Publication of the tables (see &struct optsim_medium.table):
 *
 * - A medium holds a reference to each of its layers' tables; the cache
 *   holds one to each table it keeps. The last reference frees a table,
 *   after an RCU grace period.
 * - optsim_recorder_set_table() replaces a layer's table with
 *   rcu_replace_pointer() holding the device's lock and the medium's
 *   write_lock, and drops the medium's reference to the old one after it
 *   has released write_lock.
 * - The write path (store.c) runs the model before it takes write_lock:
 *   optsim_recorder_snapshot() reads the pointer under rcu_read_lock() and
 *   takes a reference (kref_get_unless_zero(): a table whose last
 *   reference is gone was replaced already, so the pointer is read
 *   again). The table is immutable, so the record worked out from it
 *   outside any lock is the one the write path would work out under it.
 *   Under write_lock, optsim_recorder_current() says whether the snapshot
 *   is still the layer's table; if not, the record is worked out again.
 *   When it is worked out again, under write_lock, it is with a new
 *   snapshot.
 */
#include "optsim.h"

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "model/model.h"

/*
 * struct optsim_table_key - what a compiled table depends on
 */
struct optsim_table_key {
	u32 media;
	u32 layer;
	u32 velocity;
	u32 strategy;
	u32 write_power;
	u32 bias_power;
	u32 channel_bit_pm;
	u32 mode;
	u32 current_ua;
	struct osm_tune tune;
};

/**
 * struct optsim_table - a compiled layer table, shared and immutable
 * @ref: references: the cache's while the table is cached, and one per
 *	medium layer using it
 * @rcu: frees the table after the readers that took it under
 *	rcu_read_lock()
 * @node: place in the cache, most recently used first; protected by
 *	optsim_tables_lock
 * @key: the setting it was compiled for
 * @t: the table
 */
struct optsim_table {
	struct kref ref;
	struct rcu_head rcu;
	struct list_head node;
	struct optsim_table_key key;
	struct osm_table t;
};

/* Tables kept for reuse, beyond those media hold. */
#define OPTSIM_TABLES_CACHED	16

/* Protects optsim_tables and optsim_tables_count. */
static DEFINE_MUTEX(optsim_tables_lock);
static LIST_HEAD(optsim_tables);
static unsigned int optsim_tables_count;

static void optsim_table_release(struct kref *ref)
{
	struct optsim_table *tab = container_of(ref, struct optsim_table, ref);

	kvfree_rcu(tab, rcu);
}

/**
 * optsim_table_put() - drop a reference to a table
 * @tab: the table, or NULL
 *
 * The memory goes after an RCU grace period, so a reader that fetched the
 * table under rcu_read_lock() may finish with it.
 */
void optsim_table_put(struct optsim_table *tab)
{
	if (tab)
		kref_put(&tab->ref, optsim_table_release);
}

/* Find a cached table and take a reference; move it to the front. */
static struct optsim_table *optsim_table_lookup(const struct optsim_table_key *key)
	__must_hold(&optsim_tables_lock)
{
	struct optsim_table *tab;

	list_for_each_entry(tab, &optsim_tables, node) {
		if (!memcmp(&tab->key, key, sizeof(*key))) {
			kref_get(&tab->ref);
			list_move(&tab->node, &optsim_tables);
			return tab;
		}
	}
	return NULL;
}

/**
 * optsim_recorder_compile_in() - the model's input for a layer's parameters
 * @m: the medium; @in points to its stack
 * @p: the parameters
 * @layer: the layer
 * @in: filled in
 */
void optsim_recorder_compile_in(const struct optsim_medium *m,
				const struct optsim_params *p, u32 layer,
				struct osm_compile_in *in)
{
	*in = (struct osm_compile_in) {
		.stack		= &m->stack,
		.layer		= layer,
		.velocity_mms	= p->velocity,
		.strategy	= p->strategy,
		.write_uw	= p->write_power,
		.bias_uw	= p->bias_power,
		.channel_bit_pm	= osm_geometry_channel_bit_pm(&m->geo),
		.mode		= p->mode,
		.current_ua	= p->current_ua,
	};
}

/**
 * optsim_recorder_tune() - the strategy tables OPC tuned for a setting
 * @m: the medium; the caller holds its device's model_lock, or the medium
 *	is not reachable yet
 * @p: the layer's parameters
 * @layer: the layer
 *
 * Return: the tables the layer's last OPC tuned, when it was for @p's
 * velocity and strategy with the laser; NULL otherwise (the setting is
 * then compiled with the disc's own, optsim_table_get()).
 */
const struct optsim_tune *optsim_recorder_tune(const struct optsim_medium *m,
					       const struct optsim_params *p,
					       u32 layer)
{
	const struct optsim_tune *tune = &m->tune[layer];

	if (!tune->velocity || p->mode != OPTSIM_MODE_LASER ||
	    tune->velocity != p->velocity || tune->strategy != p->strategy)
		return NULL;
	return tune;
}

/**
 * optsim_table_get() - the compiled table for a layer's write parameters
 * @m: the medium
 * @p: the parameters (validated)
 * @layer: the layer
 * @tune: the strategy tables to compile with (optsim_recorder_tune()), or
 *	NULL for the disc's own (osm_disc_strategy()): those of the speed
 *	nearest @p's velocity, or where the disc has none, the strategy
 *	tuned at @p's power
 *
 * Compiles the model unless the cache holds the table already. May sleep.
 *
 * Return: a referenced table, or an ERR_PTR(): -EINVAL when the model
 * refuses the setting, -ENOMEM.
 */
struct optsim_table *optsim_table_get(const struct optsim_medium *m,
				      const struct optsim_params *p, u32 layer,
				      const struct optsim_tune *tune)
{
	const struct osm_disc_entry *disc = NULL;
	struct optsim_table_key key = {
		.media		= m->type->media,
		.layer		= layer,
		.velocity	= p->velocity,
		.strategy	= p->strategy,
		.write_power	= p->write_power,
		.bias_power	= p->bias_power,
		.channel_bit_pm	= osm_geometry_channel_bit_pm(&m->geo),
		.mode		= p->mode,
		.current_ua	= p->current_ua,
	};
	struct optsim_table *tab, *old;
	struct osm_compile_in in;
	int ret;

	if (tune)
		key.tune = tune->t;
	else if (p->mode == OPTSIM_MODE_LASER)
		disc = osm_disc_strategy(&m->stack, layer, p->velocity,
					 p->strategy, key.channel_bit_pm);
	if (disc)
		key.tune = disc->tune;

	mutex_lock(&optsim_tables_lock);
	tab = optsim_table_lookup(&key);
	mutex_unlock(&optsim_tables_lock);
	if (tab)
		return tab;

	tab = kvzalloc(sizeof(*tab), GFP_KERNEL);
	if (!tab)
		return ERR_PTR(-ENOMEM);
	optsim_recorder_compile_in(m, p, layer, &in);
	if (tune || disc)
		in.tune = &key.tune;
	ret = osm_model_compile(&in, &tab->t);
	if (ret) {
		kvfree(tab);
		return ERR_PTR(ret);
	}
	optsim_stat_add(m->dev, layer, OPTSIM_STAT_COMPILES, 1);
	tab->key = key;
	/* One reference for the cache, one for the caller. */
	kref_init(&tab->ref);
	kref_get(&tab->ref);

	mutex_lock(&optsim_tables_lock);
	old = optsim_table_lookup(&key);
	if (old) {
		/* Compiled meanwhile by someone else: use theirs. */
		mutex_unlock(&optsim_tables_lock);
		kvfree(tab);
		return old;
	}
	list_add(&tab->node, &optsim_tables);
	if (++optsim_tables_count > OPTSIM_TABLES_CACHED) {
		old = list_last_entry(&optsim_tables, struct optsim_table, node);
		list_del(&old->node);
		optsim_tables_count--;
		optsim_table_put(old);
	}
	mutex_unlock(&optsim_tables_lock);
	return tab;
}

/**
 * optsim_recorder_exit() - drop the cached tables at module unload
 */
void optsim_recorder_exit(void)
{
	struct optsim_table *tab, *next;

	mutex_lock(&optsim_tables_lock);
	list_for_each_entry_safe(tab, next, &optsim_tables, node) {
		list_del(&tab->node);
		optsim_table_put(tab);
	}
	optsim_tables_count = 0;
	mutex_unlock(&optsim_tables_lock);
}

/**
 * optsim_recorder_init() - give a new medium the tables of its default
 *	parameters
 * @m: the medium, with type, geometry, stack and params set
 *
 * Return: 0, -EINVAL or -ENOMEM; on failure nothing is left to undo.
 */
int optsim_recorder_init(struct optsim_medium *m)
{
	struct optsim_table *tab;
	u32 layer;

	for (layer = 0; layer < m->geo.layers; layer++) {
		tab = optsim_table_get(m, &m->params[layer], layer, NULL);
		if (IS_ERR(tab)) {
			optsim_recorder_destroy(m);
			return PTR_ERR(tab);
		}
		RCU_INIT_POINTER(m->table[layer], tab);
	}
	return 0;
}

/**
 * optsim_recorder_destroy() - release what optsim_recorder_init() gave
 * @m: the medium, no longer reachable from any queue
 */
void optsim_recorder_destroy(struct optsim_medium *m)
{
	u32 layer;

	for (layer = 0; layer < OPTSIM_MAX_LAYERS; layer++) {
		/* Nobody else can reach the medium any more. */
		optsim_table_put(rcu_dereference_protected(m->table[layer], 1));
		RCU_INIT_POINTER(m->table[layer], NULL);
	}
}

/**
 * optsim_recorder_set_table() - publish a layer's new table to the write path
 * @m: the medium; the caller holds its device's lock
 * @layer: the layer
 * @tab: the table; the medium takes over the caller's reference
 *
 * Waits for the write in progress, if any, which finishes with the old
 * table: each request records with one table per layer.
 */
void optsim_recorder_set_table(struct optsim_medium *m, u32 layer,
			       struct optsim_table *tab)
{
	struct optsim_table *old;

	mutex_lock(&m->write_lock);
	old = rcu_replace_pointer(m->table[layer], tab,
				  lockdep_is_held(&m->write_lock));
	mutex_unlock(&m->write_lock);
	optsim_table_put(old);
}

/**
 * optsim_recorder_snapshot() - a reference to a layer's current table
 * @m: the medium
 * @layer: the layer
 *
 * Takes no lock but rcu_read_lock(); the table cannot change under the
 * caller, who drops it with optsim_table_put().
 *
 * Return: the referenced table.
 */
struct optsim_table *optsim_recorder_snapshot(struct optsim_medium *m,
					      u32 layer)
{
	struct optsim_table *tab;

	rcu_read_lock();
	do {
		tab = rcu_dereference(m->table[layer]);
		/* Zero references: replaced meanwhile; read the new one. */
	} while (!kref_get_unless_zero(&tab->ref));
	rcu_read_unlock();
	return tab;
}

/**
 * optsim_recorder_current() - whether a snapshot is still a layer's table
 * @m: the medium; the caller holds its write_lock
 * @layer: the layer
 * @tab: the snapshot, from optsim_recorder_snapshot()
 *
 * The snapshot's reference keeps its address from being reused, so the
 * comparison cannot be fooled by a new table in the same memory.
 *
 * Return: true when @tab is the layer's table.
 */
bool optsim_recorder_current(struct optsim_medium *m, u32 layer,
			     const struct optsim_table *tab)
	__must_hold(&m->write_lock)
{
	return rcu_dereference_protected(m->table[layer],
					 lockdep_is_held(&m->write_lock)) == tab;
}

/**
 * optsim_recorder_run() - work out how a cluster records
 * @m: the medium
 * @tab: the layer's table: a snapshot, or the table under write_lock
 * @data: the cluster's data as it will read back, mapped contiguously
 *	(OPTSIM_CLUSTER_BYTES)
 * @index: its index on the medium
 * @writes: times the cluster was recorded before
 * @h: scratch of the model, the caller's own
 * @q: the record
 *
 * Needs no lock: the result depends only on its arguments and on the
 * medium's seed and full erases, which do not change while a request is
 * in flight. The same data written with the same parameters after the
 * same number of cycles always gives the same record.
 */
void optsim_recorder_run(const struct optsim_medium *m,
			 const struct optsim_table *tab, const void *data,
			 u64 index, u32 writes, struct osm_rll_hist *h,
			 struct osm_quality *q)
{
	/* Distinct draws per disc seed, cluster and overwrite cycle. */
	u64 seed = m->seed + index * 0x9e3779b97f4a7c15ULL + writes;

	*q = (struct osm_quality) {};
	osm_model_cluster(&tab->t, data, OPTSIM_CLUSTER_BYTES,
			  writes + (u32)m->full_erases, seed, q, h);
}

/**
 * optsim_recorder_opc() - find the write power (or, in current mode, the
 *	pulse current) for a layer (osm_opc())
 * @m: the medium
 * @layer: the layer to calibrate
 * @p: the layer's parameters; the power ladder is built around them
 * @res: the power found, its jitter and the test writes made
 *
 * The test writes go to the power calibration area, which the model keeps
 * apart from the user data: nothing recorded changes. A setting the
 * disc has a strategy table for starts from it and only measures the
 * window, as a drive does; any other searches for the power and tunes the
 * strategy first (osm_model_opc_drive()). May sleep.
 *
 * Return: 0, -EINVAL when the model refuses the setting, -ENOMEM.
 */
int optsim_recorder_opc(const struct optsim_medium *m, u32 layer,
			const struct optsim_params *p,
			struct osm_opc_result *res)
{
	struct osm_compile_in in;
	int ret;

	optsim_recorder_compile_in(m, p, layer, &in);
	ret = osm_model_opc_drive(&in, res);
	if (!ret)
		optsim_stat_add(m->dev, layer, OPTSIM_STAT_COMPILES,
				res->steps);
	return ret;
}
