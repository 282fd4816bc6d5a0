// SPDX-License-Identifier: GPL-2.0
/*
 * optsim_nl_fuzz - a fuzzer for the "optsim" generic netlink family.
 *
 * It sends OPTSIM_FUZZ_COUNT messages (default 10000) made from a fixed
 * seed (OPTSIM_FUZZ_SEED overrides it; it is printed): random commands
 * (the family's and unknown ones), random flags (do and dump), a random
 * genetlink version, and attributes that are well-formed for the command,
 * mutated, random (any type, nested or not, nests in nests) or malformed
 * (attribute lengths that lie: short, past the end, odd; a message length
 * shorter than what was sent). A tenth of the messages come from a child
 * that dropped every capability (setresuid to nobody): its admin commands
 * (DEV_NEW, DEV_DEL, PARAMS_SET) must all fail with EPERM and change
 * nothing.
 *
 * Each message is followed by a fence (a DEV_GET of drive 0 with its own
 * sequence number): everything before the fence's answer belongs to the
 * message, and the fence must always be answered (no hang, no lost
 * socket). Every error must be one the family and the netlink core give
 * for bad requests. Drives the fuzzer creates are removed as it goes; at
 * the end only drive 0 is left, and it still answers.
 */
#include "optsim_utils.h"

#include "optsim_nl.h"

#include <sys/wait.h>

#define FUZZ_DEFAULT_COUNT	10000UL
#define FUZZ_DEFAULT_SEED	0x6e6c66757a7aULL
#define FUZZ_PROGRESS		2000
#define FUZZ_MAX_REPORTS	20
#define FUZZ_SWEEP		200
#define MSG_MAX			NL_MSG_MAX
#define FENCE_SEQ		0x7fffffffU
#define NOBODY			65534
/* drain()'s answer for a message nothing answered */
#define NO_ANSWER		INT_MAX

static uint64_t rng;

static uint64_t rnd(void)
{
	return fuzz_rnd(&rng);
}

static uint32_t below(uint32_t n)
{
	return fuzz_below(&rng, n);
}

struct nl_stats {
	unsigned long sent, acked, errors, replies, dumps, no_answer, bad;
	unsigned long eperm_admin, admin_not_eperm;
	unsigned long errs[256];
};

static void put_u32(char *msg, unsigned int *len, uint16_t type, uint32_t v)
{
	nl_put_attr(msg, len, type, &v, 4);
}

static void put_u64(char *msg, unsigned int *len, uint16_t type, uint64_t v)
{
	nl_put_attr(msg, len, type, &v, 8);
}

static void end_nest(char *msg, unsigned int len, int off)
{
	if (off >= 0)
		((struct nlattr *)(msg + off))->nla_len = len - off;
}

/* Attributes that make sense for cmd. */
static void good_attrs(char *msg, unsigned int *len, uint8_t cmd)
{
	unsigned int i, n;
	int nest;

	if (below(4))
		put_u32(msg, len, OPTSIM_A_DEV_INDEX,
			below(8) ? below(4) : below(OPTSIM_MAX_DEVICES + 2));
	switch (cmd) {
	case OPTSIM_CMD_DEV_NEW:
		if (below(2))
			put_u32(msg, len, OPTSIM_A_MEDIA, below(6));
		if (below(2))
			put_u64(msg, len, OPTSIM_A_LAYER_SECTORS,
				below(4) ? OPTSIM_LAYER_SECTORS_MIN : rnd() % (1ULL << 25));
		break;
	case OPTSIM_CMD_PARAMS_SET:
		n = below(3) + (below(8) ? 0 : 2);
		for (i = 0; i < n; i++) {
			nest = nl_put_attr(msg, len, OPTSIM_A_LAYER |
					(below(2) ? NLA_F_NESTED : 0), NULL, 0);
			if (below(8))
				put_u32(msg, len, OPTSIM_A_LAYER_INDEX, below(3));
			if (below(2))
				put_u32(msg, len, OPTSIM_A_LAYER_STRATEGY, below(5));
			if (below(2))
				put_u32(msg, len, OPTSIM_A_LAYER_VELOCITY,
					OPTSIM_VELOCITY_MIN_MMS + below(70000));
			if (below(2))
				put_u32(msg, len, OPTSIM_A_LAYER_WRITE_POWER,
					below(60000));
			if (below(2))
				put_u32(msg, len, OPTSIM_A_LAYER_BIAS_POWER,
					below(60000));
			end_nest(msg, *len, nest);
		}
		break;
	default:
		break;
	}
}

