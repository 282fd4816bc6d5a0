// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl interface (uapi/linux/optsim.h). Each request copies its
 * argument in, validates all of it, and only then changes anything: a
 * refused request leaves the drive as it was.
 *
 * A request that waits for the drive's model_lock waits interruptibly: an
 * OPC or a full erase holds it for seconds (minutes on a debug kernel),
 * and a signal ends the wait with -EINTR, nothing changed.
 */
#include "optsim.h"

#include <linux/blkdev.h>
#include <linux/capability.h>
#include <linux/cdrom.h>
#include <linux/string.h>
#include <linux/uaccess.h>

/* True when the @size bytes at @p are all zero. */
static bool optsim_zeroed(const void *p, size_t size)
{
	return !memchr_inv(p, 0, size);
}

/* Media changes need the drive to themselves: no other opener, no mount. */
static int optsim_check_exclusive(struct optsim_dev *dev)
	__must_hold(&dev->lock)
{
	return dev->open_count > 1 ? -EBUSY : 0;
}

static int optsim_ioc_get_info(struct optsim_dev *dev, void __user *argp)
{
	struct optsim_info info = {};

	mutex_lock(&dev->lock);
	if (dev->medium)
		optsim_medium_info(dev->medium, &info);
	mutex_unlock(&dev->lock);
	info.cluster_sectors = OPTSIM_CLUSTER_SECTORS;
	info.sector_size = OPTSIM_SECTOR_SIZE;
	info.mem_used = optsim_store_mem_used();
	info.mem_limit = optsim_store_mem_limit();

	return copy_to_user(argp, &info, sizeof(info)) ? -EFAULT : 0;
}

static int optsim_ioc_get_params(struct optsim_dev *dev, void __user *argp)
{
	struct optsim_params p;
	int ret = 0;

	if (copy_from_user(&p, argp, sizeof(p)))
		return -EFAULT;
	if (p.mode || p.current_ua || p.reserved1 || p.reserved)
		return -EINVAL;

	mutex_lock(&dev->lock);
	if (!dev->medium)
		ret = -ENOMEDIUM;
	else if (p.layer >= dev->medium->geo.layers)
		ret = -EINVAL;
	else
		p = dev->medium->params[p.layer];
	mutex_unlock(&dev->lock);
	if (ret)
		return ret;

	return copy_to_user(argp, &p, sizeof(p)) ? -EFAULT : 0;
}

static int optsim_ioc_set_params(struct optsim_dev *dev, void __user *argp)
{
	struct optsim_params p[OPTSIM_MAX_LAYERS];
	const char *why;
	u32 layer, layers;

	if (copy_from_user(&p[0], argp, sizeof(p[0])))
		return -EFAULT;
	for (layer = 1; layer < OPTSIM_MAX_LAYERS; layer++)
		p[layer] = p[0];
	if (p[0].layer == OPTSIM_LAYER_ALL)
		layers = OPTSIM_LAYERS_ALL;
	else
		/* A layer the medium lacks is refused by the validation. */
		layers = BIT(min(p[0].layer, 31U));
	return optsim_dev_set_params(dev, p, layers, &why);
}

static int optsim_ioc_load(struct optsim_dev *dev, struct block_device *bdev,
			   void __user *argp)
{
	struct optsim_load req;
	const char *why;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	/* The caller's own open of the drive is the one allowed. */
	return optsim_dev_load(dev, bdev, &req, 1, &why);
}

static int optsim_ioc_eject(struct optsim_dev *dev, struct block_device *bdev,
			    void __user *argp)
{
	struct optsim_medium *old = NULL;
	struct optsim_empty req;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (!optsim_zeroed(&req, sizeof(req)))
		return -EINVAL;

	if (mutex_lock_interruptible(&dev->model_lock))
		return -EINTR;
	mutex_lock(&dev->lock);
	ret = dev->medium ? optsim_check_exclusive(dev) : -ENOMEDIUM;
	if (!ret) {
		sync_blockdev(bdev);
		old = optsim_dev_replace_medium(dev, NULL);
	}
	mutex_unlock(&dev->lock);
	mutex_unlock(&dev->model_lock);
	optsim_medium_destroy(old);
	return ret;
}

