// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl simulate - run the recording model of driver/model/ in
 * userspace, with no device and no module: the same code the driver runs
 * on every write, linked into optsimctl.
 *
 * One setting: osm_model_simulate() (OPC for the optimum power, then a
 * write of a few random clusters). A power sweep runs OPC once and hands
 * its answer to osm_model_simulate() for every point, which then skips
 * OPC: a point costs one table compile (~40 ms) instead of a whole OPC
 * (~1-2 s).
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "limits.h"
#include "geometry.h"

#include "json.h"
#include "names.h"
#include "optsimctl.h"
#include "outfile.h"
#include "svg.h"
#include "units.h"

/* Points of the sweep that --svg draws when no --sweep is given. */
#define SVG_DEFAULT_STEPS	40
/* Clusters and seed of every simulated write (those of osm_model_simulate). */
#define SIM_CLUSTERS		4

struct sim {
	struct osm_stack stack;
	struct osm_sim_params p;
	const char *media;
	struct param_change chg;	/* velocity, strategy, power, bias */
	uint32_t layer;
	uint32_t wavelength;		/* nm, 0: the preset's */
	uint32_t na;			/* NA x 1000, 0: the preset's */
	uint32_t thickness;		/* nm of the layer's film, 0: the preset's */
	int32_t cover_err;		/* nm of cover thickness error */
	uint32_t gap;			/* nm of near-field air gap */
	uint32_t groove_depth;		/* nm of land/groove step */
	bool groove_depth_set;
	uint32_t cycles;
	bool sweep;
	uint64_t from, to, step;	/* uW */
	uint64_t points;
	const char *svg;
	struct osm_opc_result opc;	/* OPC of a sweep */
};

struct sweep_point {
	uint32_t power_uw;
	struct osm_sim_result r;
};

static char *media_list(void)
{
	static char buf[256];
	const char *name;
	size_t len = 0;
	uint32_t i;

	buf[0] = '\0';
	for (i = 0; (name = osm_stack_preset_name(i)); i++) {
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
					i ? ", " : "", name);
		if (len >= sizeof(buf))
			break;
	}
	return buf;
}

static void sim_opt_media(struct sim *s, const char *arg)
{
	if (osm_stack_preset(&s->stack, arg))
		errx(EXIT_FAILURE, "unknown media type '%s' (expected %s)", arg,
		     media_list());
	s->media = arg;
}

static void sim_opt_wavelength(struct sim *s, const char *arg)
{
	uint64_t v;
	int ret = parse_u64(arg, &v);

	if (ret == -EINVAL)
		errx(EXIT_FAILURE, "invalid wavelength '%s' (expected whole nm, e.g. 405)",
		     arg);
	if (ret || v < WAVELENGTH_MIN_NM || v > WAVELENGTH_MAX_NM)
		errx(EXIT_FAILURE, "wavelength %s nm out of range (%u..%u nm)",
		     arg, WAVELENGTH_MIN_NM, WAVELENGTH_MAX_NM);
	s->wavelength = (uint32_t)v;
}

static void sim_opt_na(struct sim *s, const char *arg)
{
	uint64_t v;
	int ret = parse_fixed(arg, 3, &v);

	if (ret == -EINVAL)
		errx(EXIT_FAILURE,
		     "invalid NA '%s' (expected a number with at most 3 decimals, e.g. 0.85)",
		     arg);
	if (ret || v < NA_MIN_MILLI || v > NA_MAX_MILLI)
		errx(EXIT_FAILURE, "NA %s out of range (0.1..2.0)", arg);
	s->na = (uint32_t)v;
}

void sim_thickness_range(char *buf, size_t len)
{
	snprintf(buf, len, "%u to %u", OSM_FILM_MIN_NM, OSM_FILM_MAX_NM);
}

void sim_cover_ranges(char *buf, size_t len, bool gap)
{
	if (gap)
		snprintf(buf, len, "0 to %u", OSM_GAP_MAX_NM);
	else
		snprintf(buf, len, "-%u to %u", OSM_COVER_ERR_MAX_NM / 1000,
			 OSM_COVER_ERR_MAX_NM / 1000);
}

static void sim_opt_thickness(struct sim *s, const char *arg)
{
	uint64_t v;
	int ret = parse_u64(arg, &v);

	if (ret == -EINVAL)
		errx(EXIT_FAILURE,
		     "invalid layer thickness '%s' (expected whole nm, e.g. 9)", arg);
	if (ret || v < OSM_FILM_MIN_NM || v > OSM_FILM_MAX_NM)
		errx(EXIT_FAILURE, "layer thickness %s nm out of range (%u..%u nm)",
		     arg, OSM_FILM_MIN_NM, OSM_FILM_MAX_NM);
	s->thickness = (uint32_t)v;
}

