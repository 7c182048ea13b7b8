"""The verdicts and shortest trace lengths of the examples, end to end through the CLI.

Contract: `python -m wunderspec_smt check SPEC.py [--instance NAME] [--property NAME ...]
[--max-steps K] [--json] [--out-itf PATH]`; with --json, stdout is one JSON object
    {"spec", "instance", "max_steps", "exit_code",
     "results": [{"property", "kind", "verdict", "length"}]}
Exit codes: 0 holds up to K, 1 invariant violated, 2 example found, 3 example not
found, 4 inconclusive, 5 spec/usage error, 6 internal error.

The expected lengths were computed by hand (each example's docstring argues why
they are shortest). The `test_bfs_*` tests confirm them independently with a
breadth-first search over the concrete interpreter (no solver involved).
"""
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")
BAD_SPECS = os.path.join(ROOT, "tests", "specs")

HOLDS, VIOLATED, FOUND = "holds", "violated", "found"

# example -> (instance or None, max_steps, {property: (kind, verdict, shortest length or None)})
COUNTER = {"step_capped": ("invariant", HOLDS, None),
           "a_below_ten": ("invariant", VIOLATED, 7)}
MUTEX_RACE = {"mutual_exclusion": ("invariant", VIOLATED, 6),
              "someone_in_cs": ("example", FOUND, 3)}
MUTEX_FIXED = {"mutual_exclusion": ("invariant", HOLDS, None),
               "flag_tracks_pc": ("invariant", HOLDS, None),
               "ind_peterson": ("invariant", HOLDS, None),
               "someone_in_cs": ("example", FOUND, 3),
               "both_waiting": ("example", FOUND, 4)}
TWO_PC = {"consistent": ("invariant", HOLDS, None),
          "type_ok": ("invariant", HOLDS, None),
          "ind_two_phase": ("invariant", HOLDS, None),
          "all_aborted": ("example", FOUND, 3),
          "some_committed": ("example", FOUND, 8)}
SLOPPY = {"conservation": ("invariant", HOLDS, None),
          "locals_below_threshold": ("invariant", HOLDS, None),
          "global_in_range": ("invariant", HOLDS, None),
          "global_monotone": ("invariant", VIOLATED, 4),
          "lag_bounded": ("invariant", VIOLATED, 4)}


def spec(name: str) -> str:
    return os.path.join(EXAMPLES, name)


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wunderspec_smt", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def check_json(path: str, *args: str) -> tuple:
    """Run `check --json`; return (exit code, parsed summary, {property: result})."""
    proc = run_cli("check", path, "--json", *args)
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr[-3000:]
    try:
        summary = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"stdout is not one JSON object (exit {proc.returncode}):\n"
                             f"{proc.stdout[-2000:]}\nstderr:\n{proc.stderr[-2000:]}") from None
    assert summary["exit_code"] == proc.returncode
    results = {r["property"]: r for r in summary["results"]}
    assert len(results) == len(summary["results"]), "one result per property"
    return proc.returncode, summary, results


def assert_results(results: dict, expected: dict) -> None:
    assert set(results) == set(expected)
    for name, (kind, verdict, length) in expected.items():
        r = results[name]
        assert (r["kind"], r["verdict"], r["length"]) == (kind, verdict, length), (name, r)


def props(expected: dict, kind: str) -> list:
    return [n for n, (k, _, _) in expected.items() if k == kind]


def property_flags(names: list) -> list:
    out = []
    for n in names:
        out += ["--property", n]
    return out


# --- counter ----------------------------------------------------------------------------

def test_counter_violated_at_depth_7():
    code, summary, results = check_json(spec("counter.py"), "--max-steps", "10")
    assert code == 1
    assert summary["max_steps"] == 10
    assert_results(results, COUNTER)  # all invariants are checked when no --property is given


def test_counter_not_violated_below_depth_7():
    code, _, results = check_json(spec("counter.py"), "--property", "a_below_ten", "--max-steps", "6")
    assert code == 0
    assert results["a_below_ten"]["verdict"] == HOLDS


def test_counter_itf_trace(tmp_path):
    out = tmp_path / "trace.itf.json"
    proc = run_cli("check", spec("counter.py"), "--property", "a_below_ten", "--max-steps", "10",
                   "--out-itf", str(out))
    assert proc.returncode == 1, proc.stderr[-3000:]
    with open(out) as f:
        itf = json.load(f)
    states = itf["states"]
    assert len(states) == 7 + 1
    assert states[0]["a"] == {"#bigint": "0"}
    assert int(states[-1]["a"]["#bigint"]) >= 10
    assert all(int(s["a"]["#bigint"]) < 10 for s in states[:-1])


