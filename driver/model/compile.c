// SPDX-License-Identifier: GPL-2.0
/*
 * Table compile (Documentation/model.rst, "Mark formation").
 *
 * For each of the 4 x 8 x 4 (preceding space, mark, following space)
 * classes, the strategy's waveform for [mark sp][space sp][mark n][space
 * sn][mark sn] is run through the thermal model (thermal.c) at every fourth
 * step of the track, the kinetics decide what each point holds (mark.c),
 * and the read channel (readout.c) finds the central mark's edges. The
 * neighbour marks are as long as the spaces next to them, so 2T spaces sit
 * between 2T marks (the RMTR worst case). Spaces of 5T and more are
 * modelled as 5T.
 *
 * The slice level is half the signal of a long (8T) mark written with the
 * same setting (beta = 0). Before the table itself, the adaptive strategy
 * is tuned (osm_compile_adapt()); what it cannot express (thermal
 * interference beyond its classes, heat build-up over long marks, the T/32
 * grid, read ISI) remains in the edge shifts.
 */
#include "compile.h"
#include "joule.h"
#include "strategy.h"
#include "thermal.h"
#include "mark.h"
#include "readout.h"
#include "fixmath.h"
#include "groove.h"

#define OSM_PAT_MAX_STEPS	640
#define OSM_PAT_MAX_PTS		(OSM_PAT_MAX_STEPS / 4 + 1)
/* Cross-talk: jitter per unit of neighbour/own signal ratio, Q16 [A]. */
#define OSM_XT_JITTER_Q16	(OSM_Q16 / 2)
/*
 * Most passes of the adaptive strategy's tuning (it stops at a fixed point
 * or a cycle before) and its damping (gain/4).
 */
#define OSM_ADAPT_PASSES	16
#define OSM_ADAPT_GAIN		2
/* Range of the adaptive shifts, units of T/32 (+-T). */
#define OSM_ADAPT_MAX		32
/* Half-width of the search for a written edge, steps (2.5 T). */
#define OSM_WRITTEN_WIN		40
/* Error charged for a lost edge in the tuning, steps Q8 (T/4). */
#define OSM_ADAPT_LOST		(4 * 256)

/*
 * A read pass's measurement of one class pattern, with what it depends on
 * that the tuning changes: the six pulse shifts of its three marks and the
 * N-1 train's delay. Everything else (levels, plateau, slice) is fixed
 * while the strategy is tuned, so the same key measures the same errors.
 */
struct osm_adapt_memo {
	s32 key[7];
	s32 pl, pt;
};

struct osm_work {
	struct osm_thermal th;
	struct osm_kin kin;
	struct osm_readout rd;
	struct osm_levels lv;
	struct osm_rd_levels rl;
	u32 strategy;
	s32 ds[4][4], de[4][4];
	s32 sds[4][4], sde[4][4];
	/* the tables each pass started with (measured with) */
	s32 seen_ds[OSM_ADAPT_PASSES][4][4], seen_de[OSM_ADAPT_PASSES][4][4];
	u32 dsn[4][4], den[4][4];
	/*
	 * every read pass's measurement of each class pattern so far
	 * ([c][sp][sn], the first nmemo of each): the tables often return
	 * to an earlier state for some patterns while others still move,
	 * and one measured key is never measured again in a tuning
	 */
	struct osm_adapt_memo memo[4][4][4][OSM_ADAPT_PASSES];
	u8 nmemo[4][4][4];
	s32 power[2 * OSM_PAT_MAX_STEPS];	/* drawn at T/32 (strategy.c) */
	s32 hist[2][2 * OSM_TH_MAX_RF + OSM_TH_TAIL + 1];
	s32 sbuf[2][(OSM_TH_MAX_RS + OSM_TH_MAX_RF + OSM_TH_TAIL) / 4 + 8];
	struct osm_markpt row[OSM_PAT_MAX_PTS];
	u32 m[OSM_PAT_MAX_PTS];
	s32 sig[OSM_PAT_MAX_STEPS];
	s32 m_half;
	u32 eps_q16;
};

/**
 * osm_compile_workspace_size() - scratch memory osm_compile() needs
 *
 * Return: bytes; the caller allocates them (osm_zalloc() or its own).
 */
size_t osm_compile_workspace_size(void)
{
	return sizeof(struct osm_work);
}

/*
 * what a point of the written track gives the reader, relative to a fully
 * formed wide mark: the mark's share over the part of the spot its width
 * covers, plus the crystallised dielectric's over its own width (P1)
 */
static u32 osm_mark_signal_q16(const struct osm_work *w,
			       const struct osm_markpt *pt)
{
	u32 m = (u32)(((u64)pt->x_q16 *
		       osm_readout_width_q16(&w->rd, pt->width_nm)) >> 16);

	if (pt->xd_q16)
		m += (u32)(((u64)pt->xd_q16 * w->kin.diel_q16 >> 16) *
			   osm_readout_width_q16(&w->rd, pt->width_d_nm) >> 16);
	return m;
}

