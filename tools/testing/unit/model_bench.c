// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of the recording model's write path on one core: per 64 KiB
 * cluster of random data, encode (RLL histogram), per-mark evaluation
 * (jitter from the table) and error accounting (SER, LDC/BIS draws),
 * against memcpy of the same data in the same process, on each code path
 * of the histogram the machine has (scalar, AVX2: the OPTSIM_SIMD knob of
 * driver/model/shim.h); table compile time per layer; quality record size.
 * Prints numbers; passes or fails nothing.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "model.h"
#include "disc_strategy.h"
#include "geometry.h"
#include "rll_ref.h"

#define CLUSTER		65536
#define NCLUSTERS	64

static const char * const path_name[OSM_RLL_PATHS] = { "scalar", "avx2" };

static u8 src[NCLUSTERS][CLUSTER], dst[CLUSTER];
static struct osm_rll_hist hs;
/* channel bits of a cluster; the histogram bin of each of its marks */
static u8 code[CLUSTER * 2];
/* room for nbits / 4 + 1 marks: 12 bits per byte plus the syncs */
static u8 bins[NCLUSTERS][CLUSTER * 13 / 4];
static u32 nbins[NCLUSTERS];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1000000000.0;
}

/*
 * Fastest of three compiles of every preset layer at its default power,
 * auto strategy, 1x, 2x and 4x: with the strategy tables the disc carries
 * (@tuned false: what the driver compiles the emulated media with), or
 * tuned in the compile (a stack or density without tables)
 */
static void bench_compile(bool tuned)
{
	static const char * const media[] = { "bd-r", "bd-r-dl", "bd-re", "bd-re-dl" };
	static struct osm_table t;
	const struct osm_disc_entry *e;
	struct osm_stack st;
	struct osm_compile_in in = {
		.stack = &st, .strategy = OSM_STRAT_AUTO,
		.channel_bit_pm = OSM_GEO_REF_CHANNEL_BIT_PM,
	};
	double t0, dt, best;
	u32 i, layer, speed, rep;

	for (i = 0; i < 4; i++) {
		osm_stack_preset(&st, media[i]);
		for (layer = 0; layer < st.layers; layer++) {
			printf("  %-8s L%u:", media[i], layer);
			in.layer = layer;
			osm_stack_default_power(&st, layer, &in.write_uw,
						&in.bias_uw);
			for (speed = 1; speed <= 4; speed *= 2) {
				in.velocity_mms = speed * OPTSIM_VELOCITY_1X_MMS;
				e = osm_disc_strategy(&st, layer, in.velocity_mms,
						      in.strategy, in.channel_bit_pm);
				in.tune = tuned || !e ? NULL : &e->tune;
				best = 1e9;
				for (rep = 0; rep < 3; rep++) {
					t0 = now();
					osm_model_compile(&in, &t);
					dt = now() - t0;
					if (dt < best)
						best = dt;
				}
				printf(" %ux %5.1f ms", speed, best * 1e3);
			}
			printf("\n");
		}
	}
}

