// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl scan - a quality scan of the medium: the per-cluster records of
 * OPTSIM_IOC_GET_QUALITY (jitter, LDC and BIS error counts, uncorrectable
 * clusters), read in batches of at most OPTSIM_QUALITY_MAX_RECORDS and
 * summed up per layer against the spec limits.
 *
 * --csv writes every cluster's record as one CSV row, --svg draws the scan
 * (scanplot.c); both stream from the same pass over the records.
 *
 * It is a report: bad clusters do not change the exit status, a failed
 * request does.
 */
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "json.h"
#include "names.h"
#include "optsimctl.h"
#include "outfile.h"
#include "scanplot.h"
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
	struct osm_limits lim;
};

/**
 * struct scan_out - the files a scan writes besides its report
 * @svg: --svg FILE, or NULL
 * @csv: --csv FILE, or NULL
 * @svgf: the SVG file being written
 * @csvf: the CSV file being written
 * @plot: the bins the SVG is drawn from
 * @rows: CSV rows written
 */
struct scan_out {
	const char *svg;
	const char *csv;
	struct outfile svgf;
	struct outfile csvf;
	struct scanplot plot;
	uint64_t rows;
};

#define CSV_HEADER \
	"cluster,layer,lba,recorded,jitter_pct,ldc,bis,ldc_worst,dow," \
	"uncorrectable,unresolved,burst\n"

/*
 * csv_row() - one cluster. An unrecorded cluster has no measurements: its
 * jitter, LDC, BIS, worst codeword and DOW fields are empty.
 */
static void csv_row(FILE *f, uint64_t cluster, uint32_t layer,
		    const struct optsim_quality_rec *r)
{
	char j[FIXED_BUFSZ];

	fprintf(f, "%llu,%u,%llu,", (unsigned long long)cluster, layer,
		(unsigned long long)(cluster * OPTSIM_CLUSTER_SECTORS));
	if (!(r->flags & OPTSIM_QUALITY_F_RECORDED)) {
		fputs("0,,,,,,0,0,0\n", f);
		return;
	}
	fprintf(f, "1,%s,%u,%u,%u,%u,%d,%d,%d\n",
		fmt_fixed(j, sizeof(j), r->jitter, 2, false), r->ldc, r->bis,
		r->ldc_worst, r->dow,
		!!(r->flags & OPTSIM_QUALITY_F_UNCORRECTABLE),
		!!(r->flags & OPTSIM_QUALITY_F_UNRESOLVED),
		!!(r->flags & OPTSIM_QUALITY_F_BURST));
}

/**
 * spec_limits() - the spec limits of a layer of @info's medium
 * @info: the drive's state
 * @layer: the layer
 * @l: filled in from the model's table (driver/model/limits.c)
 */
static void spec_limits(const struct optsim_info *info, uint32_t layer,
			struct osm_limits *l)
{
	if (osm_limits_get(info->media, info->layers, layer, l))
		errx(EXIT_FAILURE, "no spec limits for media %u layer %u",
		     info->media, layer);
}

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
 * of @layer into @s and the outputs of @out. The driver may return fewer
 * records than asked for; the next batch starts where the last one ended.
 */
static void scan_layer(struct optsimctl *ctl, uint32_t layer, uint64_t first,
		       struct layer_sum *s, struct optsim_quality_rec *recs,
		       struct scan_out *out)
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
		for (i = 0; i < q.count; i++) {
			scan_add(s, &recs[i]);
			if (out->csv) {
				csv_row(out->csvf.f, c + i, layer, &recs[i]);
				out->rows++;
			}
			if (out->svg)
				scanplot_add(&out->plot, c + i, &recs[i]);
		}
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
		json_string(&j, "jitter_limit_equaliser",
			    osm_limits_equaliser_name(s->lim.equaliser));
		json_string(&j, "jitter_limit_source", s->lim.jitter_source);
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
			printf("  jitter      max %s %%, mean %s %% (limit %s %%, %s equaliser: %s)\n",
			       fmt_fixed(a, sizeof(a), s->jitter_max, 2, false),
			       fmt_fixed(b, sizeof(b), scan_mean(s), 2, false),
			       fmt_fixed(c, sizeof(c), s->jitter_limit, 2, false),
			       osm_limits_equaliser_name(s->lim.equaliser),
			       s->lim.jitter_source);
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

/* scan_opt_file() - --svg or --csv FILE: a name, "-" for stdout. */
static const char *scan_opt_file(const char *arg, const char *what)
{
	if (!*arg)
		errx(EXIT_FAILURE, "empty %s file name", what);
	return arg;
}

