/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only environment the pure-C model files see: fixed-width integer
 * types, errno values and a few kernel helpers, from the kernel when built
 * into the module and from libc (with equivalents of the kernel helpers
 * that give the same results) when built into userspace tools and tests;
 * and the uapi header (uapi/linux/optsim.h), whose numbers and names the
 * model uses rather than copies.
 */
#ifndef _OPTSIM_MODEL_SHIM_H
#define _OPTSIM_MODEL_SHIM_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/bitops.h>
#include <linux/math.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/kernel.h>
#include <linux/build_bug.h>
#include <linux/sched.h>
#include <linux/crc32c.h>
#include <asm/byteorder.h>
#include <uapi/linux/optsim.h>
#include <uapi/linux/optsim_image.h>
/* get_unaligned_le64(): its header moved in 6.12 (see compat.h) */
#include "../compat.h"

/* 64-bit divisions the kernel cannot do with a plain '/' on 32-bit. */
#define osm_div64(n, d)		div64_u64((n), (d))
#define osm_div64_u32(n, d)	div_u64((n), (d))
#define osm_sdiv64(n, d)	div64_s64((n), (d))
#define osm_memset(p, c, n)	memset((p), (c), (n))
#define osm_memcpy(d, s, n)	memcpy((d), (s), (n))
#define osm_memcmp(a, b, n)	memcmp((a), (b), (n))
/* Large model tables: vmalloc-backed when kmalloc cannot serve them. */
#define osm_zalloc(n)		kvzalloc((n), GFP_KERNEL)
#define osm_free(p)		kvfree(p)
/* Long loops (OPC ladders, compile passes) let other work run. */
#define osm_resched()		cond_resched()

/*
 * CRC-32C without its initial and final inversion, so that it chains: the
 * kernel's crc32c(). The image format inverts around it (image_format.c).
 */
#define osm_crc32c_raw(crc, p, len)	crc32c((crc), (p), (len))

/*
 * SIMD (driver/simd.c): osm_simd_begin() says whether the AVX2 code may
 * run, and if so enters a kernel_fpu_begin() section that
 * osm_simd_end() leaves. x86-64 only.
 */
#ifdef CONFIG_X86_64
bool optsim_simd_begin(void);
void optsim_simd_end(void);
/* sparse parses no GCC vector extensions: it checks the scalar code */
#ifndef __CHECKER__
#define OSM_SIMD_X86
#define osm_simd_begin()	optsim_simd_begin()
#define osm_simd_end()		optsim_simd_end()
#endif
#endif
#else
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <endian.h>
#include <linux/types.h>
#include <linux/optsim.h>
#include <linux/optsim_image.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#define osm_div64(n, d)		((u64)(n) / (u64)(d))
#define osm_div64_u32(n, d)	((u64)(n) / (u32)(d))
#define osm_sdiv64(n, d)	((s64)(n) / (s64)(d))
#define osm_memset(p, c, n)	memset((p), (c), (n))
#define osm_memcpy(d, s, n)	memcpy((d), (s), (n))
#define osm_memcmp(a, b, n)	memcmp((a), (b), (n))
#define osm_zalloc(n)		calloc(1, (n))
#define osm_free(p)		free(p)
#define osm_resched()		do { } while (0)
#define le16_to_cpu(x)		le16toh(x)
#define le32_to_cpu(x)		le32toh(x)
#define le64_to_cpu(x)		le64toh(x)
#define cpu_to_le16(x)		htole16(x)
#define cpu_to_le32(x)		htole32(x)
#define cpu_to_le64(x)		htole64(x)

/* CRC-32C, chainable, as the kernel's crc32c() (model/crc32c.c). */
u32 osm_crc32c_raw(u32 crc, const void *p, size_t len);

/* __always_inline: from glibc's <sys/cdefs.h>, as the kernel has it */

/*
 * SIMD: the AVX2 code runs when the CPU has AVX2, BMI1 and BMI2, unless the
 * environment variable OPTSIM_SIMD is "0" (read at each call, so that a
 * program may switch); osm_simd_cpu() says what the CPU has. Defining
 * OSM_NO_SIMD builds the scalar code only, as on other machines.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(OSM_NO_SIMD)
#define OSM_SIMD_X86
static inline bool osm_simd_cpu(void)
{
	return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
	       __builtin_cpu_supports("bmi2");
}

static inline bool osm_simd_begin(void)
{
	const char *knob = getenv("OPTSIM_SIMD");

	return osm_simd_cpu() && !(knob && !strcmp(knob, "0"));
}

static inline void osm_simd_end(void)
{
}
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

/*
 * The kernel helpers the model uses, as userspace equivalents: same
 * arguments, same results.
 */
#define clamp(val, lo, hi) ({						\
	__typeof__(val) v_ = (val), lo_ = (lo), hi_ = (hi);		\
	v_ < lo_ ? lo_ : v_ > hi_ ? hi_ : v_; })

/* 1-based index of the most significant set bit; 0 for 0 */
static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

/* floor(sqrt(x)), as lib/math/int_sqrt.c computes it */
static inline u32 int_sqrt64(u64 x)
{
	u64 b, m, y = 0;

	if (x <= 1)
		return (u32)x;
	m = 1ULL << ((fls64(x) - 1) & ~1U);
	while (m) {
		b = y + m;
		y >>= 1;
		if (x >= b) {
			x -= b;
			y += m;
		}
		m >>= 2;
	}
	return (u32)y;
}

static inline u64 get_unaligned_le64(const void *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline void put_unaligned_le64(u64 v, void *p)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(p, &v, sizeof(v));
}
#endif

/* Functions of the AVX2 code path (see osm_simd_begin()). */
#ifdef OSM_SIMD_X86
#define OSM_TARGET_AVX2		__attribute__((__target__("avx2,bmi,bmi2")))
#endif

#endif /* _OPTSIM_MODEL_SHIM_H */