int main(void)
{
	static struct osm_table t;
	struct osm_stack st;
	struct osm_compile_in in = {
		.stack = &st, .velocity_mms = OPTSIM_VELOCITY_1X_MMS,
		.strategy = OSM_STRAT_AUTO,
		.write_uw = 8000, .channel_bit_pm = OSM_GEO_REF_CHANNEL_BIT_PM,
	};
	struct osm_quality q;
	struct osm_prng r = { .s = 1 };
	double t0, t_model = 1e9, t_copy = 1e9, t_count = 1e9, dt;
	double t_parts = 1e9;
	u32 i, rep, path;
	u64 sink = 0;

	for (i = 0; i < NCLUSTERS; i++) {
		u32 k;

		for (k = 0; k < CLUSTER; k += 8) {
			u64 v = osm_prng_next(&r);

			memcpy(&src[i][k], &v, 8);
		}
	}
	osm_stack_preset(&st, "bd-r");
	if (osm_model_compile(&in, &t)) {
		fprintf(stderr, "compile failed\n");
		return 1;
	}
	printf("write path (encode + per-mark evaluation + error accounting), one core:\n");
	for (path = 0; path < OSM_RLL_PATHS; path++) {
		if (osm_rll_histogram_path(src[0], CLUSTER, &hs, path)) {
			printf("  %-7s not on this machine\n", path_name[path]);
			continue;
		}
		/* osm_model_cluster() takes the AVX2 path unless told not to */
		if (path == OSM_RLL_PATH_SCALAR)
			setenv("OPTSIM_SIMD", "0", 1);
		else
			unsetenv("OPTSIM_SIMD");
		t_model = 1e9;
		t_copy = 1e9;
		for (rep = 0; rep < 10; rep++) {
			t0 = now();
			for (i = 0; i < NCLUSTERS; i++) {
				osm_model_cluster(&t, src[i], CLUSTER, 0, i, &q, &hs);
				sink += q.ldc + q.jitter;
			}
			dt = now() - t0;
			if (dt < t_model)
				t_model = dt;
			t0 = now();
			for (i = 0; i < NCLUSTERS; i++) {
				memcpy(dst, src[i], CLUSTER);
				__asm__ volatile("" : : "r"(dst) : "memory");
			}
			dt = now() - t0;
			if (dt < t_copy)
				t_copy = dt;
		}
		printf("  %-7s model %6.3f GB/s of user data (%5.1f us per 64 KiB cluster),"
		       " memcpy %6.2f GB/s, ratio %.4f\n", path_name[path],
		       NCLUSTERS * (double)CLUSTER / t_model / 1e9,
		       t_model / NCLUSTERS * 1e6,
		       NCLUSTERS * (double)CLUSTER / t_copy / 1e9, t_copy / t_model);
	}
	unsetenv("OPTSIM_SIMD");
	printf("  (target: >= 1 GB/s of user data per core)\n");
	/*
	 * the floor: counting alone, one increment per mark, over the bins
	 * the reference walk of the encoder's stream gives (untimed)
	 */
	for (i = 0; i < NCLUSTERS; i++) {
		static struct osm_rll_hist ref;
		size_t nb = osm_rll_encode(src[i], CLUSTER, code, sizeof(code));

		rll_ref_histogram(code, nb, &ref, bins[i]);
		osm_rll_histogram(src[i], CLUSTER, &hs);
		if (memcmp(ref.count, hs.count, sizeof(hs.count))) {
			fprintf(stderr, "reference and table histograms differ\n");
			return 1;
		}
		nbins[i] = ref.marks;
	}
	for (rep = 0; rep < 5; rep++) {
		t0 = now();
		for (i = 0; i < NCLUSTERS; i++) {
			u32 k;

			memset(hs.count, 0, sizeof(hs.count));
			for (k = 0; k < nbins[i]; k++)
				hs.count[bins[i][k]]++;
			__asm__ volatile("" : : "r"(hs.count) : "memory");
		}
		dt = now() - t0;
		if (dt < t_count)
			t_count = dt;
		/* the same into OSM_RLL_PARTS histograms in turn, as rll.c does */
		t0 = now();
		for (i = 0; i < NCLUSTERS; i++) {
			u32 k;

			memset(hs.part, 0, sizeof(hs.part));
			for (k = 0; k + 4 <= nbins[i]; k += 4) {
				hs.part[0][bins[i][k]]++;
				hs.part[1][bins[i][k + 1]]++;
				hs.part[2][bins[i][k + 2]]++;
				hs.part[3][bins[i][k + 3]]++;
			}
			__asm__ volatile("" : : "r"(hs.part) : "memory");
		}
		dt = now() - t0;
		if (dt < t_parts)
			t_parts = dt;
	}
	printf("  floor: counting alone, one increment per mark (%.2f marks per byte),\n"
	       "         bins precomputed: %.3f GB/s, ratio to memcpy %.4f;\n"
	       "         into 4 histograms in turn: %.3f GB/s, ratio %.4f\n",
	       (double)nbins[0] / CLUSTER,
	       NCLUSTERS * (double)CLUSTER / t_count / 1e9, t_copy / t_count,
	       NCLUSTERS * (double)CLUSTER / t_parts / 1e9, t_copy / t_parts);
	printf("table compile, each layer at its default power, auto strategy, with\n"
	       "the disc's strategy tables (the driver's path; target <= 50 ms per layer):\n");
	bench_compile(false);
	printf("table compile, the strategy tuned in the compile (no tables: another\n"
	       "density or stack), default power, auto strategy:\n");
	bench_compile(true);
	printf("quality record: %zu bytes per %u-byte cluster = %.4f %% (limit 0.1 %%)\n",
	       sizeof(struct osm_quality), CLUSTER,
	       100.0 * sizeof(struct osm_quality) / CLUSTER);
	printf("table: %zu bytes per layer\n", sizeof(struct osm_table));
	return sink == 42;
}
