// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl - a standalone SVG line plot: axes with ticks and labels, grid,
 * the curve with its points, a dashed horizontal limit and one marked
 * point. The y axis starts at 0 and is cut at four times the limit, so a
 * bathtub curve keeps its bottom readable when its walls shoot up; points
 * above the cut are drawn on the top edge.
 */
#include <math.h>
#include <stdio.h>

#include "svg.h"

#define W		720.0
#define H		480.0
#define LEFT		72.0
#define RIGHT		24.0
#define TOP		44.0
#define BOTTOM		64.0
#define PW		(W - LEFT - RIGHT)
#define PH		(H - TOP - BOTTOM)

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

struct axes {
	double x0, x1, y1;	/* x from @x0 to @x1, y from 0 to @y1 */
};

static double px(const struct axes *a, double x)
{
	return LEFT + (x - a->x0) / (a->x1 - a->x0) * PW;
}

static double py(const struct axes *a, double y)
{
	if (y > a->y1)
		y = a->y1;
	if (y < 0)
		y = 0;
	return TOP + PH - y / a->y1 * PH;
}

static void text(FILE *f, double x, double y, const char *anchor,
		 const char *extra, const char *s)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s>", x, y,
		anchor, extra ? " " : "", extra ? extra : "");
	svg_escape(f, s);
	fputs("</text>\n", f);
}

static void scale(const struct svg_plot *p, struct axes *a, double *xstep,
		  double *ystep)
{
	double xmin = p->pts[0].x, xmax = p->pts[0].x, ymax = 0, top;
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
	if (xmax - xmin < 1e-9) {
		xmin -= 0.5;
		xmax += 0.5;
	}
	*xstep = svg_nice_step(xmax - xmin, 8);
	a->x0 = floor(xmin / *xstep + 1e-9) * *xstep;
	a->x1 = ceil(xmax / *xstep - 1e-9) * *xstep;

	top = ymax;
	if (p->limit > 0) {
		top = fmin(top, 4 * p->limit);
		top = fmax(top, 1.5 * p->limit);
	}
	if (!(top > 0))
		top = 1;
	*ystep = svg_nice_step(top, 6);
	a->y1 = ceil(top / *ystep - 1e-9) * *ystep;
}

static void draw_axes(FILE *f, const struct svg_plot *p, const struct axes *a,
		      double xstep, double ystep)
{
	int xd = step_decimals(xstep), yd = step_decimals(ystep);
	char buf[64];
	double v;
	long i, n;

	fprintf(f, "<g stroke=\"#dddddd\" stroke-width=\"1\">\n");
	n = lround((a->x1 - a->x0) / xstep);
	for (i = 0; i <= n; i++) {
		v = a->x0 + (double)i * xstep;
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
			px(a, v), TOP, px(a, v), TOP + PH);
	}
	n = lround(a->y1 / ystep);
	for (i = 0; i <= n; i++) {
		v = (double)i * ystep;
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
			LEFT, py(a, v), LEFT + PW, py(a, v));
	}
	fputs("</g>\n", f);

	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#000000\" stroke-width=\"1\"/>\n",
		LEFT, TOP, PW, PH);
	fputs("<g font-family=\"sans-serif\" font-size=\"12\" fill=\"#000000\">\n", f);
	n = lround((a->x1 - a->x0) / xstep);
	for (i = 0; i <= n; i++) {
		v = a->x0 + (double)i * xstep;
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000000\"/>\n",
			px(a, v), TOP + PH, px(a, v), TOP + PH + 5);
		snprintf(buf, sizeof(buf), "%.*f", xd, v);
		text(f, px(a, v), TOP + PH + 19, "middle", NULL, buf);
	}
	n = lround(a->y1 / ystep);
	for (i = 0; i <= n; i++) {
		v = (double)i * ystep;
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000000\"/>\n",
			LEFT - 5, py(a, v), LEFT, py(a, v));
		snprintf(buf, sizeof(buf), "%.*f", yd, v);
		text(f, LEFT - 8, py(a, v) + 4, "end", NULL, buf);
	}
	text(f, LEFT + PW / 2, H - 18, "middle", NULL, p->xlabel);
	fprintf(f, "<text x=\"0\" y=\"0\" text-anchor=\"middle\" transform=\"translate(18 %.1f) rotate(-90)\">",
		TOP + PH / 2);
	svg_escape(f, p->ylabel);
	fputs("</text>\n", f);
	text(f, W / 2, 24, "middle", "font-size=\"14\" font-weight=\"bold\"",
	     p->title);
	fputs("</g>\n", f);
}