static void sim_opt_cover_error(struct sim *s, const char *arg)
{
	bool neg = arg[0] == '-';
	uint64_t v;
	int ret = parse_fixed(arg + neg, 3, &v);

	if (ret == -EINVAL)
		errx(EXIT_FAILURE,
		     "invalid cover error '%s' (expected um with at most 3 decimals, e.g. -5)",
		     arg);
	if (ret || v > OSM_COVER_ERR_MAX_NM)
		errx(EXIT_FAILURE, "cover error %s um out of range (-%u..%u um)",
		     arg, OSM_COVER_ERR_MAX_NM / 1000, OSM_COVER_ERR_MAX_NM / 1000);
	s->cover_err = neg ? -(int32_t)v : (int32_t)v;
}

static void sim_opt_gap(struct sim *s, const char *arg)
{
	uint64_t v;
	int ret = parse_u64(arg, &v);

	if (ret == -EINVAL)
		errx(EXIT_FAILURE, "invalid gap '%s' (expected whole nm, e.g. 20)",
		     arg);
	if (ret || v > OSM_GAP_MAX_NM)
		errx(EXIT_FAILURE, "gap %s nm out of range (0..%u nm)", arg,
		     OSM_GAP_MAX_NM);
	s->gap = (uint32_t)v;
}

static void sim_opt_groove_depth(struct sim *s, const char *arg)
{
	uint64_t v;
	int ret = parse_u64(arg, &v);

	if (ret == -EINVAL)
		errx(EXIT_FAILURE,
		     "invalid groove depth '%s' (expected whole nm, e.g. 38)", arg);
	if (ret || v > OSM_GROOVE_DEPTH_MAX_NM)
		errx(EXIT_FAILURE, "groove depth %s nm out of range (0..%u nm)",
		     arg, OSM_GROOVE_DEPTH_MAX_NM);
	s->groove_depth = (uint32_t)v;
	s->groove_depth_set = true;
}

void sim_groove_depth_range(char *buf, size_t len)
{
	snprintf(buf, len, "0 to %u", OSM_GROOVE_DEPTH_MAX_NM);
}

static void sim_opt_cycles(struct sim *s, const char *arg)
{
	uint64_t v;
	int ret = parse_u64(arg, &v);

	if (ret == -EINVAL)
		errx(EXIT_FAILURE, "invalid cycles '%s' (expected a whole number)",
		     arg);
	if (ret || v > UINT32_MAX)
		errx(EXIT_FAILURE, "cycles %s out of range (0..%u)", arg,
		     UINT32_MAX);
	s->cycles = (uint32_t)v;
}

static void sim_opt_sweep(struct sim *s, const char *arg)
{
	char a[FIXED_BUFSZ], b[FIXED_BUFSZ];
	int ret = parse_sweep(arg, "power", 3, &s->from, &s->to, &s->step);

	if (ret)
		errx(EXIT_FAILURE,
		     "invalid sweep '%s' (expected power:FROM:TO:STEP in mW with at most 3 decimals, FROM <= TO, STEP > 0, e.g. power:4:12:0.5)",
		     arg);
	if (!s->step)
		errx(EXIT_FAILURE, "sweep step must be above 0 mW");
	if (s->from > s->to)
		errx(EXIT_FAILURE, "sweep from %s mW is above its end %s mW",
		     fmt_fixed(a, sizeof(a), s->from, 3, true),
		     fmt_fixed(b, sizeof(b), s->to, 3, true));
	if (s->from < OPTSIM_POWER_MIN_UW || s->to > OPTSIM_POWER_MAX_UW)
		errx(EXIT_FAILURE, "sweep %s..%s mW out of range (%s)",
		     fmt_fixed(a, sizeof(a), s->from, 3, true),
		     fmt_fixed(b, sizeof(b), s->to, 3, true),
		     power_range(OPTSIM_POWER_MIN_UW));
	s->points = (s->to - s->from) / s->step + 1;
	if (s->points > SWEEP_MAX_POINTS)
		errx(EXIT_FAILURE, "sweep of %llu points is too long (at most %u)",
		     (unsigned long long)s->points, SWEEP_MAX_POINTS);
	s->sweep = true;
}

