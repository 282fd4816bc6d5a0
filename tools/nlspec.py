#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check optsim's generic netlink family against its spec.

nlspec.py uapi SPEC HEADER
    The uapi header against the spec (Documentation/netlink/optsim.yaml):
    every enum entry, attribute, operation and constant of the spec exists
    in the header under the C name the spec's naming rules give, with the
    spec's value (compiled with gcc as _Static_assert lines, and printed by
    a program built against the header); the header's enums hold nothing
    the spec lacks; the family name, version and multicast group defines
    match. Needs gcc.

nlspec.py kernel SPEC [--family NAME]
    The registered family (module loaded) against the spec, through
    CTRL_CMD_GETFAMILY and CTRL_CMD_GETPOLICY on a NETLINK_GENERIC socket:
    version, multicast groups, which commands exist with which flags, and
    for every do and dump the attributes its request policy accepts, their
    types, ranges and nested policies.

nlspec.py kernel --family NAME --raw
    Print the family's commands and parsed policies (any family).

nlspec.py selftest SPEC HEADER
    Show that the checks can fail: each must pass on the real files and
    fail on altered copies of the header and the spec, and on altered
    policy dumps of a correct kernel (built from the spec, encoded as
    netlink messages and parsed back).

Output is TAP; the exit status is 1 when a test failed. Only the standard
library and PyYAML are used.
"""

import argparse
import copy
import errno
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile

import yaml


# ---- TAP --------------------------------------------------------------------

class Tap:
    """Collects results; prints the plan first, then every result."""

    def __init__(self):
        self.results = []

    def check(self, ok, desc, diag=None):
        self.results.append((bool(ok), desc, [] if ok else list(diag or [])))
        return ok

    def failed(self):
        return [r for r in self.results if not r[0]]

    def lines(self):
        out = ["1..%d" % len(self.results)]
        for n, (ok, desc, diag) in enumerate(self.results, 1):
            out.append("%s %d - %s" % ("ok" if ok else "not ok", n, desc))
            out.extend("# " + d for d in diag)
        return out

    def emit(self):
        print("\n".join(self.lines()))
        return 1 if self.failed() else 0


# ---- the spec ---------------------------------------------------------------

def c_upper(name):
    return name.upper().replace("-", "_")


def c_lower(name):
    return name.lower().replace("-", "_")


# The keys the "genetlink" protocol of the upstream schema
# (Documentation/netlink/genetlink.yaml) allows at each level. Anything
# else belongs to genetlink-c or genetlink-legacy (or is a typo).
ALLOWED = {
    "family": {"name", "doc", "protocol", "uapi-header", "definitions",
               "attribute-sets", "operations", "mcast-groups",
               "kernel-family"},
    "definition": {"name", "header", "type", "doc", "value", "value-start",
                   "entries", "render-max"},
    "entry": {"name", "value", "doc"},
    "attribute-set": {"name", "name-prefix", "enum-name", "doc",
                      "subset-of", "attributes"},
    "attribute": {"name", "type", "doc", "value", "type-value",
                  "byte-order", "multi-attr", "nested-attributes", "enum",
                  "enum-as-flags", "checks", "sub-type", "display-hint"},
    "checks": {"flags-mask", "min", "max", "min-len", "max-len",
               "exact-len"},
    "operations": {"enum-model", "name-prefix", "enum-name", "async-prefix",
                   "async-enum", "list"},
    "operation": {"name", "doc", "value", "attribute-set", "flags",
                  "dont-validate", "config-cond", "do", "dump", "notify",
                  "event", "mcgrp"},
    "subop": {"request", "reply", "pre", "post"},
    "msg": {"attributes"},
    "mcast-groups": {"list"},
    "group": {"name", "flags"},
    "kernel-family": {"headers", "sock-priv"},
}

ATTR_TYPES = {"unused", "pad", "flag", "binary", "uint", "sint", "u8", "u16",
              "u32", "u64", "s8", "s16", "s32", "s64", "string", "nest",
              "indexed-array", "nest-type-value"}

INT_BOUNDS = {
    "u8": (0, 2**8 - 1), "u16": (0, 2**16 - 1), "u32": (0, 2**32 - 1),
    "u64": (0, 2**64 - 1), "uint": (0, 2**64 - 1),
    "s8": (-2**7, 2**7 - 1), "s16": (-2**15, 2**15 - 1),
    "s32": (-2**31, 2**31 - 1), "s64": (-2**63, 2**63 - 1),
    "sint": (-2**63, 2**63 - 1),
}

NAME_RE = re.compile(r"^[0-9a-z-]+$")


class SpecError(Exception):
    pass


class CEnum:
    """One C enum the spec defines: its tag and its (name, value) list."""

    def __init__(self, what, tag, members, extra=()):
        self.what = what            # e.g. 'definition "media"'
        self.tag = tag              # C tag, None when anonymous
        self.members = members      # [(C name, value)] from the spec
        self.extra = list(extra)    # [(C name, value)] count/max entries

    def title(self):
        return "enum %s" % self.tag if self.tag else self.what


class Spec:
    """The parts of a genetlink spec the checks need, with C names."""

    def __init__(self, path):
        with open(path) as f:
            self.y = yaml.safe_load(f)
        if not isinstance(self.y, dict):
            raise SpecError("%s: not a YAML mapping" % path)
        self.problems = []
        self.name = self.y.get("name", "")
        self.ident = self.name
        # "genetlink" has no version key: the family version is 1.
        self.version = self.y.get("version", 1)
        self._structure()
        self._definitions()
        self._attr_sets()
        self._operations()
        self.groups = [g["name"] for g in
                       self.y.get("mcast-groups", {}).get("list", [])]
        self._references()

    # -- well-formedness --
    def problem(self, msg):
        self.problems.append(msg)

    def _keys(self, obj, kind, where):
        if not isinstance(obj, dict):
            self.problem("%s: not a mapping" % where)
            return
        for k in obj:
            if k not in ALLOWED[kind]:
                self.problem("%s: key '%s' is not in the genetlink schema"
                             % (where, k))

    def _doc(self, obj, where):
        if not isinstance(obj, dict) or not str(obj.get("doc", "")).strip():
            self.problem("%s: no doc" % where)

    def _name(self, obj, where):
        n = obj.get("name") if isinstance(obj, dict) else obj
        if not isinstance(n, str) or not NAME_RE.match(n):
            self.problem("%s: bad name %r" % (where, n))

    def _structure(self):
        y = self.y
        self._keys(y, "family", "family")
        for k in ("name", "doc", "attribute-sets", "operations"):
            if k not in y:
                self.problem("family: '%s' missing" % k)
        self._name(y, "family")
        self._doc(y, "family")
        if y.get("protocol", "genetlink") != "genetlink":
            self.problem("family: protocol is %r, not genetlink"
                         % y.get("protocol"))
        for i, d in enumerate(y.get("definitions", [])):
            where = "definition %s" % d.get("name", i)
            self._keys(d, "definition", where)
            self._name(d, where)
            self._doc(d, where)
            if d.get("type") not in ("const", "enum", "flags"):
                self.problem("%s: bad type %r" % (where, d.get("type")))
            for e in d.get("entries", []):
                ew = "%s entry %s" % (where, e.get("name", e)
                                      if isinstance(e, dict) else e)
                if isinstance(e, dict):
                    self._keys(e, "entry", ew)
                self._name(e, ew)
                self._doc(e, ew)
        for s in y.get("attribute-sets", []):
            where = "attribute-set %s" % s.get("name")
            self._keys(s, "attribute-set", where)
            self._name(s, where)
            self._doc(s, where)
            if "subset-of" in s and "name-prefix" in s:
                self.problem("%s: a subset has no name-prefix" % where)
            for a in s.get("attributes", []):
                aw = "%s attribute %s" % (where, a.get("name"))
                self._keys(a, "attribute", aw)
                self._name(a, aw)
                if "subset-of" in s:
                    continue
                self._doc(a, aw)
                if a.get("type") not in ATTR_TYPES:
                    self.problem("%s: bad type %r" % (aw, a.get("type")))
                if "checks" in a:
                    self._keys(a["checks"], "checks", aw + " checks")
        ops = y.get("operations", {})
        self._keys(ops, "operations", "operations")
        if ops.get("enum-model", "unified") != "unified":
            self.problem("operations: enum-model must be unified")
        if "async-prefix" in ops or "async-enum" in ops:
            self.problem("operations: async-prefix/async-enum: not handled "
                         "by this checker")
        for o in ops.get("list", []):
            where = "operation %s" % o.get("name")
            self._keys(o, "operation", where)
            self._name(o, where)
            self._doc(o, where)
            for sub in ("do", "dump"):
                if sub in o:
                    self._keys(o[sub], "subop", "%s %s" % (where, sub))
                    for m in ("request", "reply"):
                        if m in o[sub]:
                            self._keys(o[sub][m], "msg",
                                       "%s %s %s" % (where, sub, m))
            if "event" in o:
                self._keys(o["event"], "msg", where + " event")
        if "mcast-groups" in y:
            self._keys(y["mcast-groups"], "mcast-groups", "mcast-groups")
            for g in y["mcast-groups"].get("list", []):
                self._keys(g, "group", "mcast group %s" % g.get("name"))
                self._name(g, "mcast group")
        if "kernel-family" in y:
            self._keys(y["kernel-family"], "kernel-family", "kernel-family")

    # -- definitions --
    def _definitions(self):
        self.consts = {}         # name -> (C name, value)
        self.enums = {}          # name -> {entry name: value}
        self.c_enums = []        # CEnum of enum/flags definitions
        for d in self.y.get("definitions", []):
            name = d["name"]
            if d.get("header"):
                continue         # defined by another header
            if d["type"] == "const":
                pfx = d.get("name-prefix", self.ident + "-")
                self.consts[name] = (c_upper(pfx + name), d["value"])
                continue
            pfx = d.get("name-prefix", "%s-%s-" % (self.ident, name))
            if "enum-name" in d:
                tag = c_lower(d["enum-name"]) if d["enum-name"] else None
            else:
                tag = c_lower("%s-%s" % (self.ident, name))
            val = d.get("value-start", 0)
            entries = {}
            members = []
            for i, e in enumerate(d.get("entries", [])):
                if isinstance(e, str):
                    e = {"name": e}
                if d["type"] == "flags":
                    v = 1 << (e["value"] if "value" in e else val + i)
                else:
                    if "value" in e:
                        val = e["value"]
                    v = val
                    val += 1
                entries[e["name"]] = v
                members.append((c_upper(pfx + e["name"]), v))
            extra = []
            if d.get("render-max"):
                if d["type"] == "flags":
                    mask = 0
                    for v in entries.values():
                        mask |= v
                    extra.append((c_upper(pfx + "mask"), mask))
                else:
                    top = max(entries.values())
                    extra.append((c_upper("__" + pfx + "max"), top + 1))
                    extra.append((c_upper(pfx + "max"), top))
            self.enums[name] = {"type": d["type"], "entries": entries}
            self.c_enums.append(CEnum('definition "%s"' % name, tag,
                                      members, extra))

    # -- attribute sets --
    def _attr_sets(self):
        self.sets = {}           # name -> {"subset-of", "attrs": {name: a}}
        self.set_enums = []
        for s in self.y.get("attribute-sets", []):
            if "subset-of" in s:
                continue
            name = s["name"]
            if "name-prefix" in s:
                pfx = s["name-prefix"]
            elif name == self.ident:
                pfx = self.ident + "-a-"
            else:
                pfx = "%s-a-%s-" % (self.ident, name)
            tag = c_lower(s["enum-name"]) if s.get("enum-name") else None
            attrs = {}
            members = []
            val = 1
            for a in s.get("attributes", []):
                if "value" in a:
                    val = a["value"]
                a = dict(a)
                a["value"] = val
                a["cname"] = c_upper(pfx + a["name"])
                attrs[a["name"]] = a
                members.append((a["cname"], val))
                val += 1
            top = val - 1
            extra = [(c_upper("__" + pfx + "max"), top + 1),
                     (c_upper(pfx + "max"), top)]
            self.sets[name] = {"name": name, "subset-of": None,
                               "attrs": attrs}
            self.set_enums.append(CEnum('attribute-set "%s"' % name, tag,
                                        members, extra))
        for s in self.y.get("attribute-sets", []):
            if "subset-of" not in s:
                continue
            parent = self.sets.get(s["subset-of"])
            if parent is None or parent["subset-of"]:
                self.problem("attribute-set %s: subset of unknown set %s"
                             % (s["name"], s["subset-of"]))
                continue
            attrs = {}
            for a in s.get("attributes", []):
                base = parent["attrs"].get(a["name"])
                if base is None:
                    self.problem("attribute-set %s: %s is not in %s"
                                 % (s["name"], a["name"], s["subset-of"]))
                    continue
                merged = dict(base)
                for k, v in a.items():
                    if k not in ("name", "nested-attributes", "doc"):
                        self.problem("attribute-set %s: %s: a subset only "
                                     "overrides nested-attributes, not %s"
                                     % (s["name"], a["name"], k))
                    merged[k] = v
                attrs[a["name"]] = merged
            self.sets[s["name"]] = {"name": s["name"],
                                    "subset-of": s["subset-of"],
                                    "attrs": attrs}

    # -- operations --
    def _operations(self):
        ops = self.y.get("operations", {})
        self.op_prefix = c_upper(ops.get("name-prefix", self.ident + "-cmd-"))
        tag = c_lower(ops["enum-name"]) if ops.get("enum-name") else None
        self.ops = []
        members = []
        val = 1
        for o in ops.get("list", []):
            if "value" in o:
                val = o["value"]
            o = dict(o)
            o["value"] = val
            o["cname"] = self.op_prefix + c_upper(o["name"])
            self.ops.append(o)
            members.append((o["cname"], val))
            val += 1
        top = val - 1
        extra = [("__" + self.op_prefix + "MAX", top + 1),
                 (self.op_prefix + "MAX", top)]
        # Value 0 is not an operation; the header may name it UNSPEC.
        self.op_enum = CEnum("operations", tag, members, extra)
        self.op_reserved = self.op_prefix + "UNSPEC"

    # -- references between the parts --
    def _references(self):
        for s in self.sets.values():
            seen = {}
            for a in s["attrs"].values():
                if s["subset-of"] is None:
                    if a["value"] in seen:
                        self.problem("attribute-set %s: %s and %s share "
                                     "value %d" % (s["name"],
                                                   seen[a["value"]],
                                                   a["name"], a["value"]))
                    seen[a["value"]] = a["name"]
                where = "attribute-set %s attribute %s" % (s["name"],
                                                           a["name"])
                if a.get("type") == "nest" and \
                        a.get("nested-attributes") not in self.sets:
                    self.problem("%s: nested-attributes %r unknown"
                                 % (where, a.get("nested-attributes")))
                if "enum" in a and a["enum"] not in self.enums:
                    self.problem("%s: enum %r unknown" % (where, a["enum"]))
                try:
                    self.expected_check(a)
                except SpecError as e:
                    self.problem("%s: %s" % (where, e))
        values = {}
        for o in self.ops:
            where = "operation %s" % o["name"]
            if o["value"] in values:
                self.problem("%s: value %d taken by %s"
                             % (where, o["value"], values[o["value"]]))
            values[o["value"]] = o["name"]
            aset = self.sets.get(o.get("attribute-set"))
            kinds = [k for k in ("do", "dump", "event", "notify") if k in o]
            if not kinds:
                self.problem("%s: no do, dump, event or notify" % where)
            if ("event" in o or "notify" in o) and ("do" in o or "dump" in o):
                self.problem("%s: both a command and a notification" % where)
            if "event" in o or "notify" in o:
                if o.get("mcgrp") not in [g.get("name") for g in
                                          self.y.get("mcast-groups", {})
                                          .get("list", [])]:
                    self.problem("%s: mcgrp %r unknown"
                                 % (where, o.get("mcgrp")))
            lists = []
            for sub in ("do", "dump"):
                for m in ("request", "reply"):
                    if m in o.get(sub, {}):
                        lists.append(("%s %s" % (sub, m),
                                      o[sub][m].get("attributes", [])))
            if "event" in o:
                lists.append(("event", o["event"].get("attributes", [])))
            if lists and aset is None:
                self.problem("%s: attribute-set %r unknown"
                             % (where, o.get("attribute-set")))
                continue
            for what, names in lists:
                for n in names:
                    if n not in aset["attrs"]:
                        self.problem("%s %s: %s is not in attribute-set %s"
                                     % (where, what, n, aset["name"]))

    # -- what the kernel should enforce --
    def limit(self, v):
        """A check's value: an integer, a const name or u32-max and co."""
        if isinstance(v, int):
            return v
        m = re.match(r"^([su](?:8|16|32|64))-(min|max)$", str(v))
        if m:
            lo, hi = INT_BOUNDS[m.group(1)]
            return lo if m.group(2) == "min" else hi
        if v in self.consts:
            return int(self.consts[v][1])
        raise SpecError("check value %r unknown" % (v,))

    def expected_check(self, a):
        """What the policy dump should say of an attribute's values:
        ("range", lo, hi), ("mask", m), ("len", min, max) or None."""
        t = a.get("type")
        checks = a.get("checks", {})
        if t in INT_BOUNDS:
            lo, hi = INT_BOUNDS[t]
            if "flags-mask" in checks:
                e = self.enums.get(checks["flags-mask"])
                if e is None:
                    raise SpecError("flags-mask %r unknown"
                                    % checks["flags-mask"])
                mask = 0
                for v in e["entries"].values():
                    mask |= v
                return ("mask", mask)
            cmin = self.limit(checks["min"]) if "min" in checks else None
            cmax = self.limit(checks["max"]) if "max" in checks else None
            if "enum" in a and a["enum"] in self.enums:
                e = self.enums[a["enum"]]
                vals = list(e["entries"].values())
                if e["type"] == "flags" or a.get("enum-as-flags"):
                    mask = 0
                    for v in vals:
                        mask |= v
                    return ("mask", mask)
                # As the upstream generator does: an enum bounds the
                # values unless checks say otherwise.
                if cmin is None and vals and (min(vals) != 0 or
                                              t[0] == "s"):
                    cmin = min(vals)
                if cmax is None and vals:
                    cmax = max(vals)
            rlo = lo if cmin is None else cmin
            rhi = hi if cmax is None else cmax
            if rlo < lo or rhi > hi or rlo > rhi:
                raise SpecError("checks %s..%s outside %s or empty"
                                % (rlo, rhi, t))
            return ("range", rlo, rhi)
        if t in ("binary", "string"):
            if "exact-len" in checks:
                n = self.limit(checks["exact-len"])
                return ("len", n, n)
            mn = self.limit(checks["min-len"]) if "min-len" in checks \
                else None
            mx = self.limit(checks["max-len"]) if "max-len" in checks \
                else None
            return ("len", mn, mx)
        return None

    def request_attrs(self, aset, names):
        return [aset["attrs"][n] for n in names if n in aset["attrs"]]

    def nest_attrs(self, setname):
        """The attributes a nest of this set accepts in a request."""
        s = self.sets[setname]
        return [a for a in s["attrs"].values()
                if a.get("type") not in ("unused", "pad")]