static void draw_curve(FILE *f, const struct svg_plot *p, const struct axes *a)
{
	bool any_fail = false;
	size_t i;

	fputs("<path class=\"curve\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\" d=\"", f);
	for (i = 0; i < p->n; i++)
		fprintf(f, "%s%.1f %.1f", i ? " L" : "M", px(a, p->pts[i].x),
			py(a, isfinite(p->pts[i].y) ? p->pts[i].y : a->y1));
	fputs("\"/>\n", f);
	for (i = 0; i < p->n; i++) {
		any_fail |= !p->pts[i].ok;
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
			px(a, p->pts[i].x),
			py(a, isfinite(p->pts[i].y) ? p->pts[i].y : a->y1),
			p->pts[i].ok ? "#1f5fbf" : "#d62728");
	}
	if (any_fail && p->fail_label) {
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#d62728\"/>\n",
			LEFT + 12, TOP + 14);
		text(f, LEFT + 22, TOP + 18, "start",
		     "font-family=\"sans-serif\" font-size=\"12\"", p->fail_label);
	}
}

static void draw_limit(FILE *f, const struct svg_plot *p, const struct axes *a)
{
	if (!(p->limit > 0) || p->limit > a->y1)
		return;
	fprintf(f, "<line class=\"limit\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#d62728\" stroke-width=\"1.5\" stroke-dasharray=\"8 5\"/>\n",
		LEFT, py(a, p->limit), LEFT + PW, py(a, p->limit));
	text(f, LEFT + PW - 6, py(a, p->limit) - 6, "end",
	     "font-family=\"sans-serif\" font-size=\"12\" fill=\"#d62728\"",
	     p->limit_label);
}

static void draw_mark(FILE *f, const struct svg_plot *p, const struct axes *a)
{
	double x, y;

	if (!p->mark)
		return;
	x = px(a, p->mark_x);
	y = py(a, p->mark_y);
	fprintf(f, "<line class=\"optimum\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#2ca02c\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>\n",
		x, TOP + PH, x, y);
	fprintf(f, "<path fill=\"#2ca02c\" stroke=\"#000000\" d=\"M%.1f %.1f L%.1f %.1f L%.1f %.1f L%.1f %.1f Z\"/>\n",
		x, y - 7, x + 7, y, x, y + 7, x - 7, y);
	text(f, x < LEFT + PW / 2 ? x + 10 : x - 10, y - 10,
	     x < LEFT + PW / 2 ? "start" : "end",
	     "font-family=\"sans-serif\" font-size=\"12\" fill=\"#2ca02c\"",
	     p->mark_label);
}

/* svg_plot() - write the whole document for @p (@p->n >= 1) to @f. */
void svg_plot(FILE *f, const struct svg_plot *p)
{
	double xstep, ystep;
	struct axes a;

	scale(p, &a, &xstep, &ystep);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n",
		W, H, W, H);
	fputs("<title>", f);
	svg_escape(f, p->title);
	fputs("</title>\n", f);
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n",
		W, H);
	draw_axes(f, p, &a, xstep, ystep);
	draw_limit(f, p, &a);
	draw_curve(f, p, &a);
	draw_mark(f, p, &a);
	fputs("</svg>\n", f);
}