/* Random attributes, nests in nests up to depth. */
static void random_attrs(char *msg, unsigned int *len, int depth)
{
	unsigned int n = below(6), i;
	unsigned char data[24];

	for (i = 0; i < n; i++) {
		uint16_t type = below(4) ? below(OPTSIM_A_MAX + 4) : (uint16_t)rnd();
		int nest;

		if (depth && !below(3)) {
			nest = nl_put_attr(msg, len, type | NLA_F_NESTED, NULL, 0);
			if (nest < 0)
				return;
			random_attrs(msg, len, depth - 1);
			end_nest(msg, *len, nest);
			continue;
		}
		for (unsigned int k = 0; k < sizeof(data); k++)
			data[k] = (unsigned char)rnd();
		if (nl_put_attr(msg, len, type, data, below(sizeof(data) + 1)) < 0)
			return;
	}
}

/* Make one attribute of the payload lie about its length. */
static void lie(char *msg, unsigned int len, unsigned int start)
{
	unsigned int off = start, pick = below(6), i = 0;
	struct nlattr *a;

	while (off + NLA_HDRLEN <= len) {
		a = (struct nlattr *)(msg + off);
		if (i++ == pick || off + NLA_ALIGN(a->nla_len) >= len ||
		    a->nla_len < NLA_HDRLEN)
			break;
		off += NLA_ALIGN(a->nla_len);
	}
	if (off + NLA_HDRLEN > len)
		return;
	a = (struct nlattr *)(msg + off);
	switch (below(4)) {
	case 0:
		a->nla_len = below(NLA_HDRLEN);
		break;
	case 1:
		a->nla_len = len - off + 4 + below(64);
		break;
	case 2:
		a->nla_len |= 1;
		break;
	default:
		a->nla_len = (uint16_t)rnd();
		break;
	}
}

/* Build a fuzzed message for family; returns its length to send. */
static unsigned int build(char *msg, uint16_t family, uint32_t seq,
			  uint8_t *cmd_out, bool *dump_out)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)msg;
	struct genlmsghdr *gh = (struct genlmsghdr *)(msg + NLMSG_HDRLEN);
	unsigned int len = NLMSG_HDRLEN + GENL_HDRLEN, kind = below(8);
	uint8_t cmd = below(8) ? 1 + below(OPTSIM_CMD_STATS_GET) :
		(uint8_t)below(OPTSIM_CMD_MAX + 8);
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;

	memset(msg, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	if (!below(3))
		flags |= NLM_F_DUMP;
	if (!below(8))
		flags |= (uint16_t)rnd() & ~NLM_F_REQUEST;
	gh->cmd = cmd;
	gh->version = below(8) ? OPTSIM_GENL_VERSION : (uint8_t)rnd();
	gh->reserved = below(8) ? 0 : (uint16_t)rnd();
	switch (kind) {
	case 0: case 1: case 2:
		good_attrs(msg, &len, cmd);
		break;
	case 3: case 4:
		good_attrs(msg, &len, cmd);
		for (unsigned int i = 1 + below(3); i; i--)
			msg[NLMSG_HDRLEN + GENL_HDRLEN +
			    below(len - NLMSG_HDRLEN - GENL_HDRLEN + 1)] ^=
				1u << below(8);
		break;
	case 5:
		random_attrs(msg, &len, 3);
		break;
	default:
		if (below(2))
			good_attrs(msg, &len, cmd);
		else
			random_attrs(msg, &len, 2);
		lie(msg, len, NLMSG_HDRLEN + GENL_HDRLEN);
		break;
	}
	nh->nlmsg_len = len;
	/*
	 * Now and then a type that is not the family: the netlink core's own
	 * (NOOP, ERROR, DONE, OVERRUN) or no family at all. Never another
	 * family: its answers are its own (taskstats says ESRCH).
	 */
	if (!below(32)) {
		static const uint16_t other[] = { 0, 1, 2, 3, 0xfffe, 0xffff };

		nh->nlmsg_type = other[below(6)];
	} else {
		nh->nlmsg_type = family;
	}
	nh->nlmsg_flags = flags;
	nh->nlmsg_seq = seq;
	/* A message length shorter than what is sent (the rest: garbage). */
	if (!below(32))
		nh->nlmsg_len = NLMSG_HDRLEN + below(len - NLMSG_HDRLEN + 1);
	*cmd_out = cmd;
	*dump_out = flags & NLM_F_DUMP;
	return len;
}

