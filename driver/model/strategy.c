// SPDX-License-Identifier: GPL-2.0
/*
 * Write strategies (Documentation/model.rst), timed in units of T/32 from the
 * nominal leading edge of an nT mark. The first pulse starts T/2 late (dTtop), as
 * the heated zone runs ahead of the pulse by about the spot radius:
 *
 *   single  Pw over [T/2, (n - 1)T), one pulse per mark
 *   multi   N-1: top pulse Pw [T/2, 5T/4), then n - 2 pulses Pw of T/2
 *           starting T/4 into each following clock, Pb between them; the
 *           whole train of a 3T or longer mark moved by the calibrated
 *           delay (osm_levels.delay)
 *   castle  Pw [T/2, 3T/2), plateau Pm = 3/4 Pw, last pulse Pw
 *           [(n - 1.5)T, (n - 1)T); 2T and 3T marks as single
 *
 * A 2T mark gets one pulse Pw [T/2, 3T/2) in every strategy.
 *
 * then a cooling gap at Pb for T/2 and the bias level (Ps or Pe) over the
 * space. The adaptive part (see there) moves the first pulse's start
 * and the last pulse's end per mark and space class; compile.c derives it.
 *
 * The edges lie on a T/32 grid (physics.md's table format allows T/16 or
 * T/32), and the thermal model steps at T/16: a step that an edge splits carries
 * the mean of the two levels, the energy the laser delivers in it. The
 * film's response time (tau_f, 2.4 ns) is 2.5 steps at 1x and more at any
 * higher velocity, so it sees that energy, not where in the step it came.
 */
#include "strategy.h"

/**
 * osm_strategy_resolve() - the strategy that @strategy means here
 * @st: the medium
 * @layer: the layer written
 * @strategy: OSM_STRAT_*
 * @velocity_mms: linear velocity
 *
 * auto names the strategy type per layer and speed as a disc's strategy
 * table does: castle from the layer's N-1 limit (or where N-1 pulses no
 * longer fit the laser) and the N-1 train under that. The N-1 train's
 * clocked pulses last T/2; once that nears twice the film's thermal time
 * constant (2.4 ns: 1.6x at 74.5 nm channel bits), each pulse falls short
 * of its stationary temperature, the train needs more power for the same
 * mark and its jitter rises, while a castle pulse keeps the film hot. The
 * presets set the limit where the model's castle records better than its
 * N-1 train (Documentation/model.rst, "Write strategies").
 *
 * There is no single-pulse switch: a castle pulse is the single pulse
 * with its middle lowered to the plateau the compile checks against the
 * physics (compile.c); where no lowered plateau writes a long mark better,
 * the plateau is Pw and the castle is the single pulse. Where a single
 * pulse records as well as the N-1 train or better is an outcome of the
 * thermal model (heat build-up along a long mark at low velocity), not of
 * a threshold velocity ("Seed 000" in model.rst).
 *
 * Return: @strategy when it is not auto, else OSM_STRAT_MULTI or _CASTLE.
 */
u32 osm_strategy_resolve(const struct osm_stack *st, u32 layer, u32 strategy,
			 u32 velocity_mms)
{
	u32 limit = layer < st->layers ? st->layer[layer].v_castle_mms : 0;

	if (strategy != OSM_STRAT_AUTO)
		return strategy;
	if (velocity_mms > OSM_STRAT_MULTI_MAX_MMS ||
	    (limit && velocity_mms >= limit))
		return OSM_STRAT_CASTLE;
	return OSM_STRAT_MULTI;
}

/**
 * osm_strategy_levels() - power levels for a write
 * @st: the medium
 * @strategy: resolved strategy
 * @write_uw: Pw
 * @bias_uw: Ps/Pe; 0 picks the default (write-once 0.1 Pw, rewritable
 *	0.65 Pw; osm_compile() replaces the rewritable one by the erase
 *	level it tunes)
 * @lv: filled in
 */
void osm_strategy_levels(const struct osm_stack *st, u32 strategy,
			 u32 write_uw, u32 bias_uw, struct osm_levels *lv)
{
	lv->write = write_uw;
	if (!bias_uw)
		bias_uw = st->rewritable ? write_uw * 13 / 20 :
			  write_uw / OSM_WO_BIAS_DIV;
	lv->bias = bias_uw;
	lv->bottom = bias_uw < 100 ? bias_uw : 100;
	lv->middle = write_uw * 3 / 4;
	lv->delay = 0;
	(void)strategy;
}

