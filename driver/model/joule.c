// SPDX-License-Identifier: GPL-2.0
/*
 * Current-pulse (Joule) recording, P4 claims 21 and 32: a current I through
 * the recording film between two electrodes of contact side s heats the
 * film's cell with P = I^2 R, R = rho d / s^2 (rho the film's resistivity in
 * its conducting state, d its thickness). The cell is lumped: it holds the
 * layer's areal heat capacity C and loses heat into the electrodes and
 * dielectrics through the layer's conductance G, as the fast pole of the
 * laser's thermal model (thermal.c), so
 *
 *	dT/dt = (T_ss - T) / tau,  T_ss = I^2 rho d / (G s^4),  tau = C / G.
 *
 * The kinetics are those of laser recording (mark.c's rate tables):
 *
 * - amorphize: a pulse Ia of width ta = 4 tau (98 % of the steady rise;
 *   longer only adds heat) melts the cell; after it the cell cools with
 *   tau, and the mark stays amorphous when the crystallization during the
 *   quench stays below half (nucleation) or the regrowth from the rim stays
 *   below the cell's half side (growth);
 * - crystallize: a lower pulse Ic holds the cell below the melting point,
 *   inside the crystallization window, for tc, until 90 % of it has
 *   crystallized.
 *
 * The drive's optimum Ia sits at the geometric centre of the window
 * between the lowest current that melts the cell within ta and the one that
 * heats it to the boiling point of tellurium (1261 K, film damage: above it
 * the cell is ablated and holds no mark the reader can decode). Ic holds
 * the cell at Tm / 1.21 so that a current 10 % high still does not melt
 * it. Both follow the current: a different Ia scales Ic alike, with the
 * optimum's pulse widths.
 */
#include "joule.h"
#include "strategy.h"
#include "mark.h"
#include "readout.h"
#include "fixmath.h"

#define OSM_JOULE_DT_PS		50
/* Longest crystallizing pulse searched, ps. */
#define OSM_JOULE_TC_MAX_PS	5000000
/* Boiling point of Te, 1261 K, as a rise above ambient. */
#define OSM_JOULE_DAMAGE_K	(1261 - OSM_AMBIENT_K)

struct osm_joule_work {
	struct osm_kin kin;
	struct osm_readout rd;
};

/**
 * osm_joule_workspace_size() - scratch memory the calls here need
 *
 * Return: bytes.
 */
size_t osm_joule_workspace_size(void)
{
	return sizeof(struct osm_joule_work);
}

static u64 osm_side4(void)
{
	u64 s = OSM_JOULE_ELECTRODE_NM;

	return s * s * s * s;
}

/*
 * Steady rise, K in Q16, for a current in uA: I^2 rho d / (G s^4) with rho
 * in uOhm m, d and s in nm, G in MW/(m^2 K): x 1e(-12-6-9+36-6) = 1e3.
 */
static s64 osm_joule_tss(const struct osm_layer_stack *l, u32 i_ua)
{
	u64 num = (u64)i_ua * i_ua * l->rho_uohm_m * l->thickness_nm * 1000;

	return (s64)(osm_div64(num << 4, (u64)l->sink_g * osm_side4()) << 12);
}

/* the current whose steady rise is tss (K, Q16) */
static u32 osm_joule_current(const struct osm_layer_stack *l, s64 tss)
{
	u64 num = osm_div64((u64)(tss >> 12) * l->sink_g * osm_side4(),
			    (u64)l->rho_uohm_m * l->thickness_nm * 1000 * 16);

	return int_sqrt64(num) + 1;
}

struct osm_joule_run {
	s64 peak;	/* K, Q16 */
	bool melted;
	u64 u;		/* nucleation: JMAK progress after the last melt, Q24 */
	u64 grow;	/* growth: distance after the last melt, pm Q8 */
};

/* one step of the cell towards tss, with the kinetics */
static void osm_joule_step(const struct osm_kin *k, s64 *t, s64 tss, u32 a,
			   struct osm_joule_run *r)
{
	s64 tk;

	*t += ((tss - *t) * (s64)(OSM_Q16 - a)) >> 16;
	if (*t > r->peak)
		r->peak = *t;
	tk = *t >> 16;
	if (tk >= k->t_melt >> OSM_TQ) {
		r->melted = true;
		r->u = 0;
		r->grow = 0;
		return;
	}
	if (tk < 0 || tk >= OSM_KIN_TMAX)
		return;
	if (k->kind == OSM_KIN_NUCLEATION)
		r->u += k->rate[tk];
	else
		r->grow += k->rate[tk];
}

/* a pulse of tss for steps, then the cooling below the onset */
static void osm_joule_pulse(const struct osm_kin *k, u32 a, s64 tss, u32 steps,
			    struct osm_joule_run *r)
{
	s64 t = 0, tx = (s64)(k->t_cryst >> OSM_TQ) << 16;
	u32 i;

	osm_memset(r, 0, sizeof(*r));
	for (i = 0; i < steps; i++)
		osm_joule_step(k, &t, tss, a, r);
	while (t >= tx)
		osm_joule_step(k, &t, 0, a, r);
}

