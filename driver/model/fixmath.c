// SPDX-License-Identifier: GPL-2.0
/*
 * Fixed-point transcendental functions.
 *
 * The tables, 2^(i/64), log2(1 + i/256), erf(i/64) and -log2(erfc(i/128))
 * rounded to fixed point, are in fixmath_tables.h, which
 * scripts/gen_fixmath_tables.py writes (make gen); they are only read
 * here. Between entries the functions interpolate linearly,
 * which keeps the relative error of exp2/log2 below 1e-4 and the absolute
 * error of erf below 2e-5.
 */
#include "fixmath.h"
#include "fixmath_tables.h"

/**
 * osm_exp2_q16() - 2 to a fixed-point power
 * @x_q16: exponent in Q16, at most 31.0 (larger saturates)
 *
 * Return: 2^(@x_q16 / 65536) in Q16; 0 when the result is below 2^-16.
 */
u64 osm_exp2_q16(s32 x_q16)
{
	s32 ip = x_q16 >> 16;		/* floor */
	u32 fr = (u32)x_q16 & 0xffff;	/* fraction, Q16 */
	u32 i = fr >> 10, rem = fr & 0x3ff;
	u64 m;

	if (ip >= 31)
		return ~0ULL >> 17;
	if (ip < -17)
		return 0;
	/* mantissa 2^(fr) in Q30, linear between the 1/64 steps */
	m = osm_exp2_frac[i] + (((u64)(osm_exp2_frac[i + 1] - osm_exp2_frac[i]) * rem) >> 10);
	/* Q30 -> Q16 with the integer power folded into the shift */
	if (ip + 16 - 30 >= 0)
		return m << (ip + 16 - 30);
	return m >> (30 - 16 - ip);
}

/**
 * osm_expneg_q16() - exp(-x)
 * @x_q16: x >= 0 in Q16
 *
 * Return: exp(-@x_q16 / 65536) in Q16 (65536 for x = 0).
 */
u32 osm_expneg_q16(u32 x_q16)
{
	u64 e = ((u64)x_q16 * OSM_LOG2E_Q16) >> 16;

	if (e > (40U << 16))
		return 0;
	return (u32)osm_exp2_q16(-(s32)e);
}

/**
 * osm_log2_q16() - base-2 logarithm
 * @x: argument, > 0 (0 returns the smallest value)
 *
 * Return: log2(@x) in Q16.
 */
s32 osm_log2_q16(u64 x)
{
	u32 msb, i, rem;
	u64 mant;

	if (!x)
		return -(64 << 16);
	msb = fls64(x) - 1;
	/* mantissa in [1, 2) as a Q16 fraction */
	mant = msb >= 16 ? (x >> (msb - 16)) & 0xffff : (x << (16 - msb)) & 0xffff;
	i = (u32)mant >> 8;
	rem = (u32)mant & 0xff;
	return (s32)(msb << 16) + (s32)(osm_log2_frac[i] +
		(((osm_log2_frac[i + 1] - osm_log2_frac[i]) * rem) >> 8));
}

/**
 * osm_erf_q16() - error function
 * @x_q16: x >= 0 in Q16
 *
 * Return: erf(@x_q16 / 65536) in Q16; 65536 beyond x = 4.
 */
u32 osm_erf_q16(u32 x_q16)
{
	u32 i = x_q16 >> 10, rem = x_q16 & 0x3ff;

	if (i >= 256)
		return OSM_Q16;
	return osm_erf_tab[i] + (((osm_erf_tab[i + 1] - osm_erf_tab[i]) * rem) >> 10);
}

/**
 * osm_nlog2_erfc_q8() - tail of the complementary error function
 * @x_q16: x >= 0 in Q16
 *
 * Return: -log2(erfc(@x_q16 / 65536)) in Q8.8, extrapolated
 * (x^2 * log2(e)) beyond x = 8.
 */
u32 osm_nlog2_erfc_q8(u32 x_q16)
{
	u32 i = x_q16 >> 9, rem = x_q16 & 0x1ff;

	if (i >= 1024) {
		u64 x2 = ((u64)x_q16 * x_q16) >> 24;	/* Q8 */

		return (u32)((x2 * OSM_LOG2E_Q16) >> 16);
	}
	return osm_nlog2_erfc_tab[i] +
	       (((osm_nlog2_erfc_tab[i + 1] - osm_nlog2_erfc_tab[i]) * rem) >> 9);
}

/**
 * osm_sincos_q20() - sine and cosine
 * @a: angle, radians in Q20; negative angles are taken as their absolute
 *	value's reflection (sin(-a) = -sin a, cos(-a) = cos a)
 * @s: sin(@a), Q20
 * @c: cos(@a), Q20
 *
 * Taylor series on [-pi/4, pi/4] in Q30, after reducing @a by quadrants.
 */
void osm_sincos_q20(s64 a, s64 *s, s64 *c)
{
	s64 r, r2, sn, cs;
	bool neg = a < 0;
	u32 q;

	if (neg)
		a = -a;
	a -= osm_sdiv64(a, OSM_2PI_Q20) * OSM_2PI_Q20;
	q = (u32)osm_sdiv64(a + OSM_PI_4_Q20, OSM_PI_2_Q20);
	r = (a - (s64)q * OSM_PI_2_Q20) * 1024;		/* Q30 */
	r2 = (r * r) >> 30;
	sn = (1LL << 30) - osm_sdiv64(r2 * ((1LL << 30) - osm_sdiv64(r2, 72)) >> 30, 42);
	sn = (1LL << 30) - osm_sdiv64(r2 * sn >> 30, 20);
	sn = (1LL << 30) - osm_sdiv64(r2 * sn >> 30, 6);
	sn = (r * sn) >> 30;
	cs = (1LL << 30) - osm_sdiv64(r2 * ((1LL << 30) - osm_sdiv64(r2, 56)) >> 30, 30);
	cs = (1LL << 30) - osm_sdiv64(r2 * cs >> 30, 12);
	cs = (1LL << 30) - osm_sdiv64(r2 * cs >> 30, 2);
	sn >>= 10;
	cs >>= 10;
	switch (q & 3) {
	case 0:
		*s = sn;
		*c = cs;
		break;
	case 1:
		*s = cs;
		*c = -sn;
		break;
	case 2:
		*s = -sn;
		*c = -cs;
		break;
	default:
		*s = -cs;
		*c = sn;
		break;
	}
	if (neg)
		*s = -*s;
}
