// SPDX-License-Identifier: GPL-2.0
/*
 * Cluster quality (Documentation/model.rst, "Readout and quality").
 *
 * Jitter: over the cluster's (space, mark, space) histogram, the spread of
 * the read edge shifts around their means (deterministic jitter), with the
 * marks the reader decodes wrongly counted T/2 off on their share, adds in
 * quadrature to the noise-induced edge jitter, the layer's floor, the
 * cross-talk of the neighbouring tracks, and, on overwrite, the residue of
 * old marks the erase level left, (0.25 T x residue)^2, and the layer's
 * direct-overwrite wear (wear.c: the settling of the initialised crystal
 * and the growth of interface voids).
 *
 * Symbol (byte) error rate: SER = E_b erfc(W_eff / (sqrt(2) j)) with W_eff =
 * 0.343 T and E_b = 3.6 edges per byte, so 8.5 % jitter gives SER 2e-4 (the
 * calibration in Documentation/model.rst, "Sources"); every mark that the reader
 * decodes as another run sequence (lost, merged, split, hollow or never
 * formed: OSM_E_SYMBOL_ERROR) adds a byte error.
 *
 * Errors: Poisson(75,392 SER) byte errors spread uniformly over the 304
 * LDC codewords, Poisson(1,488 SER) over the 24 BIS codewords, and defect
 * bursts (Poisson, 0.01 per cluster [A], 40-600 bytes) that the BIS flags
 * as erasures. A codeword fails when 2e + f > 32. All draws come from a
 * splitmix64 generator seeded by the caller: the same input gives the same
 * record.
 */
#include "quality.h"
#include "fixmath.h"
#include "geometry.h"

#define OSM_WEFF_SQRT2_Q32	1041691171ULL	/* 0.343 / sqrt(2), Q32 */
#define OSM_LOG2_EB_Q8		473		/* log2(3.6), Q8 */
/* Defect bursts per cluster, Q32 (0.01) [A]. */
#define OSM_BURST_RATE_Q32	42949673ULL

/**
 * osm_prng_next() - next 64 random bits
 * @r: generator
 *
 * Return: the bits.
 */
