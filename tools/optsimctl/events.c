// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl - printing the attributes of netlink replies and events, as
 * "key=value" text or JSON, from one table of the family's attributes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <netlink/attr.h>

#include "events.h"
#include "names.h"

enum attr_kind { K_U8, K_U32, K_U64, K_STR, K_MEDIA, K_STRATEGY, K_REASON,
		 K_NEST };

struct attr_desc {
	const char *name;
	enum attr_kind kind;
};

static const struct attr_desc dev_attrs[OPTSIM_A_MAX + 1] = {
	[OPTSIM_A_DEV_INDEX]	= { "dev_index", K_U32 },
	[OPTSIM_A_DEV_NAME]	= { "dev_name", K_STR },
	[OPTSIM_A_MEDIA]	= { "media", K_MEDIA },
	[OPTSIM_A_LAYERS]	= { "layers", K_U32 },
	[OPTSIM_A_LAYER_SECTORS] = { "layer_sectors", K_U64 },
	[OPTSIM_A_CAPACITY]	= { "capacity", K_U64 },
	[OPTSIM_A_FINALIZED]	= { "finalized", K_U8 },
	[OPTSIM_A_WRITE_ONCE]	= { "write_once", K_U8 },
	[OPTSIM_A_NWA]		= { "nwa", K_U64 },
	[OPTSIM_A_OPEN_COUNT]	= { "open_count", K_U32 },
	[OPTSIM_A_LAYER]	= { "layer", K_NEST },
	[OPTSIM_A_FIRST_CLUSTER] = { "first_cluster", K_U64 },
	[OPTSIM_A_LAST_CLUSTER]	= { "last_cluster", K_U64 },
	[OPTSIM_A_CLUSTERS]	= { "clusters", K_U64 },
	[OPTSIM_A_LBA]		= { "lba", K_U64 },
	[OPTSIM_A_REASON]	= { "reason", K_REASON },
	[OPTSIM_A_ERROR]	= { "error", K_U32 },
	[OPTSIM_A_ON_LAYER]	= { "on_layer", K_U32 },
	[OPTSIM_A_ERASE_QUICK]	= { "quick", K_U8 },
	[OPTSIM_A_TRACK]	= { "track", K_NEST },
	[OPTSIM_A_CLOSED_SESSIONS] = { "closed_sessions", K_U32 },
	[OPTSIM_A_FORMATTED]	= { "formatted", K_U8 },
	[OPTSIM_A_SPARE_SECTORS] = { "spare_sectors", K_U64 },
};

static const struct attr_desc layer_attrs[OPTSIM_A_LAYER_MAX + 1] = {
	[OPTSIM_A_LAYER_INDEX]		= { "index", K_U32 },
	[OPTSIM_A_LAYER_STRATEGY]	= { "strategy", K_STRATEGY },
	[OPTSIM_A_LAYER_VELOCITY]	= { "velocity_mms", K_U32 },
	[OPTSIM_A_LAYER_WRITE_POWER]	= { "write_power_uw", K_U32 },
	[OPTSIM_A_LAYER_BIAS_POWER]	= { "bias_power_uw", K_U32 },
	[OPTSIM_A_LAYER_RECORDED_CLUSTERS] = { "recorded_clusters", K_U64 },
	[OPTSIM_A_LAYER_JITTER]		= { "jitter_cpct", K_U32 },
	[OPTSIM_A_LAYER_STEPS]		= { "steps", K_U32 },
	[OPTSIM_A_LAYER_BYTES_WRITTEN]	= { "bytes_written", K_U64 },
	[OPTSIM_A_LAYER_BYTES_READ]	= { "bytes_read", K_U64 },
	[OPTSIM_A_LAYER_CLUSTERS_WRITTEN] = { "clusters_written", K_U64 },
	[OPTSIM_A_LAYER_CLUSTERS_READ]	= { "clusters_read", K_U64 },
	[OPTSIM_A_LAYER_WRITES_REFUSED]	= { "writes_refused", K_U64 },
	[OPTSIM_A_LAYER_WRITE_ONCE_VIOLATIONS] = { "write_once_violations", K_U64 },
	[OPTSIM_A_LAYER_MEDIUM_ERRORS]	= { "medium_errors", K_U64 },
	[OPTSIM_A_LAYER_COMPILES]	= { "compiles", K_U64 },
	[OPTSIM_A_LAYER_STRATEGY_USED]	= { "strategy_used", K_STRATEGY },
	[OPTSIM_A_LAYER_MODE]		= { "mode", K_U32 },
	[OPTSIM_A_LAYER_CURRENT]	= { "current_ua", K_U32 },
	[OPTSIM_A_LAYER_WINDOW_LO]	= { "window_lo", K_U32 },
	[OPTSIM_A_LAYER_WINDOW_HI]	= { "window_hi", K_U32 },
};

