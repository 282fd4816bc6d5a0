// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl get/set - the write parameters of each layer: linear velocity,
 * write strategy, write (peak) power and bias power.
 *
 * "set" (and "burn --speed/--strategy") reads the current parameters of
 * each layer it changes, applies the requested fields, checks every
 * resulting layer locally and only then issues OPTSIM_IOC_SET_PARAMS per
 * layer, so that a refused change changes nothing.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>

#include "json.h"
#include "names.h"
#include "nl.h"
#include "optsimctl.h"
#include "units.h"

/* The accepted ranges of the uapi, as messages name them. */
static const char *velocity_range(void)
{
	static char buf[RANGE_BUFSZ];

	return fmt_range(buf, sizeof(buf), OPTSIM_VELOCITY_MIN_MMS,
			 OPTSIM_VELOCITY_MAX_MMS, 3, "m/s");
}

/* Write power from @min: OPTSIM_POWER_MIN_UW, or 0 for the bias power. */
const char *power_range(uint32_t min)
{
	static char buf[RANGE_BUFSZ];

	return fmt_range(buf, sizeof(buf), min, OPTSIM_POWER_MAX_UW, 3, "mW");
}

/* opt_layer() - parse --layer or exit with the validation message. */
uint32_t opt_layer(const char *arg, bool allow_all)
{
	uint32_t layer;

	if (parse_layer(arg, allow_all, &layer))
		errx(EXIT_FAILURE, "invalid layer '%s' (expected 0%s%u%s)",
		     arg, allow_all ? ", " : " or ", OPTSIM_MAX_LAYERS - 1,
		     allow_all ? " or all" : "");
	return layer;
}

static void param_opt_velocity(struct param_change *chg, const char *arg)
{
	uint64_t mms;
	int ret = parse_fixed(arg, 3, &mms);

	if (ret == -EINVAL)
		errx(EXIT_FAILURE,
		     "invalid velocity '%s' (expected m/s with at most 3 decimals, e.g. 4.917)",
		     arg);
	if (ret || mms < OPTSIM_VELOCITY_MIN_MMS ||
	    mms > OPTSIM_VELOCITY_MAX_MMS)
		errx(EXIT_FAILURE, "velocity %s m/s out of range (%s)", arg,
		     velocity_range());
	if (chg->velocity_set && chg->speed_given)
		errx(EXIT_FAILURE, "--velocity and --speed are mutually exclusive");
	chg->velocity_set = true;
	chg->velocity = (uint32_t)mms;
}

static void param_opt_speed(struct param_change *chg, const char *arg)
{
	char buf[FIXED_BUFSZ];
	uint64_t mx, mms;
	int ret = parse_speed(arg, &mx);

	if (ret == -EINVAL)
		errx(EXIT_FAILURE,
		     "invalid speed '%s' (expected a multiple of 1x with at most 3 decimals, e.g. 2 or 1.5)",
		     arg);
	if (ret || speed_to_mms(mx, &mms))
		errx(EXIT_FAILURE, "speed %s out of range (%s)", arg,
		     velocity_range());
	if (mms < OPTSIM_VELOCITY_MIN_MMS || mms > OPTSIM_VELOCITY_MAX_MMS)
		errx(EXIT_FAILURE,
		     "speed %s (%s m/s) out of range (%s)", arg,
		     fmt_fixed(buf, sizeof(buf), mms, 3, false),
		     velocity_range());
	if (chg->velocity_set && !chg->speed_given)
		errx(EXIT_FAILURE, "--velocity and --speed are mutually exclusive");
	chg->velocity_set = true;
	chg->speed_given = true;
	chg->velocity = (uint32_t)mms;
}

static void param_opt_strategy(struct param_change *chg, const char *arg)
{
	if (strategy_from_name(arg, &chg->strategy))
		errx(EXIT_FAILURE, "unknown strategy '%s' (expected %s)", arg,
		     strategy_name_list(", "));
	chg->strategy_set = true;
}

/* opt_mw() - a power in mW (3 decimals) as uW, within 0..50 mW. */
static uint32_t opt_mw(const char *what, const char *arg)
{
	uint64_t uw;
	int ret = parse_fixed(arg, 3, &uw);

	if (ret == -EINVAL)
		errx(EXIT_FAILURE,
		     "invalid %s '%s' (expected mW with at most 3 decimals, e.g. 6.5)",
		     what, arg);
	if (ret || uw > OPTSIM_POWER_MAX_UW)
		errx(EXIT_FAILURE, "%s %s mW out of range (%s)", what, arg,
		     power_range(strcmp(what, "power") ? 0 :
				 OPTSIM_POWER_MIN_UW));
	return (uint32_t)uw;
}

