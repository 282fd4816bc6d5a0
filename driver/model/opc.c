// SPDX-License-Identifier: GPL-2.0
/*
 * OPC (Documentation/model.rst): test-write a power ladder and read the test
 * pattern back, as a drive's jitter-based OPC would, in three steps:
 *
 * 1. find the bathtub: the setting's own power first (a drive starts from
 *    the disc's recommended power), then a coarse geometric ladder (x1.12
 *    per step, 1-40 mW), then 1.5 % steps around the best, each power with
 *    the adaptive strategy tuned at it; the power with the lowest jitter is
 *    the tuning power;
 * 2. tune the adaptive strategy once there (osm_compile(), the disc's
 *    strategy tables for this medium, layer and speed);
 * 3. a fine ladder (2 % steps, 0.8-1.3 times the tuning power) with that
 *    strategy fixed: the window of powers whose jitter is within the
 *    layer's limit (limits.c), and the power at its centre, the one with
 *    the most margin on both sides. Without a window, the lowest jitter.
 *
 * A power whose longest marks do not read back as one mark (hollow, split
 * or lost: osm_table.hollow) is never chosen. The bias level follows the
 * write power at the setting's own ratio (epsilon = Pe/Pw on rewritable
 * media, Ps/Pw on write-once), as BD's strategy tables give the levels; a
 * setting without a valid write power keeps its bias fixed. The drive's
 * own beta/gamma methods aim at the same optimum; the model uses the
 * jitter directly.
 */
#include "opc.h"
#include "quality.h"
#include "limits.h"
#include "joule.h"

/*
 * Current-pulse ladder: 3 % steps, from half to twice the disc's
 * recommended current (OSM_OPC_CUR_MID steps each way: 1.03^23 ~ 1.97).
 */
#define OSM_OPC_CUR_PCT		3
#define OSM_OPC_CUR_MID		23
#define OSM_OPC_CUR_N		(2 * OSM_OPC_CUR_MID + 1)

/* Fine ladder: steps of 2 % of the tuning power, 0.8 to 1.3 times it. */
#define OSM_OPC_FINE_LO		(-10)
#define OSM_OPC_FINE_HI		15
#define OSM_OPC_FINE_PCT	2
#define OSM_OPC_FINE_N		(OSM_OPC_FINE_HI - OSM_OPC_FINE_LO + 1)

/*
 * What the test pattern reads back with, written over @dow earlier
 * recordings: its jitter, Q16, with a mark decoded wrongly costing a whole
 * T of jitter on its share; ~0 when no mark reads back.
 */
static u32 osm_opc_score(const struct osm_table *t,
			 const struct osm_rll_hist *test, u32 dow)
{
	u32 j, u;

	j = osm_quality_jitter(t, test, dow, &u);
	if (u && test->marks)
		j = u >= test->marks ? 0xffffffffU - 1 :
		    j + (u32)osm_div64((u64)u << 16, test->marks);
	return j;
}

/* the layer's jitter limit (limits.c), Q16; ~0 for a medium without one */
static u32 osm_opc_limit_q16(const struct osm_compile_in *in)
{
	struct osm_limits lim;

	if (osm_limits_get(in->stack->media, in->stack->layers, in->layer,
			   &lim))
		return 0xffffffffU;
	return (u32)osm_div64((u64)lim.jitter_cpct << 16, 10000);
}

/*
 * The window around ladder step @best: the run of steps of @jit[0..@n)
 * next to it within @limit, as *@lo..*@hi (both @best when @best itself
 * is not within it). Return: whether @best is within @limit.
 */
static bool osm_opc_span(const u32 *jit, s32 n, s32 best, u32 limit,
			 s32 *lo, s32 *hi)
{
	*lo = best;
	*hi = best;
	if (jit[best] > limit)
		return false;
	while (*lo > 0 && jit[*lo - 1] <= limit)
		(*lo)--;
	while (*hi + 1 < n && jit[*hi + 1] <= limit)
		(*hi)++;
	return true;
}

/* jitter of one test write, Q16; ~0 for a setting that records nothing */
static int osm_opc_jitter(const struct osm_compile_in *in, u32 p,
			  const struct osm_rll_hist *test, struct osm_table *t,
			  void *work, struct osm_opc_result *res, u32 *bias,
			  u32 *jitter)
{
	struct osm_compile_in c = *in;
	int ret;

	osm_resched();

	c.write_uw = p;
	if (in->bias_uw && osm_power_valid(in->write_uw))
		c.bias_uw = (u32)osm_div64((u64)in->bias_uw * p, in->write_uw);
	else if (in->bias_uw > p)
		c.bias_uw = p;
	*bias = c.bias_uw;
	*jitter = 0xffffffffU;
	ret = osm_compile(&c, t, work);
	if (ret)
		return ret;
	res->steps++;
	/* never a setting whose longest marks do not read back as marks */
	if (t->hollow)
		return 0;
	*jitter = osm_opc_score(t, test, 0);
	return 0;
}

