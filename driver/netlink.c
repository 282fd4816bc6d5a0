// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "optsim" (Documentation/netlink/optsim.yaml):
 * the drives and their media, write parameters and statistics, the
 * creation and removal of drives, and the "events" multicast group that
 * events.c sends to. Each operation has its own policy; every refusal says
 * why in the extended ack.
 *
 * Every operation holds the registry of drives (optsim_devs_lock()) from
 * looking its drive up to its reply, so the drive cannot go away meanwhile.
 */
#include "optsim.h"

#include <net/genetlink.h>

static struct genl_family optsim_genl_family;

enum optsim_nl_mcgrp {
	OPTSIM_NL_MCGRP_EVENTS,
};

static const struct genl_multicast_group optsim_nl_mcgrps[] = {
	[OPTSIM_NL_MCGRP_EVENTS] = { .name = OPTSIM_GENL_MCGRP_EVENTS },
};

/* Not const: 6.1 policies point to them without the qualifier. */
static struct netlink_range_validation optsim_nl_layer_sectors_range = {
	.min	= OSM_GEO_MIN_LAYER_SECTORS,
	.max	= OSM_GEO_MAX_LAYER_SECTORS,
};

static struct netlink_range_validation optsim_nl_velocity_range = {
	.min	= OPTSIM_VELOCITY_MIN_MMS,
	.max	= OPTSIM_VELOCITY_MAX_MMS,
};

static struct netlink_range_validation optsim_nl_power_range = {
	.min	= OPTSIM_POWER_MIN_UW,
	.max	= OPTSIM_POWER_MAX_UW,
};

static struct netlink_range_validation optsim_nl_bias_range = {
	.min	= 0,
	.max	= OPTSIM_POWER_MAX_UW,
};

static struct netlink_range_validation optsim_nl_current_range = {
	.min	= 0,
	.max	= OPTSIM_CURRENT_MAX_UA,
};

/*
 * The values of a layer that params-set can change; the attributes between
 * them that it cannot (counters, strategy-used) have no entry, which strict
 * validation refuses.
 */
static const struct nla_policy optsim_nl_layer_policy[OPTSIM_A_LAYER_CURRENT + 1] = {
	[OPTSIM_A_LAYER_INDEX] = NLA_POLICY_MAX(NLA_U32, OPTSIM_MAX_LAYERS - 1),
	[OPTSIM_A_LAYER_STRATEGY] = NLA_POLICY_MAX(NLA_U32, OPTSIM_STRATEGY_CASTLE),
	[OPTSIM_A_LAYER_VELOCITY] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &optsim_nl_velocity_range),
	[OPTSIM_A_LAYER_WRITE_POWER] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &optsim_nl_power_range),
	[OPTSIM_A_LAYER_BIAS_POWER] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &optsim_nl_bias_range),
	[OPTSIM_A_LAYER_MODE] = NLA_POLICY_MAX(NLA_U32, OPTSIM_MODE_CURRENT),
	[OPTSIM_A_LAYER_CURRENT] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &optsim_nl_current_range),
};

/* dev-get, dev-del, params-get, stats-get */
static const struct nla_policy optsim_nl_dev_policy[OPTSIM_A_DEV_INDEX + 1] = {
	[OPTSIM_A_DEV_INDEX] = NLA_POLICY_MAX(NLA_U32, OPTSIM_MAX_DEVICES - 1),
};

static const struct nla_policy optsim_nl_dev_new_policy[OPTSIM_A_LAYER_SECTORS + 1] = {
	[OPTSIM_A_DEV_INDEX] = NLA_POLICY_MAX(NLA_U32, OPTSIM_MAX_DEVICES - 1),
	[OPTSIM_A_MEDIA] = NLA_POLICY_RANGE(NLA_U32, OPTSIM_MEDIA_BD_R,
					    OPTSIM_MEDIA_BD_RE_DL),
	[OPTSIM_A_LAYER_SECTORS] =
		NLA_POLICY_FULL_RANGE(NLA_U64, &optsim_nl_layer_sectors_range),
};