static int optsim_ioc_finalize(struct optsim_dev *dev,
			       struct block_device *bdev, void __user *argp)
{
	struct optsim_medium *m;
	struct optsim_empty req;
	int ret = 0;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (!optsim_zeroed(&req, sizeof(req)))
		return -EINVAL;

	/* model_lock keeps the medium in the drive, and the MMC front still. */
	if (mutex_lock_interruptible(&dev->model_lock))
		return -EINTR;
	mutex_lock(&dev->lock);
	m = dev->medium;
	mutex_unlock(&dev->lock);
	if (!m)
		ret = -ENOMEDIUM;
	else if (!m->type->write_once)
		ret = -EMEDIUMTYPE;
	else if (m->finalized)
		ret = -EALREADY;
	else if (optsim_medium_read_only(m))
		ret = -EROFS;
	/* What MMC wrote and the drive still holds is recorded first. */
	else if (optsim_mmc_flush_open(dev, m, true))
		ret = -EIO;
	if (!ret)
		optsim_srm_close(dev, bdev, OPTSIM_SRM_CLOSE_DISC, 0);
	mutex_unlock(&dev->model_lock);
	return ret;
}

static int optsim_ioc_erase(struct optsim_dev *dev, struct block_device *bdev,
			    void __user *argp)
{
	struct optsim_format_req fmt = {
		.spare_sectors	= OPTSIM_FORMAT_KEEP_SPARES,
	};
	struct optsim_medium *m;
	struct optsim_erase req;
	bool quick;
	int ret = 0;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if ((req.flags & ~OPTSIM_ERASE_F_QUICK) || req.reserved0 ||
	    !optsim_zeroed(req.reserved, sizeof(req.reserved)))
		return -EINVAL;
	quick = req.flags & OPTSIM_ERASE_F_QUICK;

	if (mutex_lock_interruptible(&dev->model_lock))
		return -EINTR;
	mutex_lock(&dev->lock);
	m = dev->medium;
	mutex_unlock(&dev->lock);
	if (!m) {
		ret = -ENOMEDIUM;
	} else if (m->type->write_once) {
		ret = -EMEDIUMTYPE;
	} else {
		/*
		 * An erase is a format that keeps the spare areas: a quick
		 * one, or one with full certification.
		 */
		fmt.cert = quick ? OPTSIM_CERT_NONE : OPTSIM_CERT_FULL;
		mutex_lock(&m->write_lock);
		fmt.type = !m->fmt.spare_sectors ? 0x31 : quick ? 0x00 : 0x30;
		mutex_unlock(&m->write_lock);
		ret = optsim_format_medium(dev, bdev, &fmt);
	}
	mutex_unlock(&dev->model_lock);
	return ret;
}

static int optsim_ioc_save(struct optsim_dev *dev, struct block_device *bdev,
			   void __user *argp)
{
	struct optsim_save req;
	const char *why;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.flags || !optsim_zeroed(req.reserved, sizeof(req.reserved)))
		return -EINVAL;
	/* model_lock keeps the medium in the drive, and the MMC front still. */
	if (mutex_lock_interruptible(&dev->model_lock))
		return -EINTR;
	ret = optsim_image_save(dev, bdev, req.image_fd, &why);
	mutex_unlock(&dev->model_lock);
	if (ret)
		pr_warn("save refused: %s (%d)\n", why, ret);
	return ret;
}

static int optsim_ioc_get_cluster(struct optsim_dev *dev, void __user *argp)
{
	struct optsim_cluster_info ci;
	int ret;

	if (copy_from_user(&ci, argp, sizeof(ci)))
		return -EFAULT;
	if (!optsim_zeroed(ci.reserved, sizeof(ci.reserved)))
		return -EINVAL;

	mutex_lock(&dev->lock);
	ret = dev->medium ? optsim_medium_cluster_info(dev->medium, &ci) :
			    -ENOMEDIUM;
	mutex_unlock(&dev->lock);
	if (ret)
		return ret;

	return copy_to_user(argp, &ci, sizeof(ci)) ? -EFAULT : 0;
}

