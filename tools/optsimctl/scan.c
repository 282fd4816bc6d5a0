// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl scan - a quality scan of the medium: the per-cluster records of
 * OPTSIM_IOC_GET_QUALITY (jitter, LDC and BIS error counts, uncorrectable
 * clusters), read in batches of at most OPTSIM_QUALITY_MAX_RECORDS and
 * summed up per layer against the spec limits.
 *
 * It is a report: bad clusters do not change the exit status, a failed
 * request does.
 */
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "names.h"
#include "optsimctl.h"
#include "units.h"

/* An LDC codeword fails when its errors plus erasures exceed this. */
#define LDC_CODEWORD_LIMIT	32

struct layer_sum {
	uint64_t clusters;	/* clusters of the layer */
	uint64_t recorded;
	uint64_t jitter_sum;	/* 0.01 % */
	uint32_t jitter_max;
	uint32_t ldc_max;
	uint64_t ldc_total;
	uint32_t bis_max;
	uint64_t bis_total;
	uint32_t worst_max;	/* worst LDC codeword */
	uint64_t unreadable;
	uint64_t unresolved;
	uint32_t jitter_limit;
};

static const char *scan_verdict(const struct layer_sum *s)
{
	if (!s->recorded)
		return "blank";
	if (s->unreadable || s->worst_max > LDC_CODEWORD_LIMIT)
		return "fail";
	if (s->jitter_max > s->jitter_limit)
		return "out-of-spec";
	return "pass";
}

static void scan_add(struct layer_sum *s, const struct optsim_quality_rec *r)
{
	if (!(r->flags & OPTSIM_QUALITY_F_RECORDED))
		return;
	s->recorded++;
	s->jitter_sum += r->jitter;
	if (r->jitter > s->jitter_max)
		s->jitter_max = r->jitter;
	if (r->ldc > s->ldc_max)
		s->ldc_max = r->ldc;
	s->ldc_total += r->ldc;
	if (r->bis > s->bis_max)
		s->bis_max = r->bis;
	s->bis_total += r->bis;
	if (r->ldc_worst > s->worst_max)
		s->worst_max = r->ldc_worst;
	if (r->flags & OPTSIM_QUALITY_F_UNCORRECTABLE)
		s->unreadable++;
	if (r->flags & OPTSIM_QUALITY_F_UNRESOLVED)
		s->unresolved++;
}

/* Mean jitter, 0.01 %, rounded to nearest. */
static uint64_t scan_mean(const struct layer_sum *s)
{
	return s->recorded ? (s->jitter_sum + s->recorded / 2) / s->recorded : 0;
}

/*
 * scan_layer() - read the records of clusters [@first, @first + @s->clusters)
 * into @s. The driver may return fewer records than asked for; the next
 * batch starts where the last one ended.
 */
static void scan_layer(struct optsimctl *ctl, uint64_t first,
		       struct layer_sum *s, struct optsim_quality_rec *recs)
{
	uint64_t c = first, end = first + s->clusters;
	struct optsim_quality q;
	uint32_t i, want;
	char what[64];
	int ret;

	while (c < end) {
		want = end - c < OPTSIM_QUALITY_MAX_RECORDS ?
		       (uint32_t)(end - c) : OPTSIM_QUALITY_MAX_RECORDS;
		memset(&q, 0, sizeof(q));
		memset(recs, 0, (size_t)want * sizeof(*recs));
		q.cluster = c;
		q.records = (uintptr_t)recs;
		q.count = want;
		ret = dev_ioctl(ctl, OPTSIM_IOC_GET_QUALITY, &q);
		if (ret) {
			snprintf(what, sizeof(what), "get quality at cluster %llu",
				 (unsigned long long)c);
			dev_die(ctl, -ret, what, NULL);
		}
		if (!q.count || q.count > want)
			errx(EXIT_FAILURE,
			     "%s: get quality at cluster %llu returned %u records for %u",
			     ctl->devname, (unsigned long long)c, q.count, want);
		for (i = 0; i < q.count; i++)
			scan_add(s, &recs[i]);
		c += q.count;
	}
}

