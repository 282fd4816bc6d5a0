// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl - the generic netlink family "optsim" through libnl-genl-3.
 *
 * nlctx_open() resolves the family and its "events" group; nlctx_request()
 * sends one request, hands each reply to a callback, and waits for the
 * kernel's ack; a refusal leaves the kernel's explanation (the extended ack
 * message) in nl->extack for nlctx_die() to print.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/optsim.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/* Attributes of replies and events: the types only, for parsing. */
static struct nla_policy nl_dev_policy[OPTSIM_A_MAX + 1] = {
	[OPTSIM_A_DEV_INDEX]	= { .type = NLA_U32 },
	[OPTSIM_A_DEV_NAME]	= { .type = NLA_STRING },
	[OPTSIM_A_MEDIA]	= { .type = NLA_U32 },
	[OPTSIM_A_LAYERS]	= { .type = NLA_U32 },
	[OPTSIM_A_LAYER_SECTORS] = { .type = NLA_U64 },
	[OPTSIM_A_CAPACITY]	= { .type = NLA_U64 },
	[OPTSIM_A_FINALIZED]	= { .type = NLA_U8 },
	[OPTSIM_A_WRITE_ONCE]	= { .type = NLA_U8 },
	[OPTSIM_A_NWA]		= { .type = NLA_U64 },
	[OPTSIM_A_OPEN_COUNT]	= { .type = NLA_U32 },
	[OPTSIM_A_LAYER]	= { .type = NLA_NESTED },
	[OPTSIM_A_FIRST_CLUSTER] = { .type = NLA_U64 },
	[OPTSIM_A_LAST_CLUSTER]	= { .type = NLA_U64 },
	[OPTSIM_A_CLUSTERS]	= { .type = NLA_U64 },
	[OPTSIM_A_LBA]		= { .type = NLA_U64 },
	[OPTSIM_A_REASON]	= { .type = NLA_U32 },
	[OPTSIM_A_ERROR]	= { .type = NLA_U32 },
	[OPTSIM_A_ON_LAYER]	= { .type = NLA_U32 },
	[OPTSIM_A_ERASE_QUICK]	= { .type = NLA_U8 },
	[OPTSIM_A_TRACK]	= { .type = NLA_NESTED },
	[OPTSIM_A_CLOSED_SESSIONS] = { .type = NLA_U32 },
	[OPTSIM_A_FORMATTED]	= { .type = NLA_U8 },
	[OPTSIM_A_SPARE_SECTORS] = { .type = NLA_U64 },
};

static struct nla_policy nl_layer_policy[OPTSIM_A_LAYER_MAX + 1] = {
	[OPTSIM_A_LAYER_INDEX]		= { .type = NLA_U32 },
	[OPTSIM_A_LAYER_STRATEGY]	= { .type = NLA_U32 },
	[OPTSIM_A_LAYER_VELOCITY]	= { .type = NLA_U32 },
	[OPTSIM_A_LAYER_WRITE_POWER]	= { .type = NLA_U32 },
	[OPTSIM_A_LAYER_BIAS_POWER]	= { .type = NLA_U32 },
	[OPTSIM_A_LAYER_RECORDED_CLUSTERS] = { .type = NLA_U64 },
	[OPTSIM_A_LAYER_JITTER]		= { .type = NLA_U32 },
	[OPTSIM_A_LAYER_STEPS]		= { .type = NLA_U32 },
	[OPTSIM_A_LAYER_BYTES_WRITTEN]	= { .type = NLA_U64 },
	[OPTSIM_A_LAYER_BYTES_READ]	= { .type = NLA_U64 },
	[OPTSIM_A_LAYER_CLUSTERS_WRITTEN] = { .type = NLA_U64 },
	[OPTSIM_A_LAYER_CLUSTERS_READ]	= { .type = NLA_U64 },
	[OPTSIM_A_LAYER_WRITES_REFUSED]	= { .type = NLA_U64 },
	[OPTSIM_A_LAYER_WRITE_ONCE_VIOLATIONS] = { .type = NLA_U64 },
	[OPTSIM_A_LAYER_MEDIUM_ERRORS]	= { .type = NLA_U64 },
	[OPTSIM_A_LAYER_COMPILES]	= { .type = NLA_U64 },
	[OPTSIM_A_LAYER_STRATEGY_USED]	= { .type = NLA_U32 },
	[OPTSIM_A_LAYER_MODE]		= { .type = NLA_U32 },
	[OPTSIM_A_LAYER_CURRENT]	= { .type = NLA_U32 },
	[OPTSIM_A_LAYER_WINDOW_LO]	= { .type = NLA_U32 },
	[OPTSIM_A_LAYER_WINDOW_HI]	= { .type = NLA_U32 },
};

