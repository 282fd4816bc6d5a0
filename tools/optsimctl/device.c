// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl - opening the device and issuing its ioctls, with errors that
 * say what failed and, for the errnos the driver gives a meaning, why:
 *
 *   optsimctl: /dev/optsim: load failed: Device or resource busy (device in use: ...)
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "names.h"
#include "optsimctl.h"

/*
 * dev_errno_hint() - what an errno means for optsim, or NULL.
 * @what is the failed operation ("erase", "finalize", ...).
 */
const char *dev_errno_hint(int errnum, const char *what)
{
	switch (errnum) {
	case EPERM:
		return "needs root: CAP_SYS_ADMIN";
	case EACCES:
		return "needs root or access to the device";
	case EBUSY:
		return "device in use: close other users and unmount it";
	case ENOMEDIUM:
		return "insert one with 'optsimctl load'";
	case EMEDIUMTYPE:
		if (!strcmp(what, "erase"))
			return "erase needs rewritable media";
		if (!strcmp(what, "finalize"))
			return "finalize needs write-once media";
		return "not possible on this medium type";
	case EALREADY:
		if (!strcmp(what, "finalize"))
			return "medium is already finalized";
		return NULL;
	case ENOTTY:
		return "not an optsim device";
	case ENOSPC:
		return "the emulator's memory limit, max_mem_mb, is reached, or the image's file system is full";
	case ENODATA:
		return "medium error: the cluster is uncorrectable (see optsimctl scan)";
	case EROFS:
		return "the disc is finalized, or its image is read-only";
	default:
		return NULL;
	}
}

/* dev_die() - "DEV: WHAT failed: strerror (hint)" and exit 1. */
void dev_die(const struct optsimctl *ctl, int errnum, const char *what,
	     const char *hint)
{
	if (!hint)
		hint = dev_errno_hint(errnum, what);
	if (hint)
		errx(EXIT_FAILURE, "%s: %s failed: %s (%s)", ctl->devname, what,
		     strerror(errnum), hint);
	errx(EXIT_FAILURE, "%s: %s failed: %s", ctl->devname, what,
	     strerror(errnum));
}

/*
 * dev_path() - the device path a -d argument means: a path as it is, a
 * drive's name ("optsim1") under /dev, or a drive's index ("1").
 */
const char *dev_path(const char *arg)
{
	static char buf[64];
	size_t n = strspn(arg, "0123456789");

	if (n && !arg[n] && n < 4) {
		if (!strtoul(arg, NULL, 10))
			return OPTSIMCTL_DEFAULT_DEVICE;
		snprintf(buf, sizeof(buf), "%s%lu", OPTSIMCTL_DEFAULT_DEVICE,
			 strtoul(arg, NULL, 10));
		return buf;
	}
	if (!strchr(arg, '/') && strlen(arg) < sizeof(buf) - 5) {
		snprintf(buf, sizeof(buf), "/dev/%s", arg);
		return buf;
	}
	return arg;
}

/*
 * sysfs_index() - the index of the optsim drive that is block device
 * @rdev: 0, -ENOENT when it is no optsim drive, -EIO when its index cannot
 * be read. @path gets the file read.
 */
static int sysfs_index(dev_t rdev, uint32_t *index, char *path, size_t size)
{
	char val[16];
	ssize_t len;
	int fd;

	snprintf(path, size, "/sys/dev/block/%u:%u/optsim/index",
		 major(rdev), minor(rdev));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	len = read(fd, val, sizeof(val) - 1);
	close(fd);
	if (len <= 0)
		return -EIO;
	val[len] = '\0';
	*index = (uint32_t)strtoul(val, NULL, 10);
	return 0;
}

/*
 * dev_index() - the netlink index of the drive ctl->devname names, from
 * its block device's sysfs directory; exits when it is no optsim drive.
 */
