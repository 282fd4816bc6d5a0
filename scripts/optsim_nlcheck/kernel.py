# SPDX-License-Identifier: GPL-2.0
"""The registered family against the spec: version, multicast groups,
commands and their flags, and every request policy's attributes, types,
ranges and nested policies."""

import errno

import yaml

from .netlink import (GENL_ADMIN_PERM, GENL_CMD_CAP_DO, GENL_CMD_CAP_DUMP,
                      GENL_UNS_ADMIN_PERM, NL_ATTR_TYPES, OP_FLAG_NAMES,
                      SPEC_TO_NL, NetlinkError, get_family, get_op_policy)
from .spec import Spec, SpecError


def describe_policy_attr(info):
    t = info.get("type", 0)
    s = NL_ATTR_TYPES[t] if t < len(NL_ATTR_TYPES) else "type%d" % t
    if "min_u" in info or "max_u" in info:
        s += " range %s..%s" % (info.get("min_u"), info.get("max_u"))
    if "min_s" in info or "max_s" in info:
        s += " range %s..%s" % (info.get("min_s"), info.get("max_s"))
    if "mask" in info:
        s += " mask %#x" % info["mask"]
    if "min_len" in info or "max_len" in info:
        s += " len %s..%s" % (info.get("min_len"), info.get("max_len"))
    if "policy_idx" in info:
        s += " -> policy %d (maxtype %s)" % (info["policy_idx"],
                                             info.get("policy_maxtype"))
    if "bitfield32_mask" in info:
        s += " bitfield32 mask %#x" % info["bitfield32_mask"]
    return s


def flag_names(flags):
    return ",".join(n for b, n in OP_FLAG_NAMES if flags & b) or "-"


def print_raw(fam, pols):
    print("family %s id %d version %d maxattr %d"
          % (fam.get("name"), fam.get("id", 0), fam.get("version", 0),
             fam.get("maxattr", 0)))
    for g, gid in fam["groups"].items():
        print("  mcast group %s id %d" % (g, gid))
    for cmd in sorted(fam["ops"]):
        pol = pols.get(cmd, {"policies": {}})
        print("cmd %d flags %s do-policy %s dump-policy %s"
              % (cmd, flag_names(fam["ops"][cmd]), pol.get("do", "-"),
                 pol.get("dump", "-")))
        for idx, policy in sorted(pol["policies"].items()):
            print("  policy %d:" % idx)
            for anum, info in sorted(policy.items()):
                print("    attr %d: %s" % (anum, describe_policy_attr(info)))


def compare_attr(spec, a, info, pol, where, seen):
    """Problems of one kernel policy entry against a spec attribute."""
    bad = []
    got = NL_ATTR_TYPES[info["type"]] if info.get("type", 0) < \
        len(NL_ATTR_TYPES) else "type%s" % info.get("type")
    want = SPEC_TO_NL.get(a["type"], [])
    if got not in want:
        return ["%s: kernel type %s, spec %s" % (where, got, a["type"])]
    exp = spec.expected_check(a)
    if exp and exp[0] == "range":
        signed = a["type"].startswith("s")
        lo = info.get("min_s" if signed else "min_u")
        hi = info.get("max_s" if signed else "max_u")
        if "mask" in info:
            bad.append("%s: kernel checks a mask %#x, spec a range %d..%d"
                       % (where, info["mask"], exp[1], exp[2]))
        elif (lo, hi) != (exp[1], exp[2]):
            bad.append("%s: kernel range %s..%s, spec %d..%d"
                       % (where, lo, hi, exp[1], exp[2]))
    elif exp and exp[0] == "mask":
        if info.get("mask") != exp[1]:
            bad.append("%s: kernel mask %s, spec %#x"
                       % (where, info.get("mask"), exp[1]))
    elif exp and exp[0] == "len":
        if exp[1] is not None and info.get("min_len") != exp[1]:
            bad.append("%s: kernel min length %s, spec %s"
                       % (where, info.get("min_len"), exp[1]))
        if info.get("max_len") != exp[2]:
            bad.append("%s: kernel max length %s, spec %s"
                       % (where, info.get("max_len"), exp[2]))
    if a["type"] == "nest":
        if "policy_idx" not in info:
            bad.append("%s: the kernel does not validate the nest"
                       % where)
        else:
            bad += compare_policy(spec, pol, info["policy_idx"],
                                  spec.nest_attrs(a["nested-attributes"]),
                                  "%s > %s" % (where,
                                               a["nested-attributes"]),
                                  seen)
    return bad


