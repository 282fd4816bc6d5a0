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
 * long space before the stream, so every second code is a mark. The
 * buffer always starts with a space: each byte of it holds a space (low
 * nibble) and the mark after it (high nibble), and the following space is
 * the low nibble of the next byte.
 *
 * Counting is the second pass over each buffer: the three codes around
 * each mark, twelve bits, index the table of bins, and one is added per
 * mark to OSM_RLL_PARTS histograms in turn, so that consecutive marks of
 * one pattern do not wait on each other's increment; they are summed at
 * the end. That is the scalar path.
 *
 * The AVX2 path (osm_rll_hist_avx2()) gives the same counts with fewer
 * instructions per byte, which is what bounds both. It stores the
 * transitions, not the runs: a second table (osm_rll_tpos) holds the bit
 * (0-11) of each of a byte's transitions, a byte each, and their number,
 * so one 8-byte store puts them down and the pointer advances by the
 * number, with no open run to carry from byte to byte. The bits are kept
 * modulo 12, counted from the start of the frame's data (a byte owns 12,
 * so a byte's transitions need no base), and a run, 2-10 bits, is the
 * difference of two transitions modulo 12. The next frame's data start 6
 * bits later modulo 12 (155 bytes and a 30-bit sync), so the few
 * transitions carried into it are moved by 6 (osm_rll_next_frame()), once
 * a frame, and one table serves every frame. The row index of each byte
 * of a frame, its class times 256 plus the byte, is worked out 32 bytes
 * at a time (the class by a byte shuffle); the tail state is the
 * control word of a BEXTR (BMI1) that takes the next one out of
 * osm_rll_tnext, a 1-cycle chain, and its row in osm_rll_tpos is 8 times
 * it less a constant. Two whole frames are coded side by side, two
 * chains. The marks are counted in pairs of consecutive marks, (space,
 * mark, space, mark, space), one increment per two marks of a 4096-entry
 * table (two tables in turn), whose index is worked out 8 pairs at a time
 * from the transitions. The pair tables (16-bit counters) are added into
 * the histogram every OSM_RLL_FOLD_FRAMES frames and at the end: the
 * first mark's bin is its index's high 7 bits, the second's its low 7.
 * osm_rll_histogram() takes this path when the shim says it may
 * (osm_simd_begin(): CPU features, the knob that forces the scalar path,
 * and in the kernel kernel_fpu_begin()).
 */
#include "rll_lut.h"

/*
 * Data bytes coded per buffer (one more at a frame's end): six runs each.
 * A whole frame: fewer, longer counting passes (5 % faster than 80
 * bytes); the buffer is &struct osm_rll_hist.codes.
 */
#define OSM_RLL_CHUNK		OSM_RLL_FRAME_BYTES
#define OSM_RLL_RUNS_N		0xfffffffU

/* the sync's runs after the open one: 9T 9T 3T 3T 3T, then 2 bits open */
#define OSM_RLL_SYNC_RUNS	(((7U << 4) + (7U << 8) + (1U << 12) + (1U << 16) + \
				  (1U << 20) + (2U << 24) - 1) | 6U << 28)

/*
 * Count marks @first .. @m - 1 of a buffer whose byte j holds the space
 * before mark j and the mark, into the OSM_RLL_PARTS histograms, from the
 * table of bins.
 */
static __always_inline void osm_rll_count_table(const u8 *buf, u32 first, u32 m,
						u32 (*part)[OSM_RLL_BINS])
{
	u32 j = first;
	u64 w;

	for (; j + 4 <= m; j += 4) {
		w = get_unaligned_le64(&buf[j]);
		part[0][osm_rll_tri[w & 0xfff]]++;
		part[1][osm_rll_tri[(w >> 8) & 0xfff]]++;
		part[2][osm_rll_tri[(w >> 16) & 0xfff]]++;
		part[3][osm_rll_tri[(w >> 24) & 0xfff]]++;
	}
	for (; j < m; j++)
		part[0][osm_rll_tri[(buf[j] | (u32)buf[j + 1] << 8) & 0xfff]]++;
}

/*
 * Count the complete marks of the @n codes at @buf, the first @first of
 * them counted before; keep the codes whose triples are still open at the
 * start of the buffer, a space first, and set *@first for them.
 *
 * Return: the marks counted.
 */
