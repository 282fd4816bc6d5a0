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
#include "strategy.h"

#define Q16(num, den)	((u32)(((u64)(num) << 16) / (den)))

/*
 * Complex refractive indices at 405 nm, n - ik, x 1000 (Documentation/
 * model.rst, "Thin-film optics", gives the sources and their labels).
 */
#define OSM_N_RESIN	1500			/* cover, spacer: UV resin / PC */
#define OSM_N_ZNS	2300			/* ZnS-SiO2 (80:20) */
#define OSM_N_TIO2	2600			/* sputtered TiO2 */
#define OSM_N_AG_N	170			/* Ag alloy */
#define OSM_N_AG_K	1950
#define OSM_N_CU_N	1180			/* Cu alloy */
#define OSM_N_CU_K	2210
#define OSM_N_SI_N	4400			/* sputtered (amorphous) Si */
#define OSM_N_SI_K	2200
#define OSM_N_GST_C_N	1700			/* Ge-Sb-Te, fcc crystalline */
#define OSM_N_GST_C_K	3300
#define OSM_N_GST_A_N	2900			/* Ge-Sb-Te, amorphous */
#define OSM_N_GST_A_K	2000
#define OSM_N_AIST_C_N	1500			/* Sb-Te-Ag-In, crystalline */
#define OSM_N_AIST_C_K	3600
#define OSM_N_AIST_A_N	2700			/* Sb-Te-Ag-In, amorphous */
#define OSM_N_AIST_A_K	3000

/*
 * P4's near layer (claims 12, 17): lower protective ZnS-SiO2, Ge-Sb-Te,
 * upper protective ZnS-SiO2, semitransparent Ag, TiO2 transmittance
 * adjusting layer, then the spacer. Dielectric and Ag thicknesses [A]:
 * chosen, as a disc designer does, for the published Tc 51.6 % and
 * Ta 52.0 % and contrast 0.71 at the design thickness of 7 nm.
 */
static const struct osm_film_stack osm_films_gst_semi = {
	.in_milli = OSM_N_RESIN, .out_n_milli = OSM_N_RESIN, .films = 5,
	.film = {
		{ .n_milli = OSM_N_ZNS, .nm = 40 },
		{ .n_milli = OSM_N_GST_C_N, .k_milli = OSM_N_GST_C_K,
		  .n2_milli = OSM_N_GST_A_N, .k2_milli = OSM_N_GST_A_K,
		  .rec_pct = 100 },
		{ .n_milli = OSM_N_ZNS, .nm = 4 },
		{ .n_milli = OSM_N_AG_N, .k_milli = OSM_N_AG_K, .nm = 9 },
		{ .n_milli = OSM_N_TIO2, .nm = 8 },
	},
};

/*
 * The write-once near layer of bd-r-dl: Si and Cu-alloy halves on a
 * semitransparent Ag film with a thin TiO2 layer [A: thicknesses for
 * T ~ 0.52 like P4's near layer]. The mixed state's index is not
 * modelled (the recorded state is taken as the unrecorded one).
 */
static const struct osm_film_stack osm_films_cusi_semi = {
	.in_milli = OSM_N_RESIN, .out_n_milli = OSM_N_RESIN, .films = 6,
	.film = {
		{ .n_milli = OSM_N_ZNS, .nm = 32 },
		{ .n_milli = OSM_N_SI_N, .k_milli = OSM_N_SI_K,
		  .n2_milli = OSM_N_SI_N, .k2_milli = OSM_N_SI_K,
		  .rec_pct = 50 },
		{ .n_milli = OSM_N_CU_N, .k_milli = OSM_N_CU_K,
		  .n2_milli = OSM_N_CU_N, .k2_milli = OSM_N_CU_K,
		  .rec_pct = 50 },
		{ .n_milli = OSM_N_ZNS, .nm = 38 },
		{ .n_milli = OSM_N_AG_N, .k_milli = OSM_N_AG_K, .nm = 13 },
		{ .n_milli = OSM_N_TIO2, .nm = 12 },
	},
};

/* Far/single layers: film on a thick Ag reflector (semi-infinite). */
static const struct osm_film_stack osm_films_sbte = {
	.in_milli = OSM_N_RESIN, .out_n_milli = OSM_N_AG_N, .out_k_milli = OSM_N_AG_K,
	.films = 3,
	.film = {
		{ .n_milli = OSM_N_ZNS, .nm = 40 },
		{ .n_milli = OSM_N_AIST_C_N, .k_milli = OSM_N_AIST_C_K,
		  .n2_milli = OSM_N_AIST_A_N, .k2_milli = OSM_N_AIST_A_K,
		  .rec_pct = 100 },
		{ .n_milli = OSM_N_ZNS, .nm = 10 },
	},
};