# ---- uapi mode ----------------------------------------------------------------

def strip_c_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def header_enums(text):
    """[(tag or None, [member names])] of every enum in the header."""
    out = []
    for m in re.finditer(r"\benum\s+(\w+)?\s*\{(.*?)\}",
                         strip_c_comments(text), flags=re.S):
        names = []
        for item in m.group(2).split(","):
            im = re.match(r"\s*([A-Za-z_]\w*)", item)
            if im:
                names.append(im.group(1))
        out.append((m.group(1), names))
    return out


def family_defines(spec):
    """Defines of the hand-written header's family block: name -> value.
    optsim spells them <FAMILY>_GENL_NAME, _VERSION, _MCGRP_<GROUP>."""
    pfx = c_upper(spec.ident) + "_GENL_"
    d = {pfx + "NAME": spec.name, pfx + "VERSION": spec.version}
    for g in spec.groups:
        d[pfx + "MCGRP_" + c_upper(g)] = g
    return d


def compile_probe(header, ints, strings, workdir):
    """Build against HEADER: _Static_assert(NAME == value) for every
    (name, value) of ints, then a program printing every name's value.
    Returns (missing names, failed asserts, {name: value}, errors)."""
    hdr = os.path.abspath(header)
    inc = os.path.dirname(os.path.dirname(hdr))
    env = dict(os.environ, LC_ALL="C")
    cc = ["gcc", "-std=gnu11", "-Wall", "-fmax-errors=0", "-I", inc]

    asserts = ['#include "%s"' % hdr]
    for name, value in ints:
        asserts.append('_Static_assert((%s) == (%dLL), "%s == %d");'
                       % (name, value, name, value))
    for name in strings:
        asserts.append('static const char *probe_%s = %s;' % (name, name))
    src = os.path.join(workdir, "asserts.c")
    with open(src, "w") as f:
        f.write("\n".join(asserts) + "\n")
    r = subprocess.run(cc + ["-fsyntax-only", "-Wno-unused-variable", src],
                       capture_output=True, text=True, env=env)
    missing = sorted(set(re.findall(r"'(\w+)' undeclared", r.stderr)))
    failed = re.findall(r'static assertion failed: "([^"]*)"', r.stderr)
    errors = [ln for ln in r.stderr.splitlines() if "error:" in ln and
              "undeclared" not in ln and "static assertion" not in ln]

    prog = ['#include <stdio.h>', '#include "%s"' % hdr,
            "int main(void)", "{"]
    for name, _ in ints:
        if name not in missing:
            prog.append('\tprintf("%%s=%%lld\\n", "%s", (long long)(%s));'
                        % (name, name))
    for name in strings:
        if name not in missing:
            prog.append('\tprintf("%%s=%%s\\n", "%s", %s);' % (name, name))
    prog += ["\treturn 0;", "}"]
    src = os.path.join(workdir, "values.c")
    exe = os.path.join(workdir, "values")
    with open(src, "w") as f:
        f.write("\n".join(prog) + "\n")
    r = subprocess.run(cc + ["-o", exe, src], capture_output=True,
                       text=True, env=env)
    values = {}
    if r.returncode != 0:
        errors += [ln for ln in r.stderr.splitlines() if "error:" in ln]
        return missing, failed, values, errors
    r = subprocess.run([exe], capture_output=True, text=True)
    for ln in r.stdout.splitlines():
        k, _, v = ln.partition("=")
        values[k] = v
    return missing, failed, values, errors


