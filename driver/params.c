// SPDX-License-Identifier: GPL-2.0
/*
 * Write parameters: linear velocity, pulse strategy and laser powers of each
 * layer. Every interface that sets them (ioctl now, netlink later) goes
 * through the same validation, and applies only what it validated.
 *
 * Setting them compiles the recording model for each layer they address
 * (recorder.c); from then on, writes to the layer record as the model says.
 */
#include "optsim.h"

/**
 * optsim_params_validate() - check a set of write parameters
 * @m: the medium they are for
 * @p: the parameters; @p->layer may be OPTSIM_LAYER_ALL
 *
 * Return: 0 when @p can be applied to @m, -EINVAL otherwise.
 */
int optsim_params_validate(const struct optsim_medium *m,
			   const struct optsim_params *p)
{
	if (p->reserved0 || p->reserved[0] || p->reserved[1])
		return -EINVAL;
	if (p->layer != OPTSIM_LAYER_ALL && p->layer >= m->geo.layers)
		return -EINVAL;
	if (p->strategy > OPTSIM_STRATEGY_CASTLE)
		return -EINVAL;
	if (p->velocity < OPTSIM_VELOCITY_MIN_MMS ||
	    p->velocity > OPTSIM_VELOCITY_MAX_MMS)
		return -EINVAL;
	if (p->write_power < OPTSIM_POWER_MIN_UW ||
	    p->write_power > OPTSIM_POWER_MAX_UW)
		return -EINVAL;
	if (p->bias_power > p->write_power)
		return -EINVAL;
	return 0;
}

/**
 * optsim_params_set() - validate, compile and apply write parameters
 * @m: the medium
 * @p: the parameters; @p->layer may be OPTSIM_LAYER_ALL
 *
 * Compiles the recording model for every layer addressed before it changes
 * anything, so a setting the model refuses changes nothing either. The
 * caller holds the device's lock.
 *
 * Return: 0, -EINVAL (out of range, or refused by the model) or -ENOMEM.
 */
int optsim_params_set(struct optsim_medium *m, const struct optsim_params *p)
{
	struct optsim_table *tabs[OPTSIM_MAX_LAYERS] = {};
	u32 layer;
	int ret;

	ret = optsim_params_validate(m, p);
	if (ret)
		return ret;
	for (layer = 0; layer < m->geo.layers; layer++) {
		if (p->layer != OPTSIM_LAYER_ALL && p->layer != layer)
			continue;
		tabs[layer] = optsim_table_get(m, p, layer);
		if (IS_ERR(tabs[layer])) {
			ret = PTR_ERR(tabs[layer]);
			tabs[layer] = NULL;
			goto out_put;
		}
	}

	optsim_recorder_publish(m, tabs);
	for (layer = 0; layer < m->geo.layers; layer++) {
		if (!tabs[layer])
			continue;
		m->params[layer] = *p;
		m->params[layer].layer = layer;
	}
	return 0;

out_put:
	for (layer = 0; layer < m->geo.layers; layer++)
		optsim_table_put(tabs[layer]);
	return ret;
}
