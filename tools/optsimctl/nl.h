/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optsimctl - the generic netlink family "optsim" through libnl-genl-3.
 * One context object holds the socket, the family and the error the
 * kernel explained last (its extended ack message).
 */
#ifndef OPTSIMCTL_NL_H
#define OPTSIMCTL_NL_H

#include <stdbool.h>
#include <stdint.h>

struct nl_msg;
struct nl_sock;
struct nlattr;

struct nlctx {
	struct nl_sock *sk;
	int family;		/* the family's id */
	int events;		/* the "events" group's id */
	char extack[256];	/* the kernel's message of the last error */
};

/* A reply or event: its command and attributes. */
struct nl_reply {
	uint8_t cmd;
	struct nlattr **tb;	/* indexed by enum optsim_a */
	struct nlattr *attrs;	/* all of them, for repeated OPTSIM_A_LAYER */
	int len;
};

/*
 * Called for each reply or event. Non-zero stops reading the message batch
 * it came in; a request still waits for its ack.
 */
typedef int (*nlctx_reply_fn)(const struct nl_reply *r, void *arg);

const char *nlctx_try_open(struct nlctx *nl);
void nlctx_open(struct nlctx *nl);
void nlctx_close(struct nlctx *nl);
struct nl_msg *nlctx_msg(struct nlctx *nl, uint8_t cmd, bool dump);
int nlctx_request(struct nlctx *nl, struct nl_msg *msg, nlctx_reply_fn fn,
		  void *arg);
void nlctx_subscribe(struct nlctx *nl);
int nlctx_listen(struct nlctx *nl, nlctx_reply_fn fn, void *arg);
int nlctx_parse_layer(struct nlattr *nest, struct nlattr **tb);
int nlctx_parse_track(struct nlattr *nest, struct nlattr **tb);
void nlctx_die(const struct nlctx *nl, int err, const char *what)
	__attribute__((noreturn));

#endif /* OPTSIMCTL_NL_H */
