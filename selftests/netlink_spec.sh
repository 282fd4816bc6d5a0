#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# netlink_spec.sh - the generic netlink family "optsim" of the loaded
# module against its spec, Documentation/netlink/optsim.yaml:
# scripts/optsim-nlcheck kernel reads the family (CTRL_CMD_GETFAMILY) and each
# command's policies (CTRL_CMD_GETPOLICY) and checks the version, the
# events group, which commands exist with which flags, and that every
# request policy accepts exactly the spec's attributes, types and ranges.
# Needs the module loaded (run.sh loads it) and Python 3 with PyYAML. TAP
# on stdout, optsim-nlcheck's own.

ksft_dir=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ksft_dir/lib.sh"

# Debian's python3, which has PyYAML, unless told otherwise.
PYTHON=${PYTHON:-/usr/bin/python3}
spec=$OPTSIM_REPO/Documentation/netlink/optsim.yaml
nlcheck=$OPTSIM_REPO/scripts/optsim-nlcheck

if ! "$PYTHON" -c 'import yaml' >/dev/null 2>&1; then
	tap_plan 1
	tap_skip "optsim family against $spec" "no $PYTHON with PyYAML"
	tap_done
fi
if ! [ -r "$spec" ] || ! [ -r "$nlcheck" ]; then
	tap_plan 1
	tap_not_ok "optsim family against the spec"
	tap_diag "missing $spec or $nlcheck"
	tap_done
fi

exec "$PYTHON" "$nlcheck" kernel "$spec"
