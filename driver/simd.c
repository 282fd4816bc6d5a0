// SPDX-License-Identifier: GPL-2.0
/*
 * SIMD in the recording model: the kernel's half of the model's shim
 * (driver/model/shim.h, osm_simd_begin()).
 *
 * The model's channel-code histogram (driver/model/rll.c) has a scalar
 * path and an AVX2 path that give the same histogram. Which one the write
 * path runs is decided once, at load: the AVX2 path when the CPU has AVX2,
 * BMI1 and BMI2 and the kernel saves the YMM state, unless the simd module
 * parameter is 0. The parameter then reads back the choice. Each use of the
 * AVX2 path is a kernel_fpu_begin() section (preemption off for one
 * cluster, ~0.1 ms), taken only where may_use_simd() allows it; elsewhere
 * the scalar path runs.
 */
#include "optsim.h"

#include <linux/module.h>

#ifdef CONFIG_X86_64
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#include <asm/simd.h>
#endif

/* Written only at load, by optsim_simd_init(); read-only afterwards. */
static bool g_simd = true;
module_param_named(simd, g_simd, bool, 0444);
MODULE_PARM_DESC(simd, "Use the AVX2 code of the recording model when the CPU has it (1), or always the scalar code (0); reads back what is used. Default: 1");

/**
 * optsim_simd_init() - choose the recording model's code path, at load
 */
void optsim_simd_init(void)
{
#ifdef CONFIG_X86_64
	if (g_simd && !(boot_cpu_has(X86_FEATURE_AVX) &&
			boot_cpu_has(X86_FEATURE_AVX2) &&
			boot_cpu_has(X86_FEATURE_BMI1) &&
			boot_cpu_has(X86_FEATURE_BMI2) &&
			cpu_has_xfeatures(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM,
					  NULL)))
		g_simd = false;
#else
	g_simd = false;
#endif
	pr_info("recording model: %s code\n", g_simd ? "AVX2" : "scalar");
}

#ifdef CONFIG_X86_64
/**
 * optsim_simd_begin() - enter a section that may run the model's AVX2 code
 *
 * Return: true, in a kernel_fpu_begin() section that optsim_simd_end()
 * leaves; false when the scalar code is to run (nothing to leave).
 */
bool optsim_simd_begin(void)
{
	if (!g_simd || !may_use_simd())
		return false;
	kernel_fpu_begin();
	return true;
}

/**
 * optsim_simd_end() - leave the section optsim_simd_begin() entered
 */
void optsim_simd_end(void)
{
	kernel_fpu_end();
}
#endif