static struct nla_policy nl_track_policy[OPTSIM_A_TRACK_MAX + 1] = {
	[OPTSIM_A_TRACK_NUMBER]		= { .type = NLA_U32 },
	[OPTSIM_A_TRACK_SESSION]	= { .type = NLA_U32 },
	[OPTSIM_A_TRACK_START]		= { .type = NLA_U64 },
	[OPTSIM_A_TRACK_END]		= { .type = NLA_U64 },
	[OPTSIM_A_TRACK_NWA]		= { .type = NLA_U64 },
	[OPTSIM_A_TRACK_RESERVED]	= { .type = NLA_U8 },
	[OPTSIM_A_TRACK_CLOSED]		= { .type = NLA_U8 },
	[OPTSIM_A_TRACK_DATA_END]	= { .type = NLA_U64 },
};

/* nlctx_die() - "WHAT failed: strerror (the kernel's message)" and exit 1. */
void nlctx_die(const struct nlctx *nl, int err, const char *what)
{
	const char *hint = nl->extack[0] ? nl->extack : NULL;

	if (!hint && err == EPERM)
		hint = "needs root: CAP_NET_ADMIN";
	if (hint)
		errx(EXIT_FAILURE, "%s failed: %s (%s)", what, strerror(err),
		     hint);
	errx(EXIT_FAILURE, "%s failed: %s", what, strerror(err));
}

/*
 * nlctx_try_open() - connect to the "optsim" family. Returns NULL, or what
 * failed (nothing is left open then).
 */
const char *nlctx_try_open(struct nlctx *nl)
{
	static char why[160];
	int one = 1, ret;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		errx(EXIT_FAILURE, "out of memory");
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		snprintf(why, sizeof(why), "generic netlink: %s",
			 nl_geterror(ret));
		goto fail;
	}
	/*
	 * A dev-get reply with a full track table is larger than a page:
	 * receive with MSG_PEEK, so the buffer grows to each message.
	 */
	nl_socket_enable_msg_peek(nl->sk);
	/* Refusals come with the kernel's reason. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	nl->family = genl_ctrl_resolve(nl->sk, OPTSIM_GENL_NAME);
	if (nl->family < 0) {
		snprintf(why, sizeof(why),
			 "generic netlink family '%s' not found: is the optsim module loaded?",
			 OPTSIM_GENL_NAME);
		goto fail;
	}
	nl->events = genl_ctrl_resolve_grp(nl->sk, OPTSIM_GENL_NAME,
					   OPTSIM_GENL_MCGRP_EVENTS);
	if (nl->events < 0) {
		snprintf(why, sizeof(why), "family '%s' has no '%s' group",
			 OPTSIM_GENL_NAME, OPTSIM_GENL_MCGRP_EVENTS);
		goto fail;
	}
	return NULL;
fail:
	nlctx_close(nl);
	return why;
}

/* nlctx_open() - connect to the "optsim" family, or exit saying why. */
void nlctx_open(struct nlctx *nl)
{
	const char *why = nlctx_try_open(nl);

	if (why)
		errx(EXIT_FAILURE, "%s", why);
}

void nlctx_close(struct nlctx *nl)
{
	nl_socket_free(nl->sk);
	nl->sk = NULL;
}

/* nlctx_msg() - a new request of command @cmd, a dump when @dump. */
struct nl_msg *nlctx_msg(struct nlctx *nl, uint8_t cmd, bool dump)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
				 dump ? NLM_F_DUMP : 0, cmd,
				 OPTSIM_GENL_VERSION))
		errx(EXIT_FAILURE, "out of memory");
	return msg;
}

/* nlctx_parse_layer() - the attributes of an OPTSIM_A_LAYER nest. */
int nlctx_parse_layer(struct nlattr *nest, struct nlattr **tb)
{
	return nla_parse_nested(tb, OPTSIM_A_LAYER_MAX, nest, nl_layer_policy);
}

