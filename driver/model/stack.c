// SPDX-License-Identifier: GPL-2.0
/*
 * Media stack presets, from the patents P1-P4 of Documentation/model.rst
 * ("Sources"):
 *
 * - P1: write-once inorganic stack. A Si-based recording film and a
 *   Cu-alloy film mix irreversibly above a reaction temperature; the
 *   adjacent dielectric partly crystallises. Recorded with a single pulse at
 *   and above a threshold linear velocity; lambda/NA <= 640 nm.
 * - P2: polished, flattened light-transmission film <= 400 nm instead
 *   of the cover sheet, for near-field optics with NA > 1, with optional
 *   land/groove recording.
 * - P3: dual layer with a semitransparent reflective film; the
 *   thermal conductance from each recording film to its reflector is equal
 *   in a balanced stack.
 * - P4: rewritable dual layer. Near layer L1: Ge-Sb-Te <= 9 nm,
 *   (Tc + Ta)/2 >= 40 % at 390-430 nm, nucleation-driven. Far layer L0:
 *   Sb-Te-M1 6-15 nm with a lower melting point, growth-driven. 3-30 m/s,
 *   NA 0.5-1.1.
 *
 * Numbers marked [A] in the documentation are modelling assumptions tuned
 * to the published checks of its "Calibration" section; the rest are the
 * cited material data.
 */
#include "stack.h"
#include "fixmath.h"

#define Q16(num, den)	((u32)(((u64)(num) << 16) / (den)))

/* Cu-Si bilayer, full reflector behind it: bd-r and L0 of bd-r-dl. */
static const struct osm_layer_stack osm_cusi = {
	.material = "Si/Cu-alloy",
	.kinetics = OSM_KIN_MIXING,
	.thickness_nm = 16,
	.absorb_q16 = Q16(45, 100),
	.trans_q16 = 0,
	.refl_q16 = Q16(17, 100),
	.contrast_q16 = Q16(60, 100),
	.t_react_k = 480,
	.ea_mev = 1600,
	.avrami_q8 = 512,
	.noise_q16 = Q16(35, 1000),
	.read_noise_q16 = Q16(1, 1000),
	.v_castle_mms = 3 * OSM_1X_MMS / 2,	/* 1.5x */
};

/* Thin Cu-Si on a semitransparent reflective film: L1 of bd-r-dl. */
static const struct osm_layer_stack osm_cusi_semi = {
	.material = "Si/Cu-alloy (semitransparent)",
	.kinetics = OSM_KIN_MIXING,
	.thickness_nm = 8,
	.absorb_q16 = Q16(38, 100),
	.trans_q16 = Q16(52, 100),
	.refl_q16 = Q16(6, 100),
	.contrast_q16 = Q16(60, 100),
	.t_react_k = 480,
	.ea_mev = 1600,
	.avrami_q8 = 512,
	.noise_q16 = Q16(35, 1000),
	.read_noise_q16 = Q16(1, 1000),
	.v_castle_mms = 3 * OSM_1X_MMS / 2,	/* 1.5x */
};

/* Sb-Te-M1 (Ag, In): bd-re and the far layer L0 of bd-re-dl. */
static const struct osm_layer_stack osm_sbte = {
	.material = "Sb-Te-Ag-In",
	.kinetics = OSM_KIN_GROWTH,
	.thickness_nm = 10,
	.absorb_q16 = Q16(45, 100),
	.trans_q16 = 0,
	.refl_q16 = Q16(18, 100),
	.contrast_q16 = Q16(60, 100),
	.t_melt_k = 520,	/* Tm ~ 820 K (547 C) */
	.t_cryst_k = 150,	/* Tx ~ 450 K */
	.ea_mev = 2000,
	.avrami_q8 = 512,
	.vg_max = 4000,		/* 4 m/s near 0.9 Tm */
	.noise_q16 = Q16(35, 1000),
	.read_noise_q16 = Q16(1, 1000),
	.dow_a_q16 = 20,
	.dow_n1 = 2,
	.dow_fail = 10000,
	.dow_b_q16 = 200,
	.v_castle_mms = 3 * OSM_1X_MMS / 2,	/* 1.5x */
};

