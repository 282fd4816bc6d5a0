// SPDX-License-Identifier: GPL-2.0
/*
 * OPC (Documentation/model.rst): test-write a power ladder and pick the power
 * whose test pattern reads back with the lowest jitter, as a drive's
 * jitter-based OPC would. The setting's own power is tested first (a drive
 * starts from the disc's recommended power), so OPC never leaves a setting that
 * records worse than the one it started from. A coarse geometric ladder (x1.12
 * per step, 1-40 mW) finds the bathtub; a fine ladder (1.5 % steps) around the
 * best power so far refines it. The bias level follows the write power at the
 * setting's own ratio (epsilon = Pe/Pw on rewritable media, Ps/Pw on
 * write-once), as BD's strategy tables give the levels; a setting without a
 * valid write power keeps its bias fixed. The drive's own beta/gamma methods
 * aim at the same optimum; the model uses the jitter directly.
 */
#include "opc.h"
#include "quality.h"

static int osm_opc_try(const struct osm_compile_in *in, u32 p,
		       const struct osm_rll_hist *test, struct osm_table *t,
		       void *work, struct osm_opc_result *res)
{
	struct osm_compile_in c = *in;
	u32 j, u;
	int ret;

	osm_resched();

	c.write_uw = p;
	if (in->bias_uw && osm_power_valid(in->write_uw))
		c.bias_uw = (u32)osm_div64((u64)in->bias_uw * p, in->write_uw);
	else if (in->bias_uw > p)
		c.bias_uw = p;
	ret = osm_compile(&c, t, work);
	if (ret)
		return ret;
	res->steps++;
	j = osm_quality_jitter(t, test, 0, &u);
	/* a lost mark costs as much as a whole T of jitter on its share */
	if (u && test->marks)
		j = u >= test->marks ? 0xffffffffU - 1 :
		    j + (u32)osm_div64((u64)u << 16, test->marks);
	if (j < res->jitter_q16) {
		res->jitter_q16 = j;
		res->power_uw = p;
		res->bias_uw = c.bias_uw;
	}
	return 0;
}

/**
 * osm_opc() - find the power that minimises jitter
 * @in: the write setting; @in->write_uw, when it is a valid power, is
 *	tested first and kept on a tie, and sets the ratio the bias keeps
 * @test: mark histogram of the test data
 * @scratch: a table to compile into (left holding the last test)
 * @work: osm_compile_workspace_size() bytes
 * @res: the result
 *
 * Return: 0, or -EINVAL when no power formed readable marks.
 */
int osm_opc(const struct osm_compile_in *in, const struct osm_rll_hist *test,
	    struct osm_table *scratch, void *work, struct osm_opc_result *res)
{
	u32 p, best;
	int ret;
	s32 k;

	res->power_uw = 0;
	res->bias_uw = 0;
	res->jitter_q16 = 0xffffffffU;
	res->steps = 0;
	if (osm_power_valid(in->write_uw)) {
		ret = osm_opc_try(in, in->write_uw, test, scratch, work, res);
		if (ret)
			return ret;
	}
	for (p = 1000; p <= 40000; p = p * 112 / 100) {
		ret = osm_opc_try(in, p, test, scratch, work, res);
		if (ret)
			return ret;
	}
	if (!res->power_uw)
		return -EINVAL;
	best = res->power_uw;
	for (k = -7; k <= 7; k++) {
		if (!k)
			continue;
		p = (u32)((s32)best + (s32)best * 15 * k / 1000);
		if (!osm_power_valid(p))
			continue;
		ret = osm_opc_try(in, p, test, scratch, work, res);
		if (ret)
			return ret;
	}
	return 0;
}
