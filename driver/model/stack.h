/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Media stacks: the recording layers, heat sinks, cover and optics of each
 * medium the model knows, as named presets built from the patents P1-P4 of
 * Documentation/model.rst ("Sources").
 */
#ifndef _OPTSIM_MODEL_STACK_H
#define _OPTSIM_MODEL_STACK_H

#include "shim.h"
#include "film.h"

/* Media types: enum optsim_media of the uapi. */
#define OSM_MEDIA_BD_R		OPTSIM_MEDIA_BD_R
#define OSM_MEDIA_BD_R_DL	OPTSIM_MEDIA_BD_R_DL
#define OSM_MEDIA_BD_RE		OPTSIM_MEDIA_BD_RE
#define OSM_MEDIA_BD_RE_DL	OPTSIM_MEDIA_BD_RE_DL

/* Linear velocity of 1x, mm/s. */
#define OSM_1X_MMS		OPTSIM_VELOCITY_1X_MMS

/* How a layer records a mark. */
enum osm_kinetics {
	OSM_KIN_MIXING = 0,	/* write-once: irreversible Si/Cu mixing (JMAK) */
	OSM_KIN_NUCLEATION,	/* phase change, nucleation-driven (Ge-Sb-Te) */
	OSM_KIN_GROWTH,		/* phase change, growth-driven (Sb-Te-M1) */
};

/* Ambient temperature of the disc, kelvin; temperatures are rises above it. */
#define OSM_AMBIENT_K		300

/**
 * struct osm_layer_stack - one recording layer with its films and heat sink
 * @material: short name of the recording film
 * @kinetics: enum osm_kinetics
 * @thickness_nm: recording film thickness
 * @films: the layer's thin-film stack (film.h); @absorb_q16, @refl_q16 and
 *	@trans_q16 follow from it and @thickness_nm (osm_stack_optics())
 * @optics_ref_nm: 0 when @absorb_q16 and @refl_q16 are the film
 *	calculation's own values; else the thickness at which the preset's
 *	@absorb_ref_q16 and @refl_ref_q16 hold, scaled by the calculation's
 *	change from that thickness (far layers, see model.rst)
 * @absorb_ref_q16: see @optics_ref_nm
 * @refl_ref_q16: see @optics_ref_nm
 * @rho_uohm_m: resistivity of the recording film in its conducting
 *	state, uOhm m (current-pulse recording, joule.c); 0: none
 * @heat_cap_nm: areal heat capacity of the recording film per nm of its
 *	thickness, uJ/(m^2 K) (volumetric heat capacity x 1 nm)
 * @absorb_q16: share of the light reaching the layer that it absorbs (Q16)
 * @trans_q16: share it passes on to the layer behind it (Q16; 0 for L0):
 *	(Tc + Ta)/2 at the laser wavelength
 * @refl_q16: reflectance of the unrecorded layer, seen directly (Q16)
 * @contrast_q16: readback modulation of a fully formed wide mark (Q16)
 * @sink_g: thermal conductance from the film to its reflector or heat sink,
 *	MW/(m^2 K) (P3: equal in both layers of a balanced stack)
 * @heat_cap: areal heat capacity of film and adjacent dielectrics,
 *	uJ/(m^2 K); with @sink_g it sets the fast time constant C/G
 * @diffusivity: lateral thermal diffusivity of the stack, nm^2/ns
 *	(1e-6 m^2/s = 1000 nm^2/ns)
 * @slow_frac_q16: steady rise of the slow (substrate/cover soak) component
 *	relative to the fast one under a stationary spot (Q16)
 * @slow_tau_ps: time constant of the slow component
 * @slow_width_q8: lateral radius of the slow component relative to the
 *	fast one (Q8)
 * @t_react_k: mixing: temperature rise at which the mixing rate is 1/10 ns
 * @t_diel_k: mixing: temperature rise at which the dielectric next to the
 *	film crystallises at 1/10 ns (P1; same activation energy and Avrami
 *	exponent as the mixing); 0: a dielectric that does not crystallise
 * @diel_contrast_q16: modulation of a fully crystallised dielectric region
 *	as wide as a fully formed wide mark, as a share of @contrast_q16
 *	(Q16)
 * @t_melt_k: phase change: melting point rise above ambient
 * @t_cryst_k: phase change: crystallisation onset (Tx) rise above ambient
 * @ea_mev: activation energy of mixing or crystallisation, meV
 * @avrami_q8: JMAK (Avrami) exponent n in Q8
 * @cryst_ps: nucleation: complete-erase time at the fastest temperature;
 *	mixing: unused
 * @vg_max: growth: peak crystal growth velocity, mm/s (= nm/us)
 * @noise_q16: media and read-channel jitter floor, fraction of T (Q16)
 * @read_noise_q16: read-channel noise relative to a full mark signal of the
 *	single-layer reference (Q16); scaled by the layer's own signal
 * @xinit_q16: phase change: reflectance difference between the
 *	initialised and the melt-recrystallised crystal, as a share of the
 *	mark contrast (Q16; wear.c)
 * @void_a0_pm: phase change: radius of the voids at the film's interfaces
 *	before any overwrite, pm
 * @void_um2: phase change: those voids per square micrometre
 * @void_efold: phase change: melt-quench cycles over which a void grows by
 *	a factor e when the film peaks just at its melting point
 * @default_write_uw: the drive's default Pw at 1x with the auto strategy:
 *	the model's calibrated OPC optimum (unit-tested against
 *	osm_model_opc())
 * @default_bias_uw: the default Ps/Pe that goes with it
 * @v_castle_mms: velocity at and above which the auto strategy writes
 *	this layer with castle pulses rather than the N-1 train, as a disc's
 *	strategy table names the strategy type per speed;
 *	OPTSIM_VELOCITY_MIN_MMS: castle at every velocity; 0: none (castle
 *	only above OSM_STRAT_MULTI_MAX_MMS, as on every layer)
 */
