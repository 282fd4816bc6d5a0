/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only environment the pure-C model files see: fixed-width integer
 * types, errno values and a few constants, from the kernel when built into
 * the module and from libc when built into userspace tools and tests.
 */
#ifndef _OPTSIM_MODEL_SHIM_H
#define _OPTSIM_MODEL_SHIM_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/math64.h>
#include <linux/string.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/kernel.h>
#include <linux/sched.h>

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
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
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
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif
#endif

#endif /* _OPTSIM_MODEL_SHIM_H */
