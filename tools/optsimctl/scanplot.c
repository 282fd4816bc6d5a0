// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl - the picture of a quality scan, in the manner of the quality
 * scans of disc testing tools: three panels stacked over one x axis, the
 * position on the disc in LBA order (L0, then L1):
 *
 *   LDC     byte errors per cluster, bars, with the spec limit
 *   BIS     burst indicator byte errors per cluster, bars, with the limit
 *   jitter  % of T, a line, with each layer's spec limit
 *
 * A large disc has far more clusters than the picture has pixels, so the
 * clusters are gathered into bins of @per_bin consecutive clusters of one
 * layer, and a bin shows the largest value of its recorded clusters: a bad
 * cluster is never averaged away. Bins without a recorded cluster are
 * shaded grey (unrecorded), bins holding an uncorrectable cluster are
 * marked by a red band through every panel (at least 2 px wide, so a
 * single cluster stays visible), and a dashed line marks each layer
 * boundary. Values above the top of a panel are drawn on its top edge.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "scanplot.h"
#include "svg.h"

#define CLUSTER_BYTES	((double)OPTSIM_CLUSTER_SECTORS * OPTSIM_SECTOR_SIZE)

#define SP_W		960.0
#define SP_LEFT		72.0
#define SP_RIGHT	24.0
#define SP_TOP		84.0
#define SP_PH		150.0	/* height of a panel */
#define SP_GAP		22.0	/* between two panels */
#define SP_BOTTOM	64.0
#define SP_PANELS	3
#define SP_H		(SP_TOP + SP_PANELS * SP_PH + \
			 (SP_PANELS - 1) * SP_GAP + SP_BOTTOM)

#define GREY		"#e6e6e6"
#define PURPLE		"#9467bd"

/**
 * scanplot_init() - empty bins for the clusters of @nlayers layers from
 * @first_layer on, @layer_clusters clusters each
 *
 * Return: 0, -EINVAL for an empty range, -ENOMEM.
 */
int scanplot_init(struct scanplot *sp, uint64_t layer_clusters,
		  uint32_t first_layer, uint32_t nlayers)
{
	uint64_t total = layer_clusters * nlayers, per_bin, c, nb = 0;
	uint32_t l;
	size_t i = 0;

	memset(sp, 0, sizeof(*sp));
	if (!layer_clusters || !nlayers ||
	    first_layer + nlayers > OPTSIM_MAX_LAYERS)
		return -EINVAL;
	per_bin = (total + SCANPLOT_MAX_BINS - 1) / SCANPLOT_MAX_BINS;
	for (l = 0; l < nlayers; l++)
		nb += (layer_clusters + per_bin - 1) / per_bin;
	sp->bins = calloc(nb, sizeof(*sp->bins));
	if (!sp->bins)
		return -ENOMEM;
	sp->layer_clusters = layer_clusters;
	sp->first_layer = first_layer;
	sp->nlayers = nlayers;
	sp->per_bin = (uint32_t)per_bin;
	for (l = first_layer; l < first_layer + nlayers; l++) {
		sp->layer_bin[l] = i;
		for (c = 0; c < layer_clusters; c += per_bin, i++) {
			sp->bins[i].first = l * layer_clusters + c;
			sp->bins[i].clusters = (uint32_t)(layer_clusters - c <
							  per_bin ?
							  layer_clusters - c :
							  per_bin);
			sp->bins[i].layer = l;
		}
	}
	sp->nbins = i;
	return 0;
}

static uint32_t max_u32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