/* the mark state of point @j of a pattern whose waveform is in w->power */
static void osm_run_point(struct osm_work *w, s32 n, s32 j)
{
	struct osm_point pt;

	osm_thermal_point(&w->th, w->power, n, 4 * j, w->hist[0], w->sbuf[0],
			  &pt);
	osm_mark_point(&w->kin, w->hist[0], &pt, &w->row[j]);
}

/*
 * Run a class pattern where the caller looks: the written points (w->row,
 * w->m) over [@jlo, @jhi] (none if @jlo > @jhi) and the read signal
 * (w->sig) over the steps [@xlo, @xhi), with the points that signal reads;
 * the rest of those arrays is left as it was. Each point's history
 * depends on the waveform alone, and its mark on its own history, except
 * for growth kinetics, whose rim follows the whole molten zone
 * (osm_mark_row()): there the points run on until each end of the range
 * holds no melt. The results over the range are those of a run of the
 * whole pattern.
 */
static s32 osm_run_span(struct osm_work *w, const struct osm_pattern *p,
			s32 jlo, s32 jhi, s32 xlo, s32 xhi)
{
	s32 n = osm_strategy_steps(p), npts = n / 4, j, x;
	s32 *hist[2] = { w->hist[0], w->hist[1] };
	s32 *sbuf[2] = { w->sbuf[0], w->sbuf[1] };
	struct osm_point pt[2];

	xlo = xlo < 0 ? 0 : xlo;
	xhi = xhi > 4 * npts ? 4 * npts : xhi;
	if (xlo < xhi) {
		/* the points osm_readout_signal() reads, [a, b] */
		s32 a = xlo - w->rd.rr + 3 < 0 ? 0 : (xlo - w->rd.rr + 3) / 4;
		s32 b = (xhi - 1 + w->rd.rr) / 4;

		if (jlo > jhi) {
			jlo = a;
			jhi = b;
		} else {
			jlo = jlo < a ? jlo : a;
			jhi = jhi > b ? jhi : b;
		}
	}
	jlo = jlo < 0 ? 0 : jlo;
	jhi = jhi > npts - 1 ? npts - 1 : jhi;
	if (jlo > jhi)
		return npts;
	osm_strategy_waveform(w->strategy, &w->lv, p, w->power);
	osm_thermal_laser(&w->th, w->power, n);
	for (j = jlo; j + 1 <= jhi; j += 2) {
		osm_thermal_pair(&w->th, w->power, n, 4 * j, hist, sbuf, pt);
		osm_mark_point(&w->kin, hist[0], &pt[0], &w->row[j]);
		osm_mark_point(&w->kin, hist[1], &pt[1], &w->row[j + 1]);
	}
	if (j <= jhi)
		osm_run_point(w, n, j);
	if (w->kin.kind == OSM_KIN_GROWTH) {
		while (jlo > 0 && w->row[jlo].melted)
			osm_run_point(w, n, --jlo);
		while (jhi < npts - 1 && w->row[jhi].melted)
			osm_run_point(w, n, ++jhi);
	}
	osm_mark_row(&w->kin, &w->th, w->row + jlo, jhi - jlo + 1,
		     4 * w->th.step_pm);
	for (j = jlo; j <= jhi; j++)
		w->m[j] = osm_mark_signal_q16(w, &w->row[j]);
	for (x = xlo; x < xhi; x++)
		w->sig[x] = osm_readout_signal(&w->rd, w->m, npts, x);
	return npts;
}

/* run a class pattern: all its points and its whole read signal */
static s32 osm_run_pattern(struct osm_work *w, const struct osm_pattern *p)
{
	return osm_run_span(w, p, 0, OSM_PAT_MAX_PTS, 0, OSM_PAT_MAX_STEPS);
}

/*
 * widest point over [from, to) steps: of the mark, or with @diel of the
 * dielectric it crystallised
 */
static u32 osm_widest(const struct osm_work *w, s32 from, s32 to, bool diel)
{
	u32 mx = 0, x, wd;
	s32 j;

	for (j = from / 4; j < to / 4; j++) {
		x = diel ? w->row[j].xd_q16 : w->row[j].x_q16;
		wd = diel ? w->row[j].width_d_nm : w->row[j].width_nm;
		if (x > OSM_Q16 / 2 && wd > mx)
			mx = wd;
	}
	return mx;
}

static u32 osm_width_over(const struct osm_work *w, s32 from, s32 to)
{
	return osm_widest(w, from, to, false);
}

/*
 * A hole in the written mark over [from, to) steps: a run of points that
 * hold no mark (share <= 1/2) between the first and the last that do, of
 * at least 2T, the shortest run of the code: the written data then has a
 * space there, whatever the read spot smooths over. Also true when no
 * point holds a mark.
 */
