"""Proofs for all depths on the bundled examples: which method proves what, and what it shows.

Contract: `wunderspec_smt.engines.prove.prove(model, inv, ind, method, max_k, timeout_s)`
with method "inductive" (needs ind), "kinduction", "pdr" or "auto"; it returns a
ProofResult whose verdict is "proved", "violated" or "not_proved", whose `method`
names the method that decided, with `cti` (a counterexample to induction: pre,
post, step, broken conjuncts), `invariant` (PDR's, as text), `k` and `trace` (a
real counterexample from the initial states).

Pinned here, per example (see each example's docstring for why):

* mutex_fixed `mutual_exclusion`: proved by the inductive check with `ind_peterson`,
  by PDR and by auto; not inductive by itself.
* two_phase_commit `consistent`: proved by the inductive check with `ind_two_phase`
  and by PDR; not 5-inductive (k-induction needs more than 15; not run here).
* not_inductive `x_bounded`: not inductive by itself (an unreachable CTI), proved
  with `ind_bounded` and by PDR.
* unbounded_counter `stamp_nonneg`: not k-inductive (any k), proved by PDR.
* mutex_race `mutual_exclusion`: violated, 6-step trace, by PDR and by k-induction.
* no invariant that `check` finds violated is ever reported proved.
"""
import json
import os
import subprocess
import sys

import pytest

from wunderspec_smt.engines.prove import prove
from wunderspec_smt.errors import EvaluationError
from wunderspec_smt.interp.evaluate import eval_term
from wunderspec_smt.loader import compile_model, load_spec

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")
TIMEOUT = 60  # seconds per prove() call; every call below needs far less

_models = {}


def model(name: str, instance=None):
    key = (name, instance)
    if key not in _models:
        _models[key] = compile_model(load_spec(os.path.join(EXAMPLES, name)), instance)
    return _models[key]


def run(name: str, prop: str, method: str, ind=None, instance=None, max_k: int = 10):
    m = model(name, instance)
    return prove(m, m.properties[prop], m.properties[ind] if ind else None, method, max_k, TIMEOUT)


def holds(m, prop: str, state: dict):
    """The property's value in a concrete state; None where it is undefined (a missing map key)."""
    env = {m.svar(n): v for n, v in state.items()}
    try:
        return bool(eval_term(m.properties[prop].term, env))
    except EvaluationError:
        return None


# --- Peterson ---------------------------------------------------------------------------------

def test_peterson_inductive_check_with_strengthening():
    r = run("mutex_fixed.py", "mutual_exclusion", "inductive", ind="ind_peterson")
    assert (r.verdict, r.method) == ("proved", "inductive"), r.reason
    assert r.cti is None


def test_peterson_mutual_exclusion_alone_is_not_inductive():
    r = run("mutex_fixed.py", "mutual_exclusion", "inductive", ind="mutual_exclusion")
    assert r.verdict == "not_proved"
    m = model("mutex_fixed.py")
    assert holds(m, "mutual_exclusion", r.cti.pre) is True
    assert holds(m, "mutual_exclusion", r.cti.post) is False
    assert r.cti.broken == ["mutual_exclusion"]
    # the strengthening rules the CTI out (generic states may lack a map key, where it is undefined)
    assert holds(m, "ind_peterson", r.cti.pre) is not True


def test_peterson_pdr():
    r = run("mutex_fixed.py", "mutual_exclusion", "pdr")
    assert (r.verdict, r.method) == ("proved", "pdr"), r.reason
    assert r.invariant and "pc[0]" in r.invariant and "pc[1]" in r.invariant


def test_peterson_auto():
    r = run("mutex_fixed.py", "mutual_exclusion", "auto")
    assert r.verdict == "proved", r.reason
    assert r.method == "pdr"  # k-induction up to 3 does not decide it, PDR does
    r = run("mutex_fixed.py", "mutual_exclusion", "auto", ind="ind_peterson")
    assert (r.verdict, r.method) == ("proved", "inductive")
    assert [a.method for a in r.attempts] == ["inductive"]


# --- two-phase commit ---------------------------------------------------------------------------

