/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optsimctl - output files written whole or not at all: a temporary file
 * next to the target, renamed over it once everything is written. "-" is
 * standard output.
 */
#ifndef OPTSIMCTL_OUTFILE_H
#define OPTSIMCTL_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

/**
 * struct outfile - an output file being written
 * @path: the name given; "-" is standard output
 * @tmp: the temporary file renamed to @path by outfile_commit(), or NULL
 *	 when @path is written directly (standard output, a device, a FIFO)
 * @f: the stream to write to
 */
struct outfile {
	const char *path;
	char *tmp;
	FILE *f;
};

static inline bool outfile_is_stdout(const char *path)
{
	return path && path[0] == '-' && !path[1];
}

void outfile_open(struct outfile *o, const char *path);
void outfile_commit(struct outfile *o);

#endif /* OPTSIMCTL_OUTFILE_H */