static void scan_opts(struct optsimctl *ctl, int argc, char **argv,
		      uint32_t *layer, struct scan_out *out)
{
	static const struct option longopts[] = {
		{ "layer", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "svg", required_argument, NULL, 'g' },
		{ "csv", required_argument, NULL, 'C' },
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	int c;

	*layer = OPTSIM_LAYER_ALL;
	while ((c = getopt_long(argc, argv, "l:jg:C:" COMMON_SHORTOPTS,
				longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			*layer = opt_layer(optarg, true);
			break;
		case 'g':
			out->svg = scan_opt_file(optarg, "SVG");
			break;
		case 'C':
			out->csv = scan_opt_file(optarg, "CSV");
			break;
		default:
			cmd_common_opt(ctl, c, optarg);
		}
	}
	cmd_no_args(ctl, argc, argv);
	if (outfile_is_stdout(out->svg) && outfile_is_stdout(out->csv))
		errx(EXIT_FAILURE,
		     "--svg - and --csv - cannot both write to standard output");
	if (ctl->json && (outfile_is_stdout(out->svg) ||
			  outfile_is_stdout(out->csv)))
		errx(EXIT_FAILURE,
		     "--json and --%s - cannot both write to standard output",
		     outfile_is_stdout(out->svg) ? "svg" : "csv");
}

/*
 * scan_open_outputs() - start the files of @out; the SVG's bins cover the
 * layers [@first, @first + @n) of @info's medium.
 */
static void scan_open_outputs(struct optsimctl *ctl,
			      const struct optsim_info *info, uint32_t layer,
			      uint32_t first, uint32_t n, struct scan_out *out)
{
	static char title[160];
	uint64_t per_layer = info->layer_sectors / OPTSIM_CLUSTER_SECTORS;
	uint32_t l;

	if (out->svg) {
		if (scanplot_init(&out->plot, per_layer, first, n))
			errx(EXIT_FAILURE, "out of memory");
		if (layer == OPTSIM_LAYER_ALL)
			snprintf(title, sizeof(title), "Quality scan: %s, %s",
				 ctl->devname, media_name(info->media));
		else
			snprintf(title, sizeof(title),
				 "Quality scan: %s, %s, layer %u",
				 ctl->devname, media_name(info->media), layer);
		out->plot.title = title;
		for (l = first; l < first + n; l++) {
			struct osm_limits lim;

			spec_limits(info, l, &lim);
			out->plot.ldc_limit = lim.ldc_max;
			out->plot.bis_limit = lim.bis_max;
			out->plot.jitter_limit[l] = lim.jitter_cpct;
		}
		outfile_open(&out->svgf, out->svg);
	}
	if (out->csv) {
		outfile_open(&out->csvf, out->csv);
		fputs(CSV_HEADER, out->csvf.f);
	}
}

static void scan_close_outputs(struct scan_out *out)
{
	if (out->svg) {
		scanplot_svg(out->svgf.f, &out->plot);
		outfile_commit(&out->svgf);
	}
	if (out->csv)
		outfile_commit(&out->csvf);
}

int cmd_scan(struct optsimctl *ctl, int argc, char **argv)
{
	struct layer_sum sum[OPTSIM_MAX_LAYERS];
	struct optsim_quality_rec *recs;
	struct scan_out out = { 0 };
	struct optsim_info info;
	uint32_t layer, first, n, l;
	uint64_t per_layer;
	bool report;

	scan_opts(ctl, argc, argv, &layer, &out);
	/* a file on standard output takes the place of the report */
	report = !outfile_is_stdout(out.svg) && !outfile_is_stdout(out.csv);

	dev_open(ctl, O_RDONLY | O_NONBLOCK);
	dev_get_info(ctl, &info);
	dev_need_medium(ctl, &info, "scan");
	dev_layer_range(ctl, &info, layer, &first, &n);
	per_layer = info.layer_sectors / OPTSIM_CLUSTER_SECTORS;

	recs = calloc(OPTSIM_QUALITY_MAX_RECORDS, sizeof(*recs));
	if (!recs)
		errx(EXIT_FAILURE, "out of memory");
	scan_open_outputs(ctl, &info, layer, first, n, &out);
	memset(sum, 0, sizeof(sum));
	for (l = first; l < first + n; l++) {
		sum[l].clusters = per_layer;
		spec_limits(&info, l, &sum[l].lim);
		sum[l].jitter_limit = sum[l].lim.jitter_cpct;
		scan_layer(ctl, l, (uint64_t)l * per_layer, &sum[l], recs,
			   &out);
	}
	free(recs);
	scan_close_outputs(&out);

	if (report && ctl->json)
		scan_json(sum, first, n);
	else if (report)
		scan_human(&info, sum, first, n);
	if (report && !ctl->json && out.svg)
		printf("svg: %s, %zu bins of up to %u cluster%s\n", out.svg,
		       out.plot.nbins, out.plot.per_bin,
		       out.plot.per_bin == 1 ? "" : "s");
	if (report && !ctl->json && out.csv)
		printf("csv: %s, %llu clusters\n", out.csv,
		       (unsigned long long)out.rows);
	scanplot_free(&out.plot);
	return EXIT_SUCCESS;
}
