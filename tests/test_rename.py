"""Reusing encodings across depths by renaming (encoders/rename.py, bmc.Unrolling).

The renaming must give the same answers as encoding every depth from scratch; the
differential tests (BMC against explicit search) run with it on, and here the two
ways are compared directly on specs whose state shape settles after a few steps.
"""
from __future__ import annotations

import os

import pytest
import z3

from wunderspec_smt.encoders import symvals as V
from wunderspec_smt.encoders.rename import Renamer, match_states
from wunderspec_smt.encoders.symvals import SList, SMap, SSet
from wunderspec_smt.engines import bmc
from wunderspec_smt.interp.stepper import replay_trace
from wunderspec_smt.loader import compile_model, load_spec

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPECS = os.path.join(ROOT, "benchmarks", "specs")


# --- matching shapes -----------------------------------------------------------------------

def test_same_shapes_give_the_renaming_of_symbols():
    a, b, c, d = z3.Bools("a b c d")
    x, y = z3.BitVecs("x y", 4)
    old = {"s": SSet(((1, a), (2, b)), True), "n": x, "k": 3}
    new = {"s": SSet(((1, c), (2, d)), True), "n": y, "k": 3}
    pairs = match_states(old, new)
    assert pairs is not None
    got = {str(o): str(n) for o, n in pairs.values()}
    assert got == {"a": "c", "b": "d", "x": "y"}


@pytest.mark.parametrize("new", [
    {"s": SSet(((1, z3.Bool("c")),), True)},                       # one slot fewer
    {"s": SSet(((1, z3.Bool("c")), (3, z3.Bool("d"))), True)},     # another constant key
    {"s": SSet(((1, z3.Bool("c")), (2, z3.Bool("d"))), False)},    # not known distinct
    {"s": SSet(((1, True), (2, z3.Bool("d"))), True)},             # a constant where a symbol was
    {"s": SMap(((1, z3.Bool("c"), 0), (2, z3.Bool("d"), 0)))},     # another kind of value
])
def test_different_shapes_do_not_match(new):
    old = {"s": SSet(((1, z3.Bool("a")), (2, z3.Bool("b"))), True)}
    assert match_states(old, new) is None


def test_a_symbol_that_would_become_two_terms_does_not_match():
    a = z3.Bool("a")
    old = {"p": a, "q": a}
    assert match_states(old, {"p": z3.Bool("c"), "q": z3.Bool("d")}) is None
    # the other way round is a renaming (two symbols may become one)
    assert match_states({"p": z3.Bool("c"), "q": z3.Bool("d")}, old) is not None


def test_bool_and_int_constants_are_different_shapes():
    assert match_states({"v": True}, {"v": 1}) is None
    assert match_states({"v": 1}, {"v": 1}) == {}


# --- renaming ------------------------------------------------------------------------------

def test_renamer_replaces_state_symbols_and_renews_created_ones():
    x, y = z3.BitVecs("x y", 4)
    sel = z3.BitVec("sel@3#1", 2)
    r = Renamer([(x, y)], [sel], "~7")
    t = z3.If(sel == 1, x + 1, x)
    got = r.term(t)
    assert str(got) == str(z3.If(z3.BitVec("sel@3#1~7", 2) == 1, y + 1, y))
    assert r.term(sel).eq(z3.BitVec("sel@3#1~7", 2))
    assert r.term(True) is True and r.term(5) == 5


def test_renamer_maps_every_term_inside_a_symbolic_value():
    a, b = z3.Bools("a b")
    n, m = z3.BitVecs("n m", 4)
    r = Renamer([(a, b), (n, m)])
    v = SList(n, (SSet(((1, a), (2, True)), True), SSet((), True)))
    got = r.value(v)
    assert isinstance(got, SList) and got.length.eq(m)
    assert got.slots[0].slots[0][1].eq(b) and got.slots[0].slots[1] == (2, True)
    assert got.slots[1] == SSet((), True)


def test_an_empty_renaming_leaves_terms_alone():
    x = z3.BitVec("x", 4)
    assert Renamer([]).term(x + 1).eq(x + 1)


def test_recording_collects_the_symbols_made_in_the_block():
    with V.recording_symbols() as made:
        V.bool_symbol("r1")
        V.int_symbol("r2")
        V.bv_symbol("r3", 3)
    V.bool_symbol("outside")
    assert [str(s) for s in made] == ["r1", "r2", "r3"]


# --- BMC with and without reuse ------------------------------------------------------------