def uapi_checks(spec_path, header, tap):
    try:
        spec = Spec(spec_path)
    except (OSError, yaml.YAMLError, SpecError, KeyError, TypeError) as e:
        tap.check(False, "spec %s loads" % spec_path, [str(e)])
        return
    tap.check(not spec.problems,
              "spec is well formed (genetlink schema keys, names, docs, "
              "references)", spec.problems)
    try:
        with open(header) as f:
            htext = f.read()
    except OSError as e:
        tap.check(False, "header %s readable" % header, [str(e)])
        return

    groups = spec.c_enums + spec.set_enums + [spec.op_enum]
    ints = []
    for g in groups:
        ints += g.members + g.extra
    consts = sorted(spec.consts.values())
    fam = family_defines(spec)
    ints += consts
    ints += [(k, v) for k, v in fam.items() if isinstance(v, int)]
    strings = [k for k, v in fam.items() if isinstance(v, str)]

    with tempfile.TemporaryDirectory(prefix="nlspec.") as wd:
        missing, failed, values, errors = compile_probe(header, ints,
                                                        strings, wd)
    diag = ["undeclared: " + n for n in missing]
    diag += ["assert failed: " + a for a in failed]
    diag += errors[:20]
    tap.check(not diag, "header compiles with the spec's %d "
              "_Static_asserts" % len(ints), diag)

    def values_match(members):
        bad = []
        for name, want in members:
            got = values.get(name)
            if got is None:
                bad.append("%s: missing (spec: %s)" % (name, want))
            elif str(got) != str(want):
                bad.append("%s is %s, spec says %s" % (name, got, want))
        return bad

    henums = header_enums(htext)
    for g in groups:
        tap.check(not values_match(g.members + g.extra),
                  "%s (%s): every constant has the spec's value"
                  % (g.title(), g.what), values_match(g.members + g.extra))
        bodies = [names for tag, names in henums if g.tag and tag == g.tag]
        if not g.tag:
            first = g.members[0][0] if g.members else None
            bodies = [names for _, names in henums if first in names]
        want = {n for n, _ in g.members + g.extra}
        if g is spec.op_enum:
            want.add(spec.op_reserved)
        if len(bodies) != 1:
            tap.check(False, "%s: exactly the spec's constants"
                      % g.title(), ["found %d such enums in the header"
                                    % len(bodies)])
            continue
        have = bodies[0]
        diag = ["extra (not in the spec): " + n for n in have
                if n not in want]
        # The max define may live outside the enum, as a #define.
        diag += ["missing: " + n for n in sorted(want - set(have))
                 if not re.search(r"#define\s+%s\b" % n, htext) and
                 n != spec.op_reserved]
        dup = sorted({n for n in have if have.count(n) > 1})
        diag += ["twice: " + n for n in dup]
        tap.check(not diag, "%s: exactly the spec's constants, no extras"
                  % g.title(), diag)

    tap.check(not values_match(consts), "const definitions (%s)"
              % ", ".join(n for n, _ in consts), values_match(consts))
    tap.check(not values_match(list(fam.items())),
              "family defines (%s)" % ", ".join(fam),
              values_match(list(fam.items())))