/* crystallized share of the cell after a run (Q16) */
static u32 osm_joule_cryst_q16(const struct osm_kin *k, const struct osm_joule_run *r)
{
	u64 half = (u64)OSM_JOULE_ELECTRODE_NM * 1000 / 2 << 8;
	s64 lg, un;

	if (k->kind != OSM_KIN_NUCLEATION)
		return r->grow >= half ? OSM_Q16 : (u32)osm_div64(r->grow << 16, half);
	if (!r->u)
		return 0;
	/* X = 1 - exp(-u^n): u^n = 2^(n log2 u), u in Q24 */
	lg = (s64)osm_log2_q16(r->u) - (24LL << 16);
	un = (lg * k->avrami_q8) >> 8;
	if (un > (14LL << 16))
		return OSM_Q16;
	return OSM_Q16 - osm_expneg_q16((u32)osm_exp2_q16((s32)un));
}

static bool osm_joule_amorphous(const struct osm_kin *k, const struct osm_joule_run *r)
{
	return r->melted && osm_joule_cryst_q16(k, r) < OSM_Q16 / 2;
}

static int osm_joule_check(const struct osm_stack *st, u32 layer)
{
	const struct osm_layer_stack *l;

	if (!st || layer >= st->layers || layer >= 2 || !st->rewritable)
		return -EINVAL;
	l = &st->layer[layer];
	if (l->kinetics == OSM_KIN_MIXING || !l->rho_uohm_m || !l->sink_g ||
	    !l->thickness_nm)
		return -EINVAL;
	return 0;
}

/**
 * osm_joule_optimum() - the drive's current pulses for a layer
 * @st: the medium (rewritable)
 * @layer: layer index (0 = L0)
 * @j: the pulses
 * @work: osm_joule_workspace_size() bytes of scratch
 *
 * Return: 0, or -EINVAL for a layer current recording cannot write (write
 * once, no resistivity, no amorphizing current below the damage point, or
 * no crystallizing pulse within 5 us).
 */
int osm_joule_optimum(const struct osm_stack *st, u32 layer,
		      struct osm_joule *j, void *work)
{
	struct osm_joule_work *w = work;
	const struct osm_layer_stack *l;
	struct osm_joule_run r;
	u32 a, steps, tau, i;
	s64 tm, tss, t = 0;
	u64 ak;
	int ret;

	ret = osm_joule_check(st, layer);
	if (ret)
		return ret;
	l = &st->layer[layer];
	osm_kin_setup(&w->kin, l, OSM_JOULE_DT_PS);
	tau = l->heat_cap / l->sink_g;
	a = osm_expneg_q16((u32)osm_div64((u64)OSM_JOULE_DT_PS << 16, tau));
	steps = 4 * tau / OSM_JOULE_DT_PS;
	j->ta_ps = steps * OSM_JOULE_DT_PS;
	/* melt within ta: T_ss (1 - a^steps) >= Tm */
	ak = OSM_Q16;
	for (i = 0; i < steps; i++)
		ak = (ak * a) >> 16;
	tm = (s64)l->t_melt_k << 16;
	tss = (s64)osm_div64((u64)tm << 16, OSM_Q16 - ak);
	j->melt_ua = osm_joule_current(l, tss);
	for (i = 0; i < 64; i++, j->melt_ua += j->melt_ua / 256 + 1) {
		osm_joule_pulse(&w->kin, a, osm_joule_tss(l, j->melt_ua), steps, &r);
		if (osm_joule_amorphous(&w->kin, &r))
			break;
	}
	if (i == 64)
		return -EINVAL;
	tss = (s64)osm_div64((u64)OSM_JOULE_DAMAGE_K << 32, OSM_Q16 - ak);
	j->max_ua = osm_joule_current(l, tss);
	if (j->max_ua <= j->melt_ua)
		return -EINVAL;
	j->ia_ua = int_sqrt64((u64)j->melt_ua * j->max_ua);
	/* Ic: steady at Tm / 1.21; tc: until 90 % crystallized */
	j->ic_ua = osm_joule_current(l, osm_div64((u64)tm * 100, 121));
	tss = osm_joule_tss(l, j->ic_ua);
	osm_memset(&r, 0, sizeof(r));
	for (i = 0; i < OSM_JOULE_TC_MAX_PS / OSM_JOULE_DT_PS; i++) {
		osm_joule_step(&w->kin, &t, tss, a, &r);
		if (osm_joule_cryst_q16(&w->kin, &r) >= OSM_Q16 * 9 / 10)
			break;
	}
	if (i == OSM_JOULE_TC_MAX_PS / OSM_JOULE_DT_PS)
		return -EINVAL;
	j->tc_ps = (i + 1) * OSM_JOULE_DT_PS;
	return 0;
}

/**
 * osm_joule_pulses() - the pulses at a current and what they do
 * @st: the medium (rewritable)
 * @layer: layer index
 * @current_ua: Ia; 0 for the optimum. Ic scales with it.
 * @j: the pulses
 * @c: what they leave in the cell
 * @work: osm_joule_workspace_size() bytes of scratch
 *
 * Return: 0, or -EINVAL as osm_joule_optimum().
 */
