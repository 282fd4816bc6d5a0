// SPDX-License-Identifier: GPL-2.0
/*
 * Thin-film optics by the characteristic matrix method (Macleod, "Thin-Film
 * Optical Filters", ch. 2), at normal incidence, complex index N = n - ik.
 * A film of thickness d has the phase thickness delta = 2 pi N d / lambda
 * and the matrix
 *
 *	| cos delta            i sin(delta) / N |
 *	| i N sin delta        cos delta        |
 *
 * Multiplying the films' matrices, exit side first, onto (1, N_out) gives
 * (B, C); with n0 the incident medium's index
 *
 *	R = |n0 B - C|^2 / |n0 B + C|^2,  T = 4 n0 Re(N_out) / |n0 B + C|^2,
 *
 * and the net power flux across each interface is Re(B C*) of the partial
 * product there, times 4 n0 / |n0 B + C|^2: a film absorbs the difference
 * of the fluxes at its two faces. Complex numbers are Q20 in s64.
 */
#include "film.h"
#include "fixmath.h"

#define OSM_FQ		20
#define OSM_F1		1048576LL	/* 1.0 in Q20 */

struct osm_cx {
	s64 re;
	s64 im;
};

static struct osm_cx osm_cx_mul(struct osm_cx x, struct osm_cx y)
{
	struct osm_cx r = {
		.re = (x.re * y.re - x.im * y.im) >> OSM_FQ,
		.im = (x.re * y.im + x.im * y.re) >> OSM_FQ,
	};
	return r;
}

static struct osm_cx osm_cx_add(struct osm_cx x, struct osm_cx y)
{
	struct osm_cx r = { .re = x.re + y.re, .im = x.im + y.im };

	return r;
}

/* i x */
static struct osm_cx osm_cx_i(struct osm_cx x)
{
	struct osm_cx r = { .re = -x.im, .im = x.re };

	return r;
}

static u64 osm_cx_abs2(struct osm_cx x)
{
	return (u64)((x.re * x.re + x.im * x.im) >> OSM_FQ);
}

/* x / y, y != 0 */
static struct osm_cx osm_cx_div(struct osm_cx x, struct osm_cx y)
{
	s64 d = (s64)osm_cx_abs2(y);
	struct osm_cx c = { .re = y.re, .im = -y.im }, r;

	r = osm_cx_mul(x, c);
	r.re = osm_sdiv64(r.re * OSM_F1, d);
	r.im = osm_sdiv64(r.im * OSM_F1, d);
	return r;
}

/* e^b for 0 <= b (Q20) < 20 */
static s64 osm_expq20(s64 b)
{
	s32 x = (s32)(((b >> 4) * OSM_LOG2E_Q16) >> 16);

	return (s64)osm_exp2_q16(x) << 4;
}

static void osm_film_index(const struct osm_film *f, u32 state, s64 *n, s64 *k)
{
	bool rec = f->rec_pct && state == OSM_FILM_RECORDED;

	*n = ((s64)(rec ? f->n2_milli : f->n_milli) << OSM_FQ) / 1000;
	*k = ((s64)(rec ? f->k2_milli : f->k_milli) << OSM_FQ) / 1000;
}

/**
 * osm_film_optics() - reflectance, transmittance and absorption of a stack
 * @fs: the stack
 * @rec_nm: thickness of the recording layer (split over its films by
 *	their rec_pct)
 * @state: OSM_FILM_UNRECORDED or OSM_FILM_RECORDED
 * @wavelength_nm: the light's wavelength (the indices are those at 405 nm;
 *	their dispersion over 390-430 nm is neglected)
 * @o: the result
 *
 * Return: 0, or -EINVAL for a stack with no film, an incident index of 0
 * or a wavelength of 0.
 */
