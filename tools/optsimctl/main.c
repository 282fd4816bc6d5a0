// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl - control the optsim emulated Blu-ray drive.
 *
 * main(): global options, the command table, usage() generated from it,
 * and the helpers every command uses for its own getopt_long() loop.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "names.h"
#include "optsimctl.h"
#include "units.h"

#ifndef OPTSIMCTL_VERSION
#define OPTSIMCTL_VERSION "unknown"
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const struct command commands[] = {
	{
		"info", cmd_info,
		"show the medium, its recorded state and memory use",
		"[--json]",
		"  -j, --json            print one JSON object\n",
	},
	{
		"get", cmd_get,
		"show the write parameters of each layer",
		"[--layer N] [--json]",
		"  -l, --layer N         show layer N only (default: all layers)\n"
		"  -j, --json            print one JSON object\n",
	},
	{
		"set", cmd_set,
		"change the write parameters of a layer or of all layers",
		"[--layer N|all] [--velocity M/S | --speed NX] [--strategy S]\n"
		"       [--power MW] [--bias-power MW] [--mode M [--current MA]]",
		"  -l, --layer N|all     layer to change (default: all)\n"
		"  -v, --velocity M/S    linear velocity in m/s, {velocity}\n"
		"  -s, --speed NX        velocity in multiples of 1x ({1x} m/s),\n"
		"                        e.g. 2 or 1.5; not with --velocity\n"
		"  -S, --strategy S      {strategies}\n"
		"  -p, --power MW        write (peak) power in mW, {power}\n"
		"  -b, --bias-power MW   bias power in mW, 0 to the write power\n"
		"  -M, --mode M          laser, or current: marks heated by\n"
		"                        current pulses (rewritable media)\n"
		"  -I, --current MA      with --mode current: the amorphizing\n"
		"                        pulse in mA, {current} (default: the\n"
		"                        model's optimum)\n",
	},
	{
		"load", cmd_load,
		"insert a new blank medium, or the medium of an image file",
		"--media TYPE [--layer-sectors N]\n"
		"       | --image FILE [--create --media TYPE [--layer-sectors N]]",
		"  -m, --media TYPE      {media}\n"
		"  -n, --layer-sectors N {sector}-byte sectors per layer, a multiple\n"
		"                        of {cluster} from {layer-sectors}\n"
		"                        (default: the module's layer_sectors)\n"
		"  -i, --image FILE      load the medium the image FILE holds; it\n"
		"                        stays in the file (read-only when the\n"
		"                        file cannot be written)\n"
		"  -c, --create          with --image: create FILE first, a blank\n"
		"                        sparse image of --media\n",
	},
	{
		"eject", cmd_eject,
		"remove the medium",
		"",
		"",
	},
	{
		"finalize", cmd_finalize,
		"close a write-once medium against further writes",
		"",
		"",
	},
	{
		"erase", cmd_erase,
		"blank a rewritable medium",
		"[--quick]",
		"  -q, --quick           forget the contents only (no overwrite\n"
		"                        cycle, full erase count unchanged)\n",
	},
	{
		"burn", cmd_burn,
		"write an image to the medium and verify it",
		"IMAGE [--layer N] [--speed NX] [--strategy S] [--opc]\n"
		"       [--finalize] [--no-verify]",
		"  -l, --layer N         start at the first sector of layer N\n"
		"                        (default: the next writable address on\n"
		"                        write-once media, 0 on rewritable media)\n"
		"  -s, --speed NX        set the velocity of all layers first\n"
		"  -S, --strategy S      set the strategy of all layers first\n"
		"  -o, --opc             calibrate the write power of all layers\n"
		"                        (after --speed/--strategy) before writing\n"
		"  -f, --finalize        finalize a write-once medium afterwards\n"
		"  -N, --no-verify       do not read the data back and compare\n",
	},
	{
		"opc", cmd_opc,
		"calibrate the write power (optimum power control)",
		"[--layer N|all] [--json]",
		"  -l, --layer N|all     layer to calibrate (default: all)\n"
		"  -j, --json            print one JSON object\n",
	},
	{
		"scan", cmd_scan,
		"summarize the recording quality of each layer",
		"[--layer N] [--json] [--svg FILE] [--csv FILE]",
		"  -l, --layer N         scan layer N only (default: all layers)\n"
		"  -j, --json            print one JSON object\n"
		"  -g, --svg FILE        draw LDC, BIS and jitter against the\n"
		"                        position on the disc as SVG (at most\n"
		"                        ~1500 bars, each the maximum of its\n"
		"                        clusters); - for standard output\n"
		"  -C, --csv FILE        write every cluster's record as CSV,\n"
		"                        one row per cluster after a header;\n"
		"                        - for standard output\n",
	},
	{
		"simulate", cmd_simulate,
		"run the recording model without a device",
		"--media TYPE [--layer N] [--velocity M/S | --speed NX]\n"
		"       [--strategy S] [--power MW] [--bias-power MW]\n"
		"       [--wavelength NM] [--na X] [--layer-thickness NM]\n"
		"       [--cover-error UM] [--gap NM] [--groove-depth NM]\n"
		"       [--mode M [--current MA]] [--cycles N] [--json]\n"
		"       [--sweep power:FROM:TO:STEP] [--svg FILE]",
		"  -m, --media TYPE      {media-list}, or a model\n"
		"                        preset: bd-re-dl-unbalanced, bd-r-nf\n"
		"  -l, --layer N         layer 0 or 1 (default: 0)\n"
		"  -v, --velocity M/S    linear velocity in m/s, {velocity}\n"
		"                        (default: 1x, {1x} m/s)\n"
		"  -s, --speed NX        velocity in multiples of 1x; not with\n"
		"                        --velocity\n"
		"  -S, --strategy S      {strategies} (default)\n"
		"  -p, --power MW        write power in mW, {power} (default:\n"
		"                        the optimum that OPC chooses)\n"
		"  -b, --bias-power MW   bias power in mW (default: the medium's)\n"
		"  -w, --wavelength NM   laser wavelength, {wavelength} nm (405)\n"
		"  -a, --na X            numerical aperture, {na} (0.85);\n"
		"                        above 1 only with --media bd-r-nf\n"
		"  -T, --layer-thickness NM\n"
		"                        the layer's recording film, {thickness}\n"
		"                        nm (default: the preset's); its optics\n"
		"                        follow (thin-film calculation)\n"
		"  -E, --cover-error UM  cover (or film) thickness error against\n"
		"                        the objective's correction, {cover-err}\n"
		"                        um: spherical aberration widens the spot\n"
		"  -G, --gap NM          near-field air gap, {gap} nm (NA above 1\n"
		"                        only; default 0, in contact)\n"
		"  -D, --groove-depth NM step between land and groove, {groove}\n"
		"                        nm (land/groove media only, bd-r-nf)\n"
		"  -M, --mode M          laser, or current: current pulses\n"
		"                        (rewritable media)\n"
		"  -I, --current MA      with --mode current: the amorphizing\n"
		"                        pulse in mA, {current} (default: the\n"
		"                        optimum)\n"
		"  -c, --cycles N        overwrite cycles before the write\n"
		"                        (rewritable media)\n"
		"  -W, --sweep power:FROM:TO:STEP\n"
		"                        jitter against write power, in mW\n"
		"                        (at most {sweep} points); not with --power\n"
		"  -g, --svg FILE        draw the jitter-power curve (bathtub) as\n"
		"                        SVG; without --sweep 0.5x to 1.5x the\n"
		"                        optimum; - for standard output\n"
		"  -j, --json            print one JSON object (with --sweep an\n"
		"                        array of points)\n",
	},
	{
		"list", cmd_list,
		"list the optsim drives (through udev)",
		"[--json]",
		"  -j, --json            print one JSON object\n",
	},
	{
		"monitor", cmd_monitor,
		"print the drives' events as they happen",
		"[--udev] [--json]",
		"  -u, --udev            udev events of the drives (media changes)\n"
		"                        instead of the netlink events\n"
		"  -j, --json            one JSON object per line\n",
	},
	{
		"stats", cmd_stats,
		"show per-layer I/O and error counters (all drives, or -d)",
		"[--json]",
		"  -j, --json            print one JSON object\n",
	},
	{
		"create", cmd_create,
		"create a drive",
		"[--media TYPE] [--layer-sectors N] [--index N] [--json]",
		"  -m, --media TYPE      {media}\n"
		"                        (default: the module's media=)\n"
		"  -n, --layer-sectors N {sector}-byte sectors per layer, a multiple\n"
		"                        of {cluster} from {layer-sectors}\n"
		"  -i, --index N         the drive's index, {index} (default:\n"
		"                        the lowest free one)\n"
		"  -j, --json            print the new drive as JSON\n",
	},
	{
		"save", cmd_save,
		"write the medium in memory out as a disc image file",
		"FILE",
		"  FILE                  the image to create; it must not exist\n",
	},
	{
		"image", cmd_image,
		"describe a disc image file, without the drive",
		"info FILE [--json]",
		"  -j, --json            print one JSON object\n",
	},
	{
		"remove", cmd_remove,
		"remove a drive that nobody uses",
		"DEVICE",
		"  DEVICE                /dev/optsimN, optsimN or N\n",
	},
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "Usage: %s [-d DEV] COMMAND [options]\n\n",
		program_invocation_short_name);
	fputs("Control the optsim emulated dual-layer Blu-ray drive.\n\n", out);
	fputs("Commands:\n", out);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].help);
	fputs("\nGlobal options:\n", out);
	fputs("  -d, --device DEV      device to use: a path, optsimN or N\n"
	      "                        (default " OPTSIMCTL_DEFAULT_DEVICE ")\n",
	      out);
	fputs("  -h, --help            show this help\n", out);
	fputs("      --version         show the version\n", out);
	fprintf(out, "\nRun '%s COMMAND --help' for the options of a command.\n",
		program_invocation_short_name);
}