# ---- netlink ----------------------------------------------------------------

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_DUMP = 0x300
NLM_F_MULTI = 0x2
NLM_F_ACK_TLVS = 0x200
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLMSGERR_ATTR_MSG = 1
NLA_TYPE_MASK = 0x3fff
NLA_F_NESTED = 0x8000

# <linux/genetlink.h>
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_CMD_GETPOLICY = 10
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
CTRL_ATTR_VERSION = 3
CTRL_ATTR_HDRSIZE = 4
CTRL_ATTR_MAXATTR = 5
CTRL_ATTR_OPS = 6
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_POLICY = 8
CTRL_ATTR_OP_POLICY = 9
CTRL_ATTR_OP = 10
CTRL_ATTR_OP_ID = 1
CTRL_ATTR_OP_FLAGS = 2
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2
CTRL_ATTR_POLICY_DO = 1
CTRL_ATTR_POLICY_DUMP = 2
GENL_ADMIN_PERM = 0x01
GENL_CMD_CAP_DO = 0x02
GENL_CMD_CAP_DUMP = 0x04
GENL_CMD_CAP_HASPOL = 0x08
GENL_UNS_ADMIN_PERM = 0x10
OP_FLAG_NAMES = [(GENL_ADMIN_PERM, "admin-perm"), (GENL_CMD_CAP_DO, "do"),
                 (GENL_CMD_CAP_DUMP, "dump"),
                 (GENL_CMD_CAP_HASPOL, "haspol"),
                 (GENL_UNS_ADMIN_PERM, "uns-admin-perm")]

