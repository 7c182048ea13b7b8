"""Invariants proved inductive before or during the bounded search (engines/lemmas.py).

A proved invariant is reported as holding at every depth and is not searched
for; these tests pin that the proof never claims a violated invariant, that it
uses the spec's other invariants (Houdini), that a spec fault on the way to the
bound is still reported, and what the CLI says.
"""
import json
import os
import textwrap
import time

import pytest

from wunderspec_smt.engines import bmc as bmc_module
from wunderspec_smt.engines.bmc import run_bmc
from wunderspec_smt.engines.lemmas import helper_candidates, inductive_invariants
from wunderspec_smt.interp.stepper import replay_trace
from wunderspec_smt.loader import compile_model, load_spec

from test_ranges import _instances, _spec_cases

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _model(path: str, instance=None):
    return compile_model(load_spec(os.path.join(ROOT, path)), instance, None, None)


def _inline(tmp_path, body: str):
    path = tmp_path / "spec.py"
    path.write_text("from wunderspec_smt import *\n\n" + textwrap.dedent(body))
    return compile_model(load_spec(str(path)), None, None, None)


def _invariants(model):
    return [p for p in model.properties.values() if p.kind == "invariant"]


PAIR = """
@state
class S(MachineStateBase):
    a: StateVar[int]
    b: StateVar[int]

@action
def init(c: Context[S]):
    c.state.a = 0
    c.state.b = 0

@action
def step(c: Context[S]):
    s = c.state
    s.b = s.a + 1
    s.a = s.a + 1

@invariant
def same(s: S):
    return s.a == s.b

@invariant
def b_not_negative(s: S):
    '''Not inductive alone (a may be anything), but it is together with `same`.'''
    return s.b >= 0

@invariant
def a_small(s: S):
    '''Violated after 3 steps.'''
    return s.a < 3
"""


def test_houdini_keeps_what_is_inductive_together_and_drops_the_rest(tmp_path):
    model = _inline(tmp_path, PAIR)
    found = inductive_invariants(model, _invariants(model), None)
    assert found.proved == {"same", "b_not_negative"}
    # alone, b >= 0 is not preserved: a step from a = -5 breaks it
    alone = inductive_invariants(model, [model.properties["b_not_negative"]], None)
    assert alone.proved == frozenset()


def test_bcast_echo_invariant_is_proved_alone_and_unforgeability_with_helpers():
    """bcastFolklore's sets of processes grow by a picked process: the generic state gets its
    shape from the all-depth range analysis (1..N), not from constant keys. Unforgeability
    ("if nobody broadcast, nobody accepts") is not inductive alone: it needs the helper facts
    that, under its premise, nothing was sent or received and nobody is in V1."""
    model = _model("benchmarks/specs/bcast_folklore.py", "n4")
    alone = inductive_invariants(model, _invariants(model), None, helpers=False)
    assert alone.proved == {"accepted_sent_echo"} and alone.helpers == frozenset()
    assert alone.reason == ""
    found = inductive_invariants(model, _invariants(model), None)
    assert found.proved == {"accepted_sent_echo", "unforgeability"}
    prefix = "helper: unforgeability: if its premise holds, "
    assert {prefix + f for f in ("sent is empty", "every rcvd[k] is empty", "no pc[k] is V1",
                                 "no pc[k] is AC")} <= found.helpers


def test_helper_candidates_come_from_implication_invariants_only():
    bcast = _model("benchmarks/specs/bcast_folklore.py", "n4")
    names = [p.name for p in helper_candidates(bcast)]
    # unforgeability is an Implies; accepted_sent_echo (an And) gives none
    assert names and all(n.startswith("helper: unforgeability: if its premise holds, ") for n in names)
    assert len(names) == len(set(names))
    # sets: corr, sent, initially_v1; a map of sets: rcvd; a map of enums (4 members): pc
    assert len(names) == 3 + 1 + 4
    assert helper_candidates(_model("benchmarks/specs/allocator.py", "c2r2")) == []


def test_helpers_that_are_not_inductive_prove_nothing_more():
    """EWD840's termination detection is an implication too, but its helpers do not make it
    inductive: the search keeps nothing and says nothing false."""
    model = _model("benchmarks/specs/ewd840.py", "n3")
    assert helper_candidates(model)
    found = inductive_invariants(model, _invariants(model), None)
    assert found.proved == frozenset()


def test_no_finite_shape_proves_nothing():
    model = _model("benchmarks/specs/raft.py", "s3")
    found = inductive_invariants(model, _invariants(model), None)
    assert found.proved == frozenset()
    assert "no finite shape" in found.reason