/* sim_setup() - every check that needs no model run, then the params. */
static void sim_setup(struct sim *s)
{
	char a[FIXED_BUFSZ];
	int ret;

	if (!s->media)
		errx(EXIT_FAILURE, "simulate: --media is required (%s)",
		     media_list());
	if (s->layer >= s->stack.layers)
		errx(EXIT_FAILURE, "layer %u not present (%s has %u layer%s)",
		     s->layer, s->stack.name, s->stack.layers,
		     s->stack.layers == 1 ? "" : "s");
	if (s->cycles && !s->stack.rewritable)
		errx(EXIT_FAILURE, "--cycles needs rewritable media (%s is write-once)",
		     s->stack.name);
	if (s->sweep && s->chg.power_set)
		errx(EXIT_FAILURE, "--sweep power and --power are mutually exclusive");
	param_check(&s->chg);
	if (s->chg.mode == OPTSIM_MODE_CURRENT && !s->stack.rewritable)
		errx(EXIT_FAILURE, "--mode current needs rewritable media (%s is write-once)",
		     s->stack.name);
	if (s->chg.mode == OPTSIM_MODE_CURRENT && s->sweep)
		errx(EXIT_FAILURE, "--sweep power does not apply to --mode current");
	if (s->wavelength || s->na) {
		uint32_t wl = s->wavelength ? s->wavelength : s->stack.wavelength_nm;
		uint32_t na = s->na ? s->na : s->stack.na_milli;

		ret = osm_stack_set_optics(&s->stack, s->wavelength, s->na);
		if (ret)
			errx(EXIT_FAILURE,
			     "the model refused the optics: %u nm, NA %s on %s: %s (%s)",
			     wl, fmt_fixed(a, sizeof(a), na, 3, true),
			     s->stack.name, strerror(-ret),
			     na > 950 && s->stack.cover != OSM_COVER_FILM ?
			     "an NA above 1 needs the near-field film: --media bd-r-nf" :
			     "outside the range the model accepts");
	}

	if (s->cover_err || s->gap) {
		ret = osm_stack_set_cover(&s->stack, s->cover_err, s->gap);
		if (ret)
			errx(EXIT_FAILURE,
			     "the model refused the cover: %d nm error, %u nm gap on %s (%s)",
			     s->cover_err, s->gap, s->stack.name,
			     s->gap && s->stack.na_milli <= 1000 ?
			     "a gap needs near-field optics (NA above 1): --media bd-r-nf" :
			     strerror(-ret));
	}
	if (s->groove_depth_set) {
		ret = osm_stack_set_groove_depth(&s->stack, s->groove_depth);
		if (ret)
			errx(EXIT_FAILURE,
			     "the model refused a %u nm groove depth on %s: %s",
			     s->groove_depth, s->stack.name,
			     s->stack.land_groove ? strerror(-ret) :
			     "it records in grooves only, with the neighbours at one level (land and groove: --media bd-r-nf)");
	}
	if (s->thickness) {
		ret = osm_stack_set_thickness(&s->stack, s->layer, s->thickness);
		if (ret)
			errx(EXIT_FAILURE,
			     "the model refused a %u nm film on %s L%u: %s",
			     s->thickness, s->stack.name, s->layer,
			     strerror(-ret));
	}

	memset(&s->p, 0, sizeof(s->p));
	s->p.stack = &s->stack;
	s->p.layer = s->layer;
	s->p.velocity_mms = s->chg.velocity_set ? s->chg.velocity :
						  OPTSIM_VELOCITY_1X_MMS;
	s->p.strategy = s->chg.strategy_set ? s->chg.strategy :
					      OPTSIM_STRATEGY_AUTO;
	s->p.write_uw = s->chg.power_set ? s->chg.write_power : 0;
	s->p.bias_uw = s->chg.bias_set ? s->chg.bias_power : 0;
	s->p.cycles = s->cycles;
	s->p.clusters = SIM_CLUSTERS;
	s->p.seed = 0;
	s->p.mode = s->chg.mode;
	s->p.current_ua = s->chg.current;
}

/* sim_die() - the model refused a run: say which setting and why. */
static void sim_die(const struct sim *s, int ret, uint32_t optimum_uw)
{
	char v[FIXED_BUFSZ], a[FIXED_BUFSZ], b[FIXED_BUFSZ];

	if (ret == -ENOMEM)
		errx(EXIT_FAILURE, "simulate: out of memory");
	if (ret == -EINVAL && s->p.bias_uw && !s->p.write_uw && optimum_uw &&
	    s->p.bias_uw > optimum_uw)
		errx(EXIT_FAILURE,
		     "bias power %s mW exceeds the optimum write power %s mW (give a lower --bias-power or a --power)",
		     fmt_fixed(a, sizeof(a), s->p.bias_uw, 3, false),
		     fmt_fixed(b, sizeof(b), optimum_uw, 3, false));
	errx(EXIT_FAILURE,
	     "simulate: the model refused the setting (%s L%u, %s m/s, strategy %s, %u nm, NA %s): %s",
	     s->stack.name, s->layer,
	     fmt_fixed(v, sizeof(v), s->p.velocity_mms, 3, false),
	     strategy_name(s->p.strategy), s->stack.wavelength_nm,
	     fmt_fixed(a, sizeof(a), s->stack.na_milli, 3, true),
	     strerror(ret < 0 ? -ret : ret));
}