# <linux/netlink.h>: enum netlink_attribute_type
NL_ATTR_TYPES = ["invalid", "flag", "u8", "u16", "u32", "u64", "s8", "s16",
                 "s32", "s64", "binary", "string", "nul-string", "nested",
                 "nested-array", "bitfield32", "sint", "uint"]
# enum netlink_policy_type_attr: number -> (key, struct format)
NL_POLICY_TYPE_ATTRS = {
    1: ("type", "=I"), 2: ("min_s", "=q"), 3: ("max_s", "=q"),
    4: ("min_u", "=Q"), 5: ("max_u", "=Q"), 6: ("min_len", "=I"),
    7: ("max_len", "=I"), 8: ("policy_idx", "=I"),
    9: ("policy_maxtype", "=I"), 10: ("bitfield32_mask", "=I"),
    12: ("mask", "=Q"),
}
POLICY_KEYS = {v[0]: (k, v[1]) for k, v in NL_POLICY_TYPE_ATTRS.items()}

# Spec attribute type -> the NL_ATTR_TYPE_* names the kernel may dump.
SPEC_TO_NL = {
    "flag": ["flag"], "u8": ["u8"], "u16": ["u16"], "u32": ["u32"],
    "u64": ["u64"], "s8": ["s8"], "s16": ["s16"], "s32": ["s32"],
    "s64": ["s64"], "uint": ["uint"], "sint": ["sint"],
    "binary": ["binary"], "string": ["string", "nul-string"],
    "nest": ["nested"], "indexed-array": ["nested-array"],
}