static __always_inline u32 osm_rll_count(u8 *buf, u32 n, u32 *first,
					 struct osm_rll_hist *h)
{
	u32 m = (n - 1) / 2, f = *first;

	osm_rll_count_table(buf, f, m, h->part);
	/* mark m's following space is open; with n odd, mark m - 1 is done */
	*first = n & 1;
	return m - f;
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

/* osm_rll_histogram() on the scalar path */
static void osm_rll_hist_scalar(const u8 *data, size_t len,
				struct osm_rll_hist *h)
{
	u8 *buf = h->codes;	/* run codes, two a byte, first low */
	u32 nb = 0;		/* buffer bytes complete */
	/*
	 * codes not yet stored (abits bits) and the partial one above them,
	 * at first 8 so that the run ending at the sync's bit 1 gets code 7:
	 * the virtual space before the stream
	 */
	u64 acc = 8;
	u32 abits = 0, first = 0, n, kb, b, k;
	size_t off;

	/* the scratch too: the codes' slack is read, if never used */
	osm_memset(h, 0, sizeof(*h));
	if (!len)
		return;
	for (off = 0; off < len; off += OSM_RLL_FRAME_BYTES) {
		size_t fl = len - off < OSM_RLL_FRAME_BYTES ?
			    len - off : OSM_RLL_FRAME_BYTES;
		const u8 *d = data + off;
		u32 s6 = 0, end;

		k = 0;
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
			h->marks += osm_rll_count(buf, n, &first, h);
			/*
			 * keep the codes from the space before the last
			 * uncounted mark on, with the partial one above them
			 */
			kb = (n - 2) & ~1U;
			acc = get_unaligned_le64(&buf[kb >> 1]) &
			      ((1ULL << (4 * (n - kb + 1))) - 1);
			abits = 4 * (n - kb);
			nb = 0;
		}
	}
	/* the open run ends the stream as a >= 5T space, code 7 */
	acc = (acc & ((1ULL << abits) - 1)) | 7ULL << abits;
	abits += 4;
	OSM_RLL_FLUSH();
	h->marks += osm_rll_count(buf, nb * 2 + abits / 4, &first, h);
	for (k = 0; k < OSM_RLL_PARTS; k++)
		for (b = 0; b < OSM_RLL_BINS; b++)
			h->count[b] += h->part[k][b];
	h->bits = (u32)osm_rll_encoded_bits(len);
}

#ifdef OSM_SIMD_X86
typedef u8 osm_v32 __attribute__((vector_size(32)));
typedef u16 osm_v32w __attribute__((vector_size(64)));
typedef u16 osm_v16w __attribute__((vector_size(32)));
/* quadwords, as GCC's builtins take them */
typedef s64 osm_v4q __attribute__((vector_size(32)));

/*
 * The row indices in osm_rll_tpos and osm_rll_tnext (class * 256 + byte)
 * of the @n bytes at @d, whose successors are all in the frame, 32 at a
 * time: the class of the next byte n0 n1 n2 ... is that of its high
 * nibble n0 n1 (a byte shuffle), plus one for 11 00 11 (osm_rll_cls);
 * each byte and its class make a 16-bit index.
 */
static OSM_TARGET_AVX2 __always_inline void
osm_rll_index_avx2(const u8 *d, u32 n, u16 *ix)
{
	/* vectors of plain char, as GCC's byte builtins take them */
	const char __attribute__((vector_size(32))) hcls = {
		0, 0, 0, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
		0, 0, 0, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
	};
	/* quadwords 0 2 1 3, so that the interleaves keep the order */
	const osm_v32 q0213 = {
		0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23,
		8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31,
	};
	const osm_v32 top6 = {
		0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc,
		0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc,
		0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc,
		0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc,
	};
	const osm_v32 rmtr = {
		0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc,
		0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc,
		0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc,
		0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc,
	};
	/* the same bits as plain char vectors (copies cost nothing) */
	char __attribute__((vector_size(32))) cb, cc, w;
	osm_v32 b, c;
	u32 k;

	for (k = 0; k + 32 <= n; k += 32) {
		__builtin_memcpy(&b, &d[k + 1], sizeof(b));
		/* the class of the high nibble n0 n1 (u8 shifts: VPSRLW, VPAND) */
		c = b >> 4;
		__builtin_memcpy(&cc, &c, sizeof(c));
		cc = __builtin_ia32_pshufb256(hcls, cc);
		__builtin_memcpy(&c, &cc, sizeof(c));
		/* 11 00 11 xx: one more (a compare gives all ones) */
		c -= (osm_v32)((b & top6) == rmtr);
		c = __builtin_shuffle(c, q0213);
		__builtin_memcpy(&b, &d[k], sizeof(b));
		b = __builtin_shuffle(b, q0213);
		__builtin_memcpy(&cb, &b, sizeof(b));
		__builtin_memcpy(&cc, &c, sizeof(c));
		w = __builtin_ia32_punpcklbw256(cb, cc);
		__builtin_memcpy(&ix[k], &w, sizeof(w));
		w = __builtin_ia32_punpckhbw256(cb, cc);
		__builtin_memcpy(&ix[k + 16], &w, sizeof(w));
	}
	for (; k < n; k++)
		ix[k] = d[k] | osm_rll_cls[d[k + 1]] << 8;
}

