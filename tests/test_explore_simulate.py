"""`explore` (explicit breadth-first search) and `simulate` (random runs): verdicts,
shortest lengths and exit codes against `check`, errors, budgets, seeds.

The CLI runs in-process (`wunderspec_smt.cli.main`) to keep this file fast; one
test goes through `python -m wunderspec_smt` to see the real process exit code.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from wunderspec_smt.cli import main
from wunderspec_smt.engines.explore import run_explore
from wunderspec_smt.engines.simulate import INT_RANGE, NAT_RANGE, Sampler, run_simulate
from wunderspec_smt.interp.evaluate import LazyInterval, _Ints
from wunderspec_smt.interp.stepper import replay_trace
from wunderspec_smt.loader import compile_model, load_spec

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ex(name: str) -> str:
    return os.path.join(ROOT, "examples", name)


def spec(name: str) -> str:
    return os.path.join(ROOT, "tests", "specs", name)


def cli(capsys, *args: str) -> tuple:
    """Run the CLI in-process: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as e:
        main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return e.value.code, out, err


def cli_json(capsys, *args: str) -> tuple:
    code, out, err = cli(capsys, *args, "--json")
    doc = json.loads(out)
    assert doc["exit_code"] == code
    return code, doc, {r["property"]: r for r in doc["results"]}


# (spec, instance, max steps, properties, exit code, {property: (verdict, length)})
CASES = [
    ("counter.py", None, 10, [], 1, {"a_below_ten": ("violated", 7), "step_capped": ("holds", None)}),
    ("mutex_race.py", None, 10, [], 1, {"mutual_exclusion": ("violated", 6)}),
    ("mutex_fixed.py", None, 12, [], 0, {"mutual_exclusion": ("holds", None)}),
    ("two_phase_commit.py", "three", 8, ["some_committed", "all_aborted", "consistent"], 2,
     {"some_committed": ("found", 8), "all_aborted": ("found", 3), "consistent": ("holds", None)}),
]


@pytest.mark.parametrize("name,instance,k,props,code,expected", CASES, ids=[c[0] for c in CASES])
def test_explore_agrees_with_check(capsys, name, instance, k, props, code, expected):
    args = [ex(name), "--max-steps", str(k)]
    if instance:
        args += ["--instance", instance]
    for p in props:
        args += ["--property", p]
    c_code, _, c_res = cli_json(capsys, "check", *args)
    e_code, e_doc, e_res = cli_json(capsys, "explore", *args)
    assert c_code == e_code == code
    assert e_doc["engine"] == "explore"
    assert {n: (r["verdict"], r["length"]) for n, r in e_res.items()} == \
           {n: (r["verdict"], r["length"]) for n, r in c_res.items()}
    for n, (verdict, length) in expected.items():
        r = e_res[n]
        assert (r["verdict"], r["length"]) == (verdict, length), (n, r)
        if length is not None:
            assert r["trace"]["source"] == "wunderspec-smt explore"
            assert len(r["trace"]["states"]) == length + 1
            assert r["depth_checked"] == length - 1
        else:
            assert r["depth_checked"] == k


def test_explore_traces_replay_and_exhaustion():
    model = compile_model(load_spec(ex("mutex_fixed.py")), None)
    props = list(model.properties.values())
    res = run_explore(model, props, 12)
    assert res.stats["exhausted_at"] == 6 and res.stats["distinct_states"] == 20
    found = [r for r in res.results if r.trace is not None]
    assert found  # the examples someone_in_cs and both_waiting
    for r in found:
        replay_trace(model, r.trace)
        assert r.trace.length == r.length


def test_explore_exhausted_state_space_is_reported(capsys):
    code, out, _ = cli(capsys, "explore", ex("mutex_fixed.py"), "--max-steps", "12")
    assert code == 0
    assert "the state space is exhausted: all 20 reachable states" in out