static int osm_opc_try(const struct osm_compile_in *in, u32 p,
		       const struct osm_rll_hist *test, struct osm_table *t,
		       void *work, struct osm_opc_result *res)
{
	u32 j, b;
	int ret = osm_opc_jitter(in, p, test, t, work, res, &b, &j);

	if (!ret && j < res->jitter_q16) {
		res->jitter_q16 = j;
		res->power_uw = p;
		res->bias_uw = b;
	}
	return ret;
}

static u32 osm_opc_fine_power(u32 tune_uw, s32 k)
{
	return (u32)((s32)tune_uw + (s32)tune_uw * OSM_OPC_FINE_PCT * k / 100);
}

/* step 3: the window within the limit around the best fine step */
static int osm_opc_window(const struct osm_compile_in *in,
			  const struct osm_rll_hist *test,
			  struct osm_table *t, void *work,
			  struct osm_opc_result *res)
{
	struct osm_compile_in c = *in;
	u32 jit[OSM_OPC_FINE_N], b, limit, p;
	s32 k, best = -1, lo, hi;
	int ret;

	c.tune = &res->tune;
	limit = osm_opc_limit_q16(in);
	for (k = 0; k < OSM_OPC_FINE_N; k++) {
		jit[k] = 0xffffffffU;
		p = osm_opc_fine_power(res->tune.tune_uw, k + OSM_OPC_FINE_LO);
		if (!osm_power_valid(p))
			continue;
		ret = osm_opc_jitter(&c, p, test, t, work, res, &b, &jit[k]);
		if (ret)
			return ret;
		if (best < 0 || jit[k] < jit[best])
			best = k;
	}
	if (best < 0 || jit[best] == 0xffffffffU)
		return 0;
	if (osm_opc_span(jit, OSM_OPC_FINE_N, best, limit, &lo, &hi)) {
		res->window_lo_uw = osm_opc_fine_power(res->tune.tune_uw,
						       lo + OSM_OPC_FINE_LO);
		res->window_hi_uw = osm_opc_fine_power(res->tune.tune_uw,
						       hi + OSM_OPC_FINE_LO);
		p = (res->window_lo_uw + res->window_hi_uw) / 2;
	} else {
		p = osm_opc_fine_power(res->tune.tune_uw, best + OSM_OPC_FINE_LO);
	}
	ret = osm_opc_jitter(&c, p, test, t, work, res, &b, &jit[0]);
	if (ret)
		return ret;
	if (jit[0] == 0xffffffffU)
		return 0;
	res->power_uw = p;
	res->bias_uw = b;
	res->jitter_q16 = jit[0];
	return 0;
}

/**
 * osm_opc_disc() - OPC that starts from the disc's strategy table
 * @in: the write setting (laser); the bias keeps its ratio to the power
 * @tune: the strategy the disc carries for the setting (osm_disc_entry.tune:
 *	what steps 1 and 2 of osm_opc() tune for it)
 * @test: mark histogram of the test data
 * @scratch: a table to compile into
 * @work: osm_compile_workspace_size() bytes
 * @res: as osm_opc() gives it
 *
 * Step 3 of osm_opc() alone, around the power @tune was tuned at: a drive
 * starts its OPC from the disc's strategy and power rather than searching
 * for them, and some 45 of its compiles are saved.
 *
 * Return: 0, or -EINVAL when no power of the ladder records readably
 * (the caller then runs osm_opc()).
 */
int osm_opc_disc(const struct osm_compile_in *in, const struct osm_tune *tune,
		 const struct osm_rll_hist *test, struct osm_table *scratch,
		 void *work, struct osm_opc_result *res)
{
	int ret;

	osm_memset(res, 0, sizeof(*res));
	res->jitter_q16 = 0xffffffffU;
	res->tune = *tune;
	ret = osm_opc_window(in, test, scratch, work, res);
	if (!ret && !res->power_uw)
		ret = -EINVAL;
	return ret;
}

/* one current of the ladder: the test pattern written fresh and over itself */
static int osm_opc_current_try(const struct osm_compile_in *in, u32 ua,
			       const struct osm_rll_hist *test,
			       struct osm_table *t, void *work,
			       struct osm_opc_result *res, u32 *jitter)
{
	struct osm_compile_in c = *in;
	u32 fresh, over;
	int ret;

	osm_resched();
	c.current_ua = ua;
	*jitter = 0xffffffffU;
	ret = osm_compile(&c, t, work);
	if (ret)
		return ret;
	res->steps++;
	fresh = osm_opc_score(t, test, 0);
	over = osm_opc_score(t, test, 1);
	*jitter = fresh > over ? fresh : over;
	return 0;
}