uint32_t dev_index(const struct optsimctl *ctl)
{
	char path[96];
	struct stat st;
	uint32_t index;
	int ret;

	if (stat(ctl->devname, &st))
		err(EXIT_FAILURE, "%s", ctl->devname);
	if (!S_ISBLK(st.st_mode))
		errx(EXIT_FAILURE, "%s: not a block device", ctl->devname);
	ret = sysfs_index(st.st_rdev, &index, path, sizeof(path));
	if (ret == -ENOENT)
		errx(EXIT_FAILURE, "%s: not an optsim drive", ctl->devname);
	if (ret)
		errx(EXIT_FAILURE, "%s: cannot read %s", ctl->devname, path);
	return index;
}

/*
 * dev_try_index() - like dev_index(), without exiting: true and the
 * drive's index and device number when ctl->devname is an optsim drive's
 * block device, else false.
 */
bool dev_try_index(const struct optsimctl *ctl, uint32_t *index, dev_t *rdev)
{
	char path[96];
	struct stat st;

	if (stat(ctl->devname, &st) || !S_ISBLK(st.st_mode) ||
	    sysfs_index(st.st_rdev, index, path, sizeof(path)))
		return false;
	*rdev = st.st_rdev;
	return true;
}

/* dev_open() - open the device with @flags (plus O_CLOEXEC) or exit. */
void dev_open(struct optsimctl *ctl, int flags)
{
	const char *hint = NULL;
	int e;

	ctl->fd = open(ctl->devname, flags | O_CLOEXEC);
	if (ctl->fd >= 0)
		return;
	e = errno;
	if (e == ENOENT) {
		/* Plain "No such file or directory" for an explicit -d. */
		if (strcmp(ctl->devname, OPTSIMCTL_DEFAULT_DEVICE))
			errx(EXIT_FAILURE, "%s: open failed: %s", ctl->devname,
			     strerror(e));
		hint = "is the optsim module loaded?";
	}
	dev_die(ctl, e, "open", hint);
}

void dev_close(struct optsimctl *ctl)
{
	if (ctl->fd >= 0)
		close(ctl->fd);
	ctl->fd = -1;
}

/* dev_ioctl() - 0 or -errno. */
int dev_ioctl(struct optsimctl *ctl, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(ctl->fd, req, arg);
	} while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : 0;
}

void dev_ioctl_or_die(struct optsimctl *ctl, unsigned long req, void *arg,
		      const char *what)
{
	int ret = dev_ioctl(ctl, req, arg);

	if (ret)
		dev_die(ctl, -ret, what, NULL);
}

void dev_get_info(struct optsimctl *ctl, struct optsim_info *info)
{
	memset(info, 0, sizeof(*info));
	dev_ioctl_or_die(ctl, OPTSIM_IOC_GET_INFO, info, "get info");
}

/* dev_need_medium() - exit with the ENOMEDIUM message when the drive is empty. */
void dev_need_medium(const struct optsimctl *ctl,
		     const struct optsim_info *info, const char *what)
{
	if (info->media == OPTSIM_MEDIA_NONE || !info->layers)
		dev_die(ctl, ENOMEDIUM, what, NULL);
}

/* dev_need_layer() - exit unless @layer exists on the medium. */
void dev_need_layer(const struct optsimctl *ctl,
		    const struct optsim_info *info, uint32_t layer)
{
	if (layer >= info->layers)
		errx(EXIT_FAILURE, "%s: layer %u not present (%s has %u layer%s)",
		     ctl->devname, layer, media_name(info->media),
		     info->layers, info->layers == 1 ? "" : "s");
}

/*
 * dev_layer_range() - the layers a --layer option selects: all of the
 * medium's for OPTSIM_LAYER_ALL, else the one named (which must exist).
 */
void dev_layer_range(const struct optsimctl *ctl,
		     const struct optsim_info *info, uint32_t layer,
		     uint32_t *first, uint32_t *n)
{
	if (layer == OPTSIM_LAYER_ALL) {
		*first = 0;
		*n = info->layers < OPTSIM_MAX_LAYERS ? info->layers :
						       OPTSIM_MAX_LAYERS;
		return;
	}
	dev_need_layer(ctl, info, layer);
	*first = layer;
	*n = 1;
}