/*
 * sim_point() - the simulated write at @power_uw, OPC's answer known; the
 * bias is limited to the write power, as in OPC's test writes.
 */
static int sim_point(const struct sim *s, uint32_t power_uw,
		     uint32_t optimum_uw, struct osm_sim_result *r)
{
	struct osm_sim_params p = s->p;

	memset(r, 0, sizeof(*r));
	p.write_uw = power_uw;
	if (p.bias_uw > power_uw)
		p.bias_uw = power_uw;
	p.optimum_uw = optimum_uw;
	p.tune = &s->opc.tune;
	return osm_model_simulate(&p, r);
}

/*
 * sim_optimum() - the power OPC chooses for the setting, uW; the strategy
 * it tuned is kept in @s for the sweep.
 */
static uint32_t sim_optimum(struct sim *s)
{
	struct osm_compile_in in = {
		.stack = s->p.stack, .layer = s->p.layer,
		.velocity_mms = s->p.velocity_mms, .strategy = s->p.strategy,
		.write_uw = 0, .bias_uw = s->p.bias_uw,
		.channel_bit_pm = OSM_GEO_REF_CHANNEL_BIT_PM,
	};
	int ret = osm_model_opc(&in, &s->opc);

	if (ret)
		sim_die(s, ret, 0);
	return s->opc.power_uw;
}

static struct sweep_point *sim_sweep(const struct sim *s, uint32_t optimum_uw,
				     struct osm_sim_result *at_optimum)
{
	struct sweep_point *pts = calloc(s->points, sizeof(*pts));
	uint64_t i;
	int ret;

	if (!pts)
		errx(EXIT_FAILURE, "out of memory");
	for (i = 0; i < s->points; i++) {
		pts[i].power_uw = (uint32_t)(s->from + i * s->step);
		ret = sim_point(s, pts[i].power_uw, optimum_uw, &pts[i].r);
		if (ret)
			sim_die(s, ret, optimum_uw);
	}
	if (at_optimum) {
		ret = sim_point(s, optimum_uw, optimum_uw, at_optimum);
		if (ret)
			sim_die(s, ret, optimum_uw);
	}
	return pts;
}

/* sim_limits() - the spec limits of the simulated layer (limits.c) */
static void sim_limits(const struct sim *s, struct osm_limits *l)
{
	if (osm_limits_get(s->stack.media, s->stack.layers, s->layer, l))
		errx(EXIT_FAILURE, "no spec limits for %s layer %u",
		     s->stack.name, s->layer);
}

static uint32_t sim_jitter_limit(const struct sim *s)
{
	struct osm_limits l;

	sim_limits(s, &l);
	return l.jitter_cpct;
}

static double ser_of(const struct osm_sim_result *r)
{
	return (double)r->ser_q32 / 4294967296.0;
}

/* 0.1 % units of a Q16 share */
static uint32_t pct_of_q16(uint32_t q16)
{
	return (uint32_t)(((uint64_t)q16 * 1000 + 32768) >> 16);
}

/* the simulated layer passes light on to another one */
static bool sim_near_layer(const struct sim *s)
{
	return s->stack.layers == 2 && s->layer == 1;
}

