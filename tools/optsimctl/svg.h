/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optsimctl - standalone SVG plots: the bathtub curve of "simulate --svg"
 * and the building blocks (document, panels with axes, limit lines) that
 * the quality scan plot of "scan --svg" (scanplot.c) is drawn with. No I/O
 * but the FILE given; unit tested by tests/parse_test.c.
 */
#ifndef OPTSIMCTL_SVG_H
#define OPTSIMCTL_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Colours shared by every plot. */
#define SVG_BLUE	"#1f5fbf"
#define SVG_RED		"#d62728"
#define SVG_GREEN	"#2ca02c"
#define SVG_FONT	"font-family=\"sans-serif\" font-size=\"12\""

/**
 * struct svg_panel - one plot area and the scales of its axes
 * @left: x of the plot area's left edge, in px
 * @top: y of its top edge, in px
 * @width: its width, in px
 * @height: its height, in px
 * @x0: x value at the left edge
 * @x1: x value at the right edge
 * @y1: y value at the top edge; the bottom edge is y = 0
 * @xstep: distance of the x ticks
 * @ystep: distance of the y ticks
 */
struct svg_panel {
	double left, top, width, height;
	double x0, x1, y1;
	double xstep, ystep;
};

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

void svg_begin(FILE *f, double width, double height, const char *title);
void svg_end(FILE *f);
void svg_text(FILE *f, double x, double y, const char *anchor,
	      const char *extra, const char *s);
void svg_scale_x(struct svg_panel *p, double xmin, double xmax, int ticks);
void svg_scale_y(struct svg_panel *p, double ymax, double limit, int ticks);
double svg_px(const struct svg_panel *p, double x);
double svg_py(const struct svg_panel *p, double y);
void svg_axes(FILE *f, const struct svg_panel *p, const char *xlabel,
	      const char *ylabel);
void svg_limit(FILE *f, const struct svg_panel *p, double xa, double xb,
	       double y, const char *cls, const char *color,
	       const char *label);

void svg_plot(FILE *f, const struct svg_plot *p);

#endif /* OPTSIMCTL_SVG_H */