static const struct nla_policy optsim_nl_load_policy[OPTSIM_A_IMAGE_FD + 1] = {
	[OPTSIM_A_DEV_INDEX] = NLA_POLICY_MAX(NLA_U32, OPTSIM_MAX_DEVICES - 1),
	[OPTSIM_A_MEDIA] = NLA_POLICY_RANGE(NLA_U32, OPTSIM_MEDIA_BD_R,
					    OPTSIM_MEDIA_BD_RE_DL),
	[OPTSIM_A_LAYER_SECTORS] =
		NLA_POLICY_FULL_RANGE(NLA_U64, &optsim_nl_layer_sectors_range),
	[OPTSIM_A_IMAGE_FD] = { .type = NLA_S32 },
};

static const struct nla_policy optsim_nl_params_set_policy[OPTSIM_A_LAYER + 1] = {
	[OPTSIM_A_DEV_INDEX] = NLA_POLICY_MAX(NLA_U32, OPTSIM_MAX_DEVICES - 1),
	[OPTSIM_A_LAYER] = NLA_POLICY_NESTED(optsim_nl_layer_policy),
};

/* Say why a request is refused; @why is a message with static storage. */
static void optsim_nl_why(struct netlink_ext_ack *extack,
			  const struct nlattr *attr, const char *why)
{
	if (!extack)
		return;
	extack->_msg = why;
	extack->bad_attr = attr;
}

/**
 * optsim_nl_listening() - whether anybody listens to the events
 *
 * Return: true when the "events" group has a member.
 */
bool optsim_nl_listening(void)
{
	return genl_has_listeners(&optsim_genl_family, &init_net,
				  OPTSIM_NL_MCGRP_EVENTS);
}

/**
 * optsim_nl_ntf_new() - start a notification about a drive
 * @dev: the drive; its index goes in
 * @cmd: the notification, an OPTSIM_CMD_*_NTF
 * @gfp: allocation flags
 *
 * Return: the message, to be completed with attributes and passed to
 * optsim_nl_ntf_send() or nlmsg_free(); NULL when out of memory.
 */
struct sk_buff *optsim_nl_ntf_new(struct optsim_dev *dev, u8 cmd, gfp_t gfp)
{
	struct sk_buff *skb;

