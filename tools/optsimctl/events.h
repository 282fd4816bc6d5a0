/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optsimctl - printing netlink replies and events (events.c).
 */
#ifndef OPTSIMCTL_EVENTS_H
#define OPTSIMCTL_EVENTS_H

#include <stdint.h>
#include <linux/optsim.h>

#include "json.h"
#include "nl.h"

const char *event_name(uint8_t cmd);
const char *reason_name(uint32_t reason);
void print_attrs(struct json *j, const struct nl_reply *r);

#endif /* OPTSIMCTL_EVENTS_H */
