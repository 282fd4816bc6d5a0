// SPDX-License-Identifier: GPL-2.0
/*
 * Write parameters: linear velocity, pulse strategy and laser powers of each
 * layer, or its recording by current pulses (OPTSIM_MODE_CURRENT). Both
 * interfaces that set them, the ioctl and netlink, go through
 * optsim_dev_set_params() and the same validation, and apply only what was
 * validated.
 *
 * Setting them compiles the recording model for each layer they address
 * (recorder.c); from then on, writes to the layer record as the model says.
 */
#include "optsim.h"

/* Refuse with -EINVAL, saying why. */
static int optsim_params_refuse(const char **why, const char *msg)
{
	*why = msg;
	return -EINVAL;
}

/**
 * optsim_params_validate() - check a set of write parameters
 * @m: the medium they are for
 * @p: the parameters; @p->layer may be OPTSIM_LAYER_ALL
 * @why: set to a message saying what is wrong when they are refused
 *
 * Return: 0 when @p can be applied to @m, -EINVAL otherwise.
 */
int optsim_params_validate(const struct optsim_medium *m,
			   const struct optsim_params *p, const char **why)
{
	if (p->reserved1 || p->reserved)
		return optsim_params_refuse(why, "reserved fields must be zero");
	if (p->layer != OPTSIM_LAYER_ALL && p->layer >= m->geo.layers)
		return optsim_params_refuse(why, "the medium has no such layer");
	if (p->strategy > OPTSIM_STRATEGY_CASTLE)
		return optsim_params_refuse(why, "unknown pulse strategy");
	if (p->velocity < OPTSIM_VELOCITY_MIN_MMS ||
	    p->velocity > OPTSIM_VELOCITY_MAX_MMS)
		return optsim_params_refuse(why, "velocity out of range ("
					    __stringify(OPTSIM_VELOCITY_MIN_MMS) " to "
					    __stringify(OPTSIM_VELOCITY_MAX_MMS) " mm/s)");
	if (p->write_power < OPTSIM_POWER_MIN_UW ||
	    p->write_power > OPTSIM_POWER_MAX_UW)
		return optsim_params_refuse(why, "write power out of range ("
					    __stringify(OPTSIM_POWER_MIN_UW) " to "
					    __stringify(OPTSIM_POWER_MAX_UW) " uW)");
	if (p->bias_power > p->write_power)
		return optsim_params_refuse(why, "bias power above the write power");
	if (p->mode > OPTSIM_MODE_CURRENT)
		return optsim_params_refuse(why, "unknown recording mode");
	if (p->mode == OPTSIM_MODE_LASER && p->current_ua)
		return optsim_params_refuse(why, "a current needs the current mode");
	if (p->mode == OPTSIM_MODE_CURRENT && !m->stack.rewritable)
		return optsim_params_refuse(why,
					    "current recording needs rewritable media");
	if (p->current_ua && (p->current_ua < OPTSIM_CURRENT_MIN_UA ||
			      p->current_ua > OPTSIM_CURRENT_MAX_UA))
		return optsim_params_refuse(why, "current out of range ("
					    __stringify(OPTSIM_CURRENT_MIN_UA) " to "
					    __stringify(OPTSIM_CURRENT_MAX_UA) " uA)");
	return 0;
}

/**
 * optsim_params_snapshot() - a copy of a medium's write parameters, with
 *	the strategy each layer is written with
 * @m: the medium, or NULL; the caller holds the device's lock
 * @p: set to each layer's parameters
 * @used: set to each layer's strategy with auto resolved, as the recording
 *	model resolves it when it compiles the layer's table (enum
 *	optsim_strategy, never OPTSIM_STRATEGY_AUTO)
 *
 * Return: the medium's layers (those of @p and @used that are set), 0
 * without a medium.
 */
u32 optsim_params_snapshot(const struct optsim_medium *m,
			   struct optsim_params p[OPTSIM_MAX_LAYERS],
			   u32 used[OPTSIM_MAX_LAYERS])
{
	u32 layer;

	if (!m)
		return 0;
	memcpy(p, m->params, OPTSIM_MAX_LAYERS * sizeof(*p));
	for (layer = 0; layer < m->geo.layers; layer++)
		used[layer] = osm_strategy_resolve(&m->stack, layer,
						   p[layer].strategy,
						   p[layer].velocity);
	return m->geo.layers;
}

/**
 * optsim_params_prepare() - validate write parameters and compile the model
 *	for every layer they address
 * @m: the medium; its parameters must not change meanwhile (the caller
 *	holds the device's model_lock)
 * @p: per layer, the parameters; only the layers in @layers are looked at
 * @layers: bit mask of the layers to set, or OPTSIM_LAYERS_ALL
 * @tabs: per layer, set to the compiled table, or NULL for layers not
 *	addressed; all NULL on failure
 * @why: set to a message saying what is wrong on failure
 *
 * Changes nothing; may take tens of milliseconds per layer and sleep.
 *
 * Return: 0, -EINVAL (out of range, or refused by the model) or -ENOMEM.
 */
int optsim_params_prepare(const struct optsim_medium *m,
			  const struct optsim_params p[OPTSIM_MAX_LAYERS],
			  u32 layers, struct optsim_table *tabs[OPTSIM_MAX_LAYERS],
			  const char **why)
{
	u32 layer;
	int ret;

	memset(tabs, 0, OPTSIM_MAX_LAYERS * sizeof(*tabs));
	if (layers == OPTSIM_LAYERS_ALL)
		layers = GENMASK(m->geo.layers - 1, 0);
	if (!layers || layers >> m->geo.layers)
		return optsim_params_refuse(why, "the medium has no such layer");
	for (layer = 0; layer < m->geo.layers; layer++) {
		if (!(layers & BIT(layer)))
			continue;
		ret = optsim_params_validate(m, &p[layer], why);
		if (ret)
			return ret;
	}
	for (layer = 0; layer < m->geo.layers; layer++) {
		if (!(layers & BIT(layer)))
			continue;
		tabs[layer] = optsim_table_get(m, &p[layer], layer,
					       optsim_recorder_tune(m, &p[layer],
								    layer));
		if (IS_ERR(tabs[layer])) {
			ret = PTR_ERR(tabs[layer]);
			*why = ret == -EINVAL ?
				"the recording model refuses these parameters" :
				"out of memory compiling the recording model";
			tabs[layer] = NULL;
			optsim_params_abort(tabs);
			return ret;
		}
	}
	return 0;
}

/**
 * optsim_params_abort() - drop the tables optsim_params_prepare() made
 * @tabs: per layer, a table or NULL; all NULL afterwards
 */
void optsim_params_abort(struct optsim_table *tabs[OPTSIM_MAX_LAYERS])
{
	u32 layer;

	for (layer = 0; layer < OPTSIM_MAX_LAYERS; layer++) {
		optsim_table_put(tabs[layer]);
		tabs[layer] = NULL;
	}
}

/**
 * optsim_params_commit() - apply prepared parameters to one layer
 * @m: the medium
 * @layer: the layer
 * @p: its new parameters
 * @tab: the table optsim_params_prepare() compiled for them; the medium
 *	takes over the reference
 *
 * Publishes the table to the write path (optsim_recorder_set_table()) and
 * stores the parameters. Cannot fail. The caller holds the device's lock.
 */
void optsim_params_commit(struct optsim_medium *m, u32 layer,
			  const struct optsim_params *p,
			  struct optsim_table *tab)
{
	optsim_recorder_set_table(m, layer, tab);
	m->params[layer] = *p;
	m->params[layer].layer = layer;
}