def compare_policy(spec, pol, idx, attrs, where, seen=None):
    """Problems of kernel policy IDX (None: no policy) against the list
    of spec attributes a request may carry."""
    seen = set() if seen is None else seen
    if idx is not None and (idx, where) in seen:
        return []
    seen.add((idx, where))
    policy = pol["policies"].get(idx, {}) if idx is not None else {}
    byval = {a["value"]: a for a in attrs}
    bad = []
    for anum in sorted(policy):
        if anum not in byval:
            bad.append("%s: the kernel accepts attribute %d, the spec "
                       "does not" % (where, anum))
    for v, a in sorted(byval.items()):
        if v not in policy:
            bad.append("%s: the kernel rejects %s (%d)"
                       % (where, a["name"], v))
            continue
        bad += compare_attr(spec, a, policy[v], pol,
                            "%s %s" % (where, a["name"]), seen)
    return bad


def kernel_checks(spec, fam, pols, tap):
    """fam: parse_family(); pols: {cmd: parse_policies()} of the kernel's
    commands."""
    tap.check(fam.get("version") == spec.version,
              "family %s version %s" % (spec.name, spec.version),
              ["kernel: version %s" % fam.get("version")])
    for g in spec.groups:
        tap.check(g in fam["groups"], "multicast group %s exists" % g,
                  ["kernel groups: %s" % ", ".join(fam["groups"])])
    extra = sorted(set(fam["groups"]) - set(spec.groups))
    tap.check(not extra, "no multicast groups beyond the spec",
              ["extra: " + ", ".join(extra)])

    known = {o["value"] for o in spec.ops}
    extra = sorted(set(fam["ops"]) - known)
    tap.check(not extra, "no commands beyond the spec",
              ["kernel command %d (flags %s)" % (c, flag_names(fam["ops"][c]))
               for c in extra])

    for o in spec.ops:
        cmd = o["value"]
        name = "%s (%d)" % (o["name"], cmd)
        flags = fam["ops"].get(cmd)
        pol = pols.get(cmd, {"policies": {}})
        if "do" not in o and "dump" not in o:
            tap.check(flags is None,
                      "%s: a notification, not a command" % name,
                      ["the kernel has command %d (flags %s)"
                       % (cmd, flag_names(flags or 0))])
            continue
        diag = []
        if flags is None:
            diag.append("no such command in the kernel")
        else:
            for key, bit in (("do", GENL_CMD_CAP_DO),
                             ("dump", GENL_CMD_CAP_DUMP)):
                if (key in o) != bool(flags & bit):
                    diag.append("%s: spec %s, kernel %s"
                                % (key, key in o, bool(flags & bit)))
            for fname, bit in (("admin-perm", GENL_ADMIN_PERM),
                               ("uns-admin-perm", GENL_UNS_ADMIN_PERM)):
                if (fname in o.get("flags", [])) != bool(flags & bit):
                    diag.append("%s: spec %s, kernel %s"
                                % (fname, fname in o.get("flags", []),
                                   bool(flags & bit)))
        tap.check(not diag, "%s: command with %s" % (
            name, ", ".join([k for k in ("do", "dump") if k in o] +
                            o.get("flags", []))), diag)
        aset = spec.sets[o["attribute-set"]]
        for sub in ("do", "dump"):
            if sub not in o:
                continue
            names = o[sub].get("request", {}).get("attributes", [])
            idx = pol.get(sub)
            if flags is None:
                bad = ["no such command in the kernel"]
            else:
                bad = compare_policy(spec, pol, idx,
                                     spec.request_attrs(aset, names),
                                     "%s %s" % (o["name"], sub))
                if bad and sub == "dump" and idx is not None and \
                        idx == pol.get("do"):
                    bad.append("do and dump share one policy: a struct "
                               "genl_ops (kernels before 6.2 have no split "
                               "ops) needs GENL_DONT_VALIDATE_DUMP for a "
                               "dump without attributes")
            what = ", ".join(names) if names else "no attributes"
            tap.check(not bad, "%s %s: the request policy accepts %s"
                      % (name, sub, what), bad)


def kernel_mode(args, tap):
    try:
        spec = Spec(args.spec)
    except (OSError, yaml.YAMLError, SpecError, KeyError, TypeError) as e:
        tap.check(False, "spec %s loads" % args.spec, [str(e)])
        return
    family = args.family or spec.name
    try:
        fam = get_family(family)
        pols = {cmd: get_op_policy(fam["id"], cmd) for cmd in fam["ops"]}
    except (OSError, NetlinkError, ValueError, KeyError) as e:
        diag = [str(e)]
        if getattr(e, "errno", None) == errno.ENOENT:
            diag = ["no such family (is the module loaded?)"]
        tap.check(False, "generic netlink family %s is registered" % family,
                  diag)
        return
    tap.check(True, "generic netlink family %s is registered (id %d)"
              % (family, fam["id"]))
    kernel_checks(spec, fam, pols, tap)