static const struct osm_film_stack osm_films_cusi = {
	.in_milli = OSM_N_RESIN, .out_n_milli = OSM_N_AG_N, .out_k_milli = OSM_N_AG_K,
	.films = 4,
	.film = {
		{ .n_milli = OSM_N_ZNS, .nm = 40 },
		{ .n_milli = OSM_N_SI_N, .k_milli = OSM_N_SI_K,
		  .n2_milli = OSM_N_SI_N, .k2_milli = OSM_N_SI_K,
		  .rec_pct = 50 },
		{ .n_milli = OSM_N_CU_N, .k_milli = OSM_N_CU_K,
		  .n2_milli = OSM_N_CU_N, .k2_milli = OSM_N_CU_K,
		  .rec_pct = 50 },
		{ .n_milli = OSM_N_ZNS, .nm = 20 },
	},
};

/* Cu-Si bilayer, full reflector behind it: bd-r and L0 of bd-r-dl. */
static const struct osm_layer_stack osm_cusi = {
	.material = "Si/Cu-alloy",
	.kinetics = OSM_KIN_MIXING,
	.thickness_nm = 16,
	.films = &osm_films_cusi,
	.optics_ref_nm = 16,
	.heat_cap_nm = 2550,	/* Si 1.66, Cu 3.45 MJ/(m^3 K): mean */
	.absorb_q16 = Q16(45, 100),
	.trans_q16 = 0,
	.refl_q16 = Q16(17, 100),
	.contrast_q16 = Q16(60, 100),
	.t_react_k = 480,
	.t_diel_k = 600,
	.diel_contrast_q16 = Q16(30, 100),
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
	.films = &osm_films_cusi_semi,
	.heat_cap_nm = 2550,
	.contrast_q16 = Q16(60, 100),
	.t_react_k = 480,
	.t_diel_k = 600,
	.diel_contrast_q16 = Q16(30, 100),
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
	.films = &osm_films_sbte,
	.optics_ref_nm = 10,
	.heat_cap_nm = 1300,	/* [A] like Ge-Sb-Te */
	.rho_uohm_m = 100,	/* [A] 1e-4 Ohm m, see model.rst */
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
	.v_castle_mms = 3 * OSM_1X_MMS / 2,	/* 1.5x */
};

/* Ge-Sb-Te <= 9 nm, T ~ 0.52: near layer L1 of bd-re-dl. */
static const struct osm_layer_stack osm_gst_semi = {
	.material = "Ge-Sb-Te (7 nm, semitransparent)",
	.kinetics = OSM_KIN_NUCLEATION,
	.thickness_nm = 7,
	.films = &osm_films_gst_semi,
	.heat_cap_nm = 1250,	/* rho c 1.25 MJ/(m^3 K) */
	.rho_uohm_m = 100,	/* [A] 1e-4 Ohm m, see model.rst */
	.contrast_q16 = Q16(71, 100),
	.t_melt_k = 600,	/* Tm 900 K */
	.t_cryst_k = 150,	/* Tx ~ 450 K */
	.ea_mev = 2300,
	.avrami_q8 = 640,
	/*
	 * CET 22 ns, near the fast end of stoichiometric GST's 20-100 ns: the
	 * DC erase of a 2x disc (dwell 2w/v = 42 ns) must reach 99 % below
	 * Tm, which 30 ns does not (89 %); see model.rst, "Erase level"
	 */
	.cryst_ps = 22000,
	.noise_q16 = Q16(35, 1000),
	.read_noise_q16 = Q16(1, 1000),
	.v_castle_mms = 2 * OSM_1X_MMS,	/* 2x */
};

/*
 * A preset layer with the thermal constants every preset shares [A]
 * (Documentation/model.rst, "Thermal model"): the film's conductance to
 * its heat sink, 50 MW/(m^2 K), and areal heat capacity, 120 kJ/(m^2 K)
 * (tau_f = C/G = 2.4 ns); lateral diffusivity 1000 nm^2/ns; the slow soak
 * into the dielectric and cover at 70 % of the steady rise, 80 ns, twice
 * the fast radius. And the overwrite wear every phase-change preset shares
 * (model.rst, "Overwrite endurance"): crystal settling r_x 1.5 % of the
 * mark contrast, interface voids of 1 nm at 25 per um^2 growing by e in
 * 4000 melt cycles at the melting point. A preset that differs changes its
 * copy afterwards.
 */
