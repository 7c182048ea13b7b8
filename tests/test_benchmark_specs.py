"""The verdicts of the benchmark specs (benchmarks/specs/), pinned on small instances.

The benchmark runner (benchmarks/run.py) measures speed; these tests make sure
that no speed work changes an answer silently. For each case, on its small
instance and at a small depth:

* `check` (BMC, in process through the engine API, with the trace replay the
  CLI does) gives exactly the expected verdict and shortest length for every
  property;
* `explore` (explicit-state search, no solver) agrees, as an independent
  confirmation of the expected values;
* the full-size instances the runner uses compile, and name the properties
  the runner checks.

The expected shortest lengths are argued in each spec's docstring. The whole
file runs in well under a minute.
"""
import json
import os
import subprocess
import sys

import pytest

from wunderspec_smt.engines.bmc import run_bmc
from wunderspec_smt.engines.explore import run_explore
from wunderspec_smt.interp.stepper import replay_trace
from wunderspec_smt.loader import compile_model, load_spec

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPECS = os.path.join(ROOT, "benchmarks", "specs")

HOLDS = "holds"

# case -> (spec file, small instance, depth, {property: "holds" | ("violated" | "found", length)})
SMALL = {
    "bakery": ("bakery.py", "n2", 9, {"mutual_exclusion": HOLDS, "someone_in_cs": ("found", 9)}),
    "two_phase": ("two_phase.py", "rm3", 8, {"tc_consistent": HOLDS, "some_committed": ("found", 8)}),
    "paxos": ("paxos.py", "a3v2b1", 6, {"agreement": HOLDS, "one_value_per_ballot": HOLDS,
                                         "some_chosen": ("found", 6)}),
    "ewd840": ("ewd840.py", "n3", 6, {"termination_detection": HOLDS, "detected_after_probe": ("found", 3)}),
    "raft": ("raft.py", "s3", 6, {"one_leader_per_term": HOLDS, "leader_elected": ("found", 6)}),
    "bcast_folklore": ("bcast_folklore.py", "n4", 4, {"unforgeability": HOLDS, "accepted_sent_echo": HOLDS,
                                                      "all_accepted": ("found", 4)}),
    "allocator": ("allocator.py", "c2r2", 5, {"resource_mutex": HOLDS, "all_allocated": ("found", 2),
                                              "two_holders": ("found", 4)}),
    "hanoi": ("hanoi.py", "d3", 7, {"solved": ("found", 7)}),
    "seq_wrap": ("seq_wrap.py", "mod3", 12, {"no_message_lost": ("violated", 12),
                                             "no_message_lost_fixed": HOLDS}),
}

# the full-size instance of each case and the properties the runner checks there
FULL = {
    "bakery": ("bakery.py", "n5", ["mutual_exclusion"]),
    "two_phase": ("two_phase.py", "rm7", ["tc_consistent"]),
    "paxos": ("paxos.py", "a3v2b4", ["agreement", "one_value_per_ballot"]),
    "ewd840": ("ewd840.py", "n10", ["termination_detection"]),
    "raft": ("raft.py", "s5", ["one_leader_per_term"]),
    "bcast_folklore": ("bcast_folklore.py", "n20", ["unforgeability", "accepted_sent_echo"]),
    "allocator": ("allocator.py", "c5r3", ["resource_mutex"]),
    "hanoi": ("hanoi.py", "d5", ["solved"]),
    "seq_wrap": ("seq_wrap.py", "mod8", ["no_message_lost", "no_message_lost_fixed"]),
}


def _model(spec: str, instance: str):
    return compile_model(load_spec(os.path.join(SPECS, spec)), instance, None, None)


def _outcome(r):
    if r.verdict in ("violated", "found"):
        return (r.verdict, r.length)
    if r.verdict == "not_found":
        return "not_found"
    return r.verdict


def _run(engine, case: str):
    spec, instance, depth, expected = SMALL[case]
    model = _model(spec, instance)
    props = [model.properties[n] for n in expected]
    res = engine(model, props, depth, replay=lambda trace: replay_trace(model, trace))
    assert res.fault is None, res.fault.message
    return {r.name: _outcome(r) for r in res.results}, expected