def test_a_zero_budget_proves_nothing():
    model = _model("benchmarks/specs/allocator.py", "c2r2")
    assert inductive_invariants(model, _invariants(model), None).proved == {"resource_mutex"}
    assert inductive_invariants(model, _invariants(model), 0.0).proved == frozenset()


def _cases():
    out = []
    for rel in _spec_cases():
        _, insts = _instances(rel)
        out += [(rel, i) for i in insts]
    return out


@pytest.mark.parametrize("rel,inst", _cases())
def test_a_proved_invariant_is_never_violated(rel, inst):
    """Against plain BMC on every example, test and benchmark spec: what the proof keeps is never
    violated within a few steps, and checking with the proof first gives the same answers."""
    model = compile_model(load_spec(os.path.join(ROOT, rel)), inst, None, None)
    props = list(model.properties.values())
    replay = lambda trace: replay_trace(model, trace)  # noqa: E731
    plain = run_bmc(model, props, 3, lemmas="off", replay=replay)
    first = run_bmc(model, props, 3, lemmas="first", replay=replay)
    assert (plain.fault is None) == (first.fault is None)
    if plain.fault is not None:
        return
    verdicts = {r.name: (r.verdict, r.length) for r in plain.results}
    assert {r.name: (r.verdict, r.length) for r in first.results} == verdicts
    for name in first.stats["lemmas"]:
        assert verdicts[name][0] == "holds", f"{rel} {inst}: {name} proved but {verdicts[name]}"
    for r in first.results:
        assert (r.proof == "inductive") == (r.name in first.stats["lemmas"])


UNDEFINED_LATER = """
@state
class S(MachineStateBase):
    m: StateVar[dict[int, int]]
    n: StateVar[int]

@action
def init(c: Context[S]):
    c.state.m = Map((0, 10), (1, 11))
    c.state.n = 0

@action
def step(c: Context[S]):
    s = c.state
    s.n = s.n + 1
    s.m[0] = s.m[s.n]   # undefined once n reaches 2

@invariant
def zero_is_a_key(s: S):
    '''Inductive: the step only ever writes key 0.'''
    return s.m.keys.contains(0)
"""


def test_a_spec_fault_on_the_way_is_still_reported(tmp_path):
    model = _inline(tmp_path, UNDEFINED_LATER)
    res = run_bmc(model, _invariants(model), 5, lemmas="first")
    assert res.stats["lemmas"] == ["zero_is_a_key"]
    assert res.fault is not None and "undefined" in res.fault.message
    assert res.fault.trace.length == 1