CASES = [
    # spec, instance, depth, properties
    ("hanoi.py", "d3", 7, ["solved"]),
    ("two_phase.py", "rm3", 8, ["tc_consistent", "some_committed"]),
    ("ewd840.py", "n3", 6, ["termination_detection", "detected_after_probe"]),
    ("allocator.py", "c2r2", 5, ["resource_mutex", "all_allocated", "two_holders"]),
    ("seq_wrap.py", "mod3", 12, ["no_message_lost", "no_message_lost_fixed"]),
    ("bakery.py", "n2", 9, ["mutual_exclusion", "someone_in_cs"]),
]


def _check(spec, instance, depth, props, reuse, monkeypatch):
    monkeypatch.setattr(bmc, "REUSE_ENCODINGS", reuse)
    model = compile_model(load_spec(os.path.join(SPECS, spec)), instance, None, None)
    res = bmc.run_bmc(model, [model.properties[p] for p in props], depth,
                      replay=lambda trace: replay_trace(model, trace), lemmas="off")
    assert res.fault is None
    return {r.name: (r.verdict, r.length, r.depth_checked) for r in res.results}, res.stats["renamed_steps"]


@pytest.mark.parametrize("spec,instance,depth,props", CASES, ids=[c[0] for c in CASES])
def test_reuse_gives_the_answers_of_encoding_from_scratch(spec, instance, depth, props, monkeypatch):
    scratch, none_renamed = _check(spec, instance, depth, props, False, monkeypatch)
    reused, renamed = _check(spec, instance, depth, props, True, monkeypatch)
    assert none_renamed == 0
    assert renamed > 0          # the shapes settle on these specs, so renaming did happen
    assert reused == scratch    # verdicts, shortest lengths (traces replayed), depths


def test_a_state_whose_shape_keeps_growing_is_encoded_from_scratch(monkeypatch):
    # bcastFolklore's sets of ints gain a slot per step: nothing to rename, same answers
    got, renamed = _check("bcast_folklore.py", "n4", 4, ["unforgeability", "all_accepted"], True, monkeypatch)
    assert got["all_accepted"][:2] == ("found", 4) and got["unforgeability"][0] == "holds"
    assert renamed == 0


@pytest.mark.parametrize("spec,instance,depth,props,renamed_props", [
    # Raft's messages grow every step, but the properties read only `role` and `current_term`
    ("raft.py", "s3", 6, ["one_leader_per_term", "leader_elected"], {"one_leader_per_term", "leader_elected"}),
    # bcastFolklore: `unforgeability` reads `pc` and `initially_v1` (fixed shapes), `accepted_sent_echo`
    # reads the growing `sent` and `rcvd`, so only the first is renamed
    ("bcast_folklore.py", "n4", 4, ["unforgeability", "accepted_sent_echo", "all_accepted"],
     {"unforgeability", "all_accepted"}),
])
def test_a_property_is_renamed_while_the_variables_it_reads_keep_their_shapes(
        spec, instance, depth, props, renamed_props, monkeypatch):
    renamed = set()
    original = bmc.Unrolling._property_renamed

    def spy(self, d, prop):
        out = original(self, d, prop)
        if out is not None:
            renamed.add(prop.name)
        return out

    monkeypatch.setattr(bmc.Unrolling, "_property_renamed", spy)
    reused, steps = _check(spec, instance, depth, props, True, monkeypatch)
    assert renamed == renamed_props and steps == 0   # no step renamed: the state's shape keeps growing
    scratch, _ = _check(spec, instance, depth, props, False, monkeypatch)
    assert reused == scratch


def test_renamed_steps_decode_the_same_trace(monkeypatch):
    # Hanoi's 7-move solution for 3 disks is unique, so both ways must decode the same trace: the
    # renamed steps' selectors, picks and action arguments (RenamedEncoder) are read back correctly
    model = compile_model(load_spec(os.path.join(SPECS, "hanoi.py")), "d3", None, None)
    traces = []
    for reuse in (False, True):
        monkeypatch.setattr(bmc, "REUSE_ENCODINGS", reuse)
        res = bmc.run_bmc(model, [model.properties["solved"]], 7, lemmas="off")
        traces.append(res.results[0].trace)
        assert res.stats["renamed_steps"] == (5 if reuse else 0)
    scratch, reused = traces
    assert reused.states == scratch.states
    assert reused.steps == scratch.steps
    assert all(step.calls and step.calls[0].args for step in reused.steps[1:])