int osm_film_optics(const struct osm_film_stack *fs, u32 rec_nm, u32 state,
		    u32 wavelength_nm, struct osm_film_optics *o)
{
	struct osm_cx b = { .re = OSM_F1, .im = 0 }, c, n0b, t;
	s64 n0, flux, front, absorbed = 0, num;
	u64 den;
	int i;

	if (!fs->films || fs->films > OSM_FILM_MAX || !fs->in_milli ||
	    !wavelength_nm)
		return -EINVAL;
	n0 = ((s64)fs->in_milli << OSM_FQ) / 1000;
	c.re = ((s64)fs->out_n_milli << OSM_FQ) / 1000;
	c.im = -(((s64)fs->out_k_milli << OSM_FQ) / 1000);
	flux = (b.re * c.re + b.im * c.im) >> OSM_FQ;
	for (i = fs->films - 1; i >= 0; i--) {
		const struct osm_film *f = &fs->film[i];
		u32 d = f->rec_pct ? rec_nm * f->rec_pct / 100 : f->nm;
		struct osm_cx nn, cosd, sind, nb, nc;
		s64 n, k, a, bb, sa, ca, ep, em, ch, sh;

		osm_film_index(f, state, &n, &k);
		nn.re = n;
		nn.im = -k;
		/* delta = a - i bb: a = 2 pi n d / lambda, bb = 2 pi k d / lambda */
		a = osm_sdiv64(OSM_2PI_Q20 * d * n >> OSM_FQ, wavelength_nm);
		bb = osm_sdiv64(OSM_2PI_Q20 * d * k >> OSM_FQ, wavelength_nm);
		osm_sincos_q20(a, &sa, &ca);
		ep = osm_expq20(bb);
		em = osm_sdiv64(OSM_F1 * OSM_F1, ep);
		ch = (ep + em) / 2;
		sh = (ep - em) / 2;
		/* cos(a - ib) = cos a cosh b + i sin a sinh b */
		cosd.re = (ca * ch) >> OSM_FQ;
		cosd.im = (sa * sh) >> OSM_FQ;
		/* sin(a - ib) = sin a cosh b - i cos a sinh b */
		sind.re = (sa * ch) >> OSM_FQ;
		sind.im = -((ca * sh) >> OSM_FQ);
		nb = osm_cx_add(osm_cx_mul(cosd, b),
				osm_cx_i(osm_cx_div(osm_cx_mul(sind, c), nn)));
		nc = osm_cx_add(osm_cx_i(osm_cx_mul(osm_cx_mul(nn, sind), b)),
				osm_cx_mul(cosd, c));
		b = nb;
		c = nc;
		front = (b.re * c.re + b.im * c.im) >> OSM_FQ;
		if (f->rec_pct)
			absorbed += front - flux;
		flux = front;
	}
	n0b.re = (n0 * b.re) >> OSM_FQ;
	n0b.im = (n0 * b.im) >> OSM_FQ;
	den = osm_cx_abs2(osm_cx_add(n0b, c));
	if (!den)
		return -EINVAL;
	t.re = n0b.re - c.re;
	t.im = n0b.im - c.im;
	o->refl_q16 = (u32)osm_div64(osm_cx_abs2(t) << 16, den);
	num = (4 * n0 * (((s64)fs->out_n_milli << OSM_FQ) / 1000)) >> OSM_FQ;
	o->trans_q16 = fs->out_k_milli ? 0 : (u32)osm_div64((u64)num << 16, den);
	num = (4 * n0 * (absorbed > 0 ? absorbed : 0)) >> OSM_FQ;
	o->absorb_q16 = (u32)osm_div64((u64)num << 16, den);
	return 0;
}

/**
 * osm_film_band_trans_q16() - mean transmittance over a band and both states
 * @fs: the stack
 * @rec_nm: recording layer thickness
 * @lo_nm: shortest wavelength
 * @hi_nm: longest wavelength (sampled every 10 nm from @lo_nm)
 *
 * (Tc + Ta)/2 averaged over the band: P4's figure of merit of a near layer.
 *
 * Return: the mean transmittance (Q16), 0 for an invalid stack or band.
 */
u32 osm_film_band_trans_q16(const struct osm_film_stack *fs, u32 rec_nm,
			    u32 lo_nm, u32 hi_nm)
{
	struct osm_film_optics o;
	u64 sum = 0;
	u32 wl, s, n = 0;

	for (wl = lo_nm; wl && wl <= hi_nm; wl += 10) {
		for (s = OSM_FILM_UNRECORDED; s <= OSM_FILM_RECORDED; s++) {
			if (osm_film_optics(fs, rec_nm, s, wl, &o))
				return 0;
			sum += o.trans_q16;
			n++;
		}
	}
	return n ? (u32)osm_div64(sum, n) : 0;
}