int osm_joule_pulses(const struct osm_stack *st, u32 layer, u32 current_ua,
		     struct osm_joule *j, struct osm_joule_cell *c, void *work)
{
	struct osm_joule_work *w = work;
	const struct osm_layer_stack *l;
	struct osm_joule_run r;
	u32 a, tau;
	int ret;

	ret = osm_joule_optimum(st, layer, j, work);
	if (ret)
		return ret;
	l = &st->layer[layer];
	if (current_ua) {
		j->ic_ua = (u32)osm_div64((u64)j->ic_ua * current_ua, j->ia_ua);
		j->ia_ua = current_ua;
	}
	tau = l->heat_cap / l->sink_g;
	a = osm_expneg_q16((u32)osm_div64((u64)OSM_JOULE_DT_PS << 16, tau));
	osm_joule_pulse(&w->kin, a, osm_joule_tss(l, j->ia_ua),
			j->ta_ps / OSM_JOULE_DT_PS, &r);
	c->peak_k = (u32)(r.peak >> 16);
	c->amorphous = osm_joule_amorphous(&w->kin, &r);
	c->damaged = c->peak_k >= OSM_JOULE_DAMAGE_K;
	osm_joule_pulse(&w->kin, a, osm_joule_tss(l, j->ic_ua),
			j->tc_ps / OSM_JOULE_DT_PS, &r);
	c->cryst_q16 = r.melted && osm_joule_amorphous(&w->kin, &r) ? 0 :
		       osm_joule_cryst_q16(&w->kin, &r);
	return 0;
}

/**
 * osm_joule_compile() - a layer's table in current mode
 * @in: the setting: @in->current_ua (0: the optimum); velocity and
 *	channel bit as in laser mode, strategy and powers unused
 * @out: the table
 * @work: osm_compile_workspace_size() bytes of scratch (at least
 *	osm_joule_workspace_size())
 *
 * Each mark is written cell by cell under the electrode: its edges are
 * the electrode's, so a formed mark adds no edge shift and only the
 * layer's noise floor to the jitter; a mark that does not form is lost
 * to the reader (OSM_E_NOMARK, OSM_E_UNRESOLVED), and so is a cell whose
 * peak reached the film's boiling point (ablated). The erase share is what
 * the crystallizing pulse recrystallizes. The marks are read optically as
 * in laser mode.
 *
 * Return: 0, or -EINVAL (@out is then unchanged).
 */
int osm_joule_compile(const struct osm_compile_in *in, struct osm_table *out,
		      void *work)
{
	struct osm_joule_work *w = work;
	const struct osm_stack *st = in->stack;
	struct osm_joule_cell c;
	struct osm_joule j;
	u32 b;
	int ret;

	if (osm_compile_workspace_size() < sizeof(*w) || !st ||
	    in->velocity_mms < 1000 || in->velocity_mms > 60000 ||
	    in->channel_bit_pm < 20000 || in->channel_bit_pm > 200000 ||
	    osm_stack_validate(st))
		return -EINVAL;
	if (in->current_ua && (in->current_ua < OPTSIM_CURRENT_MIN_UA ||
			       in->current_ua > OPTSIM_CURRENT_MAX_UA))
		return -EINVAL;
	ret = osm_joule_pulses(st, in->layer, in->current_ua, &j, &c, work);
	if (ret)
		return ret;
	ret = osm_readout_setup(&w->rd, st, in->layer,
				in->channel_bit_pm / OSM_SUB);
	if (ret)
		return ret;
	osm_memset(out, 0, sizeof(*out));
	for (b = 0; b < OSM_RLL_BINS; b++) {
		struct osm_entry *e = &out->entry[b];

		if (c.amorphous && !c.damaged) {
			e->width_nm = OSM_JOULE_ELECTRODE_NM;
			e->rear_nm = OSM_JOULE_ELECTRODE_NM;
		} else {
			e->flags = OSM_E_NOMARK | OSM_E_UNRESOLVED;
			e->var = 128 * 128;
		}
	}
	out->strategy = OSM_STRAT_SINGLE;
	out->write_uw = in->write_uw;
	out->velocity_mms = in->velocity_mms;
	out->layer = in->layer;
	out->rewritable = 1;
	out->peak_temp_k = c.peak_k;
	out->width_nm = c.amorphous && !c.damaged ? OSM_JOULE_ELECTRODE_NM : 0;
	out->rear_nm = out->width_nm;
	out->erase_q16 = c.cryst_q16;
	out->noise_q16 = st->layer[in->layer].noise_q16;
	osm_wear_setup(&st->layer[in->layer], c.peak_k, osm_stack_spot_nm(st),
		       in->channel_bit_pm, &out->wear);
	out->signal_q16 = w->rd.signal_q16;
	out->spot_nm = OSM_JOULE_ELECTRODE_NM;
	out->tau_f_ps = st->layer[in->layer].heat_cap / st->layer[in->layer].sink_g;
	return 0;
}