def test_two_phase_commit_inductive_check_with_strengthening():
    r = run("two_phase_commit.py", "consistent", "inductive", ind="ind_two_phase", instance="three")
    assert (r.verdict, r.method) == ("proved", "inductive"), r.reason


def test_two_phase_commit_pdr():
    r = run("two_phase_commit.py", "consistent", "pdr", instance="three")
    assert (r.verdict, r.method) == ("proved", "pdr"), r.reason
    assert r.invariant and "msgs" in r.invariant and "rmState" in r.invariant


def test_two_phase_commit_not_5_inductive():
    # generic states include junk (a "tm" key in rmState, Commit messages from RMs, ...), so
    # unreachable simple paths are long: k-induction does not finish even at k = 15
    r = run("two_phase_commit.py", "consistent", "kinduction", instance="three", max_k=5)
    assert (r.verdict, r.k) == ("not_proved", 5)
    assert "not 5-inductive" in r.reason


# --- not_inductive ------------------------------------------------------------------------------

def test_not_inductive_cti_is_unreachable():
    r = run("not_inductive.py", "x_bounded", "inductive", ind="x_bounded")
    assert (r.verdict, r.method) == ("not_proved", "inductive")
    assert "not inductive" in r.reason
    cti = r.cti
    m = model("not_inductive.py")
    assert holds(m, "x_bounded", cti.pre) is True and holds(m, "x_bounded", cti.post) is False
    assert cti.broken == ["x_bounded"]
    assert cti.step.labels == ("inc",)
    assert cti.pre["x"] != cti.pre["y"]  # every reachable state has x == y: the CTI is unreachable
    assert holds(m, "ind_bounded", cti.pre) is False


def test_not_inductive_proved_with_strengthening_and_by_pdr():
    r = run("not_inductive.py", "x_bounded", "inductive", ind="ind_bounded")
    assert (r.verdict, r.method) == ("proved", "inductive"), r.reason
    r = run("not_inductive.py", "x_bounded", "pdr")
    assert (r.verdict, r.method) == ("proved", "pdr"), r.reason
    assert "x" in r.invariant and "y" in r.invariant


# --- unbounded counter ---------------------------------------------------------------------------

def test_unbounded_counter_not_k_inductive():
    r = run("unbounded_counter.py", "stamp_nonneg", "kinduction", max_k=6)
    assert (r.verdict, r.method, r.k) == ("not_proved", "k-induction", 6)
    assert "not 6-inductive" in r.reason
    assert r.cti.pre["now"] < 0  # the path runs through unreachable states


def test_unbounded_counter_pdr():
    r = run("unbounded_counter.py", "stamp_nonneg", "pdr")
    assert (r.verdict, r.method) == ("proved", "pdr"), r.reason
    assert "now" in r.invariant and "stamp" in r.invariant
    r = run("unbounded_counter.py", "stamp_nonneg", "auto", max_k=6)
    assert (r.verdict, r.method) == ("proved", "pdr"), r.reason


# --- a real violation ----------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["pdr", "kinduction", "auto"])
def test_mutex_race_violated_with_shortest_trace(method):
    r = run("mutex_race.py", "mutual_exclusion", method)
    assert r.verdict == "violated", r.reason
    assert r.trace is not None and r.trace.length == 6
    first, last = r.trace.states[0], r.trace.states[-1]
    m = model("mutex_race.py")
    assert holds(m, "mutual_exclusion", first) is True and holds(m, "mutual_exclusion", last) is False
    if method == "kinduction":
        assert r.k == 6


# (example, instance, max steps) for `check`: every bundled example with a known verdict
CHECKED = [("counter.py", None, 10), ("mutex_race.py", None, 12), ("mutex_fixed.py", None, 12),
           ("two_phase_commit.py", "three", 12), ("sloppy_counter.py", "threshold4", 6),
           ("not_inductive.py", None, 12), ("unbounded_counter.py", None, 10)]