/*
 * help_value() - what "{NAME}" in a command's options stands for: the
 * uapi's limits and names, as the help text shows them; NULL for an
 * unknown NAME. The string is valid until the next call.
 */
static const char *help_value(const char *name, size_t len)
{
	static char buf[128];
	char a[FIXED_BUFSZ], b[FIXED_BUFSZ];

#define HELP_IS(s)	(len == sizeof(s) - 1 && !strncmp(name, s, len))
/* "LO to HI" of thousandths, shown with one decimal */
#define HELP_RANGE(lo, hi)						\
	snprintf(buf, sizeof(buf), "%s to %s",				\
		 fmt_fixed(a, sizeof(a), (lo) / 100, 1, false),		\
		 fmt_fixed(b, sizeof(b), (hi) / 100, 1, false))
	if (HELP_IS("velocity"))	/* m/s */
		HELP_RANGE(OPTSIM_VELOCITY_MIN_MMS, OPTSIM_VELOCITY_MAX_MMS);
	else if (HELP_IS("power"))	/* mW */
		HELP_RANGE(OPTSIM_POWER_MIN_UW, OPTSIM_POWER_MAX_UW);
	else if (HELP_IS("1x"))
		fmt_fixed(buf, sizeof(buf), OPTSIM_VELOCITY_1X_MMS, 3, false);
	else if (HELP_IS("sector"))
		snprintf(buf, sizeof(buf), "%u", OPTSIM_SECTOR_SIZE);
	else if (HELP_IS("cluster"))
		snprintf(buf, sizeof(buf), "%u", OPTSIM_CLUSTER_SECTORS);
	else if (HELP_IS("layer-sectors"))
		snprintf(buf, sizeof(buf), "%u to %u", OPTSIM_LAYER_SECTORS_MIN,
			 OPTSIM_LAYER_SECTORS_MAX);
	else if (HELP_IS("wavelength"))
		snprintf(buf, sizeof(buf), "%u to %u", WAVELENGTH_MIN_NM,
			 WAVELENGTH_MAX_NM);
	else if (HELP_IS("na"))
		HELP_RANGE(NA_MIN_MILLI, NA_MAX_MILLI);
	else if (HELP_IS("current"))	/* mA */
		snprintf(buf, sizeof(buf), "%s to %s",
			 fmt_fixed(a, sizeof(a), OPTSIM_CURRENT_MIN_UA, 3, true),
			 fmt_fixed(b, sizeof(b), OPTSIM_CURRENT_MAX_UA, 3, true));
	else if (HELP_IS("cover-err") || HELP_IS("gap"))
		sim_cover_ranges(buf, sizeof(buf), HELP_IS("gap"));
	else if (HELP_IS("groove"))
		sim_groove_depth_range(buf, sizeof(buf));
	else if (HELP_IS("thickness"))
		sim_thickness_range(buf, sizeof(buf));
	else if (HELP_IS("sweep"))
		snprintf(buf, sizeof(buf), "%u", SWEEP_MAX_POINTS);
	else if (HELP_IS("index"))
		snprintf(buf, sizeof(buf), "0 to %u", OPTSIM_MAX_DEVICES - 1);
	else if (HELP_IS("media"))
		return media_name_list(" or ");
	else if (HELP_IS("media-list"))
		return media_name_list(", ");
	else if (HELP_IS("strategies"))
		return strategy_name_list(" or ");
	else
		return NULL;
#undef HELP_IS
#undef HELP_RANGE
	return buf;
}

