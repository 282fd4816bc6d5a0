# SPDX-License-Identifier: GPL-2.0
"""The uapi header against the spec: every constant the spec defines
compiled with gcc as a _Static_assert and printed by a program built
against the header; the header's enums hold nothing the spec lacks."""

import os
import re
import subprocess
import tempfile

import yaml

from .spec import Spec, SpecError, c_upper


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

    with tempfile.TemporaryDirectory(prefix="nlcheck.") as wd:
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
