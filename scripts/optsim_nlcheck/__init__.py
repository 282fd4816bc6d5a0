# SPDX-License-Identifier: GPL-2.0
"""optsim's generic netlink family checked against its spec
(Documentation/netlink/optsim.yaml): scripts/optsim-nlcheck runs it.

tap       the TAP results every mode prints
spec      the spec model: well-formedness, C names, expected policies
uapi      the uapi header against the spec, through gcc probes
netlink   a small nlctrl client: GETFAMILY, GETPOLICY, their encoding
kernel    the registered family's policies against the spec
selftest  the checks shown to fail on altered headers, specs and kernels
cli       the command line"""
