"""Terms built once per BMC run (symvals.sharing_terms): the same answers, fewer calls into Z3."""
from __future__ import annotations

import os

import pytest
import z3

from wunderspec_smt.encoders import symvals as V
from wunderspec_smt.engines import bmc
from wunderspec_smt.interp.stepper import replay_trace
from wunderspec_smt.loader import compile_model, load_spec

SPECS = os.path.join(os.path.dirname(__file__), "..", "benchmarks", "specs")


def _builds(a, b, c):
    return [V.b_and(a, b), V.b_or(a, c), V.b_not(c), V.b_implies(a, c), V.b_iff(a, b),
            V.s_eq(z3.BitVec("k", 4), 3), V.b_ite(c, a, b)]


def test_inside_the_block_the_same_term_is_the_same_object():
    a, b, c = z3.Bools("a b c")
    with V.sharing_terms() as table:
        first, again = _builds(a, b, c), _builds(a, b, c)
        assert all(x is y for x, y in zip(first, again))
        assert len(table) == len(first)
    outside = _builds(a, b, c)
    assert all(x is not y and x.eq(y) for x, y in zip(first, outside))   # built anew, equal terms
    assert len(table) == len(first)                                         # the block's table is left alone


def test_each_term_is_the_one_z3_builds_for_its_own_arguments():
    a, b, c = z3.Bools("a b c")
    with V.sharing_terms():
        got = [V.b_and(a, b), V.b_and(b, a), V.b_and(a, c), V.b_implies(a, b), V.b_implies(b, a),
               V.b_ite(a, b, c), V.b_ite(a, c, b)]
    want = [z3.And(a, b), z3.And(b, a), z3.And(a, c), z3.Implies(a, b), z3.Implies(b, a),
            z3.If(a, b, c), z3.If(a, c, b)]
    assert all(g.eq(w) for g, w in zip(got, want))


CASES = [
    ("bcast_folklore.py", "n4", 4, ["unforgeability", "accepted_sent_echo", "all_accepted"]),
    ("two_phase.py", "rm3", 8, ["tc_consistent", "some_committed"]),
    ("hanoi.py", "d3", 7, ["solved"]),
]


@pytest.mark.parametrize("spec,instance,depth,props", CASES, ids=[c[0] for c in CASES])
def test_bmc_gives_the_same_answers_with_and_without_sharing(spec, instance, depth, props, monkeypatch):
    model = compile_model(load_spec(os.path.join(SPECS, spec)), instance, None, None)
    answers = []
    for share in (False, True):
        monkeypatch.setattr(bmc, "SHARE_TERMS", share)
        res = bmc.run_bmc(model, [model.properties[p] for p in props], depth,
                          replay=lambda trace: replay_trace(model, trace), lemmas="off")
        assert res.fault is None
        answers.append({r.name: (r.verdict, r.length, r.depth_checked) for r in res.results})
    assert answers[0] == answers[1]
