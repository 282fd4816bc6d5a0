// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl opc - optimum power control: the drive test-writes a ladder of
 * powers in the power calibration area of each layer (never in user data)
 * and sets the power at the centre of the window whose jitter is within the
 * layer's limit, or the lowest jitter (OPTSIM_IOC_OPC); the window is
 * printed too.
 * "burn --opc" runs the same request on every layer before it writes.
 */
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "optsimctl.h"
#include "units.h"

/*
 * opc_run() - calibrate layer @layer_sel (or every layer) of the medium in
 * the drive; exits on failure.
 */
void opc_run(struct optsimctl *ctl, const struct optsim_info *info,
	     uint32_t layer_sel, struct optsim_opc *opc)
{
	dev_need_medium(ctl, info, "opc");
	if (layer_sel != OPTSIM_LAYER_ALL)
		dev_need_layer(ctl, info, layer_sel);
	memset(opc, 0, sizeof(*opc));
	opc->layer = layer_sel;
	dev_ioctl_or_die(ctl, OPTSIM_IOC_OPC, opc, "opc");
}

/*
 * opc_print() - "PREFIX: L0 write power 7.200 mW, jitter 5.20 % after 47
 * test writes; window 6.900-7.500 mW within the jitter limit", or "PREFIX:
 * L0 current 1.982 mA, ..." (a window in mA) for a layer recorded by
 * current pulses
 */
void opc_print(const struct optsim_opc *opc, const char *prefix)
{
	char w[FIXED_BUFSZ], j[FIXED_BUFSZ];
	uint32_t l;

	for (l = 0; l < OPTSIM_MAX_LAYERS; l++) {
		if (!opc->power[l])
			continue;
		if (opc->current_ua[l])
			printf("%s: L%u current %s mA", prefix, l,
			       fmt_fixed(w, sizeof(w), opc->current_ua[l], 3,
					 false));
		else
			printf("%s: L%u write power %s mW", prefix, l,
			       fmt_fixed(w, sizeof(w), opc->power[l], 3,
					 false));
		printf(", jitter %s %% after %u test write%s",
		       fmt_fixed(j, sizeof(j), opc->jitter[l], 2, false),
		       opc->steps[l], opc->steps[l] == 1 ? "" : "s");
		if (opc->window_hi[l])
			printf("; window %s-%s %s within the jitter limit\n",
			       fmt_fixed(w, sizeof(w), opc->window_lo[l], 3,
					 false),
			       fmt_fixed(j, sizeof(j), opc->window_hi[l], 3,
					 false),
			       opc->current_ua[l] ? "mA" : "mW");
		else
			printf("; none within the jitter limit\n");
	}
}

static void opc_json(const struct optsim_opc *opc)
{
	const char *key;
	struct json j;
	uint32_t l;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_array_begin(&j, "layers");
	for (l = 0; l < OPTSIM_MAX_LAYERS; l++) {
		if (!opc->power[l])
			continue;
		json_object_begin(&j, NULL);
		json_u64(&j, "layer", l);
		json_u64(&j, "power_uw", opc->power[l]);
		json_fixed(&j, "power_mw", opc->power[l], 3);
		json_fixed(&j, "jitter_pct", opc->jitter[l], 2);
		json_u64(&j, "steps", opc->steps[l]);
		if (opc->current_ua[l]) {
			json_u64(&j, "current_ua", opc->current_ua[l]);
			json_fixed(&j, "current_ma", opc->current_ua[l], 3);
		}
		/* the window of what OPC searched: powers, or currents */
		key = opc->current_ua[l] ? "window_ma" : "window_mw";
		if (opc->window_hi[l]) {
			json_array_begin(&j, key);
			json_fixed(&j, NULL, opc->window_lo[l], 3);
			json_fixed(&j, NULL, opc->window_hi[l], 3);
			json_array_end(&j);
		} else {
			json_null(&j, key);
		}
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

int cmd_opc(struct optsimctl *ctl, int argc, char **argv)
{
	struct optsim_info info;
	struct optsim_opc opc;
	uint32_t layer;

	layer = cmd_layer_opts(ctl, argc, argv);

	dev_open(ctl, O_RDONLY | O_NONBLOCK);
	dev_get_info(ctl, &info);
	opc_run(ctl, &info, layer, &opc);
	if (ctl->json)
		opc_json(&opc);
	else
		opc_print(&opc, "opc");
	return EXIT_SUCCESS;
}
