#!/usr/bin/env python3
"""A/B of two configurations of BMC on benchmark cases, interleaved, each run in a fresh process.

    python benchmarks/ab.py bcast_folklore raft --repeat 3 --a "bmc.ONE_QUERY_FIRST = False" --b ""
    python benchmarks/ab.py hanoi --small --a "bmc.REUSE_ENCODINGS = False"

`--a` and `--b` are Python statements run in the worker after `from wunderspec_smt.engines
import bmc` (the switches are module flags such as `bmc.REUSE_ENCODINGS`,
`bmc.ONE_QUERY_FIRST`, `bmc.LEMMAS_BESIDE`). Runs alternate A, B, A, B, ... so that drift of
the machine hits both sides alike; each run is `run_bmc` with replay, as `run.py` measures.
Prints per case the median wall time, the median Python time (wall minus solver) and its
share, the renamed steps, and every run; any wrong verdict is reported and makes the exit
code 1.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from typing import Any, Dict, List, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

WORKER = r'''
import json, sys, time
sys.path.insert(0, {root!r}); sys.path.insert(0, {here!r})
import run as R
from wunderspec_smt.engines import bmc
from wunderspec_smt.interp.stepper import replay_trace
from wunderspec_smt.loader import compile_model, load_spec
{stmt}
case = R.CASES[{name!r}]
instance, depth, expected = ((case.small_instance, case.small_depth, case.small_expected) if {small!r}
                             else (case.instance, case.depth, case.expected))
model = compile_model(load_spec(R.SPECS + "/" + case.spec), instance, None, None)
start = time.perf_counter()
res = bmc.run_bmc(model, [model.properties[n] for n in expected], depth, 600,
                  replay=lambda trace: replay_trace(model, trace))
wall = time.perf_counter() - start
verdicts = {{r.name: R._verdict_text(r) for r in res.results}}
print(json.dumps([wall, res.solver_seconds, R.judge(verdicts, expected), verdicts,
                  res.stats.get("renamed_steps")]))
'''


def run_once(name: str, stmt: str, small: bool) -> Tuple[float, float, str, Dict[str, str], Any]:
    code = WORKER.format(root=ROOT, here=HERE, stmt=stmt, name=name, small=small)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{name}: the worker failed:\n{proc.stderr[-2000:]}")
    return tuple(json.loads(proc.stdout.strip().splitlines()[-1]))


def main(argv: List[str]) -> int:
    sys.path.insert(0, HERE)
    import run as R
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cases", nargs="+", choices=sorted(R.CASES))
    ap.add_argument("--a", default="", help="statement for side A (default: none, the code as it is)")
    ap.add_argument("--b", default="", help="statement for side B (default: none, the code as it is)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--small", action="store_true", help="the small test instances")
    args = ap.parse_args(argv)
    runs: Dict[Tuple[str, str], List[tuple]] = {}
    wrong = False
    for _ in range(args.repeat):
        for side, stmt in (("A", args.a), ("B", args.b)):
            for name in args.cases:
                out = run_once(name, stmt, args.small)
                runs.setdefault((name, side), []).append(out)
                if out[2] != "yes":
                    wrong = True
                    print(f"WRONG: {name} side {side}: {out[3]}")
    for name in args.cases:
        cells = []
        for side in "AB":
            xs = runs[(name, side)]
            wall = statistics.median(x[0] for x in xs)
            python = statistics.median(x[0] - x[1] for x in xs)
            cells.append(f"{side} {wall:.2f} s, Python {python:.2f} s ({100 * python / wall:.0f}%), "
                         f"renamed {xs[0][4]} [{' '.join(f'{x[0]:.2f}' for x in xs)}]")
        print(f"{name:15s} " + " | ".join(cells))
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