static int optsim_ioc_get_quality(struct optsim_dev *dev, void __user *argp)
{
	struct optsim_quality_rec *recs;
	struct optsim_quality req;
	u64 clusters;
	int ret = 0;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.reserved0 || !optsim_zeroed(req.reserved, sizeof(req.reserved)) ||
	    !req.count || req.count > OPTSIM_QUALITY_MAX_RECORDS)
		return -EINVAL;
	recs = kvmalloc_array(req.count, sizeof(*recs), GFP_KERNEL);
	if (!recs)
		return -ENOMEM;

	mutex_lock(&dev->lock);
	if (!dev->medium) {
		ret = -ENOMEDIUM;
		goto out_unlock;
	}
	clusters = osm_geometry_capacity(&dev->medium->geo) /
		   OPTSIM_CLUSTER_SECTORS;
	if (req.cluster >= clusters) {
		ret = -EINVAL;
		goto out_unlock;
	}
	req.count = min_t(u64, req.count, clusters - req.cluster);
	optsim_store_quality(dev->medium, req.cluster, req.count, recs);
out_unlock:
	mutex_unlock(&dev->lock);

	if (!ret && (copy_to_user(u64_to_user_ptr(req.records), recs,
				  req.count * sizeof(*recs)) ||
		     copy_to_user(argp, &req, sizeof(req))))
		ret = -EFAULT;
	kvfree(recs);
	return ret;
}

/*
 * Where OPC's answer goes: the caller's argument, of the size it passed.
 * The answer reaches the caller before anything changes.
 */
struct optsim_ioc_opc_arg {
	void __user *argp;
	size_t size;
};

static int optsim_ioc_opc_answer(void *ctx, const struct optsim_opc *req)
{
	const struct optsim_ioc_opc_arg *arg = ctx;

	return copy_to_user(arg->argp, req, arg->size) ? -EFAULT : 0;
}

/*
 * OPTSIM_IOC_OPC, or OPTSIM_IOC_OPC_VER0 from a caller built before the
 * window: it passes and gets the first OPTSIM_OPC_SIZE_VER0 bytes.
 */
static int optsim_ioc_opc(struct optsim_dev *dev, void __user *argp,
			  size_t size)
{
	struct optsim_ioc_opc_arg arg = { .argp = argp, .size = size };
	struct optsim_opc req = {};
	int ret;

	if (copy_from_user(&req, argp, size))
		return -EFAULT;
	if (req.flags || req.reserved)
		return -EINVAL;

	if (mutex_lock_interruptible(&dev->model_lock))
		return -EINTR;
	ret = optsim_dev_opc_locked(dev, &req, optsim_ioc_opc_answer, &arg);
	mutex_unlock(&dev->model_lock);
	return ret;
}

/*
 * CDROMEJECT and CDROMCLOSETRAY, as eject(1) sends them: the tray is the
 * MMC front's, so both fronts see the same tray and disc.
 */
static int optsim_ioc_tray(struct optsim_dev *dev, struct block_device *bdev,
			   bool open)
{
	int ret;

	if (open)
		sync_blockdev(bdev);
	if (mutex_lock_interruptible(&dev->model_lock))
		return -EINTR;
	/* The caller's own open does not keep the disc in. */
	ret = optsim_mmc_tray(dev, open, 1);
	mutex_unlock(&dev->model_lock);
	return ret;
}

/*
 * CDROM_LOCKDOOR: the lock PREVENT ALLOW MEDIUM REMOVAL sets. As with sr,
 * only an administrator unlocks a drive that others have open.
 */
