# SPDX-License-Identifier: GPL-2.0
"""The checker's own tests: each check must pass on the real files and
fail on altered copies of the header and the spec, and on altered policy
dumps of a model kernel built from the spec (encoded as netlink messages
and parsed back)."""

import copy
import os
import re
import subprocess
import sys
import tempfile

import yaml

from .kernel import kernel_checks
from .netlink import (GENL_ADMIN_PERM, GENL_CMD_CAP_DO, GENL_CMD_CAP_DUMP,
                      GENL_CMD_CAP_HASPOL, NL_ATTR_TYPES, SPEC_TO_NL,
                      encode_family, encode_policies, parse_family,
                      parse_policies)
from .spec import Spec
from .tap import Tap


def model_kernel(spec):
    """The GETFAMILY and per-command GETPOLICY answers of a kernel that
    follows the spec, as parse_family() and parse_policies() give them."""
    fam = {"id": 0x20, "name": spec.name, "version": spec.version,
           "maxattr": 0, "ops": {}, "groups": {}}
    for i, g in enumerate(spec.groups):
        fam["groups"][g] = 0x10 + i
    pols = {}

    def policy_of(pol, index, key, attrs):
        if key in index:
            return index[key]
        idx = len(index)
        index[key] = idx
        policy = {}
        pol["policies"][idx] = policy
        for a in attrs:
            info = {"type": NL_ATTR_TYPES.index(SPEC_TO_NL[a["type"]][0])}
            exp = spec.expected_check(a)
            if exp and exp[0] == "range":
                sfx = "s" if a["type"].startswith("s") else "u"
                info["min_" + sfx] = exp[1]
                info["max_" + sfx] = exp[2]
            elif exp and exp[0] == "mask":
                info["mask"] = exp[1]
            if a["type"] == "nest":
                sub = spec.nest_attrs(a["nested-attributes"])
                info["policy_idx"] = policy_of(pol, index,
                                               a["nested-attributes"], sub)
                info["policy_maxtype"] = max(x["value"] for x in sub)
            policy[a["value"]] = info
        return idx

    for o in spec.ops:
        if "do" not in o and "dump" not in o:
            continue
        flags = 0
        if "admin-perm" in o.get("flags", []):
            flags |= GENL_ADMIN_PERM
        aset = spec.sets[o["attribute-set"]]
        pol = {"policies": {}}
        index = {}
        for sub, bit in (("do", GENL_CMD_CAP_DO), ("dump", GENL_CMD_CAP_DUMP)):
            if sub not in o:
                continue
            flags |= bit
            names = o[sub].get("request", {}).get("attributes", [])
            if names:
                flags |= GENL_CMD_CAP_HASPOL
                pol[sub] = policy_of(pol, index, sub,
                                     spec.request_attrs(aset, names))
        fam["ops"][o["value"]] = flags
        pols[o["value"]] = pol
    return fam, pols


# scripts/optsim-nlcheck, the command that runs this package
ENTRY = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))), "optsim-nlcheck")


