/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optsim_nl.h - the raw generic netlink pieces that optsim_nl_fuzz and
 * optsim_fault share: a socket, attributes, the family's id, and one
 * request with its answer. Include after optsim_utils.h.
 */
#ifndef OPTSIM_NL_H
#define OPTSIM_NL_H

#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

/* Bytes of a request the helpers build. */
#define NL_MSG_MAX		1024

/* A bound NETLINK_GENERIC socket with a 10 s receive timeout; -1 on error. */
static inline int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 10 };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Append an attribute; returns its offset (for nests) or -1 if no room. */
static inline int nl_put_attr(char *msg, unsigned int *len, uint16_t type,
		    const void *data, uint16_t dlen)
{
	struct nlattr *a = (struct nlattr *)(msg + *len);

	if (*len + NLA_HDRLEN + NLA_ALIGN(dlen) > NL_MSG_MAX)
		return -1;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + dlen;
	if (dlen)
		memcpy(msg + *len + NLA_HDRLEN, data, dlen);
	memset(msg + *len + NLA_HDRLEN + dlen, 0, NLA_ALIGN(dlen) - dlen);
	*len += NLA_HDRLEN + NLA_ALIGN(dlen);
	return (int)(*len - NLA_HDRLEN - NLA_ALIGN(dlen));
}

/* The id of the "optsim" family, or -1. */
static inline int nl_family_id(void)
{
	struct {
		struct nlmsghdr nh;
		struct genlmsghdr gh;
		char attrs[64];
	} m = { 0 };
	char buf[8192];
	unsigned int len = NLMSG_HDRLEN + GENL_HDRLEN;
	struct nlmsghdr *nh;
	int fd = nl_open(), id = -1, left;
	ssize_t n;

	if (fd < 0)
		return -1;
	m.nh.nlmsg_type = GENL_ID_CTRL;
	m.nh.nlmsg_flags = NLM_F_REQUEST;
	m.gh.cmd = CTRL_CMD_GETFAMILY;
	m.gh.version = 1;
	nl_put_attr((char *)&m, &len, CTRL_ATTR_FAMILY_NAME, OPTSIM_GENL_NAME,
		 sizeof(OPTSIM_GENL_NAME));
	m.nh.nlmsg_len = len;
	if (send(fd, &m, len, 0) < 0)
		goto out;
	n = recv(fd, buf, sizeof(buf), 0);
	left = (int)n;
	for (nh = (struct nlmsghdr *)buf; n > 0 && NLMSG_OK(nh, left);
	     nh = NLMSG_NEXT(nh, left)) {
		struct nlattr *a;
		int alen;

		if (nh->nlmsg_type != GENL_ID_CTRL)
			continue;
		a = (struct nlattr *)((char *)NLMSG_DATA(nh) + GENL_HDRLEN);
		alen = (int)nh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
		while (alen >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN) {
			if (a->nla_type == CTRL_ATTR_FAMILY_ID)
				id = *(uint16_t *)((char *)a + NLA_HDRLEN);
			alen -= NLA_ALIGN(a->nla_len);
			a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
		}
	}
out:
	close(fd);
	return id;
}

/*
 * nl_call() - send the request in msg (len bytes, header filled in here)
 * for cmd of family with NLM_F_ACK and flags, and read its answer to the
 * end (the ack, the error, or a dump's NLMSG_DONE).
 *
 * Return: 0, or the positive errno the request failed with (send()'s
 * too); -1 when no answer came.
 */
static inline int nl_call(int fd, uint16_t family, uint8_t cmd, uint16_t flags,
			  char *msg, unsigned int len)
{
	static char buf[65536];
	struct nlmsghdr *nh = (struct nlmsghdr *)msg;
	struct genlmsghdr *gh = (struct genlmsghdr *)(msg + NLMSG_HDRLEN);
	static uint32_t seq;

	nh->nlmsg_len = len;
	nh->nlmsg_type = family;
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nh->nlmsg_seq = ++seq;
	gh->cmd = cmd;
	gh->version = OPTSIM_GENL_VERSION;
	gh->reserved = 0;
	if (send(fd, msg, len, 0) != (ssize_t)len)
		return errno ? errno : EIO;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		int left = (int)n;

		/* the kernel lost an answer for want of memory */
		if (n < 0)
			return errno == ENOBUFS ? ENOBUFS : -1;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, left);
		     nh = NLMSG_NEXT(nh, left)) {
			if (nh->nlmsg_seq != seq)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR)
				return -((struct nlmsgerr *)NLMSG_DATA(nh))->error;
			if (nh->nlmsg_type == NLMSG_DONE)
				return 0;
		}
	}
}

#endif /* OPTSIM_NL_H */
