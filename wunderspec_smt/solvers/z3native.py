"""The incremental Z3 solver behind the engines, with time accounting.

Engines ask satisfiability under assumption literals; this adapter measures how
long Z3 itself takes so that benchmarks can report solver versus Python time.
"""
from __future__ import annotations

import time
from typing import Any, Optional, Sequence

import z3

from .interrupts import interruptible
from .sat_backend import DEFAULT_SAT_SOLVER, SatAnswer, ask_sat_solver


class Verdict:
    SAT = "sat"
    UNSAT = "unsat"
    UNKNOWN = "unknown"


class Z3Solver:
    """One incremental Z3 solver, or (after a slow query) a fresh solver per query.

    An incremental solver keeps what it learnt at earlier depths, but must keep every symbol of the
    unrolling: it cannot eliminate the state variables defined by equalities, and Z3's SAT solver
    cannot run its full preprocessing on them. For most specs that does not matter and learning wins
    (EWD840 to depth 30: 7 s incremental, 30 s from scratch). For a few hard queries it is the
    other way round (Paxos' agreement at depth 12: over 300 s incremental, 44 s from scratch).
    With `fresh_after` set, a query that takes longer than that many seconds is abandoned and asked
    again of a fresh solver, and every later query is asked from scratch too. From scratch, a
    QF_BV query goes to `sat_solver` (Kissat by default; sat_backend.py) when it can take it:
    on those hard queries it beats Z3's own SAT solver by 2-14x.
    """

    def __init__(self, logic: Optional[str] = None, fresh_after: Optional[float] = None,
                 sat_solver: Optional[str] = DEFAULT_SAT_SOLVER):
        self.logic = logic
        start = time.perf_counter()
        # Z3's own set-up (the first solver of a process also makes z3's context: 10-25 ms of C++)
        self._s = self._new()
        made = time.perf_counter() - start
        self._asked: Optional[z3.Solver] = None   # the solver that answered the last query
        self._answer: Optional[SatAnswer] = None  # ... or the SAT solver's answer to it
        self.sat_solver = sat_solver if logic == "QF_BV" else None
        self.sat_answers = 0                      # queries answered by `sat_solver`
        self.fresh_after = fresh_after
        self.from_scratch = fresh_after is not None and fresh_after <= 0   # 0: from scratch from the start
        self.solver_seconds = made   # time inside Z3: making the solver, its checks, its models
        self.checks = 0
        self.reason_unknown = ""

    def _new(self) -> z3.Solver:
        s = z3.SolverFor(self.logic) if self.logic else z3.Solver()
        s.set("ctrl_c", False)   # Ctrl-C is handled by `interruptible`
        return s

    def add(self, *constraints: Any) -> None:
        for c in constraints:
            if c is True:
                continue
            if c is False:
                self._s.add(z3.BoolVal(False))
                continue
            self._s.add(c)

    def check(self, assumptions: Sequence[Any] = (), timeout_s: Optional[float] = None) -> str:
        start = time.perf_counter()
        try:
            if self.from_scratch:
                return self._verdict(self._ask_fresh(assumptions, timeout_s))
            if self.fresh_after is None or (timeout_s is not None and timeout_s <= self.fresh_after):
                return self._verdict(self._ask(self._s, assumptions, timeout_s))
            r = self._ask(self._s, assumptions, self.fresh_after)
            if r != z3.unknown or self.reason_unknown != "timeout":
                return self._verdict(r)   # answered, or inconclusive for another reason (interrupted)
            self.from_scratch = True      # too slow incrementally: from scratch from now on
            left = None if timeout_s is None else timeout_s - (time.perf_counter() - start)
            if left is not None and left <= 0:
                return self._verdict(r)
            return self._verdict(self._ask_fresh(assumptions, left))
        finally:
            self.solver_seconds += time.perf_counter() - start
            self.checks += 1

    def _ask_fresh(self, assumptions: Sequence[Any], timeout_s: Optional[float]) -> Any:
        if self.sat_solver is not None:
            start = time.perf_counter()
            answer = ask_sat_solver(list(self._s.assertions()) + list(assumptions), timeout_s, self.sat_solver)
            if answer is not None:
                self._answer, self._asked = answer, None
                self.sat_answers += 1
                if answer.verdict == z3.unknown:
                    self.reason_unknown = answer.reason
                return answer.verdict
            if timeout_s is not None:   # Z3 answers instead, in the time that is left
                timeout_s = max(0.001, timeout_s - (time.perf_counter() - start))
        fresh = self._new()
        fresh.add(self._s.assertions())
        return self._ask(fresh, assumptions, timeout_s)

    def _ask(self, solver: z3.Solver, assumptions: Sequence[Any], timeout_s: Optional[float]) -> Any:
        solver.set("timeout", max(1, int(timeout_s * 1000)) if timeout_s is not None else 4294967295)
        self._asked, self._answer = solver, None
        start = time.perf_counter()
        with interruptible():
            r = solver.check(*assumptions)
        if r == z3.unknown:
            reason = solver.reason_unknown()
            # Z3 says "canceled" when its timer fires in some phases (preprocessing): the deadline too
            if reason == "canceled" and timeout_s is not None and time.perf_counter() - start >= timeout_s:
                reason = "timeout"
            self.reason_unknown = reason
        return r

    @staticmethod
    def _verdict(r: Any) -> str:
        if r == z3.sat:
            return Verdict.SAT
        if r == z3.unsat:
            return Verdict.UNSAT
        return Verdict.UNKNOWN

    def model(self) -> z3.ModelRef:
        """The last query's model. Building it is Z3's work (mapping the bit-blasted assignment back
        to bit-vectors: a few ms on a 31-step Hanoi trace), so it counts as solver time."""
        if self._answer is not None and self._answer.model is not None:
            return self._answer.model
        start = time.perf_counter()
        try:
            return (self._asked or self._s).model()
        finally:
            self.solver_seconds += time.perf_counter() - start

    def statistics(self) -> dict:
        """Z3's counters of the solver that answered the last query, under one set of names whether that
        was the SMT core, Z3's SAT solver (which says "sat conflicts" and splits clauses by arity) or
        the external SAT solver (which says how big its CNF was)."""
        if self._answer is not None:
            out = dict(self._answer.stats)
            out.setdefault("mk bool var", out.get("sat vars", 0))
            out.setdefault("mk clause", out.get("sat clauses", 0))
            return out
        st = (self._asked or self._s).statistics()
        raw: dict = {}
        for i in range(len(st)):  # by index: z3's lookup by key scans every key, once per key
            k, v = st[i]
            raw.setdefault(k, v)
        out = dict(raw)
        for name in ("conflicts", "decisions", "propagations"):
            if name not in out and f"sat {name}" in raw:
                out[name] = raw[f"sat {name}"]
        if "propagations" not in out and "sat propagations 2ary" in raw:
            out["propagations"] = raw["sat propagations 2ary"] + raw.get("sat propagations nary", 0)
        if "mk bool var" not in out and "sat mk var" in raw:
            out["mk bool var"] = raw["sat mk var"]
        if "mk clause" not in out and "sat mk clause 2ary" in raw:
            out["mk clause"] = raw["sat mk clause 2ary"] + raw.get("sat mk clause nary", 0)
        return out

    def assertions(self) -> Any:
        return self._s.assertions()

    def assertions_size(self) -> int:
        return len(self._s.assertions())
