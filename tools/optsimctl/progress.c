// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl - progress report of a long transfer, on stderr.
 *
 * On a terminal: one line redrawn with \r (bar, percent, MiB done, MB/s,
 * ETA, current layer). Otherwise a plain line every 10 %:
 *   burn: 40% 51.2/128.0 MiB L0 35.1 MB/s
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define BAR_WIDTH	24
#define REDRAW_SECS	0.1

double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_start(struct progress *p, const char *label, uint64_t total)
{
	p->label = label;
	p->total = total ? total : 1;
	p->tty = isatty(STDERR_FILENO);
	p->last_step = 0;
	p->t0 = now_seconds();
	p->last_draw = 0;
}

static double mib(uint64_t bytes)
{
	return (double)bytes / (1024.0 * 1024.0);
}

static void draw_tty(struct progress *p, uint64_t done, uint32_t layer,
		     double secs)
{
	double rate = secs > 0 ? (double)done / secs : 0;
	char bar[BAR_WIDTH + 1], eta[32] = "--:--";
	unsigned int fill = (unsigned int)(done * BAR_WIDTH / p->total), i;

	for (i = 0; i < BAR_WIDTH; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[BAR_WIDTH] = '\0';
	if (rate > 0) {
		unsigned long left = (unsigned long)((double)(p->total - done) /
						     rate + 0.5);

		if (left >= 3600)
			snprintf(eta, sizeof(eta), "%lu:%02lu:%02lu",
				 left / 3600, left / 60 % 60, left % 60);
		else
			snprintf(eta, sizeof(eta), "%lu:%02lu", left / 60,
				 left % 60);
	}
	fprintf(stderr, "\r%s: [%s] %3u%% %.1f/%.1f MiB %.1f MB/s ETA %s L%u\033[K",
		p->label, bar, (unsigned int)(done * 100 / p->total),
		mib(done), mib(p->total), progress_rate_mbs(done, secs), eta,
		layer);
	fflush(stderr);
}

/* progress_update() - @done bytes of @total transferred, now on @layer. */
void progress_update(struct progress *p, uint64_t done, uint32_t layer)
{
	double t = now_seconds(), secs = t - p->t0;
	int step;

	if (p->tty) {
		if (done < p->total && t - p->last_draw < REDRAW_SECS)
			return;
		p->last_draw = t;
		draw_tty(p, done, layer, secs);
		return;
	}
	step = (int)(done * 10 / p->total);
	if (step <= p->last_step)
		return;
	p->last_step = step;
	fprintf(stderr, "%s: %u%% %.1f/%.1f MiB L%u %.1f MB/s\n", p->label,
		(unsigned int)(done * 100 / p->total), mib(done), mib(p->total),
		layer, progress_rate_mbs(done, secs));
}

/* progress_end() - finish the TTY line; returns the seconds taken. */
double progress_end(struct progress *p)
{
	if (p->tty && p->last_draw > 0)
		fputc('\n', stderr);
	return now_seconds() - p->t0;
}

/* progress_rate_mbs() - average rate in MB/s (10^6 bytes per second). */
double progress_rate_mbs(uint64_t bytes, double secs)
{
	return secs > 0 ? (double)bytes / secs / 1e6 : 0.0;
}