def test_cli_says_which_invariants_were_proved(capsys):
    from wunderspec_smt.cli import main
    spec = os.path.join(ROOT, "benchmarks/specs/bcast_folklore.py")
    args = ["check", spec, "-i", "n4", "-k", "3"]
    with pytest.raises(SystemExit) as e:
        main([*args, "--lemmas", "first"])
    out = capsys.readouterr().out
    assert e.value.code == 0
    assert "invariant 'accepted_sent_echo' holds in every reachable state: it is inductive" in out
    assert "invariant 'unforgeability' holds in every reachable state: it is inductive" in out
    with pytest.raises(SystemExit):
        main([*args, "--lemmas", "off"])
    assert "invariant 'accepted_sent_echo' holds in every state reachable in at most 3 steps" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main([*args, "--lemmas", "first", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert doc["lemmas"] == ["accepted_sent_echo", "unforgeability"]   # helper facts are not listed
    proofs = {r["property"]: r["proof"] for r in doc["results"]}
    assert proofs == {"unforgeability": "inductive", "accepted_sent_echo": "inductive"}


def test_auto_waits_for_a_slow_search(monkeypatch):
    """`auto` tries the proof only once the search has run for LEMMAS_AFTER_S (here: in this process,
    as on one core)."""
    from wunderspec_smt.engines import bmc
    model = _model("benchmarks/specs/bcast_folklore.py", "n4")
    monkeypatch.setattr(bmc, "LEMMAS_BESIDE", False)
    monkeypatch.setattr(bmc, "LEMMAS_AFTER_S", 1e9)
    assert run_bmc(model, _invariants(model), 3).stats["lemmas"] == []
    monkeypatch.setattr(bmc, "LEMMAS_AFTER_S", 0.0)
    assert run_bmc(model, _invariants(model), 3).stats["lemmas"] == ["accepted_sent_echo", "unforgeability"]


needs_two_cores = pytest.mark.skipif(not bmc_module._can_fork(), reason="needs fork and two cores")


@needs_two_cores
def test_the_search_beside_bmc_finds_what_the_search_here_finds():
    model = _model("benchmarks/specs/bcast_folklore.py", "n4")
    here = bmc_module._LemmaSearch(model, _invariants(model), None, "auto")
    beside = bmc_module._LemmaSearch(model, _invariants(model), None, "auto")
    assert beside.start_beside(0.0)
    deadline = time.monotonic() + 60
    got = None
    while got is None and time.monotonic() < deadline:
        time.sleep(0.05)
        got = beside.collect()
    assert got == here.run(0.0) == {"accepted_sent_echo", "unforgeability"}
    assert beside.step_total == here.step_total and beside.beside is None


@needs_two_cores
def test_a_search_beside_bmc_is_stopped_with_it():
    model = _model("benchmarks/specs/paxos.py", "a3v2b4")   # its search runs for the whole budget
    search = bmc_module._LemmaSearch(model, _invariants(model), None, "auto")
    assert search.start_beside(0.0)
    pid = search.beside[0]
    search.stop()
    assert search.beside is None and search.collect() is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)   # killed and reaped


@needs_two_cores
def test_auto_beside_bmc_gives_the_same_answers(monkeypatch):
    """Started at once beside BMC, the search's answer lands at whatever depth it arrives; the
    verdicts are those of BMC alone, and whatever it proved does hold."""
    model = _model("benchmarks/specs/bcast_folklore.py", "n4")
    plain = run_bmc(model, _invariants(model), 6, lemmas="off")
    monkeypatch.setattr(bmc_module, "LEMMAS_BESIDE_AFTER_S", 0.0)
    beside = run_bmc(model, _invariants(model), 6)
    assert [(r.name, r.verdict) for r in beside.results] == [(r.name, r.verdict) for r in plain.results]
    assert set(beside.stats["lemmas"]) <= {"accepted_sent_echo", "unforgeability"}


def test_the_budget_also_bounds_encoding():
    """Paxos' proposal rule nests quantifiers over 270 potential promises in a generic state:
    encoding one step takes far longer than the budget, and the search stops on time."""
    model = _model("benchmarks/specs/paxos.py", "a3v2b4")
    found = inductive_invariants(model, _invariants(model), 0.5)
    assert found.proved == frozenset()
    assert "ran out while encoding" in found.reason
    assert found.seconds < 5


def test_no_unrolling_when_everything_is_proved_and_no_step_can_fail():
    """counter.py's step has no partial operation: once `step_capped` is proved, nothing is left
    to search for, so BMC answers at depth 0 instead of unrolling to the bound."""
    model = _model("examples/counter.py")
    res = run_bmc(model, [model.properties["step_capped"]], 10, lemmas="first")
    assert [(r.verdict, r.proof, r.depth_checked) for r in res.results] == [("holds", "inductive", 10)]
    assert len(res.depth_stats) == 1
    # mutex_fixed's step does lookups (`pc[p]`), which its proved invariants show defined: no
    # step from a state where they hold is undefined, so BMC stops there too
    other = _model("examples/mutex_fixed.py")
    found = inductive_invariants(other, _invariants(other), None)
    assert found.step_total
    res = run_bmc(other, _invariants(other), 4, lemmas="first")
    assert {r.proof for r in res.results} == {"inductive"} and len(res.depth_stats) == 1
    # bcastFolklore's too (its invariants read `pc[i]` and `rcvd[i]` for every process)
    bcast = _model("benchmarks/specs/bcast_folklore.py", "n4")
    assert inductive_invariants(bcast, _invariants(bcast), None).step_total


def test_a_step_that_can_be_undefined_keeps_the_unrolling_going(tmp_path):
    """The step of UNDEFINED_LATER is undefined in a reachable state: the search must not call
    it total, so BMC goes on and finds the fault (see the fault test above)."""
    model = _inline(tmp_path, UNDEFINED_LATER)
    found = inductive_invariants(model, _invariants(model), None)
    assert found.proved == {"zero_is_a_key"} and not found.step_total


def test_too_many_helper_candidates_are_not_tried(monkeypatch):
    from wunderspec_smt.engines import lemmas
    model = _model("benchmarks/specs/bcast_folklore.py", "n4")
    monkeypatch.setattr(lemmas, "MAX_HELPERS", 7)   # bcast has 8
    assert helper_candidates(model) == []
    assert inductive_invariants(model, _invariants(model), None).proved == {"accepted_sent_echo"}
