"""Queries asked of an external SAT solver (Kissat via PySAT) once BMC goes on from scratch."""
import os
import random
import time

import pytest
import z3

from wunderspec_smt.engines import bmc
from wunderspec_smt.engines.bmc import run_bmc
from wunderspec_smt.interp.stepper import replay_trace
from wunderspec_smt.loader import compile_model, load_spec
from wunderspec_smt.solvers.sat_backend import ask_sat_solver
from wunderspec_smt.solvers.z3native import Verdict, Z3Solver

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_a_satisfiable_query_comes_back_as_a_model_of_the_vectors():
    x, y = z3.BitVecs("x y", 6)
    b = z3.Bool("b")
    query = [x + y == 5, z3.UGT(x, y), z3.Implies(b, x == 4), z3.Or(b, y == 0)]
    answer = ask_sat_solver(query, 10)
    assert answer.verdict == z3.sat
    m = answer.model
    assert all(z3.is_true(m.eval(c, model_completion=True)) for c in query)
    assert (m.eval(x).as_long(), m.eval(y).as_long()) in ((5, 0), (4, 1))
    assert answer.stats["sat vars"] > 0 and answer.stats["sat clauses"] > 0


def test_distinct_is_expanded_before_bit_blasting():
    """`bit-blast` leaves `distinct` alone; as a free variable of the CNF it would make nine
    pigeons fit in eight holes."""
    xs = [z3.BitVec(f"x{i}", 4) for i in range(9)]
    answer = ask_sat_solver([z3.ULT(x, 8) for x in xs] + [z3.Distinct(*xs)], 10)
    assert answer.verdict == z3.unsat


def test_queries_decided_by_preprocessing():
    v = z3.BitVec("v", 4)
    assert ask_sat_solver([v == 3, v == 4], 10).verdict == z3.unsat
    answer = ask_sat_solver([v == 3], 10)
    assert answer.verdict == z3.sat and answer.model.eval(v).as_long() == 3


def test_what_does_not_become_cnf_is_left_to_z3():
    i = z3.Int("i")
    assert ask_sat_solver([i * i == 49, i > 0], 10) is None


def test_an_unknown_solver_is_left_to_z3():
    v = z3.BitVec("v", 4)
    assert ask_sat_solver([v * v == 9, z3.ULT(v, 8)], 10, solver="no-such-solver") is None


def _random_3sat(n: int, seed: int):
    rng = random.Random(seed)
    vs = [z3.Bool(f"b{i}") for i in range(n)]
    return [z3.Or(*[vs[v] if rng.random() < .5 else z3.Not(vs[v]) for v in rng.sample(range(n), 3)])
            for _ in range(int(4.26 * n))]


def test_the_deadline_stops_the_sat_solver():
    """Kissat cannot be interrupted inside PySAT: the child process is killed at the deadline."""
    start = time.perf_counter()
    answer = ask_sat_solver(_random_3sat(700, 1), 0.5)
    assert answer.verdict == z3.unknown and answer.reason == "timeout"
    assert time.perf_counter() - start < 5


def test_from_scratch_queries_go_to_the_sat_solver():
    s = Z3Solver("QF_BV", fresh_after=0)
    assert s.from_scratch
    v = z3.BitVec("v", 4)
    a, b = z3.Bool("a"), z3.Bool("b")
    s.add(v * v == 9, z3.Implies(a, v == 3), z3.Implies(b, v == 4))
    assert s.check([a]) == Verdict.SAT
    assert s.model().eval(v).as_long() == 3
    assert "sat vars" in s.statistics()
    assert s.check([b]) == Verdict.UNSAT
    assert s.sat_answers == 2


def test_without_a_sat_solver_z3_answers_from_scratch():
    s = Z3Solver("QF_BV", fresh_after=0, sat_solver=None)
    v = z3.BitVec("v", 4)
    s.add(v * v == 9, z3.ULT(v, 8))
    assert s.check([]) == Verdict.SAT and s.model().eval(v).as_long() == 3
    assert s.sat_answers == 0 and "max memory" in s.statistics()