static void scan_json(const struct layer_sum *sum, uint32_t first, uint32_t n)
{
	uint64_t unreadable = 0;
	struct json j;
	uint32_t l;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_array_begin(&j, "layers");
	for (l = first; l < first + n; l++) {
		const struct layer_sum *s = &sum[l];

		json_object_begin(&j, NULL);
		json_u64(&j, "layer", l);
		json_u64(&j, "clusters", s->clusters);
		json_u64(&j, "recorded", s->recorded);
		json_fixed(&j, "jitter_max_pct", s->jitter_max, 2);
		json_fixed(&j, "jitter_mean_pct", scan_mean(s), 2);
		json_fixed(&j, "jitter_limit_pct", s->jitter_limit, 2);
		json_u64(&j, "ldc_max", s->ldc_max);
		json_u64(&j, "ldc_total", s->ldc_total);
		json_u64(&j, "ldc_worst_codeword", s->worst_max);
		json_u64(&j, "bis_max", s->bis_max);
		json_u64(&j, "bis_total", s->bis_total);
		json_u64(&j, "unreadable", s->unreadable);
		json_u64(&j, "unresolved", s->unresolved);
		json_string(&j, "verdict", scan_verdict(s));
		json_object_end(&j);
		unreadable += s->unreadable;
	}
	json_array_end(&j);
	json_u64(&j, "unreadable", unreadable);
	json_object_end(&j);
	json_finish(&j);
}

static void scan_human(const struct optsim_info *info,
		       const struct layer_sum *sum, uint32_t first, uint32_t n)
{
	char a[FIXED_BUFSZ], b[FIXED_BUFSZ], c[FIXED_BUFSZ];
	uint64_t unreadable = 0;
	uint32_t l;

	printf("scan: %s, %u layer%s of %llu clusters\n",
	       media_name(info->media), info->layers,
	       info->layers == 1 ? "" : "s",
	       (unsigned long long)(info->layer_sectors /
				    OPTSIM_CLUSTER_SECTORS));
	for (l = first; l < first + n; l++) {
		const struct layer_sum *s = &sum[l];

		printf("L%u: %llu of %llu clusters recorded\n", l,
		       (unsigned long long)s->recorded,
		       (unsigned long long)s->clusters);
		if (s->recorded) {
			printf("  jitter      max %s %%, mean %s %% (limit %s %%)\n",
			       fmt_fixed(a, sizeof(a), s->jitter_max, 2, false),
			       fmt_fixed(b, sizeof(b), scan_mean(s), 2, false),
			       fmt_fixed(c, sizeof(c), s->jitter_limit, 2, false));
			printf("  LDC         max %u, total %llu (worst codeword %u, limit %u)\n",
			       s->ldc_max, (unsigned long long)s->ldc_total,
			       s->worst_max, LDC_CODEWORD_LIMIT);
			printf("  BIS         max %u, total %llu\n", s->bis_max,
			       (unsigned long long)s->bis_total);
			printf("  unreadable  %llu cluster%s\n",
			       (unsigned long long)s->unreadable,
			       s->unreadable == 1 ? "" : "s");
			if (s->unresolved)
				printf("  unresolved  %llu cluster%s with marks too short for the optics\n",
				       (unsigned long long)s->unresolved,
				       s->unresolved == 1 ? "" : "s");
		}
		printf("  verdict     %s\n", scan_verdict(s));
		unreadable += s->unreadable;
	}
	printf("unreadable clusters: %llu\n", (unsigned long long)unreadable);
}

int cmd_scan(struct optsimctl *ctl, int argc, char **argv)
{
	struct layer_sum sum[OPTSIM_MAX_LAYERS];
	struct optsim_quality_rec *recs;
	struct optsim_info info;
	uint32_t layer, first, n, l;
	uint64_t per_layer;

	layer = cmd_layer_opts(ctl, argc, argv);

	dev_open(ctl, O_RDONLY | O_NONBLOCK);
	dev_get_info(ctl, &info);
	dev_need_medium(ctl, &info, "scan");
	dev_layer_range(ctl, &info, layer, &first, &n);
	per_layer = info.layer_sectors / OPTSIM_CLUSTER_SECTORS;

	recs = calloc(OPTSIM_QUALITY_MAX_RECORDS, sizeof(*recs));
	if (!recs)
		errx(EXIT_FAILURE, "out of memory");
	memset(sum, 0, sizeof(sum));
	for (l = first; l < first + n; l++) {
		sum[l].clusters = per_layer;
		sum[l].jitter_limit = spec_jitter_limit_cpct(info.layers, l);
		scan_layer(ctl, (uint64_t)l * per_layer, &sum[l], recs);
	}
	free(recs);

	if (ctl->json)
		scan_json(sum, first, n);
	else
		scan_human(&info, sum, first, n);
	return EXIT_SUCCESS;
}
