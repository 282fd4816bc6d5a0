// SPDX-License-Identifier: GPL-2.0
/*
 * d=1, k=7 rate-2/3 channel code.
 *
 * The BD 17PP conversion table is not available to this project, so the
 * code here is our own construction on the classic (1,7) look-ahead scheme
 * (as in Jacoby's and Franaszek's rate-2/3 (1,7) codes). Data bits are read
 * in pairs, MSB first; channel bits are NRZI: a 1 is a transition.
 *
 *   basic:   00 -> 101   01 -> 100   10 -> 001   11 -> 010
 *   d-fix:   a word ending in 1 (00, 10) followed by one starting with 1
 *            (00, 01) would give "11"; the pair is coded as one 6-bit word:
 *            0000 -> 101000  0001 -> 100000  1000 -> 001000  1001 -> 010000
 *   RMTR:    x 11 00 11 with x in {00, 10}, the only source of chains of
 *            minimum runs, is coded as basic(x) 000 000 100 (12 bits).
 *
 * "000" is only ever the second half of a d-fix word and "000 000" only
 * occurs in an RMTR word, so the decoder tells them apart with two words of
 * look-ahead. Runs are 2T..8T (at most seven zeros: 100000 followed by 001),
 * and with the RMTR rule at most six 2T runs follow each other; the unit
 * tests check both over random and adversarial data.
 *
 * Every OSM_RLL_FRAME_BYTES data bytes form a frame that starts with a
 * 30-bit sync holding two 9T runs, which data never contains:
 *   01 00000000 1 00000000 1 0010010010
 * The DC-control bits of 17PP are not modelled.
 */
#include "rll.h"

static const u8 osm_rll_basic[4] = { 5, 4, 1, 2 };
/* d-fix words indexed by [first >> 1][second]; first in {00, 10}. */
static const u8 osm_rll_dfix[2][2] = { { 0x28, 0x20 }, { 0x08, 0x10 } };
#define OSM_RLL_SYNC	0x10080492U	/* the 30 sync bits above */

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

/**
 * osm_rll_encoded_bits() - channel bits that @len data bytes encode into
 * @len: data bytes
 *
 * Return: 12 bits per byte plus one sync per started frame.
 */
size_t osm_rll_encoded_bits(size_t len)
{
	size_t frames = (len + OSM_RLL_FRAME_BYTES - 1) / OSM_RLL_FRAME_BYTES;

	return len * 12 + frames * OSM_RLL_SYNC_BITS;
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
		return -22;
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
				return -22;
			if (w1 == 0 && w2 == 0) {
				if (osm_rll_word(code, pos + 9) != 4 || (p0 & 1))
					return -22;
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
				return -22;
			for (k = 0; k < cnt; k++, i++)
				d[i >> 2] |= p[k] << (6 - 2 * (i & 3));
			pos += 3 * cnt;
		}
	}
	return 0;
}

/*
 * The histogram pass is table-driven (rll_lut.h, generated from the rules
 * above by tools/unit/rll_lut_gen.py). Every data pair owns three channel
 * bits, so a byte owns twelve; which twelve depends on the byte, on the
 * first three pairs of the next byte (six classes) and on the tail of a
 * word that began in the byte before (five states). The state chain costs
 * a shift and a mask per byte; the bits come from one look-up.
 *
 * The channel bits are then handled 64 at a time, first bit in bit 0: a
 * prefix XOR gives the NRZI level, the transitions into a mark are the
 * marks' leading edges, and for each of them count-trailing/leading-zero
 * instructions give the preceding space, the mark and the following space.
 */
#include "rll_lut.h"

/* NRZI scan state of the 64-bit words. */
struct osm_rll_scan {
	u64 acc;	/* channel bits not yet a full word */
	u32 nacc;	/* their number */
	u64 prev;	/* the word before @cur */
	u64 cur;	/* the word being scanned (once @next is known) */
	u32 have;	/* words received: scanning starts with the second */
	u32 parity;	/* NRZI level after the word before @cur */
	u32 *count;
	u32 marks;
};

static const u8 osm_rll_sclass[8] = { 0, 0, 0, 1, 2, 3, 3, 3 };

static inline u32 osm_rll_ctz(u64 x)
{
	return (u32)__builtin_ctzll(x);
}