static void osm_layer_set(struct osm_layer_stack *l,
			  const struct osm_layer_stack *from)
{
	*l = *from;
	l->absorb_ref_q16 = from->absorb_q16;
	l->refl_ref_q16 = from->refl_q16;
	l->sink_g = 50;
	l->heat_cap = 120000;
	l->diffusivity = 1000;
	l->slow_frac_q16 = Q16(70, 100);
	l->slow_tau_ps = 80000;
	l->slow_width_q8 = 512;
	l->xinit_q16 = Q16(15, 1000);
	l->void_a0_pm = 1000;
	l->void_um2 = 25;
	l->void_efold = 4000;
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
		st->layer[0].default_write_uw = 5565;
		st->lambda_na_max_nm = 640;
	} else if (!strcmp(name, "bd-r-dl")) {
		osm_stack_base(st, osm_preset_names[1], OSM_MEDIA_BD_R_DL, 2, false);
		osm_layer_set(&st->layer[0], &osm_cusi);
		osm_layer_set(&st->layer[1], &osm_cusi_semi);
		st->layer[0].default_write_uw = 11038;
		st->layer[1].default_write_uw = 6640;
		st->lambda_na_max_nm = 640;
	} else if (!strcmp(name, "bd-re")) {
		osm_stack_base(st, osm_preset_names[2], OSM_MEDIA_BD_RE, 1, true);
		osm_layer_set(&st->layer[0], &osm_sbte);
		st->layer[0].default_write_uw = 6067;
		st->lambda_na_max_nm = 640;
	} else if (!strcmp(name, "bd-re-dl") ||
		   !strcmp(name, "bd-re-dl-unbalanced")) {
		bool unbal = strcmp(name, "bd-re-dl") != 0;

		osm_stack_base(st, osm_preset_names[unbal ? 4 : 3],
			       OSM_MEDIA_BD_RE_DL, 2, true);
		osm_layer_set(&st->layer[0], &osm_sbte);
		osm_layer_set(&st->layer[1], &osm_gst_semi);
		/* calibrated on the balanced stack; the counter-example copies it */
		st->layer[0].default_write_uw = 12369;
		st->layer[1].default_write_uw = 7799;
		if (unbal)
			st->layer[1].sink_g /= 2;
		st->lambda_na_max_nm = 640;
	} else if (!strcmp(name, "bd-r-nf")) {
		osm_stack_base(st, osm_preset_names[5], OSM_MEDIA_BD_R, 1, false);
		osm_layer_set(&st->layer[0], &osm_cusi);
		/* bd-r's values; not calibrated for the near-field optics */
		st->layer[0].default_write_uw = 5565;
		st->lambda_na_max_nm = 640;
		st->cover = OSM_COVER_FILM;
		st->cover_nm = 300;
		st->na_milli = 1500;
		st->land_groove = true;
		st->track_pitch_nm = 160;
		/*
		 * P2: the step "selected so that the land and the groove
		 * interact little": the model's cross-talk-free depth for this
		 * spot, pitch and aperture, in contact (groove.c: 57.3 nm)
		 */
		st->groove_depth_nm = 57;
	} else {
		return -EINVAL;
	}
	return osm_stack_optics(st);
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
	if (st->track_pitch_nm < 50 || st->track_pitch_nm > 2000)
		return -EINVAL;
	if (st->groove_depth_nm > OSM_GROOVE_DEPTH_MAX_NM ||
	    (st->groove_depth_nm && !st->land_groove))
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
		if (l->t_diel_k && (l->kinetics != OSM_KIN_MIXING ||
				    l->t_diel_k <= l->t_react_k ||
				    !l->diel_contrast_q16 ||
				    l->diel_contrast_q16 > OSM_Q16_ONE))
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
 * osm_stack_na_eff_milli() - the NA that reaches the film
 * @st: the stack
 *
 * Above NA 1 (P2's near field) the pupil's rays beyond the critical angle
 * cross the air gap g as evanescent waves; their intensity at the pupil
 * edge falls as exp(-4 pi g sqrt(NA^2 - 1) / lambda). The part of the
 * aperture above 1 counts by that share [A]:
 * NA_eff = 1 + (NA - 1) exp(-4 pi g sqrt(NA^2 - 1) / lambda).
 *
 * Return: NA_eff x 1000.
 */
u32 osm_stack_na_eff_milli(const struct osm_stack *st)
{
	u64 na = st->na_milli, s, x;

	if (na <= 1000 || !st->gap_nm)
		return (u32)na;
	s = int_sqrt64(na * na - 1000000);		/* x 1000 */
	/* 4 pi g s / lambda in Q16; 4 pi = 12.566 */
	x = osm_div64((u64)12566 * st->gap_nm * s << 16,
		      (u64)st->wavelength_nm * 1000000);
	if (x > (40ULL << 16))
		return 1000;
	return 1000 + (u32)(((na - 1000) * osm_expneg_q16((u32)x)) >> 16);
}

/**
 * osm_stack_spot_nm() - 1/e^2 intensity radius of the focused spot
 * @st: the stack
 *
 * The Gaussian equivalent of the Airy spot: w = 0.4365 lambda/NA_eff (208
 * nm at 405 nm and NA 0.85), NA_eff from osm_stack_na_eff_milli(). A
 * cover thickness error dt against the objective's correction adds
 * primary spherical aberration W040 = dt (n^2 - 1) NA^4 / (8 n^3)
 * (n = 1.5); balanced by defocus its rms is W040 / (6 sqrt 5), and the
 * Strehl ratio exp(-(2 pi rms / lambda)^2) lowers the peak intensity:
 * the equivalent Gaussian keeps the power, so w grows by 1/sqrt(Strehl).
 *
 * Return: the radius in nm.
 */
u32 osm_stack_spot_nm(const struct osm_stack *st)
{
	u64 na = osm_stack_na_eff_milli(st), w, dt, w040, rms, x;

	w = (u64)st->wavelength_nm * 4365 / (na * 10);
	if (!st->cover_err_nm)
		return (u32)w;
	dt = st->cover_err_nm < 0 ? -(s64)st->cover_err_nm : st->cover_err_nm;
	/* (n^2 - 1)/(8 n^3) = 1.25 / 27 at n = 1.5; NA^4 with NA x 1000 */
	w040 = osm_div64(dt * 1250 * (na * na / 1000) * (na * na / 1000),
			 (u64)27000 * 1000000);		/* nm */
	rms = osm_div64(w040 * 1000, 13416);		/* 6 sqrt 5 = 13.416 */
	/* (2 pi rms / lambda)^2 in Q16 */
	x = osm_div64(rms * 6283 << 8, (u64)st->wavelength_nm * 1000);
	x = (x * x) >> 0;					/* Q16 */
	if (x > (20ULL << 16))
		x = 20ULL << 16;
	/* w / sqrt(S) = w exp(x / 2) */
	return (u32)((w * osm_exp2_q16((s32)((x / 2) * OSM_LOG2E_Q16 >> 16))) >> 16);
}

/**
 * osm_stack_set_cover() - a cover thickness error and a near-field gap
 * @st: the stack
 * @err_nm: thickness error against the objective's correction,
 *	+-OSM_COVER_ERR_MAX_NM
 * @gap_nm: air gap of near-field optics, 0 to OSM_GAP_MAX_NM; only with
 *	NA above 1
 *
 * Return: 0, or -EINVAL (then @st is unchanged).
 */
int osm_stack_set_cover(struct osm_stack *st, s32 err_nm, u32 gap_nm)
{
	if (err_nm > OSM_COVER_ERR_MAX_NM || err_nm < -OSM_COVER_ERR_MAX_NM ||
	    gap_nm > OSM_GAP_MAX_NM || (gap_nm && st->na_milli <= 1000))
		return -EINVAL;
	if (st->cover == OSM_COVER_FILM && err_nm < 0 &&
	    (u32)-err_nm >= st->cover_nm)
		return -EINVAL;
	st->cover_err_nm = err_nm;
	st->gap_nm = gap_nm;
	return 0;
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
		   st->rewritable ? 0 :
		   l->default_write_uw / OSM_WO_BIAS_DIV;
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

static u32 osm_scale_q16(u32 ref, u32 now, u32 at_ref)
{
	return at_ref ? (u32)osm_div64((u64)ref * now, at_ref) : ref;
}

/*
 * A layer's absorption, reflectance and transmittance from its films at
 * thickness nm, without changing the layer.
 */
static int osm_layer_optics(const struct osm_stack *st,
			    const struct osm_layer_stack *l, u32 nm,
			    u32 *absorb, u32 *refl, u32 *trans)
{
	struct osm_film_optics o, a, r;
	int ret;

	ret = osm_film_optics(l->films, nm, OSM_FILM_UNRECORDED,
			      st->wavelength_nm, &o);
	if (!ret)
		ret = osm_film_optics(l->films, nm, OSM_FILM_RECORDED,
				      st->wavelength_nm, &a);
	if (ret)
		return ret;
	*trans = (o.trans_q16 + a.trans_q16) / 2;
	if (!l->optics_ref_nm) {
		*absorb = o.absorb_q16;
		*refl = o.refl_q16;
		return 0;
	}
	ret = osm_film_optics(l->films, l->optics_ref_nm, OSM_FILM_UNRECORDED,
			      st->wavelength_nm, &r);
	if (ret)
		return ret;
	*absorb = osm_scale_q16(l->absorb_ref_q16, o.absorb_q16, r.absorb_q16);
	*refl = osm_scale_q16(l->refl_ref_q16, o.refl_q16, r.refl_q16);
	return 0;
}

/**
 * osm_stack_optics() - the layers' optics from their thin-film stacks
 * @st: the stack
 *
 * Sets each layer's absorption, reflectance and (near layer)
 * transmittance from its films (film.c) at its thickness and the laser
 * wavelength: the far layer's power then follows the near layer's
 * transmittance (osm_stack_reach_q16()). A layer without films keeps its
 * values.
 *
 * Return: 0, or -EINVAL for a film stack the calculation refuses (then
 * @st is unchanged).
 */
int osm_stack_optics(struct osm_stack *st)
{
	u32 ab[2], re[2], tr[2], i;
	int ret;

	for (i = 0; i < st->layers && i < 2; i++) {
		const struct osm_layer_stack *l = &st->layer[i];

		if (!l->films)
			continue;
		ret = osm_layer_optics(st, l, l->thickness_nm, &ab[i], &re[i],
				       &tr[i]);
		if (ret)
			return ret;
	}
	for (i = 0; i < st->layers && i < 2; i++) {
		struct osm_layer_stack *l = &st->layer[i];

		if (!l->films)
			continue;
		l->absorb_q16 = ab[i];
		l->refl_q16 = re[i];
		l->trans_q16 = i == st->layers - 1 && st->layers > 1 ? tr[i] : 0;
	}
	return 0;
}

/**
 * osm_stack_set_groove_depth() - change the step between land and groove
 * @st: the stack; land and groove recording (P2)
 * @nm: step height, 0..OSM_GROOVE_DEPTH_MAX_NM
 *
 * The neighbouring tracks' cross-talk follows (osm_groove_xt_q16()).
 *
 * Return: 0, or -EINVAL for groove-only recording or a depth out of range
 * (then @st is unchanged).
 */
int osm_stack_set_groove_depth(struct osm_stack *st, u32 nm)
{
	if (!st->land_groove || nm > OSM_GROOVE_DEPTH_MAX_NM)
		return -EINVAL;
	st->groove_depth_nm = nm;
	return 0;
}

/**
 * osm_stack_set_thickness() - change a layer's recording film thickness
 * @st: the stack
 * @layer: layer index (0 = L0)
 * @nm: thickness, OSM_FILM_MIN_NM..OSM_FILM_MAX_NM
 *
 * The film's optics follow (osm_stack_optics()) and so does the areal heat
 * capacity of the layer (the film's share changes by its volumetric heat
 * capacity times the change in thickness).
 *
 * Return: 0, or -EINVAL (then @st is unchanged).
 */
int osm_stack_set_thickness(struct osm_stack *st, u32 layer, u32 nm)
{
	struct osm_layer_stack *l;
	u32 old, cap;
	s64 c;
	int ret;

	if (layer >= st->layers || layer >= 2 || nm < OSM_FILM_MIN_NM ||
	    nm > OSM_FILM_MAX_NM)
		return -EINVAL;
	l = &st->layer[layer];
	if (!l->films)
		return -EINVAL;
	c = (s64)l->heat_cap + (s64)l->heat_cap_nm * ((s64)nm - l->thickness_nm);
	if (c <= 0)
		return -EINVAL;
	old = l->thickness_nm;
	cap = l->heat_cap;
	l->thickness_nm = nm;
	l->heat_cap = (u32)c;
	ret = osm_stack_optics(st);
	if (!ret)
		ret = osm_stack_validate(st);
	if (ret) {
		l->thickness_nm = old;
		l->heat_cap = cap;
		osm_stack_optics(st);
	}
	return ret;
}

/**
 * osm_stack_near_trans_q16() - P4's figure of merit of the near layer
 * @st: the stack
 *
 * Return: (Tc + Ta)/2 of the layer nearest the laser, averaged over
 * OSM_P4_BAND_LO_NM..OSM_P4_BAND_HI_NM (Q16); 0 for a single layer or a
 * layer without films.
 */
u32 osm_stack_near_trans_q16(const struct osm_stack *st)
{
	const struct osm_layer_stack *l = &st->layer[1];

	if (st->layers != 2 || !l->films)
		return 0;
	return osm_film_band_trans_q16(l->films, l->thickness_nm,
				       OSM_P4_BAND_LO_NM, OSM_P4_BAND_HI_NM);
}