static bool osm_hollow_over(const struct osm_work *w, s32 from, s32 to)
{
	s32 j, first = -1, last = -1, gap = 0;

	for (j = from / 4; j < to / 4; j++)
		if (w->row[j].x_q16 > OSM_Q16 / 2 && w->row[j].width_nm) {
			if (first < 0)
				first = j;
			last = j;
		}
	if (first < 0)
		return true;
	for (j = first; j <= last; j++) {
		if (w->row[j].x_q16 > OSM_Q16 / 2 && w->row[j].width_nm) {
			gap = 0;
			continue;
		}
		if (++gap >= 8)
			return true;
	}
	return false;
}

/* every point of [from, to) steps reached the melting point (phase change) */
static bool osm_melted_over(const struct osm_work *w, s32 from, s32 to)
{
	s32 j;

	for (j = from / 4; j < to / 4; j++)
		if (!w->row[j].melted)
			return false;
	return true;
}

/*
 * What the reader decodes between the central mark's two read edges (steps
 * Q8): the equalised signal has to stay above the slice level, or the
 * reader sees two marks where one was written (split).
 */
static bool osm_split_between(const struct osm_work *w, s32 npts, s32 pl_q8,
			      s32 pt_q8)
{
	s32 x;

	for (x = pl_q8 / 256 + 2; x < pt_q8 / 256; x++)
		if (osm_readout_eq(&w->rd, w->sig, 4 * npts, x, &w->rl) < 0)
			return true;
	return false;
}

static inline u32 osm_mclass(u32 n)
{
	return n >= 5 ? 3 : n - 2;
}

static void osm_fill_pattern(const struct osm_work *w, struct osm_pattern *p,
			     u32 sp, u32 n, u32 sn, bool adapt)
{
	p->sp = sp;
	p->n = n;
	p->sn = sn;
	p->mp = sp;
	p->mn = sn;
	p->lead = 3;
	p->tail = 4;
	osm_memset(p->ds, 0, sizeof(p->ds));
	osm_memset(p->de, 0, sizeof(p->de));
	if (!adapt)
		return;
	/* neighbours: the far space taken as >= 5T */
	p->ds[0] = w->ds[osm_mclass(sp)][3];
	p->de[0] = w->de[osm_mclass(sp)][sp - 2];
	p->ds[1] = w->ds[osm_mclass(n)][sp - 2];
	p->de[1] = w->de[osm_mclass(n)][sn - 2];
	p->ds[2] = w->ds[osm_mclass(sn)][sn - 2];
	p->de[2] = w->de[osm_mclass(sn)][3];
}

static u32 osm_xtalk_q16(const struct osm_stack *st, u32 wr_nm, u32 width_nm)
{
	/* erf(sqrt(2) y / w_r) for the cross-track extent of a mark */
	u64 k = osm_div64(OSM_SQRT2_Q16, wr_nm);	/* sqrt(2)/w_r, Q16 */
	s64 p = st->track_pitch_nm, hw = width_nm / 2;
	u32 own = osm_erf_q16((u32)(hw * k)), a, b;
	s64 s1;

	if (!own)
		return 0;
	a = osm_erf_q16((u32)((p + hw) * k));
	b = osm_erf_q16((u32)((p > hw ? p - hw : hw - p) * k));
	s1 = p > hw ? (s64)a - b : (s64)a + b;	/* twice one neighbour's share */
	/* two neighbours: 2 * (s1 / 2) / own, times the levels' phase (groove.c) */
	s1 = osm_sdiv64(s1 << 16, own);
	s1 = s1 * osm_groove_xt_q16(st, wr_nm) >> 16;
	return (u32)(s1 * OSM_XT_JITTER_Q16 >> 16);
}

/* mean of @n errors in steps Q8, rounded to the T/32 grid of the strategy */
static s32 osm_round_steps(s64 sum_q8, s64 n)
{
	s64 m;

	if (!n)
		return 0;
	m = osm_sdiv64(2 * sum_q8, n);	/* T/32, Q8 */
	return (s32)(m >= 0 ? (m + 128) >> 8 : -((-m + 128) >> 8));
}

/* written edge: where the mark value crosses half its peak, steps Q8 */
static int osm_written_edge(const struct osm_work *w, s32 npts, s32 x_nom,
			    bool rising, s32 *pos_q8)
{
	s32 j, lo = (x_nom - OSM_WRITTEN_WIN) / 4;
	s32 hi = (x_nom + OSM_WRITTEN_WIN) / 4, best = -1;
	s32 bestd = 1 << 30, half = 0;
	u32 mx = 0;

	if (lo < 1)
		lo = 1;
	if (hi > npts - 1)
		hi = npts - 1;
	for (j = lo; j <= hi; j++)
		if (w->m[j] > mx)
			mx = w->m[j];
	/* half of a long mark's value: a faint mark has no edges */
	half = w->m_half;
	if (!half || (s32)mx < half)
		return -1;
	for (j = lo; j <= hi; j++) {
		s32 a = (s32)w->m[j - 1], b = (s32)w->m[j], d;
		bool c = rising ? (a < half && b >= half) : (a >= half && b < half);

		if (!c)
			continue;
		d = 4 * j - x_nom;
		d = d < 0 ? -d : d;
		if (d < bestd) {
			bestd = d;
			best = (4 * (j - 1)) * 256 + 4 * 256 * (half - a) / (b - a);
		}
	}
	if (best < 0)
		return -1;
	*pos_q8 = best;
	return 0;
}

