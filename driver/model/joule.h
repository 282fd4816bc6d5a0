/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Current-pulse (Joule) recording of a phase-change layer (P4, claims 21,
 * 32): the same kinetics as laser recording, heated by a current through
 * electrodes on both sides of the film.
 */
#ifndef _OPTSIM_MODEL_JOULE_H
#define _OPTSIM_MODEL_JOULE_H

#include "shim.h"
#include "stack.h"
#include "compile.h"

/* Recording modes: enum optsim_mode of the uapi. */
#define OSM_MODE_LASER		OPTSIM_MODE_LASER
#define OSM_MODE_CURRENT	OPTSIM_MODE_CURRENT

/* Side of the square electrode contact, nm [A] (model.rst). */
#define OSM_JOULE_ELECTRODE_NM	100

/**
 * struct osm_joule - the current pulses of a layer
 * @ia_ua: amorphizing pulse amplitude Ia
 * @ta_ps: its width ta
 * @ic_ua: crystallizing pulse amplitude Ic
 * @tc_ps: its width tc
 * @melt_ua: the lowest Ia that melts the cell within ta
 * @max_ua: the Ia whose peak reaches the film's boiling point (damage)
 */
struct osm_joule {
	u32 ia_ua;
	u32 ta_ps;
	u32 ic_ua;
	u32 tc_ps;
	u32 melt_ua;
	u32 max_ua;
};

/**
 * struct osm_joule_cell - what a pulse pair does to the cell
 * @peak_k: peak rise of the amorphizing pulse, K
 * @amorphous: the amorphizing pulse leaves an amorphous mark
 * @damaged: its peak reached the film's boiling point: the film in the
 *	cell is ablated, a hole rather than a mark
 * @cryst_q16: share the crystallizing pulse recrystallizes (Q16)
 */
struct osm_joule_cell {
	u32 peak_k;
	bool amorphous;
	bool damaged;
	u32 cryst_q16;
};

size_t osm_joule_workspace_size(void);
int osm_joule_optimum(const struct osm_stack *st, u32 layer,
		      struct osm_joule *j, void *work);
int osm_joule_pulses(const struct osm_stack *st, u32 layer, u32 current_ua,
		     struct osm_joule *j, struct osm_joule_cell *c, void *work);
int osm_joule_compile(const struct osm_compile_in *in, struct osm_table *out,
		      void *work);

#endif /* _OPTSIM_MODEL_JOULE_H */