def test_a_timeout_of_the_sat_solver_is_inconclusive():
    s = Z3Solver("QF_BV", fresh_after=0)
    s.add(*_random_3sat(700, 2))
    verdict = s.check([], timeout_s=0.5)
    assert verdict == Verdict.UNKNOWN and s.reason_unknown == "timeout", (verdict, s.reason_unknown, s.sat_answers)


CASES = [("benchmarks/specs/paxos.py", "a3v2b1", 6), ("benchmarks/specs/seq_wrap.py", "mod3", 12),
         ("benchmarks/specs/hanoi.py", "d3", 7), ("benchmarks/specs/bakery.py", "n2", 5),
         ("examples/mutex_race.py", None, 6)]


@pytest.mark.parametrize("rel,inst,k", CASES)
def test_bmc_from_scratch_with_the_sat_solver_gives_the_same_answers(rel, inst, k, monkeypatch):
    """Every query through Kissat (a from-scratch run from the start): the same verdicts and
    shortest lengths as Z3 incrementally, and every trace replays."""
    model = compile_model(load_spec(os.path.join(ROOT, rel)), inst, None, None)
    props = list(model.properties.values())
    replay = lambda trace: replay_trace(model, trace)  # noqa: E731
    plain = run_bmc(model, props, k, replay=replay, lemmas="off")
    monkeypatch.setattr(bmc, "FRESH_AFTER_S", 0.0)
    scratch = run_bmc(model, props, k, replay=replay, lemmas="off")
    assert scratch.stats["from_scratch"] and scratch.stats["sat_answers"] > 0
    assert [(r.name, r.verdict, r.length) for r in scratch.results] == \
        [(r.name, r.verdict, r.length) for r in plain.results]
    assert any(r.verdict in ("violated", "found") for r in plain.results) == (rel != "benchmarks/specs/bakery.py")


def test_no_worker_process_means_z3_answers(monkeypatch):
    import wunderspec_smt.solvers.sat_backend as sb
    monkeypatch.setattr(sb.sys, "executable", "/nonexistent/python")
    v = z3.BitVec("v", 4)
    assert ask_sat_solver([v * v == 9, z3.ULT(v, 8)], 10) is None
    s = Z3Solver("QF_BV", fresh_after=0)
    s.add(v * v == 9, z3.ULT(v, 8))
    assert s.check([]) == Verdict.SAT and s.model().eval(v).as_long() == 3
    assert s.sat_answers == 0


def test_a_sat_solver_that_cannot_answer_leaves_the_query_to_z3():
    s = Z3Solver("QF_BV", fresh_after=0, sat_solver="no-such-solver")
    v = z3.BitVec("v", 4)
    s.add(v * v == 9, z3.ULT(v, 8))
    assert s.check([], timeout_s=30) == Verdict.SAT and s.model().eval(v).as_long() == 3
    assert s.sat_answers == 0


def test_queries_can_be_dumped_and_timed_one_shot(tmp_path):
    """benchmarks/queries.py: the tool behind the one-shot solver comparisons in benchmarks/README.md."""
    import subprocess
    import sys
    tool = os.path.join(ROOT, "benchmarks", "queries.py")
    out = subprocess.run([sys.executable, tool, "dump", "hanoi", "-i", "d3", "-k", "7", "--out", str(tmp_path)],
                         capture_output=True, text=True, check=True).stdout.split()
    assert len(out) >= 8 and all(os.path.exists(p) for p in out)
    timed = subprocess.run([sys.executable, tool, "solve", out[-1], "--with", "z3", "kissat404"],
                           capture_output=True, text=True, check=True).stdout.splitlines()
    assert [line.split(":")[1].split()[0] for line in timed] == ["sat", "sat"]   # the 7-move solution
