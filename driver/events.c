// SPDX-License-Identifier: GPL-2.0
/*
 * Notifications: what happens to a drive, multicast to the "events" group
 * of the netlink family. A drive's notifications leave in the order things
 * happened (events->send_lock). Recorded clusters are coalesced: the write
 * path only widens a pending range, and a delayed work announces it at most
 * every OPTSIM_RECORDED_NTF_DELAY; any other notification of the drive
 * announces the pending range first. Refused writes and read errors are
 * rate-limited per drive. Nothing is built when nobody listens.
 */
#include "optsim.h"

#include <net/genetlink.h>

/* How long recorded clusters wait to be announced together. */
#define OPTSIM_RECORDED_NTF_DELAY	msecs_to_jiffies(100)
/* Refused writes and read errors announced per drive and second. */
#define OPTSIM_NTF_BURST		100

/* Announce the pending recorded range, if any. */
static void optsim_events_send_recorded(struct optsim_dev *dev, gfp_t gfp)
	__must_hold(&dev->events.send_lock)
{
	struct optsim_events *ev = &dev->events;
	u64 first, last, clusters;
	struct sk_buff *skb;
	bool pending;

	lockdep_assert_held(&ev->send_lock);
	spin_lock(&ev->lock);
	pending = ev->pending;
	first = ev->first;
	last = ev->last;
	clusters = ev->clusters;
	ev->pending = false;
	spin_unlock(&ev->lock);
	if (!pending)
		return;

	skb = optsim_nl_ntf_new(dev, OPTSIM_CMD_RECORDED_NTF, gfp);
	if (!skb)
		return;
	if (nla_put_u64_64bit(skb, OPTSIM_A_FIRST_CLUSTER, first, OPTSIM_A_PAD) ||
	    nla_put_u64_64bit(skb, OPTSIM_A_LAST_CLUSTER, last, OPTSIM_A_PAD) ||
	    nla_put_u64_64bit(skb, OPTSIM_A_CLUSTERS, clusters, OPTSIM_A_PAD)) {
		nlmsg_free(skb);
		return;
	}
	optsim_nl_ntf_send(skb, gfp);
}

static void optsim_events_work(struct work_struct *work)
{
	struct optsim_dev *dev = container_of(to_delayed_work(work),
					      struct optsim_dev, events.work);

	mutex_lock(&dev->events.send_lock);
	optsim_events_send_recorded(dev, GFP_NOIO);
	mutex_unlock(&dev->events.send_lock);
}

/**
 * optsim_events_init() - set up a new drive's notifications
 * @dev: the drive
 */
void optsim_events_init(struct optsim_dev *dev)
{
	struct optsim_events *ev = &dev->events;

	mutex_init(&ev->send_lock);
	spin_lock_init(&ev->lock);
	INIT_DELAYED_WORK(&ev->work, optsim_events_work);
	ratelimit_state_init(&ev->rs, HZ, OPTSIM_NTF_BURST);
	ratelimit_set_flags(&ev->rs, RATELIMIT_MSG_ON_RELEASE);
}

/**
 * optsim_events_destroy() - stop a drive's notifications
 * @dev: the drive; no I/O can reach it any more
 */
void optsim_events_destroy(struct optsim_dev *dev)
{
	cancel_delayed_work_sync(&dev->events.work);
	mutex_destroy(&dev->events.send_lock);
}

/**
 * optsim_events_recorded() - note recorded clusters, to be announced soon
 * @dev: the drive
 * @first: first cluster recorded
 * @last: last cluster recorded
 */
void optsim_events_recorded(struct optsim_dev *dev, u64 first, u64 last)
{
	struct optsim_events *ev = &dev->events;
	bool schedule = false;

	if (!optsim_nl_listening())
		return;
	spin_lock(&ev->lock);
	if (ev->pending) {
		ev->first = min(ev->first, first);
		ev->last = max(ev->last, last);
		ev->clusters += last - first + 1;
	} else {
		ev->pending = true;
		ev->first = first;
		ev->last = last;
		ev->clusters = last - first + 1;
		schedule = true;
	}
	spin_unlock(&ev->lock);
	if (schedule)
		schedule_delayed_work(&ev->work, OPTSIM_RECORDED_NTF_DELAY);
}

