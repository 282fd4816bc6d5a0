# SPDX-License-Identifier: GPL-2.0
"""Check optsim's generic netlink family against its spec.

optsim-nlcheck uapi SPEC HEADER
    The uapi header against the spec (Documentation/netlink/optsim.yaml):
    every enum entry, attribute, operation and constant of the spec exists
    in the header under the C name the spec's naming rules give, with the
    spec's value (compiled with gcc as _Static_assert lines, and printed by
    a program built against the header); the header's enums hold nothing
    the spec lacks; the family name, version and multicast group defines
    match. Needs gcc.

optsim-nlcheck kernel SPEC [--family NAME]
    The registered family (module loaded) against the spec, through
    CTRL_CMD_GETFAMILY and CTRL_CMD_GETPOLICY on a NETLINK_GENERIC socket:
    version, multicast groups, which commands exist with which flags, and
    for every do and dump the attributes its request policy accepts, their
    types, ranges and nested policies.

optsim-nlcheck kernel --family NAME --raw
    Print the family's commands and parsed policies (any family).

optsim-nlcheck selftest SPEC HEADER
    Show that the checks can fail: each must pass on the real files and
    fail on altered copies of the header and the spec, and on altered
    policy dumps of a correct kernel (built from the spec, encoded as
    netlink messages and parsed back).

Output is TAP; the exit status is 1 when a test failed. Only the standard
library and PyYAML are used.
"""

import argparse
import signal
import sys

from .kernel import kernel_mode, print_raw
from .netlink import NetlinkError, get_family, get_op_policy
from .selftest import selftest_mode
from .tap import Tap
from .uapi import uapi_checks


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    sub = ap.add_subparsers(dest="mode", required=True)
    p = sub.add_parser("uapi", help="check the uapi header")
    p.add_argument("spec")
    p.add_argument("header")
    p = sub.add_parser("kernel", help="check the registered family")
    p.add_argument("spec", nargs="?")
    p.add_argument("--family", help="family name (default: the spec's)")
    p.add_argument("--raw", action="store_true",
                   help="print the family's parsed policies, check nothing")
    p = sub.add_parser("selftest", help="show that the checks can fail")
    p.add_argument("spec")
    p.add_argument("header")
    args = ap.parse_args()

    if args.mode == "kernel" and args.raw:
        if not args.family:
            ap.error("--raw needs --family")
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        try:
            fam = get_family(args.family)
            pols = {cmd: get_op_policy(fam["id"], cmd)
                    for cmd in fam["ops"]}
        except (OSError, NetlinkError) as e:
            print("optsim-nlcheck: family %s: %s" % (args.family, e),
                  file=sys.stderr)
            return 1
        print_raw(fam, pols)
        return 0
    if args.mode == "kernel" and not args.spec:
        ap.error("kernel needs SPEC (or --family NAME --raw)")

    tap = Tap()
    try:
        {"uapi": lambda: uapi_checks(args.spec, args.header, tap),
         "kernel": lambda: kernel_mode(args, tap),
         "selftest": lambda: selftest_mode(args, tap)}[args.mode]()
    except Exception as e:      # report, keep the TAP well formed
        tap.check(False, "optsim-nlcheck %s ran to the end" % args.mode,
                  ["%s: %s" % (type(e).__name__, e)])
    return tap.emit()
