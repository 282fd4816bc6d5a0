# SPDX-License-Identifier: GPL-2.0
"""TAP output for the checker: one result per check, the plan first."""


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