/*
 * read edges of the central mark of a pattern just run: leading edge
 * searched from half the preceding space to half the mark, trailing edge
 * from half the mark to half the following space; steps Q8 and slopes
 */
static int osm_read_edges(struct osm_work *w, s32 npts, s32 m0, u32 sp,
			  u32 n, u32 sn, s32 *pl, u32 *sl, s32 *pt, u32 *st)
{
	s32 x = m0 + (s32)n * 16;

	if (!w->rl.slice)
		return -1;
	if (osm_readout_edge(&w->rd, w->sig, 4 * npts, m0 - (s32)sp * 8,
			     m0 + (s32)n * 8, m0, true, &w->rl, pl, sl))
		return -1;
	if (osm_readout_edge(&w->rd, w->sig, 4 * npts, x - (s32)n * 8 + 1,
			     x + (s32)sn * 8, x, false, &w->rl, pt, st))
		return -1;
	return *sl && *st ? 0 : -1;
}

/*
 * read-edge error of the central mark for the tuning, steps Q8 (+ = late);
 * a lost edge counts as a quarter T too short a mark, or too short a space
 * when the equalised signal stays above the slice
 */
static s32 osm_adapt_error(struct osm_work *w, s32 npts, s32 m0, u32 sp,
			   u32 n, u32 sn, bool lead)
{
	s32 x = m0 + (s32)n * 16, pos;
	u32 sl;
	bool in_mark = osm_readout_eq(&w->rd, w->sig, 4 * npts,
				      m0 + (s32)n * 8, &w->rl) >= 0;

	if (lead) {
		if (!osm_readout_edge(&w->rd, w->sig, 4 * npts, m0 - (s32)sp * 8,
				      m0 + (s32)n * 8, m0, true, &w->rl, &pos,
				      &sl))
			return pos - m0 * 256;
		return in_mark ? -OSM_ADAPT_LOST : OSM_ADAPT_LOST;
	}
	if (!osm_readout_edge(&w->rd, w->sig, 4 * npts, x - (s32)n * 8 + 1,
			      x + (s32)sn * 8, x, false, &w->rl, &pos, &sl))
		return pos - x * 256;
	return in_mark ? OSM_ADAPT_LOST : -OSM_ADAPT_LOST;
}

/*
 * one class pattern of a tuning pass: the errors of its central mark's
 * leading and trailing edges, steps Q8; the first pass uses the written
 * mark (long marks only), the others the read signal
 */
static int osm_adapt_measure(struct osm_work *w, u32 pass, u32 sp, u32 c,
			     u32 sn, s32 *pl, s32 *pt)
{
	struct osm_adapt_memo *mo = w->memo[c][sp][sn];
	u8 *nmo = &w->nmemo[c][sp][sn];
	struct osm_pattern p;
	s32 npts, m0, x, key[7];
	u32 k;

	if (!pass && !c)
		return -1;
	osm_fill_pattern(w, &p, sp + 2, c + 2, sn + 2, pass > 0);
	if (pass) {
		osm_memcpy(key, p.ds, sizeof(p.ds));
		osm_memcpy(key + 3, p.de, sizeof(p.de));
		key[6] = w->lv.delay;
		/* a later pass that measures this pattern as one before */
		for (k = 0; k < *nmo; k++)
			if (!osm_memcmp(mo[k].key, key, sizeof(key))) {
				*pl = mo[k].pl;
				*pt = mo[k].pt;
				return 0;
			}
	}
	m0 = osm_strategy_mark_start(&p);
	x = m0 + (s32)(c + 2) * 16;
	if (!pass) {
		/* the written mark around its edges (osm_written_edge()) */
		npts = osm_run_span(w, &p, (m0 - OSM_WRITTEN_WIN) / 4 - 1,
				    (x + OSM_WRITTEN_WIN) / 4, 0, 0);
		if (osm_written_edge(w, npts, m0, true, pl) ||
		    osm_written_edge(w, npts, x, false, pt))
			return -1;
		*pl -= m0 * 256;
		*pt -= x * 256;
		return 0;
	}
	/* the read signal the edges' searches and equaliser taps look at */
	npts = osm_run_span(w, &p, 1, 0,
			    m0 - (s32)(sp + 2) * 8 - OSM_RD_EQ_REACH - 1,
			    x + (s32)(sn + 2) * 8 + OSM_RD_EQ_REACH + 1);
	*pl = osm_adapt_error(w, npts, m0, sp + 2, c + 2, sn + 2, true);
	*pt = osm_adapt_error(w, npts, m0, sp + 2, c + 2, sn + 2, false);
	/* one entry per read pass at most: a key is measured once */
	mo += *nmo;
	osm_memcpy(mo->key, key, sizeof(key));
	mo->pl = *pl;
	mo->pt = *pt;
	++*nmo;
	return 0;
}

