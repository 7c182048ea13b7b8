"""The incremental Z3 solver behind the engines, with time accounting.

Engines ask satisfiability under assumption literals; this adapter measures how
long Z3 itself takes so that benchmarks can report solver versus Python time.
"""
from __future__ import annotations

import time
from typing import Any, Optional, Sequence

import z3


class Verdict:
    SAT = "sat"
    UNSAT = "unsat"
    UNKNOWN = "unknown"


class Z3Solver:
    def __init__(self, logic: Optional[str] = None):
        self._s = z3.SolverFor(logic) if logic else z3.Solver()
        self.solver_seconds = 0.0
        self.checks = 0
        self.reason_unknown = ""

    def add(self, *constraints: Any) -> None:
        for c in constraints:
            if c is True:
                continue
            if c is False:
                self._s.add(z3.BoolVal(False))
                continue
            self._s.add(c)

    def check(self, assumptions: Sequence[Any] = (), timeout_s: Optional[float] = None) -> str:
        if timeout_s is not None:
            self._s.set("timeout", max(1, int(timeout_s * 1000)))
        start = time.perf_counter()
        try:
            r = self._s.check(*assumptions)
        finally:
            self.solver_seconds += time.perf_counter() - start
            self.checks += 1
        if r == z3.sat:
            return Verdict.SAT
        if r == z3.unsat:
            return Verdict.UNSAT
        self.reason_unknown = self._s.reason_unknown()
        return Verdict.UNKNOWN

    def model(self) -> z3.ModelRef:
        return self._s.model()

    def assertions_size(self) -> int:
        return len(self._s.assertions())