/* help_put() - @text with each "{NAME}" replaced by help_value(NAME). */
static void help_put(const char *text, FILE *out)
{
	const char *end, *val;

	while (*text) {
		end = *text == '{' ? strchr(text, '}') : NULL;
		val = end ? help_value(text + 1, (size_t)(end - text - 1)) : NULL;
		if (val) {
			fputs(val, out);
			text = end + 1;
		} else {
			fputc(*text++, out);
		}
	}
}

/* cmd_usage() - "COMMAND --help": the command's synopsis and options. */
void cmd_usage(const struct optsimctl *ctl)
{
	const struct command *cmd = ctl->cmd;

	printf("Usage: %s [-d DEV] %s%s%s\n\n%c%s.\n\nOptions:\n",
	       program_invocation_short_name, cmd->name,
	       *cmd->synopsis ? " " : "", cmd->synopsis,
	       toupper((unsigned char)cmd->help[0]), cmd->help + 1);
	help_put(cmd->options, stdout);
	printf("  -d, --device DEV      device to use (default "
	       OPTSIMCTL_DEFAULT_DEVICE ")\n"
	       "  -h, --help            show this help\n");
	exit(EXIT_SUCCESS);
}

void cmd_try_help(const struct optsimctl *ctl)
{
	fprintf(stderr, "Try '%s %s --help' for more information.\n",
		program_invocation_short_name, ctl->cmd->name);
	exit(EXIT_FAILURE);
}

