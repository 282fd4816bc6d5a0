/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optsimctl - a standalone SVG line plot (the bathtub curve of "simulate
 * --svg"). No I/O but the FILE given; unit tested by tests/parse_test.c.
 */
#ifndef OPTSIMCTL_SVG_H
#define OPTSIMCTL_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct svg_point {
	double x;
	double y;
	bool ok;		/* false: drawn as a failed (red) point */
};

/**
 * struct svg_plot - one curve with a horizontal limit and a marked point
 * @title: line above the plot
 * @xlabel: x axis label
 * @ylabel: y axis label
 * @pts: the curve, in x order
 * @n: points in @pts (at least 1)
 * @limit: y of the dashed limit line; not drawn when <= 0
 * @limit_label: its label
 * @mark: draw a marker at (@mark_x, @mark_y)
 * @mark_x: x of the marker
 * @mark_y: y of the marker
 * @mark_label: its label
 * @fail_label: legend text of the points that are not ok, or NULL
 */
struct svg_plot {
	const char *title;
	const char *xlabel;
	const char *ylabel;
	const struct svg_point *pts;
	size_t n;
	double limit;
	const char *limit_label;
	bool mark;
	double mark_x;
	double mark_y;
	const char *mark_label;
	const char *fail_label;
};

double svg_nice_step(double range, int ticks);
void svg_escape(FILE *f, const char *s);
void svg_plot(FILE *f, const struct svg_plot *p);

#endif /* OPTSIMCTL_SVG_H */