static bool nl_errno_ok(int e)
{
	switch (e) {
	case EINVAL: case EOPNOTSUPP: case EPERM: case ENODEV: case ENOENT:
	case EEXIST: case EBUSY: case ENOMEDIUM: case ERANGE: case EMSGSIZE:
	case ENOMEM: case ENOSPC: case E2BIG: case EMEDIUMTYPE: case EROFS:
	case ENOSYS: case EALREADY:
		return true;
	}
	return false;
}

/* The fence: the controller's GETFAMILY of "optsim", always answered. */
static int send_fence(int fd)
{
	char msg[NL_MSG_MAX] = { 0 };
	struct nlmsghdr *nh = (struct nlmsghdr *)msg;
	struct genlmsghdr *gh = (struct genlmsghdr *)(msg + NLMSG_HDRLEN);
	unsigned int len = NLMSG_HDRLEN + GENL_HDRLEN;

	nl_put_attr(msg, &len, CTRL_ATTR_FAMILY_NAME, OPTSIM_GENL_NAME,
		    sizeof(OPTSIM_GENL_NAME));
	nh->nlmsg_len = len;
	nh->nlmsg_type = GENL_ID_CTRL;
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nh->nlmsg_seq = FENCE_SEQ;
	gh->cmd = CTRL_CMD_GETFAMILY;
	gh->version = 1;
	return send(fd, msg, len, 0) == (ssize_t)len ? 0 : -1;
}

/*
 * Read what the message seq got until the fence is answered (and a dump
 * the message started is done). Returns the message's error (0 when it
 * got an ack or replies only; NO_ANSWER, not 1, which is EPERM, when it
 * got none), or -1 when the fence never came or failed.
 */
static int drain(int fd, uint32_t seq, struct nl_stats *st)
{
	static char buf[65536];
	bool fence = false, dump_open = false;
	int err = NO_ANSWER;

	while (!fence || dump_open) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nh;
		int left;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		left = (int)n;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, left);
		     nh = NLMSG_NEXT(nh, left)) {
			if (nh->nlmsg_seq == FENCE_SEQ) {
				if (nh->nlmsg_type == NLMSG_ERROR &&
				    ((struct nlmsgerr *)NLMSG_DATA(nh))->error)
					return -1;
				if (nh->nlmsg_type == NLMSG_ERROR)
					fence = true;
				continue;
			}
			if (nh->nlmsg_seq != seq)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				err = -((struct nlmsgerr *)NLMSG_DATA(nh))->error;
				dump_open = false;
			} else if (nh->nlmsg_type == NLMSG_DONE) {
				err = 0;
				dump_open = false;
				st->dumps++;
			} else {
				st->replies++;
				if (err == NO_ANSWER)
					err = 0;
				if (nh->nlmsg_flags & NLM_F_MULTI)
					dump_open = true;
			}
		}
	}
	return err;
}

static bool admin_cmd(uint8_t cmd)
{
	return cmd == OPTSIM_CMD_DEV_NEW || cmd == OPTSIM_CMD_DEV_DEL ||
	       cmd == OPTSIM_CMD_PARAMS_SET;
}