static int optsim_ioc_lockdoor(struct optsim_dev *dev, unsigned long arg)
{
	int ret = 0;

	if (mutex_lock_interruptible(&dev->model_lock))
		return -EINTR;
	mutex_lock(&dev->lock);
	if (!arg && dev->open_count > 1 && !capable(CAP_SYS_ADMIN))
		ret = -EBUSY;
	else
		dev->mmc.prevent = arg;
	mutex_unlock(&dev->lock);
	mutex_unlock(&dev->model_lock);
	return ret;
}

/* CDROM_DRIVE_STATUS: CDS_TRAY_OPEN, CDS_NO_DISC or CDS_DISC_OK. */
static int optsim_ioc_drive_status(struct optsim_dev *dev)
{
	int ret;

	if (mutex_lock_interruptible(&dev->model_lock))
		return -EINTR;
	if (dev->mmc.tray_open)
		ret = CDS_TRAY_OPEN;
	else
		ret = READ_ONCE(dev->medium) ? CDS_DISC_OK : CDS_NO_DISC;
	mutex_unlock(&dev->model_lock);
	return ret;
}

/**
 * optsim_ioctl() - serve an optsim ioctl
 * @dev: the drive
 * @bdev: the block device the request came through
 * @cmd: the request, one of OPTSIM_IOC_*
 * @argp: its argument
 *
 * Requests that change the medium or its parameters, and SAVE (which
 * writes a file), need CAP_SYS_ADMIN, which is checked before anything
 * else.
 *
 * Return: 0 or a negative errno: -ENOTTY for an unknown request, -EPERM,
 * -EFAULT, -EINVAL, -ENOMEDIUM, -EMEDIUMTYPE, -EALREADY, -EBUSY, -EROFS,
 * -ENOMEM, -EINTR (a signal while waiting for another request); for LOAD
 * and SAVE of images also -EBADF, -EBADMSG, -EOPNOTSUPP
 * and the file system's errors.
 */
int optsim_ioctl(struct optsim_dev *dev, struct block_device *bdev,
		 unsigned int cmd, void __user *argp)
{
	switch (cmd) {
	case CDROMEJECT:
		return optsim_ioc_tray(dev, bdev, true);
	case CDROMCLOSETRAY:
		return optsim_ioc_tray(dev, bdev, false);
	case CDROM_DRIVE_STATUS:
		return optsim_ioc_drive_status(dev);
	case CDROM_LOCKDOOR:
		return optsim_ioc_lockdoor(dev, (unsigned long)argp);
	case OPTSIM_IOC_GET_INFO:
		return optsim_ioc_get_info(dev, argp);
	case OPTSIM_IOC_GET_PARAMS:
		return optsim_ioc_get_params(dev, argp);
	case OPTSIM_IOC_GET_CLUSTER:
		return optsim_ioc_get_cluster(dev, argp);
	case OPTSIM_IOC_GET_QUALITY:
		return optsim_ioc_get_quality(dev, argp);
	case OPTSIM_IOC_SET_PARAMS:
	case OPTSIM_IOC_OPC:
	case OPTSIM_IOC_OPC_VER0:
	case OPTSIM_IOC_LOAD:
	case OPTSIM_IOC_EJECT:
	case OPTSIM_IOC_FINALIZE:
	case OPTSIM_IOC_ERASE:
	case OPTSIM_IOC_SAVE:
		break;
	default:
		return -ENOTTY;
	}

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;

	switch (cmd) {
	case OPTSIM_IOC_SET_PARAMS:
		return optsim_ioc_set_params(dev, argp);
	case OPTSIM_IOC_LOAD:
		return optsim_ioc_load(dev, bdev, argp);
	case OPTSIM_IOC_EJECT:
		return optsim_ioc_eject(dev, bdev, argp);
	case OPTSIM_IOC_FINALIZE:
		return optsim_ioc_finalize(dev, bdev, argp);
	case OPTSIM_IOC_OPC:
	case OPTSIM_IOC_OPC_VER0:
		return optsim_ioc_opc(dev, argp, _IOC_SIZE(cmd));
	case OPTSIM_IOC_SAVE:
		return optsim_ioc_save(dev, bdev, argp);
	default:
		return optsim_ioc_erase(dev, bdev, argp);
	}
}