/*
 * OPC of a layer recorded by current pulses (joule.c): the same procedure
 * with the pulse current in place of the power. The ladder starts from the
 * disc's recommended current (the model's optimum, osm_joule_optimum());
 * each step writes the test pattern once fresh and once over itself, so
 * that a current whose crystallizing pulse erases badly (too low) or
 * melts the cell again (too high) scores by its overwrite; a current too
 * low to melt the cell or high enough to ablate it scores by its lost
 * marks. The window of currents within the layer's jitter limit around the
 * best step gives the current chosen: its geometric centre, the most
 * margin both ways (the heat goes with the current's square). The laser
 * power and bias stay as they are.
 */
static int osm_opc_current(const struct osm_compile_in *in,
			   const struct osm_rll_hist *test,
			   struct osm_table *t, void *work,
			   struct osm_opc_result *res)
{
	u32 ua[OSM_OPC_CUR_N], jit[OSM_OPC_CUR_N], limit;
	struct osm_joule j;
	s32 k, best = -1, lo, hi;
	int ret;

	ret = osm_joule_optimum(in->stack, in->layer, &j, work);
	if (ret)
		return ret;
	ua[OSM_OPC_CUR_MID] = j.ia_ua;
	for (k = OSM_OPC_CUR_MID + 1; k < OSM_OPC_CUR_N; k++)
		ua[k] = ua[k - 1] * (100 + OSM_OPC_CUR_PCT) / 100;
	for (k = OSM_OPC_CUR_MID - 1; k >= 0; k--)
		ua[k] = ua[k + 1] * 100 / (100 + OSM_OPC_CUR_PCT);
	limit = osm_opc_limit_q16(in);
	for (k = 0; k < OSM_OPC_CUR_N; k++) {
		jit[k] = 0xffffffffU;
		if (ua[k] < OPTSIM_CURRENT_MIN_UA ||
		    ua[k] > OPTSIM_CURRENT_MAX_UA)
			continue;
		ret = osm_opc_current_try(in, ua[k], test, t, work, res,
					  &jit[k]);
		if (ret)
			return ret;
		if (best < 0 || jit[k] < jit[best])
			best = k;
	}
	if (best < 0 || jit[best] >= 0xffffffffU - 1)
		return -EINVAL;
	if (osm_opc_span(jit, OSM_OPC_CUR_N, best, limit, &lo, &hi)) {
		res->window_lo_ua = ua[lo];
		res->window_hi_ua = ua[hi];
	}
	res->current_ua = (u32)int_sqrt64((u64)ua[lo] * ua[hi]);
	ret = osm_opc_current_try(in, res->current_ua, test, t, work, res,
				  &res->jitter_q16);
	if (ret)
		return ret;
	res->power_uw = in->write_uw;
	res->bias_uw = in->bias_uw;
	return 0;
}

/**
 * osm_opc() - find the write power and the strategy tables of a setting
 * @in: the write setting; @in->write_uw, when it is a valid power, is
 *	tested first and sets the ratio the bias keeps; with @in->tune the
 *	strategy is taken as it is and not tuned again
 * @test: mark histogram of the test data
 * @scratch: a table to compile into (left holding the last test)
 * @work: osm_compile_workspace_size() bytes
 * @res: the result: the power at the centre of the window within the
 *	jitter limit (or the lowest jitter), the window, the strategy tuned;
 *	for a setting in current mode the current instead (osm_opc_current())
 *
 * Return: 0, or -EINVAL when no power formed readable marks.
 */
int osm_opc(const struct osm_compile_in *in, const struct osm_rll_hist *test,
	    struct osm_table *scratch, void *work, struct osm_opc_result *res)
{
	struct osm_compile_in c = *in;
	u32 p, best;
	int ret;
	s32 k;

	osm_memset(res, 0, sizeof(*res));
	res->jitter_q16 = 0xffffffffU;
	if (in->mode == OSM_MODE_CURRENT)
		return osm_opc_current(in, test, scratch, work, res);
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
		p = (u32)((s32)best + (s32)best * 15 * k / 1000);
		if (!k || !osm_power_valid(p))
			continue;
		ret = osm_opc_try(in, p, test, scratch, work, res);
		if (ret)
			return ret;
	}
	if (in->tune) {
		res->tune = *in->tune;
	} else {
		c.write_uw = res->power_uw;
		c.bias_uw = res->bias_uw;
		ret = osm_compile(&c, scratch, work);
		if (ret)
			return ret;
		res->steps++;
		res->tune = scratch->tune;
	}
	return osm_opc_window(in, test, scratch, work, res);
}
