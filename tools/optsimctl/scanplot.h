/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optsimctl - the picture of a quality scan ("scan --svg"): the clusters
 * of the layers scanned, in disc (LBA) order, gathered into at most about
 * SCANPLOT_MAX_BINS bins, each holding the maximum of its clusters, and
 * drawn as LDC, BIS and jitter panels against the position on the disc.
 * No I/O but the FILE given; unit tested by tests/parse_test.c.
 */
#ifndef OPTSIMCTL_SCANPLOT_H
#define OPTSIMCTL_SCANPLOT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/optsim.h>

/* Bins of the whole range scanned; each layer adds at most one more. */
#define SCANPLOT_MAX_BINS	1500

/**
 * struct scan_bin - consecutive clusters of one layer
 * @first: first cluster (medium-wide index)
 * @clusters: clusters in the bin
 * @recorded: of them, the recorded ones
 * @unreadable: of them, the uncorrectable ones
 * @layer: layer index
 * @ldc: largest LDC count of the recorded clusters
 * @bis: largest BIS count of the recorded clusters
 * @jitter: largest jitter of the recorded clusters, 0.01 % of T
 */
struct scan_bin {
	uint64_t first;
	uint32_t clusters;
	uint32_t recorded;
	uint32_t unreadable;
	uint32_t layer;
	uint32_t ldc;
	uint32_t bis;
	uint32_t jitter;
};

/**
 * struct scanplot - the binned scan and what the picture says about it
 * @title: line above the plot
 * @layer_clusters: clusters per layer of the medium
 * @first_layer: first layer scanned
 * @nlayers: layers scanned
 * @per_bin: clusters per bin (the last bin of a layer may hold fewer)
 * @bins: the bins, in disc order
 * @nbins: bins in @bins
 * @layer_bin: index in @bins of the first bin of layer L, for the layers
 *	       scanned
 * @ldc_limit: spec limit of the LDC count per cluster
 * @bis_limit: spec limit of the BIS count per cluster
 * @jitter_limit: spec jitter limit of each layer, 0.01 % of T
 */
struct scanplot {
	const char *title;
	uint64_t layer_clusters;
	uint32_t first_layer;
	uint32_t nlayers;
	uint32_t per_bin;
	struct scan_bin *bins;
	size_t nbins;
	size_t layer_bin[OPTSIM_MAX_LAYERS];
	uint32_t ldc_limit;
	uint32_t bis_limit;
	uint32_t jitter_limit[OPTSIM_MAX_LAYERS];
};

int scanplot_init(struct scanplot *sp, uint64_t layer_clusters,
		  uint32_t first_layer, uint32_t nlayers);
void scanplot_add(struct scanplot *sp, uint64_t cluster,
		  const struct optsim_quality_rec *r);
void scanplot_svg(FILE *f, const struct scanplot *sp);
void scanplot_free(struct scanplot *sp);

#endif /* OPTSIMCTL_SCANPLOT_H */