/*
 * The N-1 train's delay: the part of the first- and last-pulse corrections
 * that the 3T and longer marks written with the nominal train share (both
 * later, or both earlier: the smaller of the two mean corrections). Where
 * the molten or mixed zone runs well ahead of the spot (a hot
 * phase-change stack), the whole train moves and the per-class tables
 * only tune the rest, so no gap opens between a retimed first or last
 * pulse and the pulses between them. Those classes' errors are cleared:
 * the next pass measures them with the train moved.
 */
static void osm_adapt_delay(struct osm_work *w)
{
	s64 ss = 0, se = 0, ns = 0, ne = 0;
	s32 a, b, d = 0;
	u32 c, sp;

	for (c = 1; c < 4; c++)
		for (sp = 0; sp < OSM_RLL_SPACES; sp++) {
			ss += w->sds[c][sp];
			ns += w->dsn[c][sp];
			se += w->sde[c][sp];
			ne += w->den[c][sp];
		}
	a = osm_round_steps(ss, ns);
	b = osm_round_steps(se, ne);
	if (a > 0 && b > 0)
		d = a < b ? a : b;
	else if (a < 0 && b < 0)
		d = a > b ? a : b;
	w->lv.delay = clamp(d, -OSM_ADAPT_MAX, OSM_ADAPT_MAX);
	osm_memset(&w->sds[1], 0, 3 * sizeof(w->sds[0]));
	osm_memset(&w->sde[1], 0, 3 * sizeof(w->sde[0]));
}

/*
 * The adaptive write strategy (Documentation/model.rst): the first pulse is
 * retimed per (mark class 2T, 3T, 4T, >= 5T) x (preceding space class) and the
 * last pulse per (mark class) x (following space class), in units of T/32, so
 * that the read edges of each class land on their nominal positions, as a disc
 * maker tunes the tables a drive reads from the disc. Up to OSM_ADAPT_PASSES
 * damped passes over the 28 class patterns whose far space is >= 5T (5T
 * standing for >= 5T): the first on the written mark, the others on the read
 * signal with the tables so far in place also for the neighbours; a pass that
 * changes no table ends the tuning, since the next would measure the same, and
 * so does one that returns to the tables of any earlier read pass (a cycle);
 * a class pattern is not run again with tables an earlier read pass measured
 * it with, whether unchanged since or returned to (the same errors;
 * osm_adapt_measure()). The passes need not converge (a 2T mark's edge moves
 * some 2.7 times as far as its pulse, so a damped step can still overshoot),
 * so the tables kept are those of the read pass that measured the least
 * squared edge error, not simply the last ones; which of several near-equal
 * states the passes end in then matters less, and the jitter varies less
 * between neighbouring powers. A strategy far from its tables at the start
 * (single pulse: pass 0 measures long marks' teardrop) needs 8-12 passes to
 * settle. What 4 x 4 tables cannot express stays: dependence on the far space
 * and the neighbours, mark lengths beyond 5T (heat build-up), the T/32
 * rounding, and read ISI.
 */
