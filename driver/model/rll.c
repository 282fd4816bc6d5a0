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

/*
 * The histogram pass is table-driven (rll_lut.h, generated from the rules
 * above by scripts/gen_rll_lut.py). Every data pair owns three channel
 * bits, so a byte owns twelve; which twelve depends on the byte, on the
 * first three pairs of the next byte (six classes) and on the tail of a
 * word that began in the byte before (five states). The state chain costs
 * a shift and a mask per byte (the table holds 6 x state, which also is
 * the state's offset in the run table in units of 256).
 *
 * The stream is never built as bits: one look-up per byte gives the run
 * lengths its twelve bits close (at most six, as 4-bit codes, length - 2)
 * and, as a last partial code, the run it leaves open. The first code is
 * short of the open run carried in, so adding the entry at the partial
 * code completes it. Codes go to a small buffer without branches, two
 * bytes per store. Runs alternate space, mark, space, ... from a virtual
 * long space before the stream, so every second code is a mark, and the
 * three codes around it, twelve bits, index the table of histogram bins.
 */
#include "rll_lut.h"

/* Data bytes coded per buffer (one more at a frame's end): six runs each. */
#define OSM_RLL_CHUNK		80
/* Buffer: two runs kept, a sync, the chunk, 16 bytes of slack. */
#define OSM_RLL_BUF		((2 + 6 + 6 * (OSM_RLL_CHUNK + 1)) / 2 + 16)
#define OSM_RLL_RUNS_N		0xfffffffU

/* the sync's runs after the open one: 9T 9T 3T 3T 3T, then 2 bits open */
#define OSM_RLL_SYNC_RUNS	(((7U << 4) + (7U << 8) + (1U << 12) + (1U << 16) + \
				  (1U << 20) + (2U << 24) - 1) | 6U << 28)

/*
 * Count the marks of @n codes at @buf, the first with stream index @base,
 * whose following space is complete. Marks are the odd stream indices; a
 * triple starts at the space before the mark, so all triples of a buffer
 * start at the same nibble phase and eight bytes hold six of them.
 *
 * Return: the marks counted.
 */
static u32 osm_rll_count_runs(const u8 *buf, u32 n, u32 base, u32 *count)
{
	u32 i = base & 1, sh = 4 * i, first = i;
	u64 w;

	for (; i + 12 < n; i += 12) {
		w = get_unaligned_le64(&buf[i >> 1]) >> sh;
		count[osm_rll_tri[w & 0xfff]]++;
		count[osm_rll_tri[(w >> 8) & 0xfff]]++;
		count[osm_rll_tri[(w >> 16) & 0xfff]]++;
		count[osm_rll_tri[(w >> 24) & 0xfff]]++;
		count[osm_rll_tri[(w >> 32) & 0xfff]]++;
		count[osm_rll_tri[(w >> 40) & 0xfff]]++;
	}
	for (; i + 2 < n; i += 2) {
		w = buf[i >> 1] | (u32)buf[(i >> 1) + 1] << 8;
		count[osm_rll_tri[(w >> sh) & 0xfff]]++;
	}
	return (i - first) / 2;
}

/* add a run-table entry at the partial code */
#define OSM_RLL_ADD(e)							\
	do {								\
		u32 e_ = (e);						\
		acc += (u64)(e_ & OSM_RLL_RUNS_N) << abits;		\
		abits += (e_ >> 26) & 0x1c;				\
	} while (0)

/* store the complete bytes of the codes */
#define OSM_RLL_FLUSH()							\
	do {								\
		put_unaligned_le64(acc, &buf[nb]);				\
		nb += abits >> 3;					\
		acc >>= abits & ~7U;					\
		abits &= 7;						\
	} while (0)

/* code the byte at @p, whose successor is in the frame */
#define OSM_RLL_BYTE(p)							\
	do {								\
		const u8 *p_ = (p);					\
		u32 i_ = p_[0] * 6 + osm_rll_cls[p_[1]];		\
		OSM_RLL_ADD(osm_rll_runs[(s6 << 8) + i_]);		\
		s6 = (osm_rll_next[i_] >> s6) & 31;			\
	} while (0)

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
	u8 buf[OSM_RLL_BUF];	/* run codes, two a byte, first low */
	u32 nb = 0;		/* buffer bytes complete */
	/*
	 * codes not yet stored (abits bits) and the partial one above them,
	 * at first 8 so that the run ending at the sync's bit 1 gets code 7:
	 * the virtual space before the stream
	 */
	u64 acc = 8;
	u32 abits = 0, base = 0, n;
	size_t off;

	osm_memset(h, 0, sizeof(*h));
	if (!len)
		return;
	osm_memset(buf, 0, sizeof(buf));
	for (off = 0; off < len; off += OSM_RLL_FRAME_BYTES) {
		size_t fl = len - off < OSM_RLL_FRAME_BYTES ?
			    len - off : OSM_RLL_FRAME_BYTES;
		const u8 *d = data + off;
		u32 s6 = 0, k = 0, end;

		OSM_RLL_ADD(OSM_RLL_SYNC_RUNS);
		OSM_RLL_FLUSH();
		while (k < fl) {
			end = fl - k > OSM_RLL_CHUNK ? k + OSM_RLL_CHUNK : fl - 1;
			for (; k + 3 < end; k += 4) {
				OSM_RLL_BYTE(d + k);
				OSM_RLL_BYTE(d + k + 1);
				OSM_RLL_FLUSH();
				OSM_RLL_BYTE(d + k + 2);
				OSM_RLL_BYTE(d + k + 3);
				OSM_RLL_FLUSH();
			}
			for (; k + 1 < end; k += 2) {
				OSM_RLL_BYTE(d + k);
				OSM_RLL_BYTE(d + k + 1);
				OSM_RLL_FLUSH();
			}
			if (k < end) {
				OSM_RLL_BYTE(d + k);
				k++;
			}
			if (k == fl - 1) {
				/* the frame's last byte has no look-ahead: class 3 */
				OSM_RLL_ADD(osm_rll_runs[(s6 << 8) + d[k] * 6 + 3]);
				k++;
			}
			OSM_RLL_FLUSH();
			n = nb * 2 + abits / 4;
			h->marks += osm_rll_count_runs(buf, n, base, h->count);
			/* keep the last two codes, whose triples are open */
			base += n - 2;
			acc = (get_unaligned_le64(&buf[(n - 2) >> 1]) >> (4 * (n & 1))) & 0xfff;
			abits = 8;
			nb = 0;
		}
	}
	/* the open run ends the stream as a >= 5T space, code 7 */
	acc = (acc & ((1ULL << abits) - 1)) | 7ULL << abits;
	abits += 4;
	OSM_RLL_FLUSH();
	h->marks += osm_rll_count_runs(buf, nb * 2 + abits / 4, base, h->count);
	h->bits = (u32)osm_rll_encoded_bits(len);
}