/*
 * Send @skb, after the recorded clusters not announced yet, so that a
 * listener sees the writes before, say, the eject that followed them.
 * The I/O path takes send_lock too (refused writes, read errors), so
 * nothing under it allocates with I/O: reclaim that waited for a write to
 * this drive would wait for send_lock.
 */
static void optsim_events_send(struct optsim_dev *dev, struct sk_buff *skb)
{
	mutex_lock(&dev->events.send_lock);
	optsim_events_send_recorded(dev, GFP_NOIO);
	optsim_nl_ntf_send(skb, GFP_NOIO);
	mutex_unlock(&dev->events.send_lock);
}

/**
 * optsim_events_dev() - announce a drive created or being removed
 * @dev: the drive
 * @cmd: OPTSIM_CMD_DEV_ADD_NTF or OPTSIM_CMD_DEV_DEL_NTF
 */
void optsim_events_dev(struct optsim_dev *dev, u8 cmd)
{
	struct sk_buff *skb;

	if (!optsim_nl_listening())
		return;
	skb = optsim_nl_ntf_new(dev, cmd, GFP_KERNEL);
	if (!skb)
		return;
	if (nla_put_string(skb, OPTSIM_A_DEV_NAME, dev->disk->disk_name)) {
		nlmsg_free(skb);
		return;
	}
	optsim_events_send(dev, skb);
}

/**
 * optsim_events_medium() - announce a load, an eject or a finalize
 * @dev: the drive; the caller holds its lock
 * @cmd: OPTSIM_CMD_LOAD_NTF, OPTSIM_CMD_EJECT_NTF or OPTSIM_CMD_FINALIZE_NTF
 */
void optsim_events_medium(struct optsim_dev *dev, u8 cmd)
	__must_hold(&dev->lock)
{
	struct optsim_medium *m = dev->medium;
	struct sk_buff *skb;

	lockdep_assert_held(&dev->lock);
	if (!optsim_nl_listening())
		return;
	skb = optsim_nl_ntf_new(dev, cmd, GFP_KERNEL);
	if (!skb)
		return;
	if (cmd == OPTSIM_CMD_LOAD_NTF && m &&
	    (nla_put_u32(skb, OPTSIM_A_MEDIA, m->type->media) ||
	     nla_put_u32(skb, OPTSIM_A_LAYERS, m->geo.layers) ||
	     nla_put_u64_64bit(skb, OPTSIM_A_LAYER_SECTORS,
			       m->geo.layer_sectors, OPTSIM_A_PAD))) {
		nlmsg_free(skb);
		return;
	}
	optsim_events_send(dev, skb);
}

/**
 * optsim_events_erase() - announce an erase
 * @dev: the drive
 * @quick: it was a quick erase
 */
void optsim_events_erase(struct optsim_dev *dev, bool quick)
{
	struct sk_buff *skb;

	if (!optsim_nl_listening())
		return;
	skb = optsim_nl_ntf_new(dev, OPTSIM_CMD_ERASE_NTF, GFP_KERNEL);
	if (!skb)
		return;
	if (nla_put_u8(skb, OPTSIM_A_ERASE_QUICK, quick)) {
		nlmsg_free(skb);
		return;
	}
	optsim_events_send(dev, skb);
}

/**
 * optsim_events_params() - announce new write parameters
 * @dev: the drive; the caller holds its model_lock, so the parameters
 *	are the ones just set
 * @layers: mask of the layers that changed, or OPTSIM_LAYERS_ALL
 */
void optsim_events_params(struct optsim_dev *dev, u32 layers)
{
	struct optsim_params p[OPTSIM_MAX_LAYERS];
	u32 used[OPTSIM_MAX_LAYERS];
	struct sk_buff *skb;
	u32 layer, n;

	lockdep_assert_held(&dev->model_lock);
	if (!optsim_nl_listening())
		return;
	mutex_lock(&dev->lock);
	n = optsim_params_snapshot(dev->medium, p, used);
	mutex_unlock(&dev->lock);

	skb = optsim_nl_ntf_new(dev, OPTSIM_CMD_PARAMS_NTF, GFP_KERNEL);
	if (!skb)
		return;
	for (layer = 0; layer < n; layer++) {
		if (!(layers & BIT(layer)))
			continue;
		if (optsim_nl_put_layer_params(skb, &p[layer], used[layer])) {
			nlmsg_free(skb);
			return;
		}
	}
	optsim_events_send(dev, skb);
}

