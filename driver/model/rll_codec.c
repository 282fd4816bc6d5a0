// SPDX-License-Identifier: GPL-2.0
/*
 * The channel code of rll.c, bit by bit: an encoder into NRZI channel bits
 * and its decoder. The unit tests check the code's run-length limits on
 * this stream and the table-driven osm_rll_histogram() against it.
 *
 * Userspace only (tools/testing/unit, optsimctl): the module needs nothing
 * but the histogram, so driver/Kbuild does not build this file.
 */
#include "rll.h"

static const u8 osm_rll_basic[4] = { 5, 4, 1, 2 };
/* d-fix words indexed by [first >> 1][second]; first in {00, 10}. */
static const u8 osm_rll_dfix[2][2] = { { 0x28, 0x20 }, { 0x08, 0x10 } };
#define OSM_RLL_SYNC	0x10080492U	/* the 30 sync bits of rll.c */

static inline u32 osm_rll_pair(const u8 *d, size_t i)
{
	return (d[i >> 2] >> (6 - 2 * (i & 3))) & 3;
}

/* Units of channel bits coded per call; bounds the stack used. */
#define OSM_RLL_UNITS	64

/*
 * Code the pairs of a frame of @np pairs from *@pi on into at most
 * OSM_RLL_UNITS units of channel bits, each (bits << 4 | count),
 * count <= 12, MSB first; *@pi advances past the pairs coded.
 *
 * Return: the number of units.
 */
static u32 osm_rll_code_frame(const u8 *d, size_t np, size_t *pi, u16 *unit)
{
	size_t i = *pi;
	u32 nu = 0;

	while (i < np && nu < OSM_RLL_UNITS) {
		u32 d0 = osm_rll_pair(d, i), d1;

		if (!(d0 & 1) && i + 1 < np) {
			d1 = osm_rll_pair(d, i + 1);
			if (d1 == 3 && i + 3 < np && osm_rll_pair(d, i + 2) == 0 &&
			    osm_rll_pair(d, i + 3) == 3) {
				unit[nu++] = (u16)(((u32)osm_rll_basic[d0] << 9 | 4) << 4 | 12);
				i += 4;
				continue;
			}
			if (d1 < 2) {
				unit[nu++] = (u16)(osm_rll_dfix[d0 >> 1][d1] << 4 | 6);
				i += 2;
				continue;
			}
		}
		unit[nu++] = (u16)(osm_rll_basic[d0] << 4 | 3);
		i++;
	}
	*pi = i;
	return nu;
}

struct osm_rll_writer {
	u8 *out;
	size_t pos;	/* bits written */
	size_t cap;	/* bits available */
};

static void osm_rll_put(struct osm_rll_writer *w, u32 bits, u32 n)
{
	while (n--) {
		size_t p = w->pos++;

		if (p >= w->cap)
			continue;
		if ((bits >> n) & 1)
			w->out[p >> 3] |= 0x80 >> (p & 7);
	}
}

/**
 * osm_rll_encode() - encode data into channel bits (NRZI transitions)
 * @data: user bytes
 * @len: their number
 * @out: channel bits, MSB first, a 1 being a transition; zeroed here
 * @out_len: bytes available at @out, at least
 *	(osm_rll_encoded_bits(@len) + 7) / 8
 *
 * Return: channel bits written, or 0 when @out is too small.
 */
size_t osm_rll_encode(const u8 *data, size_t len, u8 *out, size_t out_len)
{
	struct osm_rll_writer w = { .out = out, .cap = out_len * 8 };
	size_t off, need = osm_rll_encoded_bits(len);
	u16 unit[OSM_RLL_UNITS];

	if (out_len * 8 < need)
		return 0;
	osm_memset(out, 0, out_len);
	for (off = 0; off < len; off += OSM_RLL_FRAME_BYTES) {
		size_t fl = len - off < OSM_RLL_FRAME_BYTES ?
			    len - off : OSM_RLL_FRAME_BYTES;

		size_t i = 0;
		u32 nu, k;

		osm_rll_put(&w, OSM_RLL_SYNC, OSM_RLL_SYNC_BITS);
		while (i < fl * 4) {
			nu = osm_rll_code_frame(data + off, fl * 4, &i, unit);
			for (k = 0; k < nu; k++)
				osm_rll_put(&w, unit[k] >> 4, unit[k] & 15);
		}
	}
	return w.pos;
}

static inline u32 osm_rll_word(const u8 *c, size_t pos)
{
	u32 v = 0, k;

	for (k = 0; k < 3; k++, pos++)
		v = v << 1 | ((c[pos >> 3] >> (7 - (pos & 7))) & 1);
	return v;
}

static int osm_rll_unbasic(u32 w)
{
	switch (w) {
	case 5: return 0;
	case 4: return 1;
	case 1: return 2;
	case 2: return 3;
	}
	return -1;
}

/**
 * osm_rll_decode() - decode channel bits back into data
 * @code: channel bits from osm_rll_encode()
 * @nbits: their number
 * @data: decoded bytes
 * @len: bytes expected
 *
 * Return: 0, or -EINVAL when the stream is not a valid code sequence.
 */
int osm_rll_decode(const u8 *code, size_t nbits, u8 *data, size_t len)
{
	size_t pos = 0, off;

	if (nbits != osm_rll_encoded_bits(len))
		return -EINVAL;
	osm_memset(data, 0, len);
	for (off = 0; off < len; off += OSM_RLL_FRAME_BYTES) {
		size_t fl = len - off < OSM_RLL_FRAME_BYTES ?
			    len - off : OSM_RLL_FRAME_BYTES;
		size_t np = fl * 4, i = 0, end;
		u8 *d = data + off;

		pos += OSM_RLL_SYNC_BITS;
		end = pos + np * 3;
		while (i < np) {
			u32 w0 = osm_rll_word(code, pos);
			u32 w1 = pos + 3 < end ? osm_rll_word(code, pos + 3) : 7;
			u32 w2 = pos + 6 < end ? osm_rll_word(code, pos + 6) : 7;
			int p0 = osm_rll_unbasic(w0), p[4], k, cnt;

			if (p0 < 0)
				return -EINVAL;
			if (w1 == 0 && w2 == 0) {
				if (osm_rll_word(code, pos + 9) != 4 || (p0 & 1))
					return -EINVAL;
				p[0] = p0;
				p[1] = 3;
				p[2] = 0;
				p[3] = 3;
				cnt = 4;
			} else if (w1 == 0) {
				p[0] = w0 == 5 || w0 == 4 ? 0 : 2;
				p[1] = w0 == 5 || w0 == 1 ? 0 : 1;
				cnt = 2;
			} else {
				p[0] = p0;
				cnt = 1;
			}
			if (i + cnt > np)
				return -EINVAL;
			for (k = 0; k < cnt; k++, i++)
				d[i >> 2] |= p[k] << (6 - 2 * (i & 3));
			pos += 3 * cnt;
		}
	}
	return 0;
}
