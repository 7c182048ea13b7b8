"""The DNS load-balancer control plane (examples/dns_balancer.py): loads, verdicts, shortest traces.

* every instance loads and compiles, with the two invariants;
* `check` (through the CLI, which replays every trace before showing it) finds the
  root-consistency violation -- a deployer garbage-collects the plan that another,
  stale deployer has just made live -- in 9 steps, and the rollback violation in 5;
* a breadth-first search over the concrete interpreter (no solver) confirms that
  9 and 5 are the shortest lengths, on the instance `small` (one IP and one weight,
  so every plan has one possible content; IPs and weights are read by no guard and
  by neither invariant, so the lengths are those of `default` too).
"""
import json
import os
import subprocess
import sys

from wunderspec_smt.loader import compile_model, load_spec

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC = os.path.join(ROOT, "examples", "dns_balancer.py")

INSTANCES = ("default", "small", "age2")
PROPERTIES = {"no_inconsistent_root": "invariant", "no_inconsistent_rollback": "invariant"}
SHORTEST = {"no_inconsistent_root": 9, "no_inconsistent_rollback": 5}  # default and small
ZONE, ROLLBACK = "api.example.com", "rollback.api.example.com"


def test_every_instance_loads():
    sm = load_spec(SPEC)
    assert sorted(sm.instances) == sorted(INSTANCES)
    for inst in INSTANCES:
        m = compile_model(sm, inst)
        assert {name: p.kind for name, p in m.properties.items()} == PROPERTIES


def _check_json(*args: str) -> tuple:
    proc = subprocess.run([sys.executable, "-m", "wunderspec_smt", "check", SPEC, "--json", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr[-3000:]
    summary = json.loads(proc.stdout)
    assert summary["exit_code"] == proc.returncode
    return proc.returncode, {r["property"]: r for r in summary["results"]}


def _records(itf_set: dict) -> list:
    return [(r["kind"], r["name"], r["value"]["#tup"][0]) for r in itf_set["#set"]]


def _targets(state: dict, name: str) -> set:
    return {target for kind, n, target in _records(state["zone_records"]) if kind == "Kind.CNAME" and n == name}


def _plans(state: dict) -> set:
    """Names of the plans with records in the zone (some CNAME is named after them)."""
    return {n for kind, n, _ in _records(state["zone_records"]) if kind == "Kind.CNAME" and n.startswith("plan-")}


def test_check_finds_both_violations_with_shortest_traces():
    # exit 1 (not 6): both traces replayed in the concrete interpreter
    code, results = _check_json("--instance", "default", "--max-steps", "9")
    assert code == 1
    assert {name: (r["verdict"], r["length"]) for name, r in results.items()} == \
        {name: ("violated", n) for name, n in SHORTEST.items()}

    trace = results["no_inconsistent_root"]["trace"]
    states, steps = trace["states"], trace["steps"]
    assert len(states) == len(steps) == SHORTEST["no_inconsistent_root"] + 1
    calls = [(s["calls"][0]["name"], s["calls"][0]["args"]) for s in steps[1:]]
    # the root points to one plan, whose records the last step (a GC) deleted
    (live,) = _targets(states[-1], ZONE)
    assert live in _plans(states[-2]) and live not in _plans(states[-1])
    gc, gc_args = calls[-1]
    assert gc == "deployer_gc"
    # the plan was made live by another deployer, which had lost a lock race and retried
    made_live = max(i for i, (name, _) in enumerate(calls) if name == "deployer_deploy")
    deployer = calls[made_live][1]["deployer"]
    assert _targets(states[made_live + 1], ZONE) == {live}
    assert deployer != gc_args["deployer"]
    assert ("deployer_back_off", {"deployer": deployer}) in calls[:made_live]

    rollback = results["no_inconsistent_rollback"]["trace"]["states"][-1]
    (target,) = _targets(rollback, ROLLBACK)
    assert target not in _plans(rollback)


# --- independent confirmation: breadth-first search over the concrete semantics ----------------

PER_DEPLOYER = ("deployer_lock", "deployer_root", "deployer_rollback", "deployer_next_plan", "deployer_pending")


def _bfs_first_violations(instance: str, max_depth: int) -> dict:
    """{invariant: the first depth at which some reachable state violates it}.

    States are identified up to renaming the deployers (they are symmetric: same
    initial view, and the spec never names one), which keeps the search small.
    """
    from wunderspec_smt.interp.evaluate import eval_term
    from wunderspec_smt.interp.stepper import init_states, next_states
    from wunderspec_smt.lang.values import value_key

    model = compile_model(load_spec(SPEC), instance)

    def key(st: dict) -> tuple:
        shared = tuple((n, value_key(v)) for n, v in sorted(st.items()) if n not in PER_DEPLOYER and n != "lock")
        lock = st["lock"]
        views = sorted((tuple(value_key(st[n][d]) for n in PER_DEPLOYER), d == lock.owner)
                       for d in st["deployer_lock"].keys())
        return shared, lock.epoch, tuple(views)

    def holds(prop: str, st: dict) -> bool:
        return eval_term(model.properties[prop].term, {model.svar(n): v for n, v in st.items()})

    frontier = {key(st): st for _, st in init_states(model)}
    seen = set(frontier)
    first = {}
    for depth in range(max_depth + 1):
        for st in frontier.values():
            for prop in model.properties:
                if prop not in first and not holds(prop, st):
                    first[prop] = depth
        if depth == max_depth or len(first) == len(model.properties):
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


def test_bfs_confirms_shortest_lengths():
    assert _bfs_first_violations("small", 10) == SHORTEST
