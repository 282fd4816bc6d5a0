// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl - standalone SVG plots. The parts: a document, panels with
 * axes, ticks, grid and labels, and dashed limit lines; "scan --svg"
 * stacks several panels (scanplot.c). The whole line plot of "simulate
 * --svg": the curve with its points, a dashed horizontal limit and one
 * marked point. The y axis starts at 0 and is cut at four times the limit,
 * so a bathtub curve keeps its bottom readable when its walls shoot up;
 * points above the cut are drawn on the top edge.
 */
#include <math.h>
#include <stdio.h>

#include "svg.h"

/* svg_nice_step() - a 1, 2 or 5 x 10^k step that cuts @range into ~@ticks. */
double svg_nice_step(double range, int ticks)
{
	double raw, mag, norm;

	if (!(range > 0) || ticks < 1)
		return 1;
	raw = range / ticks;
	mag = pow(10, floor(log10(raw)));
	norm = raw / mag;
	if (norm <= 1)
		return mag;
	if (norm <= 2)
		return 2 * mag;
	if (norm <= 5)
		return 5 * mag;
	return 10 * mag;
}

/* Digits after the point that show every multiple of @step. */
static int step_decimals(double step)
{
	int d = (int)-floor(log10(step) + 1e-9);

	return d < 0 ? 0 : d;
}

void svg_escape(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&apos;", f);
			break;
		default:
			/* XML 1.0 allows no control characters but TAB/LF/CR */
			if ((unsigned char)*s >= 0x20 || *s == '\t')
				fputc(*s, f);
		}
	}
}

/* svg_text() - a text element at (@x, @y); @extra: more attributes or NULL */
void svg_text(FILE *f, double x, double y, const char *anchor,
	      const char *extra, const char *s)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s>", x, y,
		anchor, extra ? " " : "", extra ? extra : "");
	svg_escape(f, s);
	fputs("</text>\n", f);
}

/* svg_begin() - the XML prolog, the svg element, a white page and @title. */
void svg_begin(FILE *f, double width, double height, const char *title)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n",
		width, height, width, height);
	fputs("<title>", f);
	svg_escape(f, title);
	fputs("</title>\n", f);
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n",
		width, height);
	svg_text(f, width / 2, 24, "middle",
		 "font-family=\"sans-serif\" font-size=\"14\" font-weight=\"bold\"",
		 title);
}

void svg_end(FILE *f)
{
	fputs("</svg>\n", f);
}

double svg_px(const struct svg_panel *p, double x)
{
	return p->left + (x - p->x0) / (p->x1 - p->x0) * p->width;
}

/* svg_py() - the y pixel of @y, clamped to the plot area. */
double svg_py(const struct svg_panel *p, double y)
{
	if (!(y < p->y1))
		y = p->y1;
	if (!(y > 0))
		y = 0;
	return p->top + p->height - y / p->y1 * p->height;
}

/*
 * svg_scale_x() - an x range from @xmin to @xmax rounded out to whole ticks
 * of a nice step, about @ticks of them.
 */
void svg_scale_x(struct svg_panel *p, double xmin, double xmax, int ticks)
{
	if (xmax - xmin < 1e-9) {
		xmin -= 0.5;
		xmax += 0.5;
	}
	p->xstep = svg_nice_step(xmax - xmin, ticks);
	p->x0 = floor(xmin / p->xstep + 1e-9) * p->xstep;
	p->x1 = ceil(xmax / p->xstep - 1e-9) * p->xstep;
}

/*
 * svg_scale_y() - a y range from 0 that holds @ymax, rounded up to a whole
 * tick. With a @limit above 0 the range is cut at four times the limit
 * (larger values are drawn on the top edge) and shows at least 1.5 times
 * the limit, so that the limit line is always in the plot.
 */
void svg_scale_y(struct svg_panel *p, double ymax, double limit, int ticks)
{
	double top = ymax;

	if (limit > 0) {
		top = fmin(top, 4 * limit);
		top = fmax(top, 1.5 * limit);
	}
	if (!(top > 0))
		top = 1;
	p->ystep = svg_nice_step(top, ticks);
	p->y1 = ceil(top / p->ystep - 1e-9) * p->ystep;
}

/*
 * svg_axes() - grid, frame, ticks and labels of panel @p. Without @xlabel
 * the x ticks get no numbers (a panel stacked above another one).
 */
void svg_axes(FILE *f, const struct svg_panel *p, const char *xlabel,
	      const char *ylabel)
{
	int xd = step_decimals(p->xstep), yd = step_decimals(p->ystep);
	double bottom = p->top + p->height;
	long i, nx, ny;
	double v, k0;
	char buf[64];

	/* x ticks: the multiples of xstep from x0 to x1 */
	k0 = ceil(p->x0 / p->xstep - 1e-9);
	nx = lround(floor(p->x1 / p->xstep + 1e-9) - k0);
	ny = lround(p->y1 / p->ystep);
	fprintf(f, "<g stroke=\"#dddddd\" stroke-width=\"1\">\n");
	for (i = 0; i <= nx; i++) {
		v = svg_px(p, (k0 + (double)i) * p->xstep);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
			v, p->top, v, bottom);
	}
	for (i = 0; i <= ny; i++) {
		v = svg_py(p, (double)i * p->ystep);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
			p->left, v, p->left + p->width, v);
	}
	fputs("</g>\n", f);

	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#000000\" stroke-width=\"1\"/>\n",
		p->left, p->top, p->width, p->height);
	fputs("<g " SVG_FONT " fill=\"#000000\">\n", f);
	for (i = 0; xlabel && i <= nx; i++) {
		v = (k0 + (double)i) * p->xstep + 0.0;	/* never -0 */
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000000\"/>\n",
			svg_px(p, v), bottom, svg_px(p, v), bottom + 5);
		snprintf(buf, sizeof(buf), "%.*f", xd, v);
		svg_text(f, svg_px(p, v), bottom + 19, "middle", NULL, buf);
	}
	for (i = 0; i <= ny; i++) {
		v = (double)i * p->ystep;
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000000\"/>\n",
			p->left - 5, svg_py(p, v), p->left, svg_py(p, v));
		snprintf(buf, sizeof(buf), "%.*f", yd, v);
		svg_text(f, p->left - 8, svg_py(p, v) + 4, "end", NULL, buf);
	}
	if (xlabel)
		svg_text(f, p->left + p->width / 2, bottom + 46, "middle", NULL,
			 xlabel);
	fprintf(f, "<text x=\"0\" y=\"0\" text-anchor=\"middle\" transform=\"translate(%.1f %.1f) rotate(-90)\">",
		p->left - 54, p->top + p->height / 2);
	svg_escape(f, ylabel);
	fputs("</text>\n", f);
	fputs("</g>\n", f);
}