/* Ge-Sb-Te <= 9 nm, T ~ 0.52: near layer L1 of bd-re-dl. */
static const struct osm_layer_stack osm_gst_semi = {
	.material = "Ge-Sb-Te (7 nm, semitransparent)",
	.kinetics = OSM_KIN_NUCLEATION,
	.thickness_nm = 7,
	.absorb_q16 = Q16(38, 100),
	.trans_q16 = Q16(518, 1000),	/* (Tc + Ta)/2 = (51.6 + 52.0)/2 */
	.refl_q16 = Q16(6, 100),
	.contrast_q16 = Q16(71, 100),
	.t_melt_k = 600,	/* Tm 900 K */
	.t_cryst_k = 150,	/* Tx ~ 450 K */
	.ea_mev = 2300,
	.avrami_q8 = 640,
	.cryst_ps = 30000,	/* CET ~ 30 ns: nucleation-driven */
	.noise_q16 = Q16(35, 1000),
	.read_noise_q16 = Q16(1, 1000),
	.dow_a_q16 = 20,
	.dow_n1 = 2,
	.dow_fail = 10000,
	.dow_b_q16 = 200,
	.v_castle_mms = 2 * OSM_1X_MMS,	/* 2x */
};

/*
 * A preset layer with the thermal constants every preset shares [A]
 * (Documentation/model.rst, "Thermal model"): the film's conductance to
 * its heat sink, 50 MW/(m^2 K), and areal heat capacity, 120 kJ/(m^2 K)
 * (tau_f = C/G = 2.4 ns); lateral diffusivity 1000 nm^2/ns; the slow soak
 * into the dielectric and cover at 70 % of the steady rise, 80 ns, twice
 * the fast radius. A preset that differs changes its copy afterwards.
 */
static void osm_layer_set(struct osm_layer_stack *l,
			  const struct osm_layer_stack *from)
{
	*l = *from;
	l->sink_g = 50;
	l->heat_cap = 120000;
	l->diffusivity = 1000;
	l->slow_frac_q16 = Q16(70, 100);
	l->slow_tau_ps = 80000;
	l->slow_width_q8 = 512;
}

/* The media types' presets first, in the order of enum optsim_media. */
static const char *const osm_preset_names[] = {
	OPTSIM_MEDIA_NAME_BD_R, OPTSIM_MEDIA_NAME_BD_R_DL, OPTSIM_MEDIA_NAME_BD_RE,
	OPTSIM_MEDIA_NAME_BD_RE_DL, "bd-re-dl-unbalanced", "bd-r-nf",
};

static void osm_stack_base(struct osm_stack *st, const char *name, u32 media,
			   u32 layers, bool rw)
{
	osm_memset(st, 0, sizeof(*st));
	st->name = name;
	st->media = media;
	st->layers = layers;
	st->rewritable = rw;
	st->cover = OSM_COVER_SHEET;
	st->cover_nm = layers == 2 ? 75000 : 100000;
	st->track_pitch_nm = 320;
	st->groove_xt_q16 = OSM_Q16_ONE;
	st->wavelength_nm = 405;
	st->na_milli = 850;
}

/**
 * osm_stack_preset_name() - name of the i-th preset
 * @i: index from 0
 *
 * Return: the name, or NULL past the last preset.
 */
const char *osm_stack_preset_name(u32 i)
{
	if (i >= ARRAY_SIZE(osm_preset_names))
		return NULL;
	return osm_preset_names[i];
}