	skb = genlmsg_new(NLMSG_GOODSIZE, gfp);
	if (!skb)
		return NULL;
	if (!genlmsg_put(skb, 0, 0, &optsim_genl_family, 0, cmd) ||
	    nla_put_u32(skb, OPTSIM_A_DEV_INDEX, dev->index)) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

/**
 * optsim_nl_ntf_send() - send a notification to the "events" group
 * @skb: the message from optsim_nl_ntf_new(); consumed
 * @gfp: allocation flags
 */
void optsim_nl_ntf_send(struct sk_buff *skb, gfp_t gfp)
{
	nlmsg_end(skb, nlmsg_hdr(skb));
	genlmsg_multicast(&optsim_genl_family, skb, 0, OPTSIM_NL_MCGRP_EVENTS,
			  gfp);
}

/*
 * Open an OPTSIM_A_LAYER nest holding a layer's write parameters (@p->layer
 * is the layer) and the strategy @used that they resolve to, for the caller
 * to add to and end. Return: the nest, or NULL (nothing added) when the
 * message is full.
 */
static struct nlattr *optsim_nl_layer_params(struct sk_buff *skb,
					     const struct optsim_params *p,
					     u32 used)
{
	struct nlattr *nest = nla_nest_start(skb, OPTSIM_A_LAYER);

	if (!nest)
		return NULL;
	if (nla_put_u32(skb, OPTSIM_A_LAYER_INDEX, p->layer) ||
	    nla_put_u32(skb, OPTSIM_A_LAYER_STRATEGY, p->strategy) ||
	    nla_put_u32(skb, OPTSIM_A_LAYER_VELOCITY, p->velocity) ||
	    nla_put_u32(skb, OPTSIM_A_LAYER_WRITE_POWER, p->write_power) ||
	    nla_put_u32(skb, OPTSIM_A_LAYER_BIAS_POWER, p->bias_power) ||
	    nla_put_u32(skb, OPTSIM_A_LAYER_STRATEGY_USED, used) ||
	    nla_put_u32(skb, OPTSIM_A_LAYER_MODE, p->mode) ||
	    nla_put_u32(skb, OPTSIM_A_LAYER_CURRENT, p->current_ua)) {
		nla_nest_cancel(skb, nest);
		return NULL;
	}
	return nest;
}

/**
 * optsim_nl_put_layer_params() - add a layer's write parameters, as an
 *	OPTSIM_A_LAYER nest
 * @skb: the message
 * @p: the parameters; @p->layer is the layer
 * @used: the strategy they resolve to (optsim_params_snapshot())
 *
 * Return: 0 or -EMSGSIZE.
 */
int optsim_nl_put_layer_params(struct sk_buff *skb,
			       const struct optsim_params *p, u32 used)
{
	struct nlattr *nest = optsim_nl_layer_params(skb, p, used);

	if (!nest)
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * One OPTSIM_A_TRACK nest: track @number (from 1) of BD-R @m, read under
 * its write_lock.
 */
static int optsim_nl_put_track(struct sk_buff *skb,
			       const struct optsim_medium *m, u32 number)
{
	const struct optsim_track *t = &m->srm.track[number - 1];

	struct nlattr *nest = nla_nest_start(skb, OPTSIM_A_TRACK);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, OPTSIM_A_TRACK_NUMBER, number) ||
	    nla_put_u32(skb, OPTSIM_A_TRACK_SESSION, t->session) ||
	    nla_put_u64_64bit(skb, OPTSIM_A_TRACK_START, t->start,
			      OPTSIM_A_TRACK_PAD) ||
	    nla_put_u64_64bit(skb, OPTSIM_A_TRACK_END, t->end,
			      OPTSIM_A_TRACK_PAD) ||
	    nla_put_u64_64bit(skb, OPTSIM_A_TRACK_NWA,
			      optsim_srm_nwa(m, number), OPTSIM_A_TRACK_PAD) ||
	    nla_put_u64_64bit(skb, OPTSIM_A_TRACK_DATA_END,
			      optsim_srm_data_end(m, number),
			      OPTSIM_A_TRACK_PAD) ||
	    nla_put_u8(skb, OPTSIM_A_TRACK_RESERVED, t->reserved) ||
	    nla_put_u8(skb, OPTSIM_A_TRACK_CLOSED, t->closed)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The medium's recording state, read under its write_lock: a BD-R's
 * tracks and closed sessions (srm.h), a BD-RE's format. A track's NWA and
 * data end are optsim_srm_nwa()'s and optsim_srm_data_end()'s, which count
 * what /dev/optsim recorded into the invisible track. The caller holds the
 * drive's lock, so the medium stays.
 */
static int optsim_nl_put_recording(struct sk_buff *skb,
				   struct optsim_medium *m)
{
	const struct optsim_srm *srm = &m->srm;
	u32 i, n;
	int ret;

	mutex_lock(&m->write_lock);
	if (m->type->write_once) {
		n = min_t(u32, srm->nr_tracks, OPTSIM_SRM_MAX_TRACKS);
		ret = nla_put_u32(skb, OPTSIM_A_CLOSED_SESSIONS,
				  srm->closed_sessions);
		for (i = 0; !ret && i < n; i++)
			ret = optsim_nl_put_track(skb, m, i + 1);
	} else {
		ret = nla_put_u8(skb, OPTSIM_A_FORMATTED, m->fmt.formatted) ||
		      nla_put_u64_64bit(skb, OPTSIM_A_SPARE_SECTORS,
					m->fmt.spare_sectors, OPTSIM_A_PAD);
	}
	mutex_unlock(&m->write_lock);
	return ret ? -EMSGSIZE : 0;
}

/*
 * Room a dev-get reply needs: what the drive and its layers take, which
 * NLMSG_GOODSIZE always held, plus a full track table.
 */
static size_t optsim_nl_dev_size(void)
{
	size_t track = nla_total_size(0) +
		       2 * nla_total_size(sizeof(u32)) +
		       4 * nla_total_size_64bit(sizeof(u64)) +
		       2 * nla_total_size(sizeof(u8));

	return NLMSG_GOODSIZE + OPTSIM_SRM_MAX_TRACKS * track;
}

/* A drive, its medium and its layers' parameters (dev-get, dev-new). */
static int optsim_nl_put_dev(struct sk_buff *skb, struct optsim_dev *dev)
{
	struct optsim_params p[OPTSIM_MAX_LAYERS];
	u32 used[OPTSIM_MAX_LAYERS];
	u64 recorded[OPTSIM_MAX_LAYERS];
	struct optsim_info info = {};
	unsigned int open_count;
	struct nlattr *nest;
	u32 layer;
	int ret = 0;

	mutex_lock(&dev->lock);
	open_count = dev->open_count;
	if (dev->medium) {
		optsim_medium_info(dev->medium, &info);
		optsim_params_snapshot(dev->medium, p, used);
		memcpy(recorded, dev->medium->recorded, sizeof(recorded));
		/* Put in here, of the same medium: 255 tracks are no copy. */
		ret = optsim_nl_put_recording(skb, dev->medium);
	}
	mutex_unlock(&dev->lock);
	if (ret)
		return ret;

	if (nla_put_u32(skb, OPTSIM_A_DEV_INDEX, dev->index) ||
	    nla_put_string(skb, OPTSIM_A_DEV_NAME, dev->disk->disk_name) ||
	    nla_put_u32(skb, OPTSIM_A_OPEN_COUNT, open_count) ||
	    nla_put_u32(skb, OPTSIM_A_MEDIA, info.media))
		return -EMSGSIZE;
	if (info.media == OPTSIM_MEDIA_NONE)
		return 0;
	if (nla_put_u32(skb, OPTSIM_A_LAYERS, info.layers) ||
	    nla_put_u64_64bit(skb, OPTSIM_A_LAYER_SECTORS, info.layer_sectors,
			      OPTSIM_A_PAD) ||
	    nla_put_u64_64bit(skb, OPTSIM_A_CAPACITY, info.capacity,
			      OPTSIM_A_PAD) ||
	    nla_put_u8(skb, OPTSIM_A_FINALIZED,
		       !!(info.flags & OPTSIM_INFO_F_FINALIZED)) ||
	    nla_put_u8(skb, OPTSIM_A_WRITE_ONCE,
		       !!(info.flags & OPTSIM_INFO_F_WRITE_ONCE)))
		return -EMSGSIZE;
	if ((info.flags & OPTSIM_INFO_F_NWA_VALID) &&
	    nla_put_u64_64bit(skb, OPTSIM_A_NWA, info.nwa, OPTSIM_A_PAD))
		return -EMSGSIZE;
	for (layer = 0; layer < info.layers; layer++) {
		nest = optsim_nl_layer_params(skb, &p[layer], used[layer]);
		if (!nest ||
		    nla_put_u64_64bit(skb, OPTSIM_A_LAYER_RECORDED_CLUSTERS,
				      recorded[layer], OPTSIM_A_LAYER_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

/* A drive's write parameters (params-get). */
static int optsim_nl_put_params(struct sk_buff *skb, struct optsim_dev *dev)
{
	struct optsim_params p[OPTSIM_MAX_LAYERS];
	u32 used[OPTSIM_MAX_LAYERS];
	u32 layer, layers;

	mutex_lock(&dev->lock);
	layers = optsim_params_snapshot(dev->medium, p, used);
	mutex_unlock(&dev->lock);

	if (nla_put_u32(skb, OPTSIM_A_DEV_INDEX, dev->index))
		return -EMSGSIZE;
	for (layer = 0; layer < layers; layer++)
		if (optsim_nl_put_layer_params(skb, &p[layer], used[layer]))
			return -EMSGSIZE;
	return 0;
}

/* Attribute of each counter of enum optsim_stat. */
static const u16 optsim_nl_stat_attr[OPTSIM_STAT_NR] = {
	[OPTSIM_STAT_BYTES_WRITTEN]	= OPTSIM_A_LAYER_BYTES_WRITTEN,
	[OPTSIM_STAT_BYTES_READ]	= OPTSIM_A_LAYER_BYTES_READ,
	[OPTSIM_STAT_CLUSTERS_WRITTEN]	= OPTSIM_A_LAYER_CLUSTERS_WRITTEN,
	[OPTSIM_STAT_CLUSTERS_READ]	= OPTSIM_A_LAYER_CLUSTERS_READ,
	[OPTSIM_STAT_WRITES_REFUSED]	= OPTSIM_A_LAYER_WRITES_REFUSED,
	[OPTSIM_STAT_WRITE_ONCE_VIOLATIONS] =
		OPTSIM_A_LAYER_WRITE_ONCE_VIOLATIONS,
	[OPTSIM_STAT_MEDIUM_ERRORS]	= OPTSIM_A_LAYER_MEDIUM_ERRORS,
	[OPTSIM_STAT_COMPILES]		= OPTSIM_A_LAYER_COMPILES,
};

/* A drive's counters, for both layers whatever the medium (stats-get). */
static int optsim_nl_put_stats(struct sk_buff *skb, struct optsim_dev *dev)
{
	struct nlattr *nest;
	u32 layer, s;

	if (nla_put_u32(skb, OPTSIM_A_DEV_INDEX, dev->index) ||
	    nla_put_string(skb, OPTSIM_A_DEV_NAME, dev->disk->disk_name))
		return -EMSGSIZE;
	for (layer = 0; layer < OPTSIM_MAX_LAYERS; layer++) {
		nest = nla_nest_start(skb, OPTSIM_A_LAYER);
		if (!nest || nla_put_u32(skb, OPTSIM_A_LAYER_INDEX, layer))
			return -EMSGSIZE;
		for (s = 0; s < OPTSIM_STAT_NR; s++)
			if (nla_put_u64_64bit(skb, optsim_nl_stat_attr[s],
					      atomic64_read(&dev->stats[layer][s]),
					      OPTSIM_A_LAYER_PAD))
				return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

typedef int (*optsim_nl_fill_t)(struct sk_buff *skb, struct optsim_dev *dev);

/* The drive a request names; the caller holds the registry. */
static struct optsim_dev *optsim_nl_dev(struct genl_info *info)
{
	struct optsim_dev *dev;

	if (GENL_REQ_ATTR_CHECK(info, OPTSIM_A_DEV_INDEX))
		return ERR_PTR(-EINVAL);
	dev = optsim_dev_lookup(nla_get_u32(info->attrs[OPTSIM_A_DEV_INDEX]));
	if (!dev) {
		optsim_nl_why(info->extack, info->attrs[OPTSIM_A_DEV_INDEX],
			      "no drive with this index");
		return ERR_PTR(-ENODEV);
	}
	return dev;
}

/*
 * A reply to @info of @size bytes of attributes, its header put: made
 * before a request changes anything, so that a lack of memory for the
 * reply refuses the request rather than hiding what it did.
 */
static struct sk_buff *optsim_nl_reply_new(struct genl_info *info,
					   size_t size, void **hdr)
{
	struct sk_buff *skb;

	skb = genlmsg_new(size, GFP_KERNEL);
	if (!skb)
		return ERR_PTR(-ENOMEM);
	*hdr = genlmsg_put_reply(skb, info, &optsim_genl_family, 0,
				 info->genlhdr->cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return ERR_PTR(-EMSGSIZE);
	}
	return skb;
}

/* Fill a reply from optsim_nl_reply_new() about @dev and send it. */
static int optsim_nl_reply_send(struct genl_info *info, struct sk_buff *skb,
				void *hdr, struct optsim_dev *dev,
				optsim_nl_fill_t fill)
{
	int ret = fill(skb, dev);

	if (ret) {
		nlmsg_free(skb);
		return ret;
	}
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
}

/* Reply to @info with what @fill puts in about @dev, in @size bytes. */
static int optsim_nl_reply(struct genl_info *info, struct optsim_dev *dev,
			   optsim_nl_fill_t fill, size_t size)
{
	struct sk_buff *skb;
	void *hdr;

	skb = optsim_nl_reply_new(info, size, &hdr);
	if (IS_ERR(skb))
		return PTR_ERR(skb);
	return optsim_nl_reply_send(info, skb, hdr, dev, fill);
}

/* A do request about one drive: look it up, reply with @fill. */
static int optsim_nl_get(struct genl_info *info, optsim_nl_fill_t fill,
			 size_t size)
{
	struct optsim_dev *dev;
	int ret;

	optsim_devs_lock();
	dev = optsim_nl_dev(info);
	ret = IS_ERR(dev) ? PTR_ERR(dev) :
			    optsim_nl_reply(info, dev, fill, size);
	optsim_devs_unlock();
	return ret;
}

/*
 * A dump: every drive, or the one OPTSIM_A_DEV_INDEX names. cb->args[0]
 * holds the index to go on from. Each message is allocated to hold at
 * least one drive (the dump's start sets cb->min_dump_alloc): a drive
 * that does not fit in an empty message is an error, never a silent end.
 */
static int optsim_nl_dump(struct sk_buff *skb, struct netlink_callback *cb,
			  optsim_nl_fill_t fill)
{
	const struct genlmsghdr *ghdr = nlmsg_data(cb->nlh);
	const struct nlattr *only;
	struct optsim_dev *dev;
	u32 index = cb->args[0];
	int ret = 0;
	void *hdr;

	only = nlmsg_find_attr(cb->nlh, GENL_HDRLEN, OPTSIM_A_DEV_INDEX);
	optsim_devs_lock();
	for (; (dev = optsim_dev_next(&index)); index++) {
		if (only && nla_get_u32(only) != index)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &optsim_genl_family,
				  NLM_F_MULTI, ghdr->cmd);
		if (!hdr)
			break;
		if (fill(skb, dev)) {
			genlmsg_cancel(skb, hdr);
			if (!skb->len)
				ret = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
	}
	optsim_devs_unlock();
	cb->args[0] = index;
	return ret ?: skb->len;
}

/* Messages of a dev-get dump hold a drive with a full track table. */
static int optsim_nl_dev_get_start(struct netlink_callback *cb)
{
	size_t size = genlmsg_total_size(optsim_nl_dev_size());

	cb->min_dump_alloc = nlmsg_total_size(size);
	return 0;
}

static int optsim_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return optsim_nl_get(info, optsim_nl_put_dev, optsim_nl_dev_size());
}

static int optsim_nl_dev_get_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	return optsim_nl_dump(skb, cb, optsim_nl_put_dev);
}

static int optsim_nl_params_get_doit(struct sk_buff *skb,
				     struct genl_info *info)
{
	return optsim_nl_get(info, optsim_nl_put_params, NLMSG_GOODSIZE);
}

static int optsim_nl_stats_get_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	return optsim_nl_get(info, optsim_nl_put_stats, NLMSG_GOODSIZE);
}

static int optsim_nl_stats_get_dumpit(struct sk_buff *skb,
				      struct netlink_callback *cb)
{
	return optsim_nl_dump(skb, cb, optsim_nl_put_stats);
}

static int optsim_nl_dev_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct optsim_media_type *type = optsim_media_default();
	u64 layer_sectors = optsim_layer_sectors_default();
	u32 index = OPTSIM_MAX_DEVICES;
	struct nlattr **tb = info->attrs;
	struct optsim_dev *dev;
	struct sk_buff *reply;
	const char *why;
	void *hdr;
	int ret;

	if (tb[OPTSIM_A_DEV_INDEX])
		index = nla_get_u32(tb[OPTSIM_A_DEV_INDEX]);
	if (tb[OPTSIM_A_MEDIA])
		type = optsim_media_type_get(nla_get_u32(tb[OPTSIM_A_MEDIA]));
	if (tb[OPTSIM_A_LAYER_SECTORS])
		layer_sectors = nla_get_u64(tb[OPTSIM_A_LAYER_SECTORS]);

	/* The reply first: a drive made is a drive the caller hears of. */
	reply = optsim_nl_reply_new(info, optsim_nl_dev_size(), &hdr);
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	optsim_devs_lock();
	dev = optsim_dev_add(index, type, layer_sectors, &why);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		nlmsg_free(reply);
		optsim_nl_why(info->extack,
			      ret == -EEXIST ? tb[OPTSIM_A_DEV_INDEX] :
			      ret == -EINVAL ? tb[OPTSIM_A_LAYER_SECTORS] :
			      NULL, why);
	} else {
		/* Sized for any drive: only a bug makes the fill fail. */
		ret = optsim_nl_reply_send(info, reply, hdr, dev,
					   optsim_nl_put_dev);
		WARN_ON_ONCE(ret == -EMSGSIZE);
	}
	optsim_devs_unlock();
	return ret;
}

static int optsim_nl_dev_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct optsim_dev *dev;
	const char *why;
	int ret;

	optsim_devs_lock();
	dev = optsim_nl_dev(info);
	ret = IS_ERR(dev) ? PTR_ERR(dev) : optsim_dev_remove(dev, &why);
	if (ret == -EBUSY)
		optsim_nl_why(info->extack, info->attrs[OPTSIM_A_DEV_INDEX],
			      why);
	optsim_devs_unlock();
	return ret;
}

/*
 * load: OPTSIM_IOC_LOAD's request, from attributes. The image's descriptor
 * is looked up in the sender's file table: the request runs in its
 * sendmsg() call.
 */
static int optsim_nl_load_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct optsim_load req = {};
	struct optsim_dev *dev;
	const char *why;
	int ret;

	if (!!tb[OPTSIM_A_IMAGE_FD] == !!tb[OPTSIM_A_MEDIA]) {
		optsim_nl_why(info->extack, NULL,
			      "give either a media type or an image descriptor");
		return -EINVAL;
	}
	if (tb[OPTSIM_A_IMAGE_FD]) {
		if (tb[OPTSIM_A_LAYER_SECTORS]) {
			optsim_nl_why(info->extack, tb[OPTSIM_A_LAYER_SECTORS],
				      "an image says its own geometry");
			return -EINVAL;
		}
		req.flags = OPTSIM_LOAD_F_IMAGE;
		req.image_fd = nla_get_s32(tb[OPTSIM_A_IMAGE_FD]);
	} else {
		req.media = nla_get_u32(tb[OPTSIM_A_MEDIA]);
		if (tb[OPTSIM_A_LAYER_SECTORS])
			req.layer_sectors =
				nla_get_u64(tb[OPTSIM_A_LAYER_SECTORS]);
	}
	optsim_devs_lock();
	dev = optsim_nl_dev(info);
	ret = IS_ERR(dev) ? PTR_ERR(dev) :
			    optsim_dev_load(dev, dev->disk->part0, &req, 0, &why);
	if (!IS_ERR(dev) && ret)
		optsim_nl_why(info->extack, tb[OPTSIM_A_IMAGE_FD], why);
	optsim_devs_unlock();
	return ret;
}

/*
 * Apply one OPTSIM_A_LAYER nest of a params-set over @p, the layer's
 * current parameters, and add the layer to @layers.
 */
static int optsim_nl_parse_layer(const struct nlattr *nest, u32 nr_layers,
				 struct optsim_params p[OPTSIM_MAX_LAYERS],
				 u32 *layers, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[OPTSIM_A_LAYER_CURRENT + 1];
	u32 layer;
	int ret;

	/* Validated against optsim_nl_layer_policy already. */
	ret = nla_parse_nested(tb, OPTSIM_A_LAYER_CURRENT, nest,
			       optsim_nl_layer_policy, extack);
	if (ret)
		return ret;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, OPTSIM_A_LAYER_INDEX))
		return -EINVAL;
	layer = nla_get_u32(tb[OPTSIM_A_LAYER_INDEX]);
	if (layer >= nr_layers) {
		optsim_nl_why(extack, tb[OPTSIM_A_LAYER_INDEX],
			      "the medium has no such layer");
		return -EINVAL;
	}
	if (*layers & BIT(layer)) {
		optsim_nl_why(extack, nest, "layer given twice");
		return -EINVAL;
	}
	*layers |= BIT(layer);
	if (tb[OPTSIM_A_LAYER_STRATEGY])
		p[layer].strategy = nla_get_u32(tb[OPTSIM_A_LAYER_STRATEGY]);
	if (tb[OPTSIM_A_LAYER_VELOCITY])
		p[layer].velocity = nla_get_u32(tb[OPTSIM_A_LAYER_VELOCITY]);
	if (tb[OPTSIM_A_LAYER_WRITE_POWER])
		p[layer].write_power =
			nla_get_u32(tb[OPTSIM_A_LAYER_WRITE_POWER]);
	if (tb[OPTSIM_A_LAYER_BIAS_POWER])
		p[layer].bias_power = nla_get_u32(tb[OPTSIM_A_LAYER_BIAS_POWER]);
	if (tb[OPTSIM_A_LAYER_MODE])
		p[layer].mode = nla_get_u32(tb[OPTSIM_A_LAYER_MODE]);
	if (tb[OPTSIM_A_LAYER_CURRENT])
		p[layer].current_ua = nla_get_u32(tb[OPTSIM_A_LAYER_CURRENT]);
	return 0;
}