static void sim_json(const struct sim *s, const struct osm_sim_result *r)
{
	struct osm_limits lim;
	struct json j;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_string(&j, "media", s->stack.name);
	json_u64(&j, "layer", s->layer);
	json_u64(&j, "layers", s->stack.layers);
	json_u64(&j, "velocity_mms", s->p.velocity_mms);
	json_fixed(&j, "velocity_ms", s->p.velocity_mms, 3);
	json_fixed(&j, "speed_x", mms_to_milli_x(s->p.velocity_mms), 3);
	json_string(&j, "strategy", strategy_name(r->strategy));
	json_string(&j, "strategy_requested", strategy_name(s->p.strategy));
	json_u64(&j, "wavelength_nm", s->stack.wavelength_nm);
	json_fixed(&j, "na", s->stack.na_milli, 3);
	json_fixed(&j, "na_eff", osm_stack_na_eff_milli(&s->stack), 3);
	json_u64(&j, "spot_nm", osm_stack_spot_nm(&s->stack));
	json_double(&j, "cover_error_um", s->stack.cover_err_nm / 1000.0);
	json_u64(&j, "gap_nm", s->stack.gap_nm);
	if (s->stack.land_groove)
		json_u64(&j, "groove_depth_nm", s->stack.groove_depth_nm);
	else
		json_null(&j, "groove_depth_nm");
	json_fixed(&j, "crosstalk_jitter_pct",
		   ((uint64_t)r->xtalk_q16 * 10000 + 32768) >> 16, 2);
	json_u64(&j, "lambda_na_nm", s->stack.wavelength_nm * 1000U /
				     s->stack.na_milli);
	json_u64(&j, "cycles", s->cycles);
	json_string(&j, "mode", s->chg.mode == OPTSIM_MODE_CURRENT ?
		    OPTSIM_MODE_NAME_CURRENT : OPTSIM_MODE_NAME_LASER);
	if (s->chg.mode == OPTSIM_MODE_CURRENT) {
		json_fixed(&j, "current_ma", r->joule.ia_ua, 3);
		json_fixed(&j, "optimum_current_ma", r->optimum_current_ua, 3);
		json_fixed(&j, "pulse_amorphize_ns", r->joule.ta_ps, 3);
		json_fixed(&j, "crystallize_current_ma", r->joule.ic_ua, 3);
		json_fixed(&j, "pulse_crystallize_ns", r->joule.tc_ps, 3);
		json_fixed(&j, "melt_current_ma", r->joule.melt_ua, 3);
		json_fixed(&j, "damage_current_ma", r->joule.max_ua, 3);
	} else {
		json_null(&j, "optimum_current_ma");
	}
	json_u64(&j, "layer_thickness_nm", s->stack.layer[s->layer].thickness_nm);
	json_fixed(&j, "absorption_pct", pct_of_q16(s->stack.layer[s->layer].absorb_q16), 1);
	if (sim_near_layer(s))
		json_fixed(&j, "transmittance_pct",
			   pct_of_q16(osm_stack_near_trans_q16(&s->stack)), 1);
	else
		json_null(&j, "transmittance_pct");
	if (s->chg.mode == OPTSIM_MODE_CURRENT) {
		json_null(&j, "power_uw");
		json_null(&j, "power_mw");
		json_null(&j, "optimum_power_uw");
		json_null(&j, "optimum_power_mw");
	} else {
		json_u64(&j, "power_uw", r->power_uw);
		json_fixed(&j, "power_mw", r->power_uw, 3);
		json_u64(&j, "optimum_power_uw", r->optimum_uw);
		json_fixed(&j, "optimum_power_mw", r->optimum_uw, 3);
	}
	if (r->window_hi_uw) {
		json_array_begin(&j, "window_mw");
		json_fixed(&j, NULL, r->window_lo_uw, 3);
		json_fixed(&j, NULL, r->window_hi_uw, 3);
		json_array_end(&j);
	} else {
		json_null(&j, "window_mw");
	}
	json_fixed(&j, "tuned_at_mw", r->tune_uw, 3);
	if (s->p.bias_uw)
		json_fixed(&j, "bias_power_mw", s->p.bias_uw, 3);
	else
		json_null(&j, "bias_power_mw");
	json_u64(&j, "peak_temp_c", r->peak_temp_c);
	json_u64(&j, "mark_width_nm", r->mark_width_nm);
	json_u64(&j, "rear_width_nm", r->rear_width_nm);
	if (s->stack.rewritable) {
		json_null(&j, "dielectric_width_nm");
		json_null(&j, "dielectric_rear_nm");
	} else {
		json_u64(&j, "dielectric_width_nm", r->diel_width_nm);
		json_u64(&j, "dielectric_rear_nm", r->diel_rear_nm);
	}
	json_fixed(&j, "erase_pct", r->erase_cpct, 2);
	json_u64(&j, "signal_pct", r->signal_cpct);
	json_fixed(&j, "jitter_pct", r->jitter_cpct, 2);
	sim_limits(s, &lim);
	json_fixed(&j, "jitter_limit_pct", lim.jitter_cpct, 2);
	json_string(&j, "jitter_limit_equaliser",
		    osm_limits_equaliser_name(lim.equaliser));
	json_string(&j, "jitter_limit_source", lim.jitter_source);
	json_double(&j, "ser", ser_of(r));
	json_u64(&j, "ldc_max", r->ldc_max);
	json_u64(&j, "bis_max", r->bis_max);
	json_u64(&j, "unresolved_marks", r->unresolved);
	json_bool(&j, "readable", r->readable);
	json_object_end(&j);
	json_finish(&j);
}