/**
 * osm_strategy_steps() - length of a pattern's waveform
 * @p: the pattern
 *
 * Return: steps of T/16.
 */
s32 osm_strategy_steps(const struct osm_pattern *p)
{
	return (s32)(p->lead + p->mp + p->sp + p->n + p->sn + p->mn + p->tail) * 16;
}

/**
 * osm_strategy_mark_start() - nominal leading edge of the central mark
 * @p: the pattern
 *
 * Return: its step.
 */
s32 osm_strategy_mark_start(const struct osm_pattern *p)
{
	return (s32)(p->lead + p->mp + p->sp) * 16;
}

/* [from, to) in units of T/32 */
static void osm_strategy_fill(s32 *pw, s32 from, s32 to, s32 level)
{
	s32 t;

	for (t = from; t < to; t++)
		pw[t] = level;
}

/* one mark from @m0, its first pulse moved by @ds and its last by @de, T/32 */
static void osm_strategy_mark(u32 strategy, const struct osm_levels *lv,
			      s32 *pw, s32 m0, u32 n, s32 ds, s32 de)
{
	s32 end = m0 + (s32)(n - 1) * 32 + de, k;

	if (n == 2) {
		/* the shortest mark needs a full-T pulse in every strategy */
		end = m0 + 48 + de;
		osm_strategy_fill(pw, m0 + 16 + ds, end, lv->write);
	} else if (strategy == OSM_STRAT_MULTI) {
		m0 += lv->delay;
		end = m0 + 32 * ((s32)n - 2) + 24 + de;
		osm_strategy_fill(pw, m0 + 16 + ds, end, lv->bottom);
		osm_strategy_fill(pw, m0 + 16 + ds, m0 + 40 + ds, lv->write);
		/*
		 * clocked pulses up to T/4 before the last one, the one that
		 * meets that limit cut short: a last pulse moved later extends
		 * the train step by step instead of leaving a gap at Pb, and
		 * no pulse appears or vanishes at once as it moves
		 */
		for (k = 1; m0 + 32 * k + 8 < end - 24; k++)
			osm_strategy_fill(pw, m0 + 32 * k + 8,
					  m0 + 32 * k + 24 < end - 24 ?
					  m0 + 32 * k + 24 : end - 24, lv->write);
		osm_strategy_fill(pw, end - 16, end, lv->write);
	} else if (strategy == OSM_STRAT_CASTLE && n > 3) {
		osm_strategy_fill(pw, m0 + 16 + ds, m0 + 48 + ds, lv->write);
		osm_strategy_fill(pw, m0 + 48 + ds, end - 16, lv->middle);
		osm_strategy_fill(pw, end - 16, end, lv->write);
	} else {
		osm_strategy_fill(pw, m0 + 16 + ds, end, lv->write);
	}
	osm_strategy_fill(pw, end, end + 16, lv->bottom);
}

/**
 * osm_strategy_waveform() - drive power of a pattern
 * @strategy: resolved strategy
 * @lv: power levels
 * @p: the pattern
 * @power: 2 * osm_strategy_steps() entries, uW: drawn at T/32 over all of
 *	them, then the mean of each pair in the first osm_strategy_steps()
 *	(steps of T/16)
 */
void osm_strategy_waveform(u32 strategy, const struct osm_levels *lv,
			   const struct osm_pattern *p, s32 *power)
{
	s32 n = osm_strategy_steps(p), m, t;

	osm_strategy_fill(power, 0, 2 * n, lv->bias);
	m = (s32)p->lead * 32;
	if (p->mp)
		osm_strategy_mark(strategy, lv, power, m, p->mp, p->ds[0], p->de[0]);
	m += (s32)(p->mp + p->sp) * 32;
	if (p->n)
		osm_strategy_mark(strategy, lv, power, m, p->n, p->ds[1], p->de[1]);
	m += (s32)(p->n + p->sn) * 32;
	if (p->mn)
		osm_strategy_mark(strategy, lv, power, m, p->mn, p->ds[2], p->de[2]);
	/* levels are at most a few 10^5 uW: the sum cannot overflow */
	for (t = 0; t < n; t++)
		power[t] = (power[2 * t] + power[2 * t + 1]) / 2;
}