struct osm_layer_stack {
	const char *material;
	u32 kinetics;
	u32 thickness_nm;
	const struct osm_film_stack *films;
	u32 optics_ref_nm;
	u32 absorb_ref_q16;
	u32 refl_ref_q16;
	u32 heat_cap_nm;
	u32 rho_uohm_m;
	u32 absorb_q16;
	u32 trans_q16;
	u32 refl_q16;
	u32 contrast_q16;
	u32 sink_g;
	u32 heat_cap;
	u32 diffusivity;
	u32 slow_frac_q16;
	u32 slow_tau_ps;
	u32 slow_width_q8;
	u32 t_react_k;
	u32 t_diel_k;
	u32 diel_contrast_q16;
	u32 t_melt_k;
	u32 t_cryst_k;
	u32 ea_mev;
	u32 avrami_q8;
	u32 cryst_ps;
	u32 vg_max;
	u32 noise_q16;
	u32 read_noise_q16;
	u32 xinit_q16;
	u32 void_a0_pm;
	u32 void_um2;
	u32 void_efold;
	u32 default_write_uw;
	u32 default_bias_uw;
	u32 v_castle_mms;
};

/* Cover kinds. */
#define OSM_COVER_SHEET		0	/* 100/75 um BD cover sheet */
#define OSM_COVER_FILM		1	/* P2: flattened film <= 400 nm */

/**
 * struct osm_stack - a medium
 * @name: preset name ("bd-r", "bd-r-dl", "bd-re", "bd-re-dl", ...)
 * @media: OSM_MEDIA_*
 * @layers: 1 or 2; layer[0] is L0, the layer farthest from the laser
 * @rewritable: phase change (DOW) rather than write-once
 * @cover: OSM_COVER_*
 * @cover_nm: cover thickness to the layer nearest the laser
 * @cover_err_nm: error of the cover (or film) thickness against the one
 *	the objective is corrected for; spherical aberration
 *	(osm_stack_spot_nm())
 * @gap_nm: near field (NA above 1): air gap between the solid immersion
 *	lens and the film surface; 0 in contact
 * @land_groove: record both lands and grooves (P2)
 * @track_pitch_nm: distance between neighbouring recorded tracks
 * @groove_depth_nm: with @land_groove, the step between land and groove
 *	(sets the neighbours' cross-talk: groove.c); 0 otherwise
 * @wavelength_nm: laser wavelength
 * @na_milli: numerical aperture x 1000
 * @lambda_na_max_nm: the medium's claimed readout limit of lambda/NA
 * @layer: the recording layers
 */
struct osm_stack {
	const char *name;
	u32 media;
	u32 layers;
	bool rewritable;
	u32 cover;
	u32 cover_nm;
	s32 cover_err_nm;
	u32 gap_nm;
	bool land_groove;
	u32 track_pitch_nm;
	u32 groove_depth_nm;
	u32 wavelength_nm;
	u32 na_milli;
	u32 lambda_na_max_nm;
	struct osm_layer_stack layer[2];
};

int osm_stack_preset(struct osm_stack *st, const char *name);
int osm_stack_for_media(struct osm_stack *st, u32 media);
int osm_stack_set_optics(struct osm_stack *st, u32 wavelength_nm, u32 na_milli);
int osm_stack_optics(struct osm_stack *st);
int osm_stack_set_cover(struct osm_stack *st, s32 err_nm, u32 gap_nm);
u32 osm_stack_na_eff_milli(const struct osm_stack *st);
int osm_stack_set_thickness(struct osm_stack *st, u32 layer, u32 nm);
int osm_stack_set_groove_depth(struct osm_stack *st, u32 nm);
u32 osm_stack_near_trans_q16(const struct osm_stack *st);
int osm_stack_validate(const struct osm_stack *st);
u32 osm_stack_spot_nm(const struct osm_stack *st);
u32 osm_stack_reach_q16(const struct osm_stack *st, u32 layer);
const char *osm_stack_preset_name(u32 i);
int osm_stack_default_power(const struct osm_stack *st, u32 layer,
			    u32 *write_uw, u32 *bias_uw);

/* Cover thickness errors and near-field gaps the model accepts, nm. */
#define OSM_COVER_ERR_MAX_NM	30000
#define OSM_GAP_MAX_NM		500
/* Refractive index of cover and film, x 1000 */
#define OSM_COVER_N_MILLI	1500

/* Land/groove steps the model accepts, nm. */
#define OSM_GROOVE_DEPTH_MAX_NM	200

/* Recording film thicknesses the model accepts, nm. */
#define OSM_FILM_MIN_NM		2
#define OSM_FILM_MAX_NM		40

/* P4's band for the near layer's transmittance, nm. */
#define OSM_P4_BAND_LO_NM	390
#define OSM_P4_BAND_HI_NM	430

#endif /* _OPTSIM_MODEL_STACK_H */
