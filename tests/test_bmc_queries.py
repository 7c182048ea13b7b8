"""How many queries BMC asks per depth (engines/bmc.py, ONE_QUERY_FIRST).

A depth where nothing can happen is settled by one query over every target; the
groups (undefined properties, undefined step, properties) are asked one by one only
when that query is sat, so faults still come first (tests/test_differential_examples.py
pins that rule on a spec with a violation and a fault at the same depth).
"""
from __future__ import annotations

import os

import pytest

from wunderspec_smt.engines import bmc
from wunderspec_smt.interp.stepper import replay_trace
from wunderspec_smt.loader import compile_model, load_spec
from wunderspec_smt.solvers import z3native

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPECS = os.path.join(ROOT, "benchmarks", "specs")


def _run(spec, instance, depth, props, one_query, monkeypatch):
    monkeypatch.setattr(bmc, "ONE_QUERY_FIRST", one_query)
    calls = []
    original = z3native.Z3Solver.check

    def counting(self, *a, **k):
        verdict = original(self, *a, **k)
        calls.append(verdict)
        return verdict

    monkeypatch.setattr(z3native.Z3Solver, "check", counting)
    model = compile_model(load_spec(os.path.join(SPECS, spec)), instance, None, None)
    res = bmc.run_bmc(model, [model.properties[p] for p in props], depth,
                      replay=lambda trace: replay_trace(model, trace), lemmas="off")
    assert res.fault is None
    return {r.name: (r.verdict, r.length) for r in res.results}, calls


def test_a_depth_where_nothing_happens_takes_one_query(monkeypatch):
    # bcastFolklore's step and invariants do lookups that may be undefined, so each depth below the bound
    # has three groups of targets (undefined invariants, undefined step, invariants) and the last has two
    args = ("bcast_folklore.py", "n4", 4, ["unforgeability", "accepted_sent_echo"])
    grouped, calls_grouped = _run(*args, False, monkeypatch)
    one, calls_one = _run(*args, True, monkeypatch)
    assert one == grouped == {"unforgeability": ("holds", None), "accepted_sent_echo": ("holds", None)}
    assert len(calls_one) == 5                  # depths 0..4, one query each
    assert len(calls_grouped) == 3 * 4 + 2
    assert all(v == z3native.Verdict.UNSAT for v in calls_one)


@pytest.mark.parametrize("one_query", [True, False])
def test_a_hit_is_found_at_its_depth_either_way(one_query, monkeypatch):
    got, _ = _run("bcast_folklore.py", "n4", 4, ["unforgeability", "all_accepted"], one_query, monkeypatch)
    assert got == {"unforgeability": ("holds", None), "all_accepted": ("found", 4)}
