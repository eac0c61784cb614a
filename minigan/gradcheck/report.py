"""A gradient check's verdict, one row per tensor, printable as a table.

For each checked entry i, with a the analytic and n the numeric derivative,

    relative error = |a − n| / max(floor, |a| + |n|)

(floor: 1e-8, or the finite difference's round-off resolution if larger; see core.py)
and a tensor's row holds the largest of these. A row reads "exact" when that error is
below tol/1000, "close" when below tol, and "wrong" otherwise.
"""
from dataclasses import dataclass, field


@dataclass
class Row:
    name: str
    shape: tuple
    checked: int
    max_rel_error: float
    tol: float
    floor: float = 1e-8
    kinks: int = 0          # entries left out: a kink lay within the finite difference's reach

    @property
    def status(self):
        if self.max_rel_error <= self.tol * 1e-3:
            return "exact"
        return "close" if self.max_rel_error <= self.tol else "wrong"

    @property
    def ok(self):
        # a row whose every entry sat on a kink proves nothing: that is not a pass
        return self.status != "wrong" and (self.checked > 0 or self.kinks == 0)


@dataclass
class Report:
    title: str
    rows: list = field(default_factory=list)

    @property
    def ok(self):
        return all(r.ok for r in self.rows)

    def __getitem__(self, name):
        for r in self.rows:
            if r.name == name:
                return r
        raise KeyError(f"no tensor {name!r} in this report; it has {[r.name for r in self.rows]}")

    def __str__(self):
        header = ("tensor", "shape", "checked", "kinks", "max rel err", "floor", "result")
        cells = [(r.name, "×".join(map(str, r.shape)) or "scalar", str(r.checked), str(r.kinks),
                  f"{r.max_rel_error:.1e}", f"{r.floor:.0e}", r.status) for r in self.rows]
        widths = [max(len(c[i]) for c in [header] + cells) for i in range(len(header))]
        line = lambda c: "  ".join(s.ljust(w) for s, w in zip(c, widths)).rstrip()
        verdict = "PASS" if self.ok else "FAIL"
        return "\n".join([f"{self.title}: {verdict}", "  " + line(header)]
                         + ["  " + line(c) for c in cells])
