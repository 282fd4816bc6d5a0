// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl stats - the drives' counters per layer, from netlink: bytes and
 * clusters written and read, refused writes, write-once violations, medium
 * errors and recording model compiles. All drives, or the one -d names.
 */
#include <err.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "events.h"
#include "optsimctl.h"

struct stats_out {
	struct optsimctl *ctl;
	struct json j;
	unsigned int n;
};

static uint64_t layer_u64(struct nlattr **ltb, int attr)
{
	return ltb[attr] ? nla_get_u64(ltb[attr]) : 0;
}

static int stats_one(const struct nl_reply *r, void *arg)
{
	struct nlattr *ltb[OPTSIM_A_LAYER_MAX + 1];
	struct stats_out *out = arg;
	const char *name;
	struct nlattr *a;
	int rem;

	if (!r->tb[OPTSIM_A_DEV_INDEX])
		return 0;
	out->n++;
	if (out->ctl->json) {
		json_object_begin(&out->j, NULL);
		json_u64(&out->j, "index",
			 nla_get_u32(r->tb[OPTSIM_A_DEV_INDEX]));
		print_attrs(&out->j, r);
		json_object_end(&out->j);
		return 0;
	}
	name = r->tb[OPTSIM_A_DEV_NAME] ?
	       nla_get_string(r->tb[OPTSIM_A_DEV_NAME]) : "?";
	nla_for_each_attr(a, r->attrs, r->len, rem) {
		if (nla_type(a) != OPTSIM_A_LAYER || nlctx_parse_layer(a, ltb))
			continue;
		printf("%-8s L%-4u %14" PRIu64 " %14" PRIu64 " %10" PRIu64
		       " %10" PRIu64 " %7" PRIu64 " %7" PRIu64 " %7" PRIu64
		       " %8" PRIu64 "\n", name,
		       ltb[OPTSIM_A_LAYER_INDEX] ?
		       nla_get_u32(ltb[OPTSIM_A_LAYER_INDEX]) : 0,
		       layer_u64(ltb, OPTSIM_A_LAYER_BYTES_WRITTEN),
		       layer_u64(ltb, OPTSIM_A_LAYER_BYTES_READ),
		       layer_u64(ltb, OPTSIM_A_LAYER_CLUSTERS_WRITTEN),
		       layer_u64(ltb, OPTSIM_A_LAYER_CLUSTERS_READ),
		       layer_u64(ltb, OPTSIM_A_LAYER_WRITES_REFUSED),
		       layer_u64(ltb, OPTSIM_A_LAYER_WRITE_ONCE_VIOLATIONS),
		       layer_u64(ltb, OPTSIM_A_LAYER_MEDIUM_ERRORS),
		       layer_u64(ltb, OPTSIM_A_LAYER_COMPILES));
	}
	return 0;
}

int cmd_stats(struct optsimctl *ctl, int argc, char **argv)
{
	struct stats_out out = { .ctl = ctl };
	struct nl_msg *msg;
	struct nlctx nl;
	uint32_t index = 0;
	int ret;

	cmd_json_opts(ctl, argc, argv);
	if (ctl->devname_set)
		index = dev_index(ctl);

	nlctx_open(&nl);
	msg = nlctx_msg(&nl, OPTSIM_CMD_STATS_GET, !ctl->devname_set);
	if (ctl->devname_set && nla_put_u32(msg, OPTSIM_A_DEV_INDEX, index))
		errx(EXIT_FAILURE, "out of memory");
	if (ctl->json) {
		json_init(&out.j, stdout);
		json_object_begin(&out.j, NULL);
		json_array_begin(&out.j, "devices");
	} else {
		printf("%-8s %-5s %14s %14s %10s %10s %7s %7s %7s %8s\n",
		       "DEVICE", "LAYER", "BYTES-WRITTEN", "BYTES-READ",
		       "CL-WRITTEN", "CL-READ", "REFUSED", "WO-VIOL",
		       "MEDIUM", "COMPILES");
	}
	ret = nlctx_request(&nl, msg, stats_one, &out);
	if (ret)
		nlctx_die(&nl, ret, "stats");
	if (ctl->json) {
		json_array_end(&out.j);
		json_object_end(&out.j);
		json_finish(&out.j);
	}
	nlctx_close(&nl);
	return EXIT_SUCCESS;
}