/* "bd-r L0, 4.917 m/s (1x), multi" */
static void sim_setting(const struct sim *s, uint32_t strategy, char *buf,
			size_t len)
{
	char v[FIXED_BUFSZ], x[FIXED_BUFSZ];

	snprintf(buf, len, "%s L%u, %s m/s (%sx), %s", s->stack.name, s->layer,
		 fmt_fixed(v, sizeof(v), s->p.velocity_mms, 3, false),
		 fmt_fixed(x, sizeof(x), mms_to_milli_x(s->p.velocity_mms), 3,
			   true),
		 strategy_name(strategy));
}

static void sim_human(const struct sim *s, const struct osm_sim_result *r)
{
	char a[FIXED_BUFSZ], b[FIXED_BUFSZ], x[FIXED_BUFSZ];
	struct osm_limits lim;

	printf("media:             %s, layer %u of %u (%s)\n", s->stack.name,
	       s->layer, s->stack.layers,
	       s->stack.rewritable ? "rewritable" : "write-once");
	printf("velocity:          %s m/s (%sx)\n",
	       fmt_fixed(a, sizeof(a), s->p.velocity_mms, 3, false),
	       fmt_fixed(x, sizeof(x), mms_to_milli_x(s->p.velocity_mms), 3,
			 true));
	if (r->strategy != s->p.strategy)
		printf("strategy:          %s (%s)\n", strategy_name(r->strategy),
		       strategy_name(s->p.strategy));
	else
		printf("strategy:          %s\n", strategy_name(r->strategy));
	printf("optics:            %u nm, NA %s (lambda/NA %u nm)\n",
	       s->stack.wavelength_nm,
	       fmt_fixed(a, sizeof(a), s->stack.na_milli, 3, true),
	       s->stack.wavelength_nm * 1000U / s->stack.na_milli);
	if (s->chg.mode == OPTSIM_MODE_CURRENT) {
		printf("mode:              current pulses\n");
		printf("amorphize:         %s mA for %s ns (optimum %s mA)\n",
		       fmt_fixed(a, sizeof(a), r->joule.ia_ua, 3, false),
		       fmt_fixed(b, sizeof(b), r->joule.ta_ps, 3, false),
		       fmt_fixed(x, sizeof(x), r->optimum_current_ua, 3, false));
		printf("crystallize:       %s mA for %s ns\n",
		       fmt_fixed(a, sizeof(a), r->joule.ic_ua, 3, false),
		       fmt_fixed(b, sizeof(b), r->joule.tc_ps, 3, false));
	}
	printf("recording film:    %u nm, absorbs %s %%\n",
	       s->stack.layer[s->layer].thickness_nm,
	       fmt_fixed(a, sizeof(a),
			 pct_of_q16(s->stack.layer[s->layer].absorb_q16), 1,
			 false));
	if (sim_near_layer(s))
		printf("transmittance:     %s %% ((Tc + Ta)/2, 390-430 nm)\n",
		       fmt_fixed(a, sizeof(a),
				 pct_of_q16(osm_stack_near_trans_q16(&s->stack)),
				 1, false));
	if (s->chg.mode != OPTSIM_MODE_CURRENT) {
		printf("write power:       %s mW (optimum %s mW)\n",
		       fmt_fixed(a, sizeof(a), r->power_uw, 3, false),
		       fmt_fixed(b, sizeof(b), r->optimum_uw, 3, false));
		if (r->window_hi_uw)
			printf("power window:      %s-%s mW within the jitter limit\n",
			       fmt_fixed(a, sizeof(a), r->window_lo_uw, 3, false),
			       fmt_fixed(b, sizeof(b), r->window_hi_uw, 3, false));
		else
			printf("power window:      none within the jitter limit\n");
		if (s->p.bias_uw)
			printf("bias power:        %s mW\n",
			       fmt_fixed(a, sizeof(a), s->p.bias_uw, 3, false));
		else
			printf("bias power:        the medium's default\n");
	}
	if (s->stack.rewritable)
		printf("overwrite cycles:  %u\n", s->cycles);
	printf("peak temperature:  %u C\n", r->peak_temp_c);
	printf("mark width:        %u nm (rear %u nm)\n", r->mark_width_nm,
	       r->rear_width_nm);
	if (!s->stack.rewritable)
		printf("dielectric:        %u nm crystallised (rear %u nm)\n",
		       r->diel_width_nm, r->diel_rear_nm);
	if (s->stack.land_groove)
		printf("land/groove:       %u nm pitch, %u nm step\n",
		       s->stack.track_pitch_nm, s->stack.groove_depth_nm);
	printf("cross-talk jitter: %s %% of T\n",
	       fmt_fixed(a, sizeof(a),
			 ((uint64_t)r->xtalk_q16 * 10000 + 32768) >> 16, 2,
			 false));
	if (s->stack.rewritable)
		printf("erase:             %s %%\n",
		       fmt_fixed(a, sizeof(a), r->erase_cpct, 2, false));
	printf("signal:            %u %%\n", r->signal_cpct);
	if (r->unresolved)
		printf("unresolved marks:  %u\n", r->unresolved);
	sim_limits(s, &lim);
	printf("jitter:            %s %% (limit %s %%, %s equaliser)\n",
	       fmt_fixed(a, sizeof(a), r->jitter_cpct, 2, false),
	       fmt_fixed(b, sizeof(b), lim.jitter_cpct, 2, false),
	       osm_limits_equaliser_name(lim.equaliser));
	printf("jitter limit from: %s\n", lim.jitter_source);
	printf("symbol error rate: %.3e\n", ser_of(r));
	printf("LDC max:           %u\n", r->ldc_max);
	printf("BIS max:           %u\n", r->bis_max);
	printf("readable:          %s\n", r->readable ? "yes" :
	       "no (uncorrectable clusters)");
}

