// SPDX-License-Identifier: GPL-2.0
/*
 * The model's entry points. Memory comes from the shim (kvzalloc in the
 * kernel, calloc in userspace); nothing here keeps global state.
 */
#include "model.h"

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
 * @h: scratch for the cluster's mark histogram (4 KiB: too big for a
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

static int osm_model_opc_buf(const struct osm_compile_in *in,
			     const struct osm_tune *tune,
			     struct osm_opc_result *res, u8 *buf,
			     struct osm_table *t, struct osm_rll_hist *h,
			     void *work)
{
	osm_prng_fill(buf, OSM_OPC_BYTES, 0x0bc0ffeeULL);
	osm_rll_histogram(buf, OSM_OPC_BYTES, h);
	if (tune)
		return osm_opc_disc(in, tune, h, t, work, res);
	return osm_opc(in, h, t, work, res);
}

static int osm_model_opc_with(const struct osm_compile_in *in,
			      const struct osm_tune *tune,
			      struct osm_opc_result *res)
{
	size_t ws = osm_compile_workspace_size();
	u8 *mem = osm_zalloc(ws + sizeof(struct osm_table) +
			     sizeof(struct osm_rll_hist) + OSM_OPC_BYTES);
	int ret;

	if (!mem)
		return -ENOMEM;
	ret = osm_model_opc_buf(in, tune, res,
				mem + ws + sizeof(struct osm_table) +
				sizeof(struct osm_rll_hist),
				(struct osm_table *)(mem + ws),
				(struct osm_rll_hist *)(mem + ws + sizeof(struct osm_table)),
				mem);
	osm_free(mem);
	return ret;
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
	return osm_model_opc_with(in, NULL, res);
}

/**
 * osm_model_opc_disc() - power calibration that starts from the disc's
 *	strategy table (osm_opc_disc())
 * @in: the setting: one of the disc's (osm_disc_opc_start())
 * @e: its table
 * @res: as osm_model_opc() gives it
 *
 * Return: 0, -EINVAL (no power recorded readably: run osm_model_opc()),
 * or -ENOMEM.
 */
int osm_model_opc_disc(const struct osm_compile_in *in,
		       const struct osm_disc_entry *e,
		       struct osm_opc_result *res)
{
	return osm_model_opc_with(in, &e->tune, res);
}

/**
 * osm_model_opc_drive() - the OPC a drive runs
 * @in: the setting
 * @res: as osm_model_opc() gives it
 *
 * From the disc's strategy table for one of the disc's own settings
 * (osm_disc_opc_start(), osm_model_opc_disc()); a search otherwise, and
 * where the table's window records nothing readably.
 *
 * Return: 0, -EINVAL, or -ENOMEM.
 */
int osm_model_opc_drive(const struct osm_compile_in *in,
			struct osm_opc_result *res)
{
	const struct osm_disc_entry *e = osm_disc_opc_start(in);
	int ret = -EINVAL;

	if (e)
		ret = osm_model_opc_disc(in, e, res);
	if (ret == -EINVAL)
		ret = osm_model_opc(in, res);
	return ret;
}
