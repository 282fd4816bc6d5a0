// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl load/eject/finalize/erase - change the medium in the drive,
 * a blank one or one an image file holds (image.c).
 * Each is one ioctl; the driver refuses what the medium does not allow
 * and the errno is reported with its meaning (see device.c).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image.h"
#include "names.h"
#include "optsimctl.h"
#include "units.h"

static uint64_t opt_layer_sectors(const char *arg)
{
	uint64_t n;
	int ret = parse_u64(arg, &n);

	if (ret == -EINVAL)
		errx(EXIT_FAILURE, "invalid layer sectors '%s' (expected a number)",
		     arg);
	if (ret || !layer_sectors_valid(n))
		errx(EXIT_FAILURE,
		     "layer sectors %s out of range (a multiple of %u from %u to %u)",
		     arg, OPTSIM_CLUSTER_SECTORS, OPTSIM_LAYER_SECTORS_MIN,
		     OPTSIM_LAYER_SECTORS_MAX);
	return n;
}

int cmd_load(struct optsimctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "media", required_argument, NULL, 'm' },
		{ "layer-sectors", required_argument, NULL, 'n' },
		{ "image", required_argument, NULL, 'i' },
		{ "create", no_argument, NULL, 'c' },
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct optsim_load load = { 0 };
	const char *image = NULL;
	bool create = false, read_only = false;
	int c, ret;

	while ((c = getopt_long(argc, argv, "m:n:i:c" COMMON_SHORTOPTS, longopts,
				NULL)) != -1) {
		switch (c) {
		case 'm':
			if (media_from_name(optarg, &load.media))
				errx(EXIT_FAILURE,
				     "unknown media type '%s' (expected %s)",
				     optarg, media_name_list(", "));
			break;
		case 'n':
			load.layer_sectors = opt_layer_sectors(optarg);
			break;
		case 'i':
			image = optarg;
			break;
		case 'c':
			create = true;
			break;
		default:
			cmd_common_opt(ctl, c, optarg);
		}
	}
	cmd_no_args(ctl, argc, argv);
	if (create && !image) {
		warnx("load: --create needs --image FILE");
		cmd_try_help(ctl);
	}
	if (image && !create && (load.media || load.layer_sectors)) {
		warnx("load: the image says its media and layer sectors");
		cmd_try_help(ctl);
	}
	if (!load.media && (!image || create)) {
		warnx("load: --media is required (%s)", media_name_list(", "));
		cmd_try_help(ctl);
	}

	/* The drive first, so that a create does not outlive a bad -d. */
	dev_open(ctl, O_RDONLY | O_NONBLOCK);
	if (!image) {
		dev_ioctl_or_die(ctl, OPTSIM_IOC_LOAD, &load, "load");
		return EXIT_SUCCESS;
	}
	if (create)
		load.image_fd = image_create(image, load.media,
					     load.layer_sectors ?
					     load.layer_sectors :
					     OPTSIM_LAYER_SECTORS_DEFAULT);
	else
		load.image_fd = image_open(image, &read_only);
	load.media = 0;
	load.layer_sectors = 0;
	load.flags = OPTSIM_LOAD_F_IMAGE;
	ret = dev_ioctl(ctl, OPTSIM_IOC_LOAD, &load);
	close(load.image_fd);
	if (ret) {
		if (create)
			unlink(image);
		dev_die(ctl, -ret, "load", ret == -EBUSY ?
			"the image is loaded in a drive already, or the drive is in use" :
			"the kernel log says why the image was refused");
	}
	if (read_only)
		warnx("%s: loaded read-only (the file cannot be written)", image);
	return EXIT_SUCCESS;
}

/* Commands whose only options are the common ones. */
static void plain_opts(struct optsimctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS, longopts,
				NULL)) != -1)
		cmd_common_opt(ctl, c, optarg);
	cmd_no_args(ctl, argc, argv);
}

/* A command of the common options only that makes request @req. */
static int plain_ioctl(struct optsimctl *ctl, int argc, char **argv,
		       unsigned long req)
{
	struct optsim_empty arg = { { 0 } };

	plain_opts(ctl, argc, argv);
	dev_open(ctl, O_RDONLY | O_NONBLOCK);
	dev_ioctl_or_die(ctl, req, &arg, ctl->cmd->name);
	return EXIT_SUCCESS;
}

int cmd_eject(struct optsimctl *ctl, int argc, char **argv)
{
	return plain_ioctl(ctl, argc, argv, OPTSIM_IOC_EJECT);
}

int cmd_finalize(struct optsimctl *ctl, int argc, char **argv)
{
	return plain_ioctl(ctl, argc, argv, OPTSIM_IOC_FINALIZE);
}

int cmd_erase(struct optsimctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quick", no_argument, NULL, 'q' },
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct optsim_erase erase = { 0 };
	int c;

	while ((c = getopt_long(argc, argv, "q" COMMON_SHORTOPTS, longopts,
				NULL)) != -1) {
		if (c == 'q')
			erase.flags |= OPTSIM_ERASE_F_QUICK;
		else
			cmd_common_opt(ctl, c, optarg);
	}
	cmd_no_args(ctl, argc, argv);

	dev_open(ctl, O_RDONLY | O_NONBLOCK);
	dev_ioctl_or_die(ctl, OPTSIM_IOC_ERASE, &erase, "erase");
	return EXIT_SUCCESS;
}