# --- mutex with a check-then-set race ---------------------------------------------------------

def test_mutex_race_violated_at_depth_6():
    code, _, results = check_json(spec("mutex_race.py"), "--max-steps", "12")
    assert code == 1
    assert_results(results, {k: v for k, v in MUTEX_RACE.items() if v[0] == "invariant"})


def test_mutex_race_itf_trace(tmp_path):
    out = tmp_path / "race.itf.json"
    proc = run_cli("check", spec("mutex_race.py"), "--property", "mutual_exclusion", "--max-steps", "12",
                   "--out-itf", str(out))
    assert proc.returncode == 1, proc.stderr[-3000:]
    with open(out) as f:
        itf = json.load(f)
    assert len(itf["states"]) == 6 + 1


def test_mutex_race_someone_in_cs_found():
    code, _, results = check_json(spec("mutex_race.py"), "--property", "someone_in_cs", "--max-steps", "12")
    assert code == 2
    assert_results(results, {"someone_in_cs": MUTEX_RACE["someone_in_cs"]})


# --- Peterson's algorithm ----------------------------------------------------------------------

def test_mutex_fixed_holds_to_20():
    code, summary, results = check_json(spec("mutex_fixed.py"), "--max-steps", "20")
    assert code == 0
    assert summary["max_steps"] == 20
    assert_results(results, {k: v for k, v in MUTEX_FIXED.items() if v[0] == "invariant"})


def test_mutex_fixed_examples_found():
    examples = props(MUTEX_FIXED, "example")
    code, _, results = check_json(spec("mutex_fixed.py"), *property_flags(examples), "--max-steps", "20")
    assert code == 2
    assert_results(results, {k: MUTEX_FIXED[k] for k in examples})


# --- two-phase commit --------------------------------------------------------------------------

def test_two_phase_commit_consistent_holds_to_12():
    invariants = props(TWO_PC, "invariant")
    code, summary, results = check_json(spec("two_phase_commit.py"), "--instance", "three",
                                        *property_flags(invariants), "--max-steps", "12")
    assert code == 0
    assert summary["instance"] == "three"
    assert_results(results, {k: TWO_PC[k] for k in invariants})


def test_two_phase_commit_examples_found():
    examples = props(TWO_PC, "example")
    code, _, results = check_json(spec("two_phase_commit.py"), "--instance", "three",
                                  *property_flags(examples), "--max-steps", "12")
    assert code == 2
    assert_results(results, {k: TWO_PC[k] for k in examples})


def test_two_phase_commit_itf_trace(tmp_path):
    out = tmp_path / "2pc.itf.json"
    proc = run_cli("check", spec("two_phase_commit.py"), "--instance", "three", "--property", "some_committed",
                   "--max-steps", "12", "--out-itf", str(out))
    assert proc.returncode == 2, proc.stderr[-3000:]
    with open(out) as f:
        itf = json.load(f)
    assert len(itf["states"]) == 8 + 1


def test_unknown_property_is_a_usage_error():
    proc = run_cli("check", spec("two_phase_commit.py"), "--instance", "three", "--property", "no_such_property")
    assert proc.returncode == 5
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "no_such_property" in proc.stderr + proc.stdout


def test_unknown_instance_is_a_usage_error():
    proc = run_cli("check", spec("two_phase_commit.py"), "--instance", "no_such_instance")
    assert proc.returncode == 5
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "no_such_instance" in proc.stderr + proc.stdout


# --- sloppy counter over 32-bit words ------------------------------------------------------------

def test_sloppy_counter_verdicts():
    code, _, results = check_json(spec("sloppy_counter.py"), "--instance", "threshold4", "--max-steps", "6")
    assert code == 1
    assert_results(results, SLOPPY)


def test_sloppy_counter_conservation_holds():
    holding = [n for n, (_, verdict, _) in SLOPPY.items() if verdict == HOLDS]
    code, _, results = check_json(spec("sloppy_counter.py"), "--instance", "threshold4",
                                  *property_flags(holding), "--max-steps", "6")
    assert code == 0
    assert_results(results, {k: SLOPPY[k] for k in holding})