def nla_align(n):
    return (n + 3) & ~3


def parse_attrs(buf):
    """[(type, payload)] of the attributes in buf."""
    out = []
    off = 0
    while off + 4 <= len(buf):
        alen, atype = struct.unpack_from("=HH", buf, off)
        if alen < 4 or off + alen > len(buf):
            raise ValueError("bad attribute length %d at %d" % (alen, off))
        out.append((atype & NLA_TYPE_MASK, buf[off + 4:off + alen]))
        off += nla_align(alen)
    return out


def attr(atype, payload):
    """One attribute, padded."""
    n = 4 + len(payload)
    return struct.pack("=HH", n, atype) + payload + b"\0" * (nla_align(n) - n)


def nest(atype, items):
    return attr(atype | NLA_F_NESTED, b"".join(items))


def u32(v):
    return struct.pack("=I", v)


def genl_msg(msgtype, cmd, payload, flags=0, seq=0):
    body = struct.pack("=BBH", cmd, 1, 0) + payload
    return struct.pack("=IHHII", 16 + len(body), msgtype, flags, seq, 0) + body


def split_msgs(data):
    """[(type, flags, payload after nlmsghdr)] of a receive buffer."""
    out = []
    off = 0
    while off + 16 <= len(data):
        mlen, mtype, mflags, _, _ = struct.unpack_from("=IHHII", data, off)
        if mlen < 16:
            break
        out.append((mtype, mflags, data[off + 16:off + mlen]))
        off += nla_align(mlen)
    return out