/*
 * cmd_common_opt() - handle -d, -h, -j (for the commands that list it) and
 * getopt errors in a command's loop.
 */
void cmd_common_opt(struct optsimctl *ctl, int c, const char *arg)
{
	switch (c) {
	case 'j':
		ctl->json = true;
		break;
	case 'd':
		if (!*arg)
			errx(EXIT_FAILURE, "empty device name");
		ctl->devname = dev_path(arg);
		ctl->devname_set = true;
		break;
	case 'h':
		cmd_usage(ctl);
	default:
		cmd_try_help(ctl);
	}
}

/* cmd_no_args() - refuse positional arguments left after the options. */
void cmd_no_args(const struct optsimctl *ctl, int argc, char **argv)
{
	if (optind < argc) {
		warnx("%s: unexpected argument '%s'", ctl->cmd->name,
		      argv[optind]);
		cmd_try_help(ctl);
	}
}

/*
 * cmd_layer_opts() - parse the options of commands that read per-layer
 * state: [--layer N|all] [--json] and the common ones, no arguments.
 * Returns the layer, OPTSIM_LAYER_ALL by default.
 */
uint32_t cmd_layer_opts(struct optsimctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "layer", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	uint32_t layer = OPTSIM_LAYER_ALL;
	int c;

	while ((c = getopt_long(argc, argv, "l:j" COMMON_SHORTOPTS, longopts,
				NULL)) != -1) {
		if (c == 'l')
			layer = opt_layer(optarg, true);
		else
			cmd_common_opt(ctl, c, optarg);
	}
	cmd_no_args(ctl, argc, argv);
	return layer;
}

/* cmd_json_opts() - parse [--json] and the common options, no arguments. */
void cmd_json_opts(struct optsimctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "j" COMMON_SHORTOPTS, longopts,
				NULL)) != -1)
		cmd_common_opt(ctl, c, optarg);
	cmd_no_args(ctl, argc, argv);
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct optsimctl ctl = {
		.devname = OPTSIMCTL_DEFAULT_DEVICE,
		.fd = -1,
	};
	int c, ret;

	while ((c = getopt_long(argc, argv, "+d:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (!*optarg)
				errx(EXIT_FAILURE, "empty device name");
			ctl.devname = dev_path(optarg);
			ctl.devname_set = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		case 'V':
			printf("%s from optsim %s\n",
			       program_invocation_short_name,
			       OPTSIMCTL_VERSION);
			return EXIT_SUCCESS;
		default:
			fprintf(stderr, "Try '%s --help' for more information.\n",
				program_invocation_short_name);
			return EXIT_FAILURE;
		}
	}
	if (optind >= argc) {
		warnx("no command given");
		usage(stderr);
		return EXIT_FAILURE;
	}
	ctl.cmd = find_command(argv[optind]);
	if (!ctl.cmd) {
		warnx("unknown command '%s'", argv[optind]);
		fprintf(stderr, "Try '%s --help' for more information.\n",
			program_invocation_short_name);
		return EXIT_FAILURE;
	}

	/* getopt messages of the command read "optsimctl CMD: ..." */
	if (asprintf(&ctl.prog, "%s %s", program_invocation_short_name,
		     ctl.cmd->name) < 0)
		err(EXIT_FAILURE, "out of memory");
	argv += optind;
	argc -= optind;
	argv[0] = ctl.prog;
	optind = 0;		/* full rescan for the command's options */

	ret = ctl.cmd->handler(&ctl, argc, argv);

	dev_close(&ctl);
	free(ctl.prog);
	if (fflush(stdout) || ferror(stdout))
		err(EXIT_FAILURE, "write error");
	return ret;
}
