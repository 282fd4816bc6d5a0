// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl - names of media types and write strategies, as shown by
 * "info"/"get" and accepted by "load --media" and "--strategy".
 */
#include <errno.h>
#include <string.h>

#include <linux/optsim.h>

#include "names.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const media_names[] = {
	[OPTSIM_MEDIA_NONE]	= "none",
	[OPTSIM_MEDIA_BD_R]	= "bd-r",
	[OPTSIM_MEDIA_BD_R_DL]	= "bd-r-dl",
	[OPTSIM_MEDIA_BD_RE]	= "bd-re",
	[OPTSIM_MEDIA_BD_RE_DL]	= "bd-re-dl",
};

static const char *const strategy_names[] = {
	[OPTSIM_STRATEGY_AUTO]		= "auto",
	[OPTSIM_STRATEGY_SINGLE]	= "single",
	[OPTSIM_STRATEGY_MULTI]		= "multi",
	[OPTSIM_STRATEGY_CASTLE]	= "castle",
};

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
	uint32_t i;

	for (i = OPTSIM_MEDIA_BD_R; i < ARRAY_SIZE(media_names); i++) {
		if (s && !strcmp(s, media_names[i])) {
			*media = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *media_name_list(void)
{
	return "bd-r, bd-r-dl, bd-re, bd-re-dl";
}

const char *strategy_name(uint32_t strategy)
{
	if (strategy < ARRAY_SIZE(strategy_names))
		return strategy_names[strategy];
	return "unknown";
}

int strategy_from_name(const char *s, uint32_t *strategy)
{
	uint32_t i;

	for (i = 0; i < ARRAY_SIZE(strategy_names); i++) {
		if (s && !strcmp(s, strategy_names[i])) {
			*strategy = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *strategy_name_list(void)
{
	return "single, multi, castle, auto";
}