static void sweep_json(const struct sweep_point *pts, uint64_t n)
{
	struct json j;
	uint64_t i;

	json_init(&j, stdout);
	json_array_begin(&j, NULL);
	for (i = 0; i < n; i++) {
		json_object_begin(&j, NULL);
		json_fixed(&j, "power_mw", pts[i].power_uw, 3);
		json_fixed(&j, "jitter_pct", pts[i].r.jitter_cpct, 2);
		json_u64(&j, "ldc_max", pts[i].r.ldc_max);
		json_u64(&j, "bis_max", pts[i].r.bis_max);
		json_bool(&j, "readable", pts[i].r.readable);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_finish(&j);
}

static void sweep_human(const struct sim *s, const struct sweep_point *pts,
			const struct osm_sim_result *opt)
{
	char a[FIXED_BUFSZ], b[FIXED_BUFSZ], l[FIXED_BUFSZ], set[160];
	uint64_t i;

	sim_setting(s, opt->strategy, set, sizeof(set));
	printf("sweep: %s, %u nm, NA %s\n", set, s->stack.wavelength_nm,
	       fmt_fixed(a, sizeof(a), s->stack.na_milli, 3, true));
	printf("optimum: %s mW, jitter %s %% (limit %s %%)\n",
	       fmt_fixed(a, sizeof(a), opt->power_uw, 3, false),
	       fmt_fixed(b, sizeof(b), opt->jitter_cpct, 2, false),
	       fmt_fixed(l, sizeof(l), sim_jitter_limit(s), 2, false));
	printf("%-10s  %9s  %7s  %7s  %s\n", "POWER mW", "JITTER %", "LDC MAX",
	       "BIS MAX", "READABLE");
	for (i = 0; i < s->points; i++)
		printf("%-10s  %9s  %7u  %7u  %s\n",
		       fmt_fixed(a, sizeof(a), pts[i].power_uw, 3, false),
		       fmt_fixed(b, sizeof(b), pts[i].r.jitter_cpct, 2, false),
		       pts[i].r.ldc_max, pts[i].r.bis_max,
		       pts[i].r.readable ? "yes" : "no");
}

static void sim_svg(const struct sim *s, const struct sweep_point *pts,
		    const struct osm_sim_result *opt)
{
	char title[256], set[160], limit[64], mark[64], a[FIXED_BUFSZ];
	struct svg_point *sp = calloc(s->points, sizeof(*sp));
	struct svg_plot plot;
	struct outfile out;
	uint64_t i;

	if (!sp)
		errx(EXIT_FAILURE, "out of memory");
	for (i = 0; i < s->points; i++) {
		sp[i].x = pts[i].power_uw / 1000.0;
		sp[i].y = pts[i].r.jitter_cpct / 100.0;
		sp[i].ok = pts[i].r.readable;
	}
	sim_setting(s, opt->strategy, set, sizeof(set));
	snprintf(title, sizeof(title), "Jitter vs write power: %s, %u nm, NA %s",
		 set, s->stack.wavelength_nm,
		 fmt_fixed(a, sizeof(a), s->stack.na_milli, 3, true));
	snprintf(limit, sizeof(limit), "limit %s %%",
		 fmt_fixed(a, sizeof(a), sim_jitter_limit(s), 2, true));
	snprintf(mark, sizeof(mark), "optimum %s mW",
		 fmt_fixed(a, sizeof(a), opt->power_uw, 3, false));
	memset(&plot, 0, sizeof(plot));
	plot.title = title;
	plot.xlabel = "write power (mW)";
	plot.ylabel = "jitter (% of T)";
	plot.pts = sp;
	plot.n = s->points;
	plot.limit = sim_jitter_limit(s) / 100.0;
	plot.limit_label = limit;
	plot.mark = true;
	plot.mark_x = opt->power_uw / 1000.0;
	plot.mark_y = opt->jitter_cpct / 100.0;
	plot.mark_label = mark;
	plot.fail_label = "uncorrectable";

	outfile_open(&out, s->svg);
	svg_plot(out.f, &plot);
	outfile_commit(&out);
	free(sp);
}

/* The sweep --svg draws without --sweep: 0.5x to 1.5x the optimum. */
static void sim_default_sweep(struct sim *s, uint32_t optimum_uw)
{
	s->from = optimum_uw / 2;
	s->to = (uint64_t)optimum_uw * 3 / 2;
	if (s->from < OPTSIM_POWER_MIN_UW)
		s->from = OPTSIM_POWER_MIN_UW;
	if (s->to > OPTSIM_POWER_MAX_UW)
		s->to = OPTSIM_POWER_MAX_UW;
	if (s->to < s->from)
		s->to = s->from;
	s->step = (s->to - s->from) / SVG_DEFAULT_STEPS;
	if (!s->step)
		s->step = 1;
	s->points = (s->to - s->from) / s->step + 1;
}

int cmd_simulate(struct optsimctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "media", required_argument, NULL, 'm' },
		{ "layer", required_argument, NULL, 'l' },
		PARAM_LONGOPTS,
		{ "wavelength", required_argument, NULL, 'w' },
		{ "na", required_argument, NULL, 'a' },
		{ "layer-thickness", required_argument, NULL, 'T' },
		{ "cover-error", required_argument, NULL, 'E' },
		{ "gap", required_argument, NULL, 'G' },
		{ "groove-depth", required_argument, NULL, 'D' },
		{ "cycles", required_argument, NULL, 'c' },
		{ "sweep", required_argument, NULL, 'W' },
		{ "svg", required_argument, NULL, 'g' },
		{ "json", no_argument, NULL, 'j' },
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	static struct sim s;
	struct osm_sim_result r, opt;
	struct sweep_point *pts;
	uint32_t optimum;
	bool report;
	int c, ret;

	memset(&s, 0, sizeof(s));
	while ((c = getopt_long(argc, argv, "m:l:" PARAM_SHORTOPTS "w:a:T:E:G:D:c:W:g:j"
				COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			sim_opt_media(&s, optarg);
			break;
		case 'l':
			s.layer = opt_layer(optarg, false);
			break;
		case 'w':
			sim_opt_wavelength(&s, optarg);
			break;
		case 'a':
			sim_opt_na(&s, optarg);
			break;
		case 'E':
			sim_opt_cover_error(&s, optarg);
			break;
		case 'G':
			sim_opt_gap(&s, optarg);
			break;
		case 'D':
			sim_opt_groove_depth(&s, optarg);
			break;
		case 'T':
			sim_opt_thickness(&s, optarg);
			break;
		case 'c':
			sim_opt_cycles(&s, optarg);
			break;
		case 'W':
			sim_opt_sweep(&s, optarg);
			break;
		case 'g':
			if (!*optarg)
				errx(EXIT_FAILURE, "empty SVG file name");
			s.svg = optarg;
			break;
		default:
			if (!param_opt(&s.chg, c, optarg))
				cmd_common_opt(ctl, c, optarg);
		}
	}
	cmd_no_args(ctl, argc, argv);
	/* an SVG on standard output takes the place of the report */
	report = !outfile_is_stdout(s.svg);
	if (ctl->json && !report)
		errx(EXIT_FAILURE,
		     "--json and --svg - cannot both write to standard output");
	sim_setup(&s);

	if (!s.sweep) {
		memset(&r, 0, sizeof(r));
		ret = osm_model_simulate(&s.p, &r);
		if (ret)
			sim_die(&s, ret, r.optimum_uw);
		if (ctl->json)
			sim_json(&s, &r);
		else if (report)
			sim_human(&s, &r);
		if (!s.svg)
			return EXIT_SUCCESS;
		fflush(stdout);
		sim_default_sweep(&s, r.optimum_uw);
		optimum = r.optimum_uw;
	} else {
		optimum = sim_optimum(&s);
	}

	pts = sim_sweep(&s, optimum, &opt);
	if (s.sweep) {
		if (ctl->json)
			sweep_json(pts, s.points);
		else if (report)
			sweep_human(&s, pts, &opt);
	}
	if (s.svg) {
		sim_svg(&s, pts, &opt);
		if (!ctl->json && report)
			printf("svg: %s, %llu points\n", s.svg,
			       (unsigned long long)s.points);
	}
	free(pts);
	return EXIT_SUCCESS;
}