u64 osm_prng_next(struct osm_prng *r)
{
	u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/**
 * osm_prng_fill() - fill a buffer with seeded random bytes
 * @buf: the buffer
 * @len: its bytes
 * @seed: the generator's seed
 */
void osm_prng_fill(u8 *buf, size_t len, u64 seed)
{
	struct osm_prng r = { .s = seed };
	size_t i;

	for (i = 0; i < len; i += 8) {
		u64 v = osm_prng_next(&r);
		size_t k;

		for (k = 0; k < 8 && i + k < len; k++)
			buf[i + k] = (u8)(v >> (8 * k));
	}
}

/**
 * osm_quality_jitter() - jitter of a cluster
 * @t: the layer's compiled table
 * @h: the cluster's mark histogram
 * @dow: overwrites of the cluster before this write (0: first write)
 * @unresolved: set to the number of marks the reader decodes wrongly: lost
 *	or merged in the read signal, split by it, hollow or not formed
 *
 * Return: jitter as a fraction of T, Q16.
 */
u32 osm_quality_jitter(const struct osm_table *t, const struct osm_rll_hist *h,
		       u32 dow, u32 *unresolved)
{
	s64 sl = 0, st = 0, sl2 = 0, st2 = 0;
	u64 sv = 0, n = 0, tot, u = 0;
	u32 b;

	for (b = 0; b < OSM_RLL_BINS; b++) {
		const struct osm_entry *e = &t->entry[b];
		u64 c = h->count[b];

		if (!c)
			continue;
		n += c;
		if (e->flags & OSM_E_SYMBOL_ERROR) {
			u += c;
			continue;
		}
		sl += (s64)c * e->lead;
		st += (s64)c * e->trail;
		sl2 += (s64)c * e->lead * e->lead;
		st2 += (s64)c * e->trail * e->trail;
		sv += c * e->var;
	}
	*unresolved = (u32)u;
	if (n == u)
		return 0xffffffffU;
	n -= u;
	/* (T/256)^2: deterministic spread + noise-induced */
	tot = (u64)(sl2 - osm_sdiv64(sl * sl, (s64)n) + st2 - osm_sdiv64(st * st, (s64)n));
	tot = osm_div64(tot, 2 * n) + osm_div64(sv, n);
	/*
	 * a mark decoded wrongly has edges at least T/2 (128) from where
	 * the reader expects them (its search window): on its share
	 */
	if (u)
		tot += osm_div64(u * 128 * 128, u + n);
	tot += (u64)(t->noise_q16 >> 8) * (t->noise_q16 >> 8);
	tot += (u64)(t->xtalk_q16 >> 8) * (t->xtalk_q16 >> 8);
	if (t->rewritable && dow) {
		u64 r = OSM_Q16 - (t->erase_q16 > OSM_Q16 ? OSM_Q16 : t->erase_q16);
		u64 se = r * 64 >> 16;	/* 0.25 T per unit residue, T/256 */

		tot += se * se;
		/* settling and void growth (wear.c) */
		tot += osm_wear_var(&t->wear, dow);
	}
	tot = int_sqrt64(tot << 16);
	return tot > 0xffffffffULL ? 0xffffffffU : (u32)tot;
}

/**
 * osm_quality_ser_q32() - byte error rate
 * @jitter_q16: jitter, fraction of T (Q16)
 * @unresolved: marks the reader decodes wrongly (osm_quality_jitter())
 * @bytes: user bytes of the cluster
 *
 * Return: SER as a fraction, Q32 (saturating at 1).
 */
u32 osm_quality_ser_q32(u32 jitter_q16, u32 unresolved, u32 bytes)
{
	u64 ser = 0;
	s32 l;

	if (jitter_q16) {
		u64 x = osm_div64(OSM_WEFF_SQRT2_Q32, jitter_q16);	/* Q16 */

		if (x > 0xffffffffULL)
			x = 0xffffffffULL;
		l = (s32)osm_nlog2_erfc_q8((u32)x) - OSM_LOG2_EB_Q8;
		/* 2^(32 - l/256) */
		ser = osm_exp2_q16((32 << 16) - l * 256) >> 16;
	}
	if (unresolved && bytes)
		ser += osm_div64((u64)unresolved << 32, bytes);
	return ser > 0xffffffffULL ? 0xffffffffU : (u32)ser;
}

static u32 osm_poisson(struct osm_prng *r, u64 lambda_q16)
{
	if (lambda_q16 <= (16ULL << 16)) {
		u64 lim = osm_expneg_q16((u32)lambda_q16);	/* Q16 */
		u64 prod = 1ULL << 32;
		u32 k = 0;

		lim <<= 16;
		for (;;) {
			prod = (prod * (osm_prng_next(r) >> 32)) >> 32;
			if (prod <= lim)
				return k;
			k++;
		}
	} else {
		/* normal approximation, Irwin-Hall(12) */
		s64 z = 0, v;
		u32 i;

		for (i = 0; i < 12; i++)
			z += (s64)(osm_prng_next(r) >> 48);
		z -= 6 << 16;					/* Q16 */
		v = (s64)lambda_q16 + ((z * (s64)int_sqrt64(lambda_q16 << 16)) >> 16);
		return v < 0 ? 0 : (u32)(v >> 16);
	}
}

/**
 * osm_quality_errors() - draw a cluster's LDC/BIS errors
 * @ser_q32: byte error rate (osm_quality_ser_q32())
 * @seed: seed of this write
 * @q: record; @jitter and the OSM_QF_UNRESOLVED flag are kept, the counts
 *	and the other flags set
 */
void osm_quality_errors(u32 ser_q32, u64 seed, struct osm_quality *q)
{
	struct osm_prng r = { .s = seed };
	u8 cw[OSM_LDC_CODEWORDS];
	u8 bis[OSM_BIS_CODEWORDS];
	u64 lam;
	u32 ne, i, ldc = 0, nb, worst = 0;

	q->flags &= OSM_QF_UNRESOLVED;
	osm_memset(cw, 0, sizeof(cw));
	osm_memset(bis, 0, sizeof(bis));
	lam = ((u64)ser_q32 * (OSM_LDC_CODEWORDS * OSM_LDC_N)) >> 16;	/* Q16 */
	if (lam > (40000ULL << 16)) {
		/* hopeless: every codeword is far past its limit */
		q->ldc = 0xffff;
		q->bis = 0xffff;
		q->ldc_worst = 0xff;
		q->flags |= OSM_QF_UNCORRECTABLE;
		return;
	}
	ne = osm_poisson(&r, lam);
	for (i = 0; i < ne; i++) {
		u32 k = (u32)(((osm_prng_next(&r) >> 32) * OSM_LDC_CODEWORDS) >> 32);

		if (cw[k] < 254)
			cw[k] += 2;	/* an error counts twice against 2e + f */
	}
	ldc = ne;
	lam = ((u64)ser_q32 * (OSM_BIS_CODEWORDS * OSM_BIS_N)) >> 16;
	nb = osm_poisson(&r, lam);
	for (i = 0; i < nb; i++) {
		u32 k = (u32)(((osm_prng_next(&r) >> 32) * OSM_BIS_CODEWORDS) >> 32);

		if (bis[k] < 254)
			bis[k] += 2;
	}
	/* defect bursts: erasures flagged by the BIS pickets */
	for (i = osm_poisson(&r, OSM_BURST_RATE_Q32 >> 16); i; i--) {
		u32 len = 40 + (u32)(((osm_prng_next(&r) >> 32) * 561) >> 32);
		u32 first = (u32)(((osm_prng_next(&r) >> 32) * OSM_LDC_CODEWORDS) >> 32);
		u32 per = (len + OSM_LDC_CODEWORDS - 1) / OSM_LDC_CODEWORDS, k;

		for (k = 0; k < len && k < OSM_LDC_CODEWORDS; k++) {
			u32 c = (first + k) % OSM_LDC_CODEWORDS;

			cw[c] = cw[c] + per > 255 ? 255 : cw[c] + per;
		}
		ldc += len;
		nb += len / 38;
		q->flags |= OSM_QF_BURST;
	}
	for (i = 0; i < OSM_LDC_CODEWORDS; i++)
		if (cw[i] > worst)
			worst = cw[i];
	for (i = 0; i < OSM_BIS_CODEWORDS; i++)
		if (bis[i] > OSM_ECC_LIMIT)
			q->flags |= OSM_QF_UNCORRECTABLE;
	if (worst > OSM_ECC_LIMIT)
		q->flags |= OSM_QF_UNCORRECTABLE;
	q->ldc = ldc > 0xffff ? 0xffff : (u16)ldc;
	q->bis = nb > 0xffff ? 0xffff : (u16)nb;
	q->ldc_worst = (u8)worst;
}