def test_sloppy_counter_itf_trace_wraps(tmp_path):
    out = tmp_path / "sloppy.itf.json"
    proc = run_cli("check", spec("sloppy_counter.py"), "--instance", "threshold4", "--property", "global_monotone",
                   "--max-steps", "6", "--out-itf", str(out))
    assert proc.returncode == 1, proc.stderr[-3000:]
    with open(out) as f:
        itf = json.load(f)
    states = itf["states"]
    assert len(states) == 4 + 1
    first, last = (int(states[i]["glob"]["#bigint"]) for i in (0, -1))
    assert first >= 2 ** 32 - 4 and last < first


# --- bad specs --------------------------------------------------------------------------------

def _marked_line(path: str) -> int:
    with open(path) as f:
        hits = [i for i, line in enumerate(f.read().splitlines(), 1) if line.rstrip().endswith("# ERROR HERE")]
    assert len(hits) == 1
    return hits[0]


BAD = sorted(f for f in os.listdir(BAD_SPECS) if f.startswith("bad_") and f.endswith(".py"))


@pytest.mark.parametrize("name", BAD)
def test_bad_spec_cli_exit_5_with_location(name):
    path = os.path.join(BAD_SPECS, name)
    proc = run_cli("check", path, "--max-steps", "3")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 5, output[-3000:]
    assert "Traceback" not in output
    where = f"{name}:{_marked_line(path)}"
    lines = [line for line in output.splitlines() if where in line]
    assert len(lines) == 1, output[-3000:]


# --- independent confirmation by breadth-first search over the concrete semantics ---------------
#
# These do not use the CLI or a solver: they enumerate reachable states with the
# concrete stepper (wunderspec_smt.interp.stepper) and record, per property, the
# first BFS depth at which an invariant fails or an example holds.

def _bfs(path: str, instance, max_depth: int, initial_states=None) -> dict:
    from wunderspec_smt.interp.evaluate import eval_term
    from wunderspec_smt.interp.stepper import init_states, next_states
    from wunderspec_smt.lang.values import value_key
    from wunderspec_smt.loader import compile_model, load_spec

    model = compile_model(load_spec(path), instance)

    def key(st: dict) -> tuple:
        return tuple(sorted((n, value_key(v)) for n, v in st.items()))

    def value(prop, st: dict):
        env = {model.svar(n): v for n, v in st.items()}
        return eval_term(model.properties[prop].term, env)

    if initial_states is None:
        initial_states = [st for _, st in init_states(model)]
    frontier = {key(st): st for st in initial_states}
    seen = set(frontier)
    first = {}
    for depth in range(max_depth + 1):
        for st in frontier.values():
            for name, p in model.properties.items():
                hit = value(name, st) is (p.kind == "example")
                if hit and name not in first:
                    first[name] = depth
        if depth == max_depth:
            break
        nxt = {}
        for st in frontier.values():
            for _, post in next_states(model, st):
                k = key(post)
                if k not in seen:
                    seen.add(k)
                    nxt[k] = post
        frontier = nxt
    return first


def _expected_first(expected: dict) -> dict:
    return {name: length for name, (_, _, length) in expected.items() if length is not None}


def test_bfs_counter():
    assert _bfs(spec("counter.py"), None, 10) == _expected_first(COUNTER)


def test_bfs_mutex_race():
    assert _bfs(spec("mutex_race.py"), None, 12) == _expected_first(MUTEX_RACE)


def test_bfs_mutex_fixed():
    # the 20 reachable states are all reached within 6 transitions
    assert _bfs(spec("mutex_fixed.py"), None, 8) == _expected_first(MUTEX_FIXED)


def test_bfs_two_phase_commit():
    # the 288 reachable states are all reached within 10 transitions: `consistent` and
    # `type_ok` hold in every reachable state
    assert _bfs(spec("two_phase_commit.py"), "three", 12) == _expected_first(TWO_PC)


def test_bfs_sloppy_counter_from_chosen_initial_globals():
    # The real initial states (2**32 of them) cannot be enumerated; search from a few
    # chosen ones: the wrap needs an initial global in 2**32-4 .. 2**32-1.
    from wunderspec_smt.lang.values import MapValue

    def start(g: int) -> dict:
        return {"glob": g, "local": MapValue({0: 0, 1: 0, 2: 0}), "total": g, "initial": g}

    path = spec("sloppy_counter.py")
    wraps = _expected_first(SLOPPY)
    assert _bfs(path, "threshold4", 6, [start(2 ** 32 - 1)]) == wraps
    assert _bfs(path, "threshold4", 6, [start(2 ** 32 - 4)]) == wraps
    assert _bfs(path, "threshold4", 6, [start(2 ** 32 - 5), start(0), start(12345)]) == {}