static int optsim_nl_params_set_doit(struct sk_buff *skb,
				     struct genl_info *info)
{
	struct optsim_params p[OPTSIM_MAX_LAYERS];
	u32 nr_layers = 0, layers = 0;
	struct optsim_dev *dev;
	const struct nlattr *a;
	const char *why;
	int rem, ret;

	if (GENL_REQ_ATTR_CHECK(info, OPTSIM_A_LAYER))
		return -EINVAL;
	optsim_devs_lock();
	dev = optsim_nl_dev(info);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto out_unlock;
	}
	/*
	 * Absent values stay: start from what is set, with nothing racing.
	 * An OPC may hold model_lock for seconds: a signal ends the wait.
	 */
	if (mutex_lock_interruptible(&dev->model_lock)) {
		ret = -EINTR;
		goto out_unlock;
	}
	mutex_lock(&dev->lock);
	if (dev->medium) {
		nr_layers = dev->medium->geo.layers;
		memcpy(p, dev->medium->params, sizeof(p));
	}
	mutex_unlock(&dev->lock);
	if (!nr_layers) {
		optsim_nl_why(info->extack, NULL, "the drive is empty");
		ret = -ENOMEDIUM;
		goto out_model;
	}
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != OPTSIM_A_LAYER)
			continue;
		ret = optsim_nl_parse_layer(a, nr_layers, p, &layers,
					    info->extack);
		if (ret)
			goto out_model;
	}
	ret = optsim_dev_set_params_locked(dev, p, layers, &why);
	if (ret)
		optsim_nl_why(info->extack, NULL, why);