typedef s16 osm_v16s __attribute__((vector_size(32)));
typedef s32 osm_v8i __attribute__((vector_size(32)));

/*
 * the sync's transitions, a byte each: its bits 1, 10, 19, 22, 25 and 28,
 * modulo 12 from the frame's data 30 bits later (-29, -20, ... -2)
 */
#define OSM_RLL_SYNC_T		0x00000a0704010407ULL
#define OSM_RLL_SYNC_N		6
/*
 * the transition 8 bits before the first sync, which makes the virtual
 * long space before the stream, likewise (-38)
 */
#define OSM_RLL_START_T		10

/*
 * Code the byte of row index @i in tail state *@ts: store its transitions
 * at *@p and advance *@p past them.
 */
static OSM_TARGET_AVX2 __always_inline void
osm_rll_pos_step(u64 *ts, u8 **p, u32 i)
{
	u64 e = osm_rll_tpos[8 * *ts - OSM_RLL_TBASE + i];

	put_unaligned_le64(e, *p);
	*p += e >> 56;
	*ts = __builtin_ia32_bextr_u64(osm_rll_tnext[i], *ts);
}

/*
 * The codes (length - 2) of the runs from the transitions *@t to @t1 into
 * *@t, their bits modulo 12 (0-11): the length is 2-10, so of d - 2 and
 * d + 10 (d = t1 - t0, -11 to 11) as unsigned bytes, the lesser. Vectors
 * of plain char, as GCC's byte builtins take them.
 */
static OSM_TARGET_AVX2 __always_inline void
osm_rll_run_codes(char __attribute__((vector_size(32))) *t,
		  char __attribute__((vector_size(32))) t1)
{
	const char c10 __attribute__((vector_size(32))) = {
		10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
		10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
	};
	const char two __attribute__((vector_size(32))) = {
		2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
		2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	};
	char __attribute__((vector_size(32))) d = t1 - *t;

	*t = __builtin_ia32_pminub256(d - two, d + c10);
}

/*
 * Count the pairs of marks that the transitions at @t complete, into
 * &struct osm_rll_hist.pair: run j is t[j] .. t[j + 1] (a space first),
 * pair k is runs 4k .. 4k + 4; @n runs (@n + 1 transitions).
 *
 * Return: the pairs counted.
 */