static const struct attr_desc track_attrs[OPTSIM_A_TRACK_MAX + 1] = {
	[OPTSIM_A_TRACK_NUMBER]		= { "number", K_U32 },
	[OPTSIM_A_TRACK_SESSION]	= { "session", K_U32 },
	[OPTSIM_A_TRACK_START]		= { "start", K_U64 },
	[OPTSIM_A_TRACK_END]		= { "end", K_U64 },
	[OPTSIM_A_TRACK_NWA]		= { "nwa", K_U64 },
	[OPTSIM_A_TRACK_RESERVED]	= { "reserved", K_U8 },
	[OPTSIM_A_TRACK_CLOSED]		= { "closed", K_U8 },
	[OPTSIM_A_TRACK_DATA_END]	= { "data_end", K_U64 },
};

static const char *const event_names[OPTSIM_CMD_MAX + 1] = {
	[OPTSIM_CMD_DEV_ADD_NTF]	= "dev-add",
	[OPTSIM_CMD_DEV_DEL_NTF]	= "dev-del",
	[OPTSIM_CMD_LOAD_NTF]		= "load",
	[OPTSIM_CMD_EJECT_NTF]		= "eject",
	[OPTSIM_CMD_RECORDED_NTF]	= "recorded",
	[OPTSIM_CMD_WRITE_REFUSED_NTF]	= "write-refused",
	[OPTSIM_CMD_READ_ERROR_NTF]	= "read-error",
	[OPTSIM_CMD_OPC_NTF]		= "opc",
	[OPTSIM_CMD_FINALIZE_NTF]	= "finalize",
	[OPTSIM_CMD_ERASE_NTF]		= "erase",
	[OPTSIM_CMD_PARAMS_NTF]		= "params",
};

static const char *const reason_names[] = {
	[OPTSIM_REASON_RECORDED]	= "recorded",
	[OPTSIM_REASON_FINALIZED]	= "finalized",
	[OPTSIM_REASON_BEYOND_END]	= "beyond-end",
	[OPTSIM_REASON_NO_MEMORY]	= "no-memory",
	[OPTSIM_REASON_READ_ONLY]	= "read-only",
	[OPTSIM_REASON_IMAGE_ERROR]	= "image-error",
};

/* event_name() - "load", "recorded"...; NULL for a command that is not one. */
const char *event_name(uint8_t cmd)
{
	return cmd <= OPTSIM_CMD_MAX ? event_names[cmd] : NULL;
}

/* reason_name() - why a write was refused, as a word. */
const char *reason_name(uint32_t reason)
{
	if (reason < sizeof(reason_names) / sizeof(reason_names[0]) &&
	    reason_names[reason])
		return reason_names[reason];
	return "unknown";
}

/* Print one attribute's value: text or JSON. */
static void print_value(struct json *j, const struct attr_desc *d,
			struct nlattr *a, bool text)
{
	uint64_t v = 0;
	const char *s = NULL;