static void param_opt_power(struct param_change *chg, const char *arg)
{
	chg->write_power = opt_mw("power", arg);
	if (chg->write_power < OPTSIM_POWER_MIN_UW)
		errx(EXIT_FAILURE, "power %s mW out of range (%s)", arg,
		     power_range(OPTSIM_POWER_MIN_UW));
	chg->power_set = true;
}

static void param_opt_bias(struct param_change *chg, const char *arg)
{
	chg->bias_power = opt_mw("bias power", arg);
	chg->bias_set = true;
}

static void param_opt_mode(struct param_change *chg, const char *arg)
{
	if (!strcmp(arg, OPTSIM_MODE_NAME_LASER))
		chg->mode = OPTSIM_MODE_LASER;
	else if (!strcmp(arg, OPTSIM_MODE_NAME_CURRENT))
		chg->mode = OPTSIM_MODE_CURRENT;
	else
		errx(EXIT_FAILURE, "unknown recording mode '%s' (expected %s or %s)",
		     arg, OPTSIM_MODE_NAME_LASER, OPTSIM_MODE_NAME_CURRENT);
	chg->mode_set = true;
}

static void param_opt_current(struct param_change *chg, const char *arg)
{
	uint64_t v;
	int ret = parse_fixed(arg, 3, &v);

	if (ret == -EINVAL)
		errx(EXIT_FAILURE,
		     "invalid current '%s' (expected mA with at most 3 decimals, e.g. 2.5)",
		     arg);
	if (ret || v < OPTSIM_CURRENT_MIN_UA || v > OPTSIM_CURRENT_MAX_UA)
		errx(EXIT_FAILURE, "current %s mA out of range (0.01..100 mA)", arg);
	chg->current = (uint32_t)v;
	chg->current_set = true;
}

/*
 * param_opt() - apply one of the write-parameter options (PARAM_SHORTOPTS)
 * to @chg; false when @c is not one of them.
 */
bool param_opt(struct param_change *chg, int c, const char *arg)
{
	static const struct {
		int c;
		void (*apply)(struct param_change *chg, const char *arg);
	} opts[] = {
		{ 'v', param_opt_velocity },
		{ 's', param_opt_speed },
		{ 'S', param_opt_strategy },
		{ 'p', param_opt_power },
		{ 'b', param_opt_bias },
		{ 'M', param_opt_mode },
		{ 'I', param_opt_current },
	};
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		if (opts[i].c == c) {
			opts[i].apply(chg, arg);
			return true;
		}
	}
	return false;
}

bool param_any(const struct param_change *chg)
{
	return chg->velocity_set || chg->strategy_set || chg->power_set ||
	       chg->bias_set || chg->mode_set || chg->current_set;
}

/* param_check() - the checks that need no device: bias above write power. */
void param_check(const struct param_change *chg)
{
	char b[FIXED_BUFSZ], w[FIXED_BUFSZ];

	if (chg->power_set && chg->bias_set &&
	    chg->bias_power > chg->write_power)
		errx(EXIT_FAILURE, "bias power %s mW exceeds write power %s mW",
		     fmt_fixed(b, sizeof(b), chg->bias_power, 3, false),
		     fmt_fixed(w, sizeof(w), chg->write_power, 3, false));
	if (chg->current_set && (!chg->mode_set ||
				 chg->mode != OPTSIM_MODE_CURRENT))
		errx(EXIT_FAILURE, "--current needs --mode current");
}

/* Local copy of the driver's SET_PARAMS checks, for one layer. */
static void params_validate(const struct optsimctl *ctl,
			    const struct optsim_params *p)
{
	char a[FIXED_BUFSZ], b[FIXED_BUFSZ];

	if (p->velocity < OPTSIM_VELOCITY_MIN_MMS ||
	    p->velocity > OPTSIM_VELOCITY_MAX_MMS)
		errx(EXIT_FAILURE, "%s: layer %u: velocity %s m/s out of range (%s)",
		     ctl->devname, p->layer,
		     fmt_fixed(a, sizeof(a), p->velocity, 3, false),
		     velocity_range());
	if (p->strategy > OPTSIM_STRATEGY_CASTLE)
		errx(EXIT_FAILURE, "%s: layer %u: unknown strategy %u",
		     ctl->devname, p->layer, p->strategy);
	if (p->write_power < OPTSIM_POWER_MIN_UW ||
	    p->write_power > OPTSIM_POWER_MAX_UW)
		errx(EXIT_FAILURE, "%s: layer %u: write power %s mW out of range (%s)",
		     ctl->devname, p->layer,
		     fmt_fixed(a, sizeof(a), p->write_power, 3, false),
		     power_range(OPTSIM_POWER_MIN_UW));
	if (p->bias_power > p->write_power)
		errx(EXIT_FAILURE,
		     "%s: layer %u: bias power %s mW would exceed write power %s mW",
		     ctl->devname, p->layer,
		     fmt_fixed(a, sizeof(a), p->bias_power, 3, false),
		     fmt_fixed(b, sizeof(b), p->write_power, 3, false));
}

