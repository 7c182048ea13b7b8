"""Hard bit-vector queries answered by a dedicated SAT solver (Kissat, through PySAT).

With bit-vector integers a BMC query is pure QF_BV, which Z3 decides by bit-blasting into
its own SAT solver. On the hardest queries we have, a competition SAT solver on the same
bit-blasted clauses is much faster: Paxos' `agreement` at depth 12 takes Z3 23 s and
Kissat 12 s, at depth 13 Z3 261-471 s and Kissat 34 s. On easy queries it is not (the
bcastFolklore queries of 0.4-0.6 s take as long again in Z3's preprocessing alone), so this
path is only for queries asked from scratch, after one proved slow (see `Z3Solver`).

The pipeline: Z3's tactics simplify, bit-blast and Tseitin-encode the query into CNF; a child
process (`sat_worker.py`) runs the SAT solver; a model comes back through the tactics' model
converter and is checked against the query before anyone sees it. Whatever this path cannot
do (a query that is not pure bit-vectors, a missing solver, a model that does not check) it
answers `None`, and the caller asks Z3 instead.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Sequence, Tuple

import z3

from .interrupts import interruptible

DEFAULT_SAT_SOLVER = "kissat404"   # PySAT's name for Kissat 4.0.4
WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sat_worker.py")
NO_CLAUSES = {"sat vars": 0, "sat clauses": 0}   # what is left of a query that preprocessing decides


def _preprocess() -> z3.Tactic:
    """Z3's own QF_BV preprocessing, up to where its SAT solver would take over. `bit-blast` leaves
    `distinct` alone, so it is expanded first; any other atom that is not a Boolean constant would
    become a free variable of the CNF, which can only make it easier to satisfy: an `unsat` stays
    sound, and a `sat` is checked against the query."""
    return z3.Then(z3.With("simplify", blast_distinct=True), "propagate-values", "solve-eqs",
                   "elim-uncnstr", "simplify", "bit-blast", "tseitin-cnf")


@dataclass
class SatAnswer:
    verdict: Any                      # z3.sat, z3.unsat or z3.unknown
    model: Optional[z3.ModelRef] = None
    reason: str = ""                  # why unknown
    stats: Dict[str, float] = field(default_factory=dict)


def ask_sat_solver(constraints: Sequence[z3.BoolRef], timeout_s: Optional[float],
                   solver: str = DEFAULT_SAT_SOLVER) -> Optional[SatAnswer]:
    """Decide the conjunction of `constraints` by CNF and an external SAT solver, or None when
    this path cannot (the caller then asks Z3)."""
    deadline = None if timeout_s is None else time.perf_counter() + timeout_s
    goal = z3.Goal()
    goal.add(*constraints)
    cnf = _to_cnf(goal, timeout_s)
    if cnf is None or isinstance(cnf, SatAnswer):
        return _checked(cnf, constraints)
    dimacs, subgoal = cnf
    _p, _cnf, n_vars, n_clauses = dimacs[:dimacs.index("\n")].split()
    stats: Dict[str, float] = {"sat vars": int(n_vars), "sat clauses": int(n_clauses)}
    left = None if deadline is None else deadline - time.perf_counter()
    if left is not None and left <= 0:
        return SatAnswer(z3.unknown, reason="timeout", stats=stats)
    out = _run_worker(solver, dimacs, left)
    if out is None:
        return None
    if out == "timeout":
        return SatAnswer(z3.unknown, reason="timeout", stats=stats)
    verdict, literals, counters = out
    stats.update(counters)
    if verdict == "unsat":
        return SatAnswer(z3.unsat, stats=stats)
    return _checked(SatAnswer(z3.sat, model=_model_back(subgoal, dimacs, literals), stats=stats), constraints)


def _checked(answer: Optional[SatAnswer], constraints: Sequence[z3.BoolRef]) -> Optional[SatAnswer]:
    """`answer`, unless it is a model that does not satisfy the query (then None: Z3 answers)."""
    if answer is None or answer.verdict != z3.sat:
        return answer
    if all(z3.is_true(answer.model.eval(c, model_completion=True)) for c in constraints):
        return answer
    return None


def _to_cnf(goal: z3.Goal, timeout_s: Optional[float]) -> Any:
    """(DIMACS text, the CNF goal), a SatAnswer when preprocessing decided the query, or None when
    the query does not become CNF (not pure bit-vectors)."""
    tactic = _preprocess()
    if timeout_s is not None:
        tactic = z3.TryFor(tactic, max(1, int(timeout_s * 1000)))
    try:
        with interruptible():
            result = tactic(goal)
    except z3.Z3Exception as e:
        if "timeout" in str(e) or "canceled" in str(e):
            return SatAnswer(z3.unknown, reason="timeout")
        return None
    if len(result) != 1:
        return None
    subgoal = result[0]
    if subgoal.inconsistent():
        return SatAnswer(z3.unsat, stats=dict(NO_CLAUSES))
    if len(subgoal) == 0:
        return SatAnswer(z3.sat, model=subgoal.convert_model(z3.Model()), stats=dict(NO_CLAUSES))
    try:
        dimacs = subgoal.dimacs(False)
    except z3.Z3Exception:
        return None
    return dimacs, subgoal


def _run_worker(solver: str, dimacs: str, timeout_s: Optional[float]) -> Any:
    """("sat"/"unsat", model literals, counters), "timeout", or None when the worker failed."""
    try:
        proc = subprocess.Popen([sys.executable, WORKER, solver], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError:   # no interpreter to start (an embedded Python): Z3 answers
        return None
    try:
        out, _err = proc.communicate(dimacs, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return "timeout"
    except OSError:   # the worker went away while reading the problem: Z3 answers
        return None
    finally:
        if proc.poll() is None:   # timed out, or interrupted (Ctrl-C) while waiting
            proc.kill()
            proc.wait()
    if proc.returncode != 0:
        return None
    lines = out.split("\n")
    if not lines or lines[0] not in ("sat", "unsat"):
        return None
    literals = [int(x) for x in lines[1].split()] if len(lines) > 1 else []
    counters = {}
    for item in (lines[2].split() if len(lines) > 2 else ()):
        key, _, value = item.partition("=")
        counters[key] = float(value) if "." in value else int(value)
    return lines[0], literals, counters


def _model_back(subgoal: z3.Goal, dimacs: str, literals: Sequence[int]) -> z3.ModelRef:
    """The SAT model as a Z3 model of the original query: the CNF's variables, then the tactics'
    model converter (bits back to vectors, eliminated variables back in).

    The bits that `bit-blast` makes are fresh constants: a constant of the same name is another
    symbol, so each DIMACS variable is found as an atom of the goal, at its first occurrence
    (DIMACS numbers variables in the order the clauses first mention them, and writes the
    goal's formulas in order). Visiting only those clauses keeps this to a fraction of a second
    on 100k clauses, where walking all of them took seconds."""
    first: Dict[int, Tuple[int, int]] = {}
    index = 0
    for line in dimacs.splitlines():
        if not line or line[0] in "cp":
            continue
        for pos, lit in enumerate(line.split()[:-1]):
            var = abs(int(lit))
            if var not in first:
                first[var] = (index, pos)
        index += 1
    value = {abs(lit): lit > 0 for lit in literals}
    bits = z3.Model()
    for var, (clause, pos) in first.items():
        f = subgoal[clause]
        atom = f.arg(pos) if z3.is_or(f) else f
        if z3.is_not(atom):
            atom = atom.arg(0)
        if z3.is_const(atom) and var in value:
            bits.update_value(atom.decl(), z3.BoolVal(value[var]))
    return subgoal.convert_model(bits)
