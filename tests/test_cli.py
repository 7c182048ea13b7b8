"""The command line as a user meets it: verdicts, exit codes, errors without tracebacks."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPECS = os.path.join(ROOT, "tests", "specs")


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wunderspec_smt", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def spec(name: str) -> str:
    return os.path.join(SPECS, name)


def test_undefined_step_is_a_spec_error_with_its_trace():
    r = run("check", spec("cli_undefined.py"), "--max-steps", "5")
    assert r.returncode == 5, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert "key 2 is not in the domain" in r.stdout + r.stderr
    assert "cli_undefined.py:21" in r.stdout + r.stderr  # the line of the lookup
    assert "[State 1]" in r.stdout  # the trace reaching the state where the step is undefined


def test_guarded_lookup_is_not_an_error():
    r = run("check", spec("cli_undefined.py"), "--step", "guarded", "--max-steps", "4")
    assert r.returncode == 0, r.stdout + r.stderr


def test_undefined_invariant_is_reported():
    r = run("check", spec("cli_inv_undefined.py"), "--max-steps", "3")
    assert r.returncode == 5, r.stdout + r.stderr
    assert "'positive' is undefined in state 1" in r.stdout + r.stderr
    assert "Traceback" not in r.stderr


def test_large_integer_domain_and_json_summary():
    r = run("check", spec("cli_wrap.py"), "--max-steps", "3", "--json")
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    (res,) = doc["results"]
    assert res["property"] == "no_wrap" and res["verdict"] == "violated" and res["length"] == 1
    states = res["trace"]["states"]
    assert states[0]["x"] == {"#bigint": str(2 ** 32 - 1)}
    assert states[1]["x"] == {"#bigint": "0"}
    assert [d["depth"] for d in doc["depths"]] == [0, 1]


def test_example_found_exits_2_and_itf_reads_back(tmp_path):
    out = tmp_path / "w.itf.json"
    r = run("check", spec("cli_wrap.py"), "-p", "reaches_top", "--max-steps", "2", "--out-itf", str(out))
    assert r.returncode == 2, r.stdout + r.stderr
    doc = json.loads(out.read_text())
    assert doc["#meta"]["predicate_name"] == "reaches_top"
    assert len(doc["states"]) == 1  # reachable in state 0
    from wunderspec_smt.lang.sorts import INT
    from wunderspec_smt.traces.itf import read_itf
    params, states = read_itf(str(out), {"x": INT, "y": INT}, {})
    assert states == [{"x": 2 ** 32 - 1, "y": 0}]


def test_example_not_found_exits_3():
    r = run("check", spec("cli_undefined.py"), "--step", "guarded", "-p", "big", "--max-steps", "4")
    assert r.returncode == 3, r.stdout + r.stderr
    assert "not reachable in at most 4 steps" in r.stdout


def test_invariant_and_example_together():
    r = run("check", spec("cli_wrap.py"), "-p", "reaches_top", "-p", "no_wrap", "--max-steps", "0")
    assert r.returncode == 2, r.stdout + r.stderr  # no_wrap holds in state 0, reaches_top is found there
    r = run("check", spec("cli_wrap.py"), "-p", "reaches_top", "-p", "no_wrap", "--max-steps", "2")
    assert r.returncode == 1, r.stdout + r.stderr  # the violation wins


def test_timeout_is_inconclusive_not_success():
    r = run("check", spec("cli_wrap.py"), "--max-steps", "3", "--timeout", "0")
    assert r.returncode == 4, r.stdout + r.stderr
    assert "inconclusive" in r.stdout


@pytest.mark.parametrize("args, needle", [
    (("check", "tests/specs/nope.py"), "does not exist"),
    (("check", "tests/specs/cli_wrap.py", "--instance", "big"), "no instance named 'big'"),
    (("check", "tests/specs/cli_wrap.py", "--property", "nothing"), "no property named 'nothing'"),
    (("check", "tests/specs/cli_wrap.py", "--max-steps", "-1"), "max-steps"),
    (("check", "tests/specs/cli_wrap.py", "--no-such-flag"), "No such option"),
    (("check",), "Missing argument"),
])
def test_usage_errors_exit_5_without_traceback(args, needle):
    r = run(*args)
    assert r.returncode == 5, (r.returncode, r.stdout, r.stderr)
    assert needle in r.stdout + r.stderr
    assert "Traceback" not in r.stdout + r.stderr


def test_list_shows_the_parts_of_a_spec():
    r = run("list", spec("cli_wrap.py"))
    assert r.returncode == 0
    assert "invariants: no_wrap" in r.stdout
    assert "examples:   reaches_top" in r.stdout
    assert "x: int" in r.stdout


def test_wunderspec_imports_are_mapped(tmp_path):
    src = open(spec("cli_wrap.py")).read().replace("from wunderspec_smt import *",
                                                     "from wunderspec import *\nfrom wunderspec.machine import state")
    p = tmp_path / "ws_spec.py"
    p.write_text(src)
    r = run("check", str(p), "--max-steps", "2")
    assert r.returncode == 1, r.stdout + r.stderr


def test_a_trace_that_does_not_replay_is_an_internal_error(monkeypatch, capsys):
    """The checker never shows a counterexample the concrete interpreter cannot reproduce."""
    from wunderspec_smt import cli
    from wunderspec_smt.interp import stepper

    def broken_replay(model, trace):
        raise stepper.ReplayMismatch("state 1 differs from its replay: x: the trace has 0, replay gives 1")

    monkeypatch.setattr(stepper, "replay_trace", broken_replay)
    with pytest.raises(SystemExit) as e:
        cli.main(["check", spec("cli_wrap.py"), "--max-steps", "2"])
    assert e.value.code == 6
    err = capsys.readouterr()
    assert "internal error" in err.err and "does not replay" not in err.out
    assert "Counterexample" not in err.out


def test_nested_keyed_writes():
    r = run("check", spec("cli_nested.py"), "--max-steps", "5", "--json")
    assert r.returncode == 1, r.stderr
    (res,) = json.loads(r.stdout)["results"]
    assert res["length"] == 3
    last = res["trace"]["states"][-1]
    assert last["accts"] == {"#map": [["a", {"bal": {"#bigint": "9"}, "open": True}],
                                      ["b", {"bal": {"#bigint": "5"}, "open": False}]]}
    assert last["pair"] == {"#tup": [{"#bigint": "0"}, {"#bigint": "3"}]}
    assert last["me"] == {"bal": {"#bigint": "8"}, "open": True}


def test_prove_exit_codes():
    r = run("prove", "examples/mutex_fixed.py", "-p", "mutual_exclusion", "--method", "pdr")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "proved by pdr" in r.stdout and "Inductive invariant found" in r.stdout
    r = run("prove", "examples/mutex_race.py", "-p", "mutual_exclusion", "--method", "kinduction")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "shortest counterexample has 6 steps" in r.stdout
    r = run("prove", "examples/mutex_fixed.py", "-p", "mutual_exclusion", "--method", "kinduction", "--max-k", "2")
    assert r.returncode == 4, r.stdout + r.stderr
    assert "not proved" in r.stdout


def test_prove_usage_errors():
    r = run("prove", "examples/mutex_fixed.py", "-p", "mutual_exclusion", "--method", "induction")
    assert r.returncode == 5 and "needs --inductive" in r.stderr
    r = run("prove", "examples/mutex_fixed.py", "-p", "someone_in_cs")
    assert r.returncode == 5 and "is an example" in r.stderr
