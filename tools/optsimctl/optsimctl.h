/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optsimctl - control the optsim emulated Blu-ray drive.
 *
 * The control struct shared by every command, the command table entry and
 * the device helpers (device.c). Pure helpers live in units.h, names.h and
 * json.h so that they can be unit tested without a device.
 */
#ifndef OPTSIMCTL_H
#define OPTSIMCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <getopt.h>
#include <sys/types.h>
#include <linux/optsim.h>

#define OPTSIMCTL_DEFAULT_DEVICE	"/dev/optsim"

/* Bytes in one ECC cluster, the unit the drive records. */
#define OPTSIM_CLUSTER_BYTES	(OPTSIM_CLUSTER_SECTORS * OPTSIM_SECTOR_SIZE)

/* State shared by main() and every command handler. */
struct optsimctl {
	const char *devname;		/* -d DEV, as a path */
	bool devname_set;		/* -d was given */
	int fd;				/* -1 until dev_open() */
	bool json;			/* --json, for commands that print state */
	const struct command *cmd;	/* the command being run */
	char *prog;			/* "optsimctl CMD", argv[0] for getopt */
};

struct command {
	const char *name;
	int (*handler)(struct optsimctl *ctl, int argc, char **argv);
	const char *help;		/* one line, for usage() */
	const char *synopsis;		/* arguments after the command name */
	const char *options;		/* option lines for "COMMAND --help" */
};

/* main.c */
void cmd_usage(const struct optsimctl *ctl) __attribute__((noreturn));
void cmd_try_help(const struct optsimctl *ctl) __attribute__((noreturn));
void cmd_common_opt(struct optsimctl *ctl, int c, const char *arg);
void cmd_no_args(const struct optsimctl *ctl, int argc, char **argv);
void cmd_json_opts(struct optsimctl *ctl, int argc, char **argv);
uint32_t cmd_layer_opts(struct optsimctl *ctl, int argc, char **argv);

/* Options every command takes: -d DEV and -h. */
#define COMMON_SHORTOPTS	"d:h"
#define COMMON_LONGOPTS \
	{ "device", required_argument, NULL, 'd' }, \
	{ "help", no_argument, NULL, 'h' }

/* device.c */
const char *dev_path(const char *arg);
uint32_t dev_index(const struct optsimctl *ctl);
bool dev_try_index(const struct optsimctl *ctl, uint32_t *index, dev_t *rdev);
void dev_open(struct optsimctl *ctl, int flags);
void dev_close(struct optsimctl *ctl);
void dev_die(const struct optsimctl *ctl, int errnum, const char *what,
	     const char *hint) __attribute__((noreturn));
const char *dev_errno_hint(int errnum, const char *what);
int dev_ioctl(struct optsimctl *ctl, unsigned long req, void *arg);
void dev_ioctl_or_die(struct optsimctl *ctl, unsigned long req, void *arg,
		      const char *what);
void dev_get_info(struct optsimctl *ctl, struct optsim_info *info);
void dev_need_medium(const struct optsimctl *ctl,
		     const struct optsim_info *info, const char *what);
void dev_need_layer(const struct optsimctl *ctl,
		    const struct optsim_info *info, uint32_t layer);
void dev_layer_range(const struct optsimctl *ctl,
		     const struct optsim_info *info, uint32_t layer,
		     uint32_t *first, uint32_t *n);

/* params.c: the write-parameter change shared by "set" and "burn". */
struct param_change {
	bool velocity_set;
	bool speed_given;		/* velocity came from --speed */
	bool strategy_set;
	bool power_set;
	bool bias_set;
	bool mode_set;
	bool current_set;
	uint32_t velocity;		/* mm/s */
	uint32_t strategy;		/* enum optsim_strategy */
	uint32_t write_power;		/* uW */
	uint32_t bias_power;		/* uW */
	uint32_t mode;			/* enum optsim_rec_mode */
	uint32_t current;		/* uA, 0: the model's optimum */
};

/* The write-parameter options of "set" and "simulate" ("burn": -s, -S). */
#define PARAM_SHORTOPTS	"v:s:S:p:b:M:I:"
#define PARAM_LONGOPTS \
	{ "velocity", required_argument, NULL, 'v' }, \
	{ "speed", required_argument, NULL, 's' }, \
	{ "strategy", required_argument, NULL, 'S' }, \
	{ "power", required_argument, NULL, 'p' }, \
	{ "bias-power", required_argument, NULL, 'b' }, \
	{ "mode", required_argument, NULL, 'M' }, \
	{ "current", required_argument, NULL, 'I' }

bool param_opt(struct param_change *chg, int c, const char *arg);
void param_check(const struct param_change *chg);
bool param_any(const struct param_change *chg);
void params_apply(struct optsimctl *ctl, const struct optsim_info *info,
		  uint32_t layer_sel, const struct param_change *chg);
uint32_t opt_layer(const char *arg, bool allow_all);
const char *power_range(uint32_t min);

/* opc.c: optimum power control, shared by "opc" and "burn --opc". */
void opc_run(struct optsimctl *ctl, const struct optsim_info *info,
	     uint32_t layer_sel, struct optsim_opc *opc);
void opc_print(const struct optsim_opc *opc, const char *prefix);

/*
 * The spec limits of a layer (jitter, SER, LDC and BIS, with their sources)
 * come from the model's table, driver/model/limits.c: spec_limits() in
 * scan.c.
 */

/* simulate.c: the ranges of its own options (the model checks the optics). */
#define WAVELENGTH_MIN_NM	300
#define WAVELENGTH_MAX_NM	1000
#define NA_MIN_MILLI		100
#define NA_MAX_MILLI		2000
#define SWEEP_MAX_POINTS	1000
/* The recording film thicknesses the model accepts, "LO to HI". */
void sim_thickness_range(char *buf, size_t len);
/* The cover errors ("-LO to HI", um) or gaps ("0 to HI", nm) accepted. */
void sim_cover_ranges(char *buf, size_t len, bool gap);
void sim_groove_depth_range(char *buf, size_t len);

/* command handlers */
int cmd_info(struct optsimctl *ctl, int argc, char **argv);
int cmd_get(struct optsimctl *ctl, int argc, char **argv);
int cmd_set(struct optsimctl *ctl, int argc, char **argv);
int cmd_load(struct optsimctl *ctl, int argc, char **argv);
int cmd_eject(struct optsimctl *ctl, int argc, char **argv);
int cmd_finalize(struct optsimctl *ctl, int argc, char **argv);
int cmd_erase(struct optsimctl *ctl, int argc, char **argv);
int cmd_burn(struct optsimctl *ctl, int argc, char **argv);
int cmd_opc(struct optsimctl *ctl, int argc, char **argv);
int cmd_scan(struct optsimctl *ctl, int argc, char **argv);
int cmd_simulate(struct optsimctl *ctl, int argc, char **argv);
int cmd_list(struct optsimctl *ctl, int argc, char **argv);
int cmd_monitor(struct optsimctl *ctl, int argc, char **argv);
int cmd_stats(struct optsimctl *ctl, int argc, char **argv);
int cmd_create(struct optsimctl *ctl, int argc, char **argv);
int cmd_remove(struct optsimctl *ctl, int argc, char **argv);
int cmd_image(struct optsimctl *ctl, int argc, char **argv);
int cmd_save(struct optsimctl *ctl, int argc, char **argv);

#endif /* OPTSIMCTL_H */