/**
 * osm_stack_preset() - fill in a named medium
 * @st: stack to fill in
 * @name: "bd-r", "bd-r-dl", "bd-re", "bd-re-dl", "bd-re-dl-unbalanced"
 *	(P3's counter-example: L1's heat sink at half the conductance of
 *	L0's) or "bd-r-nf" (P2: flattened 300 nm film, NA 1.5,
 *	land/groove at 160 nm pitch)
 *
 * Return: 0, or -EINVAL for an unknown name (@st is then unchanged).
 */
int osm_stack_preset(struct osm_stack *st, const char *name)
{
	if (!strcmp(name, "bd-r")) {
		osm_stack_base(st, osm_preset_names[0], OSM_MEDIA_BD_R, 1, false);
		osm_layer_set(&st->layer[0], &osm_cusi);
		st->layer[0].default_write_uw = 5767;
		st->v_single_mms = 3 * OSM_1X_MMS;
		st->lambda_na_max_nm = 640;
	} else if (!strcmp(name, "bd-r-dl")) {
		osm_stack_base(st, osm_preset_names[1], OSM_MEDIA_BD_R_DL, 2, false);
		osm_layer_set(&st->layer[0], &osm_cusi);
		osm_layer_set(&st->layer[1], &osm_cusi_semi);
		st->layer[0].default_write_uw = 11091;
		st->layer[1].default_write_uw = 6773;
		st->v_single_mms = 3 * OSM_1X_MMS;
		st->lambda_na_max_nm = 640;
	} else if (!strcmp(name, "bd-re")) {
		osm_stack_base(st, osm_preset_names[2], OSM_MEDIA_BD_RE, 1, true);
		osm_layer_set(&st->layer[0], &osm_sbte);
		st->layer[0].default_write_uw = 5949;
		st->lambda_na_max_nm = 640;
	} else if (!strcmp(name, "bd-re-dl") ||
		   !strcmp(name, "bd-re-dl-unbalanced")) {
		bool unbal = strcmp(name, "bd-re-dl") != 0;

		osm_stack_base(st, osm_preset_names[unbal ? 4 : 3],
			       OSM_MEDIA_BD_RE_DL, 2, true);
		osm_layer_set(&st->layer[0], &osm_sbte);
		osm_layer_set(&st->layer[1], &osm_gst_semi);
		/* calibrated on the balanced stack; the counter-example copies it */
		st->layer[0].default_write_uw = 11414;
		st->layer[1].default_write_uw = 7942;
		if (unbal)
			st->layer[1].sink_g /= 2;
		st->lambda_na_max_nm = 640;
	} else if (!strcmp(name, "bd-r-nf")) {
		osm_stack_base(st, osm_preset_names[5], OSM_MEDIA_BD_R, 1, false);
		osm_layer_set(&st->layer[0], &osm_cusi);
		/* bd-r's value; not calibrated for the near-field optics */
		st->layer[0].default_write_uw = 5767;
		st->v_single_mms = 3 * OSM_1X_MMS;
		st->lambda_na_max_nm = 640;
		st->cover = OSM_COVER_FILM;
		st->cover_nm = 300;
		st->na_milli = 1500;
		st->land_groove = true;
		st->track_pitch_nm = 160;
		st->groove_xt_q16 = Q16(30, 100);
	} else {
		return -EINVAL;
	}
	return 0;
}

/**
 * osm_stack_for_media() - the default preset of a media type
 * @st: stack to fill in
 * @media: OSM_MEDIA_*
 *
 * Return: 0, or -EINVAL for an unknown type.
 */
int osm_stack_for_media(struct osm_stack *st, u32 media)
{
	if (media < OSM_MEDIA_BD_R || media > OSM_MEDIA_BD_RE_DL)
		return -EINVAL;
	return osm_stack_preset(st, osm_preset_names[media - 1]);
}

/**
 * osm_stack_validate() - check that a stack is physically meaningful
 * @st: the stack
 *
 * NA above 1 needs the near-field film of P2 (<= 400 nm); a cover
 * sheet limits the NA to 0.95.
 *
 * Return: 0, or -EINVAL.
 */
