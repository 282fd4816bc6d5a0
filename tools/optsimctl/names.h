/* SPDX-License-Identifier: GPL-2.0 */
/* optsimctl - names of media types and write strategies. */
#ifndef OPTSIMCTL_NAMES_H
#define OPTSIMCTL_NAMES_H

#include <stdint.h>

const char *media_name(uint32_t media);
int media_from_name(const char *s, uint32_t *media);
/* The names joined with ", ", and with @last before the last one. */
const char *media_name_list(const char *last);

const char *strategy_name(uint32_t strategy);
int strategy_from_name(const char *s, uint32_t *strategy);
const char *strategy_name_list(const char *last);

#endif /* OPTSIMCTL_NAMES_H */