def _violated_by_check(name: str, instance, steps: int) -> list:
    args = [sys.executable, "-m", "wunderspec_smt", "check", os.path.join(EXAMPLES, name), "--json",
            "--max-steps", str(steps)] + (["--instance", instance] if instance else [])
    proc = subprocess.run(args, check=False, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    return [r["property"] for r in json.loads(proc.stdout)["results"] if r["verdict"] == "violated"]


def test_violated_invariants_are_never_proved():
    seen = []
    for name, instance, steps in CHECKED:
        for prop in _violated_by_check(name, instance, steps):
            seen.append((name, prop))
            r = run(name, prop, "auto", instance=instance)
            assert r.verdict != "proved", (name, prop, r.method)
            assert r.verdict == "violated", (name, prop, r.reason)
    assert sorted(seen) == sorted([("counter.py", "a_below_ten"), ("mutex_race.py", "mutual_exclusion"),
                                   ("sloppy_counter.py", "global_monotone"), ("sloppy_counter.py", "lag_bounded")])


# --- regressions of engine defects found while writing these tests ---------------------------------

def test_method_names_are_checked():
    """'induction' (the CLI's spelling) runs the inductive check; an unknown name is refused, not run as PDR."""
    m = model("mutex_fixed.py")
    r = prove(m, m.properties["mutual_exclusion"], m.properties["ind_peterson"], "induction", 5, TIMEOUT)
    assert r.method == "inductive" and r.verdict == "proved"
    with pytest.raises(ValueError):
        prove(m, m.properties["mutual_exclusion"], None, "bogus", 5, TIMEOUT)


def test_inductive_without_ind_is_a_clear_error():
    m = model("mutex_fixed.py")
    with pytest.raises(ValueError, match="inductive invariant"):
        prove(m, m.properties["mutual_exclusion"], None, "inductive", 5, TIMEOUT)


def test_pdr_triangular_sum(tmp_path):
    """Needs Spacer's global guidance (spacer.global): default settings time out here."""
    path = tmp_path / "triangular.py"
    path.write_text("from wunderspec_smt import *\n\n\n"
                    "@state\nclass Tri(MachineStateBase):\n    x: StateVar[int]\n    y: StateVar[int]\n\n\n"
                    "@action\ndef init(c: Context[Tri]):\n    c.state.x = 0\n    c.state.y = 0\n\n\n"
                    "@action\ndef step(c: Context[Tri]):\n    c.state.y = c.state.y + c.state.x\n"
                    "    c.state.x = c.state.x + 1\n\n\n"
                    "@invariant\ndef y_nonneg(s: Tri):\n    return s.y >= 0\n")
    m = compile_model(load_spec(str(path)), None)
    r = prove(m, m.properties["y_nonneg"], None, "pdr", 5, 5)
    assert r.verdict == "proved", r.reason


# --- sets that grow by picked elements: a finite shape from the all-depth range analysis ------------

def _bench(name: str, instance: str):
    return compile_model(load_spec(os.path.join(ROOT, "benchmarks", "specs", name)), instance)


def test_sets_grown_by_picked_processes_get_a_bounded_shape():
    """bcastFolklore adds a picked process (1..N) to `sent`; without the range analysis no finite
    generic state would exist and every method would answer "not proved"."""
    m = _bench("bcast_folklore.py", "n4")
    r = prove(m, m.properties["accepted_sent_echo"], None, "kinduction", 3, TIMEOUT)
    assert (r.verdict, r.k) == ("proved", 1)
    r = prove(m, m.properties["unforgeability"], None, "pdr", 3, TIMEOUT)
    assert r.verdict == "proved"


def test_a_set_of_unbounded_ints_still_has_no_finite_shape():
    m = _bench("raft.py", "s3")
    r = prove(m, m.properties["one_leader_per_term"], None, "kinduction", 2, TIMEOUT)
    assert r.verdict == "not_proved" and "no finite generic state" in r.reason


def test_the_timeout_also_bounds_encoding():
    m = _bench("paxos.py", "a3v2b4")
    r = prove(m, m.properties["one_value_per_ballot"], None, "kinduction", 2, 1.0)
    assert r.verdict == "not_proved" and "while encoding" in r.reason
    assert r.seconds < 5
