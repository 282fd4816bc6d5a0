// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl - number parsing and unit conversion.
 *
 * Values are kept as integers in the driver's units (mm/s, uW, sectors);
 * decimal input such as "1.5" is parsed as fixed point, never through
 * floating point, so that "4.917" is exactly 4917 mm/s.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/optsim.h>

#include "units.h"

/*
 * parse_u64() - parse a plain decimal number.
 * Returns 0, -EINVAL (empty, sign, blanks, other characters) or -ERANGE.
 */
int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d;

		if (*s < '0' || *s > '9')
			return -EINVAL;
		d = (unsigned int)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/*
 * parse_fixed() - parse "I", "I.F", ".F" or "I." with at most @decimals
 * significant fractional digits into an integer scaled by 10^@decimals:
 * parse_fixed("1.5", 3) = 1500. Further fractional digits are accepted only
 * when they are zeros. Returns 0, -EINVAL or -ERANGE.
 */
int parse_fixed(const char *s, unsigned int decimals, uint64_t *out)
{
	uint64_t v = 0;
	unsigned int frac = 0;
	bool dot = false, digits = false;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d;

		if (*s == '.') {
			if (dot)
				return -EINVAL;
			dot = true;
			continue;
		}
		if (*s < '0' || *s > '9')
			return -EINVAL;
		d = (unsigned int)(*s - '0');
		digits = true;
		if (dot) {
			if (frac == decimals) {
				if (d)
					return -EINVAL;	/* too precise */
				continue;
			}
			frac++;
		}
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (!digits)
		return -EINVAL;
	for (; frac < decimals; frac++) {
		if (v > UINT64_MAX / 10)
			return -ERANGE;
		v *= 10;
	}
	*out = v;
	return 0;
}

/*
 * parse_speed() - parse a speed in multiples of BD 1x ("2", "1.5", "2x")
 * into thousandths of 1x.
 */
int parse_speed(const char *s, uint64_t *milli_x)
{
	char buf[64];
	size_t len;

	if (!s)
		return -EINVAL;
	len = strlen(s);
	if (len && (s[len - 1] == 'x' || s[len - 1] == 'X'))
		len--;
	if (!len || len >= sizeof(buf))
		return len ? -ERANGE : -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return parse_fixed(buf, 3, milli_x);
}

/*
 * parse_layer() - a layer index below OPTSIM_MAX_LAYERS, or "all"
 * (OPTSIM_LAYER_ALL) when @allow_all.
 */
int parse_layer(const char *s, bool allow_all, uint32_t *out)
{
	uint64_t v;
	int ret;

	if (allow_all && s && !strcmp(s, "all")) {
		*out = OPTSIM_LAYER_ALL;
		return 0;
	}
	ret = parse_u64(s, &v);
	if (ret)
		return ret;
	if (v >= OPTSIM_MAX_LAYERS)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

/*
 * parse_sweep() - "NAME:FROM:TO:STEP" with three parse_fixed() numbers of
 * @decimals: parse_sweep("power:4:12:0.5", "power", 3, ...) = 4000, 12000,
 * 500. Only the syntax is checked here. Returns 0, -EINVAL or -ERANGE.
 */
int parse_sweep(const char *s, const char *name, unsigned int decimals,
		uint64_t *from, uint64_t *to, uint64_t *step)
{
	uint64_t v[3];
	char buf[96], *p, *colon;
	size_t len = strlen(name);
	int i, ret;

	if (!s || strncmp(s, name, len) || s[len] != ':')
		return -EINVAL;
	if (strlen(s + len + 1) >= sizeof(buf))
		return -ERANGE;
	strcpy(buf, s + len + 1);
	p = buf;
	for (i = 0; i < 3; i++) {
		colon = strchr(p, ':');
		if ((i < 2) != !!colon)
			return -EINVAL;
		if (colon)
			*colon = '\0';
		ret = parse_fixed(p, decimals, &v[i]);
		if (ret)
			return ret;
		if (colon)
			p = colon + 1;
	}
	*from = v[0];
	*to = v[1];
	*step = v[2];
	return 0;
}

/* speed_to_mms() - thousandths of 1x to mm/s, rounded to nearest. */
int speed_to_mms(uint64_t milli_x, uint64_t *mms)
{
	if (milli_x > (UINT64_MAX - 500) / OPTSIM_VELOCITY_1X_MMS)
		return -ERANGE;
	*mms = (milli_x * OPTSIM_VELOCITY_1X_MMS + 500) / 1000;
	return 0;
}

/* mms_to_milli_x() - mm/s to thousandths of 1x, rounded to nearest. */
uint64_t mms_to_milli_x(uint64_t mms)
{
	return (mms * 1000 + OPTSIM_VELOCITY_1X_MMS / 2) /
	       OPTSIM_VELOCITY_1X_MMS;
}

/*
 * fmt_fixed() - print @v / 10^@decimals with @decimals digits after the
 * point; with @trim drop trailing zeros (and the point when nothing is left).
 */
char *fmt_fixed(char *buf, size_t len, uint64_t v, unsigned int decimals,
		bool trim)
{
	uint64_t scale = 1;
	unsigned int i;
	size_t n;

	for (i = 0; i < decimals; i++)
		scale *= 10;
	if (!decimals) {
		snprintf(buf, len, "%llu", (unsigned long long)v);
		return buf;
	}
	snprintf(buf, len, "%llu.%0*llu", (unsigned long long)(v / scale),
		 (int)decimals, (unsigned long long)(v % scale));
	if (trim) {
		n = strlen(buf);
		while (n && buf[n - 1] == '0')
			buf[--n] = '\0';
		if (n && buf[n - 1] == '.')
			buf[--n] = '\0';
	}
	return buf;
}

/*
 * fmt_range() - "@lo..@hi UNIT" with fmt_fixed(@decimals) numbers:
 * fmt_range(buf, len, 1000, 60000, 3, "m/s") = "1.000..60.000 m/s".
 */
char *fmt_range(char *buf, size_t len, uint64_t lo, uint64_t hi,
		unsigned int decimals, const char *unit)
{
	char a[FIXED_BUFSZ], b[FIXED_BUFSZ];

	snprintf(buf, len, "%s..%s %s", fmt_fixed(a, sizeof(a), lo, decimals, false),
		 fmt_fixed(b, sizeof(b), hi, decimals, false), unit);
	return buf;
}

/*
 * layer_sectors_valid() - @n is a layer size the driver accepts: a multiple
 * of OPTSIM_CLUSTER_SECTORS from OPTSIM_LAYER_SECTORS_MIN to _MAX.
 */
bool layer_sectors_valid(uint64_t n)
{
	return n >= OPTSIM_LAYER_SECTORS_MIN && n <= OPTSIM_LAYER_SECTORS_MAX &&
	       !(n % OPTSIM_CLUSTER_SECTORS);
}
