"""The Z3 adapter: incremental by default, from scratch per query after a slow one."""
import z3

from wunderspec_smt.solvers.z3native import Verdict, Z3Solver


def _pigeons(n: int):
    """n + 1 pigeons in n holes: unsat, and slow enough for a tiny budget to run out."""
    x = [[z3.Bool(f"p{i}_{j}") for j in range(n)] for i in range(n + 1)]
    cs = [z3.Or(row) for row in x]
    for j in range(n):
        for i in range(n + 1):
            for k in range(i + 1, n + 1):
                cs.append(z3.Or(z3.Not(x[i][j]), z3.Not(x[k][j])))
    return cs


def test_answers_incrementally_under_assumptions():
    s = Z3Solver("QF_BV")
    v = z3.BitVec("v", 4)
    s.add(v * v == 9)
    a, b = z3.Bool("a"), z3.Bool("b")
    s.add(z3.Implies(a, v == 3), z3.Implies(b, v == 4))
    assert s.check([a]) == Verdict.SAT
    assert s.model().eval(v).as_long() == 3
    assert s.check([b]) == Verdict.UNSAT
    assert not s.from_scratch and s.checks == 2


def test_a_query_over_budget_is_asked_again_from_scratch_and_so_are_later_ones():
    s = Z3Solver("QF_BV", fresh_after=0.001, sat_solver=None)   # the SAT solver's path: test_sat_backend.py
    lit = z3.Bool("hard")
    s.add(*(z3.Implies(lit, c) for c in _pigeons(8)))
    assert s.check([lit]) == Verdict.UNSAT        # the budget ran out; the fresh solver answered
    assert s.from_scratch
    w = z3.BitVec("w", 4)
    s.add(w + 1 == 5)
    assert s.check([]) == Verdict.SAT              # later queries see every assertion
    assert s.model().eval(w).as_long() == 4
    assert "max memory" in s.statistics()


def test_the_callers_timeout_still_bounds_the_query():
    s = Z3Solver("QF_BV", fresh_after=0.001)
    s.add(*_pigeons(11))
    assert s.check([], timeout_s=0.2) == Verdict.UNKNOWN
    assert s.reason_unknown


def test_an_inconclusive_answer_that_is_not_a_timeout_is_not_asked_again():
    """Only slowness sends a query to a fresh solver; an interrupt or a resource limit stays unknown."""
    s = Z3Solver("QF_BV", fresh_after=5.0)
    s._s.set("rlimit", 1)              # stands in for an interrupt: unknown, for another reason
    s.add(*_pigeons(9))
    assert s.check([]) == Verdict.UNKNOWN
    assert s.reason_unknown != "timeout"
    assert not s.from_scratch


def test_solver_time_counts_making_the_solver_and_its_models():
    # what Z3 does outside `check` is Z3's time too: its set-up, and mapping a model back
    s = Z3Solver("QF_BV")
    assert s.solver_seconds > 0 and s.checks == 0
    v = z3.BitVec("made_v", 4)
    s.add(v + 1 == 3)
    assert s.check() == Verdict.SAT
    after_check = s.solver_seconds
    assert s.model().eval(v).as_long() == 2
    assert s.solver_seconds > after_check
