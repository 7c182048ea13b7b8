#!/usr/bin/env python3
"""Run the benchmark suite (benchmarks/specs/) and print one table.

    python benchmarks/run.py                      # every case, at its full target depth
    python benchmarks/run.py bakery paxos         # a named subset
    python benchmarks/run.py --small              # the small test instances (a smoke run)
    python benchmarks/run.py --timeout 600 --repeat 3 --json results.json
    python benchmarks/run.py --compare-explore    # also our explicit-state `explore`, same depth
    python benchmarks/run.py --compare-wunderspec # also `wunderspec check`, when it is installed
    python benchmarks/run.py --profile prof/      # cProfile each case: prof/<case>.prof and .txt

Every case runs in its own subprocess (``--worker``), so peak memory (the
child's ``ru_maxrss`` from ``os.wait4``) is per case and a case that hangs can
be killed. The worker uses the engine API (``engines.bmc.run_bmc``, with the
trace replay the CLI does); it streams one JSON line per completed depth, so a
case stopped by ``--timeout`` still reports how deep it got. To measure the
formula, the worker registers the Z3 solver the engine creates (a wrapper
around ``Z3Solver.__init__`` in the worker process only; the checker is not
changed) and, after the timed run, reads its assertions and Z3's statistics.

Columns: ``depth`` = deepest depth completed (every depth up to it answered);
``verdict`` per property (``holds``, ``violated@n`` / ``found@n`` with the
shortest trace length, ``unknown>d`` when stopped after depth d); ``ok`` =
the verdict is the expected one (a case stopped early is ``partial``);
``wall`` = load + compile + search, without interpreter start-up; ``per depth``
= mean / last completed depth; ``solver`` = share of the search time spent
inside Z3's ``check`` (the rest is Python: encoding, decoding, replay);
``asserts`` = top-level assertions in the solver; ``dag`` = distinct
sub-terms of all assertions; ``bool vars`` / ``clauses`` = Z3's ``mk bool var``
and ``mk clause`` statistics; ``Apalache`` = the time published for the
OOPSLA'19 suite (other machine, other spec texts; see benchmarks/README.md),
``ratio`` = Apalache time / ours, given only when we reached the same depth.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SPECS = os.path.join(HERE, "specs")


@dataclass
class Case:
    spec: str                       # file in benchmarks/specs/
    instance: str
    depth: int                      # the target depth (transitions)
    expected: Dict[str, str]        # property -> "holds" | "violated@n" | "found@n"
    apalache_s: Optional[float]     # published Apalache time (OOPSLA'19), None for our extra cases
    small_instance: str
    small_depth: int
    small_expected: Dict[str, str]
    about: str = ""


CASES: Dict[str, Case] = {
    "bakery": Case("bakery.py", "n5", 8, {"mutual_exclusion": "holds"}, 658,
                   "n2", 9, {"mutual_exclusion": "holds", "someone_in_cs": "found@9"},
                   "Lamport's bakery, N=5, mutual exclusion"),
    "two_phase": Case("two_phase.py", "rm7", 10, {"tc_consistent": "holds"}, 2840,
                      "rm3", 8, {"tc_consistent": "holds", "some_committed": "found@8"},
                      "two-phase commit, 7 RMs, TCConsistent"),
    "paxos": Case("paxos.py", "a3v2b4", 13, {"agreement": "holds", "one_value_per_ballot": "holds"}, 1212,
                  "a3v2b1", 6, {"agreement": "holds", "one_value_per_ballot": "holds", "some_chosen": "found@6"},
                  "single-decree Paxos, 3 acceptors, 2 values, ballots 0..4"),
    "ewd840": Case("ewd840.py", "n10", 30, {"termination_detection": "holds"}, 2386,
                   "n3", 8, {"termination_detection": "holds", "detected_after_probe": "found@3"},
                   "EWD840 termination detection, N=10"),
    "raft": Case("raft.py", "s5", 8, {"one_leader_per_term": "holds"}, 3949,
                 "s3", 6, {"one_leader_per_term": "holds", "leader_elected": "found@6"},
                 "Raft leader election, 5 servers, one leader per term"),
    "bcast_folklore": Case("bcast_folklore.py", "n20", 10,
                           {"unforgeability": "holds", "accepted_sent_echo": "holds"}, 34,
                           "n4", 4, {"unforgeability": "holds", "accepted_sent_echo": "holds",
                                     "all_accepted": "found@4"},
                           "folklore reliable broadcast, N=20, unforgeability"),
    "allocator": Case("allocator.py", "c5r3", 7, {"resource_mutex": "holds"}, 83,
                      "c2r2", 5, {"resource_mutex": "holds", "all_allocated": "found@2",
                                  "two_holders": "found@4"},
                      "simple allocator, 5 clients, 3 resources, mutex"),
    "hanoi": Case("hanoi.py", "d5", 31, {"solved": "found@31"}, None,
                  "d3", 7, {"solved": "found@7"},
                  "Towers of Hanoi, 5 disks: deep witness (31)"),
    "seq_wrap": Case("seq_wrap.py", "mod8", 27, {"no_message_lost": "violated@27",
                                                 "no_message_lost_fixed": "holds"}, None,
                     "mod3", 12, {"no_message_lost": "violated@12", "no_message_lost_fixed": "holds"},
                     "stop-and-wait wrap-around bug: deep counterexample (27)"),
}


# ----------------------------------------------------------------------------------------
# the worker: one engine run of one case, in its own process
# ----------------------------------------------------------------------------------------

def _emit(obj: Dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def _dag_size(assertions, limit: int = 5_000_000) -> Optional[int]:
    """Distinct sub-terms of the assertions (None above `limit`)."""
    import z3
    seen = set()
    stack = list(assertions)
    while stack:
        e = stack.pop()
        i = e.get_id()
        if i in seen:
            continue
        seen.add(i)
        if len(seen) > limit:
            return None
        if z3.is_app(e):
            stack.extend(e.children())
        elif z3.is_quantifier(e):
            stack.append(e.body())
    return len(seen)


def _verdict_text(r) -> str:
    if r.verdict in ("violated", "found"):
        return f"{r.verdict}@{r.length}"
    if r.verdict in ("holds", "not_found"):
        return r.verdict
    return f"unknown>{r.depth_checked}"


def worker(cfg: Dict[str, Any]) -> None:
    sys.path.insert(0, ROOT)
    from wunderspec_smt.solvers import z3native
    solvers: List[Any] = []
    original_init = z3native.Z3Solver.__init__

    def registering_init(self, *a, **k):
        original_init(self, *a, **k)
        solvers.append(self)

    z3native.Z3Solver.__init__ = registering_init

    from wunderspec_smt.loader import compile_model, load_spec
    from wunderspec_smt.interp.stepper import replay_trace

    t0 = time.perf_counter()
    model = compile_model(load_spec(cfg["spec"]), cfg["instance"], None, None)
    props = [model.properties[n] for n in cfg["properties"]]
    compile_s = time.perf_counter() - t0

    z3_keys = ("conflicts", "decisions", "propagations", "mk bool var", "mk clause", "memory")

    instrument = [0.0]   # time this worker spends reading Z3's counters and writing lines, inside the run

    def on_depth(s) -> None:
        start = time.perf_counter()
        line = {"type": "depth", "depth": s.depth, "seconds": s.seconds, "solver_seconds": s.solver_seconds,
                "states": s.states}
        if solvers:  # Z3's counters so far (cumulative over the run's checks)
            st = solvers[0].statistics()
            line["z3"] = {k: st[k] for k in z3_keys if k in st}
        _emit(line)
        instrument[0] += time.perf_counter() - start

    def replay(trace) -> None:
        replay_trace(model, trace)

    profiler = None
    if cfg.get("profile"):
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()
    if cfg["engine"] == "bmc":
        from wunderspec_smt.engines.bmc import run_bmc
        res = run_bmc(model, props, cfg["depth"], cfg.get("timeout"), on_depth=on_depth, replay=replay)
    else:
        from wunderspec_smt.engines.explore import run_explore
        res = run_explore(model, props, cfg["depth"], cfg.get("timeout"), max_states=cfg.get("max_states"),
                          on_depth=on_depth, replay=replay)
    if profiler is not None:
        profiler.disable()
        import io
        import pstats
        base = os.path.join(cfg["profile"], f"{cfg['name']}-{cfg['engine']}")
        profiler.dump_stats(base + ".prof")
        with open(base + ".txt", "w") as f:
            for key in ("tottime", "cumulative"):
                buf = io.StringIO()
                pstats.Stats(profiler, stream=buf).sort_stats(key).print_stats(40)
                f.write(f"=== sorted by {key} ===\n{buf.getvalue()}\n")

    out: Dict[str, Any] = {
        "type": "result",
        "compile_seconds": compile_s,
        "total_seconds": res.total_seconds,
        "instrument_seconds": instrument[0],
        "solver_seconds": res.solver_seconds,
        "fault": res.fault.message if res.fault else None,
        "results": {r.name: _verdict_text(r) for r in res.results},
        "stats": {k: v for k, v in res.stats.items() if isinstance(v, (int, float, str, type(None)))},
        "lemmas": list(res.stats.get("lemmas", [])),
    }
    if cfg["engine"] == "bmc" and solvers and not cfg.get("no_size"):
        zs = solvers[0].statistics()
        t1 = time.perf_counter()
        assertions = solvers[0].assertions()
        out["size"] = {
            "assertions": len(assertions),
            "dag": _dag_size(assertions),
            "bool_vars": zs.get("mk bool var"),
            "clauses": zs.get("mk clause"),
            "conflicts": zs.get("conflicts"),
            "decisions": zs.get("decisions"),
            "z3_max_memory_mb": zs.get("max memory"),
            "checks": solvers[0].checks,
            "measure_seconds": time.perf_counter() - t1,
        }
    _emit(out)


# ----------------------------------------------------------------------------------------
# the parent: spawn, time, collect
# ----------------------------------------------------------------------------------------

def run_one(name: str, case: Case, engine: str, depth: int, instance: str, props: List[str],
            timeout: Optional[float], profile: Optional[str], no_size: bool,
            max_states: Optional[int]) -> Dict[str, Any]:
    cfg = {"name": name, "spec": os.path.join(SPECS, case.spec), "instance": instance, "properties": props,
           "depth": depth, "timeout": timeout, "engine": engine, "profile": profile, "no_size": no_size,
           "max_states": max_states}
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--worker", json.dumps(cfg)],
                                stdout=out, stderr=err, env=env, cwd=ROOT)
        # the engine stops itself at `timeout`, but only between solver calls: a Python phase
        # (encoding a step) that runs long is killed after a grace period
        hard = None if timeout is None else timeout + max(30.0, 0.1 * timeout)
        killed = False
        while True:
            pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if hard is not None and time.perf_counter() - start > hard:
                proc.kill()
                killed = True
                pid, status, rusage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        lines = [json.loads(x) for x in out.read().splitlines() if x.startswith("{")]
        stderr = err.read()
    depths = [x for x in lines if x["type"] == "depth"]
    final = next((x for x in lines if x["type"] == "result"), None)
    row: Dict[str, Any] = {
        "case": name, "engine": engine, "instance": instance, "target_depth": depth,
        "process_seconds": elapsed, "peak_rss_mb": rusage.ru_maxrss / 1024.0, "exit_code": proc.returncode,
        "killed": killed, "depths": depths, "depth_reached": depths[-1]["depth"] if depths else -1,
    }
    if final is None:
        row["error"] = "killed after the time limit" if killed else (stderr.strip().splitlines() or ["?"])[-1]
        row["results"] = {p: "unknown" for p in props}
        row["wall_seconds"] = elapsed
        row["solver_seconds"] = sum(d["solver_seconds"] for d in depths)
        row["search_seconds"] = sum(d["seconds"] for d in depths)
        return row
    row.update({
        "results": final["results"], "fault": final["fault"], "stats": final["stats"],
        "lemmas": final.get("lemmas", []), "compile_seconds": final["compile_seconds"],
        # the run's time without this worker's own per-depth reading of Z3's counters (up to 11 ms on
        # Hanoi's 31 depths), which a user of `check` does not pay
        "search_seconds": final["total_seconds"] - final.get("instrument_seconds", 0.0),
        "instrument_seconds": final.get("instrument_seconds", 0.0),
        "solver_seconds": final["solver_seconds"],
        "wall_seconds": final["compile_seconds"] + final["total_seconds"] - final.get("instrument_seconds", 0.0),
    })
    if "size" in final:
        row["size"] = final["size"]
    return row


def judge(results: Dict[str, str], expected: Dict[str, str]) -> str:
    if any(v.startswith("unknown") for v in results.values()):
        wrong = [p for p, v in results.items() if not v.startswith("unknown") and v != expected.get(p)]
        return "NO" if wrong else "partial"
    return "yes" if all(results.get(p) == v for p, v in expected.items()) else "NO"


def _fmt_s(x: Optional[float]) -> str:
    if x is None:
        return "-"
    return f"{x:.2f}" if x < 100 else f"{x:.0f}"


def _fmt_n(x: Optional[float]) -> str:
    if x is None:
        return "-"
    x = float(x)
    for unit, div in (("M", 1e6), ("k", 1e3)):
        if x >= div:
            return f"{x / div:.1f}{unit}"
    return f"{int(x)}"


def summarize(row: Dict[str, Any], case: Case, expected: Dict[str, str], full: bool) -> Dict[str, Any]:
    d = row["depths"]
    per = [x["seconds"] for x in d]
    search = row.get("search_seconds") or 0.0
    solver = row.get("solver_seconds") or 0.0
    reached_target = row["depth_reached"] >= row["target_depth"] or all(
        not v.startswith("unknown") for v in row["results"].values())
    ratio = None
    if full and case.apalache_s and reached_target and row["wall_seconds"] > 0:
        ratio = case.apalache_s / row["wall_seconds"]
    size = row.get("size", {})
    return {
        "case": row["case"], "instance": row["instance"], "k": row["target_depth"],
        "depth": row["depth_reached"],
        "verdict": ", ".join(f"{p} {v}" for p, v in row["results"].items()),
        "ok": judge(row["results"], expected) if not row.get("error") else "error",
        "wall": row["wall_seconds"], "mean_depth": statistics.mean(per) if per else None,
        "last_depth": per[-1] if per else None, "rss": row["peak_rss_mb"],
        "solver_share": solver / search if search else None,
        "last_python_share": ((d[-1]["seconds"] - d[-1]["solver_seconds"]) / d[-1]["seconds"]
                              if d and d[-1]["seconds"] > 0 else None),
        "asserts": size.get("assertions"), "dag": size.get("dag"), "bool_vars": size.get("bool_vars"),
        "clauses": size.get("clauses"), "apalache": case.apalache_s if full else None, "ratio": ratio,
        "error": row.get("error"),
        "ints": _ints_text(row.get("stats") or {}) + ("+ind" if row.get("lemmas") else ""),
    }


def _ints_text(stats: Dict[str, Any]) -> str:
    """How the run encoded integers (bvN / int), and `+fresh` when it went on from scratch per query
    (the row adds `+ind` when some invariant was proved inductive instead of searched)."""
    enc = stats.get("int_encoding", "-")
    return enc + ("+fresh" if stats.get("from_scratch") else "")


def print_table(rows: List[Dict[str, Any]]) -> None:
    head = ["case", "inst", "k", "depth", "verdict", "ok", "wall s", "per depth s (mean/last)", "peak RSS MiB",
            "ints", "solver/python", "python at last depth", "asserts", "dag", "bool vars", "clauses", "Apalache s", "ratio"]
    body = []
    for r in rows:
        share = "-" if r["solver_share"] is None else f"{100 * r['solver_share']:.0f}%/{100 - 100 * r['solver_share']:.0f}%"
        body.append([
            r["case"], r["instance"], str(r["k"]), str(r["depth"]),
            r["verdict"] + (f" ({r['error'][:70]})" if r["error"] else ""),
            r["ok"], _fmt_s(r["wall"]), f"{_fmt_s(r['mean_depth'])} / {_fmt_s(r['last_depth'])}",
            f"{r['rss']:.0f}", r["ints"], share,
            "-" if r["last_python_share"] is None else f"{100 * r['last_python_share']:.0f}%",
            _fmt_n(r["asserts"]), _fmt_n(r["dag"]), _fmt_n(r["bool_vars"]),
            _fmt_n(r["clauses"]), _fmt_s(r["apalache"]),
            "-" if r["ratio"] is None else f"{r['ratio']:.0f}x" if r["ratio"] >= 10 else f"{r['ratio']:.1f}x",
        ])
    _print_md(head, body)


def _print_md(head: List[str], body: List[List[str]]) -> None:
    widths = [max(len(h), *(len(b[i]) for b in body)) if body else len(h) for i, h in enumerate(head)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for b in body:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(b, widths)) + " |")
    sys.stdout.flush()


def median_run(runs: List[Dict[str, Any]]) -> Dict[str, Any]:
    ordered = sorted(runs, key=lambda r: r["wall_seconds"])
    return ordered[(len(ordered) - 1) // 2]


# ----------------------------------------------------------------------------------------
# wunderspec (the explicit-state checker of the DSL's own package), when installed
# ----------------------------------------------------------------------------------------

def wunderspec_available() -> Optional[str]:
    import importlib.util
    exe = shutil.which("wunderspec")
    if exe and importlib.util.find_spec("wunderspec") is not None:
        return exe
    return None


def run_wunderspec(exe: str, name: str, case: Case, instance: str, depth: int, props: List[str],
                   timeout: Optional[float]) -> Dict[str, Any]:
    """`wunderspec check` on a copy of the spec whose imports name `wunderspec` (one property per run)."""
    with open(os.path.join(SPECS, case.spec)) as f:
        text = re.sub(r"\bwunderspec_smt\b", "wunderspec", f.read())
    out: Dict[str, Any] = {"case": name, "properties": {}}
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, case.spec)
        with open(path, "w") as f:
            f.write(text)
        total = 0.0
        for p in props:
            start = time.perf_counter()
            try:
                proc = subprocess.run([exe, "check", path, "--instance", instance, "--property", p,
                                       "--max-steps", str(depth), "--no-progress", "--no-color",
                                       "--no-print-trace"], capture_output=True, text=True, timeout=timeout)
                code = proc.returncode
                verdict = {0: "holds", 1: "violated-or-error", 2: "found", 3: "not_found"}.get(code, f"exit {code}")
            except subprocess.TimeoutExpired:
                verdict = "timeout"
            elapsed = time.perf_counter() - start
            total += elapsed
            out["properties"][p] = {"verdict": verdict, "seconds": elapsed}
        out["seconds"] = total
    return out


# ----------------------------------------------------------------------------------------

def machine_info() -> Dict[str, Any]:
    mem = None
    try:
        with open("/proc/meminfo") as f:
            mem = int(f.readline().split()[1]) / 1024 / 1024
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--", "wunderspec_smt"], cwd=ROOT,
                                    capture_output=True, text=True).stdout.strip())
    except OSError:
        commit, dirty = "?", False
    try:
        import z3
        z3v = z3.get_version_string()
    except ImportError:
        z3v = "?"
    return {"date": datetime.datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
            "mem_gib": round(mem, 1) if mem else None, "python": platform.python_version(), "z3": z3v,
            "commit": commit + ("+dirty" if dirty else ""), "platform": platform.platform()}


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description="Run the wunderspec_smt benchmark suite.")
    ap.add_argument("cases", nargs="*", help=f"cases to run (default: all): {', '.join(CASES)}")
    ap.add_argument("--repeat", type=int, default=1, help="run each case N times, report the median run")
    ap.add_argument("--timeout", type=float, default=None, help="seconds per case (per engine run)")
    ap.add_argument("--small", action="store_true", help="the small test instances instead of the full targets")
    ap.add_argument("--max-steps", "-k", type=int, default=None, help="override every case's depth")
    ap.add_argument("--compare-explore", action="store_true", help="also run `explore` at the same depth")
    ap.add_argument("--max-states", type=int, default=None, help="explore: give up after N distinct states")
    ap.add_argument("--compare-wunderspec", action="store_true",
                    help="also run `wunderspec check --max-steps K` (if the wunderspec package is installed)")
    ap.add_argument("--profile", metavar="DIR", default=None, help="cProfile each run into DIR/<case>-<engine>.*")
    ap.add_argument("--no-size", action="store_true", help="skip measuring the formula (DAG walk)")
    ap.add_argument("--json", metavar="OUT", default=None, help="save every run's raw results here")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        worker(json.loads(args.worker))
        return 0

    unknown = [c for c in args.cases if c not in CASES]
    if unknown:
        ap.error(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(CASES)}")
    names = args.cases or list(CASES)
    if args.profile:
        os.makedirs(args.profile, exist_ok=True)
        args.profile = os.path.abspath(args.profile)
    info = machine_info()
    print(f"# wunderspec_smt benchmarks, {info['date']}, commit {info['commit']}, {info['cpus']} CPUs, "
          f"{info['mem_gib']} GiB, Python {info['python']}, z3 {info['z3']}")
    print(f"# {'small instances' if args.small else 'full targets'}, timeout "
          f"{args.timeout if args.timeout else 'none'} s, repeat {args.repeat}")
    sys.stdout.flush()

    record: Dict[str, Any] = {"machine": info, "args": vars(args), "cases": {}}
    bmc_rows, explore_rows, ws_rows = [], [], []
    ws_exe = wunderspec_available() if args.compare_wunderspec else None
    for name in names:
        case = CASES[name]
        instance = case.small_instance if args.small else case.instance
        expected = case.small_expected if args.small else case.expected
        depth = args.max_steps if args.max_steps is not None else (case.small_depth if args.small else case.depth)
        props = list(expected)
        print(f"# {name}: {case.about} -- instance {instance}, k = {depth}", file=sys.stderr, flush=True)
        runs = [run_one(name, case, "bmc", depth, instance, props, args.timeout, args.profile, args.no_size, None)
                for _ in range(max(1, args.repeat))]
        best = median_run(runs)
        full = not args.small and args.max_steps is None
        bmc_rows.append(summarize(best, case, expected, full))
        last = bmc_rows[-1]
        print(f"#   -> depth {last['depth']}, {last['verdict']}, {_fmt_s(last['wall'])} s, ok: {last['ok']}",
              file=sys.stderr, flush=True)
        rec: Dict[str, Any] = {"bmc": runs, "bmc_median": best}
        if args.compare_explore:
            eruns = [run_one(name, case, "explore", depth, instance, props, args.timeout, args.profile, True,
                             args.max_states) for _ in range(max(1, args.repeat))]
            ebest = median_run(eruns)
            rec["explore"] = eruns
            explore_rows.append((best, ebest, expected))
        if args.compare_wunderspec and ws_exe:
            w = run_wunderspec(ws_exe, name, case, instance, depth, props, args.timeout)
            rec["wunderspec"] = w
            ws_rows.append((best, w))
        record["cases"][name] = rec

    print()
    print_table(bmc_rows)
    if args.compare_explore:
        print()
        print("explore (explicit-state BFS over the concrete interpreter) vs check (BMC), same instance and depth:")
        head = ["case", "k", "check depth", "check s", "explore depth", "explore verdict", "ok", "explore s",
                "distinct states", "explore RSS MiB", "explore/check time"]
        body = []
        for b, e, expected in explore_rows:
            ratio = e["wall_seconds"] / b["wall_seconds"] if b["wall_seconds"] else None
            exhausted = (e.get("stats") or {}).get("exhausted_at") is not None
            check_done = b["depth_reached"] >= b["target_depth"] or judge(b["results"], expected) == "yes"
            explore_done = not e.get("error") and (e["depth_reached"] >= e["target_depth"] or exhausted
                                                   or judge(e["results"], expected) == "yes")
            if ratio is None or not check_done or e.get("error"):
                ratio_text = "-"
            elif not explore_done:
                ratio_text = f"> {ratio:.1f} (explore stopped)"
            else:
                ratio_text = f"{ratio:.2f}"
            error = e.get("error") or ""
            if len(error) > 70:
                error = error[:67] + "..."
            body.append([b["case"], str(b["target_depth"]), str(b["depth_reached"]), _fmt_s(b["wall_seconds"]),
                         str(e["depth_reached"]) + (" (all states)" if exhausted else ""),
                         ", ".join(f"{p} {v}" for p, v in e["results"].items()) + (f" ({error})" if error else ""),
                         judge(e["results"], expected) if not e.get("error") else "error",
                         _fmt_s(e["wall_seconds"]), _fmt_n((e.get("stats") or {}).get("distinct_states")),
                         f"{e['peak_rss_mb']:.0f}", ratio_text])
        _print_md(head, body)
    if args.compare_wunderspec:
        print()
        if not ws_exe:
            print("wunderspec is not installed in this environment: --compare-wunderspec skipped "
                  "(it is never a dependency of wunderspec_smt; `pip install wunderspec` to compare).")
        else:
            head = ["case", "check s", "wunderspec check s", "wunderspec verdicts", "wunderspec/check time"]
            body = [[b["case"], _fmt_s(b["wall_seconds"]), _fmt_s(w["seconds"]),
                     ", ".join(f"{p} {v['verdict']}" for p, v in w["properties"].items()),
                     f"{w['seconds'] / b['wall_seconds']:.2f}" if b["wall_seconds"] else "-"] for b, w in ws_rows]
            _print_md(head, body)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(record, f, indent=1, default=str)
        print(f"\n# raw results written to {args.json}")
    bad = [r for r in bmc_rows if r["ok"] in ("NO", "error")]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