int osm_stack_validate(const struct osm_stack *st)
{
	u32 i;

	if (st->layers < 1 || st->layers > 2)
		return -EINVAL;
	if (st->wavelength_nm < 300 || st->wavelength_nm > 850)
		return -EINVAL;
	if (st->na_milli < 300 || st->na_milli > 2000)
		return -EINVAL;
	if (st->na_milli > 950 &&
	    (st->cover != OSM_COVER_FILM || st->cover_nm > 400))
		return -EINVAL;
	if (st->cover == OSM_COVER_FILM && (!st->cover_nm || st->cover_nm > 400))
		return -EINVAL;
	if (st->track_pitch_nm < 50 || st->track_pitch_nm > 2000 ||
	    st->groove_xt_q16 > OSM_Q16_ONE)
		return -EINVAL;
	for (i = 0; i < st->layers; i++) {
		const struct osm_layer_stack *l = &st->layer[i];

		if (!l->sink_g || !l->heat_cap || !l->absorb_q16 ||
		    l->absorb_q16 > OSM_Q16_ONE || l->trans_q16 > OSM_Q16_ONE ||
		    !l->slow_tau_ps || !l->ea_mev || !l->avrami_q8 ||
		    !l->contrast_q16 || !l->refl_q16)
			return -EINVAL;
		if (l->kinetics == OSM_KIN_MIXING && !l->t_react_k)
			return -EINVAL;
		if (l->kinetics != OSM_KIN_MIXING &&
		    (l->t_cryst_k >= l->t_melt_k || !l->t_cryst_k))
			return -EINVAL;
		if (l->kinetics == OSM_KIN_NUCLEATION && !l->cryst_ps)
			return -EINVAL;
		if (l->kinetics == OSM_KIN_GROWTH && !l->vg_max)
			return -EINVAL;
	}
	if (st->layers == 2 && !st->layer[1].trans_q16)
		return -EINVAL;
	return 0;
}

/**
 * osm_stack_spot_nm() - 1/e^2 intensity radius of the focused spot
 * @st: the stack
 *
 * The Gaussian equivalent of the Airy spot: w = 0.4365 lambda/NA (208 nm
 * at 405 nm and NA 0.85).
 *
 * Return: the radius in nm.
 */
u32 osm_stack_spot_nm(const struct osm_stack *st)
{
	return st->wavelength_nm * 4365 / (st->na_milli * 10);
}

/**
 * osm_stack_default_power() - a layer's default write powers
 * @st: the medium
 * @layer: layer index (0 = L0)
 * @write_uw: set to the default Pw (the calibrated OPC optimum at 1x, auto
 *	strategy, with the preset's optics)
 * @bias_uw: set to the Ps/Pe that goes with it; 0 on rewritable media:
 *	the erase level the model tunes per speed (osm_compile())
 *
 * Return: 0, or -EINVAL for a layer the medium does not have.
 */
int osm_stack_default_power(const struct osm_stack *st, u32 layer,
			    u32 *write_uw, u32 *bias_uw)
{
	const struct osm_layer_stack *l;

	if (layer >= st->layers || layer >= 2)
		return -EINVAL;
	l = &st->layer[layer];
	*write_uw = l->default_write_uw;
	*bias_uw = l->default_bias_uw ? l->default_bias_uw :
		   st->rewritable ? 0 : l->default_write_uw / 10;
	return 0;
}

/**
 * osm_stack_reach_q16() - share of the laser power that reaches a layer
 * @st: the stack
 * @layer: layer index (0 = L0)
 *
 * L0 of a dual-layer disc sees the light through L1 (P3, P4).
 *
 * Return: the transmitted share in Q16.
 */
u32 osm_stack_reach_q16(const struct osm_stack *st, u32 layer)
{
	if (st->layers == 2 && layer == 0)
		return st->layer[1].trans_q16;
	return OSM_Q16_ONE;
}