static inline u32 osm_rll_clz(u64 x)
{
	return (u32)__builtin_clzll(x);
}

/* count the marks that start in s->cur, @next being the word after it */
static void osm_rll_scan_word(struct osm_rll_scan *s, u64 next)
{
	u64 cur = s->cur, lv = cur, ms;

	lv ^= lv << 1;
	lv ^= lv << 2;
	lv ^= lv << 4;
	lv ^= lv << 8;
	lv ^= lv << 16;
	lv ^= lv << 32;
	if (s->parity)
		lv = ~lv;
	s->parity = (u32)(lv >> 63);
	ms = cur & lv;		/* transitions into a mark */
	while (ms) {
		u32 p = osm_rll_ctz(ms), n, m, sp;
		u64 after, before;

		ms &= ms - 1;
		after = (cur >> p) | (p ? next << (64 - p) : 0);
		before = p ? (cur << (64 - p)) | (s->prev >> p) : s->prev;
		sp = osm_rll_clz(before | 1) + 1;
		n = osm_rll_ctz((after >> 1) | (1ULL << 62)) + 1;
		if (n > 9)
			continue;	/* open at the end of the stream */
		m = osm_rll_ctz((after >> (n + 1)) | (1ULL << 40)) + 1;
		s->count[(osm_rll_sclass[sp > 7 ? 7 : sp] * OSM_RLL_MARKS +
			  (n - 2)) * OSM_RLL_SPACES +
			 osm_rll_sclass[m > 7 ? 7 : m]]++;
		s->marks++;
	}
	s->prev = cur;
}

static inline void osm_rll_word_done(struct osm_rll_scan *s, u64 w)
{
	if (s->have++)
		osm_rll_scan_word(s, w);
	s->cur = w;
}

/* append @n (1..64) bits; bits above @n are zero */
static inline void osm_rll_push(struct osm_rll_scan *s, u64 bits, u32 n)
{
	s->acc |= bits << s->nacc;
	s->nacc += n;
	if (s->nacc >= 64) {
		s->nacc -= 64;
		osm_rll_word_done(s, s->acc);
		s->acc = s->nacc ? bits >> (n - s->nacc) : 0;
	}
}

/* the 30 sync bits, first in bit 0 */
static u64 osm_rll_sync_lsb(void)
{
	u64 v = 0;
	u32 k;

	for (k = 0; k < OSM_RLL_SYNC_BITS; k++)
		v |= (u64)((OSM_RLL_SYNC >> (OSM_RLL_SYNC_BITS - 1 - k)) & 1) << k;
	return v;
}

/**
 * osm_rll_histogram() - encode data and count its mark patterns
 * @data: user bytes (one cluster, normally)
 * @len: their number
 * @h: filled in with the (space, mark, space) histogram of the NRZI stream
 *
 * The stream starts in a space; the first mark's preceding space is taken
 * as >= 5T and a mark still open at the end is not counted.
 */
void osm_rll_histogram(const u8 *data, size_t len, struct osm_rll_hist *h)
{
	struct osm_rll_scan s = { .prev = 1, .count = h->count };
	u64 sync = osm_rll_sync_lsb();
	size_t off;

	osm_memset(h, 0, sizeof(*h));
	for (off = 0; off < len; off += OSM_RLL_FRAME_BYTES) {
		size_t fl = len - off < OSM_RLL_FRAME_BYTES ?
			    len - off : OSM_RLL_FRAME_BYTES;
		const u8 *d = data + off;
		u32 st = 0, k;

		osm_rll_push(&s, sync, OSM_RLL_SYNC_BITS);
		for (k = 0; k < fl; k++) {
			/* the frame's last byte has no look-ahead: class 3 */
			u32 c = k + 1 < fl ? osm_rll_cls[d[k + 1]] : 3;
			u32 i = d[k] * 6 + c;

			osm_rll_push(&s, osm_rll_out[st * 256 * 6 + i], 12);
			st = (osm_rll_next[i] >> (3 * st)) & 7;
		}
	}
	/* flush: the partial word, then a last empty one */
	osm_rll_word_done(&s, s.acc);
	osm_rll_word_done(&s, 0);
	h->marks = s.marks;
	h->bits = (u32)osm_rll_encoded_bits(len);
}