/**
 * optsim_events_opc() - announce the power OPC set on a layer
 * @dev: the drive
 * @layer: the layer
 * @req: the OPC's answer
 */
void optsim_events_opc(struct optsim_dev *dev, u32 layer,
		       const struct optsim_opc *req)
{
	struct sk_buff *skb;
	struct nlattr *nest;

	if (!optsim_nl_listening())
		return;
	skb = optsim_nl_ntf_new(dev, OPTSIM_CMD_OPC_NTF, GFP_KERNEL);
	if (!skb)
		return;
	nest = nla_nest_start(skb, OPTSIM_A_LAYER);
	if (!nest ||
	    nla_put_u32(skb, OPTSIM_A_LAYER_INDEX, layer) ||
	    nla_put_u32(skb, OPTSIM_A_LAYER_WRITE_POWER, req->power[layer]) ||
	    nla_put_u32(skb, OPTSIM_A_LAYER_JITTER, req->jitter[layer]) ||
	    nla_put_u32(skb, OPTSIM_A_LAYER_STEPS, req->steps[layer]) ||
	    (req->current_ua[layer] &&
	     nla_put_u32(skb, OPTSIM_A_LAYER_CURRENT,
			 req->current_ua[layer])) ||
	    nla_put_u32(skb, OPTSIM_A_LAYER_WINDOW_LO, req->window_lo[layer]) ||
	    nla_put_u32(skb, OPTSIM_A_LAYER_WINDOW_HI, req->window_hi[layer])) {
		nlmsg_free(skb);
		return;
	}
	nla_nest_end(skb, nest);
	optsim_events_send(dev, skb);
}

/**
 * optsim_events_write_refused() - announce a refused write
 * @dev: the drive
 * @lba: the request's first 2048-byte sector
 * @layer: the layer of the offending cluster
 * @why: why it was refused
 *
 * Called from the I/O path: allocates with GFP_NOIO.
 */
void optsim_events_write_refused(struct optsim_dev *dev, u64 lba, u32 layer,
				 const struct optsim_refusal *why)
{
	struct sk_buff *skb;

	if (!optsim_nl_listening() || !__ratelimit(&dev->events.rs))
		return;
	skb = optsim_nl_ntf_new(dev, OPTSIM_CMD_WRITE_REFUSED_NTF, GFP_NOIO);
	if (!skb)
		return;
	if (nla_put_u32(skb, OPTSIM_A_REASON, why->reason) ||
	    nla_put_u32(skb, OPTSIM_A_ERROR, -why->err) ||
	    nla_put_u64_64bit(skb, OPTSIM_A_LBA, lba, OPTSIM_A_PAD) ||
	    nla_put_u64_64bit(skb, OPTSIM_A_FIRST_CLUSTER, why->cluster,
			      OPTSIM_A_PAD) ||
	    nla_put_u32(skb, OPTSIM_A_ON_LAYER, layer)) {
		nlmsg_free(skb);
		return;
	}
	optsim_events_send(dev, skb);
}

/**
 * optsim_events_read_error() - announce a read of an uncorrectable cluster
 * @dev: the drive
 * @lba: the request's first 2048-byte sector
 * @cluster: the uncorrectable cluster
 * @layer: its layer
 *
 * Called from the I/O path: allocates with GFP_NOIO.
 */
void optsim_events_read_error(struct optsim_dev *dev, u64 lba, u64 cluster,
			      u32 layer)
{
	struct sk_buff *skb;

	if (!optsim_nl_listening() || !__ratelimit(&dev->events.rs))
		return;
	skb = optsim_nl_ntf_new(dev, OPTSIM_CMD_READ_ERROR_NTF, GFP_NOIO);
	if (!skb)
		return;
	if (nla_put_u64_64bit(skb, OPTSIM_A_LBA, lba, OPTSIM_A_PAD) ||
	    nla_put_u64_64bit(skb, OPTSIM_A_FIRST_CLUSTER, cluster,
			      OPTSIM_A_PAD) ||
	    nla_put_u32(skb, OPTSIM_A_ON_LAYER, layer)) {
		nlmsg_free(skb);
		return;
	}
	optsim_events_send(dev, skb);
}