def test_explore_unbounded_choice_is_a_spec_error():
    proc = subprocess.run([sys.executable, "-m", "wunderspec_smt", "explore", ex("sloppy_counter.py"),
                           "--instance", "threshold4"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 5, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "explicit search needs finite choices" in proc.stderr
    assert "sloppy_counter.py:" in proc.stderr and "use `check`" in proc.stderr


def test_explore_state_budget_is_inconclusive(capsys):
    code, doc, res = cli_json(capsys, "explore", ex("two_phase_commit.py"), "-i", "three", "-p", "consistent",
                              "--max-states", "50")
    assert code == 4
    r = res["consistent"]
    assert r["verdict"] == "unknown" and "--max-states" in r["reason"]
    assert 0 <= r["depth_checked"] < 10
    assert doc["stats"]["distinct_states"] == 50


@pytest.mark.parametrize("command", ["check", "explore", "simulate"])
def test_timeout_zero_is_inconclusive(capsys, command):
    code, _, res = cli_json(capsys, command, ex("counter.py"), "--timeout", "0")
    assert code == 4
    assert all(r["verdict"] == "unknown" and "timeout" in r["reason"] for r in res.values())


def test_explore_and_simulate_example_not_reached_exit_3(capsys):
    args = [ex("mutex_race.py"), "-p", "someone_in_cs", "--max-steps", "2"]
    assert cli(capsys, "check", *args)[0] == 3
    assert cli(capsys, "explore", *args)[0] == 3
    code, out, _ = cli(capsys, "simulate", *args, "--max-samples", "20", "--seed", "1")
    assert code == 3
    assert "was not reached in 20 random runs" in out


@pytest.mark.parametrize("command", ["explore", "simulate"])
def test_undefined_step_and_invariant_are_spec_errors_with_trace(capsys, command):
    extra = ["--seed", "0"] if command == "simulate" else []
    code, out, err = cli(capsys, command, spec("cli_undefined.py"), "--max-steps", "5", *extra)
    assert code == 5
    assert "key 2 is not in the domain" in out + err and "cli_undefined.py:21" in out + err
    assert "[State 1]" in out
    code, out, err = cli(capsys, command, spec("cli_inv_undefined.py"), "--max-steps", "3", *extra)
    assert code == 5
    assert "'positive' is undefined in state 1" in out + err


# --- simulate -----------------------------------------------------------------------------------

def test_simulate_finds_the_race(capsys):
    code, doc, res = cli_json(capsys, "simulate", ex("mutex_race.py"), "--seed", "7", "--max-samples", "300")
    assert code == 1
    r = res["mutual_exclusion"]
    assert r["verdict"] == "violated" and r["length"] >= 6
    assert r["trace"]["source"] == "wunderspec-smt simulate"
    assert doc["engine"] == "simulate" and doc["stats"]["seed"] == 7

    model = compile_model(load_spec(ex("mutex_race.py")), None)
    result = run_simulate(model, [model.properties["mutual_exclusion"]], 300, 20, seed=7)
    (found,) = result.results
    assert found.verdict == "violated" and found.length == r["length"]  # same seed, same runs
    replay_trace(model, found.trace)


def test_simulate_no_violation_is_not_a_proof(capsys):
    code, out, _ = cli(capsys, "simulate", ex("mutex_fixed.py"), "-p", "mutual_exclusion",
                       "--seed", "3", "--max-samples", "200")
    assert code == 0
    assert "no violation of invariant 'mutual_exclusion' found in 200 random runs" in out
    assert "not a proof" in out
    _, _, res = cli_json(capsys, "simulate", ex("mutex_fixed.py"), "-p", "mutual_exclusion",
                         "--seed", "3", "--max-samples", "200")
    assert res["mutual_exclusion"]["verdict"] == "no_violation_found"


def test_simulate_examples_found_exit_2(capsys):
    code, _, res = cli_json(capsys, "simulate", ex("two_phase_commit.py"), "-i", "three", "-p", "all_aborted",
                            "--seed", "1", "--max-samples", "200", "--max-steps", "12")
    assert code == 2
    assert res["all_aborted"]["verdict"] == "found" and res["all_aborted"]["length"] >= 3


def test_simulate_samples_huge_and_infinite_domains(capsys, tmp_path):
    # the 32-bit initial value of the sloppy counter is sampled, not enumerated
    code, doc, _ = cli_json(capsys, "simulate", ex("sloppy_counter.py"), "-i", "threshold4",
                            "--seed", "5", "--max-samples", "20", "--max-steps", "8")
    assert code == 0 and doc["stats"]["samples"] == 20
    path = tmp_path / "ints.py"
    path.write_text(textwrap.dedent("""
        from wunderspec_smt import *

        @state
        class S(MachineStateBase):
            x: StateVar[int]
            n: StateVar[int]

        @action
        def init(c: Context[S]):
            c.state.x = 0
            c.state.n = 0

        @action
        def step(c: Context[S]):
            a, b = c.alternatives("ints", "nats")
            with a:
                with c.one_of(Ints) as i:
                    c.state.x = i
            with b:
                with c.one_of(UnsignedInts) as j:
                    c.state.n = j

        @invariant
        def small(s: S):
            return And(s.x < 2 ** 30, s.n < 2 ** 30)
    """))
    code, _, res = cli_json(capsys, "simulate", str(path), "--seed", "2", "--max-samples", "50")
    assert code == 1 and res["small"]["verdict"] == "violated"
    code, _, err = cli(capsys, "explore", str(path))
    assert code == 5 and "explicit search needs finite choices" in err and "Ints" in err


def test_sampler_ranges():
    import random
    s = Sampler(random.Random(0))
    for _ in range(200):
        (i,) = s("i", _Ints(False))
        (n,) = s("n", _Ints(True))
        (v,) = s("v", LazyInterval(10, 10 + 2 ** 40))
        assert INT_RANGE[0] <= i <= INT_RANGE[1] and NAT_RANGE[0] <= n <= NAT_RANGE[1]
        assert 10 <= v <= 10 + 2 ** 40
    assert s("e", LazyInterval(5, 4)) == []   # an empty domain disables the path
    assert s.calls == 601


def test_simulate_is_reproducible_with_a_seed():
    model = compile_model(load_spec(ex("counter.py")), None)
    props = list(model.properties.values())
    a = run_simulate(model, props, 100, 15, seed=11)
    b = run_simulate(model, props, 100, 15, seed=11)
    assert [(r.verdict, r.length) for r in a.results] == [(r.verdict, r.length) for r in b.results]
    assert a.stats == b.stats