/* nlctx_parse_track() - the attributes of an OPTSIM_A_TRACK nest. */
int nlctx_parse_track(struct nlattr *nest, struct nlattr **tb)
{
	return nla_parse_nested(tb, OPTSIM_A_TRACK_MAX, nest, nl_track_policy);
}

struct nl_call {
	nlctx_reply_fn fn;
	void *arg;
	struct nlctx *nl;
	int err;	/* negative errno from the kernel's ack */
	bool done;
};

static int nl_valid_cb(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[OPTSIM_A_MAX + 1];
	struct nl_call *call = arg;
	struct nl_reply r = {
		.cmd	= gh->cmd,
		.tb	= tb,
		.attrs	= genlmsg_attrdata(gh, 0),
		.len	= genlmsg_attrlen(gh, 0),
	};

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, OPTSIM_A_MAX,
			  nl_dev_policy) < 0)
		return NL_SKIP;
	if (call->fn && call->fn(&r, call->arg))
		return NL_STOP;
	return NL_OK;
}

/* The kernel's explanation of an error, from the ack's TLVs. */
static void nl_extack(struct nlctx *nl, struct nlmsgerr *e)
{
	struct nlmsghdr *h = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	size_t off = sizeof(*e);
	struct nlattr *a;
	int len;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	len = (int)h->nlmsg_len - NLMSG_HDRLEN - (int)off;
	if (len <= 0)
		return;
	for (a = (struct nlattr *)((char *)e + NLMSG_ALIGN(off));
	     nla_ok(a, len); a = nla_next(a, &len)) {
		if (nla_type(a) == NLMSGERR_ATTR_MSG) {
			/* a NUL-terminated string; %.*s stops at the NUL */
			snprintf(nl->extack, sizeof(nl->extack), "%.*s",
				 nla_len(a), (const char *)nla_data(a));
		}
	}
}

static int nl_error_cb(struct sockaddr_nl *who __attribute__((unused)),
		       struct nlmsgerr *e, void *arg)
{
	struct nl_call *call = arg;

	call->err = e->error;
	call->done = true;
	nl_extack(call->nl, e);
	return NL_STOP;
}

static int nl_noop_cb(struct nl_msg *msg __attribute__((unused)),
		      void *arg __attribute__((unused)))
{
	return NL_OK;
}

static int nl_finish_cb(struct nl_msg *msg __attribute__((unused)), void *arg)
{
	struct nl_call *call = arg;

	call->done = true;
	return NL_STOP;
}

/*
 * nlctx_request() - send @msg (consumed), pass every reply to @fn, wait for
 * the end. Returns 0 or a positive errno; on error nl->extack holds the
 * kernel's message, if it gave one.
 */
int nlctx_request(struct nlctx *nl, struct nl_msg *msg, nlctx_reply_fn fn,
		  void *arg)
{
	struct nl_call call = { .fn = fn, .arg = arg, .nl = nl };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb)
		errx(EXIT_FAILURE, "out of memory");
	nl->extack[0] = '\0';
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, nl_valid_cb, &call);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, nl_finish_cb, &call);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, nl_finish_cb, &call);
	nl_cb_err(cb, NL_CB_CUSTOM, nl_error_cb, &call);
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
	ret = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		nl_cb_put(cb);
		return ENOBUFS;
	}
	while (!call.done) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0 && !call.done) {
			call.err = -EIO;
			break;
		}
	}
	nl_cb_put(cb);
	return -call.err;
}

/* nlctx_subscribe() - join the "events" group. */
void nlctx_subscribe(struct nlctx *nl)
{
	int ret;

	ret = nl_socket_add_membership(nl->sk, nl->events);
	if (ret < 0)
		errx(EXIT_FAILURE, "joining the events group: %s",
		     nl_geterror(ret));
}

/*
 * nlctx_listen() - pass every event to @fn until it returns non-zero.
 * Returns 0, or -1 when receiving fails.
 */
int nlctx_listen(struct nlctx *nl, nlctx_reply_fn fn, void *arg)
{
	struct nl_call call = { .fn = fn, .arg = arg, .nl = nl };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret = 0;

	if (!cb)
		errx(EXIT_FAILURE, "out of memory");
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, nl_valid_cb, &call);
	/* Events are not replies: they carry no sequence number of ours. */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, nl_noop_cb, NULL);
	for (;;) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret == -NLE_INTR)
			continue;
		if (ret < 0)
			break;
	}
	nl_cb_put(cb);
	return ret < 0 ? -1 : 0;
}
