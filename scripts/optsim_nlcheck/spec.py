# SPDX-License-Identifier: GPL-2.0
"""The parts of a genetlink spec the checks need: its keys checked
against the upstream "genetlink" schema, its names given C spellings, and
what the kernel's policies should say of each attribute."""

import re

import yaml


def c_upper(name):
    return name.upper().replace("-", "_")


def c_lower(name):
    return name.lower().replace("-", "_")


def numbered(items, cname):
    """Copies of the spec entries items, each with its "value" (as given,
    else one past the one before, from 1) and its C name "cname" (from
    cname(entry)); and the last value (0 for none)."""
    out = []
    val = 1
    for it in items:
        it = dict(it)
        val = it["value"] = it.get("value", val)
        it["cname"] = cname(it)
        out.append(it)
        val += 1
    return out, val - 1


def enum_members(entries):
    """The (C name, value) pairs of numbered() entries."""
    return [(e["cname"], e["value"]) for e in entries]


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
            members, top = numbered(s.get("attributes", []),
                                    lambda a: c_upper(pfx + a["name"]))
            for a in members:
                attrs[a["name"]] = a
            extra = [(c_upper("__" + pfx + "max"), top + 1),
                     (c_upper(pfx + "max"), top)]
            self.sets[name] = {"name": name, "subset-of": None,
                               "attrs": attrs}
            self.set_enums.append(CEnum('attribute-set "%s"' % name, tag,
                                        enum_members(members), extra))
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
        self.ops, top = numbered(ops.get("list", []),
                                 lambda o: self.op_prefix + c_upper(o["name"]))
        extra = [("__" + self.op_prefix + "MAX", top + 1),
                 (self.op_prefix + "MAX", top)]
        # Value 0 is not an operation; the header may name it UNSPEC.
        self.op_enum = CEnum("operations", tag, enum_members(self.ops), extra)
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