/*
 * True when the genetlink core checks the message's permission, that is
 * when it gets that far: an admin command of the family, with a whole
 * header, reserved 0 and no flags but REQUEST, ACK, ECHO and DUMP
 * (genl_family_rcv_msg() and genl_header_check() of 6.1).
 */
static bool perm_checked(const char *msg, uint16_t family)
{
	const struct nlmsghdr *nh = (const struct nlmsghdr *)msg;
	const struct genlmsghdr *gh =
		(const struct genlmsghdr *)(msg + NLMSG_HDRLEN);
	uint16_t flags = nh->nlmsg_flags;

	if ((flags & NLM_F_DUMP) == NLM_F_DUMP)
		flags &= ~NLM_F_DUMP;
	return admin_cmd(gh->cmd) && nh->nlmsg_type == family &&
	       nh->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN && !gh->reserved &&
	       !(flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO));
}

/*
 * Fuzz count messages on a new socket. Unprivileged: admin commands that
 * reach the family (a whole header, a known command) must fail with EPERM.
 */
static void fuzz(uint16_t family, unsigned long count, bool unpriv,
		 struct nl_stats *st)
{
	char msg[MSG_MAX];
	unsigned long i;
	int fd = nl_open(), err;

	if (fd < 0) {
		st->bad++;
		return;
	}
	for (i = 0; i < count; i++) {
		uint32_t seq = (uint32_t)i + 1;
		unsigned int len;
		uint8_t cmd;
		bool dump;

		if (!unpriv && i && i % FUZZ_PROGRESS == 0)
			fprintf(stderr, "# %lu messages, %lu bad\n", i, st->bad);
		len = build(msg, family, seq, &cmd, &dump);
		if (send(fd, msg, len, 0) < 0) {
			st->bad++;
			continue;
		}
		st->sent++;
		if (send_fence(fd)) {
			st->bad++;
			continue;
		}
		err = drain(fd, seq, st);
		if (err < 0) {
			st->bad++;
			if (st->bad <= FUZZ_MAX_REPORTS)
				fprintf(stderr, "# message %lu (cmd %u): the fence got no answer: %s\n",
					i, cmd, strerror(errno));
			close(fd);
			fd = nl_open();
			if (fd < 0)
				return;
			continue;
		}
		if (err == NO_ANSWER) {
			st->no_answer++;
			continue;
		}
		if (err == 0) {
			st->acked++;
		} else {
			st->errors++;
			st->errs[err & 0xff]++;
			if (!nl_errno_ok(err)) {
				st->bad++;
				if (st->bad <= FUZZ_MAX_REPORTS)
					fprintf(stderr, "# message %lu (cmd %u): %s\n",
						i, cmd, strerror(err));
			}
		}
		if (unpriv && perm_checked(msg, family)) {
			if (err == EPERM) {
				st->eperm_admin++;
			} else {
				st->admin_not_eperm++;
				st->bad++;
				if (st->bad <= FUZZ_MAX_REPORTS)
					fprintf(stderr, "# unprivileged admin cmd %u: %s\n",
						cmd, err ? strerror(err) : "done");
			}
		}
	}
	close(fd);
}

/* A plain request on fd; returns its error (0: ack). */
static int request(int fd, uint16_t family, uint8_t cmd, int idx)
{
	struct {
		struct nlmsghdr nh;
		struct genlmsghdr gh;
		struct nlattr a;
		uint32_t idx;
	} m = {
		.nh = { .nlmsg_len = sizeof(m), .nlmsg_type = family,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK, .nlmsg_seq = 1 },
		.gh = { .cmd = cmd, .version = OPTSIM_GENL_VERSION },
		.a = { .nla_len = NLA_HDRLEN + 4, .nla_type = OPTSIM_A_DEV_INDEX },
		.idx = (uint32_t)idx,
	};
	struct nl_stats st;

	if (send(fd, &m, sizeof(m), 0) < 0 || send_fence(fd))
		return -1;
	return drain(fd, 1, &st);
}