def run_self(argv):
    """Run the checker; (exit status, output)."""
    r = subprocess.run([sys.executable, ENTRY] + argv,
                       capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def header_mutations():
    """(what it shows, regex, replacement, text a failure must mention)."""
    return [
        ("two attributes swapped (values change)",
         r"(OPTSIM_A_LBA),\n(\s*)(OPTSIM_A_REASON),",
         r"\3,\n\2\1,", "OPTSIM_A_LBA"),
        ("an attribute missing", r"\n\s*OPTSIM_A_LAYER_STEPS,", "",
         "OPTSIM_A_LAYER_STEPS"),
        ("the last media entry missing",
         r",\n\s*OPTSIM_MEDIA_BD_RE_DL\s*= 4", "", "OPTSIM_MEDIA_BD_RE_DL"),
        ("an extra constant with a harmless value",
         r"(OPTSIM_STRATEGY_AUTO\s*= 0,)",
         r"\1\n\tOPTSIM_STRATEGY_DEFAULT = 0,", "OPTSIM_STRATEGY_DEFAULT"),
        ("an extra command at the end",
         r"(OPTSIM_CMD_PARAMS_NTF,)", r"\1\n\tOPTSIM_CMD_SPARE,",
         "OPTSIM_CMD_SPARE"),
        ("two notifications swapped",
         r"(OPTSIM_CMD_ERASE_NTF),\n(\s*)(OPTSIM_CMD_PARAMS_NTF),",
         r"\3,\n\2\1,", "OPTSIM_CMD_ERASE_NTF"),
        ("an explicit value changed",
         r"OPTSIM_MEDIA_BD_R\s*= 1,", "OPTSIM_MEDIA_BD_R = 5,",
         "OPTSIM_MEDIA_BD_R"),
        ("a wrong max define",
         r"(#define OPTSIM_A_MAX \(__OPTSIM_A_MAX) - 1\)", r"\1 - 2)",
         "OPTSIM_A_MAX"),
        ("the enum tag renamed", r"enum optsim_a_layer \{",
         "enum optsim_layer {", "optsim_a_layer"),
        ("the family version bumped",
         r"(#define OPTSIM_GENL_VERSION\s+)1", r"\g<1>2",
         "OPTSIM_GENL_VERSION"),
        ("the group define misspelt", r'"events"', '"event"',
         "OPTSIM_GENL_MCGRP_EVENTS"),
        ("a const changed", r"(#define OPTSIM_MAX_DEVICES\s+)64",
         r"\g<1>32", "OPTSIM_MAX_DEVICES"),
    ]


def spec_mutations():
    """(what, function(yaml data) -> None, text a failure must mention)."""
    def swap_ops(y):
        lst = y["operations"]["list"]
        lst[1], lst[2] = lst[2], lst[1]

    def drop_attr(y):
        s = [s for s in y["attribute-sets"] if s["name"] == "layer"][0]
        s["attributes"] = [a for a in s["attributes"]
                           if a["name"] != "compiles"]

    def no_doc(y):
        del y["operations"]["list"][0]["doc"]

    def c_key(y):
        y["c-family-name"] = "OPTSIM_GENL_NAME"

    def bad_ref(y):
        y["operations"]["list"][0]["do"]["request"]["attributes"] = \
            ["dev-idx"]

    def entry_added(y):
        d = [d for d in y["definitions"] if d["name"] == "reason"][0]
        d["entries"].append({"name": "spare", "doc": "Spare."})

    return [
        ("two operations swapped", swap_ops, "OPTSIM_CMD_DEV_NEW"),
        ("an attribute the header has dropped", drop_attr,
         "OPTSIM_A_LAYER_COMPILES"),
        ("an operation without doc", no_doc, "no doc"),
        ("a genetlink-c key", c_key, "c-family-name"),
        ("a request naming an unknown attribute", bad_ref, "dev-idx"),
        ("an enum entry the header lacks", entry_added,
         "OPTSIM_REASON_SPARE"),
    ]


def kernel_mutations(spec):
    """(what, function(fam, pols) -> None, text a failure must mention)."""
    cmd = {o["name"]: o["value"] for o in spec.ops}
    dev = spec.sets["dev"]["attrs"]
    layer = spec.sets["layer"]["attrs"]

    def do_policy(pols, op):
        pol = pols[cmd[op]]
        return pol["policies"][pol["do"]]

    def nested(pols, op):
        outer = do_policy(pols, op)[dev["layer"]["value"]]
        return pols[cmd[op]]["policies"][outer["policy_idx"]]

    def drop_dev_index(fam, pol):
        del do_policy(pol, "dev-get")[dev["dev-index"]["value"]]

    def extra_attr(fam, pol):
        do_policy(pol, "dev-del")[dev["dev-name"]["value"]] = \
            {"type": NL_ATTR_TYPES.index("nul-string")}

    def velocity_max(fam, pol):
        nested(pol, "params-set")[layer["velocity"]["value"]]["max_u"] = \
            65535

    def index_full(fam, pol):
        e = do_policy(pol, "dev-get")[dev["dev-index"]["value"]]
        e["max_u"] = 2**32 - 1

    def sectors_u32(fam, pol):
        e = do_policy(pol, "dev-new")[dev["layer-sectors"]["value"]]
        e["type"] = NL_ATTR_TYPES.index("u32")

    def nest_short(fam, pol):
        del nested(pol, "params-set")[layer["bias-power"]["value"]]

    def nest_unchecked(fam, pol):
        del do_policy(pol, "params-set")[dev["layer"]["value"]][
            "policy_idx"]

    def nest_wide(fam, pol):
        nested(pol, "params-set")[layer["compiles"]["value"]] = \
            {"type": NL_ATTR_TYPES.index("u64"), "min_u": 0,
             "max_u": 2**64 - 1}

    def dump_policy(fam, pols):
        pol = pols[cmd["stats-get"]]
        del pol["dump"]

    def no_group(fam, pol):
        fam["groups"].clear()

    def version(fam, pol):
        fam["version"] = 2

    def event_cmd(fam, pol):
        fam["ops"][cmd["eject-ntf"]] = GENL_CMD_CAP_DO

    def no_admin(fam, pol):
        fam["ops"][cmd["dev-del"]] &= ~GENL_ADMIN_PERM

    def no_dump(fam, pol):
        fam["ops"][cmd["dev-get"]] &= ~GENL_CMD_CAP_DUMP

    return [
        ("dev-get do without dev-index", drop_dev_index, "rejects dev-index"),
        ("dev-del accepting dev-name", extra_attr, "accepts attribute"),
        ("a wrong velocity maximum", velocity_max, "65535"),
        ("dev-index unchecked", index_full, "4294967295"),
        ("layer-sectors as u32", sectors_u32, "kernel type u32"),
        ("bias-power not in the layer nest", nest_short,
         "rejects bias-power"),
        ("the layer nest not validated", nest_unchecked, "does not validate"),
        ("the layer nest taking counters", nest_wide, "accepts attribute 17"),
        ("stats-get dump without its dev-index filter", dump_policy,
         "stats-get dump"),
        ("no events group", no_group, "multicast group events"),
        ("another family version", version, "version"),
        ("a notification registered as a command", event_cmd,
         "eject-ntf"),
        ("dev-del without admin-perm", no_admin, "admin-perm"),
        ("dev-get without its dump", no_dump, "dump: spec True"),
    ]


def replay(fam, pols):
    """fam and pols sent as netlink messages and parsed back."""
    fam2 = parse_family(encode_family(fam))
    pols2 = {cmd: parse_policies(encode_policies(fam["id"], cmd, pol))
             for cmd, pol in pols.items()}
    return fam2, pols2


def selftest_mode(args, tap):
    rc, out = run_self(["uapi", args.spec, args.header])
    tap.check(rc == 0, "uapi check passes on %s and %s"
              % (args.spec, args.header),
              [ln for ln in out.splitlines() if ln.startswith("not ok")])
    with open(args.header) as f:
        htext = f.read()
    with open(args.spec) as f:
        ytext = f.read()

    with tempfile.TemporaryDirectory(prefix="nlcheck-self.") as wd:
        hdir = os.path.join(wd, "uapi", "linux")
        os.makedirs(hdir)
        mhdr = os.path.join(hdir, os.path.basename(args.header))
        for what, pat, rep, mention in header_mutations():
            new, n = re.subn(pat, rep, htext)
            if n != 1:
                tap.check(False, "header with %s: the alteration applies"
                          % what, ["pattern matched %d times: %s"
                                   % (n, pat)])
                continue
            with open(mhdr, "w") as f:
                f.write(new)
            rc, out = run_self(["uapi", args.spec, mhdr])
            fails = [ln for ln in out.splitlines()
                     if ln.startswith("not ok") or ln.startswith("# ")]
            hit = rc == 1 and any(mention in ln for ln in fails)
            tap.check(hit, "uapi check fails on a header with %s"
                      % what, ["exit %d, no failure mentions %s"
                               % (rc, mention)] if not hit else [])

        mspec = os.path.join(wd, "spec.yaml")
        for what, change, mention in spec_mutations():
            y = yaml.safe_load(ytext)
            change(y)
            with open(mspec, "w") as f:
                yaml.safe_dump(y, f, sort_keys=False)
            rc, out = run_self(["uapi", mspec, args.header])
            fails = [ln for ln in out.splitlines()
                     if ln.startswith("not ok") or ln.startswith("# ")]
            hit = rc == 1 and any(mention in ln for ln in fails)
            tap.check(hit, "uapi check fails on a spec with %s" % what,
                      ["exit %d, no failure mentions %s" % (rc, mention)]
                      if not hit else [])

    spec = Spec(args.spec)
    fam, pols = model_kernel(spec)
    fam2, pols2 = replay(fam, pols)
    tap.check(fam2 == fam and pols2 == pols,
              "a model kernel's answers survive encoding and parsing",
              ["family: %r" % (fam2,), "policies: %r" % (pols2,)])
    t = Tap()
    kernel_checks(spec, fam2, pols2, t)
    tap.check(not t.failed(), "kernel check passes on a model kernel "
              "(%d checks)" % len(t.results),
              [ln for ln in t.lines() if ln.startswith("not ok") or
               ln.startswith("# ")])
    for what, change, mention in kernel_mutations(spec):
        f, p = copy.deepcopy(fam), copy.deepcopy(pols)
        change(f, p)
        f, p = replay(f, p)
        t = Tap()
        kernel_checks(spec, f, p, t)
        text = "\n".join(ln for ln in t.lines()
                         if ln.startswith("not ok") or ln.startswith("# "))
        hit = bool(t.failed()) and mention in text
        tap.check(hit, "kernel check fails on a kernel with %s" % what,
                  ["no failure mentions %r" % mention] +
                  text.splitlines()[:10] if not hit else [])
