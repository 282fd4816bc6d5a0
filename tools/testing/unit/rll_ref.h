/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reference mark histogram for the host tests and the benchmark: walk the
 * runs of osm_rll_encode()'s NRZI stream bit by bit, the slow and obvious
 * way, to check and to time the table-driven osm_rll_histogram() against.
 */
#ifndef _OPTSIM_UNIT_RLL_REF_H
#define _OPTSIM_UNIT_RLL_REF_H

#include <string.h>
#include "rll.h"

/*
 * Count the marks of the @nbits channel bits at @c into @h, as
 * osm_rll_histogram() does: the stream starts in a long space, and a mark
 * still open at the end is not counted. When @bins is not NULL it also
 * gets each mark's bin in stream order (room for @nbits / 4 + 1).
 */
static inline void rll_ref_histogram(const u8 *c, size_t nbits,
				     struct osm_rll_hist *h, u8 *bins)
{
	size_t i, last = 0;
	u32 level = 0, sp = 3, mark = 0, b;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < nbits; i++) {
		u32 run, cls;

		if (!((c[i >> 3] >> (7 - (i & 7))) & 1))
			continue;
		run = (u32)(i - last);
		/* the stream starts in a long space */
		cls = run >= 5 || last == 0 ? 3 : run - 2;
		last = i;
		if (level) {
			mark = run;
		} else {
			if (mark) {
				b = osm_rll_bin(sp, mark, cls);
				if (bins)
					bins[h->marks] = (u8)b;
				h->count[b]++;
				h->marks++;
			}
			sp = cls;
			mark = 0;
		}
		level ^= 1;
	}
	/* the last mark, closed, before the final space */
	if (mark && level == 0) {
		b = osm_rll_bin(sp, mark, 3);
		if (bins)
			bins[h->marks] = (u8)b;
		h->count[b]++;
		h->marks++;
	}
}

#endif /* _OPTSIM_UNIT_RLL_REF_H */