static void osm_compile_adapt(struct osm_work *w)
{
	u32 sp, c, sn, pass, k;
	s32 pl, pt, v;
	s64 best = -1;	/* squared edge error of the best tables measured */
	u32 best_pass = 0;

	osm_memset(w->ds, 0, sizeof(w->ds));
	osm_memset(w->de, 0, sizeof(w->de));
	osm_memset(w->nmemo, 0, sizeof(w->nmemo));
	for (pass = 0; pass < OSM_ADAPT_PASSES; pass++) {
		s64 err = 0;

		osm_resched();
		osm_memcpy(w->seen_ds[pass], w->ds, sizeof(w->ds));
		osm_memcpy(w->seen_de[pass], w->de, sizeof(w->de));
		osm_memset(w->sds, 0, sizeof(w->sds));
		osm_memset(w->sde, 0, sizeof(w->sde));
		osm_memset(w->dsn, 0, sizeof(w->dsn));
		osm_memset(w->den, 0, sizeof(w->den));
		for (c = 0; c < 4; c++)
			for (sp = 0; sp < OSM_RLL_SPACES; sp++)
				for (sn = 0; sn < OSM_RLL_SPACES; sn++) {
					/* a far space of >= 5T: 28 of the 64 */
					if (sp != 3 && sn != 3)
						continue;
					if (osm_adapt_measure(w, pass, sp, c, sn,
							      &pl, &pt)) {
						err += 2LL * OSM_ADAPT_LOST * OSM_ADAPT_LOST;
						continue;
					}
					err += (s64)pl * pl + (s64)pt * pt;
					if (sn == 3) {
						w->sds[c][sp] -= pl;
						w->dsn[c][sp]++;
					}
					if (sp == 3) {
						w->sde[c][sn] -= pt;
						w->den[c][sn]++;
					}
				}
		if (pass && (best < 0 || err < best)) {
			best = err;
			best_pass = pass;
		}
		if (!pass && w->strategy == OSM_STRAT_MULTI)
			osm_adapt_delay(w);
		for (c = 0; c < 4; c++)
			for (sp = 0; sp < OSM_RLL_SPACES; sp++) {
				v = w->ds[c][sp] +
				    osm_round_steps(w->sds[c][sp] * OSM_ADAPT_GAIN / 4,
						    w->dsn[c][sp]);
				w->ds[c][sp] = clamp(v, -OSM_ADAPT_MAX, OSM_ADAPT_MAX);
				v = w->de[c][sp] +
				    osm_round_steps(w->sde[c][sp] * OSM_ADAPT_GAIN / 4,
						    w->den[c][sp]);
				w->de[c][sp] = clamp(v, -OSM_ADAPT_MAX, OSM_ADAPT_MAX);
			}
		/*
		 * a 2T mark keeps at least half of its full-T pulse (it may
		 * move): a shorter one leaves a mark too faint to read
		 */
		for (sp = 0; sp < OSM_RLL_SPACES; sp++)
			for (sn = 0; sn < OSM_RLL_SPACES; sn++) {
				v = w->ds[0][sp] - w->de[0][sn] - 16;
				if (v <= 0)
					continue;
				if (w->de[0][sn] + v <= OSM_ADAPT_MAX)
					w->de[0][sn] += v;
				else
					w->ds[0][sp] -= v;
			}
		/*
		 * tables a read pass has already measured with: this one's
		 * own (a fixed point) or an earlier one's (a cycle). The next
		 * passes would only repeat what was measured, with no better
		 * tables (the best of the cycle is kept), so the tuning ends
		 */
		for (k = 1; k <= pass; k++)
			if (!osm_memcmp(w->seen_ds[k], w->ds, sizeof(w->ds)) &&
			    !osm_memcmp(w->seen_de[k], w->de, sizeof(w->de)))
				break;
		if (k <= pass)
			break;
	}
	if (best >= 0) {
		osm_memcpy(w->ds, w->seen_ds[best_pass], sizeof(w->ds));
		osm_memcpy(w->de, w->seen_de[best_pass], sizeof(w->de));
	}
}

/*
 * share of an old mark of a width that a long stretch at @bias erases;
 * @melted: whether that stretch melts the film
 */
static u32 osm_erase_at(struct osm_work *w, u32 bias, u32 width_nm,
			bool *melted)
{
	struct osm_point pt;
	struct osm_markpt mp;
	s32 j;

	for (j = 0; j < 30 * 16; j++)
		w->power[j] = (s32)bias;
	osm_thermal_laser(&w->th, w->power, 30 * 16);
	osm_thermal_point(&w->th, w->power, 30 * 16, 15 * 16, w->hist[0],
			  w->sbuf[0], &pt);
	osm_mark_point(&w->kin, w->hist[0], &pt, &mp);
	*melted = mp.melted;
	return osm_mark_erase_q16(&w->kin, &mp, width_nm);
}

/*
 * The erase level of a rewritable layer, epsilon = Pe/Pw, as a disc's
 * tables carry it per speed: the middle of the erase window, the levels of
 * 0.30 .. 0.90 Pw (steps of 0.01, the resolution of the disc's epsilon
 * field) whose long stretch erases at least 99 % of an old mark as wide as
 * the spot without melting the film (the kinetics decide: time above Tx
 * against the complete-erase time, or the rim's growth against the mark's
 * half-width). A level that melts the film erases only what recrystallises
 * as it cools (osm_mark_erase_q16()). Without such a window, the level that
 * erases most. Q16.
 */
static u32 osm_compile_epsilon(struct osm_work *w, const struct osm_stack *st)
{
	u32 k, e, lo = 0, hi = 0, best = 65, beste = 0;
	bool melted;

	for (k = 30; k <= 90; k++) {
		e = osm_erase_at(w, w->lv.write * k / 100, osm_stack_spot_nm(st),
				 &melted);
		if (e >= OSM_Q16 * 99 / 100 && !melted) {
			if (!lo)
				lo = k;
			hi = k;
		}
		if (e > beste) {
			beste = e;
			best = k;
		}
	}
	if (lo)
		return (OSM_Q16 * (lo + hi)) / 200;
	return (OSM_Q16 * best) / 100;
}

/*
 * The castle plateau Pm, checked against what it must do: keep the film
 * molten (phase change) or mixing (write-once) between the top and the
 * last pulse of a long mark, and write the mark as wide in its middle as
 * under the top pulse (neither a waist nor a teardrop). Of Pm = 8/16 ..
 * 16/16 Pw, the one that keeps an 8T mark between long spaces continuous
 * with the least difference between its width at its middle and at its
 * front; where none keeps it continuous, Pw (a single pulse).
 */