@pytest.mark.parametrize("case", list(SMALL))
def test_check_verdicts(case):
    got, expected = _run(run_bmc, case)
    assert got == expected


@pytest.mark.parametrize("case", list(SMALL))
def test_explore_agrees(case):
    got, expected = _run(run_explore, case)
    assert got == expected


def test_seq_wrap_counterexample_is_the_wrap_around():
    """The shortest counterexample delivers MOD messages, then loses the one numbered 0 again."""
    model = _model("seq_wrap.py", "mod3")
    res = run_bmc(model, [model.properties["no_message_lost"]], 12,
                  replay=lambda trace: replay_trace(model, trace))
    (r,) = res.results
    assert (r.verdict, r.length) == ("violated", 12)
    last = r.trace.states[-1]
    assert (last["next_msg"], last["delivered"]) == (4, 3)


@pytest.mark.parametrize("case", list(FULL))
def test_full_instances_compile(case):
    spec, instance, props = FULL[case]
    model = _model(spec, instance)
    assert set(props) <= set(model.properties)


def test_every_spec_is_a_case():
    assert sorted(f for f in os.listdir(SPECS) if f.endswith(".py")) == sorted(s for s, _, _ in FULL.values())


def test_runner_cases_match():
    """The runner checks the same properties, with the same small-instance expectations."""
    sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
    try:
        import run as runner
    finally:
        sys.path.pop(0)
    assert set(runner.CASES) == set(SMALL)
    for name, case in runner.CASES.items():
        spec, instance, _depth, expected = SMALL[name]
        assert (case.spec, case.small_instance, sorted(case.small_expected)) == (spec, instance, sorted(expected))
        for p, v in case.small_expected.items():
            assert v == (HOLDS if expected[p] == HOLDS else f"{expected[p][0]}@{expected[p][1]}")
        assert (case.spec, case.instance, sorted(case.expected)) == (FULL[name][0], FULL[name][1],
                                                                     sorted(FULL[name][2]))


def test_runner_smoke(tmp_path):
    out = tmp_path / "r.json"
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "run.py"), "--small",
                           "hanoi", "allocator", "--json", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "| hanoi" in proc.stdout and "| allocator" in proc.stdout
    data = json.loads(out.read_text())
    run = data["cases"]["hanoi"]["bmc_median"]
    assert run["results"] == {"solved": "found@7"}
    assert run["depth_reached"] == 7 and run["peak_rss_mb"] > 0
    assert run["size"]["assertions"] > 0
    assert run["stats"]["int_encoding"].startswith("bv")          # the runner says how ints were encoded
    assert run["size"]["clauses"] > 0                               # SAT-solver counters, under common names
    assert " bv" in proc.stdout.split("| hanoi", 1)[1].splitlines()[0]
    # the Python shares: of the whole run, and of the last depth (Hanoi's: decoding and replaying its trace)
    lines = proc.stdout.splitlines()
    head = [c.strip() for c in next(x for x in lines if x.startswith("| case")).split("|")]
    row = [c.strip() for c in next(x for x in lines if x.startswith("| hanoi")).split("|")]
    assert row[head.index("solver/python")].count("%") == 2 and row[head.index("python at last depth")].endswith("%")
    assert run["instrument_seconds"] >= 0 and run["search_seconds"] <= run["wall_seconds"]


def test_ab_and_parts_smoke():
    """benchmarks/ab.py (A/B of two module-flag settings) and parts.py (Python time by part)."""
    ab = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "ab.py"), "hanoi", "--small",
                         "--repeat", "1", "--a", "bmc.REUSE_ENCODINGS = False"], cwd=ROOT, capture_output=True,
                        text=True, timeout=120)
    assert ab.returncode == 0, ab.stdout[-2000:] + ab.stderr[-2000:]
    line = next(l for l in ab.stdout.splitlines() if l.startswith("hanoi"))
    side_a, side_b = line.split(" | ")
    assert "renamed 0 " in side_a and "renamed 5 " in side_b   # the flag reached the worker
    parts = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "parts.py"), "allocator"], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
    assert parts.returncode == 0, parts.stdout[-2000:] + parts.stderr[-2000:]
    assert parts.stdout.startswith("allocator") and "steps=" in parts.stdout and "properties=" in parts.stdout
