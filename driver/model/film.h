/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Thin-film optics of a recording layer's stack: reflectance, transmittance
 * and the share of light absorbed in the recording film, from the complex
 * refractive indices and thicknesses of the films (the characteristic
 * matrix method at normal incidence). Fixed point; no floating point.
 */
#ifndef _OPTSIM_MODEL_FILM_H
#define _OPTSIM_MODEL_FILM_H

#include "shim.h"

/* Films of one layer's stack, at most. */
#define OSM_FILM_MAX	6

/* States of the recording film. */
#define OSM_FILM_UNRECORDED	0	/* crystalline, or as deposited */
#define OSM_FILM_RECORDED	1	/* amorphous mark, or mixed */

/**
 * struct osm_film - one film of a stack
 * @n_milli: refractive index n x 1000 (unrecorded state)
 * @k_milli: extinction coefficient k x 1000 (N = n - ik)
 * @n2_milli: n of the recorded state (recording films only)
 * @k2_milli: k of the recorded state (recording films only)
 * @nm: thickness of a fixed film
 * @rec_pct: share of the recording layer's thickness this film takes
 *	(0 for a fixed film; a Si/Cu bilayer has two films of 50)
 */
struct osm_film {
	u16 n_milli;
	u16 k_milli;
	u16 n2_milli;
	u16 k2_milli;
	u16 nm;
	u16 rec_pct;
};

/**
 * struct osm_film_stack - the films of one recording layer, laser side first
 * @in_milli: index of the medium the light comes from (cover or spacer)
 * @out_n_milli: n of the medium behind the last film (spacer, or a thick
 *	reflector taken as semi-infinite)
 * @out_k_milli: k of that medium
 * @films: number of entries of @film
 * @film: the films
 */
struct osm_film_stack {
	u16 in_milli;
	u16 out_n_milli;
	u16 out_k_milli;
	u16 films;
	struct osm_film film[OSM_FILM_MAX];
};

/**
 * struct osm_film_optics - what the stack does to the light
 * @refl_q16: reflectance (Q16)
 * @trans_q16: transmittance into the medium behind (Q16)
 * @absorb_q16: share absorbed in the recording film(s) (Q16)
 */
struct osm_film_optics {
	u32 refl_q16;
	u32 trans_q16;
	u32 absorb_q16;
};

int osm_film_optics(const struct osm_film_stack *fs, u32 rec_nm, u32 state,
		    u32 wavelength_nm, struct osm_film_optics *o);
u32 osm_film_band_trans_q16(const struct osm_film_stack *fs, u32 rec_nm,
			    u32 lo_nm, u32 hi_nm);

#endif /* _OPTSIM_MODEL_FILM_H */
