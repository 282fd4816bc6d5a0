// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl monitor - print what the drives do as it happens, one line per
 * event: the netlink "events" group, or with --udev the udev events of the
 * optsim block devices (media changes).
 */
#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libudev.h>
#include <netlink/attr.h>

#include "events.h"
#include "optsimctl.h"

static int monitor_event(const struct nl_reply *r, void *arg)
{
	struct optsimctl *ctl = arg;
	const char *name = event_name(r->cmd);
	struct json j;

	if (!name)
		return 0;
	if (ctl->json) {
		json_init(&j, stdout);
		json_object_begin(&j, NULL);
		json_string(&j, "event", name);
		print_attrs(&j, r);
		json_object_end(&j);
		json_finish(&j);
	} else {
		printf("%s", name);
		print_attrs(NULL, r);
		putchar('\n');
	}
	if (fflush(stdout) == EOF)
		err(EXIT_FAILURE, "write error");
	return 0;
}

static int monitor_netlink(struct optsimctl *ctl)
{
	struct nlctx nl;

	nlctx_open(&nl);
	nlctx_subscribe(&nl);
	if (nlctx_listen(&nl, monitor_event, ctl))
		errx(EXIT_FAILURE, "receiving events failed");
	nlctx_close(&nl);
	return EXIT_SUCCESS;
}

/* One udev event of an optsim disk. */
static void monitor_udev_print(struct optsimctl *ctl, struct udev_device *d)
{
	const char *action = udev_device_get_action(d);
	const char *node = udev_device_get_devnode(d);
	const char *change = udev_device_get_property_value(d,
						"DISK_MEDIA_CHANGE");
	const char *media = udev_device_get_sysattr_value(d, "optsim/media");
	struct json j;

	if (ctl->json) {
		json_init(&j, stdout);
		json_object_begin(&j, NULL);
		json_string(&j, "action", action ? action : "");
		json_string(&j, "name", udev_device_get_sysname(d));
		if (node)
			json_string(&j, "devnode", node);
		json_bool(&j, "media_change", change && !strcmp(change, "1"));
		if (media)
			json_string(&j, "media", media);
		json_object_end(&j);
		json_finish(&j);
	} else {
		printf("%s %s", action ? action : "?",
		       node ? node : udev_device_get_sysname(d));
		if (change)
			printf(" DISK_MEDIA_CHANGE=%s", change);
		if (media)
			printf(" media=%s", media);
		putchar('\n');
	}
	if (fflush(stdout) == EOF)
		err(EXIT_FAILURE, "write error");
}

static int monitor_udev(struct optsimctl *ctl)
{
	struct udev_monitor *mon;
	struct udev_device *d;
	struct udev *udev;
	struct pollfd pfd;
	const char *name;

	udev = udev_new();
	if (!udev)
		errx(EXIT_FAILURE, "udev: out of memory");
	mon = udev_monitor_new_from_netlink(udev, "udev");
	if (!mon)
		errx(EXIT_FAILURE, "udev monitor: cannot connect (is udevd running?)");
	if (udev_monitor_filter_add_match_subsystem_devtype(mon, "block",
							    "disk") < 0 ||
	    udev_monitor_enable_receiving(mon) < 0)
		errx(EXIT_FAILURE, "udev monitor: cannot listen");
	pfd.fd = udev_monitor_get_fd(mon);
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			err(EXIT_FAILURE, "poll");
		}
		d = udev_monitor_receive_device(mon);
		if (!d)
			continue;
		name = udev_device_get_sysname(d);
		if (name && !strncmp(name, "optsim", 6))
			monitor_udev_print(ctl, d);
		udev_device_unref(d);
	}
}

int cmd_monitor(struct optsimctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "udev", no_argument, NULL, 'u' },
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	bool udev = false;
	int c;

	while ((c = getopt_long(argc, argv, "ju" COMMON_SHORTOPTS, longopts,
				NULL)) != -1) {
		switch (c) {
		case 'u':
			udev = true;
			break;
		default:
			cmd_common_opt(ctl, c, optarg);
		}
	}
	cmd_no_args(ctl, argc, argv);
	/* Line by line, also into a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	return udev ? monitor_udev(ctl) : monitor_netlink(ctl);
}
