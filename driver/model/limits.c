// SPDX-License-Identifier: GPL-2.0
/*
 * Quality limits and rated speeds per media type and layer
 * (Documentation/model.rst, "Limits"). Every entry names its source; the
 * jitter limits are limit-equaliser figures, and the model's jitter is
 * taken after the limit equaliser (readout.c), so the two compare.
 *
 *	medium     layer  jitter  source                rated
 *	bd-r       L0     6.5 %   BD SL limit [M]        6x
 *	bd-r-dl    L0     8.5 %   multi-layer BD-R [A]   4x
 *	bd-r-dl    L1     8.5 %   multi-layer BD-R [A]   4x
 *	bd-re      L0     6.5 %   BD SL limit [M]        2x
 *	bd-re-dl   L0     6.5 %   TiO2 BD-RE DL (2005)   2x
 *	bd-re-dl   L1     8.5 %   TiO2 BD-RE DL (2005)   2x
 *
 * SER 2.0e-4 and the burst limit (BDA 2008 text) give the LDC and BIS
 * limits per cluster: 2.0e-4 x 75,392 LDC bytes = 15; 600 burst bytes at
 * one BIS byte per 38 (the picket spacing) = 15.
 */
#include "limits.h"
#include "stack.h"

#define OSM_SRC_SL	"BD single-layer limit, limit EQ [M] (model.rst: Limits)"
#define OSM_SRC_DL_FAR	"TiO2 BD-RE DL paper 2005: far layer L0 <= 6.5 %"
#define OSM_SRC_DL_NEAR	"TiO2 BD-RE DL paper 2005: near layer L1 <= 8.5 %"
#define OSM_SRC_R_DL	"argued [A] from a 4-layer BD-R at <= 8.5 % (Nikkei 2006), model.rst: Limits"
#define OSM_SRC_ECC	"BDA 2008: SER < 2.0e-4, bursts <= 600 B per RUB"
#define OSM_SRC_RATED	"drive and disc practice [M], argued in model.rst: Limits"

/* LDC bytes per cluster (304 x 248) and BIS picket spacing (bytes). */
#define OSM_LIM_LDC_BYTES	75392U
#define OSM_LIM_PICKET		38U
#define OSM_LIM_SER_PPM		200U
#define OSM_LIM_BURST_BYTES	600U

/**
 * osm_limits_get() - the limits a layer's recording must meet
 * @media: OSM_MEDIA_*
 * @layers: layers of the medium (1 or 2)
 * @layer: layer index (0 = L0, the far layer)
 * @l: filled in
 *
 * Return: 0, or -EINVAL for an unknown media type or layer.
 */
int osm_limits_get(u32 media, u32 layers, u32 layer, struct osm_limits *l)
{
	bool near = layers == 2 && layer == 1;

	if (media < OSM_MEDIA_BD_R || media > OSM_MEDIA_BD_RE_DL ||
	    layers < 1 || layers > 2 || layer >= layers)
		return -EINVAL;
	l->equaliser = OSM_EQ_LIMIT;
	l->ser_ppm = OSM_LIM_SER_PPM;
	l->ldc_max = OSM_LIM_SER_PPM * OSM_LIM_LDC_BYTES / 1000000U;
	l->bis_max = OSM_LIM_BURST_BYTES / OSM_LIM_PICKET;
	l->ecc_source = OSM_SRC_ECC;
	l->rated_source = OSM_SRC_RATED;
	l->jitter_cpct = near ? 850 : 650;
	switch (media) {
	case OSM_MEDIA_BD_R:
		l->jitter_source = OSM_SRC_SL;
		l->rated_x = 6;
		break;
	case OSM_MEDIA_BD_R_DL:
		l->jitter_source = OSM_SRC_R_DL;
		l->jitter_cpct = 850;
		l->rated_x = 4;
		break;
	case OSM_MEDIA_BD_RE:
		l->jitter_source = OSM_SRC_SL;
		l->rated_x = 2;
		break;
	default:
		l->jitter_source = near ? OSM_SRC_DL_NEAR : OSM_SRC_DL_FAR;
		l->rated_x = 2;
		break;
	}
	return 0;
}

/**
 * osm_limits_equaliser_name() - name of an OSM_EQ_* equaliser
 * @equaliser: OSM_EQ_*
 *
 * Return: its name, or "unknown".
 */
const char *osm_limits_equaliser_name(u32 equaliser)
{
	return equaliser == OSM_EQ_LIMIT ? "limit" : "unknown";
}