/* scanplot_add() - count the record @r of @cluster into its bin. */
void scanplot_add(struct scanplot *sp, uint64_t cluster,
		  const struct optsim_quality_rec *r)
{
	uint64_t l = cluster / sp->layer_clusters;
	struct scan_bin *b;

	if (l < sp->first_layer || l >= sp->first_layer + sp->nlayers)
		return;
	b = &sp->bins[sp->layer_bin[l] +
		      (cluster - l * sp->layer_clusters) / sp->per_bin];
	if (!(r->flags & OPTSIM_QUALITY_F_RECORDED))
		return;
	b->recorded++;
	if (r->flags & OPTSIM_QUALITY_F_UNCORRECTABLE)
		b->unreadable++;
	b->ldc = max_u32(b->ldc, r->ldc);
	b->bis = max_u32(b->bis, r->bis);
	b->jitter = max_u32(b->jitter, r->jitter);
}

void scanplot_free(struct scanplot *sp)
{
	free(sp->bins);
	sp->bins = NULL;
	sp->nbins = 0;
}

/* The x axis: disc position in GB, or in MB for media below 1 GB. */
struct xunit {
	double bytes;
	const char *name;
};

static double xpos(const struct xunit *u, uint64_t cluster)
{
	return (double)cluster * CLUSTER_BYTES / u->bytes;
}

static bool bin_unrecorded(const struct scan_bin *b)
{
	return !b->recorded;
}

static bool bin_unreadable(const struct scan_bin *b)
{
	return b->unreadable;
}

/*
 * draw_runs() - one rectangle of class @cls through panel @p for each run
 * of consecutive bins that @pick selects, at least @min_px wide; @paint:
 * the fill attributes.
 */
static void draw_runs(FILE *f, const struct scanplot *sp,
		      const struct xunit *u, const struct svg_panel *p,
		      bool (*pick)(const struct scan_bin *), const char *cls,
		      const char *paint, double min_px)
{
	double xa, xb;
	size_t i, j;

	fprintf(f, "<g class=\"%s\" %s>\n", cls, paint);
	for (i = 0; i < sp->nbins; i = j) {
		if (!pick(&sp->bins[i])) {
			j = i + 1;
			continue;
		}
		for (j = i + 1; j < sp->nbins && pick(&sp->bins[j]); j++)
			;
		xa = svg_px(p, xpos(u, sp->bins[i].first));
		xb = svg_px(p, xpos(u, sp->bins[j - 1].first +
				       sp->bins[j - 1].clusters));
		if (xb - xa < min_px) {
			xa = (xa + xb - min_px) / 2;
			xb = xa + min_px;
		}
		fprintf(f, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\"/>\n",
			xa, p->top, xb - xa, p->height);
	}
	fputs("</g>\n", f);
}

enum series { S_LDC, S_BIS, S_JITTER };

static uint32_t bin_value(const struct scan_bin *b, enum series s)
{
	return s == S_LDC ? b->ldc : s == S_BIS ? b->bis : b->jitter;
}

static double bin_mid(const struct xunit *u, const struct scan_bin *b)
{
	return (xpos(u, b->first) + xpos(u, b->first + b->clusters)) / 2;
}

/* draw_bars() - one vertical bar per recorded bin with a count above 0. */
static void draw_bars(FILE *f, const struct scanplot *sp,
		      const struct xunit *u, const struct svg_panel *p,
		      enum series s, const char *cls, const char *color)
{
	double w = p->width / (p->x1 - p->x0) * xpos(u, sp->per_bin) * 0.9;
	double base = p->top + p->height;
	size_t i;

	fprintf(f, "<path class=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.2f\" d=\"",
		cls, color, w > 1 ? w : 1);
	for (i = 0; i < sp->nbins; i++) {
		const struct scan_bin *b = &sp->bins[i];

		if (!b->recorded || !bin_value(b, s))
			continue;
		fprintf(f, "M%.2f %.1fV%.1f", svg_px(p, bin_mid(u, b)), base,
			svg_py(p, bin_value(b, s)));
	}
	fputs("\"/>\n", f);
}