static void osm_compile_plateau(struct osm_work *w, bool phase_change)
{
	struct osm_pattern p;
	u32 k, best = 16, bestd = ~0U;
	s32 m0;

	if (w->strategy != OSM_STRAT_CASTLE)
		return;
	osm_fill_pattern(w, &p, 5, 8, 5, false);
	m0 = osm_strategy_mark_start(&p);
	for (k = 8; k <= 16; k++) {
		u32 front, mid, d;

		w->lv.middle = w->lv.write * k / 16;
		osm_run_pattern(w, &p);
		if (phase_change ? !osm_melted_over(w, m0 + 24, m0 + 6 * 16 + 8) :
		    osm_hollow_over(w, m0, m0 + 8 * 16))
			continue;
		front = osm_width_over(w, m0 + 8, m0 + 24);
		mid = osm_width_over(w, m0 + 3 * 16, m0 + 5 * 16);
		d = front > mid ? front - mid : mid - front;
		if (d < bestd) {
			bestd = d;
			best = k;
		}
	}
	w->lv.middle = w->lv.write * best / 16;
}

static s32 osm_compile_slice(struct osm_work *w, const struct osm_pattern *p)
{
	s32 npts = osm_run_pattern(w, p), j, mx = 0;

	for (j = 0; j < 4 * npts; j++)
		if (w->sig[j] > mx)
			mx = w->sig[j];
	w->rl.slice = mx / 2;
	w->rl.limit = (s32)(((u64)mx * w->rd.lim_q16) >> 16);
	mx = 0;
	for (j = 0; j < npts; j++)
		if ((s32)w->m[j] > mx)
			mx = w->m[j];
	w->m_half = mx / 2;
	return npts;
}

/**
 * osm_compile() - compile a layer's write setting into a table
 * @in: the setting
 * @out: the table
 * @work: osm_compile_workspace_size() bytes of scratch
 *
 * Takes some 12-15 ms on one core with @in->tune (the disc's tables), 27-44
 * ms when it tunes the strategy itself; no allocation, no global state.
 *
 * Return: 0, or -EINVAL for a setting outside the model's range (@out is
 * then unchanged).
 */