static OSM_TARGET_AVX2 __always_inline u32
osm_rll_pairs_avx2(const u8 *t, u32 n, struct osm_rll_hist *h)
{
	char __attribute__((vector_size(32))) x, x1, x2;
	/*
	 * vectors of plain char, as GCC's byte builtins take them: 3, 255
	 * caps the spaces (runs 0, 2 of a pair) at class 3; 8, 1 makes the
	 * 16-bit words sp * 8 + m1 and s * 8 + m2, which mul2 times 128 and 4
	 * adds in pairs
	 */
	const char cap __attribute__((vector_size(32))) = {
		3, -1, 3, -1, 3, -1, 3, -1, 3, -1, 3, -1, 3, -1, 3, -1,
		3, -1, 3, -1, 3, -1, 3, -1, 3, -1, 3, -1, 3, -1, 3, -1,
	};
	const char mul __attribute__((vector_size(32))) = {
		8, 1, 8, 1, 8, 1, 8, 1, 8, 1, 8, 1, 8, 1, 8, 1,
		8, 1, 8, 1, 8, 1, 8, 1, 8, 1, 8, 1, 8, 1, 8, 1,
	};
	const osm_v16s mul2 = {
		128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4, 128, 4,
	};
	const osm_v8i three = { 3, 3, 3, 3, 3, 3, 3, 3 };
	const osm_v8i byte = { 255, 255, 255, 255, 255, 255, 255, 255 };
	osm_v8i y;
	u32 np = n < 5 ? 0 : (n - 1) / 4, k;

	for (k = 0; k < np; k += 8) {
		/* loads and stores at any address: vmovdqu */
		__builtin_memcpy(&x, &t[4 * k], sizeof(x));
		__builtin_memcpy(&x1, &t[4 * k + 1], sizeof(x1));
		osm_rll_run_codes(&x, x1);
		__builtin_memcpy(&x1, &t[4 * k + 5], sizeof(x1));
		__builtin_memcpy(&x2, &t[4 * k + 4], sizeof(x2));
		osm_rll_run_codes(&x2, x1);
		y = (osm_v8i)x2;
		x = __builtin_ia32_pminub256(x, cap);
		y = __builtin_ia32_pmaddwd256(__builtin_ia32_pmaddubsw256(x, mul),
					      mul2) +
		    __builtin_ia32_pminud256(y & byte, three);
		__builtin_memcpy(&h->pidx[k], &y, sizeof(y));
	}
	/* two tables in turn: repeated pairs wait less on each other */
	for (k = 0; k + 8 <= np; k += 8) {
		h->pair[0][h->pidx[k]]++;
		h->pair[1][h->pidx[k + 1]]++;
		h->pair[0][h->pidx[k + 2]]++;
		h->pair[1][h->pidx[k + 3]]++;
		h->pair[0][h->pidx[k + 4]]++;
		h->pair[1][h->pidx[k + 5]]++;
		h->pair[0][h->pidx[k + 6]]++;
		h->pair[1][h->pidx[k + 7]]++;
	}
	for (; k < np; k++)
		h->pair[k & 1][h->pidx[k]]++;
	return np;
}

/*
 * Add the pair counts to the histogram and clear them. Sums of them fit
 * in 16 bits: at most 235 pairs a frame, OSM_RLL_FOLD_FRAMES frames.
 */
static OSM_TARGET_AVX2 __always_inline void osm_rll_fold(struct osm_rll_hist *h)
{
	osm_v16w acc[OSM_RLL_BINS / 16] = { 0 }, v, w;
	u32 b, k, sum;

	/* both tables into the first; the second mark of pair i: bin i & 127 */
	for (k = 0; k < OSM_RLL_PAIRS; k += 16) {
		__builtin_memcpy(&v, &h->pair[0][k], sizeof(v));
		__builtin_memcpy(&w, &h->pair[1][k], sizeof(w));
		v += w;
		__builtin_memcpy(&h->pair[0][k], &v, sizeof(v));
		acc[(k % OSM_RLL_BINS) / 16] += v;
	}
	for (b = 0; b < OSM_RLL_BINS; b++)
		h->count[b] += acc[b / 16][b % 16];
	/* the first mark of pair i: bin i >> 5, 32 counts */
	for (b = 0; b < OSM_RLL_BINS; b++) {
		__builtin_memcpy(&v, &h->pair[0][32 * b], sizeof(v));
		__builtin_memcpy(&w, &h->pair[0][32 * b + 16], sizeof(w));
		v += w;
		sum = 0;
		for (k = 0; k < 16; k++)
			sum += v[k];
		h->count[b] += sum;
	}
	osm_memset(h->pair, 0, sizeof(h->pair));
}

/*
 * The run-table indices of the bytes of a whole frame, 32 at a time past
 * its end, when the data go on beyond it
 */
#define OSM_RLL_INDEX_WHOLE	((OSM_RLL_FRAME_BYTES + 30) / 32 * 32)

/*
 * The run-table indices of the frame of @fl bytes at @d into @ix, worked
 * out past the frame's end when the @avail bytes at @d allow it; its
 * sync's transitions at @p.
 *
 * Return: where the frame's data transitions go.
 */
static OSM_TARGET_AVX2 __always_inline u8 *
osm_rll_frame_avx2(const u8 *d, u32 fl, size_t avail, u16 *ix, u8 *p)
{
	osm_rll_index_avx2(d, avail > OSM_RLL_INDEX_WHOLE ?
			   OSM_RLL_INDEX_WHOLE : fl - 1, ix);
	/* the frame's last byte has no look-ahead: class 3 */
	ix[fl - 1] = d[fl - 1] | 3 << 8;
	put_unaligned_le64(OSM_RLL_SYNC_T, p);
	return p + OSM_RLL_SYNC_N;
}