	switch (d->kind) {
	case K_U8:
		v = nla_get_u8(a);
		break;
	case K_U32:
		v = nla_get_u32(a);
		break;
	case K_U64:
		v = nla_get_u64(a);
		break;
	case K_STR:
		s = nla_get_string(a);
		break;
	case K_MEDIA:
		s = media_name(nla_get_u32(a));
		break;
	case K_STRATEGY:
		s = strategy_name(nla_get_u32(a));
		break;
	case K_REASON:
		s = reason_name(nla_get_u32(a));
		break;
	case K_NEST:
		return;
	}
	if (text) {
		if (s)
			printf(" %s=%s", d->name, s);
		else
			printf(" %s=%" PRIu64, d->name, v);
	} else if (s) {
		json_string(j, d->name, s);
	} else {
		json_u64(j, d->name, v);
	}
}

/* A kind of nest: its attribute, how it prints, what it holds. */
struct nest_desc {
	int type;		/* OPTSIM_A_LAYER, OPTSIM_A_TRACK */
	const char *array;	/* the JSON array of them */
	const char *prefix;	/* text: " L0:", " T1:" */
	int (*parse)(struct nlattr *nest, struct nlattr **tb);
	const struct attr_desc *attrs;
	int max;
	int index;		/* the attribute that numbers it */
};

/* Room for the attributes of any nest. */
#define NEST_MAX_ATTR	OPTSIM_A_LAYER_MAX
_Static_assert(OPTSIM_A_TRACK_MAX <= NEST_MAX_ATTR, "a track fits in NEST_MAX_ATTR");

static const struct nest_desc nests[] = {
	{ OPTSIM_A_LAYER, "layers", "L", nlctx_parse_layer, layer_attrs,
	  OPTSIM_A_LAYER_MAX, OPTSIM_A_LAYER_INDEX },
	{ OPTSIM_A_TRACK, "tracks", "T", nlctx_parse_track, track_attrs,
	  OPTSIM_A_TRACK_MAX, OPTSIM_A_TRACK_NUMBER },
};

/*
 * Every nest of one kind: " L0: k=v..." in text (numbered by its index
 * attribute, which is not repeated), an array of objects in JSON.
 */
static void print_nests(struct json *j, const struct nl_reply *r,
			const struct nest_desc *n)
{
	struct nlattr *ntb[NEST_MAX_ATTR + 1];
	struct nlattr *a;
	int rem, l;

	if (!r->tb[n->type])
		return;
	if (j)
		json_array_begin(j, n->array);
	nla_for_each_attr(a, r->attrs, r->len, rem) {
		if (nla_type(a) != n->type || n->parse(a, ntb) < 0)
			continue;
		if (j)
			json_object_begin(j, NULL);
		else
			printf(" %s%u:", n->prefix, ntb[n->index] ?
			       nla_get_u32(ntb[n->index]) : 0);
		for (l = 1; l <= n->max; l++)
			if (ntb[l] && n->attrs[l].name && (j || l != n->index))
				print_value(j, &n->attrs[l], ntb[l], !j);
		if (j)
			json_object_end(j);
	}
	if (j)
		json_array_end(j);
}

/*
 * print_attrs() - every known attribute of a message, in attribute order;
 * layer nests as " L0: k=v..." in text and a "layers" array in JSON, track
 * nests as " T1: k=v..." and a "tracks" array. @j is NULL for text.
 */
void print_attrs(struct json *j, const struct nl_reply *r)
{
	struct nlattr **tb = r->tb;
	size_t n;
	int i;

	for (i = 1; i <= OPTSIM_A_MAX; i++) {
		if (!tb[i] || !dev_attrs[i].name || dev_attrs[i].kind == K_NEST)
			continue;
		/*
		 * In JSON, a message with layer nests has them as the
		 * "layers" array, whose length is the layer count.
		 */
		if (j && i == OPTSIM_A_LAYERS && tb[OPTSIM_A_LAYER])
			continue;
		print_value(j, &dev_attrs[i], tb[i], !j);
	}
	for (n = 0; n < sizeof(nests) / sizeof(nests[0]); n++)
		print_nests(j, r, &nests[n]);
}
