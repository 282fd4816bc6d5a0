// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl create / remove - add a drive at runtime, or take one away,
 * over netlink (both need CAP_NET_ADMIN). A drive that is open or mounted
 * cannot be removed.
 */
#include <ctype.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "events.h"
#include "names.h"
#include "optsimctl.h"
#include "units.h"

static int create_reply(const struct nl_reply *r, void *arg)
{
	struct optsimctl *ctl = arg;
	struct json j;

	if (!r->tb[OPTSIM_A_DEV_NAME])
		return 0;
	if (ctl->json) {
		json_init(&j, stdout);
		json_object_begin(&j, NULL);
		print_attrs(&j, r);
		json_object_end(&j);
		json_finish(&j);
	} else {
		printf("/dev/%s\n", nla_get_string(r->tb[OPTSIM_A_DEV_NAME]));
	}
	return 0;
}

int cmd_create(struct optsimctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "media", required_argument, NULL, 'm' },
		{ "layer-sectors", required_argument, NULL, 'n' },
		{ "index", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	bool media_set = false, sectors_set = false, index_set = false;
	uint64_t sectors = 0, index = 0;
	uint32_t media = 0;
	struct nl_msg *msg;
	struct nlctx nl;
	int c, ret;

	while ((c = getopt_long(argc, argv, "m:n:i:j" COMMON_SHORTOPTS,
				longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (media_from_name(optarg, &media))
				errx(EXIT_FAILURE, "invalid --media '%s': use %s",
				     optarg, media_name_list(", "));
			media_set = true;
			break;
		case 'n':
			if (parse_u64(optarg, &sectors) ||
			    !layer_sectors_valid(sectors))
				errx(EXIT_FAILURE,
				     "invalid --layer-sectors '%s': a multiple of %u from %u to %u",
				     optarg, OPTSIM_CLUSTER_SECTORS,
				     OPTSIM_LAYER_SECTORS_MIN,
				     OPTSIM_LAYER_SECTORS_MAX);
			sectors_set = true;
			break;
		case 'i':
			if (parse_u64(optarg, &index) ||
			    index >= OPTSIM_MAX_DEVICES)
				errx(EXIT_FAILURE,
				     "invalid --index '%s': 0 to %u", optarg,
				     OPTSIM_MAX_DEVICES - 1);
			index_set = true;
			break;
		default:
			cmd_common_opt(ctl, c, optarg);
		}
	}
	cmd_no_args(ctl, argc, argv);

	nlctx_open(&nl);
	msg = nlctx_msg(&nl, OPTSIM_CMD_DEV_NEW, false);
	if ((media_set && nla_put_u32(msg, OPTSIM_A_MEDIA, media)) ||
	    (sectors_set && nla_put_u64(msg, OPTSIM_A_LAYER_SECTORS, sectors)) ||
	    (index_set && nla_put_u32(msg, OPTSIM_A_DEV_INDEX, (uint32_t)index)))
		errx(EXIT_FAILURE, "out of memory");
	ret = nlctx_request(&nl, msg, create_reply, ctl);
	if (ret)
		nlctx_die(&nl, ret, "create");
	nlctx_close(&nl);
	return EXIT_SUCCESS;
}

int cmd_remove(struct optsimctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct nl_msg *msg;
	struct nlctx nl;
	uint32_t index;
	int c, ret;

	while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS, longopts,
				NULL)) != -1)
		cmd_common_opt(ctl, c, optarg);
	if (optind + 1 != argc) {
		warnx("remove: give one DEVICE");
		cmd_try_help(ctl);
	}
	ctl->devname = dev_path(argv[optind]);
	index = dev_index(ctl);

	nlctx_open(&nl);
	msg = nlctx_msg(&nl, OPTSIM_CMD_DEV_DEL, false);
	if (nla_put_u32(msg, OPTSIM_A_DEV_INDEX, index))
		errx(EXIT_FAILURE, "out of memory");
	ret = nlctx_request(&nl, msg, NULL, NULL);
	if (ret)
		nlctx_die(&nl, ret, "remove");
	nlctx_close(&nl);
	return EXIT_SUCCESS;
}