/*
 * Eight transitions of a frame (bytes of 0-11) as the next frame counts
 * them: its data start 155 x 12 + 30 bits later, 6 modulo 12, so each is
 * 6 more modulo 12. Byte by byte without carries: 6-17, less 12 where
 * that is 12 or more (where adding 0x74 sets bit 7).
 */
static_assert((OSM_RLL_FRAME_BYTES * 12 + OSM_RLL_SYNC_BITS) % 12 == 6,
	      "osm_rll_next_frame() moves the transitions by 6");

static __always_inline u64 osm_rll_next_frame(u64 t)
{
	u64 y = t + 0x0606060606060606ULL;

	return y - 12 * (((y + 0x7474747474747474ULL) >> 7) &
			 0x0101010101010101ULL);
}

/*
 * Count the pairs of marks of the @n transitions at @t into @h (a space
 * first); copy the transitions of no counted pair (at most 5) to end at
 * @keep, as the next frame counts them.
 *
 * Return: their number.
 */
static OSM_TARGET_AVX2 __always_inline u32
osm_rll_count_avx2(u8 *t, u32 n, u8 *keep, struct osm_rll_hist *h)
{
	u32 np = osm_rll_pairs_avx2(t, n - 1, h);
	u64 kept;

	h->marks += 2 * np;
	n -= 4 * np;
	/* at least 8 transitions in a frame: 8 bytes from t + 4 np + n - 8 */
	kept = get_unaligned_le64(&t[4 * np + n - 8]);
	put_unaligned_le64(osm_rll_next_frame(kept), keep - 8);
	return n;
}

/*
 * Code two whole frames side by side, two chains of tail states: the
 * bytes of row indices @ix and @ix2 (see osm_rll_pos_step()); their
 * transitions at *@p and *@p2, which advance past them.
 */
static OSM_TARGET_AVX2 __always_inline void
osm_rll_code_two(const u16 *ix, const u16 *ix2, u8 **p, u8 **p2)
{
	u64 ts = OSM_RLL_TSTATE0, ts2 = OSM_RLL_TSTATE0;
	u32 k;

	for (k = 0; k + 4 <= OSM_RLL_FRAME_BYTES; k += 4) {
		osm_rll_pos_step(&ts, p, ix[k]);
		osm_rll_pos_step(&ts2, p2, ix2[k]);
		osm_rll_pos_step(&ts, p, ix[k + 1]);
		osm_rll_pos_step(&ts2, p2, ix2[k + 1]);
		osm_rll_pos_step(&ts, p, ix[k + 2]);
		osm_rll_pos_step(&ts2, p2, ix2[k + 2]);
		osm_rll_pos_step(&ts, p, ix[k + 3]);
		osm_rll_pos_step(&ts2, p2, ix2[k + 3]);
	}
	for (; k < OSM_RLL_FRAME_BYTES; k++) {
		osm_rll_pos_step(&ts, p, ix[k]);
		osm_rll_pos_step(&ts2, p2, ix2[k]);
	}
}

/* osm_rll_histogram() on the AVX2 path (see the top of this file) */
static OSM_TARGET_AVX2 void osm_rll_hist_avx2(const u8 *data, size_t len,
					      struct osm_rll_hist *h)
{
	/*
	 * transitions' bits modulo 12, a space first; a frame's in tr, or
	 * two frames' in tr and tr2 (after 8 bytes for tr's last ones)
	 */
	u8 *tr = h->runs, *tr2 = h->runs2 + 8;
	u16 *ix = h->index, *ix2 = h->index + OSM_RLL_FRAME_BYTES;
	u32 n, frames = 0, k, sp, sn;
	u64 ts;
	size_t off;
	u8 *p, *p2;