/*
 * svg_limit() - a dashed horizontal line at @y from x = @xa to @xb, of
 * class @cls, labelled at its right end. Not drawn when @y is not above 0
 * or not in the panel.
 */
void svg_limit(FILE *f, const struct svg_panel *p, double xa, double xb,
	       double y, const char *cls, const char *color,
	       const char *label)
{
	char attr[96];

	if (!(y > 0) || y > p->y1)
		return;
	fprintf(f, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"8 5\"/>\n",
		cls, svg_px(p, xa), svg_py(p, y), svg_px(p, xb), svg_py(p, y),
		color);
	snprintf(attr, sizeof(attr), SVG_FONT " fill=\"%s\"", color);
	svg_text(f, svg_px(p, xb) - 6, svg_py(p, y) - 6, "end", attr, label);
}

/* The bathtub plot: 720 x 480 px, one panel. */
#define W		720.0
#define H		480.0

static void scale(const struct svg_plot *p, struct svg_panel *a)
{
	double xmin = p->pts[0].x, xmax = p->pts[0].x, ymax = 0;
	size_t i;

	for (i = 0; i < p->n; i++) {
		xmin = fmin(xmin, p->pts[i].x);
		xmax = fmax(xmax, p->pts[i].x);
		if (isfinite(p->pts[i].y))
			ymax = fmax(ymax, p->pts[i].y);
	}
	if (p->mark) {
		xmin = fmin(xmin, p->mark_x);
		xmax = fmax(xmax, p->mark_x);
		ymax = fmax(ymax, p->mark_y);
	}
	svg_scale_x(a, xmin, xmax, 8);
	svg_scale_y(a, ymax, p->limit, 6);
}

static void draw_curve(FILE *f, const struct svg_plot *p,
		       const struct svg_panel *a)
{
	bool any_fail = false;
	size_t i;

	fputs("<path class=\"curve\" fill=\"none\" stroke=\"" SVG_BLUE "\" stroke-width=\"2\" d=\"", f);
	for (i = 0; i < p->n; i++)
		fprintf(f, "%s%.1f %.1f", i ? " L" : "M", svg_px(a, p->pts[i].x),
			svg_py(a, isfinite(p->pts[i].y) ? p->pts[i].y : a->y1));
	fputs("\"/>\n", f);
	for (i = 0; i < p->n; i++) {
		any_fail |= !p->pts[i].ok;
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
			svg_px(a, p->pts[i].x),
			svg_py(a, isfinite(p->pts[i].y) ? p->pts[i].y : a->y1),
			p->pts[i].ok ? SVG_BLUE : SVG_RED);
	}
	if (any_fail && p->fail_label) {
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"" SVG_RED "\"/>\n",
			a->left + 12, a->top + 14);
		svg_text(f, a->left + 22, a->top + 18, "start", SVG_FONT,
			 p->fail_label);
	}
}

static void draw_mark(FILE *f, const struct svg_plot *p,
		      const struct svg_panel *a)
{
	double x, y, mid = a->left + a->width / 2;

	if (!p->mark)
		return;
	x = svg_px(a, p->mark_x);
	y = svg_py(a, p->mark_y);
	fprintf(f, "<line class=\"optimum\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" SVG_GREEN "\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>\n",
		x, a->top + a->height, x, y);
	fprintf(f, "<path fill=\"" SVG_GREEN "\" stroke=\"#000000\" d=\"M%.1f %.1f L%.1f %.1f L%.1f %.1f L%.1f %.1f Z\"/>\n",
		x, y - 7, x + 7, y, x, y + 7, x - 7, y);
	svg_text(f, x < mid ? x + 10 : x - 10, y - 10, x < mid ? "start" : "end",
		 SVG_FONT " fill=\"" SVG_GREEN "\"", p->mark_label);
}

/* svg_plot() - write the whole document for @p (@p->n >= 1) to @f. */
void svg_plot(FILE *f, const struct svg_plot *p)
{
	struct svg_panel a = {
		.left = 72, .top = 44, .width = W - 72 - 24, .height = H - 44 - 64,
	};

	scale(p, &a);
	svg_begin(f, W, H, p->title);
	svg_axes(f, &a, p->xlabel, p->ylabel);
	svg_limit(f, &a, a.x0, a.x1, p->limit, "limit", SVG_RED,
		  p->limit_label);
	draw_curve(f, p, &a);
	draw_mark(f, p, &a);
	svg_end(f);
}
