// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl - output files written whole or not at all.
 *
 * A regular file (or a name that does not exist yet) is written to a
 * temporary file in the same directory, ".NAME.XXXXXX", with the mode the
 * file has or would get, and renamed over NAME when it is complete. Until
 * then NAME is untouched, and a run that fails or exits early removes the
 * temporary file (atexit), so no partial file is left behind. Anything
 * else that exists under NAME (a device, a FIFO, a symbolic link) is
 * opened and written directly; "-" is standard output.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

/* Temporary files not yet renamed; removed when the program exits. */
#define OUTFILE_MAX	4
static char *pending[OUTFILE_MAX];

static void outfile_cleanup(void)
{
	int i;

	for (i = 0; i < OUTFILE_MAX; i++)
		if (pending[i])
			unlink(pending[i]);
}

static void pending_set(const char *old, char *tmp)
{
	static bool registered;
	int i;

	if (!registered) {
		if (atexit(outfile_cleanup))
			errx(EXIT_FAILURE, "atexit failed");
		registered = true;
	}
	for (i = 0; i < OUTFILE_MAX; i++) {
		if (pending[i] == old) {
			pending[i] = tmp;
			return;
		}
	}
	errx(EXIT_FAILURE, "too many output files");
}

/* The mode a new file gets: 0666 less the umask. */
static mode_t new_file_mode(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return 0666 & ~mask;
}

static void open_tmp(struct outfile *o, mode_t mode)
{
	const char *slash = strrchr(o->path, '/');
	int dirlen = slash ? (int)(slash - o->path + 1) : 0;
	int fd;

	if (asprintf(&o->tmp, "%.*s.%s.XXXXXX", dirlen, o->path,
		     o->path + dirlen) < 0)
		errx(EXIT_FAILURE, "out of memory");
	fd = mkstemp(o->tmp);
	if (fd < 0)
		errx(EXIT_FAILURE, "%s: open failed: %s", o->path,
		     strerror(errno));
	pending_set(NULL, o->tmp);
	if (fchmod(fd, mode & 07777))
		errx(EXIT_FAILURE, "%s: chmod failed: %s", o->path,
		     strerror(errno));
	o->f = fdopen(fd, "w");
	if (!o->f)
		errx(EXIT_FAILURE, "out of memory");
}

/*
 * outfile_open() - start writing @path ("-": standard output); exits with
 * "PATH: open failed: REASON" when it cannot be created.
 */
void outfile_open(struct outfile *o, const char *path)
{
	struct stat st;
	bool exists;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (outfile_is_stdout(path)) {
		o->f = stdout;
		return;
	}
	exists = !lstat(path, &st);
	if (!exists && errno != ENOENT)
		errx(EXIT_FAILURE, "%s: open failed: %s", path,
		     strerror(errno));
	if (!exists || S_ISREG(st.st_mode)) {
		open_tmp(o, exists ? st.st_mode : new_file_mode());
		return;
	}
	if (S_ISDIR(st.st_mode))
		errx(EXIT_FAILURE, "%s: open failed: %s", path,
		     strerror(EISDIR));
	o->f = fopen(path, "w");
	if (!o->f)
		errx(EXIT_FAILURE, "%s: open failed: %s", path,
		     strerror(errno));
}

/*
 * outfile_commit() - finish the file: flush it and, for a temporary file,
 * rename it over the target. Exits with "PATH: write failed: REASON" (and
 * removes the temporary file) when anything went wrong.
 */
void outfile_commit(struct outfile *o)
{
	int e = 0;

	if (fflush(o->f) || ferror(o->f))
		e = errno ? errno : EIO;
	if (o->f == stdout) {
		if (e)
			errx(EXIT_FAILURE, "standard output: write failed: %s",
			     strerror(e));
		return;
	}
	if (!e && o->tmp && fsync(fileno(o->f)))
		e = errno;
	if (fclose(o->f) && !e)
		e = errno;
	o->f = NULL;
	if (!e && o->tmp && rename(o->tmp, o->path))
		e = errno;
	if (o->tmp) {
		if (e)
			unlink(o->tmp);
		pending_set(o->tmp, NULL);
		free(o->tmp);
		o->tmp = NULL;
	}
	if (e)
		errx(EXIT_FAILURE, "%s: write failed: %s", o->path, strerror(e));
}