	osm_memset(h, 0, sizeof(*h));
	if (!len)
		return;
	/* the long space before the stream */
	tr[0] = OSM_RLL_START_T;
	n = 1;
	for (off = 0; off < len; off += OSM_RLL_FRAME_BYTES) {
		size_t fl = len - off < OSM_RLL_FRAME_BYTES ?
			    len - off : OSM_RLL_FRAME_BYTES;
		const u8 *d = data + off;

		if (frames >= OSM_RLL_FOLD_FRAMES - 1) {
			osm_rll_fold(h);
			frames = 0;
		}
		p = osm_rll_frame_avx2(d, fl, len - off, ix, &tr[n]);
		if (len - off > 2 * OSM_RLL_FRAME_BYTES) {
			/* two whole frames, not the last, side by side */
			p2 = osm_rll_frame_avx2(d + OSM_RLL_FRAME_BYTES,
						OSM_RLL_FRAME_BYTES,
						len - off - OSM_RLL_FRAME_BYTES,
						ix2, tr2);
			osm_rll_code_two(ix, ix2, &p, &p2);
			n = osm_rll_count_avx2(tr, p - tr, tr2, h);
			n = osm_rll_count_avx2(tr2 - n, p2 - tr2 + n, tr + 8, h);
			/* the kept ones end at tr + 8: move them to tr */
			put_unaligned_le64(get_unaligned_le64(&tr[8 - n]), tr);
			frames += 2;
			off += OSM_RLL_FRAME_BYTES;
			continue;
		}
		ts = OSM_RLL_TSTATE0;
		for (k = 0; k + 4 <= fl; k += 4) {
			osm_rll_pos_step(&ts, &p, ix[k]);
			osm_rll_pos_step(&ts, &p, ix[k + 1]);
			osm_rll_pos_step(&ts, &p, ix[k + 2]);
			osm_rll_pos_step(&ts, &p, ix[k + 3]);
		}
		for (; k < fl; k++)
			osm_rll_pos_step(&ts, &p, ix[k]);
		n = p - tr;
		/* the open run ends the stream as a >= 5T space */
		if (off + fl == len)
			tr[n] = (tr[n - 1] + 10) % 12, n++;
		n = osm_rll_count_avx2(tr, n, tr + 8, h);
		put_unaligned_le64(get_unaligned_le64(&tr[8 - n]), tr);
		frames++;
	}
	/* the marks left that have a following space, one at a time */
	for (k = 1; k + 2 < n; k += 2) {
		sp = (tr[k] + 12 - tr[k - 1]) % 12;
		sn = (tr[k + 2] + 12 - tr[k + 1]) % 12;
		h->count[osm_rll_bin(sp > 5 ? 3 : sp - 2,
				     (tr[k + 1] + 12 - tr[k]) % 12,
				     sn > 5 ? 3 : sn - 2)]++;
		h->marks++;
	}
	osm_rll_fold(h);
	h->bits = (u32)osm_rll_encoded_bits(len);
}
#endif

/**
 * osm_rll_histogram() - encode data and count its mark patterns
 * @data: user bytes (one cluster, normally)
 * @len: their number
 * @h: filled in with the (space, mark, space) histogram of the NRZI stream
 *
 * The stream starts in a space; the first mark's preceding space is taken
 * as >= 5T and a mark still open at the end is not counted. Runs the AVX2
 * code when the shim allows it (osm_simd_begin()), the scalar code
 * otherwise; both give the same histogram.
 */
void osm_rll_histogram(const u8 *data, size_t len, struct osm_rll_hist *h)
{
#ifdef OSM_SIMD_X86
	if (osm_simd_begin()) {
		osm_rll_hist_avx2(data, len, h);
		osm_simd_end();
		return;
	}
#endif
	osm_rll_hist_scalar(data, len, h);
}

#ifndef __KERNEL__
/**
 * osm_rll_histogram_path() - osm_rll_histogram() on a given code path
 * @data: user bytes
 * @len: their number
 * @h: the histogram
 * @path: OSM_RLL_PATH_SCALAR or OSM_RLL_PATH_AVX2
 *
 * For the tests and the benchmark, which run every path the machine has
 * whatever the knob of osm_simd_begin() says. Userspace only.
 *
 * Return: 0, or -EOPNOTSUPP when this build or CPU lacks the path.
 */
int osm_rll_histogram_path(const u8 *data, size_t len, struct osm_rll_hist *h,
			   u32 path)
{
	switch (path) {
	case OSM_RLL_PATH_SCALAR:
		osm_rll_hist_scalar(data, len, h);
		return 0;
#ifdef OSM_SIMD_X86
	case OSM_RLL_PATH_AVX2:
		if (!osm_simd_cpu())
			return -EOPNOTSUPP;
		osm_rll_hist_avx2(data, len, h);
		return 0;
#endif
	}
	return -EOPNOTSUPP;
}
#endif
