/* SPDX-License-Identifier: GPL-2.0 */
/* optsimctl - progress report of a long transfer (burn, verify). */
#ifndef OPTSIMCTL_PROGRESS_H
#define OPTSIMCTL_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct progress {
	const char *label;	/* "burn", "verify" */
	uint64_t total;		/* bytes */
	bool tty;		/* redraw one line on stderr */
	int last_step;		/* last 10 % step printed (no TTY) */
	double t0;		/* start, seconds */
	double last_draw;	/* last redraw, seconds (TTY) */
};

double now_seconds(void);
void progress_start(struct progress *p, const char *label, uint64_t total);
void progress_update(struct progress *p, uint64_t done, uint32_t layer);
double progress_end(struct progress *p);
double progress_rate_mbs(uint64_t bytes, double secs);

#endif /* OPTSIMCTL_PROGRESS_H */