int osm_compile(const struct osm_compile_in *in, struct osm_table *out,
		void *work)
{
	struct osm_work *w = work;
	const struct osm_stack *st = in->stack;
	const struct osm_layer_stack *l;
	struct osm_pattern p;
	s32 npts, slice, m0, j;
	u32 sp, n, sn;
	int ret;

	if (in->mode == OSM_MODE_CURRENT)
		return osm_joule_compile(in, out, work);
	if (in->mode != OSM_MODE_LASER || !st || !w || osm_stack_validate(st) ||
	    in->layer >= st->layers)
		return -EINVAL;
	if (in->velocity_mms < 1000 || in->velocity_mms > 60000 ||
	    !osm_power_valid(in->write_uw) ||
	    in->bias_uw > in->write_uw || in->strategy > OSM_STRAT_CASTLE ||
	    in->channel_bit_pm < 20000 || in->channel_bit_pm > 200000)
		return -EINVAL;
	l = &st->layer[in->layer];
	ret = osm_thermal_setup(&w->th, st, in->layer, in->velocity_mms,
				in->channel_bit_pm);
	if (ret)
		return ret;
	ret = osm_readout_setup(&w->rd, st, in->layer, w->th.step_pm);
	if (ret)
		return ret;
	osm_kin_setup(&w->kin, l, w->th.dt_ps);
	w->strategy = osm_strategy_resolve(st, in->layer, in->strategy,
					   in->velocity_mms);
	osm_strategy_levels(st, w->strategy, in->write_uw, in->bias_uw, &w->lv);
	/* the erase level: the tuned epsilon, unless the setting names one */
	w->eps_q16 = 0;
	if (st->rewritable && !in->bias_uw) {
		w->eps_q16 = in->tune ? in->tune->eps_q16 : 0;
		if (!w->eps_q16)
			w->eps_q16 = osm_compile_epsilon(w, st);
		osm_strategy_levels(st, w->strategy, in->write_uw,
				    (u32)(((u64)in->write_uw * w->eps_q16) >> 16),
				    &w->lv);
	}

	/*
	 * reference: an 8T mark between long spaces; the slice level is half
	 * its signal (the DC level of a DC-free code), the equaliser's limit
	 * a fixed share of it. Taken before and after the adaptive tuning.
	 */
	w->rl.slice = 0;
	if (in->tune) {
		for (j = 0; j < 16; j++) {
			w->ds[j / 4][j % 4] = in->tune->dtop[j / 4][j % 4];
			w->de[j / 4][j % 4] = in->tune->dlast[j / 4][j % 4];
		}
		if (w->strategy == OSM_STRAT_CASTLE && in->tune->middle_q16)
			w->lv.middle = (u32)(((u64)in->write_uw *
					      in->tune->middle_q16) >> 16);
	} else {
		osm_compile_plateau(w, st->rewritable);
	}
	osm_fill_pattern(w, &p, 5, 8, 5, false);
	osm_compile_slice(w, &p);
	if (!in->tune)
		osm_compile_adapt(w);
	else if (w->strategy == OSM_STRAT_MULTI)
		w->lv.delay = in->tune->delay;
	osm_fill_pattern(w, &p, 5, 8, 5, true);
	slice = w->rl.slice;
	npts = osm_compile_slice(w, &p);
	w->rl.slice = slice;
	m0 = osm_strategy_mark_start(&p);
	out->peak_temp_k = 0;
	for (j = m0 / 4; j < (m0 + 8 * 16) / 4; j++)
		if (w->row[j].peak > (s32)out->peak_temp_k)
			out->peak_temp_k = w->row[j].peak;
	out->peak_temp_k >>= OSM_TQ;
	out->width_nm = osm_width_over(w, m0 + 3 * 16, m0 + 5 * 16);
	out->rear_nm = osm_width_over(w, m0 + 7 * 16, m0 + 8 * 16);
	out->diel_width_nm = osm_widest(w, m0 + 3 * 16, m0 + 5 * 16, true);
	out->diel_rear_nm = osm_widest(w, m0 + 7 * 16, m0 + 8 * 16, true);

	for (sp = 0; sp < OSM_RLL_SPACES; sp++)
		for (n = 2; n <= 9; n++)
			for (sn = 0; sn < OSM_RLL_SPACES; sn++) {
				struct osm_entry *e = &out->entry[osm_rll_bin(sp, n, sn)];
				s32 pl, pt;
				u32 sl, st2;
				u64 v;

				osm_fill_pattern(w, &p, sp + 2, n, sn + 2, true);
				npts = osm_run_pattern(w, &p);
				m0 = osm_strategy_mark_start(&p);
				e->flags = 0;
				e->width_nm = (u16)osm_width_over(w, m0 + (s32)n * 8 - 8,
								  m0 + (s32)n * 8 + 8);
				e->rear_nm = (u16)osm_width_over(w, m0 + (s32)n * 16 - 16,
								 m0 + (s32)n * 16);
				if (!slice || !osm_width_over(w, m0, m0 + (s32)n * 16))
					e->flags |= OSM_E_NOMARK;
				if (osm_hollow_over(w, m0, m0 + (s32)n * 16))
					e->flags |= OSM_E_HOLLOW;
				if (!osm_read_edges(w, npts, m0, sp + 2, n, sn + 2,
						    &pl, &sl, &pt, &st2)) {
					s32 dl = (pl - m0 * 256) / 16;
					s32 dt = (pt - (m0 + (s32)n * 16) * 256) / 16;
					u64 sgl = osm_div64((u64)w->rd.noise_q16 * 16, sl);
					u64 sgt = osm_div64((u64)w->rd.noise_q16 * 16, st2);

					if (osm_split_between(w, npts, pl, pt))
						e->flags |= OSM_E_SPLIT;
					e->lead = (s16)clamp(dl, -32767, 32767);
					e->trail = (s16)clamp(dt, -32767, 32767);
					if (sgl > 128 || sgt > 128)
						e->flags |= OSM_E_UNRESOLVED;
					v = (sgl * sgl + sgt * sgt) / 2;
					e->var = v > 0xffffffffULL ? 0xffffffffU : (u32)v;
				} else {
					e->flags |= OSM_E_UNRESOLVED;
					e->lead = 0;
					e->trail = 0;
					e->var = 128 * 128;
				}
			}

	out->hollow = !!(out->entry[osm_rll_bin(3, 8, 3)].flags & OSM_E_SYMBOL_ERROR);
	out->erase_q16 = 0;
	if (st->rewritable) {
		bool melted;

		out->erase_q16 = osm_erase_at(w, w->lv.bias, out->width_nm ?
					      out->width_nm :
					      osm_stack_spot_nm(st), &melted);
	}
	out->xtalk_q16 = osm_xtalk_q16(st, osm_stack_spot_nm(st), out->width_nm);
	out->strategy = w->strategy;
	out->write_uw = in->write_uw;
	out->bias_uw = w->lv.bias;
	out->velocity_mms = in->velocity_mms;
	out->layer = in->layer;
	out->rewritable = st->rewritable;
	out->noise_q16 = l->noise_q16;
	out->signal_q16 = w->rd.signal_q16;
	out->spot_nm = osm_stack_spot_nm(st);
	if (st->rewritable)
		osm_wear_setup(l, out->peak_temp_k, out->spot_nm,
			       in->channel_bit_pm, &out->wear);
	else
		osm_memset(&out->wear, 0, sizeof(out->wear));
	out->tau_f_ps = w->th.tau_f_ps;
	out->gain_mk = osm_thermal_gain_mk(&w->th);
	for (j = 0; j < 16; j++) {
		out->tune.dtop[j / 4][j % 4] = (s8)w->ds[j / 4][j % 4];
		out->tune.dlast[j / 4][j % 4] = (s8)w->de[j / 4][j % 4];
	}
	out->tune.delay = w->lv.delay;
	out->tune.middle_q16 = (u32)osm_div64((u64)w->lv.middle << 16,
					      in->write_uw);
	out->tune.eps_q16 = w->eps_q16;
	out->tune.tune_uw = in->tune ? in->tune->tune_uw : in->write_uw;
	return 0;
}