out_model:
	mutex_unlock(&dev->model_lock);
out_unlock:
	optsim_devs_unlock();
	return ret;
}

static const struct genl_ops optsim_nl_ops[] = {
	{
		.cmd		= OPTSIM_CMD_DEV_GET,
		.doit		= optsim_nl_dev_get_doit,
		.start		= optsim_nl_dev_get_start,
		.dumpit		= optsim_nl_dev_get_dumpit,
		.policy		= optsim_nl_dev_policy,
		.maxattr	= ARRAY_SIZE(optsim_nl_dev_policy) - 1,
	},
	{
		.cmd		= OPTSIM_CMD_DEV_NEW,
		.flags		= GENL_ADMIN_PERM,
		.doit		= optsim_nl_dev_new_doit,
		.policy		= optsim_nl_dev_new_policy,
		.maxattr	= ARRAY_SIZE(optsim_nl_dev_new_policy) - 1,
	},
	{
		.cmd		= OPTSIM_CMD_DEV_DEL,
		.flags		= GENL_ADMIN_PERM,
		.doit		= optsim_nl_dev_del_doit,
		.policy		= optsim_nl_dev_policy,
		.maxattr	= ARRAY_SIZE(optsim_nl_dev_policy) - 1,
	},
	{
		.cmd		= OPTSIM_CMD_PARAMS_GET,
		.doit		= optsim_nl_params_get_doit,
		.policy		= optsim_nl_dev_policy,
		.maxattr	= ARRAY_SIZE(optsim_nl_dev_policy) - 1,
	},
	{
		.cmd		= OPTSIM_CMD_PARAMS_SET,
		.flags		= GENL_ADMIN_PERM,
		.doit		= optsim_nl_params_set_doit,
		.policy		= optsim_nl_params_set_policy,
		.maxattr	= ARRAY_SIZE(optsim_nl_params_set_policy) - 1,
	},
	{
		.cmd		= OPTSIM_CMD_LOAD,
		.flags		= GENL_ADMIN_PERM,
		.doit		= optsim_nl_load_doit,
		.policy		= optsim_nl_load_policy,
		.maxattr	= ARRAY_SIZE(optsim_nl_load_policy) - 1,
	},
	{
		.cmd		= OPTSIM_CMD_STATS_GET,
		.doit		= optsim_nl_stats_get_doit,
		.dumpit		= optsim_nl_stats_get_dumpit,
		.policy		= optsim_nl_dev_policy,
		.maxattr	= ARRAY_SIZE(optsim_nl_dev_policy) - 1,
	},
};

static struct genl_family optsim_genl_family __ro_after_init = {
	.name		= OPTSIM_GENL_NAME,
	.version	= OPTSIM_GENL_VERSION,
	.module		= THIS_MODULE,
	/* Operations lock what they need themselves. */
	.parallel_ops	= true,
	.ops		= optsim_nl_ops,
	.n_ops		= ARRAY_SIZE(optsim_nl_ops),
	.mcgrps		= optsim_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(optsim_nl_mcgrps),
};

/**
 * optsim_nl_init() - register the netlink family
 *
 * Return: 0 or a negative errno.
 */
int optsim_nl_init(void)
{
	return genl_register_family(&optsim_genl_family);
}

/**
 * optsim_nl_exit() - unregister the netlink family
 */
void optsim_nl_exit(void)
{
	genl_unregister_family(&optsim_genl_family);
}