static void params_read(struct optsimctl *ctl, uint32_t layer,
			struct optsim_params *p)
{
	memset(p, 0, sizeof(*p));
	p->layer = layer;
	dev_ioctl_or_die(ctl, OPTSIM_IOC_GET_PARAMS, p, "get params");
}

/*
 * params_apply() - change @chg on layer @layer_sel (or every layer), all
 * or nothing: on a failed SET_PARAMS the layers already changed are set
 * back to what they were.
 */
void params_apply(struct optsimctl *ctl, const struct optsim_info *info,
		  uint32_t layer_sel, const struct param_change *chg)
{
	struct optsim_params old[OPTSIM_MAX_LAYERS], new[OPTSIM_MAX_LAYERS];
	uint32_t first, n, i;
	int ret;

	dev_need_medium(ctl, info, "set params");
	if (layer_sel == OPTSIM_LAYER_ALL) {
		first = 0;
		n = info->layers < OPTSIM_MAX_LAYERS ? info->layers :
						       OPTSIM_MAX_LAYERS;
	} else {
		dev_need_layer(ctl, info, layer_sel);
		first = layer_sel;
		n = 1;
	}

	for (i = 0; i < n; i++) {
		params_read(ctl, first + i, &old[i]);
		new[i] = old[i];
		if (chg->velocity_set)
			new[i].velocity = chg->velocity;
		if (chg->strategy_set)
			new[i].strategy = chg->strategy;
		if (chg->power_set)
			new[i].write_power = chg->write_power;
		if (chg->bias_set)
			new[i].bias_power = chg->bias_power;
		if (chg->mode_set) {
			new[i].mode = chg->mode;
			new[i].current_ua = chg->current;
		}
		new[i].reserved1 = 0;
		new[i].reserved = 0;
		params_validate(ctl, &new[i]);
	}

	for (i = 0; i < n; i++) {
		ret = dev_ioctl(ctl, OPTSIM_IOC_SET_PARAMS, &new[i]);
		if (!ret)
			continue;
		while (i--) {
			old[i].reserved1 = 0;
			old[i].reserved = 0;
			if (dev_ioctl(ctl, OPTSIM_IOC_SET_PARAMS, &old[i]))
				warnx("%s: could not restore the parameters of layer %u",
				      ctl->devname, old[i].layer);
		}
		dev_die(ctl, -ret, "set params", NULL);
	}
}

/* Per layer, the strategy the drive writes with, or NO_STRATEGY. */
#define NO_STRATEGY	UINT32_MAX

static int used_one(const struct nl_reply *r, void *arg)
{
	struct nlattr *ltb[OPTSIM_A_LAYER_MAX + 1];
	uint32_t *used = arg, layer;
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, r->attrs, r->len, rem) {
		if (nla_type(a) != OPTSIM_A_LAYER || nlctx_parse_layer(a, ltb) ||
		    !ltb[OPTSIM_A_LAYER_INDEX] ||
		    !ltb[OPTSIM_A_LAYER_STRATEGY_USED])
			continue;
		layer = nla_get_u32(ltb[OPTSIM_A_LAYER_INDEX]);
		if (layer < OPTSIM_MAX_LAYERS)
			used[layer] = nla_get_u32(ltb[OPTSIM_A_LAYER_STRATEGY_USED]);
	}
	return 0;
}

/*
 * strategies_used() - ask the driver (params-get) which strategy each
 * layer is written with: auto as the driver resolved it. Layers it does
 * not say (no netlink family, or an older driver) stay NO_STRATEGY.
 */
static void strategies_used(struct optsimctl *ctl,
			    uint32_t used[OPTSIM_MAX_LAYERS])
{
	struct nl_msg *msg;
	struct nlctx nl;
	uint32_t i;

	for (i = 0; i < OPTSIM_MAX_LAYERS; i++)
		used[i] = NO_STRATEGY;
	if (nlctx_try_open(&nl))
		return;
	msg = nlctx_msg(&nl, OPTSIM_CMD_PARAMS_GET, false);
	if (nla_put_u32(msg, OPTSIM_A_DEV_INDEX, dev_index(ctl)))
		errx(EXIT_FAILURE, "out of memory");
	nlctx_request(&nl, msg, used_one, used);
	nlctx_close(&nl);
}

