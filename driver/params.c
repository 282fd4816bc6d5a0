// SPDX-License-Identifier: GPL-2.0
/*
 * Write parameters: linear velocity, pulse strategy and laser powers of each
 * layer. Every interface that sets them (ioctl now, netlink later) goes
 * through the same validation, and applies only what it validated.
 *
 * Until the recording model is built in, the parameters are stored and
 * reported but do not change what a write records.
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
 * optsim_params_apply() - store validated write parameters
 * @m: the medium
 * @p: parameters that optsim_params_validate() accepted for @m
 */
void optsim_params_apply(struct optsim_medium *m, const struct optsim_params *p)
{
	u32 layer;

	for (layer = 0; layer < m->geo.layers; layer++) {
		if (p->layer != OPTSIM_LAYER_ALL && p->layer != layer)
			continue;
		m->params[layer] = *p;
		m->params[layer].layer = layer;
	}
}