/* draw_line() - the jitter of the recorded bins, broken where none is. */
static void draw_line(FILE *f, const struct scanplot *sp,
		      const struct xunit *u, const struct svg_panel *p)
{
	bool pen = false;
	size_t i;

	fputs("<path class=\"jitter\" fill=\"none\" stroke=\"" PURPLE "\" stroke-width=\"1.5\" stroke-linejoin=\"round\" d=\"", f);
	for (i = 0; i < sp->nbins; i++) {
		const struct scan_bin *b = &sp->bins[i];

		if (!b->recorded) {
			pen = false;
			continue;
		}
		fprintf(f, "%c%.2f %.1f", pen ? 'L' : 'M',
			svg_px(p, bin_mid(u, b)), svg_py(p, b->jitter / 100.0));
		pen = true;
	}
	fputs("\"/>\n", f);
}

static uint32_t series_max(const struct scanplot *sp, enum series s)
{
	uint32_t m = 0;
	size_t i;

	for (i = 0; i < sp->nbins; i++)
		if (sp->bins[i].recorded)
			m = max_u32(m, bin_value(&sp->bins[i], s));
	return m;
}

static void legend(FILE *f, const struct scanplot *sp)
{
	static const struct {
		const char *color, *label;
		double width;
	} item[] = {
		{ SVG_GREEN, "LDC", 70 },
		{ SVG_BLUE, "BIS", 70 },
		{ PURPLE, "jitter", 80 },
		{ GREY, "unrecorded", 110 },
		{ "#f4a5a5", "unreadable (uncorrectable)", 200 },
		{ NULL, "spec limit", 100 },
	};
	double x = SP_LEFT;
	char note[128];
	size_t i;

	fputs("<g class=\"legend\">\n", f);
	for (i = 0; i < sizeof(item) / sizeof(item[0]); i++) {
		if (item[i].color)
			fprintf(f, "<rect x=\"%.1f\" y=\"42\" width=\"12\" height=\"12\" fill=\"%s\" stroke=\"#999999\"/>\n",
				x, item[i].color);
		else
			fprintf(f, "<line x1=\"%.1f\" y1=\"48\" x2=\"%.1f\" y2=\"48\" stroke=\"" SVG_RED "\" stroke-width=\"1.5\" stroke-dasharray=\"8 5\"/>\n",
				x - 6, x + 14);
		svg_text(f, x + 18, 53, "start", SVG_FONT, item[i].label);
		x += item[i].width;
	}
	if (sp->per_bin > 1)
		snprintf(note, sizeof(note),
			 "each bar and point: the maximum of %u clusters (%u KiB)",
			 sp->per_bin,
			 sp->per_bin * (unsigned int)(CLUSTER_BYTES / 1024));
	else
		snprintf(note, sizeof(note),
			 "one bar and point per cluster (64 KiB)");
	fputs("<text class=\"binning\" x=\"72\" y=\"72\" text-anchor=\"start\" " SVG_FONT ">", f);
	svg_escape(f, note);
	fputs("</text>\n</g>\n", f);
}

static void layer_boundaries(FILE *f, const struct scanplot *sp,
			     const struct xunit *u, const struct svg_panel *p)
{
	double bottom = p[SP_PANELS - 1].top + p[SP_PANELS - 1].height, x;
	char label[32];
	uint32_t l;

	for (l = sp->first_layer + 1; l < sp->first_layer + sp->nlayers; l++) {
		x = svg_px(&p[0], xpos(u, l * sp->layer_clusters));
		fprintf(f, "<line class=\"layer-boundary\" x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" stroke=\"#000000\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\n",
			x, p[0].top - 4, x, bottom);
		snprintf(label, sizeof(label), "L%u | L%u", l - 1, l);
		svg_text(f, x, p[0].top - 7, "middle", SVG_FONT, label);
	}
}