static void get_json(const struct optsim_params *p, const uint32_t *used,
		     uint32_t n)
{
	struct json j;
	uint32_t i;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_array_begin(&j, "layers");
	for (i = 0; i < n; i++) {
		json_object_begin(&j, NULL);
		json_u64(&j, "layer", p[i].layer);
		json_u64(&j, "velocity_mms", p[i].velocity);
		json_fixed(&j, "velocity_ms", p[i].velocity, 3);
		json_fixed(&j, "speed_x", mms_to_milli_x(p[i].velocity), 3);
		json_string(&j, "strategy", strategy_name(p[i].strategy));
		if (used[p[i].layer] != NO_STRATEGY)
			json_string(&j, "strategy_used",
				    strategy_name(used[p[i].layer]));
		json_u64(&j, "write_power_uw", p[i].write_power);
		json_u64(&j, "bias_power_uw", p[i].bias_power);
		json_string(&j, "mode", p[i].mode == OPTSIM_MODE_CURRENT ?
			    OPTSIM_MODE_NAME_CURRENT : OPTSIM_MODE_NAME_LASER);
		json_u64(&j, "current_ua", p[i].current_ua);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

static void get_human(const struct optsim_params *p, const uint32_t *used,
		      uint32_t n)
{
	char v[FIXED_BUFSZ], x[FIXED_BUFSZ], w[FIXED_BUFSZ], b[FIXED_BUFSZ];
	char s[32];
	uint32_t i;

	printf("%-6s %-12s %-8s %-13s %-13s %s\n", "LAYER", "VELOCITY", "SPEED",
	       "STRATEGY", "WRITE POWER", "BIAS POWER");
	for (i = 0; i < n; i++) {
		uint32_t u = used[p[i].layer];

		fmt_fixed(v, sizeof(v), p[i].velocity, 3, false);
		fmt_fixed(x, sizeof(x), mms_to_milli_x(p[i].velocity), 3, true);
		fmt_fixed(w, sizeof(w), p[i].write_power, 3, false);
		fmt_fixed(b, sizeof(b), p[i].bias_power, 3, false);
		strcat(v, " m/s");
		strcat(x, "x");
		strcat(w, " mW");
		strcat(b, " mW");
		if (u != NO_STRATEGY && u != p[i].strategy)
			snprintf(s, sizeof(s), "%s (%s)",
				 strategy_name(p[i].strategy),
				 strategy_name(u));
		else
			snprintf(s, sizeof(s), "%s", strategy_name(p[i].strategy));
		printf("L%-5u %-12s %-8s %-13s %-13s %s\n", p[i].layer, v, x, s,
		       w, b);
		if (p[i].mode != OPTSIM_MODE_CURRENT)
			continue;
		if (p[i].current_ua)
			printf("       recorded by current pulses of %s mA\n",
			       fmt_fixed(w, sizeof(w), p[i].current_ua, 3, false));
		else
			printf("       recorded by current pulses at the optimum current\n");
	}
}

int cmd_get(struct optsimctl *ctl, int argc, char **argv)
{
	struct optsim_params p[OPTSIM_MAX_LAYERS];
	uint32_t used[OPTSIM_MAX_LAYERS];
	struct optsim_info info;
	uint32_t layer, first, n, i;

	layer = cmd_layer_opts(ctl, argc, argv);

	dev_open(ctl, O_RDONLY | O_NONBLOCK);
	dev_get_info(ctl, &info);
	dev_need_medium(ctl, &info, "get params");
	dev_layer_range(ctl, &info, layer, &first, &n);
	for (i = 0; i < n; i++)
		params_read(ctl, first + i, &p[i]);
	strategies_used(ctl, used);

	if (ctl->json)
		get_json(p, used, n);
	else
		get_human(p, used, n);
	return EXIT_SUCCESS;
}

int cmd_set(struct optsimctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "layer", required_argument, NULL, 'l' },
		PARAM_LONGOPTS,
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct param_change chg = { 0 };
	struct optsim_info info;
	uint32_t layer = OPTSIM_LAYER_ALL;
	int c;

	while ((c = getopt_long(argc, argv, "l:" PARAM_SHORTOPTS
				COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (c == 'l')
			layer = opt_layer(optarg, true);
		else if (!param_opt(&chg, c, optarg))
			cmd_common_opt(ctl, c, optarg);
	}
	cmd_no_args(ctl, argc, argv);
	if (!param_any(&chg)) {
		warnx("set: nothing to change (give --velocity, --speed, --strategy, --power or --bias-power)");
		cmd_try_help(ctl);
	}
	param_check(&chg);

	dev_open(ctl, O_RDONLY | O_NONBLOCK);
	dev_get_info(ctl, &info);
	params_apply(ctl, &info, layer, &chg);
	return EXIT_SUCCESS;
}