/* Remove every drive but 0 (created if missing); returns how many. */
static int sweep(int fd, uint16_t family)
{
	char path[32];
	int i, n = 0;

	for (i = 1; i < OPTSIM_MAX_DEVICES; i++) {
		snprintf(path, sizeof(path), DEV_PATH "%d", i);
		if (access(path, F_OK))
			continue;
		n++;
		request(fd, family, OPTSIM_CMD_DEV_DEL, i);
	}
	/* A DEV_DEL of drive 0 is a request like any other: put it back. */
	if (access(DEV_PATH, F_OK))
		request(fd, family, OPTSIM_CMD_DEV_NEW, 0);
	return n;
}

static void show(struct __test_metadata *_metadata, const char *who,
		 const struct nl_stats *st)
{
	int e;

	TH_LOG("%s: %lu messages: %lu done, %lu refused, %lu without an answer of their own; %lu replies, %lu dumps; %lu bad",
	       who, st->sent, st->acked, st->errors, st->no_answer,
	       st->replies, st->dumps, st->bad);
	for (e = 0; e < 256; e++)
		if (st->errs[e])
			TH_LOG("  %s: %lu", strerror(e), st->errs[e]);
}

FIXTURE(nl_fuzz) {
};

FIXTURE_SETUP(nl_fuzz)
{
}

FIXTURE_TEARDOWN(nl_fuzz)
{
}

TEST_F_TIMEOUT(nl_fuzz, messages, 3600)
{
	unsigned long count = FUZZ_DEFAULT_COUNT;
	uint64_t seed = FUZZ_DEFAULT_SEED;
	struct nl_stats *ust, st = { 0 };
	int family, fd, status, left;
	pid_t pid;

	fuzz_knobs(&seed, &count);
	family = nl_family_id();
	ASSERT_LT(0, family) {
		TH_LOG("no \"%s\" generic netlink family: is optsim loaded?",
		       OPTSIM_GENL_NAME);
	}
	TH_LOG("%lu messages (%lu of them unprivileged), seed 0x%llx (OPTSIM_FUZZ_SEED=0x%llx to repeat)",
	       count, count / 10, (unsigned long long)seed,
	       (unsigned long long)seed);

	/* The unprivileged tenth first, in a child without capabilities. */
	ust = mmap(NULL, sizeof(*ust), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ust);
	memset(ust, 0, sizeof(*ust));
	fd = nl_open();
	ASSERT_LE(0, fd);
	sweep(fd, (uint16_t)family);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		rng = (seed ^ 0x5555) ? seed ^ 0x5555 : 1;
		if (setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(2);
		fuzz((uint16_t)family, count / 10, true, ust);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	show(_metadata, "unprivileged", ust);
	TH_LOG("unprivileged admin commands: %lu refused with EPERM, %lu not",
	       ust->eperm_admin, ust->admin_not_eperm);
	EXPECT_EQ(0UL, ust->bad);
	EXPECT_EQ(0UL, ust->admin_not_eperm);
	EXPECT_LT(0UL, ust->eperm_admin);
	/* It changed nothing: drive 0 alone. */
	EXPECT_EQ(0, sweep(fd, (uint16_t)family));

	rng = seed ? seed : 1;
	for (unsigned long done = 0; done < count - count / 10;) {
		unsigned long n = count - count / 10 - done;

		if (n > FUZZ_SWEEP)
			n = FUZZ_SWEEP;
		fuzz((uint16_t)family, n, false, &st);
		sweep(fd, (uint16_t)family);
		done += n;
	}
	show(_metadata, "privileged", &st);
	EXPECT_EQ(0UL, st.bad);
	EXPECT_EQ(count, st.sent + ust->sent);

	/* Only drive 0 is left, and it answers. */
	left = sweep(fd, (uint16_t)family);
	EXPECT_EQ(0, left);
	EXPECT_EQ(0, request(fd, (uint16_t)family, OPTSIM_CMD_DEV_GET, 0));
	EXPECT_EQ(0, access(DEV_PATH, F_OK));
	close(fd);
	munmap(ust, sizeof(*ust));
}

TEST_HARNESS_MAIN
