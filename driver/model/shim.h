/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only environment the pure-C model files see: fixed-width integer
 * types and a few constants, from the kernel when built into the module
 * and from libc when built into userspace tools and tests.
 */
#ifndef _OPTSIM_MODEL_SHIM_H
#define _OPTSIM_MODEL_SHIM_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <linux/types.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;
#endif

#endif /* _OPTSIM_MODEL_SHIM_H */