class NetlinkError(Exception):
    def __init__(self, err, msg):
        super().__init__("%s%s" % (os.strerror(err),
                                   ": " + msg if msg else ""))
        self.errno = err


def genl_request(cmd, payload, dump):
    """Send one nlctrl request; the payloads (after the genl header) of
    the replies."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    try:
        try:
            s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        except OSError:
            pass
        s.bind((0, 0))
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        s.send(genl_msg(GENL_ID_CTRL, cmd, payload, flags, seq=1))
        replies = []
        while True:
            data = s.recv(1 << 20)
            for mtype, mflags, body in split_msgs(data):
                if mtype == NLMSG_ERROR:
                    err = -struct.unpack_from("=i", body)[0]
                    if err == 0:
                        return replies
                    msg = ""
                    if mflags & NLM_F_ACK_TLVS:
                        inner = struct.unpack_from("=I", body, 4)[0]
                        for t, p in parse_attrs(body[4 + inner:]):
                            if t == NLMSGERR_ATTR_MSG:
                                msg = p.rstrip(b"\0").decode()
                    raise NetlinkError(err, msg)
                if mtype == NLMSG_DONE:
                    return replies
                replies.append(body[4:])
                if not dump and not mflags & NLM_F_MULTI:
                    # A do gets an ack after its reply (NLM_F_ACK).
                    continue
    finally:
        s.close()


def get_family(name):
    """The CTRL_CMD_GETFAMILY reply of family NAME, parsed."""
    reply = genl_request(CTRL_CMD_GETFAMILY,
                         attr(CTRL_ATTR_FAMILY_NAME,
                              name.encode() + b"\0"), dump=False)
    return parse_family(reply[0])


def parse_family(payload):
    fam = {"ops": {}, "groups": {}}
    for t, p in parse_attrs(payload):
        if t == CTRL_ATTR_FAMILY_ID:
            fam["id"] = struct.unpack_from("=H", p)[0]
        elif t == CTRL_ATTR_FAMILY_NAME:
            fam["name"] = p.rstrip(b"\0").decode()
        elif t == CTRL_ATTR_VERSION:
            fam["version"] = struct.unpack_from("=I", p)[0]
        elif t == CTRL_ATTR_MAXATTR:
            fam["maxattr"] = struct.unpack_from("=I", p)[0]
        elif t == CTRL_ATTR_OPS:
            for _, op in parse_attrs(p):
                d = dict(parse_attrs(op))
                cmd = struct.unpack_from("=I", d[CTRL_ATTR_OP_ID])[0]
                flags = struct.unpack_from("=I", d.get(CTRL_ATTR_OP_FLAGS,
                                                       b"\0" * 4))[0]
                fam["ops"][cmd] = flags
        elif t == CTRL_ATTR_MCAST_GROUPS:
            for _, g in parse_attrs(p):
                d = dict(parse_attrs(g))
                gname = d[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()
                fam["groups"][gname] = struct.unpack_from(
                    "=I", d[CTRL_ATTR_MCAST_GRP_ID])[0]
    return fam


def get_op_policy(fam_id, cmd):
    """The CTRL_CMD_GETPOLICY dump of one command (CTRL_ATTR_OP), parsed.

    One command at a time: in a whole-family dump the kernel files a
    dump-only command's policies under command 0 (the nest type is the
    cmd of its, absent, doit half), so they cannot be told apart."""
    try:
        replies = genl_request(CTRL_CMD_GETPOLICY,
                               attr(CTRL_ATTR_FAMILY_ID,
                                    struct.pack("=H", fam_id)) +
                               attr(CTRL_ATTR_OP, u32(cmd)), dump=True)
    except NetlinkError as e:
        if e.errno == errno.ENODATA:    # the command has no policy
            return {"policies": {}}
        raise
    return parse_policies(replies)


def parse_policies(payloads):
    """The policy dump of one command: {"do": idx, "dump": idx (each when
    the command has that policy), "policies": {idx: {attr: {key: value}}}}.
    """
    pol = {"policies": {}}
    for payload in payloads:
        for t, p in parse_attrs(payload):
            if t == CTRL_ATTR_OP_POLICY:
                for _, body in parse_attrs(p):
                    for k, v in parse_attrs(body):
                        key = {CTRL_ATTR_POLICY_DO: "do",
                               CTRL_ATTR_POLICY_DUMP: "dump"}.get(k)
                        if key:
                            pol[key] = struct.unpack_from("=I", v)[0]
            elif t == CTRL_ATTR_POLICY:
                for idx, body in parse_attrs(p):
                    policy = pol["policies"].setdefault(idx, {})
                    for anum, tbody in parse_attrs(body):
                        info = policy.setdefault(anum, {})
                        for k, v in parse_attrs(tbody):
                            if k in NL_POLICY_TYPE_ATTRS:
                                key, fmt = NL_POLICY_TYPE_ATTRS[k]
                                info[key] = struct.unpack_from(fmt, v)[0]
    return pol


def encode_family(fam):
    """CTRL_CMD_GETFAMILY reply payload of a parsed family (selftest)."""
    items = [attr(CTRL_ATTR_FAMILY_ID, struct.pack("=H", fam["id"])),
             attr(CTRL_ATTR_FAMILY_NAME, fam["name"].encode() + b"\0"),
             attr(CTRL_ATTR_VERSION, u32(fam["version"])),
             attr(CTRL_ATTR_HDRSIZE, u32(0)),
             attr(CTRL_ATTR_MAXATTR, u32(fam.get("maxattr", 0)))]
    ops = [nest(i, [attr(CTRL_ATTR_OP_ID, u32(cmd)),
                    attr(CTRL_ATTR_OP_FLAGS, u32(flags))])
           for i, (cmd, flags) in enumerate(sorted(fam["ops"].items()), 1)]
    if ops:
        items.append(nest(CTRL_ATTR_OPS, ops))
    groups = [nest(i, [attr(CTRL_ATTR_MCAST_GRP_ID, u32(gid)),
                       attr(CTRL_ATTR_MCAST_GRP_NAME,
                            name.encode() + b"\0")])
              for i, (name, gid) in enumerate(fam["groups"].items(), 1)]
    if groups:
        items.append(nest(CTRL_ATTR_MCAST_GROUPS, groups))
    return b"".join(items)


def encode_policies(fam_id, cmd, pol):
    """The CTRL_CMD_GETPOLICY dump of one command as the kernel sends it:
    one message for the command (nested under 0 when it has no do), one
    per policy attribute (selftest)."""
    head = attr(CTRL_ATTR_FAMILY_ID, struct.pack("=H", fam_id))
    out = []
    inner = []
    if "do" in pol:
        inner.append(attr(CTRL_ATTR_POLICY_DO, u32(pol["do"])))
    if "dump" in pol:
        inner.append(attr(CTRL_ATTR_POLICY_DUMP, u32(pol["dump"])))
    if inner:
        out.append(head + nest(CTRL_ATTR_OP_POLICY,
                               [nest(cmd if "do" in pol else 0, inner)]))
    for idx, policy in sorted(pol["policies"].items()):
        for anum, info in sorted(policy.items()):
            fields = []
            for key, v in info.items():
                num, fmt = POLICY_KEYS[key]
                fields.append(attr(num, struct.pack(fmt, v)))
            out.append(head + nest(CTRL_ATTR_POLICY,
                                   [nest(idx, [nest(anum, fields)])]))
    return out


# ---- kernel mode ----------------------------------------------------------------

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


# ---- selftest -------------------------------------------------------------------

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


def run_self(argv):
    """Run this script; (exit status, output)."""
    r = subprocess.run([sys.executable, os.path.abspath(__file__)] + argv,
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

    with tempfile.TemporaryDirectory(prefix="nlspec-self.") as wd:
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


# ---- main -------------------------------------------------------------------

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
            print("nlspec.py: family %s: %s" % (args.family, e),
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
        tap.check(False, "nlspec.py %s ran to the end" % args.mode,
                  ["%s: %s" % (type(e).__name__, e)])
    return tap.emit()


if __name__ == "__main__":
    sys.exit(main())
