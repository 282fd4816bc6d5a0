// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl - names of media types and write strategies, as shown by
 * "info"/"get" and accepted by "load --media" and "--strategy". The names
 * are the uapi header's (OPTSIM_MEDIA_NAME_*, OPTSIM_STRATEGY_NAME_*).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/optsim.h>

#include "names.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const media_names[] = {
	[OPTSIM_MEDIA_NONE]	= OPTSIM_MEDIA_NAME_NONE,
	[OPTSIM_MEDIA_BD_R]	= OPTSIM_MEDIA_NAME_BD_R,
	[OPTSIM_MEDIA_BD_R_DL]	= OPTSIM_MEDIA_NAME_BD_R_DL,
	[OPTSIM_MEDIA_BD_RE]	= OPTSIM_MEDIA_NAME_BD_RE,
	[OPTSIM_MEDIA_BD_RE_DL]	= OPTSIM_MEDIA_NAME_BD_RE_DL,
};

static const char *const strategy_names[] = {
	[OPTSIM_STRATEGY_AUTO]		= OPTSIM_STRATEGY_NAME_AUTO,
	[OPTSIM_STRATEGY_SINGLE]	= OPTSIM_STRATEGY_NAME_SINGLE,
	[OPTSIM_STRATEGY_MULTI]		= OPTSIM_STRATEGY_NAME_MULTI,
	[OPTSIM_STRATEGY_CASTLE]	= OPTSIM_STRATEGY_NAME_CASTLE,
};

/*
 * name_list() - @names[@first..@n), then @names[0..@first), joined with
 * ", " and with @last before the last one, in @buf.
 */
static const char *name_list(char *buf, size_t len, const char *const *names,
			     size_t n, size_t first, const char *last)
{
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s",
				       !i ? "" : i == n - 1 ? last : ", ",
				       names[(first + i) % n]);
	return buf;
}

/*
 * name_index() - the index in @names[@first..@n) of the name @s in *@index;
 * -EINVAL when @s is NULL or not one of them.
 */
static int name_index(const char *const *names, uint32_t n, uint32_t first,
		      const char *s, uint32_t *index)
{
	uint32_t i;

	for (i = first; s && i < n; i++) {
		if (!strcmp(s, names[i])) {
			*index = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* media_name() - "bd-r" etc., "none", or "unknown" for a newer driver's type. */
const char *media_name(uint32_t media)
{
	if (media < ARRAY_SIZE(media_names))
		return media_names[media];
	return "unknown";
}

/* media_from_name() - a loadable media type (never "none"). */
int media_from_name(const char *s, uint32_t *media)
{
	return name_index(media_names, ARRAY_SIZE(media_names),
			  OPTSIM_MEDIA_BD_R, s, media);
}

/* media_name_list() - the loadable types, "bd-r, ... @last bd-re-dl". */
const char *media_name_list(const char *last)
{
	static char buf[2][128];

	return name_list(buf[!strcmp(last, ", ")], sizeof(buf[0]),
			 media_names + OPTSIM_MEDIA_BD_R,
			 ARRAY_SIZE(media_names) - OPTSIM_MEDIA_BD_R, 0, last);
}

const char *strategy_name(uint32_t strategy)
{
	if (strategy < ARRAY_SIZE(strategy_names))
		return strategy_names[strategy];
	return "unknown";
}

int strategy_from_name(const char *s, uint32_t *strategy)
{
	return name_index(strategy_names, ARRAY_SIZE(strategy_names), 0, s,
			  strategy);
}

/* strategy_name_list() - "single, multi, castle @last auto" (auto last). */
const char *strategy_name_list(const char *last)
{
	static char buf[2][128];

	return name_list(buf[!strcmp(last, ", ")], sizeof(buf[0]),
			 strategy_names, ARRAY_SIZE(strategy_names),
			 OPTSIM_STRATEGY_AUTO + 1, last);
}