/* scanplot_svg() - write the whole document for the bins of @sp to @f. */
void scanplot_svg(FILE *f, const struct scanplot *sp)
{
	static const char *const ylabel[SP_PANELS] = {
		"LDC (bytes per cluster)", "BIS (bytes per cluster)",
		"jitter (% of T)",
	};
	static const char *const id[SP_PANELS] = { "ldc", "bis", "jitter" };
	uint64_t c0 = (uint64_t)sp->first_layer * sp->layer_clusters;
	uint64_t c1 = c0 + (uint64_t)sp->nlayers * sp->layer_clusters;
	struct svg_panel p[SP_PANELS];
	struct xunit u = { 1e9, "GB" };
	uint32_t jlimit = 0, l;
	char xlabel[64], label[48];
	int i;

	if ((double)c1 * CLUSTER_BYTES < 1e9)
		u = (struct xunit){ 1e6, "MB" };
	snprintf(xlabel, sizeof(xlabel), "position on the disc (%s, LBA order)",
		 u.name);
	for (l = sp->first_layer; l < sp->first_layer + sp->nlayers; l++)
		jlimit = max_u32(jlimit, sp->jitter_limit[l]);

	for (i = 0; i < SP_PANELS; i++) {
		memset(&p[i], 0, sizeof(p[i]));
		p[i].left = SP_LEFT;
		p[i].top = SP_TOP + i * (SP_PH + SP_GAP);
		p[i].width = SP_W - SP_LEFT - SP_RIGHT;
		p[i].height = SP_PH;
		p[i].x0 = xpos(&u, c0);
		p[i].x1 = xpos(&u, c1);
		p[i].xstep = svg_nice_step(p[i].x1 - p[i].x0, 10);
	}
	svg_scale_y(&p[0], series_max(sp, S_LDC), sp->ldc_limit, 5);
	svg_scale_y(&p[1], series_max(sp, S_BIS), sp->bis_limit, 5);
	svg_scale_y(&p[2], series_max(sp, S_JITTER) / 100.0, jlimit / 100.0, 5);

	svg_begin(f, SP_W, SP_H, sp->title);
	legend(f, sp);
	for (i = 0; i < SP_PANELS; i++) {
		fprintf(f, "<g id=\"panel-%s\">\n", id[i]);
		svg_axes(f, &p[i], i == SP_PANELS - 1 ? xlabel : NULL,
			 ylabel[i]);
		draw_runs(f, sp, &u, &p[i], bin_unrecorded, "unrecorded",
			  "fill=\"" GREY "\"", 0);
		if (i == 0)
			draw_bars(f, sp, &u, &p[i], S_LDC, "ldc", SVG_GREEN);
		else if (i == 1)
			draw_bars(f, sp, &u, &p[i], S_BIS, "bis", SVG_BLUE);
		else
			draw_line(f, sp, &u, &p[i]);
		draw_runs(f, sp, &u, &p[i], bin_unreadable, "unreadable",
			  "fill=\"" SVG_RED "\" fill-opacity=\"0.35\"", 2);
		fputs("</g>\n", f);
	}
	snprintf(label, sizeof(label), "LDC limit %u", sp->ldc_limit);
	svg_limit(f, &p[0], p[0].x0, p[0].x1, sp->ldc_limit,
		  "limit ldc-limit", SVG_RED, label);
	snprintf(label, sizeof(label), "BIS limit %u", sp->bis_limit);
	svg_limit(f, &p[1], p[1].x0, p[1].x1, sp->bis_limit,
		  "limit bis-limit", SVG_RED, label);
	for (l = sp->first_layer; l < sp->first_layer + sp->nlayers; l++) {
		snprintf(label, sizeof(label), "L%u limit %g %%", l,
			 sp->jitter_limit[l] / 100.0);
		svg_limit(f, &p[2], xpos(&u, l * sp->layer_clusters),
			  xpos(&u, (l + 1) * sp->layer_clusters),
			  sp->jitter_limit[l] / 100.0, "limit jitter-limit",
			  SVG_RED, label);
	}
	layer_boundaries(f, sp, &u, p);
	svg_end(f);
}
