// SPDX-License-Identifier: GPL-2.0
/*
 * The model's entry points. Memory comes from the shim (kvzalloc in the
 * kernel, calloc in userspace); nothing here keeps global state.
 */
#include "model.h"
#include "geometry.h"

#define OSM_CLUSTER_BYTES	65536U
/* Test data for OPC: 16 KiB of seeded random bytes. */
#define OSM_OPC_BYTES		16384U

/**
 * osm_model_compile() - compile a layer's write setting
 * @in: the setting
 * @out: the table
 *
 * Return: 0, -EINVAL for a setting out of range, -ENOMEM.
 */
int osm_model_compile(const struct osm_compile_in *in, struct osm_table *out)
{
	void *work = osm_zalloc(osm_compile_workspace_size());
	int ret;

	if (!work)
		return -ENOMEM;
	ret = osm_compile(in, out, work);
	osm_free(work);
	return ret;
}

/**
 * osm_model_cluster() - quality of one written cluster
 * @t: the layer's table
 * @data: the cluster's user bytes
 * @len: their number (a cluster: 65,536)
 * @dow: overwrites of the cluster before this write
 * @seed: seed of the error draws (e.g. disc seed ^ cluster ^ write count)
 * @rec: the record
 * @h: scratch for the cluster's mark histogram (520 bytes: too big for a
 *	kernel stack frame, so the caller keeps one per writer)
 *
 * Return: 0, or -EINVAL for empty data.
 */
int osm_model_cluster(const struct osm_table *t, const u8 *data, size_t len,
		      u32 dow, u64 seed, struct osm_quality *rec,
		      struct osm_rll_hist *h)
{
	u32 j, u, ser;

	if (!len || !data || !h)
		return -EINVAL;
	osm_rll_histogram(data, len, h);
	j = osm_quality_jitter(t, h, dow, &u);
	rec->flags = u ? OSM_QF_UNRESOLVED : 0;
	/* 0.01 % of T: j * 10000 / 65536 */
	rec->jitter = (u64)j * 10000 >> 16 > 0xffff ? 0xffff :
		      (u16)((u64)j * 10000 >> 16);
	ser = osm_quality_ser_q32(j, u, (u32)len);
	osm_quality_errors(ser, seed, rec);
	return 0;
}

static void osm_fill_random(u8 *buf, size_t len, u64 seed)
{
	struct osm_prng r = { .s = seed };
	size_t i;

	for (i = 0; i < len; i += 8) {
		u64 v = osm_prng_next(&r);
		size_t k;

		for (k = 0; k < 8 && i + k < len; k++)
			buf[i + k] = (u8)(v >> (8 * k));
	}
}

static int osm_model_opc_buf(const struct osm_compile_in *in,
			     struct osm_opc_result *res, u8 *buf,
			     struct osm_table *t, struct osm_rll_hist *h,
			     void *work)
{
	osm_fill_random(buf, OSM_OPC_BYTES, 0x0bc0ffeeULL);
	osm_rll_histogram(buf, OSM_OPC_BYTES, h);
	return osm_opc(in, h, t, work, res);
}

/**
 * osm_model_opc() - power calibration for a setting
 * @in: the setting; its write power, if valid, is tested first (osm_opc())
 * @res: optimum power and its jitter
 *
 * Return: 0, -EINVAL, or -ENOMEM.
 */
int osm_model_opc(const struct osm_compile_in *in, struct osm_opc_result *res)
{
	size_t ws = osm_compile_workspace_size();
	u8 *mem = osm_zalloc(ws + sizeof(struct osm_table) +
			     sizeof(struct osm_rll_hist) + OSM_OPC_BYTES);
	int ret;

	if (!mem)
		return -ENOMEM;
	ret = osm_model_opc_buf(in, res, mem + ws + sizeof(struct osm_table) +
				sizeof(struct osm_rll_hist),
				(struct osm_table *)(mem + ws),
				(struct osm_rll_hist *)(mem + ws + sizeof(struct osm_table)),
				mem);
	osm_free(mem);
	return ret;
}

/**
 * osm_model_simulate() - write random clusters with one setting
 * @p: the setting
 * @r: the outcome
 *
 * Return: 0, -EINVAL for an invalid setting, -ENOMEM.
 */
int osm_model_simulate(const struct osm_sim_params *p, struct osm_sim_result *r)
{
	struct osm_compile_in in = {
		.stack = p->stack, .layer = p->layer,
		.velocity_mms = p->velocity_mms, .strategy = p->strategy,
		.write_uw = p->write_uw, .bias_uw = p->bias_uw,
		.channel_bit_pm = OSM_GEO_REF_CHANNEL_BIT_PM,
	};
	struct osm_opc_result opc;
	struct osm_table *t;
	struct osm_rll_hist *h;
	u8 *buf;
	u32 c, n = p->clusters ? p->clusters : 4, u, j;
	int ret;

	if (!p->stack)
		return -EINVAL;
	t = osm_zalloc(sizeof(*t) + sizeof(*h) + OSM_CLUSTER_BYTES);
	if (!t)
		return -ENOMEM;
	h = (struct osm_rll_hist *)(t + 1);
	buf = (u8 *)(h + 1);
	if (p->optimum_uw) {
		opc.power_uw = p->optimum_uw;
	} else {
		ret = osm_model_opc(&in, &opc);
		if (ret)
			goto out;
	}
	r->optimum_uw = opc.power_uw;
	in.write_uw = p->write_uw ? p->write_uw : opc.power_uw;
	ret = osm_model_compile(&in, t);
	if (ret)
		goto out;
	r->power_uw = in.write_uw;
	r->strategy = t->strategy;
	r->peak_temp_c = t->peak_temp_k + OSM_AMBIENT_K - 273;
	r->mark_width_nm = t->width_nm;
	r->rear_width_nm = t->rear_nm;
	r->erase_cpct = (u32)(((u64)t->erase_q16 * 10000) >> 16);
	r->signal_cpct = (u32)(((u64)t->signal_q16 * 100) >> 16);
	r->ldc_max = 0;
	r->bis_max = 0;
	r->readable = true;
	for (c = 0; c < n; c++) {
		struct osm_quality q;

		osm_fill_random(buf, OSM_CLUSTER_BYTES, p->seed + c);
		osm_model_cluster(t, buf, OSM_CLUSTER_BYTES, p->cycles,
				  p->seed ^ (0x5eedULL + c), &q, h);
		if (!c) {
			r->jitter_cpct = q.jitter;
			j = osm_quality_jitter(t, h, p->cycles, &u);
			r->ser_q32 = osm_quality_ser_q32(j, u, OSM_CLUSTER_BYTES);
			r->unresolved = u;
		}
		if (q.ldc > r->ldc_max)
			r->ldc_max = q.ldc;
		if (q.bis > r->bis_max)
			r->bis_max = q.bis;
		if (q.flags & OSM_QF_UNCORRECTABLE)
			r->readable = false;
	}
out:
	osm_free(t);
	return ret;
}
